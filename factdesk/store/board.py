"""The evidence board: one database (SQLite/SQLCipher file or PostgreSQL), read and written through
short transactions. Every write is one user action: its changes, its history events (hash-chained)
and its undo step commit together or not at all.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, func, inspect, select, update
from sqlalchemy.exc import DatabaseError, IntegrityError
from sqlalchemy.orm import Session

from factdesk.domain import (
    AmbiguousIdError,
    BoardDamagedError,
    BoardError,
    BoardLockedError,
    Changes,
    HistoryEventRecord,
    InvalidInputError,
    NotFoundError,
    SearchHit,
    VerifyReport,
)
from factdesk.store import convert, counts, history, migrate, seal, search
from factdesk.store import schema as s
from factdesk.store.crypto import BoardKey
from factdesk.store.sync_schema import SyncConflict

T = TypeVar("T")

ENTITY_OF: dict[type[s.Base], str] = {
    s.Article: "article",
    s.Claim: "claim",
    s.Evidence: "evidence",
    s.ClaimEvidence: "link",
    s.Attachment: "attachment",
    SyncConflict: "conflict",  # kept in the history so that a conflict and its end travel
}
CLASS_OF = {name: cls for cls, name in ENTITY_OF.items()}
CHANGES_OF = {
    "article": Changes.ARTICLES,
    "claim": Changes.CLAIMS,
    "evidence": Changes.EVIDENCE,
    "link": Changes.EVIDENCE | Changes.CLAIMS,
    "attachment": Changes.EVIDENCE,
    "conflict": Changes.CLAIMS,
}
# Columns kept out of history: bytes live once in attachments and are checked by their hash.
NOT_LOGGED = {"data"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def row_dict(obj: s.Base) -> dict[str, Any]:
    mapper = inspect(type(obj))
    return {
        c.key: _jsonable(getattr(obj, c.key))
        for c in mapper.column_attrs
        if c.key not in NOT_LOGGED
    }


def _from_json(cls: type[s.Base], values: dict[str, Any]) -> dict[str, Any]:
    """Turn logged JSON values back into column values (dates and times)."""
    table = cls.__table__
    out: dict[str, Any] = {}
    for key, value in values.items():
        col = table.columns.get(key)
        if col is None:
            continue
        py = col.type.python_type if value is not None else None
        if py is datetime:
            value = datetime.fromisoformat(value)
        elif py is date:
            value = date.fromisoformat(value)
        out[key] = value
    return out


def _before_after(
    op: str, before: dict[str, Any], row: dict[str, Any] | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """A logged change's row as it was and as it is (an update logs only what changed)."""
    if op == "create":
        return None, row
    if op == "delete":
        return before, None
    assert row is not None
    return {**row, **before}, row


@dataclass
class Tx:
    """One user action in progress: mutations go through here so that history and undo see them."""

    session: Session
    action_id: str
    label: str
    actor: str
    head: s.ChainHead
    changes: Changes = Changes.NONE
    article_ids: set[str] = field(default_factory=set)
    claim_ids: set[str] = field(default_factory=set)
    events: int = 0
    count_moves: counts.Deltas = field(default_factory=dict)
    # (undo label, redo label) once the action is done, when it changed the undo stack
    undo_labels: tuple[str | None, str | None] | None = None
    # claim id -> its article's (a claim never moves): evidence events name the claim only
    article_of: dict[str, str] = field(default_factory=dict)

    def create(self, obj: T, *, claim_id: str | None = None) -> T:
        assert isinstance(obj, s.Base)
        self.session.add(obj)
        self.session.flush()
        self._log("create", obj, {}, row_dict(obj), claim_id)
        return obj

    def update(self, obj: T, *, claim_id: str | None = None, **values: Any) -> T:
        assert isinstance(obj, s.Base)
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for key, value in values.items():
            old = getattr(obj, key)
            if _jsonable(old) != _jsonable(value):
                before[key] = _jsonable(old)
                after[key] = _jsonable(value)
                setattr(obj, key, value)
        if after:
            stamped: Any = obj
            if "updated_at" not in after and isinstance(stamped, s.Stamped):
                # logged, so that the row the history replays to is the row in the table
                now = s.utcnow()
                before["updated_at"] = _jsonable(stamped.updated_at)
                after["updated_at"] = _jsonable(now)
                stamped.updated_at = now
            self.session.flush()
            self._log("update", obj, before, after, claim_id)
        return obj

    def delete(self, obj: s.Base, *, claim_id: str | None = None) -> None:
        before = row_dict(obj)
        self.session.delete(obj)
        self.session.flush()
        self._log("delete", obj, before, {}, claim_id)

    def _log(
        self,
        op: str,
        obj: s.Base,
        before: dict[str, Any],
        after: dict[str, Any],
        claim_id: str | None,
    ) -> None:
        entity = ENTITY_OF[type(obj)]
        entity_id: str = obj.id  # type: ignore[attr-defined]
        article_id: str | None = None
        if isinstance(obj, s.Article):
            article_id = obj.id
        elif isinstance(obj, s.Claim):
            claim_id, article_id = obj.id, obj.article_id
            self.article_of[obj.id] = obj.article_id
        elif isinstance(obj, s.ClaimEvidence):
            claim_id = obj.claim_id
        if claim_id is not None and article_id is None:
            article_id = self.article_of.get(claim_id)
            if article_id is None:
                article_id = self.session.scalar(
                    select(s.Claim.article_id).where(s.Claim.id == claim_id)
                )
                if article_id is not None:
                    self.article_of[claim_id] = article_id
        seq = self.head.seq + 1
        fields: dict[str, object] = {
            "seq": seq,
            "id": s.new_id(),
            "at": datetime.now(UTC).isoformat(),
            "actor": self.actor,
            "action_id": self.action_id,
            "action": self.label,
            "op": op,
            "entity": entity,
            "entity_id": entity_id,
            "claim_id": claim_id,
            "article_id": article_id,
            "before": history.canonical_json(before),
            "after": history.canonical_json(after),
            "prev_hash": self.head.hash,
        }
        digest = history.event_hash(fields)
        self.session.add(s.HistoryEvent(**fields, hash=digest))
        self.head.seq = seq
        self.head.hash = digest
        self.events += 1
        self.changes |= CHANGES_OF[entity] | Changes.HISTORY
        if article_id:
            self.article_ids.add(article_id)
        if claim_id:
            self.claim_ids.add(claim_id)
        conn = self.session.connection()
        row = row_dict(obj) if op != "delete" else None
        search.sync(conn, entity, row, entity_id, after.keys() if op == "update" else None)
        if entity in ("article", "claim"):
            counts.follow(
                conn, self.count_moves, entity, op, entity_id, *_before_after(op, before, row)
            )

    def create_many(self, objs: Sequence[T]) -> list[T]:
        """Create rows in one flush (an article's 500 claims: one batched INSERT, not 500)."""
        self.session.add_all(objs)
        self.session.flush()
        for obj in objs:
            assert isinstance(obj, s.Base)
            self._log("create", obj, {}, row_dict(obj), None)
        return list(objs)

    def finish(self) -> None:
        """Write what the action's changes add up to (the articles' claim counts)."""
        counts.apply(self.session.connection(), self.count_moves)


class Board:
    """An open evidence board. Thread-safe for the GUI's serial writer plus readers."""

    def __init__(
        self,
        engine: Engine,
        *,
        location: str,
        backend: str,
        encrypted: bool,
        path: Path | None = None,
    ) -> None:
        self.engine = engine
        self.location = location
        self.backend = backend
        self.encrypted = encrypted
        self.path = path
        # The per-board secret of the keyed seal (seal.py); None when this computer lacks it.
        self.chain_secret: bytes | None = None

    # -- sessions -------------------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[Session]:
        try:
            with self.engine.connect() as conn, Session(bind=conn) as session:
                yield session
        except IntegrityError:
            raise
        except DatabaseError as exc:
            raise readable(exc) from exc

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        """One read transaction that sees a single state of the board throughout (SQLite's
        BEGIN gives that already; PostgreSQL needs REPEATABLE READ)."""
        with self.engine.connect() as conn:
            if self.backend == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with Session(bind=conn) as session:
                yield session

    def schema_revision(self) -> str:
        return migrate.current_revision(self.engine) or ""

    @contextmanager
    def action(
        self,
        label: str,
        actor: str,
        *,
        undoable: bool = True,
        join_action_id: str | None = None,
    ) -> Iterator[Tx]:
        """One user action: all or nothing. Raises BoardLockedError if another writer holds on."""
        try:
            with self.engine.connect() as conn:
                conn.execution_options(write=True)
                with conn.begin(), Session(bind=conn, autoflush=False) as session:
                    head = session.get(s.ChainHead, 1, with_for_update=True)
                    if head is None:
                        raise BoardError("The board is damaged: its history head is missing.")
                    start = head.seq
                    action: s.Action | None = None
                    if join_action_id is not None:
                        action_id = join_action_id
                    else:
                        seq = (session.scalar(select(func.max(s.Action.seq))) or 0) + 1
                        action = s.Action(
                            seq=seq,
                            label=label,
                            actor=actor,
                            state="done" if undoable else "system",
                        )
                        session.add(action)
                        session.flush()
                        action_id = action.id
                    tx = Tx(session, action_id, label, actor, head)
                    yield tx
                    tx.finish()
                    if action is not None:
                        if tx.events == 0:
                            session.delete(action)
                        elif undoable:
                            # A new action ends the redo stack of this actor.
                            session.execute(
                                update(s.Action)
                                .where(s.Action.actor == actor, s.Action.state == "undone")
                                .values(state="dead")
                            )
                            tx.changes |= Changes.UNDO_STACK
                    if tx.changes & Changes.UNDO_STACK:
                        tx.undo_labels = self._undo_labels(session, actor)
                    if tx.events and self.chain_secret is not None:
                        self._seal(session, head, start, actor)
                    session.flush()
        except IntegrityError:
            raise
        except DatabaseError as exc:
            raise readable(exc, writing=True) from exc

    def _seal(
        self,
        session: Session,
        head: s.ChainHead,
        start: int,
        actor: str,
        *,
        first_seal: bool = False,
        accept: tuple[int, int] | None = None,
    ) -> tuple[seal.Gap, ...]:
        """Move the seal to the head, in the write that began at event `start`: the events since
        the old seal that were written without the secret, and any mismatch of the old seal, go
        into the new one as gaps (seal.py) rather than under it. `accept`: mark the gaps inside
        that range of events accepted by `actor`. Returns the gaps the new seal carries."""
        assert self.chain_secret is not None
        conn = session.connection()
        meta = session.get(s.BoardMeta, "board_id")
        board_id = meta.value if meta else ""
        row = session.get(s.BoardMeta, seal.SEAL_KEY)
        old = seal.parse(row.value if row else None)
        gaps = seal.carried(
            conn, self.chain_secret, board_id, old, start, actor, first_seal=first_seal
        )
        if accept is not None:
            gaps = seal.accept(gaps, accept[0], accept[1], actor)
        value = seal.encode(self.chain_secret, board_id, head.seq, head.hash, gaps)
        if row is None:
            session.add(s.BoardMeta(key=seal.SEAL_KEY, value=value))
        else:
            row.value = value
        return gaps

    def close(self) -> None:
        self.engine.dispose()

    def rekey(self, new_key: BoardKey) -> None:
        """Re-encrypt every page with a new key (SQLCipher's rekey; the salt stays, so the
        keyring entry keeps its name). Other programs with the board open must reopen it."""
        if self.backend != "sqlite" or not self.encrypted or self.path is None:
            raise BoardError("Only an encrypted board file has a key to change.")
        from factdesk.store.engine import sqlite_engine

        self.engine.dispose()
        raw = self.engine.raw_connection()
        try:
            driver: Any = raw.driver_connection
            driver.execute(f"PRAGMA rekey = {new_key.pragma_value()}")
        finally:
            raw.close()
        self.engine.dispose()
        self.engine = sqlite_engine(self.path, new_key)

    def sealed_by(self, secret: bytes) -> bool | None:
        """Whether the board's seal was made with `secret` (None: the board has no seal)."""
        with self.reading() as session:
            conn = session.connection()
            sealed = seal.read(conn)
            if sealed is None:
                return None
            digest = seal.hash_at(conn, sealed.seq) if sealed.seq >= 0 else None
            return digest is not None and seal.matches(secret, seal.board_id(conn), sealed, digest)

    def seal_now(self) -> bool:
        """Seal the history as it stands: a board that had no seal, once its secret was made.
        False (nothing written) when a seal appeared meanwhile (another member sealed first)."""
        if self.chain_secret is None:
            return False
        with self.engine.connect() as conn:
            conn.execution_options(write=True)
            with conn.begin(), Session(bind=conn) as session:
                head = session.get(s.ChainHead, 1, with_for_update=True)
                if head is None or seal.read(session.connection()) is not None:
                    return False
                self._seal(session, head, head.seq, "", first_seal=True)
                session.flush()
        return True

    def unsealed(self) -> tuple[seal.Gap, ...]:
        """The gaps the seal carries, with the events written since it as one more (unchecked:
        `verify` checks the seal)."""
        with self.reading() as session:
            conn = session.connection()
            sealed = seal.read(conn)
            head = session.get(s.ChainHead, 1)
            last = head.seq if head is not None else 0
            gaps = sealed.gaps if sealed is not None else ()
            if sealed is not None and 0 <= sealed.seq < last:
                tail = seal.describe(conn, sealed.seq + 1, last, seal.UNSEALED, "", "")
                gaps = (*gaps, tail)
            return gaps

    def seal_state(self) -> tuple[bool, int]:
        """(whether the board is sealed, events not accepted that were written without the
        chain secret), as the seal states it, in two reads: for the window's status bar."""
        with self.reading() as session:
            row = session.get(s.BoardMeta, seal.SEAL_KEY)
            sealed = seal.parse(row.value if row else None)
            head = session.get(s.ChainHead, 1)
            if sealed is None or sealed.seq < 0:
                return sealed is not None, 0
            last = head.seq if head is not None else 0
            n = sum(g.last - g.first + 1 for g in sealed.gaps if not g.accepted)
            return True, n + max(0, last - sealed.seq)

    def accept_unsealed(self, first: int, last: int, actor: str) -> tuple[seal.Gap, ...]:
        """Vouch for the events first..last written without the chain secret: every gap inside
        that range is kept in the seal as accepted by `actor`, now (only a holder of the secret
        can write that). Returns the gaps accepted."""
        if self.chain_secret is None:
            raise BoardError(
                "This computer does not hold the board's chain secret, so it cannot vouch for "
                "events: accept them on a computer that does, or import the secret first "
                "(`factdesk board secret import FILE`)."
            )
        try:
            with self.engine.connect() as conn:
                conn.execution_options(write=True)
                with conn.begin(), Session(bind=conn) as session:
                    head = session.get(s.ChainHead, 1, with_for_update=True)
                    if head is None:
                        raise BoardError("The board is damaged: its history head is missing.")
                    conn = session.connection()
                    open_before = seal.carried(
                        conn,
                        self.chain_secret,
                        seal.board_id(conn),
                        seal.read(conn),
                        head.seq,
                        actor,
                    )
                    before = {(g.first, g.last) for g in open_before if not g.accepted}
                    gaps = self._seal(session, head, head.seq, actor, accept=(first, last))
                    done = tuple(g for g in gaps if g.accepted and (g.first, g.last) in before)
                    if not done:
                        open_ = [f"{g.first}-{g.last}" for g in gaps if not g.accepted]
                        raise InvalidInputError(
                            f"No events written without the chain secret lie within {first}-"
                            f"{last}"
                            + (f"; those not accepted: {', '.join(open_)}." if open_ else ".")
                        )
                    session.flush()
                    return done
        except IntegrityError:
            raise
        except DatabaseError as exc:
            raise readable(exc, writing=True) from exc

    # -- identity -------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        with self.reading() as session:
            row = session.get(s.BoardMeta, key)
            return row.value if row else None

    def set_meta_if_missing(self, key: str, value: str) -> None:
        if self.meta(key) is not None:
            return  # opening a board takes no write lock unless it has something to write
        with self.engine.connect() as conn:
            conn.execution_options(write=True)
            with conn.begin(), Session(bind=conn) as session:
                if session.get(s.BoardMeta, key) is None:
                    session.add(s.BoardMeta(key=key, value=value))
                    session.flush()

    def resolve(self, cls: type[s.Base], prefix: str, what: str) -> str:
        prefix = prefix.strip().lower()
        if not prefix:
            raise InvalidInputError(f"Give a {what} id (or the first characters of one).")
        id_col = cls.id  # type: ignore[attr-defined]
        with self.reading() as session:
            # autoescape: '%' and '_' typed in a prefix are characters, not wildcards
            where = id_col.startswith(prefix, autoescape=True)
            ids = session.scalars(select(id_col).where(where).limit(6)).all()
        if not ids:
            raise NotFoundError(f"No {what} has an id starting with '{prefix}'.")
        if len(ids) > 1:
            shown = ", ".join(i[:12] for i in ids[:5])
            raise AmbiguousIdError(
                f"'{prefix}' matches several {what}s ({shown}...): give more characters."
            )
        return ids[0]

    # -- undo -----------------------------------------------------------------------------

    @staticmethod
    def _next_step(session: Session, actor: str, *, undo: bool) -> s.Action | None:
        """The action undo would revert (newest done) or redo would replay (oldest undone)."""
        return session.scalars(
            select(s.Action)
            .where(s.Action.actor == actor, s.Action.state == ("done" if undo else "undone"))
            .order_by(s.Action.seq.desc() if undo else s.Action.seq.asc())
            .limit(1)
        ).first()

    def undo_state(self, actor: str) -> tuple[str | None, str | None]:
        """Labels of the action undo would revert and the one redo would replay."""
        with self.reading() as session:
            return self._undo_labels(session, actor)

    @classmethod
    def _undo_labels(cls, session: Session, actor: str) -> tuple[str | None, str | None]:
        last = cls._next_step(session, actor, undo=True)
        nxt = cls._next_step(session, actor, undo=False)
        return (last.label if last else None), (nxt.label if nxt else None)

    def undo(self, actor: str) -> tuple[str, Tx]:
        return self._step(actor, undo=True)

    def redo(self, actor: str) -> tuple[str, Tx]:
        return self._step(actor, undo=False)

    def _step(self, actor: str, *, undo: bool) -> tuple[str, Tx]:
        """Undo: revert the newest done action's events backwards; redo: replay them forwards.
        Either way the change is a new, non-undoable action in the history."""
        verb = "Undo" if undo else "Redo"
        with self.reading() as session:
            target = self._next_step(session, actor, undo=undo)
        if target is None:
            raise InvalidInputError(f"Nothing to {verb.lower()}.")
        with self.action(f"{verb}: {target.label}", actor, undoable=False) as tx:
            events = self._events_of(tx.session, target.id)
            for ev in reversed(events) if undo else events:
                (self._revert if undo else self._replay)(tx, ev)
            tx.session.execute(
                update(s.Action)
                .where(s.Action.id == target.id)
                .values(state="undone" if undo else "done")
            )
            tx.changes |= Changes.UNDO_STACK | Changes.UNDO_APPLIED
        return target.label, tx

    @staticmethod
    def _events_of(session: Session, action_id: str) -> list[s.HistoryEvent]:
        return list(
            session.scalars(
                select(s.HistoryEvent)
                .where(s.HistoryEvent.action_id == action_id)
                .order_by(s.HistoryEvent.seq)
            )
        )

    def _revert(self, tx: Tx, ev: s.HistoryEvent) -> None:
        cls = CLASS_OF[ev.entity]
        if cls is s.Attachment:
            return  # content-addressed and immutable: kept, whoever else may use it
        obj = tx.session.get(cls, ev.entity_id)
        if ev.op == "create":
            if obj is not None:
                tx.delete(obj, claim_id=ev.claim_id)
        elif ev.op == "update":
            if obj is not None:
                tx.update(obj, claim_id=ev.claim_id, **_from_json(cls, json.loads(ev.before)))
        elif ev.op == "delete" and obj is None:
            tx.create(cls(**_from_json(cls, json.loads(ev.before))), claim_id=ev.claim_id)

    def _replay(self, tx: Tx, ev: s.HistoryEvent) -> None:
        cls = CLASS_OF[ev.entity]
        if cls is s.Attachment:
            return
        obj = tx.session.get(cls, ev.entity_id)
        if ev.op == "create":
            if obj is None:
                tx.create(cls(**_from_json(cls, json.loads(ev.after))), claim_id=ev.claim_id)
        elif ev.op == "update":
            if obj is not None:
                tx.update(obj, claim_id=ev.claim_id, **_from_json(cls, json.loads(ev.after)))
        elif ev.op == "delete" and obj is not None:
            tx.delete(obj, claim_id=ev.claim_id)

    # -- history, search, verify ----------------------------------------------------------

    def history(
        self,
        *,
        claim_id: str | None = None,
        article_id: str | None = None,
        limit: int | None = None,
        between: tuple[int, int] | None = None,
    ) -> list[HistoryEventRecord]:
        with self.reading() as session:
            q = select(s.HistoryEvent).order_by(s.HistoryEvent.seq)
            if between is not None:
                # the first `limit` of them: a run of events is read from its start
                q = q.where(s.HistoryEvent.seq.between(*between)).limit(limit)
                return [convert.event(r) for r in session.scalars(q)]
            if claim_id is not None:
                q = q.where(s.HistoryEvent.claim_id == claim_id)
            if article_id is not None:
                q = q.where(s.HistoryEvent.article_id == article_id)
            if limit is not None:
                q = q.order_by(None).order_by(s.HistoryEvent.seq.desc()).limit(limit)
            rows = list(session.scalars(q))
            if limit is not None:
                rows.reverse()
            return [convert.event(r) for r in rows]

    def head_hash(self) -> str:
        with self.reading() as session:
            head = session.get(s.ChainHead, 1)
            return head.hash if head else ""

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        with self.reading() as session:
            return search.search(session.connection(), query, limit)

    def verify(self, progress: Callable[[int, int], None] | None = None) -> VerifyReport:
        """The file's integrity, the chain and its seal, and every live row against the state its
        history replays to; each problem named with where it is (see verify.py)."""
        from concurrent.futures import ThreadPoolExecutor

        from factdesk.store import verify

        # SQLite checks the pages on its own connection, in C, beside the Python work
        with ThreadPoolExecutor(1) as pool:
            pages = pool.submit(verify.file_damage, self.engine, self.encrypted)
            with self.reading() as session:
                report = verify.verify(session.connection(), self.chain_secret, progress)
            damaged = pages.result()
        if damaged:
            report = replace(report, problems=(*damaged, *report.problems))
        return report

    # -- files ----------------------------------------------------------------------------

    def checkpoint(self) -> None:
        if self.backend == "sqlite":
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def backup_to(self, dest: Path, key_pragma: str | None) -> None:
        """A consistent copy of a board file while it stays open (SQLite's online backup API),
        checked page by page before it takes its name. A damaged board is refused; a backup cut
        short (killed, disk full) leaves only a hidden `.NAME.PID.partial`, removed by the next
        backup into that folder."""
        if self.backend != "sqlite":
            raise BoardError("Back up a team board with the server's own tools (pg_dump).")
        from factdesk.store import backup, verify

        damaged = verify.file_damage(self.engine, self.encrypted)
        if damaged:
            raise BoardDamagedError(
                f"The board is damaged ({damaged[0].what}); it was not backed up. Restore an "
                "earlier backup with `factdesk board restore BACKUP`."
            )
        raw = self.engine.raw_connection()
        try:
            backup.copy(raw.driver_connection, dest, key_pragma)
        finally:
            raw.close()

    def copy_file(self, dest: Path) -> None:
        """Plain file copy after folding the WAL into the file (used before migrations)."""
        assert self.path is not None
        self.checkpoint()
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(self.path, dest)

    def counts(self) -> tuple[int, int, int]:
        """(articles, claims, history events), without counting the claims or the history
        (0.7 s at 1,000,000 claims, on every window start): the claims are added up from the
        counts kept per article on every write, and the events are numbered 1..n along the
        chain (verify checks the numbering)."""
        n = s.ArticleCounts
        with self.reading() as session:
            head = session.get(s.ChainHead, 1)
            claims = select(func.sum(n.n_verified + n.n_disputed + n.n_unverified + n.n_dismissed))
            return (
                session.scalar(select(func.count()).select_from(s.Article)) or 0,
                int(session.scalar(claims) or 0),
                head.seq if head is not None else 0,
            )


def readable(exc: DatabaseError, *, writing: bool = False) -> BoardError:
    """A database error as a person reads it: a lock wait, damage, or a failed write."""
    text = str(exc.orig).lower()
    if "locked" in text or "busy" in text:
        return BoardLockedError("Another program is writing to this board; try again in a moment.")
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return BoardDamagedError(
            "The board file is damaged (" + str(exc.orig) + "). Run `factdesk board verify` to "
            "see where, and restore a backup with `factdesk board restore BACKUP`."
        )
    if "disk is full" in text or "disk full" in text:
        return BoardError(
            "The disk holding the board is full: nothing was written. Free some space and "
            "try again."
        )
    if writing:
        return BoardError(f"The board could not be written: {exc.orig}")
    return BoardError(f"The board could not be read: {exc.orig}")


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
