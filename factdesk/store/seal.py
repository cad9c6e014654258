"""The keyed seal of the history chain: an HMAC, with a per-board secret that never enters the
board, over the board id, the last event's number and its hash. It lives in `board_meta`
(no schema change) and moves with every write, so cutting the tail of the history or re-hashing
every event is detected by anyone who holds the secret. The plain head hash stays checkable by
anyone with the board.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets as _random
from dataclasses import dataclass

from sqlalchemy import Connection, select

from factdesk.store import schema as s

SEAL_KEY = "chain_seal"


@dataclass(frozen=True)
class Seal:
    seq: int
    mac: str


def new_secret() -> bytes:
    return _random.token_bytes(32)


def mac(secret: bytes, board_id: str, seq: int, digest: str) -> str:
    message = f"factdesk-chain-seal-v1|{board_id}|{seq}|{digest}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def matches(secret: bytes, board_id: str, seq: int, digest: str, value: str) -> bool:
    return hmac.compare_digest(mac(secret, board_id, seq, digest), value)


def encode(secret: bytes, board_id: str, seq: int, digest: str) -> str:
    return json.dumps({"seq": seq, "mac": mac(secret, board_id, seq, digest)})


def _meta(conn: Connection, key: str) -> str | None:
    value = conn.scalar(select(s.BoardMeta.value).where(s.BoardMeta.key == key))
    return None if value is None else str(value)


def board_id(conn: Connection) -> str:
    return _meta(conn, "board_id") or ""


def read(conn: Connection) -> Seal | None:
    raw = _meta(conn, SEAL_KEY)
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        return Seal(int(data["seq"]), str(data["mac"]))
    except (ValueError, KeyError, TypeError):
        return Seal(-1, "")
