"""The keyed seal of the history chain: an HMAC, with a per-board secret that never enters the
board, over the board id, the last event's number and its hash, and the list of the gaps it was
extended over. It lives in `board_meta` (no schema change) and moves with every write of someone
who holds the secret, so cutting the tail of the history or re-hashing every event is detected
by anyone who holds the secret. The plain head hash stays checkable by anyone with the board.

A gap is a run of events written without the secret (straight into the database, or by a
computer that lacks it). The next write that holds the secret does not seal over it silently:
the gap goes into the seal, under its MAC, with who wrote it and when, and `board verify` names
it until someone who holds the secret accepts it (`factdesk board accept FIRST-LAST`), which is
kept in the seal too. A seal that does not match (edited, removed, the history rewritten under
it) becomes a gap from event 1, so a rewrite is not laundered by the next honest write either.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets as _random
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import Connection, func, select

from factdesk.store import history
from factdesk.store import schema as s

SEAL_KEY = "chain_seal"
# Why a gap is in the seal.
UNSEALED = "unsealed"  # events after the seal, written without the secret
NO_SEAL = "no seal"  # the secret is held but the board carried no seal
BROKEN = "broken"  # the seal did not match the history (rewritten, cut, or the seal edited)
MAX_ACTORS = 5


@dataclass(frozen=True)
class Gap:
    first: int
    last: int
    why: str
    actors: tuple[str, ...]  # as the events name them (up to MAX_ACTORS)
    since: str  # the first and last event's time
    until: str
    found_by: str  # whose write (holding the secret) found the gap and sealed it
    found_at: str
    accepted_by: str = ""
    accepted_at: str = ""

    @property
    def accepted(self) -> bool:
        return bool(self.accepted_at)


@dataclass(frozen=True)
class Seal:
    seq: int
    mac: str
    gaps: tuple[Gap, ...] = ()
    version: int = 1


def new_secret() -> bytes:
    return _random.token_bytes(32)


def _gaps_text(gaps: tuple[Gap, ...]) -> str:
    return history.canonical_json([asdict(g) for g in gaps])


def mac(secret: bytes, board_id: str, seq: int, digest: str, gaps: tuple[Gap, ...] = ()) -> str:
    message = f"factdesk-chain-seal-v2|{board_id}|{seq}|{digest}|{_gaps_text(gaps)}"
    return hmac.new(secret, message.encode(), hashlib.sha256).hexdigest()


def _mac_v1(secret: bytes, board_id: str, seq: int, digest: str) -> str:
    """The seal as factdesk wrote it before gaps were kept (read, never written)."""
    message = f"factdesk-chain-seal-v1|{board_id}|{seq}|{digest}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def matches(secret: bytes, board_id: str, sealed: Seal, digest: str) -> bool:
    """Whether `sealed` was made with `secret` over the event whose hash is `digest`."""
    if sealed.version == 1:
        want = _mac_v1(secret, board_id, sealed.seq, digest)
    else:
        want = mac(secret, board_id, sealed.seq, digest, sealed.gaps)
    return hmac.compare_digest(want, sealed.mac)


def encode(secret: bytes, board_id: str, seq: int, digest: str, gaps: tuple[Gap, ...] = ()) -> str:
    return json.dumps(
        {
            "v": 2,
            "seq": seq,
            "mac": mac(secret, board_id, seq, digest, gaps),
            "gaps": [asdict(g) for g in gaps],
        }
    )


def _meta(conn: Connection, key: str) -> str | None:
    value = conn.scalar(select(s.BoardMeta.value).where(s.BoardMeta.key == key))
    return None if value is None else str(value)


def board_id(conn: Connection) -> str:
    return _meta(conn, "board_id") or ""


def read(conn: Connection) -> Seal | None:
    return parse(_meta(conn, SEAL_KEY))


def parse(raw: str | None) -> Seal | None:
    """A seal as `board_meta` keeps it (None: there is none; seq -1: it is unreadable)."""
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        gaps = tuple(
            Gap(**{**g, "actors": tuple(str(a) for a in g["actors"])}) for g in data.get("gaps", ())
        )
        return Seal(int(data["seq"]), str(data["mac"]), gaps, int(data.get("v", 1)))
    except (ValueError, KeyError, TypeError, AttributeError):
        return Seal(-1, "")


def hash_at(conn: Connection, seq: int) -> str | None:
    """The hash of event `seq` ('' before the first event; None: no such event)."""
    if seq == 0:
        return ""
    h = s.HistoryEvent.__table__
    value = conn.scalar(select(h.c.hash).where(h.c.seq == seq))
    return None if value is None else str(value)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def describe(
    conn: Connection, first: int, last: int, why: str, found_by: str, found_at: str
) -> Gap:
    """A gap with who wrote its events and when, as the events say."""
    h = s.HistoryEvent.__table__
    in_gap = h.c.seq.between(first, last)
    actors = conn.scalars(
        select(h.c.actor).where(in_gap).distinct().order_by(h.c.actor).limit(MAX_ACTORS + 1)
    ).all()
    since, until = conn.execute(select(func.min(h.c.at), func.max(h.c.at)).where(in_gap)).one()
    names = [str(a) for a in actors[:MAX_ACTORS]] + (["..."] if len(actors) > MAX_ACTORS else [])
    return Gap(
        first, last, why, tuple(names), str(since or ""), str(until or ""), found_by, found_at
    )


def carried(
    conn: Connection,
    secret: bytes,
    board: str,
    sealed: Seal | None,
    start: int,
    actor: str,
    *,
    first_seal: bool = False,
) -> tuple[Gap, ...]:
    """The gaps a new seal must carry when it is made by a write that began at event `start`:
    those of a seal that matches, plus the events after it; from event 1 when the seal does not
    match or is missing (`first_seal`: the board was never sealed and its secret was just made)."""
    if start == 0 or (sealed is None and first_seal):
        return ()
    found_at = now()
    if sealed is None:
        return (describe(conn, 1, start, NO_SEAL, actor, found_at),)
    digest = hash_at(conn, sealed.seq) if 0 <= sealed.seq <= start else None
    if digest is None or not matches(secret, board, sealed, digest):
        return (describe(conn, 1, start, BROKEN, actor, found_at),)
    if sealed.seq < start:
        return (*sealed.gaps, describe(conn, sealed.seq + 1, start, UNSEALED, actor, found_at))
    return sealed.gaps


def accept(gaps: tuple[Gap, ...], first: int, last: int, actor: str) -> tuple[Gap, ...]:
    """Every unaccepted gap inside events first..last marked accepted by `actor`, now."""
    at = now()
    return tuple(
        replace(g, accepted_by=actor, accepted_at=at)
        if not g.accepted and first <= g.first and g.last <= last
        else g
        for g in gaps
    )
