"""The matching index kept complete in the background while the journalist works.

When the board opens and whenever claims arrive (or fact-checks: `schedule()`), the sentence
vectors still missing are computed by the detection worker process, a chunk at a time, from a
thread of the I/O pool; the window's process only stores them (a few milliseconds per chunk), so
the GUI thread never waits. The status bar shows how far it got. Nothing is computed while the
board has nothing to compare a claim with (no fact-checks and a single article).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from factdesk.domain import Changes, Outcome
from factdesk.gui.board import BoardClient

if TYPE_CHECKING:
    import numpy as np

    from factdesk.gui.detection import DetectionProcess

# claims come in bursts while an article is analysed: wait for a pause
SETTLE_MS = 2000
_WANTED = Changes.CLAIMS | Changes.ARTICLES | Changes.UNDO_APPLIED


class WorkerEncoder:
    """The encoder as matching sees it, run by the detection worker process."""

    def __init__(self, detector: DetectionProcess) -> None:
        # the services (SQLAlchemy, numpy) are imported when the board opens, not at start-up
        from factdesk.services import matching

        self._detector = detector
        self.version = matching.encoder_version()

    def embed(self, texts: Sequence[str], **_options: Any) -> np.ndarray:
        return self._detector.embed(texts)

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


class BackgroundMatching(QObject):
    """Completes the index after the board opens and when claims or fact-checks arrive, and
    reports every refresh of the board's Matcher (whoever runs it: the Seen before section and
    the strong-match marks refresh too) in the status bar."""

    progress = Signal(int, int)  # vectors computed, of (emitted from the refreshing thread)
    message = Signal(str, int)  # status-bar text, milliseconds
    finished = Signal(int)  # a refresh completed the index, having computed this many

    def __init__(
        self, board: BoardClient, detector: DetectionProcess | None, parent: QObject | None
    ) -> None:
        super().__init__(parent)
        self.board = board
        self.detector = detector
        self._matcher: Any = None
        self._running = False
        self._again = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self._start)
        self.progress.connect(self._show_progress)
        if detector is not None:
            board.opened.connect(self._opened)
            board.changes_applied.connect(self._changed)

    def _opened(self, *_info: Any) -> None:
        assert self.detector is not None
        encoder = WorkerEncoder(self.detector)

        def use(matcher: Any) -> None:
            self._matcher = matcher
            matcher.watch(lambda _what, done, total: self.progress.emit(done, total))
            self.schedule()

        self.board.read(lambda ws: ws.matcher(encoder), use)

    def _changed(self, outcome: Outcome[Any], _initiator: object) -> None:
        if outcome.changes & _WANTED:
            self.schedule()

    def schedule(self) -> None:
        """Bring the index up to date once things settle (after an import of fact-checks, say)."""
        if self._matcher is not None:
            self._timer.start()

    def _start(self) -> None:
        if self._running:
            self._again = True
            return

        def wanted(ws: Any) -> bool:
            return len(ws.factcheck_collections()) + ws.board_counts()[0] > 1

        self.board.read(wanted, self._run)

    def _run(self, wanted: bool) -> None:
        if not wanted or self._running or self._matcher is None:
            return
        self._running = True
        matcher = self._matcher

        self.board.tasks.io(matcher.refresh, self._done, self._failed)

    def _show_progress(self, done: int, total: int) -> None:
        if done < total:
            self.message.emit(f"Matching index: {done:,} of {total:,} sentences", 0)
            return
        self.message.emit(f"Matching index complete ({done:,} sentences added).", 4000)
        self.finished.emit(done)

    def _done(self, _computed: int) -> None:
        """Our refresh returned: the index is complete, or another thread's refresh is
        completing it (and reports through the watcher)."""
        self._running = False
        if self._again:
            self._again = False
            self.schedule()

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        self.message.emit(f"The matching index could not be completed: {exc}", 8000)
