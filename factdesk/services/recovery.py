"""Recovery files: what opens an encrypted board when the keyring entry is gone (a new laptop, a
wiped keyring). Written once, 0600, when a board gets a keyring key; `factdesk board recover
FILE` files the key and the chain secret in this computer's keyring again."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from factdesk import paths as paths_mod
from factdesk import secrets, store
from factdesk.domain import BoardError, InvalidInputError, NotFoundError
from factdesk.services import integrity
from factdesk.services.context import Context

KIND = "factdesk board recovery"


def code(key_hex: str) -> str:
    """The key as a printable code: 16 groups of 4 hex digits."""
    return "-".join(key_hex[i : i + 4] for i in range(0, len(key_hex), 4))


def write(board: store.Board, key: store.BoardKey, p: paths_mod.Paths, tag: str = "") -> Path:
    """Write the recovery file of a board with a keyring key (0600, never over another)."""
    assert board.path is not None
    board_id = board.meta("board_id") or ""
    folder = paths_mod.ensure(p.data / "recovery")
    dest = folder / f"{board.path.stem}-{board_id[:8]}{tag}.factdesk-recovery"
    payload = {
        "kind": KIND,
        "board": str(board.path),
        "board_id": board_id,
        "salt": store.salt_hex(board.path),
        "key": key.raw_hex,
        "code": code(key.raw_hex),
        "chain_secret": board.chain_secret.hex() if board.chain_secret else "",
        "written": datetime.now(UTC).isoformat(),
    }
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(payload, f, indent=2)
        f.write("\n")
    return dest


def code_in(recovery_file: Path) -> str:
    """The printable code a recovery file holds ('' if it cannot be read)."""
    try:
        data = json.loads(recovery_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return str(data.get("code", "")) if isinstance(data, dict) else ""


def rekey(ctx: Context) -> Path:
    """A new random key for the board: a recovery file with the new key is written first, then
    every page is re-encrypted, then the keyring entry is replaced. Returns the new recovery
    file; the old key and old recovery files no longer open the board."""
    board = ctx.board
    if board.path is None or not board.encrypted:
        raise BoardError("Only an encrypted board file has a key to change.")
    if not secrets.available():
        raise BoardError("There is no usable keyring on this computer to hold the new key.")
    new = store.new_raw_key()
    stamp = datetime.now(UTC).strftime("-%Y%m%dT%H%M%SZ")
    with ctx.lock:
        written = write(board, new, ctx.paths, tag=stamp)
        board.rekey(new)
        secrets.put(secrets.board_entry(store.salt_hex(board.path)), new.raw_hex)
        ctx.key = new
        ctx.key_source = f"keyring ({secrets.backend_name()})"
    return written


def recover(board_path: Path, recovery_file: Path) -> str:
    """Put a board's key (and chain secret) from its recovery file into this keyring.
    Returns the board id."""
    try:
        data = json.loads(recovery_file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise NotFoundError(f"There is no recovery file at {recovery_file}.") from exc
    except (OSError, ValueError) as exc:
        raise InvalidInputError(f"{recovery_file} is not a factdesk recovery file.") from exc
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise InvalidInputError(f"{recovery_file} is not a factdesk recovery file.")
    if store.file_kind(board_path) != "encrypted":
        raise BoardError(f"{board_path} is not an encrypted board: there is no key to recover.")
    salt = store.salt_hex(board_path)
    if data.get("salt") != salt:
        raise InvalidInputError(
            f"{recovery_file} belongs to another board (or to this board before a backup "
            "copied it): its salt does not match the file's."
        )
    key = store.BoardKey(raw_hex=str(data["key"]))
    board = store.open_file(board_path, key, backups=None, create=False)  # WrongKeyError if not
    try:
        board_id = board.meta("board_id") or ""
    finally:
        board.close()
    if not secrets.available():
        raise BoardError(
            "There is no usable keyring on this computer to hold the recovered key; open the "
            "board on a computer with one."
        )
    secrets.put(secrets.board_entry(salt), key.raw_hex)
    if data.get("chain_secret") and board_id:
        secrets.put(integrity.entry(board_id), str(data["chain_secret"]))
    return board_id
