"""The window's command line is parsed without the headless commands (factdesk.args): the same
answer as the full parser for `open`, and anything else left to the full parser, unsaid."""

from __future__ import annotations

import pytest

from factdesk import cli
from factdesk.args import window_args


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["open"],
        ["open", "article.txt"],
        ["open", "--sample", "--dark"],
        ["--home", "/tmp/h", "--board", "b.fdb", "--plaintext", "-v", "open", "x.fdb"],
        ["--hom", "/tmp/h"],  # an abbreviation, as the full parser takes it
        ["-v"],
    ],
)
def test_a_window_command_parses_as_the_full_parser_parses_it(argv: list[str]) -> None:
    assert window_args(argv) == cli.build_parser().parse_args(argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["board", "info"],
        ["-h"],
        ["--help"],
        ["open", "-h"],
        ["-vh"],
        ["open", "--bogus"],
        ["open", "a.txt", "b.txt"],
        ["--home"],
        ["nonsense"],
    ],
)
def test_anything_else_is_left_to_the_full_parser_unsaid(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert window_args(argv) is None
    assert capsys.readouterr() == ("", "")
