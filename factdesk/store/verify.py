"""`board verify`: the database file's own integrity, the history chain (hash links and the keyed
seal), the live rows against the state the history replays to, and every attachment's bytes.

Two sequential passes, streamed with SQLAlchemy Core in the tables' own order (no sort, no
random reads): the history in `seq` order checks the chain and folds every entity's events into
a 64-bit digest of the row they produce (one dict entry per row, ~150 bytes); then each live
table gives its rows' digests. A row whose digests differ is replayed exactly, alone, to name the
field ("claim 3f2a1b2c: status is 'verified' in the board, history says 'disputed'").

A row's digest is the XOR of one keyed hash per field, so an update folds in by swapping the
terms of the fields it changed (its `before` against its `after`). The hash is keyed with a
secret drawn for each run (str hashing is SipHash with a random seed; a random nonce leads every
term), so no one can prepare an edit whose terms cancel out.
"""

from __future__ import annotations

import hashlib
import json
import secrets as _random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from factdesk.domain import VerifyProblem, VerifyReport
from factdesk.store import history, seal
from factdesk.store import schema as s

Progress = Callable[[int, int], None]

# Row tables whose every change goes through the history (entity name as logged -> table).
TABLES: tuple[tuple[str, Any], ...] = (
    ("article", s.Article.__table__),
    ("claim", s.Claim.__table__),
    ("evidence", s.Evidence.__table__),
    ("link", s.ClaimEvidence.__table__),
    ("attachment", s.Attachment.__table__),
)
NOT_COMPARED = {"data"}  # attachment bytes: checked against the sha256 the history recorded
DATETIMES = {"created_at", "updated_at", "imported_at"}
# A flood of forged rows should not build a list as big as the board: the first ones name the edit.
MAX_PROBLEMS = 1000
BATCH = 2000
MISSING = object()


@dataclass
class _Findings:
    problems: list[VerifyProblem] = field(default_factory=list)
    more: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, where: str, what: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(VerifyProblem(where, what))
        else:
            self.more += 1


def _show(value: Any) -> str:
    """A value as a problem line shows it: quoted, control characters escaped, long text cut."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _jsonable(value: Any) -> Any:
    from factdesk.store.board import _jsonable as convert

    return convert(value)


class _Counter:
    """Progress every 20,000 rows read (history events, then live rows)."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.total = total
        self.done = 0

    def tick(self) -> None:
        self.done += 1
        if self.progress is not None and self.done % 20_000 == 0:
            self.progress(min(self.done, self.total), self.total)

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total)


def verify(
    conn: Connection, secret: bytes | None, progress: Progress | None = None
) -> VerifyReport:
    found = _Findings()
    n_events = conn.scalar(select(func.count()).select_from(s.HistoryEvent.__table__)) or 0
    n_rows = sum(conn.scalar(select(func.count()).select_from(table)) or 0 for _, table in TABLES)
    counter = _Counter(progress, n_events + n_rows)
    fold = _Fold(conn.dialect.name)
    sealed = seal.read(conn)
    head, last, sealed_hash = _walk(conn, found, fold, sealed, counter)
    _check_seal(conn, found, secret, sealed, sealed_hash, last)
    _check_rows(conn, found, fold, counter)
    n_att = _check_attachments(conn, found)
    if found.more:
        found.problems.append(
            VerifyProblem("board", f"{found.more} more problems like the ones above")
        )
    counter.finish()
    return VerifyReport(n_events, n_att, head, tuple(found.problems), tuple(found.notes))


# -- the file -------------------------------------------------------------------------------


def file_damage(engine: Engine, encrypted: bool) -> list[VerifyProblem]:
    """SQLite's own check of every page (SQLCipher: each page's HMAC first), on a connection of
    its own made for it (see crypto.damage_report)."""
    if engine.dialect.name != "sqlite":
        return []
    from factdesk.store.crypto import damage_report

    pool = engine.pool.recreate()
    try:
        conn = pool.connect()
        try:
            lines = damage_report(conn.driver_connection, encrypted)
        finally:
            conn.close()
    finally:
        pool.dispose()
    return [VerifyProblem("database file", line) for line in lines]


# -- the chain, and each row's digest as the history builds it ------------------------------


def _stream(conn: Connection, sql: str) -> Iterator[Any]:
    """Raw rows of a driver-level query, fetched in batches (a server-side cursor on PostgreSQL)."""
    opts = {"stream_results": True, "yield_per": BATCH}
    return iter(conn.exec_driver_sql(sql, execution_options=opts))


def _walk(
    conn: Connection,
    found: _Findings,
    fold: _Fold,
    sealed: seal.Seal | None,
    counter: _Counter,
) -> tuple[str, int, str | None]:
    """One pass over the history in `seq` order. Returns (head hash, last seq, hash at the
    sealed event)."""
    names = history.HASHED_FIELDS
    sql = f"SELECT {', '.join(names)}, hash FROM history ORDER BY seq"
    i_seq, i_prev, i_at, i_action = (names.index(n) for n in ("seq", "prev_hash", "at", "action"))
    i_op, i_ent, i_eid = (names.index(n) for n in ("op", "entity", "entity_id"))
    i_before, i_after = names.index("before"), names.index("after")
    event_hash = history.event_hash_of_row
    prev = ""
    expected_seq = 1
    sealed_hash: str | None = None
    for row in _stream(conn, sql):
        counter.tick()
        seq, digest = row[i_seq], row[-1]
        if seq != expected_seq or row[i_prev] != prev or event_hash(row[:-1]) != digest:
            where = f"history event {seq} ({str(row[i_at])[:19]}, {row[i_action]})"
            if seq != expected_seq:
                found.add(
                    f"history before event {seq}",
                    f"events {expected_seq}..{seq - 1} are missing (deleted?)",
                )
            if row[i_prev] != prev:
                found.add(where, "does not link to the event before it (chain broken)")
            if event_hash(row[:-1]) != digest:
                found.add(where, "its content was changed after it was written")
        if sealed is not None and seq == sealed.seq:
            sealed_hash = digest
        fold.event(row[i_ent], row[i_eid], row[i_op], row[i_before], row[i_after])
        prev = digest
        expected_seq = seq + 1
    last = expected_seq - 1
    head = conn.execute(
        select(s.ChainHead.seq, s.ChainHead.hash).where(s.ChainHead.id == 1)
    ).first()
    if head is not None and (head.seq != last or head.hash != prev):
        found.add(
            "history head",
            f"the board says the last event is {head.seq} but the log ends at {last} "
            "(events removed from the end?)",
        )
    return prev, last, sealed_hash


class _Salts(dict[str, int]):
    """One secret salt per field of an entity (drawn from the run's nonce), so a term is the
    hash of a pair."""

    def __init__(self, nonce: str, entity: str) -> None:
        super().__init__()
        self.nonce = nonce
        self.entity = entity

    def __missing__(self, key: str) -> int:
        value = self[key] = hash((self.nonce, self.entity, key))
        return value


class _Fold:
    """Each entity's digest as its events build it: entity id -> digest, or None once deleted.
    `loose` holds the ids whose events cannot be folded (an update before any create, a change
    without its old value, an update that did not log its time): they are replayed exactly."""

    def __init__(self, dialect: str) -> None:
        nonce = _random.token_hex(16)
        self.salts = {entity: _Salts(nonce, entity) for entity, _ in TABLES}
        self.digests: dict[str, int | None] = {}
        self.kind: dict[str, str] = {}  # the entity of each id, for naming rows deleted directly
        self.loose: set[str] = set()
        self.sqlite = dialect == "sqlite"

    def logged(self, key: str, value: Any) -> Any:
        """A history value in the form the driver gives it (SQLite: '2026-01-02 03:04:05.000006'
        for the history's '2026-01-02T03:04:05.000006+00:00')."""
        if self.sqlite and key in DATETIMES and isinstance(value, str):
            if len(value) == 32 and value.endswith("+00:00"):
                return value[:10] + " " + value[11:26]
            try:
                return _instant(value).strftime("%Y-%m-%d %H:%M:%S.%f")
            except ValueError:
                return value
        return value

    def stored(self, row: Any) -> Any:
        """A driver's row in the same form (PostgreSQL hands back datetime and date objects)."""
        if self.sqlite:
            return row
        return [_jsonable(v) if isinstance(v, datetime | date) else v for v in row]

    def event(self, entity: str, entity_id: str, op: str, before: str, after: str) -> None:
        salts = self.salts.get(entity)
        if salts is None:
            self.loose.add(entity_id)
            return
        if op == "create":
            acc = 0
            for key, value in json.loads(after).items():
                if key in DATETIMES:
                    value = self.logged(key, value)
                acc ^= hash((salts[key], value))
            self.digests[entity_id] = acc
            self._entity(entity_id, entity)
        elif op == "delete":
            self.digests[entity_id] = None
            self._entity(entity_id, entity)
        elif op == "update":
            got = self.digests.get(entity_id)
            if got is None:
                self.loose.add(entity_id)
                self.digests.setdefault(entity_id, 0)
                return
            acc = got
            old, new = json.loads(before), json.loads(after)
            if "updated_at" not in new:
                self.loose.add(entity_id)  # written before updates logged their time
            for key, value in new.items():
                was = old.get(key, MISSING)
                if was is MISSING:
                    self.loose.add(entity_id)
                    continue
                salt = salts[key]
                acc ^= hash((salt, self.logged(key, was))) ^ hash((salt, self.logged(key, value)))
            self.digests[entity_id] = acc

    def _entity(self, entity_id: str, entity: str) -> None:
        seen = self.kind.get(entity_id)
        if seen is not None and seen != entity:
            self.loose.add(entity_id)  # one id logged under two names: replayed exactly
        self.kind[entity_id] = entity


def _check_seal(
    conn: Connection,
    found: _Findings,
    secret: bytes | None,
    sealed: seal.Seal | None,
    sealed_hash: str | None,
    last: int,
) -> None:
    board_id = seal.board_id(conn)
    if sealed is None:
        if secret is not None and last > 0:
            found.add(
                "keyed seal",
                "this board's chain secret is known but the board carries no seal: it was "
                "removed, or the history was rebuilt without the secret",
            )
        elif last > 0:
            found.notes.append(
                "the history is not sealed with a chain secret (a board made before sealing, "
                "or no keyring): only the head hash, kept elsewhere, shows a rewritten history"
            )
        return
    if sealed.seq < 0:
        found.add("keyed seal", "the seal is unreadable (edited in the board)")
        return
    if secret is None:
        found.notes.append(
            "the keyed seal could not be checked: this computer has no chain secret for the "
            "board (open it once from its recovery file to bring the secret here)"
        )
        return
    at = sealed_hash
    if at is None:
        found.add(
            "keyed seal",
            f"the seal covers events up to {sealed.seq} but the log ends at {last} "
            "(events removed from the end)",
        )
    elif not seal.matches(secret, board_id, sealed.seq, at, sealed.mac):
        found.add(
            "keyed seal",
            f"the history up to event {sealed.seq} is not the one the chain secret sealed "
            "(events re-hashed or rewritten)",
        )
    elif sealed.seq < last:
        found.add(
            "keyed seal",
            f"events {sealed.seq + 1}..{last} are not covered by the seal (written without "
            "the chain secret: directly, or by a computer that lacks it)",
        )


# -- live rows against the replayed history -------------------------------------------------


def _check_rows(conn: Connection, found: _Findings, fold: _Fold, counter: _Counter) -> None:
    """Each table read in its own order; a row whose digest differs from the history's is
    replayed exactly to name what differs."""
    quote = conn.dialect.identifier_preparer.quote
    digests, loose = fold.digests, fold.loose
    for entity, table in TABLES:
        keys = [c.key for c in table.c if c.key not in NOT_COMPARED]
        i_id = keys.index("id")
        sql = f"SELECT {', '.join(quote(k) for k in keys)} FROM {quote(table.name)}"
        salts = fold.salts[entity]
        col_salts = [salts[k] for k in keys]
        stored, tick = fold.stored, counter.tick
        for raw in _stream(conn, sql):
            tick()
            row = stored(raw)
            entity_id = row[i_id]
            expected = digests.pop(entity_id, MISSING)
            if expected is MISSING:
                found.add(
                    f"{entity} {str(entity_id)[:8]}",
                    "is on the board but its history never created it (inserted directly)",
                )
                continue
            acc = 0
            for salt, value in zip(col_salts, row, strict=True):
                acc ^= hash((salt, value))
            if acc != expected or entity_id in loose:
                _replay_one(conn, found, entity, entity_id, dict(zip(keys, row, strict=True)))
            elif entity == "article":
                _check_article_sha(
                    found, entity_id, row[keys.index("text")], row[keys.index("sha256")]
                )
    for entity_id, left in digests.items():
        if left is not None:
            entity = fold.kind.get(entity_id, "row")
            found.add(
                f"{entity} {entity_id[:8]}",
                "is gone from the board, its history says it exists (deleted directly)",
            )


def _check_article_sha(found: _Findings, article_id: str, text: Any, sha: Any) -> None:
    if isinstance(text, str) and hashlib.sha256(text.encode()).hexdigest() != sha:
        found.add(f"article {article_id[:8]}", "its text does not match its SHA-256")


def _replay_one(
    conn: Connection, found: _Findings, entity: str, entity_id: str, row: dict[str, Any]
) -> None:
    """Fold one row's events into its full state and name each field that differs."""
    h = s.HistoryEvent.__table__
    events = conn.execute(
        select(h.c.entity, h.c.op, h.c.after).where(h.c.entity_id == entity_id).order_by(h.c.seq)
    )
    state: dict[str, Any] | None = None
    ok = True
    logged_entity = entity
    for ent, op, after in events:
        logged_entity = ent
        if op == "create":
            state = json.loads(after)
        elif op == "update":
            values = json.loads(after)
            if state is None:
                ok, state = False, {}
            state.update(values)
            if "updated_at" not in values:
                state.pop("updated_at", None)  # boards written before updates logged their time
        elif op == "delete":
            state = None
    _compare_one(found, entity, entity_id, row, logged_entity, state, ok)


def _same(actual: Any, expected: Any) -> bool:
    """A driver's value against the history's JSON value: equal as stored, or as the same
    instant (SQLite keeps '2026-01-02 03:04:05.000006', the history '2026-01-02T03:04:05.000006+00:00')."""
    if actual == expected:
        return True
    if isinstance(expected, str) and isinstance(actual, str | datetime | date):
        try:
            return _instant(actual) == _instant(expected)
        except ValueError:
            return False
    return False


def _instant(value: str | datetime | date) -> Any:
    if isinstance(value, str):
        parsed: datetime | date = datetime.fromisoformat(value)
    else:
        parsed = value
    if isinstance(parsed, datetime):
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    return parsed


def _compare_one(
    found: _Findings,
    entity: str,
    entity_id: str,
    row: dict[str, Any],
    logged_entity: str,
    state: dict[str, Any] | None,
    ok: bool,
) -> None:
    where = f"{entity} {entity_id[:8]}"
    if logged_entity != entity:
        found.add(where, f"is a {entity} on the board, its history says it is a {logged_entity}")
        return
    if state is None:
        found.add(where, "is on the board, its history says it was deleted (restored directly)")
        return
    if not ok:
        found.add(where, "its history changes it before creating it")
    for key, expected in state.items():
        actual = row.get(key, MISSING)
        if actual is MISSING:
            continue  # bytes, or a column a later schema added outside the history
        if actual == expected or _same(actual, expected):
            continue
        if key == "text" and isinstance(actual, str) and isinstance(expected, str):
            found.add(
                where,
                f"its text was changed in the board ({len(actual)} characters; the "
                f"history says {len(expected)})",
            )
        else:
            found.add(
                where,
                f"{key} is {_show(_shown(actual, expected))} in the board, history says {_show(expected)}",
            )
    if entity == "article":
        _check_article_sha(found, entity_id, row.get("text"), row.get("sha256"))


def _shown(value: Any, expected: Any) -> Any:
    """A driver's value as the history would write it (SQLite keeps booleans as 0 and 1)."""
    if isinstance(expected, bool) and value in (0, 1) and not isinstance(value, bool):
        return bool(value)
    return _jsonable(value) if isinstance(value, datetime | date) else value


# -- attachment bytes -----------------------------------------------------------------------


def _check_attachments(conn: Connection, found: _Findings) -> int:
    a = s.Attachment.__table__
    n = 0
    ids = conn.execute(select(a.c.id, a.c.sha256, a.c.filename, a.c.size).order_by(a.c.id))
    for att_id, sha, name, size in ids.fetchall():
        n += 1
        data = conn.scalar(select(a.c.data).where(a.c.id == att_id))
        digest = hashlib.sha256(data or b"")
        where = f"attachment {str(sha)[:12]} ({name})"
        if digest.hexdigest() != sha:
            found.add(
                where, f"its bytes do not match its SHA-256 (now {digest.hexdigest()[:12]}...)"
            )
        elif len(data or b"") != size:
            found.add(where, "its size is wrong")
    return n
