"""What a board's integrity rests on outside the board: its chain secret (the per-board key of the
history's keyed seal, keyring entry `chain-<board id>`, never in the board; on a team board each
member's keyring holds it, handed on in a secret file), and the memory that a board was created
encrypted (keyring and settings), so a plaintext file in its place is refused."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from factdesk import paths as paths_mod
from factdesk import secrets, store
from factdesk import settings as settings_mod
from factdesk.domain import BoardError, InvalidInputError, UnsealedRecord


def entry(board_id: str) -> str:
    return f"chain-{board_id}"


def load_chain_secret(board: store.Board, *, writable: bool) -> None:
    """Give the board its chain secret. A board that has never been sealed gets a new secret
    (when a keyring can hold it and the board may be written) and is sealed as it stands."""
    board_id = board.meta("board_id") or ""
    if not board_id:
        return
    stored = secrets.get(entry(board_id))
    if stored:
        board.chain_secret = bytes.fromhex(stored)
        return
    if not writable or board.meta(store.seal.SEAL_KEY) is not None or not secrets.available():
        return
    secret = store.seal.new_secret()
    try:
        secrets.put(entry(board_id), secret.hex())
    except Exception:
        return  # no keyring to hold it: the board stays unsealed, verify says so
    board.chain_secret = secret
    if not board.seal_now():
        # another member sealed the board first: theirs is the board's secret, not this one
        board.chain_secret = None
        with contextlib.suppress(Exception):
            secrets.delete(entry(board_id))


def _path_entry(path: Path) -> str:
    return "encrypted-" + hashlib.sha256(str(path).encode()).hexdigest()[:32]


def remember_encrypted(p: paths_mod.Paths, path: Path) -> None:
    """Note that the board at `path` is encrypted (in the keyring if any, and in the settings)."""
    if secrets.available() and not secrets.get(_path_entry(path)):
        with contextlib.suppress(Exception):  # the settings keep it too
            secrets.put(_path_entry(path), "1")
    settings = settings_mod.load(p.settings_file)
    if str(path) not in settings.encrypted_boards:
        boards = [*settings.encrypted_boards, str(path)]
        settings_mod.save(p.settings_file, settings.with_(encrypted_boards=boards))


def refuse_if_was_encrypted(p: paths_mod.Paths, path: Path) -> None:
    settings = settings_mod.load(p.settings_file)
    if str(path) in settings.encrypted_boards or secrets.get(_path_entry(path)):
        raise BoardError(
            f"{path} was an encrypted board, but the file there now is not encrypted: it may "
            "have been swapped. factdesk leaves it untouched. If you decrypted it yourself, "
            f"remove it from encrypted_boards in {p.settings_file} to use it unencrypted."
        )


SECRET_KIND = "factdesk chain secret"


def export_secret(board: store.Board, dest: Path) -> Path:
    """Write the board's chain secret to a new file (0600) for a colleague's keyring: on a team
    board every member who writes needs it, or their events stay outside the seal."""
    if board.chain_secret is None:
        raise BoardError(
            "This computer has no chain secret for the board, so there is none to hand on: "
            "import it from a colleague's secret file first."
        )
    payload = {
        "kind": SECRET_KIND,
        "board": board.location,
        "board_id": board.meta("board_id") or "",
        "chain_secret": board.chain_secret.hex(),
    }
    try:
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise BoardError(f"{dest} exists already; choose a new file name.") from exc
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(payload, f, indent=2)
        f.write("\n")
    return dest


def import_secret(board: store.Board, source: Path) -> None:
    """File a colleague's chain secret for this board in this keyring; later writes seal."""
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BoardError(f"{source} cannot be read as a factdesk secret file ({exc}).") from exc
    board_id = board.meta("board_id") or ""
    if not isinstance(data, dict) or data.get("kind") != SECRET_KIND:
        raise BoardError(f"{source} is not a factdesk secret file.")
    if data.get("board_id") != board_id:
        raise BoardError(f"{source} holds the secret of another board, not of {board.location}.")
    secret = bytes.fromhex(str(data["chain_secret"]))
    if board.sealed_by(secret) is False:
        raise BoardError(f"{source} does not hold the secret that sealed this board.")
    if not secrets.available():
        raise BoardError("There is no usable keyring on this computer to hold the secret.")
    secrets.put(entry(board_id), secret.hex())
    board.chain_secret = secret


def unsealed(board: store.Board) -> list[UnsealedRecord]:
    return [_record(g) for g in board.unsealed()]


def accept(board: store.Board, span: str, actor: str) -> list[UnsealedRecord]:
    """Vouch for events written without the chain secret: `span` is FIRST-LAST, one event
    number, or `all`."""
    text = span.strip().lower()
    try:
        if text == "all":
            first, last = 1, 2**62
        elif "-" in text:
            a, b = text.split("-", 1)
            first, last = int(a), int(b)
        else:
            first = last = int(text)
    except ValueError:
        raise InvalidInputError(
            f"'{span}' is not a range of events: give FIRST-LAST (as `factdesk board verify` "
            "names them), one event number, or all."
        ) from None
    return [_record(g) for g in board.accept_unsealed(first, last, actor)]


def _record(gap: store.seal.Gap) -> UnsealedRecord:
    return UnsealedRecord(
        first=gap.first,
        last=gap.last,
        actors=gap.actors,
        since=gap.since,
        until=gap.until,
        accepted_by=gap.accepted_by,
        accepted_at=gap.accepted_at,
    )
