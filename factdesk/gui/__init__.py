"""The workstation window (PySide6). `run()` is the entry point the application calls.

Nothing is imported here at module level: `factdesk.gui.detect_worker` is imported by the claim
detection child process, which must not pay for Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factdesk.gui.detection import DetectionProcess
    from factdesk.gui.main_window import MainWindow
    from factdesk.gui.tasks import Tasks
    from factdesk.services import Workspace

    WorkspaceFactory = Callable[[Callable[[str], str | None]], Workspace]


def run(
    open_workspace: WorkspaceFactory,
    *,
    open_path: str | None = None,
    argv: Sequence[str] | None = None,
    dark: bool = False,
    home: str | None = None,
    when_shown: Callable[[], None] | None = None,
) -> int:
    """Show the window at once, then open the board off the GUI thread and run until closed.

    `open_workspace(passphrase)` is called on the database thread and returns the open Workspace;
    `passphrase` is a callable (prompt -> str | None) that asks the user on the GUI thread, for
    `Workspace.open(..., passphrase=passphrase)` when no keyring holds the board's key.
    `open_path` is shown (and analysed) at once and stored once the board is open; with none, an
    empty board offers the sample. `home`: factdesk's home directory (None: the default).
    `when_shown` is called once the window is on the screen, before its panels are built (set-up
    the window need not wait for, such as the log file). Returns the process exit code.
    """
    import sys

    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    app = (
        existing if isinstance(existing, QApplication) else QApplication(list(argv or sys.argv[:1]))
    )
    app.setApplicationName("factdesk")
    app.setApplicationDisplayName("factdesk")
    if dark:
        use_dark_palette(app)
    window = create_window(
        open_workspace,
        open_path=open_path,
        home=home,
        recovery_notice=True,
        frame_first=True,
        when_shown=when_shown,
    )
    window.show()
    return app.exec()


def create_window(
    open_workspace: WorkspaceFactory,
    *,
    open_path: str | None = None,
    tasks: Tasks | None = None,
    detector: DetectionProcess | bool | None = True,
    home: str | None = None,
    recovery_notice: bool = False,
    frame_first: bool = False,
    when_shown: Callable[[], None] | None = None,
) -> MainWindow:
    """Build the window and queue the opening of the board.

    `detector`: True for the worker-process detector, False for none (claims marked by hand), or
    a DetectionProcess (tests pass an `InlineDetection`). `recovery_notice`: when this window
    creates an encrypted board, show its recovery file at once (the program does; tests of
    other things leave it out of their way). `frame_first`: build only the window's frame now
    and its panels once it is on the screen (the program's start-up, where importing and
    building the panels took longer than showing a bare window). `when_shown`: called once the
    window is on the screen (with `frame_first`), before the panels are built.
    """
    from PySide6.QtCore import QTimer

    from factdesk import paths
    from factdesk.gui.board import BoardClient, PassphrasePrompter
    from factdesk.gui.main_window import MainWindow
    from factdesk.gui.tasks import Tasks as ThreadTasks

    if tasks is None:
        tasks = ThreadTasks()
    if detector is True and not frame_first:
        from factdesk.gui.detection import DetectionProcess

        detector = DetectionProcess()
    # else the worker process's module (multiprocessing) is imported once the frame is shown
    start_detector = detector is True
    if detector is True or detector is False:
        detector = None
    board = BoardClient(tasks, home=home)
    window = MainWindow(
        board,
        detector,
        state_file=paths.resolve(home).config / "window.ini",
        build=not frame_first,
    )
    window.recovery_notice = recovery_notice
    tasks.setParent(window)
    board.setParent(window)
    if detector is not None:
        detector.setParent(window)
    prompter = PassphrasePrompter(window)

    def open_board() -> None:
        board.open(open_workspace, prompter)

    window.reopen = open_board

    def start() -> None:
        if frame_first:
            window.wait_until_shown()
        if when_shown is not None:
            when_shown()
        from factdesk import secrets

        if start_detector:
            from factdesk.gui.detection import DetectionProcess

            window.detector = DetectionProcess(window)
        window.build()
        # keyring's search for its backend (0.3-1 s, wanted by the board's opening) runs beside
        # the services' import on the database thread (beside the panels' build, it held them)
        tasks.io(secrets.warm_up, None, lambda _exc: None)
        open_board()
        # after the open is queued: storing the file waits behind it on the database thread
        window.open_when_ready(open_path)

    # queued, so that the window paints before the board (and SQLAlchemy) are loaded
    QTimer.singleShot(0, start)
    window.destroyed.connect(tasks.shutdown)
    return window


def use_dark_palette(app: object) -> None:
    """A dark Fusion palette, for systems whose theme Qt does not follow (and for screenshots)."""
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    assert isinstance(app, QApplication)
    app.setStyle("Fusion")
    p = QPalette()
    role = QPalette.ColorRole
    for r, c in (
        (role.Window, "#2b2d30"),
        (role.WindowText, "#e6e6e6"),
        (role.Base, "#1e1f22"),
        (role.AlternateBase, "#26282b"),
        (role.ToolTipBase, "#3c3f41"),
        (role.ToolTipText, "#e6e6e6"),
        (role.Text, "#e6e6e6"),
        (role.Button, "#3c3f41"),
        (role.ButtonText, "#e6e6e6"),
        (role.BrightText, "#ff6b6b"),
        (role.Highlight, "#2f65ca"),
        (role.HighlightedText, "#ffffff"),
        (role.PlaceholderText, "#8c8c8c"),
        (role.Link, "#6ea8fe"),
    ):
        p.setColor(r, QColor(c))
    p.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor("#7a7a7a"))
    p.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor("#7a7a7a"))
    app.setPalette(p)
