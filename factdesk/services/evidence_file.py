"""Reading a file the user attaches as evidence: regular files only (never a device or a pipe),
within the size limit, and refused if it changes while being read (a download still running).

The file is read twice, a piece at a time, never whole in memory: once to learn its SHA-256 (the
attachment's name on the board), then again while its pieces are written into the board, hashed
again; if the second reading differs from the first, the action is undone whole.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from factdesk.domain import InvalidInputError

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class EvidenceFile:
    """A file as first read: its size, modification time and SHA-256."""

    path: Path
    size: int
    mtime_ns: int
    sha256: str


def _open_regular(path: Path, limit: int) -> tuple[int, os.stat_result]:
    # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below anyway
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        before = os.fstat(fd)
        if stat.S_ISDIR(before.st_mode):
            raise InvalidInputError(f"{path} is a folder: attach a file.")
        if not stat.S_ISREG(before.st_mode):
            raise InvalidInputError(
                f"Cannot attach {path}: it is not a regular file (a device, pipe or socket). "
                "Save what it holds to a file and attach that."
            )
        mb = 1024 * 1024
        if before.st_size > limit:
            raise InvalidInputError(
                f"{path.name} is {before.st_size / mb:.0f} MB; files over {limit // mb} MB cannot "
                "be attached (the limit is max_attachment_mb in the settings)."
            )
    except BaseException:
        os.close(fd)
        raise
    return fd, before


def _changed(path: Path) -> InvalidInputError:
    return InvalidInputError(
        f"{path.name} changed while it was being read (is it still being written or "
        "downloaded?). Attach it again once it is complete; nothing was attached."
    )


def _read(fd: int, size: int) -> Iterator[bytes]:
    """The pieces of an open file, stopping as soon as it has grown past `size`."""
    got = 0
    while chunk := os.read(fd, CHUNK):
        got += len(chunk)
        yield chunk
        if got > size:
            return  # growing while read: refused, and never read past the limit


def check_evidence_file(path: Path, limit: int) -> EvidenceFile:
    """Read the file once, a piece at a time: its SHA-256, with its size and modification time
    the same before and after reading."""
    fd, before = _open_regular(path, limit)
    digest, got = hashlib.sha256(), 0
    try:
        for chunk in _read(fd, before.st_size):
            digest.update(chunk)
            got += len(chunk)
        after = os.fstat(fd)
    finally:
        os.close(fd)
    same = (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    if not same or got != before.st_size:
        raise _changed(path)
    return EvidenceFile(path, before.st_size, before.st_mtime_ns, digest.hexdigest())


def pieces(file: EvidenceFile) -> Iterator[bytes]:
    """The file's pieces, read again as they are stored; raises (undoing the attach) if it is
    not the file that was first read."""
    try:
        fd, before = _open_regular(file.path, file.size)
    except OSError as exc:
        raise InvalidInputError(
            f"{file.path.name} could not be read again while it was being stored "
            f"({exc.strerror or exc}); nothing was attached."
        ) from exc
    digest, got = hashlib.sha256(), 0
    try:
        if (before.st_size, before.st_mtime_ns) != (file.size, file.mtime_ns):
            raise _changed(file.path)
        for chunk in _read(fd, file.size):
            digest.update(chunk)
            got += len(chunk)
            if got > file.size:
                raise _changed(file.path)
            yield chunk
        after = os.fstat(fd)
    finally:
        os.close(fd)
    if (
        (after.st_size, after.st_mtime_ns) != (file.size, file.mtime_ns)
        or got != file.size
        or digest.hexdigest() != file.sha256
    ):
        raise _changed(file.path)
