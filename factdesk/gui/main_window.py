"""The workstation window: articles and search on the left, the article with its highlighted
claims and the claims table in the middle, the evidence board of the selected claim on the right.

Every action runs on the board at once (one transaction each) and its Outcome is broadcast as
`changes_applied`; each panel refreshes only what that Outcome says changed.
"""

from __future__ import annotations

import gc
import html
import itertools
import logging
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QByteArray,
    QItemSelectionModel,
    QModelIndex,
    QSettings,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from factdesk.domain import (
    ArticleRecord,
    BoardInfo,
    Changes,
    ClaimCandidate,
    ClaimKind,
    ClaimRecord,
    ClaimStatus,
    FactdeskError,
    ImportedDocument,
    Outcome,
    Stance,
)
from factdesk.domain.formats import article_file_filter
from factdesk.domain.spans import trim_span
from factdesk.gui.article_view import ArticleView
from factdesk.gui.board import BoardClient
from factdesk.gui.columns import ColumnFitter
from factdesk.gui.evidence_panel import EvidencePanel
from factdesk.gui.models import (
    ArticlesModel,
    ClaimsFilterModel,
    ClaimsModel,
    RecordRole,
    SearchResultsModel,
)
from factdesk.gui.shortcuts import ShortcutsDialog, shortcut_rows

if TYPE_CHECKING:
    from factdesk.gui.detection import DetectionProcess
    from factdesk.gui.export_dialog import ExportDialog
    from factdesk.services import Workspace

log = logging.getLogger(__name__)

OPEN_FILTER = article_file_filter()


def _attach_file(ws: Workspace, *, claim_id: str, path: str, stance: Stance) -> Outcome[Any]:
    return ws.attach_file(claim_id, path, stance=stance)


_heap_frozen = False


def _freeze_startup_heap() -> None:
    """Move what start-up loaded (Qt, SQLAlchemy, the board) out of the garbage collector's way.

    A full collection walks every object the process holds; triggered on the database thread
    while claims stream in, it held the GIL for 56 ms and the window froze with it. Frozen objects
    are not walked, so later collections cover only what the session creates. Once per process.
    """
    global _heap_frozen
    if not _heap_frozen:
        _heap_frozen = True
        gc.collect()
        gc.freeze()


def _add_found(
    ws: Workspace,
    *,
    article_id: str,
    new: Sequence[ClaimCandidate],
    earlier: Sequence[ClaimCandidate],
) -> Outcome[Any]:
    return ws.add_detected_claims(article_id, new, earlier=earlier)


class _ShrinkingCombo(QComboBox):
    """Its full width where there is room; on a small screen it may shrink to a few letters
    ("reported statement" need not set the width of the whole filter bar)."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        hint.setWidth(min(hint.width(), self.fontMetrics().horizontalAdvance("Any st") + 36))
        return hint


def _count(n: int, noun: str) -> str:
    """The count with its noun: 1 article, 2 articles, 1,024 claims."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _table(parent: QWidget | None = None) -> QTableView:
    view = QTableView(parent)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setShowGrid(False)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.horizontalHeader().setHighlightSections(False)
    return view


class MainWindow(QMainWindow):
    changes_applied = Signal(object)  # Outcome, re-broadcast from the board
    claim_selected = Signal(str)
    article_shown = Signal(str)  # an article on the board is shown, with its claims
    text_shown = Signal()  # article text is on screen (perhaps before it is stored)
    detection_finished = Signal(str)  # article id

    def __init__(
        self,
        board: BoardClient,
        detector: DetectionProcess | None = None,
        *,
        state_file: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.board = board
        self.detector = detector
        self.info: BoardInfo | None = None
        self.article: ArticleRecord | None = None
        self.claim_id: str | None = None
        # detection starts when a document is shown, before it is stored: a job is named at once
        # and learns its article's id once the board has it
        self._job_ids = (f"job-{n}" for n in itertools.count(1))
        self._jobs: dict[str, str | None] = {}  # job -> its article's id (None until stored)
        self._job_texts: dict[str, str] = {}  # job -> the text analysed, until stored
        self._ended: set[str] = set()  # jobs the worker finished before their article was stored
        self._found: dict[str, list[Any]] = {}  # per job: every candidate received so far
        self._sent: dict[str, int] = {}  # per job: how many of them went to the board
        self._storing = 0  # documents shown and on their way to the board
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(300)
        self._flush_timer.timeout.connect(self._flush_found)
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(1000)
        self._counts_timer.timeout.connect(self._refresh_counts)
        self._syncing = False
        self._state = QSettings(str(state_file), QSettings.Format.IniFormat) if state_file else None
        self.setWindowTitle("factdesk")
        self.setAcceptDrops(True)
        self._build_panels()
        self._build_actions()
        self._build_status_bar()
        self._restore_state()
        board.opened.connect(self._board_opened)
        board.open_failed.connect(self._board_failed)
        board.changes_applied.connect(self.changes_applied)
        board.error_raised.connect(self.show_error)
        board.tasks.failed.connect(self.show_error)
        self.changes_applied.connect(self._apply_changes)
        if detector is not None:
            detector.batch_ready.connect(self._detected_batch)
            detector.finished.connect(self._detection_done)
            detector.failed.connect(self._detection_failed)

    # ---------------------------------------------------------------- layout
    def _build_panels(self) -> None:
        # left: articles and search
        self.articles_model = ArticlesModel(self)
        self.articles_view = _table()
        self.articles_view.setModel(self.articles_model)
        self.articles_view.setMinimumWidth(150)
        header = self.articles_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.articles_view.selectionModel().currentRowChanged.connect(self._article_row_changed)

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search the board (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.returnPressed.connect(self._run_search)
        self.search_model = SearchResultsModel(self)
        self.search_view = _table()
        self.search_view.setModel(self.search_model)
        self.search_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.search_view.horizontalHeader().setStretchLastSection(True)
        self.search_view.activated.connect(self._search_hit_activated)
        self.search_view.clicked.connect(self._search_hit_activated)

        left = QSplitter(Qt.Orientation.Vertical)
        left.setObjectName("left_splitter")
        left.addWidget(self._titled("Articles", self.articles_view))
        search_box = QWidget()
        sl = QVBoxLayout(search_box)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.addWidget(self.search_edit)
        sl.addWidget(self.search_view)
        left.addWidget(self._titled("Search", search_box))
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 2)

        # middle: the article, then the claims table
        self.article_view = ArticleView()
        self.article_view.claim_clicked.connect(lambda cid: self.select_claim(cid))
        self.article_view.mark_requested.connect(self.mark_selection)
        self.article_view.next_requested.connect(self.next_claim)
        self.article_view.previous_requested.connect(self.previous_claim)
        self.article_title = QLabel()
        self.article_title.setWordWrap(True)
        font = self.article_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.article_title.setFont(font)
        self.article_title.setContentsMargins(18, 10, 18, 0)
        self.legend = QLabel(self._legend_html())
        self.legend.setContentsMargins(18, 6, 18, 4)
        self.legend.setWordWrap(True)  # on a narrow screen it takes two lines, not the width
        article_page = QWidget()
        al = QVBoxLayout(article_page)
        al.setContentsMargins(0, 0, 0, 0)
        al.setSpacing(2)
        al.addWidget(self.article_title)
        al.addWidget(self.legend)
        al.addWidget(self.article_view)

        self.welcome = QWidget()
        wl = QVBoxLayout(self.welcome)
        wl.addStretch(1)
        self.welcome_label = QLabel("Opening the board…")
        self.welcome_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.welcome_label.setWordWrap(True)
        wl.addWidget(self.welcome_label)
        # one above the other: a row of three would set the width of the whole window
        row = QVBoxLayout()
        row.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.sample_button = QPushButton("Open the sample article")
        self.sample_button.clicked.connect(self.open_sample)
        self.open_button = QPushButton("Open an article…  (Ctrl+O)")
        self.open_button.clicked.connect(self.choose_file)
        self.paste_button = QPushButton("Paste an article  (Ctrl+Shift+V)")
        self.paste_button.clicked.connect(self.paste_article)
        self.retry_button = QPushButton("Try again")
        self.retry_button.clicked.connect(self._retry_open)
        for button in (self.sample_button, self.open_button, self.paste_button, self.retry_button):
            button.hide()
            row.addWidget(button)
        wl.addLayout(row)
        wl.addStretch(2)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(article_page)

        self.claims_model = ClaimsModel(self)
        self.claims_proxy = ClaimsFilterModel(self)
        self.claims_proxy.setSourceModel(self.claims_model)
        self.claims_view = _table()
        self.claims_view.setModel(self.claims_proxy)
        # no sort column: the model is already in text order, and a board of 10,000 claims
        # would otherwise be re-sorted through Python on every filter change
        self.claims_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.claims_view.setSortingEnabled(True)
        header = self.claims_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ClaimsModel.TEXT, QHeaderView.ResizeMode.Stretch)
        # widths from the longest value a column can hold: ResizeToContents would measure every
        # row (a second of data() calls on a board of 10,000 claims)
        for column, values in ClaimsModel.column_values().items():
            header.resizeSection(column, self._text_width(values) + 24)
        header.resizeSection(ClaimsModel.CLAIMANT, 130)
        # on a narrow screen the kind, then the claimant, give way before the claim does
        self.claims_columns = ColumnFitter(
            self.claims_view, (ClaimsModel.KIND, ClaimsModel.CLAIMANT)
        )
        self.claims_view.selectionModel().currentRowChanged.connect(self._claim_row_changed)
        claims_box = QWidget()
        cl = QVBoxLayout(claims_box)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addLayout(self._build_filter_bar())
        cl.addWidget(self.claims_view)

        middle = QSplitter(Qt.Orientation.Vertical)
        middle.setObjectName("middle_splitter")
        middle.addWidget(self.stack)
        middle.addWidget(claims_box)
        middle.setStretchFactor(0, 3)
        middle.setStretchFactor(1, 2)

        # right: the evidence board
        self.evidence = EvidencePanel()
        self.evidence.status_chosen.connect(self.set_status)
        self.evidence.explanation_saved.connect(lambda t: self._edit_claim(explanation=t))
        self.evidence.claimant_saved.connect(lambda t: self._edit_claim(claimant=t))
        self.evidence.rating_saved.connect(lambda t: self._edit_claim(rating=t))
        self.evidence.kind_saved.connect(lambda k: self._edit_claim(kind=k))
        self.evidence.url_submitted.connect(self.attach_url)
        self.evidence.files_chosen.connect(self.attach_files)
        self.evidence.note_submitted.connect(self.attach_note)
        self.evidence.unlink_requested.connect(self.unlink_evidence)
        self.evidence.editing_left.connect(self.return_to_claims)
        self._loop_focus: QWidget | None = None

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self._titled("Evidence board", self.evidence))
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 6)
        self.splitter.setStretchFactor(2, 4)
        self.splitters = (self.splitter, left, middle)
        self.setCentralWidget(self.splitter)
        width = self._fit_to_screen(1400, 860)
        self.splitter.setSizes([int(width * f) for f in (0.19, 0.5, 0.31)])

    def _fit_to_screen(self, width: int, height: int) -> int:
        """The first-run size, never larger than the screen (a 1920 x 1080 laptop at 150 % scale
        has 1280 x 720 logical pixels); a saved geometry replaces it in _restore_state."""
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            room = screen.availableGeometry()
            width = min(width, int(room.width() * 0.96))
            height = min(height, int(room.height() * 0.92))
        self.resize(width, height)
        return width

    def _text_width(self, values: Sequence[str]) -> int:
        metrics = self.claims_view.fontMetrics()
        return max(metrics.horizontalAdvance(v) for v in values)

    def _titled(self, title: str, widget: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        label = QLabel(title)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        layout.addWidget(label)
        layout.addWidget(widget)
        return box

    def _legend_html(self) -> str:
        from factdesk.gui.colors import STATUS_COLORS

        parts = [
            f"<span style='background:{STATUS_COLORS[s]}; color:white'>&nbsp;{s.value}&nbsp;</span>"
            for s in (ClaimStatus.UNVERIFIED, ClaimStatus.VERIFIED, ClaimStatus.DISPUTED)
        ]
        return (
            "<small>" + " ".join(parts) + " &nbsp; stronger tint and dotted underline: "
            "more check-worthy · hover a claim for details</small>"
        )

    def _build_filter_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 2)
        self.filter_words = QLineEdit()
        self.filter_words.setPlaceholderText("Filter claims…")
        self.filter_words.setClearButtonEnabled(True)
        self.filter_words.setMinimumWidth(70)
        self.filter_words.textChanged.connect(lambda t: self.claims_proxy.set_filter(words=t))
        self.filter_status = _ShrinkingCombo()
        self.filter_status.addItem("Any status", None)
        for status in ClaimStatus:
            self.filter_status.addItem(status.value.capitalize(), status)
        self.filter_status.currentIndexChanged.connect(self._status_filter_changed)
        self.filter_kind = _ShrinkingCombo()
        self.filter_kind.addItem("Any kind", None)
        for kind in ClaimKind:
            self.filter_kind.addItem(kind.label, kind)
        self.filter_kind.currentIndexChanged.connect(
            lambda _i: self.claims_proxy.set_filter(kind=self.filter_kind.currentData())
        )
        self.filter_score = QDoubleSpinBox()
        self.filter_score.setRange(0.0, 1.0)
        self.filter_score.setSingleStep(0.1)
        self.filter_score.setDecimals(2)
        self.filter_score.setPrefix("score ≥ ")
        self.filter_score.setToolTip("Only claims at least this check-worthy")
        self.filter_score.valueChanged.connect(lambda v: self.claims_proxy.set_filter(min_score=v))
        self.filter_claimant = QLineEdit()
        self.filter_claimant.setPlaceholderText("Claimant…")
        self.filter_claimant.setClearButtonEnabled(True)
        self.filter_claimant.setMinimumWidth(64)
        self.filter_claimant.textChanged.connect(lambda t: self.claims_proxy.set_filter(claimant=t))
        self.filter_dismissed = QCheckBox("Dismissed")
        self.filter_dismissed.setToolTip("Show dismissed claims too")
        self.filter_dismissed.toggled.connect(
            lambda on: self.claims_proxy.set_filter(show_dismissed=on)
        )
        bar.addWidget(self.filter_words, 3)
        bar.addWidget(self.filter_status)
        bar.addWidget(self.filter_kind)
        bar.addWidget(self.filter_score)
        bar.addWidget(self.filter_claimant, 2)
        bar.addWidget(self.filter_dismissed)
        return bar

    def _status_filter_changed(self, _index: int) -> None:
        status = self.filter_status.currentData()
        self.claims_proxy.set_filter(
            statuses=frozenset(ClaimStatus) if status is None else frozenset({status})
        )

    def _build_actions(self) -> None:
        def action(
            text: str, keys: Sequence[str | QKeySequence.StandardKey], slot: Callable[[], Any]
        ) -> QAction:
            act = QAction(text, self)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(lambda _=False: slot())
            self.addAction(act)
            return act

        self.act_open = action("&Open article…", ["Ctrl+O"], self.choose_file)
        self.act_paste = action("&Paste as new article", ["Ctrl+Shift+V"], self.paste_article)
        self.act_sample = action("Open the &sample article", [], self.open_sample)
        self.act_export = action("&Export report…", ["Ctrl+E"], self.export_report)
        self.act_settings = action("Se&ttings…", ["Ctrl+,"], self.edit_settings)
        self.act_quit = action("&Quit", ["Ctrl+Q"], self.close)
        self.act_undo = action("&Undo", ["Ctrl+Z"], self.undo)
        self.act_redo = action("&Redo", ["Ctrl+Shift+Z", "Ctrl+Y"], self.redo)
        self.act_find = action("&Search the board", ["Ctrl+F"], self.focus_search)
        self.act_next = action("&Next claim", ["J"], self.next_claim)
        self.act_prev = action("&Previous claim", ["K"], self.previous_claim)
        self.act_verified = action(
            "Set &verified", ["V"], lambda: self.set_status(ClaimStatus.VERIFIED)
        )
        self.act_disputed = action(
            "Set &disputed", ["D"], lambda: self.set_status(ClaimStatus.DISPUTED)
        )
        self.act_unverified = action(
            "Set &unverified", ["U"], lambda: self.set_status(ClaimStatus.UNVERIFIED)
        )
        self.act_explain = action("&Edit explanation", ["E"], self.edit_explanation)
        self.act_add_evidence = action("&Add evidence", ["A"], self.add_evidence)
        self.act_mark = action("&Mark selection as claim", ["M"], self.mark_selection)
        self.act_dismiss = action("Dismiss / restore claim", ["X"], self.toggle_dismissed)
        self.act_shortcuts = action("&Keyboard shortcuts", ["F1", "?"], self.show_shortcuts)
        self.act_stop = action("S&top finding claims", [], self.stop_finding)
        self.act_stop.setEnabled(False)
        self.act_find_claims = action("&Find claims again", [], self.find_claims_again)
        self.act_find_claims.setToolTip(
            "Analyse the article again; claims already on the board are not added twice"
        )
        self.act_undo.setEnabled(False)
        self.act_redo.setEnabled(False)

        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        for act in (self.act_open, self.act_paste, self.act_sample):
            file_menu.addAction(act)
        file_menu.addSeparator()
        file_menu.addAction(self.act_export)
        file_menu.addAction(self.act_settings)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        edit_menu = menu.addMenu("&Edit")
        for act in (self.act_undo, self.act_redo):
            edit_menu.addAction(act)
        edit_menu.addSeparator()
        edit_menu.addAction(self.act_find)
        claim_menu = menu.addMenu("&Claim")
        for act in (self.act_next, self.act_prev):
            claim_menu.addAction(act)
        claim_menu.addSeparator()
        for act in (self.act_verified, self.act_disputed, self.act_unverified):
            claim_menu.addAction(act)
        claim_menu.addSeparator()
        for act in (self.act_explain, self.act_add_evidence, self.act_mark, self.act_dismiss):
            claim_menu.addAction(act)
        claim_menu.addSeparator()
        claim_menu.addAction(self.act_find_claims)
        claim_menu.addAction(self.act_stop)
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(self.act_shortcuts)
        self.shortcut_sections: list[tuple[str, list[QAction]]] = [
            ("Claims", [self.act_next, self.act_prev]),
            ("Verdict", [self.act_verified, self.act_disputed, self.act_unverified]),
            ("Claims", [self.act_explain, self.act_add_evidence, self.act_mark, self.act_dismiss]),
            ("Edit", [self.act_undo, self.act_redo, self.act_find]),
            (
                "File",
                [self.act_open, self.act_paste, self.act_export, self.act_settings, self.act_quit],
            ),
            ("Help", [self.act_shortcuts]),
        ]
        self.claim_actions = (
            self.act_verified,
            self.act_disputed,
            self.act_unverified,
            self.act_explain,
            self.act_add_evidence,
            self.act_dismiss,
        )

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.board_label = QLabel("Opening the board…")
        self.lock_label = QLabel()
        self.counts_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setMinimumWidth(
            self.fontMetrics().horizontalAdvance("Finding claims 100%") + 24
        )
        self.progress.setFormat("Finding claims %p%")
        self.progress.hide()
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("Stop finding claims; those found so far are kept")
        self.stop_button.setFlat(True)
        self.stop_button.clicked.connect(self.stop_finding)
        self.stop_button.hide()
        bar.addWidget(self.board_label, 1)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.stop_button)
        bar.addPermanentWidget(self.counts_label)
        bar.addPermanentWidget(self.lock_label)

    # ---------------------------------------------------------------- state kept between runs
    def _restore_state(self) -> None:
        if self._state is None:
            return
        geometry = self._state.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        for splitter in self.splitters:
            sizes = self._state.value(f"splitters/{splitter.objectName()}")
            if isinstance(sizes, QByteArray):
                splitter.restoreState(sizes)
        header = self._state.value("claims_header")
        if isinstance(header, QByteArray):
            self.claims_view.horizontalHeader().restoreState(header)

    def save_state(self) -> None:
        if self._state is None:
            return
        self._state.setValue("geometry", self.saveGeometry())
        for splitter in self.splitters:
            self._state.setValue(f"splitters/{splitter.objectName()}", splitter.saveState())
        self.claims_columns.unsqueezed()  # the widths wanted, not those of a narrow moment
        self._state.setValue("claims_header", self.claims_view.horizontalHeader().saveState())
        self.claims_columns.fit()
        self._state.sync()

    def closeEvent(self, e: QCloseEvent) -> None:
        # a half-typed explanation or claimant is saved like any other edit
        focus = QApplication.focusWidget()
        if focus is not None:
            focus.clearFocus()
        self.save_state()
        if self.detector is not None:
            self.detector.stop()
        self.board.close()
        super().closeEvent(e)

    # ---------------------------------------------------------------- board open
    @Slot(object)
    def _board_opened(self, info: BoardInfo) -> None:
        _freeze_startup_heap()
        self._show_info(info)
        self.reload_articles(then=self._first_articles)

    def _first_articles(self, summaries: Sequence[Any]) -> None:
        # a document opened at start is on screen already (perhaps still being stored): it stays
        if not self._storing and self.article is None:
            if summaries:
                self.articles_view.selectRow(0)
            else:
                self._show_welcome(empty_board=True)
        self._refresh_undo()

    def open_when_ready(self, path: str | None) -> None:
        """Open `path` (the command line's `factdesk open FILE`) at once: its text shows and its
        claims are sought while the board opens; it is stored once the board is open."""
        if path is not None:
            self.import_path(path)

    #: set by create_window: opens the board again (after a cancelled passphrase, say)
    reopen: Callable[[], None] | None = None
    _open_error: BaseException | None = None

    @Slot(object)
    def _board_failed(self, exc: BaseException) -> None:
        self._open_error = exc
        self._show_not_open()
        self.show_error(exc)

    def _show_not_open(self) -> None:
        """The board did not open: say why, and offer to try again."""
        self.stack.setCurrentWidget(self.welcome)
        why = html.escape(str(self._open_error)) if self._open_error is not None else ""
        self.welcome_label.setText(f"<h2>The board is not open</h2><p>{why}</p>")
        for button in (self.sample_button, self.open_button, self.paste_button):
            button.hide()
        self.retry_button.setVisible(self.reopen is not None)
        self.retry_button.setFocus()

    def _retry_open(self) -> None:
        if self.reopen is not None:
            self._open_error = None
            self.retry_button.hide()
            self.welcome_label.setText("Opening the board…")
            self.reopen()

    def _show_welcome(self, *, empty_board: bool) -> None:
        self.retry_button.hide()
        self.stack.setCurrentWidget(self.welcome)
        if empty_board:
            self.welcome_label.setText(
                "<h2>This board is empty</h2><p>Open an article to check, paste one from the "
                "clipboard, drop a file on this window, or start with the sample article.</p>"
            )
        from factdesk.paths import sample_article

        self.sample_button.setVisible(sample_article().is_file())
        self.open_button.show()
        self.paste_button.show()
        (self.sample_button if self.sample_button.isVisible() else self.open_button).setFocus()

    def _show_info(self, info: BoardInfo) -> None:
        self.info = info
        self.board_label.setText(f"Board: {info.location}")
        self.board_label.setToolTip(f"{info.location}\nschema {info.schema_revision}")
        lock = "Encrypted (SQLCipher)" if info.encrypted else "Not encrypted"
        self.lock_label.setText(f"{lock} · key: {info.key_source}")
        self.lock_label.setToolTip(
            "The board is encrypted with SQLCipher; its key is held by " + info.key_source
            if info.encrypted
            else "This board file is not encrypted."
        )
        self.counts_label.setText(
            f"{_count(info.n_articles, 'article')} · {_count(info.n_claims, 'claim')}"
        )

    # ---------------------------------------------------------------- articles
    def reload_articles(self, then: Callable[[Sequence[Any]], None] | None = None) -> None:
        def show(summaries: Sequence[Any]) -> None:
            current = self.article.id if self.article is not None else None
            self._syncing = True
            try:
                self.articles_model.set_records(summaries)
                row = self.articles_model.row_of(current) if current else -1
                if row >= 0:
                    self.articles_view.selectRow(row)
            finally:
                self._syncing = False
            if then is not None:
                then(summaries)

        self.board.read(lambda ws: ws.list_articles(), show)

    def _article_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        summary = self.articles_model.record(current.row())
        if self.article is None or summary.id != self.article.id:
            self.open_article(summary.id)

    def open_article(self, article_id: str, then: Callable[[], None] | None = None) -> None:
        def load(ws: Workspace) -> tuple[ArticleRecord, list[ClaimRecord]]:
            return ws.article(article_id), ws.claims(article_id, include_dismissed=True)

        def show(result: tuple[ArticleRecord, list[ClaimRecord]]) -> None:
            article, claims = result
            self.show_article(article, claims)
            if then is not None:
                then()

        self.board.read(load, show)

    def show_article(self, article: ArticleRecord, claims: Sequence[ClaimRecord]) -> None:
        self.article = article
        self.claim_id = None
        if self.article_view.article_id is None and self.article_view.shows_text(article.text):
            # the text went up while it was being stored: only the claims are new
            self.article_view.attach(article.id, claims)
        else:
            self._show_text(
                article.id, article.title, article.outlet, article.authors, article.text, claims
            )
        self.claims_model.set_records(claims)
        self.evidence.show_claim(None)
        row = self.articles_model.row_of(article.id)
        if row >= 0 and self.articles_view.currentIndex().row() != row:
            self._syncing = True
            self.articles_view.selectRow(row)
            self._syncing = False
        self.article_shown.emit(article.id)

    def _show_text(
        self,
        article_id: str | None,
        title: str,
        outlet: str,
        authors: Sequence[str],
        text: str,
        claims: Sequence[ClaimRecord],
    ) -> None:
        self.stack.setCurrentIndex(1)
        byline = " · ".join(p for p in (outlet, ", ".join(authors)) if p)
        title = title or "(untitled article)"
        # most articles open with their headline: do not show it twice
        repeated = text.lstrip().startswith(title.rstrip("…"))
        self.article_title.setVisible(not repeated)
        self.article_title.setText(title + (f"<br><small>{byline}</small>" if byline else ""))
        self.setWindowTitle(f"{title} — factdesk")
        self.article_view.show_article(article_id, text, claims)
        self.article_view.setFocus()
        self.text_shown.emit()

    def _show_document(self, doc: ImportedDocument) -> None:
        """Show a document that is being stored: its text at once, its claims once on the board."""
        self.article = None
        self.claim_id = None
        self.claims_model.set_records(())
        self.evidence.show_claim(None)
        self._syncing = True
        self.articles_view.clearSelection()
        self._syncing = False
        self._show_text(None, doc.title, doc.outlet, doc.authors, doc.text, ())

    # ---------------------------------------------------------------- importing
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open an article", "", OPEN_FILTER)
        if path:
            self.import_path(path)

    def open_sample(self) -> None:
        from factdesk.paths import sample_article

        self.import_path(str(sample_article()))

    def import_path(self, path: str) -> None:
        self.statusBar().showMessage(f"Importing {Path(path).name}…", 3000)
        self.board.read_file(path, self.add_document)

    def add_document(self, doc: ImportedDocument) -> None:
        """Show an imported document at once and start finding its claims, then store it (one
        action); the claims found go to the board once it has the article."""
        previous = self.article
        self._show_document(doc)
        job = self._start_job(doc.text)
        self._storing += 1

        def failed(exc: BaseException) -> None:
            # nothing was stored: go back to what was on screen and say why
            self._storing -= 1
            if job is not None:
                self._drop_job(job)
            if not self.board.is_open:
                self._show_not_open()  # the window has said why, and offers to try again
                return
            if previous is not None:
                self.open_article(previous.id)
            else:
                self._show_welcome(empty_board=self.articles_model.rowCount() == 0)
            self.show_error(exc)

        self.board.mutate(
            lambda ws: ws.add_document(doc, detect=False), partial(self._imported, job=job), failed
        )

    def paste_article(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        html = mime.html() if mime is not None and mime.hasHtml() else None
        text = mime.text() if mime is not None and mime.hasText() else None
        if not (html or text):
            self.show_error(FactdeskError("The clipboard holds no text to import."))
            return

        from factdesk.importers import read_clipboard

        # a pasted web page goes through trafilatura: not on the GUI thread
        self.board.tasks.io(lambda: read_clipboard(html, text), self.add_document, self.show_error)

    def _imported(self, outcome: Outcome[ArticleRecord], job: str | None) -> None:
        article = outcome.value

        def show(claims: list[ClaimRecord]) -> None:
            self._storing -= 1
            self.show_article(article, claims)
            if job is not None and not claims and self._job_texts.get(job) == article.text:
                self._adopt(job, article.id)
                return
            if job is not None:
                self._drop_job(job)  # the board already had this article, with its claims
            if not claims:
                self.detect(article)

        self.board.read(lambda ws: ws.claims(article.id, include_dismissed=True), show)

    # ---------------------------------------------------------------- detection
    def detect(self, article: ArticleRecord) -> None:
        """Find the claims of an article on the board."""
        job = self._start_job(article.text)
        if job is not None:
            self._adopt(job, article.id)

    def _start_job(self, text: str) -> str | None:
        if self.detector is None:
            self.statusBar().showMessage("Claim detection is not available; mark claims with M.")
            return None
        job = next(self._job_ids)
        self._jobs[job] = None
        self._job_texts[job] = text
        self.progress.setRange(0, 0)
        self._show_progress(True)
        self.detector.submit(job, text)
        return job

    def _adopt(self, job: str, article_id: str) -> None:
        """`job` analyses the article `article_id` on the board: what it finds is stored there."""
        if job not in self._jobs:
            return
        self._jobs[job] = article_id
        self._job_texts.pop(job, None)
        self._flush_found()
        if job in self._ended:
            self._finish(job)

    def _drop_job(self, job: str, *, cancel: bool = True) -> None:
        """Forget a job; with `cancel`, its claims are not wanted and the worker stops on it."""
        if cancel and job in self._jobs and job not in self._ended and self.detector is not None:
            self.detector.cancel(job)
        for table in (self._jobs, self._job_texts, self._found, self._sent):
            table.pop(job, None)
        self._ended.discard(job)
        if not self._jobs:
            self._show_progress(False)

    def _show_progress(self, shown: bool) -> None:
        self.progress.setVisible(shown)
        self.stop_button.setVisible(shown)
        self.act_stop.setEnabled(shown)

    def stop_finding(self) -> None:
        """Stop every analysis under way; the claims found so far are stored and kept."""
        stopped = [job for job in self._jobs if job not in self._ended]
        if not stopped:
            return
        for job in stopped:
            if self.detector is not None:
                self.detector.cancel(job)
            self._finish(job)  # what was found is stored (once its article is, if not yet)
        self.statusBar().showMessage(
            "Stopped finding claims; those found so far are kept. "
            "Claim → Find claims again carries on.",
            8000,
        )

    def find_claims_again(self) -> None:
        """Analyse the article on screen again (after a stop, say); claims already on the
        board are not added twice, dismissed ones stay dismissed."""
        if self.article is None:
            return
        if self.article.id in self._jobs.values():
            self.statusBar().showMessage("Claims are being found in this article already.", 4000)
            return
        self.detect(self.article)

    @Slot(str, int, int, object)
    def _detected_batch(self, job: str, done: int, total: int, candidates: Any) -> None:
        if job not in self._jobs:
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if candidates:
            self._found.setdefault(job, []).extend(candidates)
            if not self._sent.get(job):
                self._flush_found()  # the first highlights at once
            # later batches arrive every ~0.1 s: writing and painting them a few times a second
            # keeps the board's thread from competing with this one for every small batch
            elif not self._flush_timer.isActive():
                self._flush_timer.start()

    def _flush_found(self) -> None:
        """Store the claims found since the last flush (one write per article)."""
        self._flush_timer.stop()
        for job, found in self._found.items():
            article_id = self._jobs.get(job)
            sent = self._sent.get(job, 0)
            if article_id is None or sent == len(found):
                continue  # not on the board yet: stored once it is
            new, earlier = tuple(found[sent:]), tuple(found[:sent])
            self._sent[job] = len(found)
            self.board.mutate(partial(_add_found, article_id=article_id, new=new, earlier=earlier))

    def _finish(self, job: str) -> None:
        """The worker is done with `job`: store the rest of what it found, then let go of it."""
        article_id = self._jobs.get(job)
        if article_id is None:
            self._ended.add(job)  # finished before its article was stored: _adopt finishes it
            return
        self._flush_found()
        self._drop_job(job, cancel=False)
        self._refresh_counts()
        # emitted once the last batch has been written: the database thread runs in order
        self.board.read(lambda ws: None, lambda _r: self.detection_finished.emit(article_id))

    @Slot(str)
    def _detection_done(self, job: str) -> None:
        if job in self._jobs:
            self._finish(job)

    @Slot(str, str)
    def _detection_failed(self, job: str, message: str) -> None:
        if job not in self._jobs:
            return
        self._finish(job)  # what was found before the failure is kept
        self.show_error(FactdeskError(f"Claim detection failed: {message}"))

    # ---------------------------------------------------------------- changes
    @Slot(object)
    def _apply_changes(self, outcome: Outcome[Any]) -> None:
        changes = outcome.changes
        if changes & (Changes.ARTICLES | Changes.CLAIMS | Changes.BOARD):
            if self._jobs and not changes & (Changes.ARTICLES | Changes.BOARD):
                # claims streaming in: the counts follow once a second, not with every write
                if not self._counts_timer.isActive():
                    self._counts_timer.start()
            else:
                self._refresh_counts()
        whole = isinstance(outcome.value, str) or changes & Changes.BOARD  # undo / redo
        if self.article is not None and changes & Changes.CLAIMS:
            if whole or not outcome.claim_ids:
                self._reload_claims()
            else:
                self._refresh_claims(outcome)
        if (
            self.claim_id is not None
            and changes & (Changes.EVIDENCE | Changes.HISTORY | Changes.CLAIMS)
            and (whole or not outcome.claim_ids or self.claim_id in outcome.claim_ids)
        ):
            self._load_claim_details(self.claim_id)
        self._refresh_undo()

    def _refresh_counts(self) -> None:
        """The articles list with its counts, and the counts in the status bar."""
        self._counts_timer.stop()
        if self.board.is_open:
            self.reload_articles()
            self.board.read(lambda ws: ws.info(), self._show_info)

    def _refresh_claims(self, outcome: Outcome[Any]) -> None:
        value = outcome.value
        records: list[ClaimRecord] | None = None
        if isinstance(value, ClaimRecord):
            records = [value]
        elif isinstance(value, list) and all(isinstance(v, ClaimRecord) for v in value):
            records = value
        if records is not None and {r.id for r in records} >= set(outcome.claim_ids):
            self._claims_changed(records)
            return
        ids = sorted(outcome.claim_ids)
        self.board.read(lambda ws: [ws.claim(i) for i in ids], self._claims_changed)

    def _claims_changed(self, records: Sequence[ClaimRecord]) -> None:
        if self.article is None:
            return
        mine = [r for r in records if r.article_id == self.article.id]
        if not mine:
            return
        self.claims_model.upsert(mine)
        self.article_view.highlighter.update_claims(mine)
        current = next((r for r in mine if r.id == self.claim_id), None)
        if current is not None:
            self.evidence.show_claim(current)

    def _reload_claims(self) -> None:
        if self.article is None:
            return
        article_id = self.article.id

        def show(claims: list[ClaimRecord]) -> None:
            if self.article is None or self.article.id != article_id:
                return
            selected = self.claim_id
            self.claims_model.set_records(claims)
            self.article_view.highlighter.set_claims(claims)
            if selected is not None and self.claims_model.row_of(selected) >= 0:
                self.select_claim(selected)
            else:
                self.claim_id = None
                self.evidence.show_claim(None)

        self.board.read(lambda ws: ws.claims(article_id, include_dismissed=True), show)

    def _refresh_undo(self) -> None:
        def show(status: Any) -> None:
            self.act_undo.setEnabled(status.can_undo)
            self.act_undo.setText(f"&Undo {status.undo_label}" if status.can_undo else "&Undo")
            self.act_redo.setEnabled(status.can_redo)
            self.act_redo.setText(f"&Redo {status.redo_label}" if status.can_redo else "&Redo")

        if self.board.is_open:
            self.board.read(lambda ws: ws.undo_status(), show)

    # ---------------------------------------------------------------- selection
    def select_claim(self, claim_id: str | None) -> None:
        """Select a claim everywhere: table row, article highlight, evidence board."""
        self.claim_id = claim_id
        self.article_view.highlighter.select(claim_id)
        row = self.claims_model.row_of(claim_id) if claim_id else -1
        record = self.claims_model.record(row) if row >= 0 else None
        self._syncing = True
        try:
            if row >= 0:
                proxy_index = self.claims_proxy.mapFromSource(self.claims_model.index(row, 0))
                if proxy_index.isValid():
                    self.claims_view.selectionModel().setCurrentIndex(
                        proxy_index,
                        QItemSelectionModel.SelectionFlag.ClearAndSelect
                        | QItemSelectionModel.SelectionFlag.Rows,
                    )
                    self.claims_view.scrollTo(proxy_index)
                else:
                    self.claims_view.clearSelection()
            else:
                self.claims_view.clearSelection()
        finally:
            self._syncing = False
        self.evidence.show_claim(record)
        if claim_id is not None:
            self.article_view.scroll_to_claim(claim_id)
            self._load_claim_details(claim_id)
            self.claim_selected.emit(claim_id)

    def _claim_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        record = self.claims_proxy.data(current, RecordRole)
        if record is not None and record.id != self.claim_id:
            self.select_claim(record.id)

    def _load_claim_details(self, claim_id: str) -> None:
        def load(ws: Workspace) -> tuple[Any, Any]:
            return ws.evidence(claim_id), ws.history(claim_id=claim_id)

        def show(result: tuple[Any, Any]) -> None:
            if self.claim_id == claim_id:
                self.evidence.set_evidence(result[0])
                self.evidence.set_history(result[1])

        self.board.read(load, show)

    def _step(self, delta: int) -> None:
        rows = self.claims_proxy.rowCount()
        if rows == 0:
            return
        current = self.claims_view.currentIndex()
        selected = current.isValid() and self.claim_id is not None
        row = (current.row() + delta) if selected else (0 if delta > 0 else rows - 1)
        row = max(0, min(rows - 1, row))
        record = self.claims_proxy.data(self.claims_proxy.index(row, 0), RecordRole)
        self.select_claim(record.id)

    def next_claim(self) -> None:
        self._step(1)

    def previous_claim(self) -> None:
        self._step(-1)

    def _selected_claim(self) -> ClaimRecord | None:
        if self.claim_id is None:
            self.statusBar().showMessage("Select a claim first (J / K or click one).", 4000)
            return None
        row = self.claims_model.row_of(self.claim_id)
        return self.claims_model.record(row) if row >= 0 else None

    # ---------------------------------------------------------------- claim actions
    def set_status(self, status: ClaimStatus) -> None:
        claim = self._selected_claim()
        if claim is not None and claim.status is not status:
            self.board.mutate(lambda ws: ws.set_status(claim.id, status))

    def _edit_claim(self, **fields: Any) -> None:
        claim = self._selected_claim()
        if claim is not None:
            self.board.mutate(lambda ws: ws.edit_claim(claim.id, **fields))

    def edit_explanation(self) -> None:
        if self._selected_claim() is not None:
            self._remember_loop_focus()
            self.evidence.focus_explanation()

    def add_evidence(self) -> None:
        if self._selected_claim() is not None:
            self._remember_loop_focus()
            self.evidence.focus_add_evidence()

    def _remember_loop_focus(self) -> None:
        focus = QApplication.focusWidget()
        if focus in (self.article_view, self.claims_view):
            self._loop_focus = focus

    def return_to_claims(self) -> None:
        """Escape from a field of the evidence board: the article or claims table that had the
        keyboard before E / A gets it back, so the next J / V / D drive the loop."""
        target = self._loop_focus if self._loop_focus is not None else self.claims_view
        if not target.isVisible():
            target = self.claims_view
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def attach_url(self, form: dict[str, Any]) -> None:
        claim = self._selected_claim()
        if claim is None:
            return
        self.board.mutate(
            lambda ws: ws.attach_url(
                claim.id,
                form["url"],
                quote=form.get("quote", ""),
                title=form.get("title", ""),
                publisher=form.get("publisher", ""),
                stance=form.get("stance", Stance.UNSET),
            ),
            lambda _o: self.evidence.clear_form(),
        )

    def attach_files(self, paths: Sequence[str], stance: Stance) -> None:
        claim = self._selected_claim()
        if claim is None:
            return
        for path in paths:
            self.board.mutate(partial(_attach_file, claim_id=claim.id, path=path, stance=stance))

    def attach_note(self, text: str, stance: Stance) -> None:
        claim = self._selected_claim()
        if claim is not None:
            self.board.mutate(
                lambda ws: ws.attach_note(claim.id, text, stance=stance),
                lambda _o: self.evidence.clear_form(),
            )

    def unlink_evidence(self, link_id: str) -> None:
        self.board.mutate(lambda ws: ws.unlink_evidence(link_id))

    def mark_selection(self) -> None:
        if self.article is None:
            return
        selected = self.article_view.selected_range()
        if selected is None:
            self.statusBar().showMessage(
                "Select the words of the claim in the article, then M.", 4000
            )
            return
        start, end = trim_span(self.article.text, *selected)
        if start == end:
            return
        article_id = self.article.id
        self.board.mutate(
            lambda ws: ws.mark_claim(article_id, start, end),
            lambda o: self.select_claim(o.value.id),
        )

    def toggle_dismissed(self) -> None:
        claim = self._selected_claim()
        if claim is None:
            return
        if claim.dismissed:
            self.board.mutate(lambda ws: ws.restore_claim(claim.id))
            return
        # move on to the next claim, as a journalist clearing noise expects
        proxy_row = self.claims_view.currentIndex().row()
        self.board.mutate(
            lambda ws: ws.dismiss_claim(claim.id), lambda _o: self._after_dismiss(proxy_row)
        )

    def _after_dismiss(self, proxy_row: int) -> None:
        rows = self.claims_proxy.rowCount()
        if rows == 0:
            self.select_claim(None)
            return
        record = self.claims_proxy.data(
            self.claims_proxy.index(min(proxy_row, rows - 1), 0), RecordRole
        )
        self.select_claim(record.id)

    def undo(self) -> None:
        self.board.mutate(lambda ws: ws.undo(), self._undone)

    def redo(self) -> None:
        self.board.mutate(lambda ws: ws.redo(), self._undone)

    def _undone(self, outcome: Outcome[Any]) -> None:
        if outcome.value:
            self.statusBar().showMessage(str(outcome.value), 4000)

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
            self.statusBar().showMessage("Nothing on the board matches.", 3000)

    def _search_hit_activated(self, index: QModelIndex) -> None:
        hit = self.search_model.data(index, RecordRole)
        if hit is None or hit.article_id is None:
            return
        self.go_to(hit.article_id, hit.claim_id)

    def go_to(self, article_id: str, claim_id: str | None) -> None:
        def select() -> None:
            if claim_id is not None:
                self.select_claim(claim_id)

        if self.article is not None and self.article.id == article_id:
            select()
        else:
            self.open_article(article_id, select)

    # ---------------------------------------------------------------- help, errors, drops
    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(shortcut_rows(self.shortcut_sections), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    @Slot(object)
    def export_report(self) -> ExportDialog | None:
        """File -> Export: a preview of the report for this article (or the board), then save."""
        if not self.board.is_open:
            return None
        from factdesk.gui.export_dialog import ExportDialog

        article = self.article
        dialog = ExportDialog(
            self.board, article.id if article else None, article.title if article else "", self
        )
        dialog.accepted.connect(
            lambda: self.statusBar().showMessage(
                "Wrote " + ", ".join(str(p) for p in dialog.written), 8000
            )
        )
        dialog.open()
        return dialog

    def edit_settings(self) -> None:
        """File -> Settings: reviewer, organisation, the published fact-checks' URL pattern."""
        if self.board.is_open:
            from factdesk.gui.settings_dialog import open_settings

            open_settings(self, self.board)

    def show_error(self, exc: BaseException) -> None:
        if isinstance(exc, FactdeskError):
            title, text = "factdesk", str(exc)
        else:
            log.error("unexpected error", exc_info=exc)
            title, text = (
                "Unexpected error",
                f"{type(exc).__name__}: {exc}\n\nDetails are in the log.",
            )
        self.statusBar().showMessage(text.splitlines()[0], 8000)
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setObjectName("error_box")
        box.open()

    def dragEnterEvent(self, e: QDragEnterEvent) -> None:
        if any(u.isLocalFile() for u in e.mimeData().urls()):
            e.acceptProposedAction()

    def dropEvent(self, e: QDropEvent) -> None:
        for url in e.mimeData().urls():
            if url.isLocalFile() and Path(url.toLocalFile()).is_file():
                self.import_path(url.toLocalFile())
        e.acceptProposedAction()

    def showEvent(self, e: Any) -> None:
        super().showEvent(e)
        if self.detector is not None:
            # load spaCy in the worker while the journalist looks at the window
            QTimer.singleShot(50, self.detector.warm_up)
