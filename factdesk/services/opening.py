"""Opening a board and the key and passphrase policy: which key opens which board, where a new
board's key is kept (the OS keyring, else a passphrase; never a file), and board-wide facts
(info, backups, the user's settings).
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from factdesk import paths as paths_mod
from factdesk import secrets, store
from factdesk import settings as settings_mod
from factdesk.domain import (
    BoardError,
    BoardInfo,
    InvalidInputError,
    KeyUnavailableError,
    NoBoardError,
)
from factdesk.services import integrity, recovery
from factdesk.services.context import Context, now

PassphraseProvider = Callable[[str], str | None]


def open_context(
    target: str | os.PathLike[str] | None,
    *,
    home: str | os.PathLike[str] | None,
    create: bool,
    plaintext: bool,
    passphrase: PassphraseProvider | None,
    actor: str | None,
    read_only: bool = False,
) -> Context:
    """Open the board at `target` (a file, or a postgresql:// URL); default: the user's board.
    `read_only`: for commands that only read (never creates a board, writes nothing)."""
    p = paths_mod.resolve(home)
    settings = settings_mod.load(p.settings_file)
    if target is None:
        target = settings.default_board or p.default_board
    who = actor or settings.author_name or os_user()
    target_s = os.fspath(target)
    if store.is_server_url(target_s):
        board, key_source = _open_server(target_s, passphrase)
        integrity.load_chain_secret(board, writable=not read_only)
        return Context(board, p, settings, None, key_source, who)
    path = Path(target_s).expanduser().resolve()
    new = store.file_kind(path) == "missing"
    board, key, key_source = _open_file(
        path, p, create and not read_only, plaintext, passphrase, read_only=read_only
    )
    integrity.load_chain_secret(board, writable=not read_only)
    written = None
    if board.encrypted:
        integrity.remember_encrypted(p, path)
        settings = settings_mod.load(p.settings_file)
        if new and key is not None and key.raw_hex:
            written = recovery.write(board, key, p)
    return Context(board, p, settings, key, key_source, who, recovery_file=written)


def close(ctx: Context) -> None:
    with ctx.lock:
        ctx.board.close()


def update_settings(ctx: Context, **changes: Any) -> settings_mod.Settings:
    ctx.settings = ctx.settings.with_(**changes)
    settings_mod.save(ctx.paths.settings_file, ctx.settings)
    if changes.get("author_name"):
        ctx.actor = changes["author_name"]
    return ctx.settings


def info(ctx: Context) -> BoardInfo:
    board = ctx.board
    with ctx.lock:
        n_articles, n_claims, n_events = board.counts()
        sealed, unsealed = board.seal_state()
        size = None
        if board.path is not None and board.path.exists():
            size = board.path.stat().st_size
            wal = Path(str(board.path) + "-wal")
            if wal.exists():
                size += wal.stat().st_size
        return BoardInfo(
            location=board.location,
            backend=board.backend,
            encrypted=board.encrypted,
            key_source=ctx.key_source,
            schema_revision=board.schema_revision(),
            board_id=board.meta("board_id") or "",
            n_articles=n_articles,
            n_claims=n_claims,
            n_events=n_events,
            head_hash=board.head_hash(),
            file_size=size,
            chain_secret_here=(board.chain_secret is not None) if sealed else None,
            unsealed_events=unsealed,
        )


def backup(ctx: Context, dest: str | os.PathLike[str] | None = None) -> Path:
    """A consistent copy of the board (encrypted with the same key), openable on its own: a
    keyring key is filed again under the copy's own salt."""
    board = ctx.board
    if board.path is None:
        raise BoardError("Back up a team board with the server's own tools (pg_dump).")
    if dest is None:
        stamp = now().strftime("%Y%m%dT%H%M%SZ")
        dest = paths_mod.ensure(ctx.paths.backups) / f"{board.path.stem}-{stamp}.fdb"
    target = Path(dest).expanduser().resolve()
    if target == board.path:
        raise InvalidInputError("Choose a backup file other than the board itself.")
    if target.exists():
        raise InvalidInputError(f"{target} exists already; choose a new file name.")
    with ctx.lock:
        board.backup_to(target, ctx.key.pragma_value() if ctx.key else None)
    if ctx.key is not None and ctx.key.raw_hex:
        secrets.put(secrets.board_entry(store.salt_hex(target)), ctx.key.raw_hex)
    return target


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "reviewer"


def _open_file(
    path: Path,
    p: paths_mod.Paths,
    create: bool,
    plaintext: bool,
    passphrase: PassphraseProvider | None,
    *,
    read_only: bool = False,
) -> tuple[store.Board, store.BoardKey | None, str]:
    kind = store.file_kind(path)
    backups = p.backups
    if kind == "plain":
        integrity.refuse_if_was_encrypted(p, path)
        board = store.open_file(path, None, backups=backups, create=False, read_only=read_only)
        return board, None, "none (plaintext)"
    if kind == "encrypted":
        raw = secrets.get(secrets.board_entry(store.salt_hex(path)))
        if raw:
            key = store.BoardKey(raw_hex=raw)
            board = store.open_file(path, key, backups=backups, create=False, read_only=read_only)
            return board, key, f"keyring ({secrets.backend_name()})"
        phrase = secrets.passphrase_from_env() or (
            passphrase(
                f"Passphrase for the board {path.name}. Its key is not in this computer's "
                "keyring; a board made with a keyring key has no passphrase: cancel, and open "
                "it with its recovery file."
            )
            if passphrase
            else None
        )
        if not phrase:
            raise KeyUnavailableError(
                f"{path} is encrypted and its key is not in this computer's keyring. If it "
                "was made with a keyring key (the usual case) it has no passphrase: bring the "
                "key back with `factdesk board recover RECOVERY-FILE` (the .factdesk-recovery "
                "file written when the board was made). If you chose a passphrase for it, set "
                f"{secrets.PASSPHRASE_ENV} or enter it when asked.",
                path=path,
            )
        key = store.BoardKey(passphrase=phrase)
        board = store.open_file(path, key, backups=backups, create=False, read_only=read_only)
        return board, key, "passphrase"
    if not create and kind == "missing":
        raise NoBoardError(
            f"There is no board at {path}. Check the path (--board), or start one by adding "
            "an article: factdesk add FILE."
        )
    if plaintext:
        board = store.open_file(path, None, backups=backups, create=True)
        return board, None, "none (plaintext)"
    if secrets.available():
        key = store.new_raw_key()
        board = store.open_file(path, key, backups=backups, create=True)
        try:
            board.checkpoint()
            secrets.put(secrets.board_entry(store.salt_hex(path)), key.raw_hex)
        except Exception as exc:
            board.close()
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            raise BoardError(
                f"The new board's key could not be stored in the keyring ({exc}); "
                "no board was created."
            ) from exc
        return board, key, f"keyring ({secrets.backend_name()})"
    phrase = secrets.passphrase_from_env() or (
        passphrase(
            f"There is no keyring on this computer. Choose a passphrase for the new board "
            f"{path.name} (you will need it every time you open it):"
        )
        if passphrase
        else None
    )
    if not phrase:
        raise KeyUnavailableError(
            "There is no usable keyring on this computer to hold the board's key. Choose a "
            f"passphrase (set {secrets.PASSPHRASE_ENV}, or enter it when asked), or create an "
            "unencrypted board with --plaintext."
        )
    key = store.BoardKey(passphrase=phrase)
    return store.open_file(path, key, backups=backups, create=True), key, "passphrase"


def _open_server(url: str, passphrase: PassphraseProvider | None) -> tuple[store.Board, str]:
    """A team board on PostgreSQL. The password comes from the URL, the keyring, or the user."""
    entry = "server-" + store.display_url(url)
    if store.url_has_password(url):
        return store.open_server(url, None), "server (password in URL)"
    if store.needs_secure_password(url):
        # the connection is not encrypted for certain: no password is looked up, asked or sent
        return store.open_server(url, None), "server (no password over an unencrypted link)"
    password = secrets.get(entry)
    source = f"server (password in keyring, {secrets.backend_name()})"
    if password is None:
        password = os.environ.get("FACTDESK_DB_PASSWORD") or (
            passphrase(f"Password for the team board {store.display_url(url)}:")
            if passphrase
            else None
        )
        source = "server (password entered)"
    board = store.open_server(url, password)
    if password and secrets.available() and source == "server (password entered)":
        secrets.put(entry, password)
    return board, source
