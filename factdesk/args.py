"""The command line's global options and its `open` command: all the window needs to start.

Light on purpose (argparse alone): `factdesk open` parses its command line here and shows its
window without importing the headless commands (cli.py, which builds on these and adds the rest).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from factdesk import __version__

PROG = "factdesk"
DESCRIPTION = "Offline fact-check workstation. With no command, opens the window."
WINDOW_COMMANDS = (None, "open")


def base_parser(
    parser_class: type[argparse.ArgumentParser] = argparse.ArgumentParser,
) -> tuple[argparse.ArgumentParser, Any]:
    """The parser with the global options and `open`, and its subcommands (for the others)."""
    parser = parser_class(prog=PROG, description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"factdesk {__version__}")
    parser.add_argument("--home", metavar="DIR", help="keep all data, settings and logs under DIR")
    parser.add_argument(
        "--board", metavar="FILE|URL", help="the board to use (default: your default board)"
    )
    parser.add_argument(
        "--plaintext",
        action="store_true",
        help="create a new board without encryption (only when you really want that)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("open", help="open the window (importing FILE first if given)")
    p.add_argument("file", nargs="?")
    p.add_argument("--sample", action="store_true", help="open the bundled sample article")
    p.add_argument("--dark", action="store_true", help="use a dark palette")
    return parser, sub


class _NotWindow(Exception):
    pass


class _WindowParser(argparse.ArgumentParser):
    """Says nothing: anything but a plain window command is left to the full parser."""

    def error(self, message: str) -> Any:
        raise _NotWindow(message)

    def print_help(self, file: Any = None) -> None:
        raise _NotWindow("help")  # the full parser's help lists every command


def window_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """`argv` parsed when it opens the window (no command, or `open`), else None: the full parser
    (cli.build_parser) then parses it, with its help, its errors and the other commands.

    The full parser holds the same global options and `open`, so whatever parses here parses
    the same there.
    """
    parser, _sub = base_parser(_WindowParser)
    try:
        parsed = parser.parse_args(list(argv))
    except _NotWindow:
        return None
    return parsed if parsed.command in WINDOW_COMMANDS else None
