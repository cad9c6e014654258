"""Claim detection for the window, in a separate worker process that loads spaCy once.

The process is started when the first job arrives (or by `warm_up()` right after the window is
shown); a listener thread turns its messages into Qt signals delivered on the GUI thread. The same
process computes sentence vectors for matching (`embed`, called from a background thread): the
window's process never loads the encoder.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from factdesk.domain import FactdeskError
from factdesk.gui import detect_worker

if TYPE_CHECKING:
    # numpy is imported on the first embed request, not while the window starts
    import numpy as np

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
        self._embed_keys = itertools.count(1)
        self._stopped = False
        self._embedded: dict[int, _Vectors] = {}
        self._embed_lock = threading.Lock()

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

    # sentences per embed request: one request runs between two detection batches (~0.2 s)
    EMBED_PART = 32

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Sentence vectors computed in the worker process (blocks: call it off the GUI thread).
        Raises FactdeskError if the worker fails or dies meanwhile."""
        import numpy as np

        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        with self._embed_lock:
            if self._stopped:
                raise FactdeskError("The detection worker was stopped (the window is closing).")
            self.warm_up()
            process = self._process
            key = next(self._embed_keys)
            parts = [
                list(texts[i : i + self.EMBED_PART]) for i in range(0, len(texts), self.EMBED_PART)
            ]
            waiting = self._embedded[key] = _Vectors(len(parts))
            for i, part in enumerate(parts):
                self._jobs.put(("embed", (key, i), part))
        try:
            while not waiting.done.wait(0.5):
                # stopped (None) or replaced since: no answer will come from the one asked
                if self._process is not process or not process.is_alive():
                    raise FactdeskError(
                        "The detection worker stopped while computing sentence vectors."
                    )
        finally:
            self._embedded.pop(key, None)
        if waiting.error is not None:
            raise FactdeskError(f"Computing sentence vectors failed: {waiting.error}")
        return np.concatenate([waiting.parts[i] for i in range(len(parts))])

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
            elif kind in ("vectors", "embed_error"):
                (key, part), value = message[1], message[2]
                waiting = self._embedded.get(key)
                if waiting is not None:
                    waiting.deliver(part, value, failed=kind == "embed_error")

    def is_alive(self) -> bool:
        """False once a started worker process has died (not yet started counts as alive)."""
        return self._process is None or self._process.is_alive()

    def _fail_embeds(self) -> None:
        for waiting in list(self._embedded.values()):
            waiting.deliver(0, "the detection worker stopped", failed=True)

    def forget_dead_worker(self) -> None:
        """Let go of a worker process that died; the next job starts a new one."""
        self._fail_embeds()
        if self._results is not None:
            self._results.put(None)  # ends the listener, which waits for a message forever
        if self._listener is not None:
            self._listener.join(timeout=2)
        self._process = self._listener = None
        self.pid = None

    def stop(self) -> None:
        with self._embed_lock:
            self._stopped = True
        self._fail_embeds()
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


class _Vectors:
    """The parts of one embed request as they come back."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.parts: dict[int, np.ndarray] = {}
        self.error: str | None = None
        self.done = threading.Event()

    def deliver(self, part: int, value: Any, *, failed: bool) -> None:
        if failed:
            self.error = str(value)
        else:
            self.parts[part] = value
        if failed or len(self.parts) == self.count:
            self.done.set()


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

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        from factdesk.nlp.encoder import load_encoder

        return load_encoder().embed(list(texts))

    def stop(self) -> None:
        return
