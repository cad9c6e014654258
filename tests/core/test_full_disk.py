"""A full disk, for real: a 4 MB filesystem mounted for the test (root only, else skipped).
A backup that does not fit says so in one line and leaves no debris, an earlier backup on that
disk intact; an attach that does not fit leaves the board as it was (no evidence, no history
event, verify OK) and works once there is room."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from factdesk.domain import BoardError
from factdesk.services import Workspace
from tests.core.helpers import board_with_article
from tests.core.test_cli import run

MB = 1024 * 1024


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    where = tmp_path / "tiny"
    where.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a 4 MB filesystem needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"no tmpfs can be mounted here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _random_file(path: Path, size: int) -> Path:
    path.write_bytes(os.urandom(size))
    return path


def test_a_backup_that_does_not_fit_says_so_and_leaves_no_debris(
    tiny_disk: Path, factdesk_home: Path, tmp_path: Path
) -> None:
    ws, _, claim_ids = board_with_article(factdesk_home)
    first = ws.backup(tiny_disk / "first.fdb")
    ws.attach_file(claim_ids[0], _random_file(tmp_path / "scan.pdf", 6 * MB))
    with pytest.raises(BoardError) as raised:
        ws.backup(tiny_disk / "second.fdb")
    message = str(raised.value)
    assert "is full: the backup was not written" in message and "\n" not in message
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["first.fdb"], "no partial left"
    assert ws.verify().ok, "the board is as it was"
    ws.close()
    with Workspace.open(first, read_only=True) as old:
        assert old.verify().ok, "the earlier backup on that disk is intact"


def test_an_attach_that_does_not_fit_leaves_the_board_as_it_was(
    tiny_disk: Path, factdesk_home: Path, tmp_path: Path
) -> None:
    board = tiny_disk / "desk.fdb"
    ws, _, claim_ids = board_with_article(factdesk_home, target=board)
    events = ws.info().n_events
    big = _random_file(tmp_path / "video.mp4", 6 * MB)
    with pytest.raises(BoardError) as raised:
        ws.attach_file(claim_ids[0], big)
    message = str(raised.value)
    assert "disk holding the board is full" in message and "\n" not in message
    assert ws.evidence(claim_ids[0]) == []
    assert ws.info().n_events == events, "nothing half-written"
    assert ws.verify().ok
    small = ws.attach_file(claim_ids[0], _random_file(tmp_path / "note.pdf", 64 * 1024))
    assert small.value.evidence.attachment is not None, "with room, an attach works again"
    assert ws.verify().ok
    claim = claim_ids[1]
    ws.close()

    # the command line says the same, in one line
    code, _, err = run("--board", str(board), "attach", claim, "--file", str(big))
    assert code != 0
    assert err.count("\n") == 1 and "disk holding the board is full" in err
