"""The one background-work idiom of the window: database work on one serial thread, file and
network I/O on a small pool, results and errors delivered on the GUI thread by signal.

Claim detection runs in a separate process (see `detection.py`); spaCy in a thread of this process
stalls the event loop for tens of milliseconds at a time.

`SyncTasks` runs everything at once in the calling thread, for tests that want no waiting.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class Tasks(QObject):
    """Runs callables off the GUI thread and calls `then(result)` or `error(exc)` on the GUI thread.

    Everything touching the board goes through `db()`: one thread, in submission order, so the
    Workspace (and its SQLite connection) is only ever used from that thread.
    """

    # (callback, argument): emitted from a worker thread, delivered queued on the GUI thread
    _delivered = Signal(object)
    failed = Signal(object)  # an exception no caller handled

    def __init__(self, parent: QObject | None = None, *, io_workers: int = 2) -> None:
        super().__init__(parent)
        self._io_workers = io_workers
        # made at the first task (the window's frame is shown before: concurrent.futures and
        # queue take 3-4 ms to import)
        self._pools: dict[str, ThreadPoolExecutor] = {}
        self._pools_lock = threading.Lock()  # one database thread, whoever asks first
        self._closed = False
        self._delivered.connect(self._deliver)

    def _pool(self, name: str) -> ThreadPoolExecutor:
        with self._pools_lock:
            pool = self._pools.get(name)
            if pool is None:
                from concurrent.futures import ThreadPoolExecutor

                workers = 1 if name == "db" else self._io_workers
                pool = self._pools[name] = ThreadPoolExecutor(
                    max_workers=workers, thread_name_prefix=f"factdesk-{name}"
                )
            return pool

    def db(
        self, fn: Callable[[], Any], then: Done | None = None, error: Failed | None = None
    ) -> None:
        self._submit(self._pool("db"), fn, then, error)

    def io(
        self, fn: Callable[[], Any], then: Done | None = None, error: Failed | None = None
    ) -> None:
        self._submit(self._pool("io"), fn, then, error)

    def db_sync(self, fn: Callable[[], Any]) -> Any:
        """Run `fn` on the database thread and wait: only for shutdown, where waiting is the point."""
        return self._pool("db").submit(fn).result()

    def _submit(
        self,
        pool: ThreadPoolExecutor,
        fn: Callable[[], Any],
        then: Done | None,
        error: Failed | None,
    ) -> None:
        if self._closed:
            return
        future = pool.submit(fn)
        future.add_done_callback(lambda f: self._finished(f, then, error))

    def _finished(self, future: Future[Any], then: Done | None, error: Failed | None) -> None:
        exc = future.exception()
        if exc is not None:
            handler: Callable[[Any], None] = error if error is not None else self.failed.emit
            self._delivered.emit((handler, exc))
        elif then is not None:
            self._delivered.emit((then, future.result()))

    @Slot(object)
    def _deliver(self, item: tuple[Callable[[Any], None], Any]) -> None:
        callback, value = item
        callback(value)

    def shutdown(self) -> None:
        """Finish queued database work (nothing is lost), drop pending I/O."""
        self._closed = True
        if "io" in self._pools:
            self._pools["io"].shutdown(wait=False, cancel_futures=True)
        if "db" in self._pools:
            self._pools["db"].shutdown(wait=True)


class SyncTasks(Tasks):
    """Runs every task at once in the calling thread; callbacks are called before `db()` returns."""

    def _submit(
        self,
        pool: ThreadPoolExecutor,
        fn: Callable[[], Any],
        then: Done | None,
        error: Failed | None,
    ) -> None:
        if self._closed:
            return
        try:
            result = fn()
        except Exception as exc:
            (error if error is not None else self.failed.emit)(exc)
            return
        if then is not None:
            then(result)

    def db_sync(self, fn: Callable[[], Any]) -> Any:
        return fn()
