"""The board's chain secret: the per-board key of the history's keyed seal, kept in the OS keyring
(entry `chain-<board id>`) beside the board's own key, never in the board."""

from __future__ import annotations

from factdesk import secrets, store


def entry(board_id: str) -> str:
    return f"chain-{board_id}"


def load_chain_secret(board: store.Board, *, writable: bool) -> None:
    """Give the board its chain secret. A board that has never been sealed gets a new secret
    (when a keyring can hold it and the board may be written) and is sealed as it stands."""
    if board.backend != "sqlite":
        return  # a team board has no one keyring to share a secret: its head hash is kept
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
    board.seal_now()
