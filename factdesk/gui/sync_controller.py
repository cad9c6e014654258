"""The window's side of sync with the desk's team board: the Sync command (run on the I/O pool, so
the journalist keeps working on the database thread meanwhile), the status bar's "synced 5 min ago
· 3 changes to send", progress while it runs, conflicted claims marked in the claims table, and the
resolve dialog for the selected claim."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit, QProgressBar, QWidget

from factdesk.domain import BoardInfo, Changes, FactdeskError, Outcome
from factdesk.domain.sync import SyncReport, SyncStatus
from factdesk.gui.board import BoardClient, PassphrasePrompter

if TYPE_CHECKING:
    from factdesk.gui.claims_panel import ClaimsPanel
    from factdesk.gui.status_bar import StatusBar
    from factdesk.services import Workspace

EVERYTHING = Changes.ARTICLES | Changes.CLAIMS | Changes.EVIDENCE | Changes.HISTORY | Changes.BOARD


def ago(when: str, now: datetime) -> str:
    """'just now', '5 min ago', '3 h ago', or the date of an older sync."""
    try:
        then = datetime.fromisoformat(when)
    except ValueError:
        return "at an unknown time"
    seconds = (now - then).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    return "on " + then.date().isoformat()


def status_text(status: SyncStatus, now: datetime) -> str:
    """The status bar's sync line: when it last synced, what is waiting, what is in conflict."""
    head = f"synced {ago(status.synced_at, now)}" if status.synced_at else "not synced yet"
    n, f = status.to_send, status.factchecks_to_send
    waiting = [f"{n} change{'s' if n != 1 else ''}"] if n else []
    if f:
        waiting.append(f"{f:,} fact-check{'s' if f != 1 else ''}")
    parts = [head, " and ".join(waiting) + " to send" if waiting else "nothing to send"]
    if status.open_conflicts:
        c = status.open_conflicts
        parts.append(f"{c} conflict{'s' if c != 1 else ''}")
    return " · ".join(parts)


class SyncController(QObject):
    """Runs syncs, shows their state, and keeps the claims table's conflict marks current."""

    progressed = Signal(str, int, int)  # from the sync's thread: what, done, total
    synced = Signal(object)  # the SyncReport of a finished sync
    status_shown = Signal(str)

    def __init__(
        self,
        board: BoardClient,
        claims: ClaimsPanel,
        status_bar: StatusBar,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.board = board
        self.claims = claims
        self.window = parent
        self.running = False
        self.status: SyncStatus | None = None
        self.label = QLabel()
        self.label.setObjectName("sync_status")
        self.label.setToolTip("Sync with the desk's team board: File → Sync (Ctrl+Shift+S)")
        self.label.hide()
        self.bar = QProgressBar()
        self.bar.setObjectName("sync_progress")
        self.bar.setMaximumWidth(200)
        self.bar.setFormat("Syncing %p%")
        self.bar.hide()
        status_bar.addPermanentWidget(self.bar)
        status_bar.addPermanentWidget(self.label)
        self._message = status_bar.showMessage
        self._prompt = PassphrasePrompter(parent)
        self.progressed.connect(self._progress)
        claims.selection.claim_changed.connect(self._claim_selected)
        board.opened.connect(self._opened)
        board.changes_applied.connect(self._changes_applied)
        self._clock = QTimer(self)
        self._clock.setInterval(60_000)  # "5 min ago" stays true
        self._clock.timeout.connect(self._show_status)
        self.enabled = False

    # ---------------------------------------------------------------- state shown
    def _opened(self, info: BoardInfo) -> None:
        # a team board is the server itself; only a laptop board syncs
        self.enabled = info.backend == "sqlite"
        if self.enabled:
            self._clock.start()
            self.refresh()

    def _changes_applied(self, outcome: Outcome[Any], _initiator: object) -> None:
        if self.enabled and outcome.changes & (Changes.HISTORY | Changes.BOARD):
            self.refresh()

    def refresh(self) -> None:
        def read(ws: Workspace) -> tuple[SyncStatus, set[str]]:
            # nothing is shown before a first sync: don't count a whole history to hide it
            return ws.sync_status(count_unsynced=False), ws.conflicted_claims()

        self.board.read(read, self._show)

    def _show(self, result: tuple[SyncStatus, set[str]]) -> None:
        self.status, conflicted = result
        self.claims.model.set_conflicted(conflicted)
        self._show_status()

    def _show_status(self) -> None:
        if self.status is None or self.running:
            return
        text = status_text(self.status, datetime.now(UTC))
        self.label.setText(text)
        self.label.setVisible(bool(self.status.url))
        self.status_shown.emit(text)

    def _claim_selected(self, claim_id: str | None) -> None:
        if claim_id is not None and claim_id in self.claims.model.conflicted:
            self._message(
                "Changed here and on the team board: Ctrl+Shift+R shows both versions", 8000
            )

    def _progress(self, what: str, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.bar.setFormat(f"{what.capitalize()} %p%")

    # ---------------------------------------------------------------- the command
    def sync_now(self, url: str | None = None) -> None:
        """File → Sync: with the remembered team board, else ask for its address once."""
        if not self.enabled or self.running:
            return
        if url is None and (self.status is None or not self.status.url):
            url, ok = QInputDialog.getText(
                self.window,
                "Sync with the team board",
                "The desk's team board (ask your editor), e.g.\n"
                "postgresql://you@desk-server/factdesk",
                QLineEdit.EchoMode.Normal,
            )
            if not ok or not url.strip():
                return
            url = url.strip()
        ws = self.board.ws
        if ws is None:
            return
        self.running = True
        self.bar.setRange(0, 0)
        self.bar.show()
        self.label.setText("syncing…")
        self.label.show()

        def work() -> SyncReport:
            return ws.sync(url, progress=self.progressed.emit, passphrase=self._prompt)

        # the I/O pool, not the database thread: the journalist's edits go on meanwhile
        self.board.tasks.io(work, self._done, self._failed)

    def _done(self, report: SyncReport) -> None:
        self.running = False
        self.bar.hide()
        if report.moved:
            self.board.changes_applied.emit(Outcome(report, EVERYTHING), self)
            self._message(
                f"Synced: received {report.pulled}, sent {report.pushed} changes"
                + (f", {report.conflicts} new conflicts" if report.conflicts else ""),
                8000,
            )
        else:
            self._message("Already in sync with the team board.", 5000)
        self.refresh()
        self.synced.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self.bar.hide()
        self.refresh()
        self.board.error_raised.emit(
            exc if isinstance(exc, FactdeskError) else FactdeskError(f"Sync failed: {exc}")
        )

    # ---------------------------------------------------------------- conflicts
    def resolve_selected(self) -> Any:
        """Claim → Resolve conflict: mine and theirs side by side for the selected claim."""
        claim = self.claims.selected()
        if claim is None:
            self._message("Select a claim in conflict first.", 4000)
            return None
        if claim.id not in self.claims.model.conflicted:
            self._message("This claim has no sync conflict.", 4000)
            return None
        from factdesk.gui.sync_dialog import ConflictDialog

        def show(conflicts: list[Any]) -> None:
            dialog = ConflictDialog(claim, conflicts, self.window)
            dialog.chosen.connect(lambda keep: self.resolve(claim.id, keep))
            dialog.open()
            self.dialog = dialog

        self.board.read(lambda ws: ws.conflicts(claim.id), show)
        return True

    def resolve(self, claim_id: str, keep: str) -> None:
        self.board.mutate(lambda ws: ws.resolve_conflict(claim_id, keep), initiator=self)
