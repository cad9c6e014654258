"""Board backups and restores: SQLite's online backup API into a hidden partial file, every page
checked before the copy takes its name, a clear message for a full disk, and no debris."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

from factdesk.domain import BoardDamagedError, BoardError
from factdesk.store import crypto

PARTIAL = ".partial"


def _partial_for(dest: Path) -> Path:
    return dest.with_name(f".{dest.name}.{os.getpid()}{PARTIAL}")


def remove_stale_partials(folder: Path, suffix: str = PARTIAL) -> None:
    """Partial files (`.NAME.PID<suffix>`, and the journal SQLite may have left beside one) of a
    backup or a creation that was killed (its process is gone)."""
    if not folder.is_dir():
        return
    for p in folder.glob(f".*{suffix}*"):
        head, _, tail = p.name.rpartition(suffix)
        if tail not in ("", "-journal", "-wal", "-shm"):
            continue
        try:
            pid = int(head.rsplit(".", 1)[-1])
        except ValueError:
            continue
        if pid != os.getpid() and not _alive(pid):
            p.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _connect(path: Path, key_pragma: str | None) -> Any:
    if key_pragma is None:
        import sqlite3

        return sqlite3.connect(str(path), isolation_level=None)
    import sqlcipher3

    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = {key_pragma}")
    return conn


def _is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    return "disk is full" in str(exc).lower() or "disk full" in str(exc).lower()


def copy(source: Any, dest: Path, key_pragma: str | None) -> None:
    """Copy an open SQLite/SQLCipher connection's database to `dest`, then check it."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_partials(dest.parent)
    tmp = _partial_for(dest)
    tmp.unlink(missing_ok=True)
    old_umask = os.umask(0o077)  # the copy is as private as the board
    try:
        target = _connect(tmp, key_pragma)
    finally:
        os.umask(old_umask)
    try:
        try:
            # no rollback journal beside the partial copy: a killed backup leaves one file only
            target.execute("PRAGMA journal_mode = OFF")
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
            problems = crypto.damage_report(target, key_pragma is not None)
        finally:
            target.close()
        if problems:
            raise BoardDamagedError(
                f"The backup copy did not check out ({problems[0]}); nothing was kept. "
                "Run `factdesk board verify`."
            )
        tmp.replace(dest)
    except BaseException as exc:
        for leftover in ("", "-journal"):
            Path(str(tmp) + leftover).unlink(missing_ok=True)
        if _is_disk_full(exc):
            raise BoardError(
                f"The disk holding {dest.parent} is full: the backup was not written. Free some "
                "space or choose another place (factdesk board backup PATH)."
            ) from exc
        raise
