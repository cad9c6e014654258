"""Composition root: read the command line, then run a headless command or open the window."""

from __future__ import annotations

import sys
from collections.abc import Sequence

GUI_COMMANDS = (None, "open")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    from factdesk import cli

    parsed = cli.build_parser().parse_args(args)
    if parsed.command in GUI_COMMANDS:
        from factdesk import gui

        return gui.run(
            board=parsed.board,
            home=parsed.home,
            plaintext=parsed.plaintext,
            open_path=getattr(parsed, "file", None),
        )
    return cli.run(args)
