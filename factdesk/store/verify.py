"""`board verify`: the database file's own integrity, the history chain (hash links and the keyed
seal), the live rows against the state the history replays to, and every attachment's bytes.

Two sequential passes in the tables' own order (no sort, no random reads; plain driver cursors on
SQLite): the history in `seq` order checks the chain and folds every entity's events into what
its row must be (one dict entry per row); then each live table is read and each row compared with
that. A row that differs is replayed exactly, alone, to name the field ("claim 3f2a1b2c: status
is 'verified' in the board, history says 'disputed'").

Most rows are created and never changed: such a row must be, written as the history writes it,
the very `after` text of its create event, so that event is kept as a keyed hash of its text and
never decoded. A row that was updated gets a digest: the XOR of one keyed hash per field, so each
update folds in by swapping the terms of the fields it changed (its `before` for its `after`);
its create event is decoded once, after the pass, by seq. Both hashes are keyed with a secret
drawn for each run (str hashing is SipHash with a per-process random seed; a random nonce leads
every term), so no one can prepare an edit that hashes like the honest row.

To fold a new kind of event (sync's), add its op to `_Fold.event`; an op it does not know puts
the row on the exact path (`loose`), whose replay is `_replay_one`.
"""

from __future__ import annotations

import hashlib
import json
import secrets as _random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Boolean, Connection, DateTime, Engine, func, select
from sqlalchemy.exc import DatabaseError

from factdesk.domain import VerifyProblem, VerifyReport
from factdesk.store import history, seal, verify_fast
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
# A row as created: (keyed hash of its create event's `after`) << SEQ_BITS | that event's seq.
SEQ_BITS = 40
SEQ_MASK = (1 << SEQ_BITS) - 1
HASH_MASK = (1 << 64) - 1
# A changed row: (seq of its create event, or NO_CREATE; XOR of its updates' swapped terms),
# then after the pass (RESOLVED, its full digest).
NO_CREATE = 0
RESOLVED = -1


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


def _loads(text: Any) -> dict[str, Any] | None:
    """A logged JSON object, or None where an edit left something else."""
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


class _Counter:
    """Progress every 20,000 rows read (history events, then live rows)."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.total = total
        self.done = 0
        self.next = 20_000

    def add(self, n: int, beside: int = 0) -> None:
        """`n` more rows read here; `beside`: rows read so far by another thread."""
        self.done += n
        done = self.done + beside
        if self.progress is not None and done >= self.next:
            self.next = done + 20_000
            self.progress(min(done, self.total), self.total)

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total)


def verify(
    conn: Connection, secret: bytes | None, progress: Progress | None = None
) -> VerifyReport:
    """A board file gets the fast pass (verify_fast.py); where it finds that something does not
    agree, or on a server, this module's pass runs and names what."""
    if conn.dialect.name == "sqlite":
        report = _fast(conn, secret, _Counter(progress, _estimate(conn)))
        if report is not None:
            return report
    return _naming(conn, secret, _Counter(progress, _estimate(conn)))


def _fast(conn: Connection, secret: bytes | None, counter: _Counter) -> VerifyReport | None:
    """The report when everything agrees (only the seal and the attachments' bytes can still
    name something), None when the naming pass must find what does not. The live rows are read
    on a second connection beside the walk of the history (SQLite reads and writes JSON with
    the GIL released): one snapshot each, the same one when both find the same chain head."""
    from concurrent.futures import ThreadPoolExecutor, wait

    found = _Findings()
    sealed = seal.read(conn)
    fast = verify_fast.FastPass(conn, TABLES, NOT_COMPARED, counter)
    errors = (verify_fast.Mismatch, conn.dialect.loaded_dbapi.Error)
    with ThreadPoolExecutor(1) as pool:
        scan = pool.submit(_scan_rows, conn.engine, fast)
        try:
            n_events, head, last, sealed_hash = fast.walk(sealed.seq if sealed else None)
            fast.resolve()
        except errors:
            fast.stop = True
            return None
        while not wait([scan], timeout=0.25).done:
            counter.add(0, fast.scanned)
        counter.add(0, fast.scanned)
        try:
            scanned_head, total, n_rows = scan.result()
        except errors:
            return None
        at = conn.execute(
            select(s.ChainHead.seq, s.ChainHead.hash).where(s.ChainHead.id == 1)
        ).first()
        if at is None or (at.seq, at.hash) != (last, head) or tuple(scanned_head) != (last, head):
            return None  # the head moved (a write between the two snapshots), or was edited
        try:
            fast.check_changed(
                total,
                n_rows,
                lambda table, keys, entity_id: _row_text(conn, table, keys, entity_id),
            )
        except errors:
            return None
    _check_seal(conn, found, secret, sealed, sealed_hash, last)
    n_att = _check_attachments(conn, found)
    counter.finish()
    return VerifyReport(n_events, n_att, head, tuple(found.problems), tuple(found.notes))


def _scan_rows(engine: Engine, fast: verify_fast.FastPass) -> tuple[Any, int, int]:
    """fast.scan_rows on a connection of its own, in one read transaction; with the chain head
    that transaction sees."""
    pool = engine.pool.recreate()
    try:
        raw = pool.connect()
        try:
            driver: Any = raw.driver_connection
            driver.execute("BEGIN")
            try:
                at = driver.execute("SELECT seq, hash FROM chain_head WHERE id = 1").fetchone()
                total, n_rows = fast.scan_rows(driver.cursor)
            finally:
                driver.execute("ROLLBACK")
        finally:
            raw.close()
    finally:
        pool.dispose()
    return at or (None, None), total, n_rows


def _row_text(conn: Connection, table: Any, keys: list[str], entity_id: str) -> str:
    """One live row written by Python as the history writes a create's `after`."""
    quote = conn.dialect.identifier_preparer.quote
    sql = f"SELECT {', '.join(map(quote, keys))} FROM {quote(table.name)} WHERE id = ?"
    row = conn.exec_driver_sql(sql, (entity_id,)).first()
    return "" if row is None else _Fold("sqlite").row_text(table, keys)(tuple(row))


def _naming(conn: Connection, secret: bytes | None, counter: _Counter) -> VerifyReport:
    """Every check, naming each problem: the history folded per row, each row compared."""
    found = _Findings()
    fold = _Fold(conn.dialect.name)
    sealed = seal.read(conn)
    n_events, head, last, sealed_hash = _walk(conn, found, fold, sealed, counter)
    _check_seal(conn, found, secret, sealed, sealed_hash, last)
    fold.resolve(conn)
    _check_rows(conn, found, fold, counter)
    n_att = _check_attachments(conn, found)
    if found.more:
        found.problems.append(
            VerifyProblem("board", f"{found.more} more problems like the ones above")
        )
    counter.finish()
    return VerifyReport(n_events, n_att, head, tuple(found.problems), tuple(found.notes))


def _estimate(conn: Connection) -> int:
    """Events plus rows, for progress only: the largest rowid of each table is one index step
    where count(*) reads a whole index."""
    if conn.dialect.name != "sqlite":
        tables = [s.HistoryEvent.__table__, *(table for _, table in TABLES)]
        return sum(conn.scalar(select(func.count()).select_from(t)) or 0 for t in tables)
    names = ["history", *(table.name for _, table in TABLES)]
    return sum(conn.exec_driver_sql(f'SELECT max(rowid) FROM "{n}"').scalar() or 0 for n in names)


# -- the file -------------------------------------------------------------------------------


def file_damage(engine: Engine, encrypted: bool) -> list[VerifyProblem]:
    """SQLite's own check of every page (SQLCipher: each page's HMAC first), on a connection of
    its own made for it (see crypto.damage_report)."""
    if engine.dialect.name != "sqlite":
        return []
    from factdesk.store.crypto import damage_report

    if engine.url.database:
        warm(engine.url.database)
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


def warm(path: str) -> None:
    """Read the file once from start to end, so the checks find its pages in the OS's cache.
    SQLite walks each table's tree, whose pages lie scattered over a board built day by day:
    on a cold 2.6 GB board those were 4 KB reads at random places (about 30 MB/s on this disk,
    a sequential read about 600), so the checks waited on the disk for most of their time."""
    piece = bytearray(1 << 20)
    try:
        with open(path, "rb", buffering=0) as f:
            while f.readinto(piece):
                pass
    except OSError:
        pass  # the checks themselves say what is wrong with the file


# -- the chain, and each row as the history builds it --------------------------------------


def _batches(conn: Connection, sql: str, size: int = BATCH) -> Iterator[Sequence[Any]]:
    """Rows of a driver-level query in batches: SQLite's own cursor (plain tuples, stepped as
    read), a server-side cursor elsewhere."""
    if conn.dialect.name == "sqlite":
        cursor = conn.connection.cursor()
        try:
            cursor.execute(sql)
            while batch := cursor.fetchmany(size):
                yield batch
        except conn.dialect.loaded_dbapi.Error as exc:
            # as SQLAlchemy would raise it, so the board words it (damage, a lock) the same way
            raise DatabaseError(sql, None, exc) from exc
        finally:
            cursor.close()
        return
    opts = {"stream_results": True, "yield_per": size}
    yield from conn.exec_driver_sql(sql, execution_options=opts).partitions()


def _walk(
    conn: Connection,
    found: _Findings,
    fold: _Fold,
    sealed: seal.Seal | None,
    counter: _Counter,
) -> tuple[int, str, int, str | None]:
    """One pass over the history in `seq` order. Returns (events read, head hash, last seq,
    hash at the sealed event)."""
    names = history.HASHED_FIELDS
    sql = f"SELECT {', '.join(names)}, hash FROM history ORDER BY seq"
    i_seq, i_prev, i_at, i_action = (names.index(n) for n in ("seq", "prev_hash", "at", "action"))
    i_op, i_ent, i_eid = (names.index(n) for n in ("op", "entity", "entity_id"))
    i_before, i_after = names.index("before"), names.index("after")
    event_hash = history.event_hash_of_row
    prev = ""
    expected_seq = 1
    n_events = 0
    sealed_seq = sealed.seq if sealed is not None else None
    sealed_hash: str | None = None
    event = fold.event
    for batch in _batches(conn, sql):
        counter.add(len(batch))
        n_events += len(batch)
        for row in batch:
            seq, digest = row[i_seq], row[-1]
            if seq != expected_seq or row[i_prev] != prev or event_hash(row) != digest:
                where = f"history event {seq} ({str(row[i_at])[:19]}, {row[i_action]})"
                if seq != expected_seq:
                    found.add(
                        f"history before event {seq}",
                        f"events {expected_seq}..{seq - 1} are missing (deleted?)",
                    )
                if row[i_prev] != prev:
                    found.add(where, "does not link to the event before it (chain broken)")
                if event_hash(row) != digest:
                    found.add(where, "its content was changed after it was written")
            if seq == sealed_seq:
                sealed_hash = digest
            event(seq, row[i_ent], row[i_eid], row[i_op], row[i_before], row[i_after])
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
    return n_events, prev, last, sealed_hash


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
    """What each row must be, as its events build it: per entity, id -> one of
      int               the row as its create event wrote it (see SEQ_BITS);
      (seq, delta)      changed by updates since its create at `seq` (RESOLVED: delta is the
                        row's full digest, once `resolve` has folded in the create);
      None              deleted.
    `loose` holds the ids whose events cannot be folded (an update before any create or without
    the old value or its time, an op this code does not know): those rows are replayed exactly.
    """

    def __init__(self, dialect: str) -> None:
        self.nonce = _random.token_hex(16)
        self.salts = {entity: _Salts(self.nonce, entity) for entity, _ in TABLES}
        self.rows: dict[str, dict[str, Any]] = {entity: {} for entity, _ in TABLES}
        self.loose: set[str] = set()
        self.changed: list[tuple[int, str, str]] = []  # (create seq, entity, id) to resolve
        self.sqlite = dialect == "sqlite"

    def keyed(self, text: str) -> int:
        return hash((self.nonce, text)) & HASH_MASK

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

    def terms(self, entity: str, values: dict[str, Any]) -> int:
        salts, logged = self.salts[entity], self.logged
        acc = 0
        for key, value in values.items():
            acc ^= hash((salts[key], logged(key, value) if key in DATETIMES else value))
        return acc

    def event(
        self, seq: int, entity: str, entity_id: str, op: str, before: str, after: str
    ) -> None:
        rows = self.rows.get(entity)
        if rows is None:
            self.loose.add(entity_id)
        elif op == "create":
            rows[entity_id] = self.keyed(after) << SEQ_BITS | seq
        elif op == "update":
            self._update(rows, entity, entity_id, before, after)
        elif op == "delete":
            rows[entity_id] = None
        else:
            self.loose.add(entity_id)

    def _update(
        self, rows: dict[str, Any], entity: str, entity_id: str, before: str, after: str
    ) -> None:
        got = rows.get(entity_id)
        old, new = _loads(before), _loads(after)
        if got is None or old is None or new is None:
            self.loose.add(entity_id)
            if entity_id not in rows:
                rows[entity_id] = (NO_CREATE, 0)
            return
        if "updated_at" not in new:
            self.loose.add(entity_id)  # written before updates logged their time
        salts, logged = self.salts[entity], self.logged
        delta = 0
        for key, value in new.items():
            was = old.get(key, MISSING)
            if was is MISSING:
                self.loose.add(entity_id)
                continue
            salt = salts[key]
            delta ^= hash((salt, logged(key, was))) ^ hash((salt, logged(key, value)))
        if isinstance(got, int):
            created = got & SEQ_MASK
            self.changed.append((created, entity, entity_id))
            rows[entity_id] = (created, delta)
        else:
            rows[entity_id] = (got[0], got[1] ^ delta)

    def resolve(self, conn: Connection) -> None:
        """Fold each changed row's create event in (read by seq, in seq order, after the pass)."""
        h = s.HistoryEvent.__table__
        self.changed.sort()
        for i in range(0, len(self.changed), 500):
            part = self.changed[i : i + 500]
            seqs = [seq for seq, _, _ in part]
            afters = dict(conn.execute(select(h.c.seq, h.c.after).where(h.c.seq.in_(seqs))).all())
            for seq, entity, entity_id in part:
                rows = self.rows[entity]
                got = rows.get(entity_id)
                if not isinstance(got, tuple) or got[0] != seq:
                    continue  # deleted or created again since
                values = _loads(afters.get(seq))
                if values is None:
                    self.loose.add(entity_id)
                    values = {}
                rows[entity_id] = (RESOLVED, self.terms(entity, values) ^ got[1])
        self.changed.clear()
        for rows in self.rows.values():
            for entity_id, got in rows.items():
                if isinstance(got, tuple) and got[0] == NO_CREATE:
                    rows[entity_id] = (RESOLVED, got[1])

    def row_text(self, table: Any, keys: list[str]) -> Callable[[Sequence[Any]], str]:
        """A live row of `table` (its `keys` columns, as `stored` gives them) written as the
        history writes a create's `after`: booleans as booleans, times in ISO 8601 UTC.
        (SQLite's json_object would write it in C, but held on to memory as it went: +170 MB
        over a million rows.)"""
        flags = [i for i, k in enumerate(keys) if isinstance(table.c[k].type, Boolean)]
        times = [i for i, k in enumerate(keys) if isinstance(table.c[k].type, DateTime)]
        encode = history.canonical_json

        def write(row: Sequence[Any]) -> str:
            values = list(row)
            for i in times:
                v = values[i]
                if v.__class__ is str and len(v) == 26 and v[10] == " ":
                    # SQLite's '2026-01-02 03:04:05.000006'; isoformat leaves out zero microseconds
                    tail = "" if v.endswith(".000000") else v[19:]
                    values[i] = f"{v[:10]}T{v[11:19]}{tail}+00:00"
            for i in flags:
                if values[i].__class__ is int and values[i] in (0, 1):
                    values[i] = values[i] == 1
            try:
                return encode(dict(zip(keys, values, strict=True)))
            except (TypeError, ValueError):
                return ""  # bytes where text was logged: matches no create, so replayed

        return write


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
                "removed, or the history was rebuilt without the secret; restore a backup "
                "unless you know why",
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
    tail = (
        seal.describe(conn, sealed.seq + 1, last, seal.UNSEALED, "", "")
        if sealed.seq < last
        else None
    )
    if secret is None:
        found.notes.append(
            "the keyed seal could not be checked: this computer has no chain secret for the "
            "board (open it once from its recovery file, or import a colleague's secret file, "
            "to bring the secret here)"
        )
        for gap in sealed.gaps:
            if not gap.accepted:
                found.notes.append(f"the seal says {_gap_text(gap)}, not accepted yet")
        if tail is not None:
            found.notes.append(f"{_events(tail)} were written since the seal was last moved")
        return
    at = "" if sealed.seq == 0 else sealed_hash
    if at is None:
        found.add(
            "keyed seal",
            f"the seal covers events up to {sealed.seq} but the log ends at {last} "
            "(events removed from the end)",
        )
        return
    if not seal.matches(secret, board_id, sealed, at):
        found.add(
            "keyed seal",
            f"the history up to event {sealed.seq} is not the one the chain secret sealed "
            "(events re-hashed or rewritten)",
        )
        return
    for gap in sealed.gaps:
        if gap.accepted:
            found.notes.append(
                f"{_gap_text(gap)}; accepted by {gap.accepted_by or 'someone'} at "
                f"{_time(gap.accepted_at)}"
            )
        else:
            found.add("keyed seal", f"{_gap_text(gap)}, and nobody has accepted them: {_todo(gap)}")
    if tail is not None:
        found.add(
            "keyed seal",
            f"events {tail.first}..{tail.last} are not covered by the seal (written without "
            f"the chain secret: directly, or by a computer that lacks it; {_who(tail)}): "
            f"{_todo(tail)}",
        )


def _time(at: str) -> str:
    return at[:16].replace("T", " ") + " UTC" if at else "an unknown time"


def _who(gap: seal.Gap) -> str:
    names = ", ".join(gap.actors) or "nobody named"
    since, until = _time(gap.since), _time(gap.until)
    return f"by {names}, {since}" if since == until else f"by {names}, {since} to {until}"


def _events(gap: seal.Gap) -> str:
    return f"events {gap.first}..{gap.last} ({_who(gap)})"


def _gap_text(gap: seal.Gap) -> str:
    """What a gap in the seal says happened."""
    found = f"found when {gap.found_by or 'someone'} wrote at {_time(gap.found_at)}"
    if gap.why == seal.BROKEN:
        return (
            f"the seal did not match the history ({found}): {_events(gap)} may have been "
            "rewritten or cut without the chain secret, or the seal was edited"
        )
    if gap.why == seal.NO_SEAL:
        return (
            f"the board carried no seal ({found}; it was removed): {_events(gap)} are not "
            "covered by the chain secret"
        )
    return f"{_events(gap)} were written without the chain secret ({found})"


def _todo(gap: seal.Gap) -> str:
    span = f"{gap.first}-{gap.last}"
    if gap.why == seal.UNSEALED:
        return (
            "check them (`factdesk board accept` lists them); if they are your team's work, "
            f"accept them with `factdesk board accept {span}` and hand the secret to whoever "
            "wrote them (`factdesk board secret export FILE`); if not, restore a backup"
        )
    return (
        f"restore a backup, or, only if you know why, accept them with "
        f"`factdesk board accept {span}`"
    )


# -- live rows against the replayed history -------------------------------------------------


def _check_rows(conn: Connection, found: _Findings, fold: _Fold, counter: _Counter) -> None:
    """Each table read in its own order; a row that differs from what the history built is
    replayed exactly to name what differs."""
    quote = conn.dialect.identifier_preparer.quote
    loose = fold.loose
    for entity, table in TABLES:
        keys = [c.key for c in table.c if c.key not in NOT_COMPARED]
        i_id = keys.index("id")
        i_text, i_sha = (
            (keys.index("text"), keys.index("sha256")) if entity == "article" else (0, 0)
        )
        as_logged = fold.row_text(table, keys)
        sql = f"SELECT {', '.join(map(quote, keys))} FROM {quote(table.name)}"
        col_salts = [fold.salts[entity][k] for k in keys]
        expected_rows, stored, keyed = fold.rows[entity], fold.stored, fold.keyed
        size = verify_fast.ARTICLE_BATCH if entity == "article" else BATCH
        for batch in _batches(conn, sql, size):
            counter.add(len(batch))
            for raw in batch:
                row = stored(raw)
                entity_id = row[i_id]
                expected = expected_rows.pop(entity_id, MISSING)
                if expected is MISSING:
                    found.add(
                        f"{entity} {str(entity_id)[:8]}",
                        "is on the board but its history never created it (inserted directly)",
                    )
                    continue
                if expected is None or entity_id in loose:
                    same = False
                elif isinstance(expected, int):
                    same = keyed(as_logged(row)) == expected >> SEQ_BITS
                else:
                    acc = 0
                    for salt, value in zip(col_salts, row, strict=True):
                        acc ^= hash((salt, value))
                    same = acc == expected[1]
                if not same:
                    _replay_one(conn, found, entity, entity_id, dict(zip(keys, row, strict=True)))
                elif entity == "article":
                    _check_article_sha(found, entity_id, row[i_text], row[i_sha])
    for entity, rows in fold.rows.items():
        for entity_id, left in rows.items():
            if left is not None:
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
            state = _loads(after) or {}
        elif op == "update":
            values = _loads(after) or {}
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
    """Each attachment's bytes, read a piece at a time, against its sha256 and size."""
    from factdesk.store.repo import attachment_pieces

    a = s.Attachment.__table__
    n = 0
    ids = conn.execute(select(a.c.id, a.c.sha256, a.c.filename, a.c.size).order_by(a.c.id))
    for att_id, sha, name, size in ids.fetchall():
        n += 1
        digest, got = hashlib.sha256(), 0
        for piece in attachment_pieces(conn, att_id):
            digest.update(piece)
            got += len(piece)
        where = f"attachment {str(sha)[:12]} ({name})"
        if digest.hexdigest() != sha:
            found.add(
                where, f"its bytes do not match its SHA-256 (now {digest.hexdigest()[:12]}...)"
            )
        elif got != size:
            found.add(where, "its size is wrong")
    return n
