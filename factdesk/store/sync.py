"""Sync between a laptop board and its team board (PostgreSQL): history events go out and come in,
each applied as new events in the receiving board's own chain, one transaction per batch on each
side, deduplicated by (origin board, origin event); concurrent edits of a claim become conflicts.

Pull first (what the others did), then push (this board's own events). A push refuses a batch when
the team board moved since the pull (someone else wrote meanwhile): pull again, then push.

Conflicts are rows of the history (entity "conflict"), so the board that finds one sends it on and
every board learns of it, and of its resolution. A claim removed on one side (by undoing its
creation) and changed on the other is a conflict too (field "removed"): the claim stays on every
board, with the changes, until someone resolves it. The board that finds it brings it back: the
changing side sends it again first ("restore" events, pushed ahead of its other events), the
removing side creates it again from the row its delete recorded and holds that delete back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select, text
from sqlalchemy.exc import DatabaseError, IntegrityError
from sqlalchemy.orm import Session

from factdesk.domain import (
    BoardError,
    Changes,
    ClaimOrigin,
    ClaimRecord,
    InvalidInputError,
    NotFoundError,
)
from factdesk.domain.priority import MARKED, article_tiers
from factdesk.domain.sync import CONFLICT_FIELDS, ConflictRecord, SyncReport, SyncStatus
from factdesk.store import history, sync_factchecks
from factdesk.store import schema as s
from factdesk.store.board import (
    CLASS_OF,
    Board,
    Tx,
    _from_json,
    _jsonable,
    readable,
    row_dict,
)
from factdesk.store.repo import _claim_record
from factdesk.store.sync_schema import SyncConflict, SyncOrigin, SyncPeer

Progress = Callable[[str, int, int], None]

BATCH = 500  # events per transaction
BATCH_BYTES = 24 * 1024 * 1024  # attachment bytes per push/pull batch
ADVISORY_KEY = 0x66616374  # "fact": one sync at a time on a team board
_REFS = ("attachment_id", "original_attachment_id")  # columns naming an attachment
RESTORE = (
    "restore"  # op of an event sending a row this board kept again (the team board removed it)
)
REMOVED = "removed"  # the conflict field of a claim removed on one side, changed on the other

Origin = tuple[str, str, str, str, str]  # board, event id, actor, at, hash


class ServerMovedError(Exception):
    """The team board has events this laptop has not pulled: pull, then push again."""


@dataclass
class _Counts:
    applied: int = 0
    conflicts: int = 0
    head: int = 0  # the chain's last seq once the batch is written
    same_text: int = 0  # articles received whose text an article here already has


@dataclass
class _ApplyTx(Tx):
    """An action written by a sync: notes the rows it creates or deletes (`touched`, shared by
    the batch), so that what the batch asked about them up front is not trusted afterwards."""

    touched: set[str] = dc_field(default_factory=set)

    def _log(self, op: str, obj: s.Base, *args: Any, **kwargs: Any) -> None:
        super()._log(op, obj, *args, **kwargs)
        if op != "update":
            self.touched.add(obj.id)  # type: ignore[attr-defined]


@dataclass
class _FoundTx(_ApplyTx):
    """The action of what a sync found here: its events are this board's own, not the received
    event being applied when they were written."""

    seqs: set[int] = dc_field(default_factory=set)

    def _log(self, *args: Any, **kwargs: Any) -> None:
        super()._log(*args, **kwargs)
        self.seqs.add(self.head.seq)


@contextmanager
def _writing(board: Board, actor: str = "") -> Iterator[tuple[Session, s.ChainHead]]:
    """One write transaction holding the chain head (as Board.action does), sealed at the end."""
    try:
        with board.engine.connect() as conn:
            conn.execution_options(write=True)
            with conn.begin(), Session(bind=conn, autoflush=False) as session:
                head = session.get(s.ChainHead, 1, with_for_update=True)
                if head is None:
                    raise BoardError("The board is damaged: its history head is missing.")
                start = head.seq
                yield session, head
                if head.seq != start and board.chain_secret is not None:
                    board._seal(session, head, start, actor)
                session.flush()
    except IntegrityError:
        raise
    except DatabaseError as exc:
        raise readable(exc, writing=True) from exc


def _now() -> str:
    return datetime.now(UTC).isoformat()


# -- reading events -------------------------------------------------------------------------


def _read_events(
    session: Session,
    board_id: str,
    after_seq: int,
    limit: int,
    *,
    native_only: bool,
    op: str | None = None,
) -> list[dict[str, Any]]:
    h, o = s.HistoryEvent, SyncOrigin
    q = (
        select(
            h.seq, h.id, h.at, h.actor, h.action_id, h.action, h.op, h.entity, h.entity_id,
            h.claim_id, h.before, h.after, h.hash,
            o.origin_board, o.origin_event, o.origin_actor, o.origin_at, o.origin_hash,
        )
        .outerjoin(o, o.event_seq == h.seq)
        .where(h.seq > after_seq)
        .order_by(h.seq)
        .limit(limit)
    )  # fmt: skip
    if native_only:
        q = q.where(o.id.is_(None))
    if op is not None:
        q = q.where(h.op == op)
    out = []
    for r in session.execute(q):
        origin: Origin = (
            (r.origin_board, r.origin_event, r.origin_actor, r.origin_at, r.origin_hash)
            if r.origin_board is not None
            else (board_id, r.id, r.actor, r.at, r.hash)
        )
        out.append(
            {
                "seq": r.seq,
                "id": r.id,
                "action_id": r.action_id,
                "action": r.action,
                "actor": r.actor,
                "op": r.op,
                "entity": r.entity,
                "entity_id": r.entity_id,
                "claim_id": r.claim_id,
                "before": json.loads(r.before),
                "after": json.loads(r.after),
                "origin": origin,
            }
        )
    _send_tiers(session, out)
    return out


def _send_tiers(session: Session, events: list[dict[str, Any]]) -> None:
    """A claim created before tiers were stored (schema 0015) has no tier in its create event:
    send the tier this board gave it beside the event (unhashed, as `claim_id` travels), so the
    receiving board shows the same tier instead of ranking a part of the article it may hold."""
    legacy = {
        ev["entity_id"]: ev
        for ev in events
        if ev["entity"] == "claim" and ev["op"] == "create" and "priority" not in ev["after"]
    }
    if not legacy:
        return
    c = s.Claim
    for claim_id, priority in session.execute(
        select(c.id, c.priority).where(c.id.in_(list(legacy)))
    ):
        legacy[claim_id]["tier"] = priority


def _attachment_refs(events: list[dict[str, Any]]) -> set[str]:
    ids = set()
    for ev in events:
        if ev["entity"] == "attachment":
            ids.add(ev["entity_id"])
        for key in _REFS:
            if ev["after"].get(key):
                ids.add(ev["after"][key])
    return ids


def _shas(session: Session, ids: set[str]) -> dict[str, tuple[str, int]]:
    """Attachment id -> (sha256, size) for the ids this board holds."""
    if not ids:
        return {}
    a = s.Attachment
    rows = session.execute(select(a.id, a.sha256, a.size).where(a.id.in_(ids)))
    return {r.id: (r.sha256, r.size) for r in rows}


def _missing(session: Session, shas: set[str]) -> set[str]:
    if not shas:
        return set()
    have = set(session.scalars(select(s.Attachment.sha256).where(s.Attachment.sha256.in_(shas))))
    return shas - have


def _blobs(session: Session, shas: set[str]) -> dict[str, bytes]:
    if not shas:
        return {}
    from factdesk.store.repo import attachment_pieces

    a = s.Attachment
    rows = session.execute(select(a.sha256, a.id).where(a.sha256.in_(shas))).all()
    # bytes kept in pieces since schema 0008 (attachments.data holds only older ones)
    conn = session.connection()
    return {r.sha256: b"".join(attachment_pieces(conn, r.id)) for r in rows}


# -- applying events ------------------------------------------------------------------------


class _Applier:
    """Applies one batch of received events in one transaction of the receiving board."""

    def __init__(
        self,
        session: Session,
        head: s.ChainHead,
        *,
        me: str,
        via: str,
        shas: dict[str, tuple[str, int]],
        blobs: dict[str, bytes],
        pushed_seq: int | None,
        actor: str = "",
    ) -> None:
        self.session = session
        self.head = head
        self.me = me
        self.via = via  # the board these events were read from, when not their origin
        self.blobs = blobs
        self.pushed_seq = pushed_seq  # None: no conflict detection (the team board's side)
        self.start_seq = head.seq
        self.txs: dict[str, Tx] = {}
        self.actions: dict[str, s.Action] = {}
        self.next_action = (session.scalar(select(func.max(s.Action.seq))) or 0) + 1
        self.counts = _Counts()
        self.actor = actor  # the person syncing here: the conflicts found are their action
        self._found: _FoundTx | None = None
        # this board's own work not yet sent (claim and article ids), read at the first removal
        self._worked: set[str] | None = None
        self.restored: set[str] = set()
        self.kept: list[tuple[str, dict[str, Any]]] = []  # claims whose removal was refused
        self.articles_kept: set[str] = set()  # articles whose removal was refused (work in them)
        # articles removed here since the last push, of those asked about: id -> removed here
        self._article_removed: dict[str, bool] = {}
        self._marked: set[str] = set()  # claims this batch found in conflict as removed here
        # rows removed here and not yet sent (claims, articles): id -> the row as it was; read
        # when an event names a claim or article missing here
        self._gone: dict[str, dict[str, Any]] | None = None
        # shared by the batch's actions: rows created or deleted, claims' articles
        self.touched: set[str] = set()
        self.article_of: dict[str, str] = {}
        # ids the batch creates -> present before it (one query per table, not one per row)
        self._asked: dict[type, set[str]] = {}
        self._present_before: dict[type, set[str]] = {}
        # attachments this board holds under another id (same bytes): use its own row
        a = s.Attachment
        held = self._present(a, set(shas))
        wanted = {sha for sha, _size in shas.values()}
        self.sha_here: dict[str, str] = (
            {
                r.sha256: r.id
                for r in session.execute(select(a.sha256, a.id).where(a.sha256.in_(wanted)))
            }
            if wanted
            else {}
        )
        self.id_map: dict[str, str] = {
            att_id: self.sha_here[sha]
            for att_id, (sha, _size) in shas.items()
            if att_id not in held and sha in self.sha_here
        }

    def apply_all(self, events: list[dict[str, Any]]) -> None:
        origins = {ev["origin"][1] for ev in events}
        boards = {ev["origin"][0] for ev in events}
        # both columns, so that the unique index answers (the event ids alone scan the table)
        known = {
            (b, e)
            for b, e in self.session.execute(
                select(SyncOrigin.origin_board, SyncOrigin.origin_event).where(
                    SyncOrigin.origin_board.in_(boards), SyncOrigin.origin_event.in_(origins)
                )
            )
        } if origins else set()  # fmt: skip
        todo = []
        for ev in events:
            origin: Origin = ev["origin"]
            if origin[0] == self.me or (origin[0], origin[1]) in known:
                continue
            known.add((origin[0], origin[1]))
            todo.append(ev)
        self._ask_up_front(todo)
        i = 0
        while i < len(todo):
            ev = todo[i]
            if ev["op"] == "create" and ev["entity"] != "attachment":
                # a run of creates of one table in one action (an article's 500 claims): one
                # flush, so the rows and their history go to the database as batched INSERTs
                # (one table per run: without relationships the flush does not order tables)
                j = i + 1
                while (
                    j < len(todo)
                    and todo[j]["op"] == "create"
                    and todo[j]["entity"] == ev["entity"]
                    and todo[j]["action_id"] == ev["action_id"]
                ):
                    j += 1
                self._revive_for(todo[i:j])
                self._create_run(self._tx(ev), todo[i:j])
                i = j
                continue
            self._revive_for([ev])
            before = self.head.seq
            self._apply(self._tx(ev), ev)
            self._applied(ev, before)
            i += 1
        for claim_id, ev in self.kept:
            claim = self.session.get(s.Claim, claim_id)
            if claim is not None:
                self._keep(claim, ev, with_article=claim.article_id in self.articles_kept)
        for action_id, tx in self.txs.items():
            tx.finish()
            if tx.events == 0:
                action = self.actions[action_id]
                if action in self.session.new:
                    self.session.expunge(action)  # never written
                else:
                    self.session.delete(action)
        self.session.flush()

    def _ask_up_front(self, todo: list[dict[str, Any]]) -> None:
        """What the batch would otherwise ask row by row: which of the rows it creates are
        here already, and the articles of the claims its events name."""
        wanted: dict[type, set[str]] = {}
        for ev in todo:
            if ev["op"] in ("create", RESTORE):
                wanted.setdefault(CLASS_OF[ev["entity"]], set()).add(ev["entity_id"])
        for cls, ids in wanted.items():
            self._asked[cls] = ids
            self._present_before[cls] = self._present(cls, ids)
        claims = {ev["claim_id"] for ev in todo if ev["claim_id"]}
        if claims:
            c = s.Claim
            rows = self.session.execute(select(c.id, c.article_id).where(c.id.in_(claims)))
            self.article_of.update({r.id: r.article_id for r in rows})

    def _exist(self, cls: Any, ids: list[str]) -> set[str]:
        """Which of these rows are here: from what was asked up front, unless the batch has
        created or deleted them since."""
        asked, before = self._asked.get(cls, set()), self._present_before.get(cls, set())
        sure = {i for i in ids if i in asked and i not in self.touched}
        return (sure & before) | self._present(cls, set(ids) - sure)

    # -- a claim removed on one side, changed on the other -------------------------------

    def _conflicts_tx(self) -> _FoundTx:
        """The action holding what this sync found (conflicts, claims kept): the syncing
        person's, not undoable, and sent on like any change of this board."""
        if self._found is None:
            action = s.Action(
                seq=self.next_action, label="Sync conflict", actor=self.actor, state="system"
            )
            self.next_action += 1
            self.session.add(action)
            self.session.flush()
            self._found = _FoundTx(self.session, action.id, action.label, self.actor, self.head)
            self._found.touched = self.touched
            self._found.article_of = self.article_of
            self.txs[action.id] = self._found
            self.actions[action.id] = action
        return self._found

    def _native_since_push(self) -> Any:
        h, o = s.HistoryEvent, SyncOrigin
        assert self.pushed_seq is not None
        return (
            select(h.entity, h.entity_id, h.claim_id, h.article_id, h.before)
            .outerjoin(o, o.event_seq == h.seq)
            .where(h.seq > self.pushed_seq, h.seq <= self.start_seq, o.id.is_(None))
        )

    def _removed_here(self) -> dict[str, dict[str, Any]]:
        if self._gone is None:
            h = s.HistoryEvent
            q = self._native_since_push().where(
                h.op == "delete", h.entity.in_(("claim", "article"))
            )
            self._gone = {r.entity_id: json.loads(r.before) for r in self.session.execute(q)}
        return self._gone

    def _present(self, cls: Any, ids: set[str]) -> set[str]:
        if not ids:
            return set()
        return set(self.session.scalars(select(cls.id).where(cls.id.in_(ids))))

    def _worked_on(self, entity_id: str) -> bool:
        """Did this board change the claim (or something of the article) since its last push?"""
        if self._worked is None:
            h = s.HistoryEvent
            q = self._native_since_push().where(h.entity != "conflict")
            self._worked = set()
            for r in self.session.execute(q):
                self._worked.update(x for x in (r.claim_id, r.article_id) if x)
        return entity_id in self._worked

    def _conflict(
        self, claim_id: str, field: str, mine: Any, theirs: Any, base: Any, ev: dict[str, Any]
    ) -> SyncConflict:
        conflict = self._conflicts_tx().create(
            SyncConflict(
                claim_id=claim_id,
                field=field,
                mine=history.canonical_json(mine),
                theirs=history.canonical_json(theirs),
                base=history.canonical_json(base),
                their_actor=ev["origin"][2],
                their_board=ev["origin"][0],
                detected_seq=self.start_seq,
                detected_at=_now(),
                board=self.me,
                actor=self.actor,
            ),
            claim_id=claim_id,
        )
        self.counts.conflicts += 1
        return conflict

    def _revive_for(self, run: list[dict[str, Any]]) -> None:
        """Events naming a claim (or article) that is missing here: when this board removed it
        since its last push, it comes back (see _revive)."""
        if self.pushed_seq is None:
            return
        claims: set[str] = set()
        articles: set[str] = set()
        for ev in run:
            if ev["op"] == "delete":
                continue
            if ev["entity"] == "claim" and ev["op"] == "create":
                if ev["after"].get("article_id"):
                    articles.add(ev["after"]["article_id"])
            elif ev["claim_id"]:
                claims.add(ev["claim_id"])
        missing = (claims - self._present(s.Claim, claims)) | (
            articles - self._present(s.Article, articles)
        )
        if missing and missing & self._removed_here().keys():
            for ev in run:
                self._revive(ev)

    def _revive(self, ev: dict[str, Any]) -> None:
        """The team board has a change to a claim removed here (or to its article): the claim
        (and article) come back from the rows their deletes recorded, in conflict."""
        gone = self._removed_here()
        claim_id = ev["claim_id"] or (ev["entity_id"] if ev["entity"] == "claim" else None)
        article_id = ev["after"].get("article_id") if ev["entity"] == "claim" else None
        if ev["op"] == "delete" or (claim_id not in gone and article_id not in gone):
            return
        session = self.session
        tx = self._conflicts_tx()
        row = gone.pop(claim_id, None) if claim_id else None
        article_id = row["article_id"] if row else article_id
        if article_id in gone and session.get(s.Article, article_id) is None:
            tx.create(s.Article(**_from_json(s.Article, gone.pop(article_id))))
        if row is not None and session.get(s.Claim, claim_id) is None:
            tx.create(s.Claim(**_from_json(s.Claim, row)), claim_id=claim_id)
        if claim_id is not None and session.get(s.Claim, claim_id) is not None:
            base = article_id if article_id and self._removed_article(article_id) else False
            self._conflict(claim_id, REMOVED, True, False, base, ev)
            self._marked.add(claim_id)

    def _removed_article(self, article_id: str) -> bool:
        """Was this article removed here since the last push (by undoing its import)?"""
        if article_id not in self._article_removed:
            h = s.HistoryEvent
            q = self._native_since_push().where(
                h.entity == "article", h.op == "delete", h.entity_id == article_id
            )
            self._article_removed[article_id] = self.session.execute(q.limit(1)).first() is not None
        return self._article_removed[article_id]

    def _added_to_removed(self, claims: list[s.Claim], ev: dict[str, Any]) -> None:
        """Claims the others added to an article removed here: kept, in conflict, with it."""
        if self.pushed_seq is None:
            return
        for claim in claims:
            if claim.id not in self._marked and self._removed_article(claim.article_id):
                self._conflict(claim.id, REMOVED, True, False, claim.article_id, ev)
                self._marked.add(claim.id)

    def _kept_with_article(self, article: s.Article, ev: dict[str, Any]) -> None:
        """The others removed an article this board worked in since its last push: the claims
        of that work are kept, in conflict, and the article with them (sent again)."""
        self.articles_kept.add(article.id)
        h = s.HistoryEvent
        q = self._native_since_push().where(
            h.article_id == article.id, h.claim_id.is_not(None), h.entity != "conflict"
        )
        worked = self._present(s.Claim, {r.claim_id for r in self.session.execute(q)})
        queued = {claim_id for claim_id, _ev in self.kept}
        for claim_id in sorted(worked - queued):
            found = self.session.scalar(
                select(SyncConflict).where(
                    SyncConflict.claim_id == claim_id,
                    SyncConflict.field == REMOVED,
                    SyncConflict.resolved_at == "",
                )
            )
            if found is None:
                self.kept.append((claim_id, ev))
            elif found.base != history.canonical_json(article.id):
                # kept in an earlier batch, when only the claim's own removal had come
                self._conflicts_tx().update(
                    found, claim_id=claim_id, base=history.canonical_json(article.id)
                )

    def _keep(self, claim: s.Claim, ev: dict[str, Any], *, with_article: bool = False) -> None:
        """A claim the team board removed (alone, or with its article) while this board
        changed it: kept here, in conflict, and sent again (its article too) ahead of this
        board's other events."""
        found = self._conflicts_tx()
        for obj in (self.session.get(s.Article, claim.article_id), claim):
            if obj is not None and obj.id not in self.restored:
                self.restored.add(obj.id)
                found._log(RESTORE, obj, {}, row_dict(obj), claim.id if obj is claim else None)
        base = claim.article_id if with_article else False
        self._conflict(claim.id, REMOVED, False, True, base, ev)

    def _applied(self, ev: dict[str, Any], before: int) -> None:
        """Note where a received event came from (and which event it became here, if any)."""
        origin: Origin = ev["origin"]
        relayed = self.via != origin[0]
        written = self.head.seq != before and (
            self._found is None or self.head.seq not in self._found.seqs
        )
        self.session.add(
            SyncOrigin(
                event_seq=self.head.seq if written else None,
                origin_board=origin[0],
                origin_event=origin[1],
                origin_actor=origin[2],
                origin_at=origin[3],
                origin_hash=origin[4],
                via_board=self.via if relayed else "",
                via_event=ev["id"] if relayed else "",
            )
        )
        self.counts.applied += written

    def _create_run(self, tx: Tx, run: list[dict[str, Any]]) -> None:
        cls = CLASS_OF[run[0]["entity"]]
        present = self._exist(cls, [ev["entity_id"] for ev in run])
        made = []
        for ev in run:
            if ev["entity_id"] not in present:
                made.append((cls(**self._values(cls, ev["after"])), ev))
                present.add(ev["entity_id"])
        self.session.add_all([obj for obj, _ev in made])
        self.session.flush()
        unranked = []
        for row, ev in made:
            if isinstance(row, s.Claim) and "priority" not in ev["after"]:
                if ev.get("tier") is not None:
                    row.priority = ev["tier"]  # the tier its own board gave it
                else:
                    unranked.append(row)  # gone there since: ranked among the claims here
        rank_unranked(self.session, unranked)
        made_for = {id(ev): obj for obj, ev in made}
        for ev in run:
            before = self.head.seq
            obj = made_for.get(id(ev))
            if obj is not None:
                tx._log("create", obj, {}, row_dict(obj), ev["claim_id"])
            self._applied(ev, before)
        if cls is s.Claim and made:
            self._added_to_removed([obj for obj, _ev in made if isinstance(obj, s.Claim)], run[0])
        if cls is s.Article and made and self.pushed_seq is not None:
            self._same_text([obj for obj, _ev in made if isinstance(obj, s.Article)])

    def _same_text(self, articles: list[s.Article]) -> None:
        """Count the articles received whose text is already here as another article (the same
        story imported on two laptops): both are kept, and the sync says so."""
        a = s.Article
        shas = {art.sha256 for art in articles}
        ids = {art.id for art in articles}
        here = set(
            self.session.scalars(select(a.sha256).where(a.sha256.in_(shas), a.id.not_in(ids)))
        )
        self.counts.same_text += sum(art.sha256 in here for art in articles)

    def _tx(self, ev: dict[str, Any]) -> Tx:
        tx = self.txs.get(ev["action_id"])
        if tx is None:
            # its id made here: the row goes with the action's first write (no flush of its own)
            action = s.Action(
                id=s.new_id(),
                seq=self.next_action,
                label=ev["action"],
                actor=ev["actor"],
                state="system",
            )
            self.next_action += 1
            self.session.add(action)
            tx = _ApplyTx(self.session, action.id, ev["action"], ev["actor"], self.head)
            tx.touched = self.touched
            tx.article_of = self.article_of
            self.txs[ev["action_id"]] = tx
            self.actions[ev["action_id"]] = action
        return tx

    def _values(self, cls: type[s.Base], raw: dict[str, Any]) -> dict[str, Any]:
        values = _from_json(cls, raw)
        for key in _REFS:
            if values.get(key) in self.id_map:
                values[key] = self.id_map[values[key]]
        return values

    def _apply(self, tx: Tx, ev: dict[str, Any]) -> None:
        cls = CLASS_OF[ev["entity"]]
        entity_id = ev["entity_id"]
        session = self.session
        if ev["op"] in ("create", RESTORE):
            if entity_id in self.id_map or self._exist(cls, [entity_id]):
                return
            values = self._values(cls, ev["after"])
            if cls is s.Attachment:
                same = self.sha_here.get(values["sha256"])  # attachments are never removed
                if same is not None:  # the same bytes arrived under another id: one copy
                    self.id_map[entity_id] = same
                    return
                data = self.blobs.get(values["sha256"])
                if data is None:
                    raise BoardError(
                        f"The bytes of attachment {values['sha256'][:12]} are missing."
                    )
                tx.create(s.Attachment(**values, data=data))
                self.sha_here[values["sha256"]] = entity_id
            else:
                created = tx.create(cls(**values), claim_id=ev["claim_id"])
                if isinstance(created, s.Claim):
                    self._added_to_removed([created], ev)
        elif ev["op"] == "update":
            obj = session.get(cls, entity_id)
            if obj is None:
                return
            values = self._values(cls, ev["after"])
            if isinstance(obj, s.Claim) and self.pushed_seq is not None:
                values = self._without_conflicts(obj, ev, values)
            if set(values) - {"updated_at"}:
                tx.update(obj, claim_id=ev["claim_id"], **values)
        elif ev["op"] == "delete":
            obj = session.get(cls, entity_id)
            if obj is None:
                return
            kept = self.pushed_seq is not None and cls in (s.Claim, s.Article)
            if kept and self._worked_on(entity_id):
                if isinstance(obj, s.Claim):
                    self.kept.append((obj.id, ev))  # after the batch: this event changed nothing
                elif isinstance(obj, s.Article):
                    self._kept_with_article(obj, ev)
                return  # an article with work of this board's: kept with it
            try:
                with session.begin_nested():
                    tx.delete(obj, claim_id=ev["claim_id"])
            except IntegrityError:
                # still used here (evidence linked on this side meanwhile): kept
                session.expire_all()

    def _pending(self, claim_id: str) -> dict[str, Any]:
        """Fields of a claim changed here since the last push -> their value before that."""
        h, o = s.HistoryEvent, SyncOrigin
        assert self.pushed_seq is not None
        rows = self.session.execute(
            select(h.before, h.after)
            .outerjoin(o, o.event_seq == h.seq)
            .where(
                h.entity == "claim",
                h.entity_id == claim_id,
                h.op == "update",
                h.seq > self.pushed_seq,
                h.seq <= self.start_seq,
                o.id.is_(None),
            )
            .order_by(h.seq)
        )
        pending: dict[str, Any] = {}
        for before, after in rows:
            old = json.loads(before)
            for key in json.loads(after):
                if key != "updated_at":
                    pending.setdefault(key, old.get(key))
        return pending

    def _without_conflicts(
        self, claim: s.Claim, ev: dict[str, Any], values: dict[str, Any]
    ) -> dict[str, Any]:
        """The incoming values that do not collide with what was changed here; each collision
        becomes a conflict that keeps both values."""
        watched = {*CONFLICT_FIELDS, "dismissed"}
        incoming = set(values) & watched
        if not incoming:
            return values
        # the conflicts found here: this board holds its version of those fields (the ones
        # found elsewhere are the team board's version, which this board shows)
        open_ = {
            c.field: c
            for c in self.session.scalars(
                select(SyncConflict).where(
                    SyncConflict.claim_id == claim.id,
                    SyncConflict.resolved_at == "",
                    SyncConflict.board.in_((self.me, "")),
                )
            )
        }
        pending = self._pending(claim.id)
        keep = dict(values)
        after, before = ev["after"], ev["before"]

        def collide(name: str, theirs: Any, base: Any) -> None:
            keep.pop(name, None)
            if name in open_:
                self._conflicts_tx().update(
                    open_[name], claim_id=claim.id, theirs=history.canonical_json(theirs)
                )
                return
            mine = _jsonable(getattr(claim, name))
            open_[name] = self._conflict(claim.id, name, mine, theirs, base, ev)

        for name in sorted(incoming):
            differs = _jsonable(getattr(claim, name)) != after[name]
            if name in open_ or (name in pending and differs):
                collide(name, after[name], before.get(name))
        edited_here = bool(pending.keys() & set(CONFLICT_FIELDS))
        if "dismissed" in keep and edited_here and after["dismissed"] != claim.dismissed:
            collide("dismissed", after["dismissed"], before.get("dismissed"))
        if "dismissed" in pending and incoming & set(CONFLICT_FIELDS) and "dismissed" not in open_:
            collide("dismissed", pending["dismissed"], pending["dismissed"])
        return keep


def rank_unranked(session: Session, claims: list[s.Claim]) -> None:
    """Claims whose create event was logged before tiers were stored (schema 0015) get the tier
    the migration gives such a claim: its rank among its article's detected claims here (a
    marked one: high), before this board logs their create."""
    if not claims:
        return
    c = s.Claim
    for article_id in {claim.article_id for claim in claims}:
        rows = session.execute(
            select(c.id, c.score, c.start).where(
                c.article_id == article_id, c.origin == ClaimOrigin.DETECTED.value
            )
        ).all()
        tiers = dict(
            zip(
                (r[0] for r in rows),
                article_tiers([(float(r[1] or 0.0), int(r[2])) for r in rows]),
                strict=True,
            )
        )
        for claim in claims:
            if claim.article_id == article_id:
                tier = MARKED if claim.origin == ClaimOrigin.MANUAL.value else tiers[claim.id]
                claim.priority = tier.rank
    session.flush()


def _apply_batch(
    board: Board,
    events: list[dict[str, Any]],
    *,
    me: str,
    via: str,
    shas: dict[str, tuple[str, int]],
    blobs: dict[str, bytes],
    pushed_seq: int | None,
    before_commit: Callable[[Session, s.ChainHead], None] | None = None,
    actor: str = "",
) -> _Counts:
    with _writing(board, actor) as (session, head):
        if before_commit is not None and pushed_seq is None:
            before_commit(session, head)  # the team board's guard, before anything is written
        applier = _Applier(
            session,
            head,
            me=me,
            via=via,
            shas=shas,
            blobs=blobs,
            pushed_seq=pushed_seq,
            actor=actor,
        )
        applier.apply_all(events)
        if before_commit is not None and pushed_seq is not None:
            before_commit(session, head)  # the laptop's position, in the same transaction
        applier.counts.head = head.seq
        return applier.counts


# -- the sync -------------------------------------------------------------------------------


def _board_id(board: Board) -> str:
    value = board.meta("board_id")
    if not value:
        raise BoardError(f"The board at {board.location} has no id; open it once with factdesk.")
    return value


def _peer(session: Session, server_id: str) -> SyncPeer | None:
    return session.get(SyncPeer, server_id)


def remembered_url(board: Board) -> str | None:
    """The team board this laptop board synced with last (None: never synced)."""
    with board.reading() as session:
        row = session.scalars(select(SyncPeer).order_by(SyncPeer.synced_at.desc()).limit(1)).first()
        return row.url if row else None


def _save_peer(session: Session, server_id: str, url: str, **values: Any) -> None:
    peer = session.get(SyncPeer, server_id)
    if peer is None:
        peer = SyncPeer(server_board=server_id, url=url, pulled_seq=0, pushed_seq=0, synced_at="")
        session.add(peer)
    peer.url = url
    for key, value in values.items():
        setattr(peer, key, value)
    session.flush()


def _strip(session: Session, me: str, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """This board's events as the team board may see them: a claim field in a conflict found
    here keeps the team board's value there until resolved (the edits made before the conflict
    was found, and any made while it is open, stay here), and a claim removed here that the
    others changed meanwhile stays there (its removal is held back)."""
    claims = {
        ev["entity_id"]
        for ev in events
        if ev["entity"] == "claim" and ev["op"] in ("update", "delete")
    }
    if not claims:
        return events
    conflicts: dict[str, list[SyncConflict]] = {}
    for c in session.scalars(
        select(SyncConflict).where(
            SyncConflict.claim_id.in_(claims), SyncConflict.board.in_((me, ""))
        )
    ):
        conflicts.setdefault(c.claim_id, []).append(c)
    out = []
    for ev in events:
        found = conflicts.get(ev["entity_id"]) if ev["entity"] == "claim" else None
        if found and ev["op"] in ("update", "delete"):
            held = {c.field for c in found if c.resolved_at == "" or ev["seq"] <= c.detected_seq}
            if ev["op"] == "delete":
                if REMOVED in held:
                    continue
                out.append(ev)
                continue
            after = {k: v for k, v in ev["after"].items() if k not in held}
            if not set(after) - {"updated_at"}:
                continue
            ev = {**ev, "after": after}
        out.append(ev)
    return out


def _fit(events: list[dict[str, Any]], sizes: dict[str, tuple[str, int]]) -> list[dict[str, Any]]:
    """The longest head of `events` whose new attachments stay within BATCH_BYTES (at least one)."""
    total = 0
    for n, ev in enumerate(events):
        if ev["entity"] == "attachment" and ev["op"] == "create":
            total += sizes.get(ev["entity_id"], ("", 0))[1]
            if total > BATCH_BYTES and n > 0:
                return events[:n]
    return events


def run(
    local: Board,
    server: Board,
    url: str,
    progress: Progress | None = None,
    *,
    actor: str = "",
    fail_after_batches: int | None = None,
) -> SyncReport:
    """Pull what the team board has that this board lacks, then push this board's own events,
    then exchange fact-checks (store/sync_factchecks.py).
    `fail_after_batches` (tests): stop as a killed process would after that many batches."""
    if local.backend != "sqlite":
        raise InvalidInputError("Sync runs on a laptop board (a file); this one is a team board.")
    if server.backend != "postgresql":
        raise InvalidInputError("The team board to sync with must be a postgresql:// board.")
    me, server_id = _board_id(local), _board_id(server)
    if me == server_id:
        raise InvalidInputError("This board cannot sync with itself.")
    say = progress or (lambda what, done, total: None)
    batches = [0]

    def tick() -> None:
        batches[0] += 1
        if fail_after_batches is not None and batches[0] >= fail_after_batches:
            raise ConnectionError("sync interrupted (test)")

    totals = {
        "pulled": 0, "pushed": 0, "conflicts": 0, "sent": 0, "bytes": 0, "got": 0, "same_text": 0
    }  # fmt: skip
    retries = 0
    with server.engine.connect() as lock_conn:
        lock_conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": ADVISORY_KEY})
        lock_conn.commit()
        try:
            while True:
                _pull(local, server, url, me, server_id, say, tick, totals, actor)
                try:
                    _push(local, server, url, me, server_id, say, tick, totals)
                    break
                except ServerMovedError:
                    retries += 1
                    if retries > 20:
                        raise BoardError(
                            "The team board keeps changing; sync again in a moment."
                        ) from None
            removed = sync_factchecks.exchange_removals(local, server)
            fc_sent, fc_got = sync_factchecks.exchange(local, server, server_id, url, tick, say)
            with _writing(local) as (session, _head):
                _save_peer(session, server_id, url, synced_at=_now())
        finally:
            if not lock_conn.closed and not lock_conn.invalidated:
                lock_conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
                lock_conn.commit()
    return SyncReport(
        pulled=totals["pulled"],
        pushed=totals["pushed"],
        conflicts=totals["conflicts"],
        blobs_sent=totals["sent"],
        bytes_sent=totals["bytes"],
        blobs_received=totals["got"],
        retries=retries,
        factchecks_sent=fc_sent,
        factchecks_received=fc_got,
        collections_removed=removed,
        same_text=totals["same_text"],
    )


def _positions(local: Board, server_id: str) -> tuple[int, int]:
    with local.reading() as session:
        peer = _peer(session, server_id)
        return (peer.pulled_seq, peer.pushed_seq) if peer else (0, 0)


def _pull(
    local: Board,
    server: Board,
    url: str,
    me: str,
    server_id: str,
    say: Progress,
    tick: Callable[[], None],
    totals: dict[str, int],
    actor: str,
) -> None:
    pulled, pushed = _positions(local, server_id)
    with server.reading() as session:
        total = (session.scalar(select(func.max(s.HistoryEvent.seq))) or 0) - pulled
    done = 0
    while True:
        with server.snapshot() as session:
            events = _read_events(session, server_id, pulled, BATCH, native_only=False)
            if not events:
                return
            events = _fit(events, _shas(session, _attachment_refs(events)))
            shas = _shas(session, _attachment_refs(events))
        with local.reading() as lsession:
            missing = _missing(lsession, {sha for sha, _ in shas.values()})
        with server.reading() as session:
            blobs = _blobs(session, missing)
        last = events[-1]["seq"]

        def position(session: Session, _head: s.ChainHead, last: int = last) -> None:
            _save_peer(session, server_id, url, pulled_seq=last)

        counts = _apply_batch(
            local,
            events,
            me=me,
            via=server_id,
            shas=shas,
            blobs=blobs,
            pushed_seq=pushed,
            before_commit=position,
            actor=actor,
        )
        totals["pulled"] += counts.applied
        totals["conflicts"] += counts.conflicts
        totals["got"] += len(blobs)
        totals["same_text"] += counts.same_text
        pulled = last
        done += len(events)
        say("receiving", done, max(total, done))
        tick()


def _push(
    local: Board,
    server: Board,
    url: str,
    me: str,
    server_id: str,
    say: Progress,
    tick: Callable[[], None],
    totals: dict[str, int],
) -> None:
    pulled, pushed = _positions(local, server_id)
    with local.reading() as session:
        h, o = s.HistoryEvent, SyncOrigin
        total = (
            session.scalar(
                select(func.count())
                .select_from(h)
                .outerjoin(o, o.event_seq == h.seq)
                .where(h.seq > pushed, o.id.is_(None))
            )
            or 0
        )
    since = pulled

    def guard(session: Session, _head: s.ChainHead) -> None:
        h, o = s.HistoryEvent, SyncOrigin
        moved = session.scalar(
            select(func.count())
            .select_from(h)
            .outerjoin(o, o.event_seq == h.seq)
            .where(h.seq > since, or_(o.id.is_(None), o.origin_board != me))
        )
        if moved:
            raise ServerMovedError

    with local.snapshot() as session:
        # claims this board kept while the team board removed them go first, so that this
        # board's changes to them find them there; sent again in their place, they are skipped
        restores = _read_events(session, me, pushed, BATCH, native_only=True, op=RESTORE)
        # an article sent back names its original file by this board's id, which the team
        # board may know under another (the same bytes arrived there first): map it as a push does
        restore_shas = _shas(session, _attachment_refs(restores))
    if restores:
        _apply_batch(
            server, restores, me=server_id, via=me, shas=restore_shas, blobs={}, pushed_seq=None,
            before_commit=guard,
        )  # fmt: skip
    done = 0
    while True:
        with local.snapshot() as session:
            raw = _read_events(session, me, pushed, BATCH, native_only=True)
            head = session.get(s.ChainHead, 1)
            upto = head.seq if head is not None else 0
            if raw:
                sizes = _shas(session, _attachment_refs(raw))
                raw = _fit(raw, sizes)
                events = _strip(session, me, raw)
                shas = _shas(session, _attachment_refs(events))
        if not raw:
            # nothing of this board's own up to its head: the next sync (and the status bar's
            # count) starts there, not at the start of a long run of received events
            if upto > pushed:
                with _writing(local) as (session, _head):
                    _save_peer(session, server_id, url, pushed_seq=upto)
            return
        with server.reading() as ssession:
            missing = _missing(ssession, {sha for sha, _ in shas.values()})
        with local.reading() as session:
            blobs = _blobs(session, missing)
        last = raw[-1]["seq"]
        since = pulled
        counts = _apply_batch(
            server,
            events,
            me=server_id,
            via=me,
            shas=shas,
            blobs=blobs,
            pushed_seq=None,
            before_commit=guard,
        )
        server_head = counts.head
        tick()  # a kill here: pushed but not recorded; the resend is skipped by the team board
        with _writing(local) as (session, _head):
            # everything on the team board after `pulled` is this board's own (the guard said so)
            _save_peer(session, server_id, url, pushed_seq=last, pulled_seq=server_head)
        totals["pushed"] += counts.applied
        totals["sent"] += len(blobs)
        totals["bytes"] += sum(len(b) for b in blobs.values())
        pulled, pushed = server_head, last
        done += len(raw)
        say("sending", done, max(total, done))


# -- status and conflicts -------------------------------------------------------------------


def status(board: Board, *, count_unsynced: bool = True) -> SyncStatus:
    with board.reading() as session:
        peer = session.scalars(
            select(SyncPeer).order_by(SyncPeer.synced_at.desc()).limit(1)
        ).first()
        pushed = peer.pushed_seq if peer else 0
        h, o = s.HistoryEvent, SyncOrigin
        # After a sync only the events since `pushed` are scanned (a range of the primary key);
        # before the first one that is the whole history, which the caller may skip.
        to_send = (
            0
            if peer is None and not count_unsynced
            else session.scalar(
                select(func.count(func.distinct(h.action_id)))
                .select_from(h)
                .outerjoin(o, o.event_seq == h.seq)
                .where(h.seq > pushed, o.id.is_(None))
            )
            or 0
        )
        factchecks = (
            0
            if peer is None and not count_unsynced
            else sync_factchecks.count_changed(
                session.connection(),
                (peer.fc_pushed_at, peer.fc_pushed_id) if peer else ("", ""),
            )
        )
        open_conflicts = (
            session.scalar(
                select(func.count(func.distinct(SyncConflict.claim_id))).where(
                    SyncConflict.resolved_at == ""
                )
            )
            or 0
        )
        return SyncStatus(
            url=peer.url if peer else "",
            synced_at=peer.synced_at if peer else "",
            to_send=to_send,
            open_conflicts=open_conflicts,
            factchecks_to_send=factchecks,
        )


def _sides(c: SyncConflict, me: str) -> tuple[Any, Any, str]:
    """(mine, theirs, who made theirs) as this board sees the conflict: the board that found it
    shows its own version; every other board shows the team board's."""
    if c.board in ("", me):
        return json.loads(c.mine), json.loads(c.theirs), c.their_actor
    return json.loads(c.theirs), json.loads(c.mine), c.actor


def _record(c: SyncConflict, me: str, claim: s.Claim) -> ConflictRecord:
    mine, theirs, their_actor = _sides(c, me)
    if c.field != REMOVED:
        mine = _jsonable(getattr(claim, c.field))  # what this board shows now
    return ConflictRecord(
        id=c.id,
        claim_id=c.claim_id,
        field=c.field,
        mine=mine,
        theirs=theirs,
        base=json.loads(c.base),
        their_actor=their_actor,
        detected_at=c.detected_at,
    )


def _open(claim_id: str | None = None) -> Any:
    q = select(SyncConflict, s.Claim).join(s.Claim, s.Claim.id == SyncConflict.claim_id)
    q = q.where(SyncConflict.resolved_at == "")
    return q if claim_id is None else q.where(SyncConflict.claim_id == claim_id)


def conflicts(board: Board, claim_id: str | None = None) -> list[ConflictRecord]:
    """The open conflicts (of one claim, or of the board), oldest first."""
    me = _board_id(board)
    with board.reading() as session:
        rows = session.execute(_open(claim_id).order_by(SyncConflict.detected_at))
        return [_record(c, me, claim) for c, claim in rows]


def conflicted_claims(board: Board) -> set[str]:
    with board.reading() as session:
        return set(
            session.scalars(
                select(SyncConflict.claim_id)
                .join(s.Claim, s.Claim.id == SyncConflict.claim_id)
                .where(SyncConflict.resolved_at == "")
                .distinct()
            )
        )


def _remove(tx: Tx, claim: s.Claim) -> None:
    """Remove a claim as undoing its creation would, with the evidence links made since (and
    the evidence no other claim uses); files stay, content-addressed."""
    session = tx.session
    links = session.scalars(select(s.ClaimEvidence).where(s.ClaimEvidence.claim_id == claim.id))
    for link in list(links):
        evidence_id = link.evidence_id
        tx.delete(link, claim_id=claim.id)
        others = session.scalar(
            select(func.count()).where(s.ClaimEvidence.evidence_id == evidence_id)
        )
        evidence = session.get(s.Evidence, evidence_id)
        if not others and evidence is not None:
            tx.delete(evidence, claim_id=claim.id)
    tx.delete(claim)


def resolve(tx: Tx, claim_id: str, keep: str, merged: str | None = None) -> ClaimRecord | None:
    """Settle a claim's open conflicts in the user's action `tx`: keep 'mine', 'theirs', or
    'merged' (the explanation becomes `merged`, other fields keep mine; a removed claim is kept).
    The chosen value is written as a change of this board so that the next sync takes it to the
    others, even when it is the value already shown here; the conflicts are marked resolved
    first, so that a board receiving the resolution takes the values that follow.
    Returns the claim, or None when the choice removed it."""
    session = tx.session
    claim = session.get(s.Claim, claim_id)
    if claim is None:
        raise NotFoundError(f"No claim with id {claim_id} on this board.")
    me = tx.session.get(s.BoardMeta, "board_id")
    me_id = me.value if me else ""
    open_ = list(
        session.scalars(
            select(SyncConflict).where(
                SyncConflict.claim_id == claim_id, SyncConflict.resolved_at == ""
            )
        )
    )
    if not open_:
        raise InvalidInputError("This claim has no conflict to resolve.")
    if keep == "merged" and not any(c.field == "explanation" for c in open_):
        raise InvalidInputError(
            "Only a conflicting explanation can be merged from text; keep mine or theirs."
        )
    sides = {c.field: _sides(c, me_id) for c in open_}
    # a claim whose whole article was removed on one side names that article
    article_gone = any(c.field == REMOVED and json.loads(c.base) for c in open_)
    for c in open_:
        tx.update(c, claim_id=claim_id, resolved_at=_now(), resolution=keep)
    removed = sides.get(REMOVED)
    if removed is not None and keep in ("mine", "theirs") and removed[keep == "theirs"]:
        article = session.get(s.Article, claim.article_id)
        _remove(tx, claim)
        left = session.scalar(
            select(func.count()).select_from(s.Claim).where(s.Claim.article_id == claim.article_id)
        )
        if article_gone and article is not None and not left:
            tx.delete(article)  # the removal kept was the article's, and its last claim is gone
            tx.changes |= Changes.ARTICLES
        return None
    for field, (_mine, their_value, _who) in sides.items():
        if field == REMOVED:
            continue
        theirs = _from_json(s.Claim, {field: their_value})[field]
        current = getattr(claim, field)
        if keep == "theirs":
            wanted = theirs
        elif keep == "merged" and field == "explanation":
            wanted = merged
        else:
            wanted = current
        if _jsonable(current) != _jsonable(wanted):
            tx.update(claim, **{field: wanted})
        elif _jsonable(theirs) != _jsonable(wanted):
            # shown here already, but the other side holds theirs: write it as a change
            tx.update(claim, **{field: theirs})
            tx.update(claim, **{field: wanted})
    tx.changes |= Changes.CLAIMS
    tx.claim_ids.add(claim_id)
    return _claim_record(session, claim_id)
