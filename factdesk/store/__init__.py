"""The evidence board's storage: the only package that imports SQLAlchemy, Alembic or sqlcipher3."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.exc import DatabaseError

from factdesk.domain import BoardError, NotFoundError
from factdesk.store import crypto, migrate, seal, sync
from factdesk.store.backup import PARTIAL, remove_stale_partials
from factdesk.store.board import Board, Tx, readable
from factdesk.store.crypto import BoardKey, file_kind, new_raw_key, salt_hex
from factdesk.store.engine import (
    display_url,
    is_server_url,
    server_engine,
    sqlite_engine,
    url_has_password,
)
from factdesk.store.repo import (
    ClaimSnapshot,
    article_counts,
    article_text,
    attachment_data,
    claim_ids_at,
    claims_by_priority,
    create_article,
    create_claim,
    create_claims,
    create_evidence,
    creating_action,
    delete_link,
    evidence_for,
    find_article_by_sha,
    get_article,
    get_claim,
    link_evidence,
    list_articles,
    list_claims,
    put_attachment,
    put_attachment_pieces,
    rank_detected,
    repeats_of,
    report_snapshot,
    resolve_article,
    resolve_claim,
    update_claim,
    update_link,
)
from factdesk.store.schema import new_id
from factdesk.store.server import needs_secure_password

# The package face: the services use these names only, never the modules behind them
# (an import-linter contract in pyproject.toml holds them to it).
__all__ = [
    "PARTIAL",
    "Board",
    "BoardKey",
    "ClaimSnapshot",
    "Tx",
    "article_counts",
    "article_text",
    "attachment_data",
    "claim_ids_at",
    "claims_by_priority",
    "create_article",
    "create_claim",
    "create_claims",
    "create_evidence",
    "creating_action",
    "crypto",
    "delete_link",
    "display_url",
    "evidence_for",
    "file_kind",
    "find_article_by_sha",
    "get_article",
    "get_claim",
    "is_server_url",
    "link_evidence",
    "list_articles",
    "list_claims",
    "migrate",
    "needs_secure_password",
    "new_id",
    "new_raw_key",
    "open_file",
    "open_server",
    "put_attachment",
    "put_attachment_pieces",
    "rank_detected",
    "remove_stale_partials",
    "repeats_of",
    "report_snapshot",
    "resolve_article",
    "resolve_claim",
    "salt_hex",
    "seal",
    "sync",
    "update_claim",
    "update_link",
    "url_has_password",
]


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _finish_open(board: Board, backup: Path | None) -> Board:
    def before_upgrade(revision: str | None) -> None:
        if board.path is not None and backup is not None:
            dest = backup / f"{board.path.stem}-schema-{revision}-{_stamp()}{board.path.suffix}"
            board.copy_file(dest)

    try:
        migrate.upgrade(board.engine, before_upgrade)
        board.set_meta_if_missing("board_id", new_id())
        board.set_meta_if_missing("created_at", datetime.now(UTC).isoformat())
    except DatabaseError as exc:
        board.close()
        raise readable(exc) from exc
    except BaseException:
        board.close()
        raise
    return board


def open_file(
    path: Path,
    key: BoardKey | None,
    *,
    backups: Path | None,
    create: bool,
    read_only: bool = False,
) -> Board:
    """Open (or create) a board file. `key` None means a plaintext SQLite file.

    A new board is made whole beside `path` first (see _create_file): none is left half-made.
    """
    kind = file_kind(path)
    if kind == "missing" and not create:
        raise NotFoundError(f"There is no board at {path}.")
    if path.is_dir():
        raise BoardError(f"{path} is a folder, not a board file.")
    if kind == "empty":
        raise BoardError(
            f"{path} is an empty file (0 bytes), not a board; factdesk leaves it untouched. If "
            "your board was there, restore a backup (factdesk board restore BACKUP); to start "
            "a new board there, delete the empty file first."
        )
    if kind == "plain":
        crypto.refuse_foreign(path)
    if kind == "missing":
        _create_atomically(path, key)
    board = Board(
        sqlite_engine(path, key, wal=not read_only),
        location=str(path),
        backend="sqlite",
        encrypted=key is not None,
        path=path,
    )
    return _finish_open(board, backups)


CREATING = ".creating"


def _create_atomically(path: Path, key: BoardKey | None) -> None:
    """Build a new board whole under a hidden name beside it, then link it into place: no one
    opening `path` meanwhile sees a file without its schema, and a second creator racing this
    one keeps the first board made. A build that was killed leaves `.NAME.PID.creating`,
    removed by the next creation in that folder."""
    from factdesk.store.backup import remove_stale_partials

    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_partials(path.parent, CREATING)
    tmp = path.with_name(f".{path.name}.{os.getpid()}{CREATING}")
    try:
        board = Board(
            sqlite_engine(tmp, key),
            location=str(tmp),
            backend="sqlite",
            encrypted=key is not None,
            path=tmp,
        )
        _finish_open(board, None)
        board.checkpoint()
        board.close()  # the last connection folds the WAL into the file and removes it
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another program made the board meanwhile: theirs is kept
        except OSError:
            # no hard links here (FAT, some network shares): rename, unless a board appeared
            if not path.exists():
                os.replace(tmp, path)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)


def open_server(url: str, password: str | None) -> Board:
    from factdesk.store import server

    engine = server_engine(url, password)
    try:
        with engine.connect():
            pass
    except Exception as exc:
        engine.dispose()
        if password is None and server.needs_secure_password(url) and "password" in str(exc):
            # the server asks for a password this connection must not carry
            raise server.refusal(server.parse(url)[0]) from exc
        raise BoardError(f"Cannot reach the team board at {display_url(url)}: {exc}") from exc
    board = Board(engine, location=display_url(url), backend="postgresql", encrypted=False)
    return _finish_open(board, None)
