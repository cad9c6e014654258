"""The left column: the articles on the board with their counts, and search across the board.
Picking an article (or a search hit) puts it on screen through the selection."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import QHeaderView, QLineEdit, QSplitter, QVBoxLayout, QWidget

from factdesk.domain import ArticleRecord, ArticleSummary, Changes, ClaimRecord, Outcome
from factdesk.gui.board import BoardClient
from factdesk.gui.claims_panel import table_view
from factdesk.gui.frame import titled
from factdesk.gui.models import ArticlesModel, RecordRole, SearchResultsModel
from factdesk.gui.selection import Selection

if TYPE_CHECKING:
    from factdesk.services import Workspace

# articles read at once (more as the list is scrolled): a board of years holds thousands
ARTICLES_PAGE = 100
# what changes the counts of the articles list
COUNTED = Changes.ARTICLES | Changes.CLAIMS | Changes.BOARD | Changes.UNDO_APPLIED


class ArticlesPanel(QSplitter):
    counts_changed = Signal(int, int)  # articles and claims on the board
    hint = Signal(str)

    def __init__(
        self,
        board: BoardClient,
        selection: Selection,
        *,
        streaming: Callable[[], bool],
        parent: QWidget | None = None,
    ) -> None:
        """`streaming()`: claims are streaming in, so the counts follow once a second."""
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setObjectName("left_splitter")
        self.board = board
        self.selection = selection
        self._streaming = streaming
        self._syncing = False
        self.model = ArticlesModel(self)
        self.view = table_view()
        self.view.setModel(self.model)
        self.view.setMinimumWidth(150)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # fitted to the rows in view: by default Qt reads 1,000 rows for it, and each row the
        # list asks for is an article read from the board
        header.setResizeContentsPrecision(0)
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        self.model.rows_loaded.connect(self._rows_loaded)

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search the board (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.returnPressed.connect(self._run_search)
        self.search_model = SearchResultsModel(self)
        self.search_view = table_view()
        self.search_view.setModel(self.search_model)
        self.search_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.search_view.horizontalHeader().setStretchLastSection(True)
        self.search_view.activated.connect(self._hit_activated)
        self.search_view.clicked.connect(self._hit_activated)
        search_box = QWidget()
        sl = QVBoxLayout(search_box)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.addWidget(self.search_edit)
        sl.addWidget(self.search_view)
        self.addWidget(titled("Articles", self.view))
        self.addWidget(titled("Search", search_box))
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)

        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(1000)
        self._counts_timer.timeout.connect(self.reload)
        board.changes_applied.connect(self._changes_applied)
        selection.article_changed.connect(self._article_changed)
        selection.document_shown.connect(lambda _doc: self._select_row(-1))

    # ---------------------------------------------------------------- the list
    def reload(self, then: Callable[[Sequence[ArticleSummary]], None] | None = None) -> None:
        """The newest articles again, as many as the list holds (a page at least), and the
        board's counts; `then(articles)` once they are shown."""
        self._counts_timer.stop()
        if not self.board.is_open:
            return
        limit = max(ARTICLES_PAGE, self.model.loaded())

        def read(ws: Workspace) -> tuple[list[ArticleSummary], tuple[int, int]]:
            return ws.list_articles(limit=limit), ws.board_counts()

        def show(result: tuple[list[ArticleSummary], tuple[int, int]]) -> None:
            summaries, counts = result
            self._syncing = True
            try:
                more = self._older if len(summaries) == limit else None
                self.model.set_page(summaries, more, total=counts[0])
                current = self.selection.article_id
                self._select_row(self.model.row_of(current) if current else -1)
            finally:
                self._syncing = False
            self.counts_changed.emit(*counts)
            if then is not None:
                then(summaries)

        self.board.read(read, show)

    def _older(
        self,
        last: ArticleSummary,
        wanted: int,
        done: Callable[[Sequence[ArticleSummary], bool], None],
    ) -> None:
        """The `wanted` articles after `last` (whole pages: the list is likely scrolled on)."""
        limit = -(-wanted // ARTICLES_PAGE) * ARTICLES_PAGE
        self.board.read(
            lambda ws: ws.list_articles(after=last, limit=limit),
            lambda page: done(page, len(page) == limit),
        )

    def _changes_applied(self, outcome: Outcome[Any], _initiator: object) -> None:
        changes = outcome.changes
        if not changes & COUNTED:
            return
        if self._streaming() and not changes & (Changes.ARTICLES | Changes.BOARD):
            # claims streaming in: the counts follow once a second, not with every write
            if not self._counts_timer.isActive():
                self._counts_timer.start()
        else:
            self.reload()

    def select_first(self) -> None:
        self.view.selectRow(0)

    def _select_row(self, row: int) -> None:
        syncing, self._syncing = self._syncing, True
        try:
            if row < 0:
                self.view.clearSelection()
            elif self.view.currentIndex().row() != row:
                self.view.selectRow(row)
        finally:
            self._syncing = syncing

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        summary = self.model.loaded_record(current.row())
        if summary is not None and summary.id != self.selection.article_id:
            self.open_article(summary.id)
        # else the row's article is being read: it opens once it is (_rows_loaded)

    def _rows_loaded(self) -> None:
        """A row chosen while it was loading (End on the list, say) opens now."""
        current = self.view.currentIndex()
        if self.view.selectionModel().isRowSelected(current.row(), QModelIndex()):
            self._row_changed(current, current)

    def _article_changed(self, article: ArticleRecord, _claims: Sequence[ClaimRecord]) -> None:
        self._select_row(self.model.row_of(article.id))

    def open_article(self, article_id: str, then: Callable[[], None] | None = None) -> None:
        def load(ws: Workspace) -> tuple[ArticleRecord, list[ClaimRecord]]:
            # the first page of claims: on screen at once however many the article has; the
            # claims panel reads the rest
            return ws.article(article_id), ws.claims_page(article_id, include_dismissed=True)

        def show(result: tuple[ArticleRecord, list[ClaimRecord]]) -> None:
            self.selection.set_article(*result)
            if then is not None:
                then()

        self.board.read(load, show)

    # ---------------------------------------------------------------- search
    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _run_search(self) -> None:
        query = self.search_edit.text().strip()
        if not query:
            self.search_model.set_records(())
            return
        self.board.read(lambda ws: ws.search(query), self._show_hits)

    def _show_hits(self, hits: Sequence[Any]) -> None:
        self.search_model.set_records(hits)
        if hits:
            self.search_view.setCurrentIndex(self.search_model.index(0, 0))
        else:
            self.hint.emit("Nothing on the board matches.")

    def _hit_activated(self, index: QModelIndex) -> None:
        hit = self.search_model.data(index, RecordRole)
        if hit is not None and hit.article_id is not None:
            self.go_to(hit.article_id, hit.claim_id)

    def go_to(self, article_id: str, claim_id: str | None) -> None:
        def select() -> None:
            if claim_id is not None:
                self.selection.set_claim(claim_id)

        if self.selection.article_id == article_id:
            select()
        else:
            self.open_article(article_id, select)
