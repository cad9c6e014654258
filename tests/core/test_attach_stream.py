"""Attachments are read and written a piece at a time: a large file is never held whole in
memory, comes back byte for byte, and a file that changes between its two readings (hashed, then
stored) leaves nothing behind."""

from __future__ import annotations

import hashlib
import os
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from factdesk.domain import InvalidInputError
from factdesk.services import Workspace, evidence_file
from tests.core.helpers import board_with_article

MB = 1024 * 1024


@pytest.fixture
def claim(factdesk_home: Path) -> Iterator[tuple[Workspace, str]]:
    ws, _, claim_ids = board_with_article(factdesk_home)
    yield ws, claim_ids[0]
    ws.close()


def _file(path: Path, size: int) -> Path:
    with path.open("wb") as f:
        for i in range(size // MB):
            f.write(hashlib.sha256(str(i).encode()).digest() * (MB // 32))
        f.write(b"tail" * ((size % MB) // 4))
    return path


def test_a_large_file_is_never_held_whole_in_memory(
    claim: tuple[Workspace, str], tmp_path: Path
) -> None:
    ws, claim_id = claim
    big = _file(tmp_path / "scan.pdf", 24 * MB)
    tracemalloc.start()
    try:
        ws.attach_file(claim_id, big)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # a piece or two of 1 MB in flight; a whole copy would be 24 MB (two copies before)
    assert peak < 6 * MB, f"peak {peak / MB:.1f} MB of Python memory for a 24 MB file"
    [link] = ws.evidence(claim_id)
    att = link.evidence.attachment
    assert att is not None and att.size == big.stat().st_size
    assert hashlib.sha256(ws.attachment_data(att.id)).hexdigest() == att.sha256
    assert ws.attachment_data(att.id) == big.read_bytes()
    assert ws.verify().ok


def test_the_same_bytes_attached_again_are_stored_once(
    claim: tuple[Workspace, str], tmp_path: Path
) -> None:
    ws, claim_id = claim
    one = _file(tmp_path / "a.pdf", 3 * MB + 12)
    two = tmp_path / "b.pdf"
    two.write_bytes(one.read_bytes())
    first = ws.attach_file(claim_id, one).value.evidence.attachment
    second = ws.attach_file(claim_id, two).value.evidence.attachment
    assert first is not None and second is not None and first.id == second.id
    assert ws.verify().ok


def test_a_file_changed_between_its_two_readings_leaves_nothing(
    claim: tuple[Workspace, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is hashed, then rewritten (same size) while its pieces are being stored."""
    ws, claim_id = claim
    path = _file(tmp_path / "report.pdf", 4 * MB)
    real = evidence_file.pieces
    events_before = ws.info().n_events

    def rewritten_after_one_piece(file: evidence_file.EvidenceFile) -> Iterator[bytes]:
        for i, piece in enumerate(real(file)):
            if i == 1:
                with path.open("r+b") as f:  # another program saves over it
                    f.seek(2 * MB)
                    f.write(b"X" * 4096)
                os.utime(path, ns=(file.mtime_ns, file.mtime_ns))  # even keeping its time
            yield piece

    monkeypatch.setattr(evidence_file, "pieces", rewritten_after_one_piece)
    with pytest.raises(InvalidInputError, match="changed while it was being read"):
        ws.attach_file(claim_id, path)
    assert ws.evidence(claim_id) == []
    assert ws.info().n_events == events_before, "no history event of the refused attach"
    report = ws.verify()
    assert report.ok and report.attachments_checked == 0
