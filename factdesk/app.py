"""Composition root: read the command line, then run a headless command or open the window.

The window path imports nothing heavy before the window is shown: the board is opened (and the
services imported) on the window's database thread.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    from factdesk.args import WINDOW_COMMANDS, window_args

    # the window's command line is parsed without the headless commands' imports (factdesk.cli
    # and the domain: 30-45 ms of a start-up whose target is 1.5x a bare Qt window's)
    parsed = window_args(args)
    if parsed is None:
        from factdesk import cli

        parsed = cli.build_parser().parse_args(args)
        if parsed.command == "doctor":
            from factdesk import doctor

            return doctor.run(parsed)
        if parsed.command not in WINDOW_COMMANDS:
            return cli.run(args)
    from factdesk import display

    # no X connection of our own here (10-20 ms before the window): an unreachable X server is
    # Qt's fatal error, which platform_check.exit_on_fatal says in one line
    no_display = display.problem(reach=False)
    if no_display:
        print(display.no_window_message(no_display), file=sys.stderr)
        return 1

    # claim detection's process starts once the window is shown (MainWindow.showEvent): started
    # first, its spaCy load competed with the window's own start-up on two cores (window shown
    # 1.33 s vs 0.92 s under load, first highlights the same within noise: bench_startup.py)
    from factdesk import gui, log, paths
    from factdesk.gui import platform_check

    platform_check.exit_on_fatal()

    log.configure(None, parsed.verbose)  # the log file once the window is on screen
    log_file = paths.resolve(parsed.home).log_file
    open_path = getattr(parsed, "file", None)
    if getattr(parsed, "sample", False):
        open_path = str(paths.sample_article())
    if open_path and open_path.lower().endswith(".fdb") and not parsed.board:
        # a board double-clicked in the file manager (factdesk.desktop: open %f) is opened
        parsed.board, open_path = open_path, None

    def open_workspace(passphrase: Callable[[str], str | None]) -> Any:
        from factdesk.services import Workspace

        return Workspace.open(
            parsed.board, home=parsed.home, plaintext=parsed.plaintext, passphrase=passphrase
        )

    return gui.run(
        open_workspace,
        open_path=open_path,
        argv=[sys.argv[0], *args],
        dark=getattr(parsed, "dark", False),
        home=parsed.home,
        when_shown=lambda: log.add_file(log_file),
    )
