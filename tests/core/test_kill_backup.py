"""Backup and restore killed with SIGKILL at random moments: the board always opens whole and
verifies (the old one or the restored one), every earlier backup is untouched, and what a kill
leaves (a hidden partial file per copy in flight) is gone after the next backup or restore."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from factdesk import paths
from factdesk.services import Workspace
from factdesk.services.backup import restore
from tests.core.helpers import board_with_article

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from factdesk.services import Workspace
    from factdesk.services.backup import restore
    mode, board, folder = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    if mode == "backup":
        ws = Workspace.open(board, create=False)
        for i in range(1000):
            print("start", i, flush=True)
            ws.backup(folder / f"b{i}.fdb")
    else:
        for i in range(1000):
            print("start", i, flush=True)
            restore(folder / ("a.fdb", "b.fdb")[i % 2], board)
    """
)
KILLS = 4


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _head(path: Path) -> str:
    with Workspace.open(path, create=False, read_only=True) as ws:
        report = ws.verify()
        assert report.ok, (path, report.problems)
        return report.head_hash


def _kill_at_random(mode: str, board: Path, folder: Path, home: Path, seed: int) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, mode, str(board), str(folder)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "FACTDESK_HOME": str(home)},
    )
    assert proc.stdout is not None
    proc.stdout.readline()  # the first one has begun
    time.sleep(random.Random(seed).uniform(0.0, 0.6))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def _partials(*folders: Path) -> list[Path]:
    return [p for f in folders if f.is_dir() for p in f.iterdir() if p.name.startswith(".")]


def _copies(folder: Path) -> set[str]:
    """The partial copies in `folder` (a copy and its journal count once)."""
    return {p.name.partition(".partial")[0] for p in _partials(folder)}


def _board(home: Path, tmp_path: Path) -> tuple[Workspace, Path, list[str]]:
    ws, _, claim_ids = board_with_article(home, target=tmp_path / "desk.fdb", plaintext=True)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(random.Random(1).randbytes(4 * 1024 * 1024))  # a backup takes a while
    ws.attach_file(claim_ids[0], scan)
    return ws, Path(ws.info().location), claim_ids


def test_a_killed_backup_leaves_the_board_and_earlier_backups_whole(
    factdesk_home: Path, tmp_path: Path
) -> None:
    ws, board, claim_ids = _board(factdesk_home, tmp_path)
    folder = tmp_path / "backups"
    earlier = ws.backup(folder / "earlier.fdb")
    before = _sha(earlier)
    ws.set_status(claim_ids[0], "verified", "Minutes confirm it.")
    ws.close()
    for seed in range(KILLS):
        _kill_at_random("backup", board, folder, factdesk_home, seed)
        _head(board)
        assert _sha(earlier) == before
        for backup in folder.glob("*.fdb"):
            _head(backup)  # every backup that took its name is whole
        # at most the killed backup's partial copy (with the journal SQLite may keep beside it)
        assert len(_copies(folder)) <= 1
    with Workspace.open(board, create=False) as again:
        again.backup(folder / "after.fdb")
    assert _partials(folder) == [], "the next backup removed what the kill left"


def test_a_killed_restore_leaves_a_whole_board_and_the_backups_untouched(
    factdesk_home: Path, tmp_path: Path
) -> None:
    ws, board, claim_ids = _board(factdesk_home, tmp_path)
    folder = tmp_path / "backups"
    a = ws.backup(folder / "a.fdb")
    ws.set_status(claim_ids[0], "disputed", "Minutes say 14 percent.")
    b = ws.backup(folder / "b.fdb")
    ws.set_status(claim_ids[1], "verified", "Recording confirms it.")
    ws.close()
    shas = {a: _sha(a), b: _sha(b)}
    heads = {_head(a), _head(b), _head(board)}
    kept_folder = paths.resolve(factdesk_home).backups
    for seed in range(KILLS):
        _kill_at_random("restore", board, folder, factdesk_home, seed)
        assert _head(board) in heads, "the board is the old one or a restored one, whole"
        assert {p: _sha(p) for p in shas} == shas
        for kept in kept_folder.glob("*-before-restore-*.fdb"):
            _head(kept)
        # at most the copy in flight in each folder (the restored one, the kept one)
        assert len(_copies(board.parent)) <= 1 and len(_copies(kept_folder)) <= 1
    restore(a, board)
    assert _head(board) == _head(a)
    assert _partials(board.parent, kept_folder) == [], "the next restore removed what was left"
