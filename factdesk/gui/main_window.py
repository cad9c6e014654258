"""The workstation window: it composes the panels and does nothing else.

Articles and search on the left, the article and its claims table in the middle, the evidence
board on the right. The panels share a `Selection` and the `BoardClient`; each follows the board's
`changes_applied(outcome, initiator)` itself. Commands come from the declared action table.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QSplitter, QWidget

from factdesk.domain import (
    ArticleRecord,
    ArticleSummary,
    BoardInfo,
    FactdeskError,
    KeyUnavailableError,
)
from factdesk.gui import recovery_dialog
from factdesk.gui.actions import build_actions, shortcut_rows, undo_texts
from factdesk.gui.article_panel import ArticlePanel
from factdesk.gui.articles_panel import ArticlesPanel, titled
from factdesk.gui.background_match import BackgroundMatching
from factdesk.gui.board import BoardClient
from factdesk.gui.claims_panel import ClaimsPanel
from factdesk.gui.evidence_panel import EvidencePanel
from factdesk.gui.factcheck_import import FactCheckImport
from factdesk.gui.intake import Intake
from factdesk.gui.lock_notice import LockNotice
from factdesk.gui.seen_before import SeenBeforePanel
from factdesk.gui.selection import Selection
from factdesk.gui.shortcuts import ShortcutsDialog
from factdesk.gui.status_bar import StatusBar
from factdesk.gui.strong_matches import StrongMatches, mark_text
from factdesk.gui.sync_controller import SyncController
from factdesk.gui.verdicts import Verdicts

if TYPE_CHECKING:
    from factdesk.gui.detection import DetectionProcess
    from factdesk.gui.export_dialog import ExportDialog

log = logging.getLogger(__name__)

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


class MainWindow(QMainWindow):
    article_shown = Signal(str)  # an article on the board is shown, with its claims
    text_shown = Signal()  # article text is on screen (perhaps before it is stored)
    detection_finished = Signal(str)  # article id

    #: set by create_window: opens the board again (after a cancelled passphrase, say)
    reopen: Callable[[], None] | None = None
    #: set by create_window: show the recovery file of a board this window creates
    recovery_notice = False

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
        self._open_error: BaseException | None = None
        self._state = QSettings(str(state_file), QSettings.Format.IniFormat) if state_file else None
        self.setWindowTitle("factdesk")
        self.setAcceptDrops(True)

        self.selection = Selection(self)
        self.intake = Intake(board, self.selection, detector, self)
        self.status = StatusBar(self.intake.stop_finding)
        self.setStatusBar(self.status)
        self.articles = ArticlesPanel(board, self.selection, streaming=lambda: self.intake.busy)
        self.article = ArticlePanel(
            self.selection,
            open_sample=self.intake.open_sample,
            choose_file=self.intake.choose_file,
            paste_article=self.intake.paste_article,
        )
        self.claims = ClaimsPanel(board, self.selection)
        self.evidence = EvidencePanel()
        self.verdicts = Verdicts(
            board, self.selection, self.claims, self.article.view, self.evidence
        )
        self.seen_before = SeenBeforePanel(board)
        self.evidence.add_section("Seen before", self.seen_before, first=True)
        self.lock_notice = LockNotice(board, self)
        self.factchecks = FactCheckImport(board, self)
        self.strong_matches = StrongMatches(board, self.claims.model.article_claims, self)
        self.seen_before.url_chosen.connect(self.verdicts.attach_url)
        self.seen_before.note_chosen.connect(self.verdicts.attach_note)
        self.selection.claim_changed.connect(
            lambda claim_id: self.seen_before.show_claim(self.claims.record(claim_id))
        )
        self.background_matching = BackgroundMatching(board, detector, self)
        self.sync = SyncController(board, self.claims, self.status, self)
        self._layout()
        self.commands = build_actions(
            self,
            {
                "window": self,
                "intake": self.intake,
                "articles": self.articles,
                "claims": self.claims,
                "verdicts": self.verdicts,
                "sync": self.sync,
                "factchecks": self.factchecks,
            },
        )
        self._wire()
        self._restore_state()

    # ---------------------------------------------------------------- composition
    def _layout(self) -> None:
        middle = QSplitter(Qt.Orientation.Vertical)
        middle.setObjectName("middle_splitter")
        middle.addWidget(self.article)
        middle.addWidget(self.claims)
        middle.setStretchFactor(0, 3)
        middle.setStretchFactor(1, 2)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(self.articles)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(titled("Evidence board", self.evidence))
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 6)
        self.splitter.setStretchFactor(2, 4)
        self.splitters = (self.splitter, self.articles, middle)
        self.setCentralWidget(self.splitter)
        self.addToolBar(self.claims.priority_toolbar())
        width = self._fit_to_screen(1400, 860)
        self.splitter.setSizes([int(width * f) for f in (0.19, 0.5, 0.31)])

    def _wire(self) -> None:
        board, intake, status = self.board, self.intake, self.status
        board.opened.connect(self._board_opened)
        board.open_failed.connect(self._board_failed)
        board.error_raised.connect(self.show_error)
        board.tasks.failed.connect(self.show_error)
        intake.document_opened.connect(self.selection.set_document)
        intake.article_stored.connect(self.selection.set_article)
        intake.store_failed.connect(self._store_failed)
        intake.analysing.connect(status.show_progress)
        intake.analysing.connect(self.commands["stop"].setEnabled)
        intake.progress.connect(status.set_progress)
        intake.message.connect(status.showMessage)
        self.background_matching.message.connect(status.showMessage)
        intake.error.connect(self.show_error)
        intake.detection_finished.connect(self.detection_finished)
        self.articles.summaries_changed.connect(self._show_counts)
        self.articles.hint.connect(lambda text: status.showMessage(text, 3000))
        self.claims.hint.connect(lambda text: status.showMessage(text, 4000))
        self.claims.checked_changed.connect(status.show_checked)
        self.claims.claims_reset.connect(self.article.paint_claims)
        self.claims.claims_updated.connect(self.article.repaint_claims)
        self.claims.min_priority_changed.connect(self.article.show_tiers_from)
        self.verdicts.message.connect(status.showMessage)
        self.verdicts.undo_changed.connect(self._show_undo)
        self.article.text_shown.connect(self.text_shown)
        self.article.title_changed.connect(lambda t: self.setWindowTitle(f"{t} — factdesk"))
        self.selection.article_changed.connect(lambda a, _c: self.article_shown.emit(a.id))
        self.selection.article_changed.connect(self.strong_matches.article_changed)
        intake.detection_finished.connect(self.strong_matches.claims_found)
        # a long article opens on its first page of claims: look again once all are known
        self.claims.article_claims_known.connect(self.strong_matches.claims_found)
        self.factchecks.imported.connect(self.strong_matches.look_again)
        self.factchecks.imported.connect(self.background_matching.schedule)
        self.factchecks.imported.connect(self.sync.refresh)  # "N fact-checks to send"
        self.background_matching.finished.connect(lambda _n: self.strong_matches.look_again())
        self.factchecks.imported.connect(
            lambda: self.seen_before.show_claim(self.claims.record(self.selection.claim_id))
        )
        self.strong_matches.found.connect(self._show_seen)

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

    # ---------------------------------------------------------------- what the panels report
    def _show_counts(self, summaries: Sequence[ArticleSummary]) -> None:
        claims = sum(s.n_claims + s.n_dismissed for s in summaries)
        self.status.show_counts(len(summaries), claims)

    def _show_seen(self, article_id: str, matches: dict[str, Any]) -> None:
        """Mark the claims seen before, in the table and the article."""
        self.claims.model.set_seen({cid: mark_text(m) for cid, m in matches.items()})
        self.article.view.highlighter.set_seen(matches)

    def _show_undo(self, status: Any) -> None:
        undo_text, redo_text = undo_texts(status)
        self.commands["undo"].setEnabled(status.can_undo)
        self.commands["undo"].setText(undo_text)
        self.commands["redo"].setEnabled(status.can_redo)
        self.commands["redo"].setText(redo_text)

    # ---------------------------------------------------------------- the board opening
    @Slot(object)
    def _board_opened(self, info: BoardInfo) -> None:
        _freeze_startup_heap()
        self.info = info
        self.status.show_info(info)
        self.articles.reload(then=self._first_articles)
        if self.recovery_notice:
            recovery_dialog.offer_recovery_file(self.board, self)

    def _first_articles(self, summaries: Sequence[ArticleSummary]) -> None:
        # a document opened at start is on screen already (perhaps still being stored): it stays
        if not self.intake.storing and self.selection.article is None:
            if summaries:
                self.articles.select_first()
            else:
                self.article.show_welcome(empty_board=True)

    def open_when_ready(self, path: str | None) -> None:
        """Open `path` (the command line's `factdesk open FILE`) at once: its text shows and its
        claims are sought while the board opens; it is stored once the board is open."""
        if path is not None:
            self.intake.import_path(path)

    @Slot(object)
    def _board_failed(self, exc: BaseException) -> None:
        """Said once, on the page that offers to try again (not in a box and a status too)."""
        self._open_error = exc
        self.article.reopen = self.reopen
        self.article.show_not_open(str(exc))
        if isinstance(exc, KeyUnavailableError) and self.reopen is not None:
            recovery_dialog.offer_recover(self.board, exc, self.reopen, self)
        if not isinstance(exc, FactdeskError):
            log.error("the board did not open", exc_info=exc)

    def _store_failed(self, previous: ArticleRecord | None, exc: BaseException) -> None:
        """Nothing was stored: go back to what was on screen and say why."""
        if not self.board.is_open:
            # the window has said why the board is not open, and offers to try again
            self.article.reopen = self.reopen
            self.article.show_not_open(str(self._open_error or exc))
            return
        if previous is not None:
            self.articles.open_article(previous.id)
        else:
            self.article.show_welcome(empty_board=self.articles.model.rowCount() == 0)
        self.show_error(exc)

    # ---------------------------------------------------------------- help, reports, errors
    def edit_settings(self) -> None:
        """File -> Settings: reviewer, organisation, the published fact-checks' URL pattern."""
        if self.board.is_open:
            from factdesk.gui.settings_dialog import open_settings

            open_settings(self, self.board)

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(shortcut_rows(self.commands), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def export_report(self) -> ExportDialog | None:
        """File -> Export: a preview of the report for this article (or the board), then save."""
        if not self.board.is_open:
            return None
        from factdesk.gui.export_dialog import ExportDialog

        article = self.selection.article
        dialog = ExportDialog(
            self.board, article.id if article else None, article.title if article else "", self
        )
        dialog.accepted.connect(
            lambda: self.status.showMessage(
                "Wrote " + ", ".join(str(p) for p in dialog.written), 8000
            )
        )
        dialog.open()
        return dialog

    def show_error(self, exc: BaseException) -> None:
        if isinstance(exc, FactdeskError):
            title, text = "factdesk", str(exc)
        else:
            log.error("unexpected error", exc_info=exc)
            title, text = (
                "Unexpected error",
                f"{type(exc).__name__}: {exc}\n\nDetails are in the log.",
            )
        self.status.showMessage(text.splitlines()[0], 8000)
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
                self.intake.import_path(url.toLocalFile())
        e.acceptProposedAction()

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
            self.claims.view.horizontalHeader().restoreState(header)

    def save_state(self) -> None:
        if self._state is None:
            return
        self._state.setValue("geometry", self.saveGeometry())
        for splitter in self.splitters:
            self._state.setValue(f"splitters/{splitter.objectName()}", splitter.saveState())
        self.claims.columns.unsqueezed()  # the widths wanted, not those of a narrow moment
        self._state.setValue("claims_header", self.claims.view.horizontalHeader().saveState())
        self.claims.columns.fit()
        self._state.sync()

    def showEvent(self, e: Any) -> None:
        super().showEvent(e)
        if self.detector is not None:
            # load spaCy in the worker while the journalist looks at the window
            QTimer.singleShot(50, self.detector.warm_up)

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
