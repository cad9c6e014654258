"""Claim detection for the window, in a separate worker process that loads spaCy once.

The process is started when the first job arrives (or by `warm_up()` right after the window is
shown); a listener thread turns its messages into Qt signals delivered on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal

from factdesk.gui import detect_worker

log = logging.getLogger(__name__)


class DetectionProcess(QObject):
    """Runs `factdesk.nlp.iter_detect` in a child process and streams its batches back."""

    started = Signal(int)  # pid of the worker process, once spaCy's process is up
    # jobs are named by the caller
    batch_ready = Signal(str, int, int, object)  # job, done, total, tuple[ClaimCandidate, ...]
    finished = Signal(str)  # job
    failed = Signal(str, str)  # job, message

    def __init__(
        self, parent: QObject | None = None, *, started: detect_worker.WorkerHandle | None = None
    ) -> None:
        """`started`: a worker process already started by `detect_worker.start()`."""
        super().__init__(parent)
        self._started = started
        self._process: Any = None
        self._jobs: Any = None
        self._results: Any = None
        self._listener: threading.Thread | None = None
        self.pid: int | None = None

    def warm_up(self) -> None:
        """Start the worker process now so that the model is loaded by the first import."""
        if self._process is not None:
            return
        handle, self._started = self._started or detect_worker.start(), None
        self._process, self._jobs, self._results = handle
        self._listener = threading.Thread(
            target=self._listen, args=(self._results,), name="factdesk-detect-listener", daemon=True
        )
        self._listener.start()

    def submit(self, job: str, text: str) -> None:
        self.warm_up()
        self._jobs.put(("detect", job, text))

    def cancel(self, job: str) -> None:
        """Stop `job` after its current batch; nothing more is sent for it."""
        if self._process is not None:
            self._jobs.put(("cancel", job))

    def _listen(self, results: Any) -> None:
        while True:
            try:
                message = results.get()
            except (EOFError, OSError):
                return
            if message is None:
                return
            kind = message[0]
            if kind == "ready":
                self.pid = message[1]
                self.started.emit(message[1])
            elif kind == "batch":
                _, job_id, done, total, candidates = message
                self.batch_ready.emit(job_id, done, total, candidates)
            elif kind == "done":
                self.finished.emit(message[1])
            elif kind == "error":
                self.failed.emit(message[1], message[2])

    def is_alive(self) -> bool:
        """False once a started worker process has died (not yet started counts as alive)."""
        return self._process is None or self._process.is_alive()

    def forget_dead_worker(self) -> None:
        """Let go of a worker process that died; the next job starts a new one."""
        if self._results is not None:
            self._results.put(None)  # ends the listener, which waits for a message forever
        if self._listener is not None:
            self._listener.join(timeout=2)
        self._process = self._listener = None
        self.pid = None

    def stop(self) -> None:
        if self._process is None:
            return
        self._jobs.put(None)
        self._process.join(timeout=3)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=2)
        self._results.put(None)
        if self._listener is not None:
            self._listener.join(timeout=2)
        self._process = None


class InlineDetection(DetectionProcess):
    """Detects in the calling thread, emitting the same signals before `submit` returns.

    For tests with `SyncTasks`, where a deterministic order matters more than a free event loop.
    """

    def warm_up(self) -> None:
        return

    def submit(self, job: str, text: str) -> None:
        from factdesk.nlp import iter_detect

        try:
            for batch in iter_detect(text):
                self.batch_ready.emit(job, batch.done, batch.total, tuple(batch.candidates))
        except Exception as exc:
            self.failed.emit(job, f"{type(exc).__name__}: {exc}")
            return
        self.finished.emit(job)

    def cancel(self, job: str) -> None:
        return  # jobs are over by the time submit returns

    def stop(self) -> None:
        return
