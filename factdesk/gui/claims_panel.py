"""The claims table of the article on screen, with its filter bar: J / K walk it, a row click
selects the claim everywhere, and it follows the board's changes itself."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from factdesk.domain import (
    ArticleRecord,
    Changes,
    ClaimKind,
    ClaimRecord,
    ClaimStatus,
    NotFoundError,
    Outcome,
    Priority,
)
from factdesk.gui.board import BoardClient
from factdesk.gui.claims_model import ClaimsFilterModel, ClaimsModel, PageRequest, claim_order
from factdesk.gui.columns import ColumnFitter
from factdesk.gui.models import RecordRole
from factdesk.gui.selection import Selection

if TYPE_CHECKING:
    from factdesk.services import Workspace

# claims per page (the services' own page size: a screenful or two, read in a few ms)
CLAIMS_PAGE = 200


class ShrinkingCombo(QComboBox):
    """Its full width where there is room; on a small screen it may shrink to a few letters
    ("reported statement" need not set the width of the whole filter bar)."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        hint.setWidth(min(hint.width(), self.fontMetrics().horizontalAdvance("Any st") + 36))
        return hint


def table_view(parent: QWidget | None = None) -> QTableView:
    view = QTableView(parent)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    # rows a line of text high: at 1366 x 768 the table shows a useful number of claims
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.setShowGrid(False)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.horizontalHeader().setHighlightSections(False)
    return view


class ClaimsPanel(QWidget):
    # what the table now holds, for the article view to paint the same claims
    claims_reset = Signal(object)  # all claims of the article on screen
    claims_updated = Signal(object)  # these changed or were added
    checked_changed = Signal(int, int)  # claims with a verdict, of those not dismissed
    hint = Signal(str)  # a status-bar hint ("select a claim first")
    min_priority_changed = Signal(object)  # Priority: the lowest tier shown
    # the whole article's claims are known (after a first page): str, the article's id
    article_claims_known = Signal(str)

    def __init__(
        self, board: BoardClient, selection: Selection, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.board = board
        self.selection = selection
        self._syncing = False
        self.model = ClaimsModel(self)
        self.proxy = ClaimsFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.view = table_view()
        self.view.setModel(self.proxy)
        # no sort column: the model keeps the priority order itself, and a board of 10,000
        # claims would otherwise be re-sorted through Python on every filter change
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ClaimsModel.TEXT, QHeaderView.ResizeMode.Stretch)
        # widths from the longest value a column can hold: ResizeToContents would measure every
        # row (a second of data() calls on a board of 10,000 claims)
        metrics = self.view.fontMetrics()
        for column, values in ClaimsModel.column_values().items():
            header.resizeSection(column, max(metrics.horizontalAdvance(v) for v in values) + 24)
        header.resizeSection(ClaimsModel.CLAIMANT, 130)
        # on a narrow screen the kind, the claimant, then the short columns give way before the
        # claim does
        self.columns = ColumnFitter(
            self.view,
            (ClaimsModel.KIND, ClaimsModel.CLAIMANT, ClaimsModel.EVIDENCE, ClaimsModel.PRIORITY),
            floors={ClaimsModel.EVIDENCE: 48, ClaimsModel.PRIORITY: 64},
        )
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._filter_bar())
        layout.addWidget(self.view)
        board.changes_applied.connect(self._changes_applied)
        selection.article_changed.connect(self._article_changed)
        selection.document_shown.connect(lambda _doc: self._set_claims((), announce=False))
        selection.claim_changed.connect(self._claim_changed)

    def _filter_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 2)
        self.filter_words = QLineEdit()
        self.filter_words.setPlaceholderText("Filter claims…")
        self.filter_words.setClearButtonEnabled(True)
        self.filter_words.setMinimumWidth(70)
        self.filter_words.textChanged.connect(lambda t: self.proxy.set_filter(words=t))
        self.filter_status = ShrinkingCombo()
        self.filter_status.addItem("Any status", None)
        for status in ClaimStatus:
            self.filter_status.addItem(status.value.capitalize(), status)
        self.filter_status.currentIndexChanged.connect(self._status_filter_changed)
        self.filter_kind = ShrinkingCombo()
        self.filter_kind.addItem("Any kind", None)
        for kind in ClaimKind:
            self.filter_kind.addItem(kind.label, kind)
        self.filter_kind.currentIndexChanged.connect(
            lambda _i: self.proxy.set_filter(kind=self.filter_kind.currentData())
        )
        self.filter_score = QDoubleSpinBox()
        self.filter_score.setRange(0.0, 1.0)
        self.filter_score.setSingleStep(0.1)
        self.filter_score.setDecimals(2)
        self.filter_score.setPrefix("score ≥ ")
        self.filter_score.setToolTip("Only claims at least this check-worthy")
        self.filter_score.valueChanged.connect(lambda v: self.proxy.set_filter(min_score=v))
        self.filter_claimant = QLineEdit()
        self.filter_claimant.setPlaceholderText("Claimant…")
        self.filter_claimant.setClearButtonEnabled(True)
        self.filter_claimant.setMinimumWidth(64)
        self.filter_claimant.textChanged.connect(lambda t: self.proxy.set_filter(claimant=t))
        self.filter_dismissed = QCheckBox("Dismissed")
        self.filter_dismissed.setToolTip("Show dismissed claims too")
        self.filter_dismissed.toggled.connect(lambda on: self.proxy.set_filter(show_dismissed=on))
        bar.addWidget(self.filter_words, 3)
        bar.addWidget(self.filter_status)
        bar.addWidget(self.filter_kind)
        bar.addWidget(self.filter_score)
        bar.addWidget(self.filter_claimant, 2)
        bar.addWidget(self.filter_dismissed)
        return bar

    def set_min_priority(self, tier: Priority) -> None:
        """Show only claims of `tier` and above (the toolbar's priority switch)."""
        self.proxy.set_filter(min_priority=tier)
        self.min_priority_changed.emit(tier)

    def _status_filter_changed(self, _index: int) -> None:
        status = self.filter_status.currentData()
        self.proxy.set_filter(
            statuses=frozenset(ClaimStatus) if status is None else frozenset({status})
        )

    # ---------------------------------------------------------------- reading
    def record(self, claim_id: str | None) -> ClaimRecord | None:
        row = self.model.row_of(claim_id) if claim_id else -1
        return self.model.record(row) if row >= 0 else None

    def selected(self) -> ClaimRecord | None:
        """The selected claim, or None with a hint to select one."""
        record = self.record(self.selection.claim_id)
        if record is None:
            self.hint.emit("Select a claim first (J / K or click one).")
        return record

    # ---------------------------------------------------------------- walking
    def next_claim(self) -> None:
        self._step(1)

    def previous_claim(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        rows = self.proxy.rowCount()
        current = self.view.currentIndex()
        selected = current.isValid() and self.selection.claim_id is not None
        row = (current.row() + delta) if selected else (0 if delta > 0 else rows - 1)
        if row >= rows and delta > 0 and self.proxy.canFetchMore(QModelIndex()):
            # J on the last claim fetched: the next page first, then the step
            self.model.fetch_more(lambda: self._step(delta))
            return
        if rows == 0:
            return
        row = max(0, min(rows - 1, row))
        record = self.proxy.data(self.proxy.index(row, 0), RecordRole)
        self.selection.set_claim(record.id)

    def select_row_near(self, proxy_row: int) -> None:
        """Select the claim now at `proxy_row` (or the last one): after a dismissal, say."""
        rows = self.proxy.rowCount()
        if rows == 0:
            self.selection.set_claim(None)
            return
        record = self.proxy.data(self.proxy.index(min(proxy_row, rows - 1), 0), RecordRole)
        self.selection.set_claim(record.id)

    def current_row(self) -> int:
        return self.view.currentIndex().row()

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        record = self.proxy.data(current, RecordRole)
        if record is not None and record.id != self.selection.claim_id:
            self.selection.set_claim(record.id)

    def _claim_changed(self, claim_id: str | None) -> None:
        row = self.model.row_of(claim_id) if claim_id else -1
        if row < 0 and claim_id is not None and self.model.has_more():
            # chosen in the article (or a search) on a page not fetched yet: fetch up to it
            def then() -> None:
                if self.selection.claim_id == claim_id and self.model.row_of(claim_id) >= 0:
                    self._claim_changed(claim_id)

            self.model.fetch_through(claim_id, then)
            return
        self._syncing = True
        try:
            proxy_index = (
                self.proxy.mapFromSource(self.model.index(row, 0)) if row >= 0 else QModelIndex()
            )
            if proxy_index.isValid():
                self.view.selectionModel().setCurrentIndex(
                    proxy_index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.view.scrollTo(proxy_index)
            else:
                self.view.clearSelection()
        finally:
            self._syncing = False

    # ---------------------------------------------------------------- following the board
    def _article_changed(self, article: ArticleRecord, claims: Sequence[ClaimRecord]) -> None:
        # the article view paints these itself, with the text, in one pass
        self._set_claims(claims, announce=False, article_id=article.id)

    def _set_claims(
        self,
        claims: Sequence[ClaimRecord],
        *,
        announce: bool = True,
        article_id: str | None = None,
    ) -> None:
        """Show `claims`: all of the article's, or (a full page of them) its first page in the
        table's order, the rest fetched page by page as the journalist scrolls or walks on."""
        first_page = article_id if len(claims) == CLAIMS_PAGE else None
        self.model.set_records(claims, self._pages(first_page) if first_page else None)
        if announce:
            self.claims_reset.emit(claims)
        if first_page:
            self._load_whole_article(first_page)
        self._emit_checked()

    def _pages(self, article_id: str) -> PageRequest:
        def request(
            after: ClaimRecord,
            through: str | None,
            done: Callable[[Sequence[ClaimRecord], bool], None],
        ) -> None:
            def read(ws: Workspace) -> list[ClaimRecord]:
                try:
                    last = ws.claim(through) if through is not None else None
                except NotFoundError:
                    return []  # gone since it was chosen: nothing to fetch up to
                if last is not None and last.article_id != article_id:
                    return []
                return ws.claims_page(article_id, after=after, through=last, include_dismissed=True)

            self.board.read(
                read,
                lambda page: done(page, through is not None or len(page) == CLAIMS_PAGE),
            )

        return request

    def _load_whole_article(self, article_id: str) -> None:
        """Every claim of the article, read after the first page is on screen: the article
        view paints them all, and repeats are numbered and found among them."""

        def show(claims: list[ClaimRecord]) -> None:
            if self.selection.article_id != article_id:
                return
            self.model.set_article_claims(claims)
            self.claims_reset.emit(claims)
            self._emit_checked()
            self.article_claims_known.emit(article_id)

        self.board.read(lambda ws: ws.claims(article_id, include_dismissed=True), show)

    def _changes_applied(self, outcome: Outcome[Any], _initiator: object) -> None:
        article = self.selection.article
        changes = outcome.changes
        if article is None or not changes & Changes.CLAIMS:
            return
        if changes & (Changes.UNDO_APPLIED | Changes.BOARD) or not outcome.claim_ids:
            self._reload(article.id)
            return
        records = _records_of(outcome)
        if records is not None and {r.id for r in records} >= set(outcome.claim_ids):
            self._update(records)
            return
        ids = sorted(outcome.claim_ids)
        self.board.read(lambda ws: [ws.claim(i) for i in ids], self._update)

    def _update(self, records: Sequence[ClaimRecord]) -> None:
        article = self.selection.article
        mine = [r for r in records if article is not None and r.article_id == article.id]
        if mine:
            self.model.upsert(mine)
            self.claims_updated.emit(mine)
            self._emit_checked()

    def _reload(self, article_id: str) -> None:
        # as far as the rows went (a first page at least), so the selection stays in them
        rows = self.model.records()
        last = max(rows, key=claim_order) if self.model.has_more() and rows else None

        def read(ws: Workspace) -> list[ClaimRecord]:
            if last is None:
                return ws.claims(article_id, include_dismissed=True)
            # by its key: the claim itself may be gone (an undone "mark as claim")
            return ws.claims_page(article_id, through=last, include_dismissed=True)

        def show(claims: list[ClaimRecord]) -> None:
            if self.selection.article_id != article_id:
                return
            selected = self.selection.claim_id
            if last is None:
                self._set_claims(claims)
            else:
                self.model.set_records(claims, self._pages(article_id))
                self._load_whole_article(article_id)
            self.selection.set_claim(selected if self.model.row_of(selected or "") >= 0 else None)

        self.board.read(read, show)

    def _emit_checked(self) -> None:
        if not self.model.knows_all():
            return  # until the whole article is read: a first page's count would be wrong
        live = [c for c in self.model.article_claims() if not c.dismissed]
        checked = sum(c.status is not ClaimStatus.UNVERIFIED for c in live)
        self.checked_changed.emit(checked, len(live))


def _records_of(outcome: Outcome[Any]) -> list[ClaimRecord] | None:
    """The claim records an action handed back, when it did."""
    value = outcome.value
    if isinstance(value, ClaimRecord):
        return [value]
    if isinstance(value, list) and all(isinstance(v, ClaimRecord) for v in value):
        return value
    return None
