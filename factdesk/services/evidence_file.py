"""Reading a file the user attaches as evidence: regular files only (never a device or a pipe),
within the size limit, and refused if it changes while being read (a download still running)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from factdesk.domain import InvalidInputError

CHUNK = 1024 * 1024


def read_evidence_file(path: Path, limit: int) -> bytes:
    """The file's bytes, read in chunks; its size and modification time must be the same
    before and after reading."""
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
        data = bytearray()
        while chunk := os.read(fd, CHUNK):
            data += chunk
            if len(data) > before.st_size:
                break  # growing while read: refused below, and never past the limit
        after = os.fstat(fd)
    finally:
        os.close(fd)
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns) or len(
        data
    ) != before.st_size:
        raise InvalidInputError(
            f"{path.name} changed while it was being read (is it still being written or "
            "downloaded?). Attach it again once it is complete; nothing was attached."
        )
    return bytes(data)
