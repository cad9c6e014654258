"""`board verify`'s fast pass on a board file: proves that the chain, its head and every live row
agree with the history, or says that something does not (then verify.py's naming pass runs and
names it). It holds nothing per row that was created and never changed.

SQLite writes the text to hash, in C: each event as the canonical JSON its hash covers, and each
live row as the JSON its create event would have logged (json_object with the keys sorted,
booleans as booleans, times as ISO 8601 UTC), so Python only hashes bytes. Two sums of keyed
hashes must be equal: one over the create events (the walk, in seq order), one over the live
rows (scan_rows, on a second connection beside the walk). A row changed since its create is
folded as verify.py folds it (one keyed term per field, XOR-ed), then looked up, taken out of
the rows' sum and checked alone. Where SQLite writes a value differently from Python (a float
that needs 17 digits, say), the event or changed row is written again by Python before anything
is called wrong; a sum that does not balance hands over to the naming pass, which is exact.
"""

from __future__ import annotations

import hashlib
import json
import secrets as _random
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Boolean, Connection, DateTime

from factdesk.store import history

# A changed row's entry: [seq of its first update or delete (its create must be taken out of the
# creates' sum), the terms of the create it now rests on (PENDING: look it up; DELETED), delta].
PENDING = object()
DELETED = object()
BATCH = 2000
# Articles carry their whole text (and the JSON of it): 2,000 of 45 KB held at once were 200 MB.
ARTICLE_BATCH = 20
# Columns a later schema added and filled outside the history (0015: each claim's tier, ranked in
# its article by the migration): a create logged before has no such key, and its row is checked
# without them (its JSON less those columns must be that create's text; changed, on the create's
# own keys), as verify.py's naming pass checks it, and not handed over to that pass.
ADDED_LATER = {"claim": ("priority",)}
_LATER_KEYS = {entity: [f'"{k}":'.encode() for k in keys] for entity, keys in ADDED_LATER.items()}


class Mismatch(Exception):
    """Something does not agree: the naming pass finds what."""


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _as_logged_sql(table: Any, key: str) -> str:
    """A column as the history logs it, in SQL (mirrors verify._Fold.row_text)."""
    col = _quote(key)
    kind = table.c[key].type
    if isinstance(kind, DateTime):
        return (
            f"CASE WHEN typeof({col}) = 'text' AND length({col}) = 26 AND substr({col}, 11, 1) "
            f"= ' ' THEN substr({col}, 1, 10) || 'T' || substr({col}, 12, 8) || CASE WHEN "
            f"substr({col}, 20) = '.000000' THEN '' ELSE substr({col}, 20) END || '+00:00' "
            f"ELSE {col} END"
        )
    if isinstance(kind, Boolean):
        return (
            f"CASE WHEN typeof({col}) = 'integer' AND {col} IN (0, 1) THEN "
            f"json(CASE {col} WHEN 1 THEN 'true' ELSE 'false' END) ELSE {col} END"
        )
    return col


def row_json_sql(table: Any, keys: list[str]) -> str:
    pairs = ", ".join(f"'{k}', {_as_logged_sql(table, k)}" for k in sorted(keys))
    return f"json_object({pairs})"


EVENT_JSON_SQL = (
    "json_object(" + ", ".join(f"'{n}', {_quote(n)}" for n in sorted(history.HASHED_FIELDS)) + ")"
)


def _loads(text: Any) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        raise Mismatch from None
    if not isinstance(value, dict):
        raise Mismatch
    return value


class FastPass:
    def __init__(
        self,
        conn: Connection,
        tables: Sequence[tuple[str, Any]],
        not_compared: set[str],
        counter: Any,
    ) -> None:
        self.conn = conn
        self.raw = conn.connection.cursor
        self.tables = tables
        self.not_compared = not_compared
        self.counter = counter
        self.nonce = _random.token_hex(16)
        self.salts: dict[tuple[str, str], int] = {}
        self.entities = {entity for entity, _ in tables}
        self.creates = 0  # sum of the keyed hashes of create events still standing
        self.n_creates = 0
        self.changed: dict[tuple[str, str], list[Any]] = {}
        # rows created before a column was added: keyed hash of the create's text, until changed
        self.short: dict[tuple[str, str], int] = {}
        self.partial: dict[tuple[str, str], frozenset[str]] = {}  # such a changed row's keys
        self.scanned = 0  # rows read by scan_rows so far (its thread's progress)
        self.stop = False  # set by the walk's thread when scan_rows may as well stop

    # -- hashes ---------------------------------------------------------------------------

    def keyed(self, entity: str, entity_id: str, text: bytes) -> int:
        return hash((self.nonce, entity, entity_id, text))

    def salt(self, entity: str, key: str) -> int:
        got = self.salts.get((entity, key))
        if got is None:
            got = self.salts[(entity, key)] = hash((self.nonce, entity, key))
        return got

    def terms(self, entity: str, values: dict[str, Any]) -> int:
        acc = 0
        for key, value in values.items():
            acc ^= hash((self.salt(entity, key), value))
        return acc

    def _terms(self, entity: str, text: Any, logged: frozenset[str] | None) -> int:
        """A row's terms; `logged`: only those of the keys its create event logged."""
        values = _loads(text)
        if logged is not None:
            values = {k: v for k, v in values.items() if k in logged}
        return self.terms(entity, values)

    def _rows(
        self, sql: str, params: Sequence[Any] = (), size: int = BATCH, cursor: Any = None
    ) -> Any:
        cursor = (cursor or self.raw)()
        try:
            cursor.execute(sql, params)
            while batch := cursor.fetchmany(size):
                yield batch
        finally:
            cursor.close()

    # -- the history ----------------------------------------------------------------------

    def walk(self, sealed_seq: int | None) -> tuple[int, str, int, str | None]:
        """The chain in seq order; every event folded. Returns (events, head hash, last seq,
        hash at the sealed event)."""
        sql = (
            "SELECT seq, entity, entity_id, op, before, CAST(after AS BLOB), prev_hash, hash, "
            f"CAST({EVENT_JSON_SQL} AS BLOB) FROM history ORDER BY seq"
        )
        sha256 = hashlib.sha256
        prev, expected_seq, n, sealed_hash = "", 1, 0, None
        entities, changed, nonce, short = self.entities, self.changed, self.nonce, self.short
        creates, n_creates = 0, 0
        for batch in self._rows(sql):
            self.counter.add(len(batch), self.scanned)
            n += len(batch)
            for seq, entity, entity_id, op, before, after, prev_hash, digest, text in batch:
                if seq != expected_seq or prev_hash != prev:
                    raise Mismatch
                if sha256(text).hexdigest() != digest and not self._event_ok(seq, digest):
                    raise Mismatch
                if seq == sealed_seq:
                    sealed_hash = digest
                prev, expected_seq = digest, seq + 1
                if entity not in entities:
                    raise Mismatch
                key = (entity, entity_id)
                if key in short and op != "create":
                    # changed since: checked as any changed row is, on its create's keys
                    creates += short.pop(key)
                    n_creates += 1
                    self.partial[key] = frozenset()
                if op == "create":
                    entry = changed.get(key)
                    later = _LATER_KEYS.get(entity)
                    if later and entry is None and not all(k in after for k in later):
                        short[key] = hash((nonce, entity, entity_id, after))  # self.keyed
                    elif entry is None:
                        creates += hash((nonce, entity, entity_id, after))  # self.keyed
                        n_creates += 1
                    elif entry[1] is DELETED:
                        entry[1], entry[2] = self.terms(entity, _loads(after)), 0
                    else:
                        raise Mismatch  # created twice
                elif op == "update":
                    self._update(key, seq, before, after)
                elif op == "delete":
                    entry = changed.get(key)
                    if entry is None:
                        changed[key] = [seq, DELETED, 0]
                    elif entry[1] is DELETED:
                        raise Mismatch
                    else:
                        entry[1], entry[2] = DELETED, 0
                else:
                    raise Mismatch
        self.creates, self.n_creates = creates, n_creates
        return n, prev, expected_seq - 1, sealed_hash

    def _event_ok(self, seq: int, digest: str) -> bool:
        """SQLite's JSON of an event differs from Python's: Python's decides."""
        names = ", ".join(map(_quote, history.HASHED_FIELDS))
        for batch in self._rows(f"SELECT {names} FROM history WHERE seq = ?", (seq,)):
            return history.event_hash_of_row(tuple(batch[0])) == digest
        return False

    def _update(self, key: tuple[str, str], seq: int, before: str, after: str) -> None:
        old, new = _loads(before), _loads(after)
        if "updated_at" not in new:
            raise Mismatch  # written before updates logged their time: replayed exactly
        entity = key[0]
        delta = 0
        for field, value in new.items():
            if field not in old:
                raise Mismatch
            salt = self.salt(entity, field)
            delta ^= hash((salt, old[field])) ^ hash((salt, value))
        entry = self.changed.get(key)
        if entry is None:
            self.changed[key] = [seq, PENDING, delta]
        elif entry[1] is DELETED:
            raise Mismatch  # changed after it was deleted
        else:
            entry[2] ^= delta

    def resolve(self) -> None:
        """Each changed row's create (the one before its first change) taken out of the sum,
        and its terms folded in where the row rests on it."""
        pending = [(key, entry) for key, entry in self.changed.items() if entry[0] is not None]
        for i in range(0, len(pending), 500):
            part = pending[i : i + 500]
            ids = list({key[1] for key, _ in part})
            marks = ", ".join("?" * len(ids))
            found: dict[str, list[tuple[int, str, bytes]]] = {}
            sql = (
                "SELECT entity_id, seq, entity, CAST(after AS BLOB) FROM history "
                f"WHERE op = 'create' AND entity_id IN ({marks})"
            )
            for batch in self._rows(sql, ids):
                for entity_id, seq, entity, after in batch:
                    found.setdefault(entity_id, []).append((seq, entity, after))
            for key, entry in part:
                entity, entity_id = key
                first = entry[0]
                before = [e for e in found.get(entity_id, ()) if e[1] == entity and e[0] < first]
                if len(before) != 1:
                    raise Mismatch  # changed before it was created, or created twice
                after = before[0][2]
                self.creates -= self.keyed(entity, entity_id, after)
                self.n_creates -= 1
                if entry[1] is PENDING:
                    logged = _loads(after)
                    entry[1] = self.terms(entity, logged)
                    if key in self.partial:
                        self.partial[key] = frozenset(logged)
                entry[0] = None

    # -- the live rows --------------------------------------------------------------------

    def scan_rows(self, cursor: Any) -> tuple[int, int]:
        """Every live row's JSON hashed into one sum (run on a connection of its own, beside
        the walk); returns (sum, rows). `cursor` makes a cursor on that connection."""
        total, n_rows = 0, 0
        nonce, sha256 = self.nonce, hashlib.sha256
        for entity, table in self.tables:
            keys = [c.key for c in table.c if c.key not in self.not_compared]
            extra = ", text, sha256" if entity == "article" else ""
            sql = (
                f"SELECT id, CAST({row_json_sql(table, keys)} AS BLOB){extra} "
                f"FROM {_quote(table.name)}"
            )
            for batch in self._rows(sql, size=ARTICLE_BATCH if extra else BATCH, cursor=cursor):
                if self.stop:
                    raise Mismatch  # the walk found something: the naming pass runs
                self.scanned += len(batch)
                n_rows += len(batch)
                for row in batch:
                    if extra and (
                        not isinstance(row[2], str) or sha256(row[2].encode()).hexdigest() != row[3]
                    ):
                        raise Mismatch
                    total += hash((nonce, entity, row[0], row[1]))  # self.keyed
        return total, n_rows

    def _check_short(self, total: int, n_rows: int) -> tuple[int, int]:
        """Rows created before a column was added and unchanged since, taken out of the rows'
        sum: each row's JSON without those columns must be its create's very text."""
        by_entity: dict[str, list[str]] = {}
        for entity, entity_id in self.short:
            by_entity.setdefault(entity, []).append(entity_id)
        for entity, table in self.tables:
            ids = by_entity.get(entity, [])
            keys = [c.key for c in table.c if c.key not in self.not_compared]
            logged = [k for k in keys if k not in ADDED_LATER.get(entity, ())]
            for i in range(0, len(ids), 500):
                part = ids[i : i + 500]
                sql = (
                    f"SELECT id, CAST({row_json_sql(table, keys)} AS BLOB), "
                    f"CAST({row_json_sql(table, logged)} AS BLOB) FROM {_quote(table.name)} "
                    f"WHERE id IN ({', '.join('?' * len(part))})"
                )
                for batch in self._rows(sql, part):
                    for entity_id, text, as_logged in batch:
                        if self.keyed(entity, entity_id, as_logged) != self.short.pop(
                            (entity, entity_id)
                        ):
                            raise Mismatch  # changed outside the history (or logged without
                            # another later column: the naming pass compares field by field)
                        total -= self.keyed(entity, entity_id, text)
                        n_rows -= 1
        if self.short:
            raise Mismatch  # gone from the board
        return total, n_rows

    def check_changed(self, total: int, n_rows: int, row_text: Any) -> None:
        """Each changed row taken out of the rows' sum and checked alone; then the rows' sum
        must be the creates' sum."""
        total, n_rows = self._check_short(total, n_rows)
        by_entity: dict[str, list[str]] = {}
        for entity, entity_id in self.changed:
            by_entity.setdefault(entity, []).append(entity_id)
        for entity, table in self.tables:
            ids = by_entity.get(entity, [])
            keys = [c.key for c in table.c if c.key not in self.not_compared]
            for i in range(0, len(ids), 500):
                part = ids[i : i + 500]
                sql = (
                    f"SELECT id, CAST({row_json_sql(table, keys)} AS BLOB) "
                    f"FROM {_quote(table.name)} WHERE id IN ({', '.join('?' * len(part))})"
                )
                for batch in self._rows(sql, part):
                    for entity_id, text in batch:
                        entry = self.changed.pop((entity, entity_id))
                        total -= self.keyed(entity, entity_id, text)
                        n_rows -= 1
                        if entry[1] is DELETED:
                            raise Mismatch  # on the board, deleted in the history
                        want = entry[1] ^ entry[2]
                        logged = self.partial.get((entity, entity_id))
                        if self._terms(entity, text, logged) != want and (
                            self._terms(entity, row_text(table, keys, entity_id), logged) != want
                        ):
                            raise Mismatch
        if any(entry[1] is not DELETED for entry in self.changed.values()):
            raise Mismatch  # gone from the board
        if total != self.creates or n_rows != self.n_creates:
            raise Mismatch
