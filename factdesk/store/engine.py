"""Engines for a board: SQLite (plain or SQLCipher) file, or a PostgreSQL server.

SQLite gets WAL, foreign keys, a busy timeout, and BEGIN IMMEDIATE for writes so that two writers
never deadlock halfway through a user action.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import QueuePool

from factdesk.domain import BoardDamagedError, WrongKeyError
from factdesk.store.crypto import BoardKey

BUSY_TIMEOUT_MS = 10_000


def is_server_url(target: str) -> bool:
    return target.startswith(("postgresql://", "postgresql+", "postgres://"))


def sqlite_engine(path: Path, key: BoardKey | None, *, wal: bool = True) -> Engine:
    """An engine on a board file. With `key`, the file is SQLCipher-encrypted (pysqlcipher dialect,
    which sends the key as the first statement of every connection). `wal` False (a read-only
    open) leaves the file's journal mode as it is: a backup that is only read stays unchanged."""
    url = URL.create(
        "sqlite+pysqlcipher" if key is not None else "sqlite+pysqlite",
        password=key.secret() if key is not None else None,
        database=str(path),
    )
    engine = create_engine(
        url,
        # A small pool: opening a passphrase board costs a key derivation per connection.
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=4,
        connect_args={
            "check_same_thread": False,
            "timeout": BUSY_TIMEOUT_MS / 1000,
            "isolation_level": None,
        },
    )

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        if key is not None:
            # SQLCipher's own "ERROR CORE" lines would reach the terminal; we say it in one line
            dbapi_conn.execute("PRAGMA cipher_log_level = NONE")
        try:
            # The first read fails with a wrong key; nothing has been written yet.
            dbapi_conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except Exception as exc:
            raise _open_failure(dbapi_conn, path, key, exc) from exc
        dbapi_conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        dbapi_conn.execute("PRAGMA foreign_keys = ON")
        if wal:
            dbapi_conn.execute("PRAGMA journal_mode = WAL")
        dbapi_conn.execute("PRAGMA synchronous = NORMAL")

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _open_failure(dbapi_conn: Any, path: Path, key: BoardKey | None, exc: Exception) -> Exception:
    """A wrong key, or damage: with the right key only the damaged pages fail their HMAC, with a
    wrong one every page does."""
    if key is None:
        return BoardDamagedError(
            f"{path} is damaged ({exc}): restore a backup with `factdesk board restore BACKUP`."
        )
    try:
        failed = [str(r[0]) for r in dbapi_conn.execute("PRAGMA cipher_integrity_check")]
        pages = max(
            1,
            path.stat().st_size // int(dbapi_conn.execute("PRAGMA cipher_page_size").fetchone()[0]),
        )
    except Exception:
        failed, pages = [], 0
    if failed and len(failed) < pages:
        shown = "; ".join(failed[:3]) + (
            f" (and {len(failed) - 3} more)" if len(failed) > 3 else ""
        )
        return BoardDamagedError(
            f"{path} is damaged: {shown}. The key is right; restore a backup with "
            "`factdesk board restore BACKUP`. The file was not changed."
        )
    return WrongKeyError(f"The key or passphrase does not open {path}. The file was not changed.")


def server_engine(url: str, password: str | None = None) -> Engine:
    """An engine on a team board; TLS from the URL, no password in clear (store/server.py)."""
    from factdesk.store import server

    parsed: URL = server.check(url, password)
    if password is not None:
        parsed = parsed.set(password=password)
    return create_engine(parsed, pool_pre_ping=True, pool_size=2, max_overflow=2)


def url_has_password(url: str) -> bool:
    return make_url(url).password is not None


def display_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
