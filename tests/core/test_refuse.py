"""Files factdesk must not touch: a plaintext file where an encrypted board was, an SQLite file
that is not a board, an empty file; and evidence files that are not regular, too big, or still
being written."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from factdesk.domain import BoardError, InvalidInputError
from factdesk.services import Workspace
from tests.core.helpers import board_with_article


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_plaintext_file_in_place_of_an_encrypted_board_is_refused(
    factdesk_home: Path, tmp_path: Path
) -> None:
    ws, _, _ = board_with_article(factdesk_home)
    path = Path(ws.info().location)
    ws.close()
    plain, _, _ = board_with_article(tmp_path / "other-home", plaintext=True)
    plain_path = Path(plain.info().location)
    plain.close()
    shutil.copy(plain_path, path)  # the encrypted board swapped for a plaintext one
    before = _digest(path)
    with pytest.raises(BoardError, match=r"was an encrypted board.*not encrypted"):
        Workspace.open(path)
    assert _digest(path) == before


def test_sqlite_file_that_is_not_a_board_is_refused_untouched(tmp_path: Path) -> None:
    other = tmp_path / "any.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('bread')")
    conn.commit()
    conn.close()
    before = _digest(other)
    with pytest.raises(BoardError, match="not a factdesk board \\(recipes\\)"):
        Workspace.open(other)
    assert _digest(other) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["any.sqlite"]


def test_empty_board_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "default.fdb"
    empty.write_bytes(b"")
    for create in (True, False):
        with pytest.raises(BoardError, match="empty file"):
            Workspace.open(empty, create=create)
    assert empty.read_bytes() == b""


@pytest.fixture
def claim(factdesk_home: Path) -> tuple[Workspace, str]:
    ws, _, (claim_id, _) = board_with_article(factdesk_home, plaintext=True)
    return ws, claim_id


def test_devices_and_pipes_are_refused_at_once(
    claim: tuple[Workspace, str], tmp_path: Path
) -> None:
    ws, claim_id = claim
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    t = time.perf_counter()
    for path in ("/dev/zero", str(fifo)):
        with pytest.raises(InvalidInputError, match="not a regular file"):
            ws.attach_file(claim_id, path)
    assert time.perf_counter() - t < 5  # no hang on the FIFO, no read of /dev/zero
    assert ws.evidence(claim_id) == []
    ws.close()


def test_size_limit_comes_from_the_settings(claim: tuple[Workspace, str], tmp_path: Path) -> None:
    ws, claim_id = claim
    assert ws.settings.max_attachment_mb == 500
    ws.update_settings(max_attachment_mb=1)
    big = tmp_path / "scan.tiff"
    big.write_bytes(b"\0" * (2 * 1024 * 1024))
    with pytest.raises(InvalidInputError, match="files over 1 MB cannot be attached"):
        ws.attach_file(claim_id, big)
    ws.close()


def test_a_file_still_being_written_is_refused(
    claim: tuple[Workspace, str], tmp_path: Path
) -> None:
    ws, claim_id = claim
    growing = tmp_path / "download.pdf"
    growing.write_bytes(b"%PDF" + b"x" * (8 * 1024 * 1024))
    stop = threading.Event()

    def keep_writing() -> None:
        with growing.open("ab") as f:
            while not stop.is_set():
                f.write(b"y" * 65536)
                f.flush()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        time.sleep(0.05)
        with pytest.raises(InvalidInputError, match="changed while it was being read"):
            ws.attach_file(claim_id, growing)
    finally:
        stop.set()
        writer.join()
    assert ws.evidence(claim_id) == []
    ws.close()
