"""Damage and backups: damaged pages are named as damage (never as a wrong key, never with
SQLCipher's own log lines or a traceback), a damaged board refuses to back up, backups are checked
before they take their name and leave no debris, and a backup restores (verified first)."""

from __future__ import annotations

import io
import os
import random
import shutil
from pathlib import Path

import pytest

from factdesk import cli
from factdesk.domain import BoardDamagedError
from factdesk.services import Workspace
from tests.core.helpers import board_with_article


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(list(args), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def board(factdesk_home: Path) -> Path:
    ws, _, (claim_id, _) = board_with_article(factdesk_home)
    ws.set_status(claim_id, "verified", "Minutes confirm it.")
    ws.attach_bytes(claim_id, os.urandom(40_000), "scan.png")
    path = Path(ws.info().location)
    ws.close()  # the WAL is folded into the file
    assert not Path(str(path) + "-wal").exists()
    return path


def _xor(path: Path, offset: int, n: int = 64) -> None:
    data = bytearray(path.read_bytes())
    for i in range(offset, min(offset + n, len(data))):
        data[i] ^= 0xA5
    path.write_bytes(bytes(data))


def test_damage_at_random_offsets_is_named_as_damage(
    board: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """64 XOR-ed bytes at 50 random offsets (past the 16-byte salt that names the key): verify
    fails naming damage every time, in one line per problem, on stdout or stderr."""
    rng = random.Random(17)
    size = board.stat().st_size
    for _ in range(50):
        offset = rng.randrange(16, size - 64)
        copy = tmp_path / "damaged.fdb"
        shutil.copy(board, copy)
        _xor(copy, offset)
        code, out, err = run("--board", str(copy), "board", "verify")
        said = out + err
        assert code == 1, (offset, said)
        assert "damaged" in said or "database file" in said, (offset, said)
        assert "key or passphrase" not in said and "Traceback" not in said, (offset, said)
        for suffix in ("", "-wal", "-shm"):
            Path(str(copy) + suffix).unlink(missing_ok=True)
    captured = capfd.readouterr()
    assert "ERROR CORE" not in captured.err + captured.out


def test_damage_is_named_with_its_page(board: Path) -> None:
    page = 5
    _xor(board, page * 4096 - 4096 + 200)  # inside page 5 (pages count from 1)
    code, out, err = run("--board", str(board), "board", "verify")
    assert code == 1
    assert f"page {page}" in out + err


def test_damaged_board_refuses_to_back_up(board: Path, tmp_path: Path) -> None:
    _xor(board, 4 * 4096 + 100)
    dest = tmp_path / "copy.fdb"
    code, out, err = run("--board", str(board), "board", "backup", str(dest))
    assert code == 1 and "damaged" in err and "Backed up" not in out
    assert not dest.exists()
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


def test_backup_checked_no_debris_and_restore_round_trips(board: Path, tmp_path: Path) -> None:
    backups = tmp_path / "backups"
    backups.mkdir()
    # what a killed backup left behind (its process is gone)
    stale = backups / ".old.fdb.999999999.partial"
    stale.write_bytes(b"half a copy")
    dest = backups / "copy.fdb"
    code, out, _ = run("--board", str(board), "board", "backup", str(dest))
    assert code == 0 and "Backed up" in out
    assert sorted(p.name for p in backups.iterdir()) == ["copy.fdb"]
    assert oct(dest.stat().st_mode & 0o777) == "0o600"

    with Workspace.open(board) as ws:
        before = ws.info().head_hash
        claim = ws.claims(ws.list_articles()[0].id)[0]
        ws.set_status(claim.id, "disputed", "A later, mistaken verdict.")
    code, out, err = run("--board", str(board), "board", "restore", str(dest))
    assert code == 0, err
    assert "Restored" in out and "kept at" in out
    with Workspace.open(board) as ws:
        assert ws.info().head_hash == before
        assert ws.claim(claim.id).status.value == "verified"
        assert ws.verify().ok


def test_restore_refuses_a_damaged_backup(board: Path, tmp_path: Path) -> None:
    dest = tmp_path / "copy.fdb"
    assert run("--board", str(board), "board", "backup", str(dest))[0] == 0
    _xor(dest, 4 * 4096 + 100)
    before = board.read_bytes()
    code, _, err = run("--board", str(board), "board", "restore", str(dest))
    assert code == 1
    assert "does not verify" in err or "damaged" in err
    assert board.read_bytes() == before


def test_damage_on_open_is_not_a_wrong_key(board: Path) -> None:
    _xor(board, 100)  # page 1: the schema, read at once
    with pytest.raises(BoardDamagedError, match="page 1"):
        Workspace.open(board)
