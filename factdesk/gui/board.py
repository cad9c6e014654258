"""The window's handle on the board: every Workspace call runs on the database thread, results
come back on the GUI thread, and every mutation's Outcome is broadcast as `changes_applied`.

The Workspace is created on the database thread and used only there; the window holds records.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from factdesk.domain import BoardLockedError
from factdesk.gui.tasks import Tasks

if TYPE_CHECKING:
    from factdesk.domain import Outcome
    from factdesk.services import Workspace

Prompt = Callable[[str], "str | None"]
WorkspaceFactory = Callable[[Prompt], "Workspace"]


@dataclass(frozen=True)
class PendingWrite:
    """A user action that waited too long for another program's write lock, kept to retry."""

    label: str  # what it was, as the notice names it ("the change")
    retry: Callable[[], None]
    give_up: Callable[[], None]


class BoardClient(QObject):
    """The window's client of the board: Workspace calls queued on the database thread."""

    opened = Signal(object)  # the BoardInfo of the opened board
    open_failed = Signal(object)  # why the board could not be opened
    # the Outcome of every mutation, in order, with the object that asked for it (or None); each
    # view decides for itself whether it cares (as Anki's operation_did_execute handlers do)
    changes_applied = Signal(object, object)
    error_raised = Signal(object)  # an exception from a board call
    # a PendingWrite: an action refused because another program is writing to the board; only
    # when `keep_locked_writes` (set by whoever shows and retries them, the LockNotice)
    write_locked = Signal(object)

    def __init__(
        self, tasks: Tasks, parent: QObject | None = None, *, home: str | None = None
    ) -> None:
        """`home`: factdesk's home directory (None: the default), for the user's settings."""
        super().__init__(parent)
        self.tasks = tasks
        self.home = home
        self.ws: Workspace | None = None
        self.keep_locked_writes = False

    @property
    def is_open(self) -> bool:
        return self.ws is not None

    def open(self, factory: WorkspaceFactory, prompt: Prompt) -> None:
        def work() -> Any:
            ws = factory(prompt)
            self.ws = ws
            return ws.info()

        self.tasks.db(work, self.opened.emit, self.open_failed.emit)

    def read(self, fn: Callable[[Workspace], Any], then: Callable[[Any], None]) -> None:
        """Run `fn(ws)` on the database thread; `then(result)` on the GUI thread."""
        self.tasks.db(lambda: fn(self._ws()), then, self.error_raised.emit)

    def mutate(
        self,
        fn: Callable[[Workspace], Outcome[Any]],
        then: Callable[[Outcome[Any]], None] | None = None,
        error: Callable[[BaseException], None] | None = None,
        *,
        initiator: object = None,
        label: str = "the change",
    ) -> None:
        """Run one user action; broadcast its Outcome, then call `then(outcome)`.

        A failure goes to `error` when given (after which the caller reports it), else it is
        reported as `error_raised`. One refused because another program holds the write lock is
        kept as a `write_locked` PendingWrite instead (when someone keeps them): retried as it
        was, or given up (then `error` hears of it).
        """

        def done(outcome: Outcome[Any]) -> None:
            self.changes_applied.emit(outcome, initiator)
            if then is not None:
                then(outcome)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, BoardLockedError) and self.keep_locked_writes:

                def again() -> None:
                    self.mutate(fn, then, error, initiator=initiator, label=label)

                def give_up() -> None:
                    if error is not None:
                        error(exc)

                self.write_locked.emit(PendingWrite(label, again, give_up))
                return
            (error or self.error_raised.emit)(exc)

        self.tasks.db(lambda: fn(self._ws()), done, failed)

    def read_file(
        self,
        path: str,
        then: Callable[[Any], None],
        error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Read an article file on the I/O pool, not the database thread: reading a long
        article then never waits behind board work, and its text can be shown (and analysed)
        before it is stored, even while the board is still opening.
        """
        self.tasks.io(lambda: self._read_file(path), then, error or self.error_raised.emit)

    def _read_file(self, path: str) -> Any:
        # the user's settings file, not the open Workspace: it may still be opening
        from factdesk.services import read_article_file

        return read_article_file(path, home=self.home)

    def close(self) -> None:
        """Close the board after all queued work has been written."""

        def work() -> None:
            if self.ws is not None:
                self.ws.close()
                self.ws = None

        self.tasks.db_sync(work)

    def _ws(self) -> Workspace:
        if self.ws is None:
            from factdesk.domain import BoardError

            raise BoardError("The board is not open yet.")
        return self.ws


class PassphrasePrompter(QObject):
    """Asks for a board passphrase on the GUI thread, whichever thread calls it (and waits)."""

    _requested = Signal(str, object)

    def __init__(self, parent_widget: QWidget | None = None) -> None:
        super().__init__(parent_widget)
        self._parent_widget = parent_widget
        self._requested.connect(self._ask)

    def __call__(self, prompt: str) -> str | None:
        if threading.current_thread() is threading.main_thread():
            return self._dialog(prompt)
        box: dict[str, Any] = {"done": threading.Event(), "value": None}
        self._requested.emit(prompt, box)
        box["done"].wait()
        return box["value"]

    @Slot(str, object)
    def _ask(self, prompt: str, box: dict[str, Any]) -> None:
        try:
            box["value"] = self._dialog(prompt)
        finally:
            box["done"].set()

    def _dialog(self, prompt: str) -> str | None:
        from factdesk.gui.passphrase_dialog import ask_passphrase

        return ask_passphrase(prompt, self._parent_widget)
