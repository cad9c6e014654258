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

# QtCore.Qt, not Qt: the frame is shown before the `Qt` namespace is made (see frame.py)
from PySide6 import QtCore
from PySide6.QtCore import QByteArray, QDeadlineTimer, QEventLoop, QSettings, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QSplitter, QWidget

from factdesk.domain import FactdeskError, KeyUnavailableError
from factdesk.gui.actions import build_actions, menu_titles, shortcut_rows, undo_texts
from factdesk.gui.board import BoardClient
from factdesk.gui.frame import PriorityBar, new_splitter, titled
from factdesk.gui.status_bar import StatusBar

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent

    from factdesk.domain import ArticleRecord, ArticleSummary, BoardInfo
    from factdesk.gui.detection import DetectionProcess
    from factdesk.gui.export_dialog import ExportDialog
    from factdesk.gui.shortcuts import ShortcutsDialog

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
        build: bool = True,
    ) -> None:
        """`build=False`: only the frame, laid out as the window will be (`show_frame_first`)."""
        super().__init__(parent)
        self.board = board
        self.detector = detector
        self.info: BoardInfo | None = None
        self._open_error: BaseException | None = None
        self._state = QSettings(str(state_file), QSettings.Format.IniFormat) if state_file else None
        self.built = False
        self.setWindowTitle("factdesk")
        self._frame()
        if build:
            self.build()

    # ---------------------------------------------------------------- composition
    def _frame(self) -> None:
        """Menus, toolbar, status bar and the three panes at their sizes, with empty panes."""
        for title in menu_titles():
            self.menuBar().addMenu(f"&{title}")
        self.priority_bar = PriorityBar(self)
        self.addToolBar(self.priority_bar)
        self.status = StatusBar(self._stop_finding)
        self.setStatusBar(self.status)
        left = new_splitter("left_splitter", "Vertical")
        left.addWidget(titled("Articles"))
        left.addWidget(titled("Search"))
        left.setStretchFactor(0, 3)  # as the articles panel's own
        left.setStretchFactor(1, 2)
        middle = new_splitter("middle_splitter", "Vertical")
        middle.addWidget(QWidget())
        middle.addWidget(QWidget())
        self.splitter = new_splitter("main_splitter", "Horizontal")
        self.splitter.addWidget(left)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(titled("Evidence board"))
        self._middle = middle
        self._stretch()
        self.splitters: tuple[QSplitter, ...] = (self.splitter, left, middle)
        self.setCentralWidget(self.splitter)
        width = self._fit_to_screen(1400, 860)
        self._first_sizes = [int(width * f) for f in (0.19, 0.5, 0.31)]
        self.splitter.setSizes(self._first_sizes)
        self._restore_geometry()

    def build(self) -> None:
        """Build the panels into the frame (at once, or once the frame is on screen)."""
        if self.built:
            return
        from factdesk.gui.article_panel import ArticlePanel
        from factdesk.gui.articles_panel import ArticlesPanel
        from factdesk.gui.background_match import BackgroundMatching
        from factdesk.gui.claims_panel import ClaimsPanel
        from factdesk.gui.evidence_panel import EvidencePanel
        from factdesk.gui.factcheck_import import FactCheckImport
        from factdesk.gui.intake import Intake
        from factdesk.gui.lock_notice import LockNotice
        from factdesk.gui.seen_before import SeenBeforePanel
        from factdesk.gui.selection import Selection
        from factdesk.gui.strong_matches import StrongMatches
        from factdesk.gui.sync_controller import SyncController
        from factdesk.gui.verdicts import Verdicts

        board, detector = self.board, self.detector
        self.setAcceptDrops(True)
        self.selection = Selection(self)
        self.intake = Intake(board, self.selection, detector, self)
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
        self.menuBar().clear()  # the frame's titles, now with their commands
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
        self.built = True
        if self.isVisible():
            self._warm_up()

    def _layout(self) -> None:
        """The panels take the frame's panes, at the sizes the panes have."""
        self.evidence_pane = titled("Evidence board", self.evidence)
        shown = self.isVisible()
        sizes = self.splitter.sizes(), self._middle.sizes(), self.splitters[1].sizes()
        for splitter, index, panel in (
            (self.splitter, 0, self.articles),
            (self._middle, 0, self.article),
            (self._middle, 1, self.claims),
            (self.splitter, 2, self.evidence_pane),
        ):
            # the panels stay referenced (self.*): PySide does not pass their ownership on here
            pane = splitter.replaceWidget(index, panel)
            if pane is not None:
                pane.deleteLater()
        self._stretch()  # a stretch factor belongs to the pane's widget, not its place
        if shown:
            self.splitter.setSizes(sizes[0])
            self._middle.setSizes(sizes[1])
            self.articles.setSizes(sizes[2])
        else:  # a frame never laid out would hand on its panes' default geometry
            self.splitter.setSizes(self._first_sizes)
        self.splitters = (self.splitter, self.articles, self._middle)
        self.priority_bar.chosen.connect(self.claims.set_min_priority)
        self.claims.min_priority_changed.connect(self.priority_bar.show_tier)

    def wait_until_shown(self, timeout_ms: int = 1000) -> None:
        """Return once the frame is on the screen and painted (or after `timeout_ms`), for the
        panels to be built into it next.

        Meanwhile the event loop runs without user input: a key pressed meanwhile waits in the
        queue for the built window, so none is lost or lands in the frame.
        """
        waker = QTimer(self)  # wakes the wait below while nothing else happens
        waker.start(10)
        deadline = QDeadlineTimer(timeout_ms)
        wait = (
            QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents
            | QEventLoop.ProcessEventsFlag.WaitForMoreEvents
        )
        while not self.frame_on_screen() and not deadline.hasExpired():
            QApplication.processEvents(wait)
        waker.stop()
        waker.deleteLater()
        # exposed: the frame is painted by the update this pass delivers
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)

    def frame_on_screen(self) -> bool:
        handle = self.windowHandle()
        return self.isVisible() and handle is not None and handle.isExposed()

    def _stretch(self) -> None:
        for splitter, factors in ((self.splitter, (2, 6, 4)), (self._middle, (3, 2))):
            for index, factor in enumerate(factors):
                splitter.setStretchFactor(index, factor)

    def _stop_finding(self) -> None:
        if self.built:
            self.intake.stop_finding()

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
        self.articles.counts_changed.connect(status.show_counts)
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
        self.article_shown.connect(self._settled)
        self.claims.article_claims_known.connect(self._settled)
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
    def _show_seen(self, article_id: str, matches: dict[str, Any]) -> None:
        """Mark the claims seen before, in the table and the article."""
        from factdesk.gui.strong_matches import mark_text

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
        from factdesk.gui import recovery_dialog

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
                _freeze_startup_heap()

    def _settled(self, *_args: Any) -> None:
        """An article is on screen with all its claims: freeze the start-up heap now (the full
        collection, 0.1-0.2 s holding the GIL, delayed the first article when done at open)."""
        if self.claims.model.knows_all():
            QTimer.singleShot(0, _freeze_startup_heap)

    def open_when_ready(self, path: str | None) -> None:
        """Open `path` (the command line's `factdesk open FILE`) at once: its text shows and its
        claims are sought while the board opens; it is stored once the board is open."""
        if path is not None:
            self.intake.import_path(path)

    @Slot(object)
    def _board_failed(self, exc: BaseException) -> None:
        """Said once, on the page that offers to try again (not in a box and a status too)."""
        from factdesk.gui import recovery_dialog

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
        from factdesk.gui.shortcuts import ShortcutsDialog

        dialog = ShortcutsDialog(shortcut_rows(self.commands), self)
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
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
        box.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
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
    def _restore_geometry(self) -> None:
        """The frame at the size and pane sizes of the last session."""
        if self._state is None:
            return
        geometry = self._state.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        self._restore_splitters()

    def _restore_splitters(self) -> None:
        if self._state is None:
            return
        for splitter in self.splitters:
            sizes = self._state.value(f"splitters/{splitter.objectName()}")
            if isinstance(sizes, QByteArray):
                splitter.restoreState(sizes)

    def _restore_state(self) -> None:
        if self._state is None:
            return
        self._restore_splitters()  # the articles panel's own split
        header = self._state.value("claims_header")
        if isinstance(header, QByteArray):
            self.claims.view.horizontalHeader().restoreState(header)

    def save_state(self) -> None:
        if self._state is None or not self.built:
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
        if self.built:
            self._warm_up()

    def _warm_up(self) -> None:
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
