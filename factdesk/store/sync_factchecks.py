"""The fact-check step of a sync: fact-checks are reference data outside the history, so they
travel as rows, not events. Each side sends what it created or changed after its watermark (the
(updated_at, id) of the last row sent, kept in the laptop's sync_peer row) and the receiver stores
them as a re-import would: by review URL, a changed rating updating the row, nothing duplicated.
One transaction per batch on the receiving side, the watermark moving with it (a killed sync
resends at most one batch, which changes nothing the second time).

A removed collection travels first, as the record of its removal (factcheck_removals, by name:
collections are matched by name across boards): each side takes the records it lacks and removes
its collection of that name, unless that one was imported after the removal."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select, true, update

from factdesk.domain.factchecks import FactCheckItem
from factdesk.store import schema as s
from factdesk.store.board import Board
from factdesk.store.factchecks import (
    FactCheck,
    FactCheckCollection,
    collection_named,
    drop_collection,
    upsert_items,
)
from factdesk.store.sync_schema import FactCheckRemoval, SyncPeer

BATCH = 500  # fact-checks per transaction

Mark = tuple[str, str]  # (updated_at as ISO 8601, id) of the last row exchanged; ("", "") none


@dataclass(frozen=True)
class _Row:
    mark: Mark
    collection: tuple[str, str, str]  # name, source, format
    item: FactCheckItem


def _since(after: Mark) -> Any:
    f = FactCheck
    if not after[0]:
        return true()
    at = datetime.fromisoformat(after[0])
    return or_(f.updated_at > at, and_(f.updated_at == at, f.id > after[1]))


def count_changed(conn: Connection, after: Mark) -> int:
    """How many fact-checks were created or changed after `after`."""
    return conn.scalar(select(func.count()).select_from(FactCheck).where(_since(after))) or 0


def _changed(conn: Connection, after: Mark, limit: int) -> list[_Row]:
    """Fact-checks created or changed after `after`, oldest first."""
    f, c = FactCheck, FactCheckCollection
    q = (
        select(
            f.__table__,
            c.name.label("c_name"),
            c.source.label("c_source"),
            c.format.label("c_format"),
        )
        .join(c, c.id == f.collection_id)
        .where(_since(after))
        .order_by(f.updated_at, f.id)
        .limit(limit)
    )
    out = []
    for row in conn.execute(q):
        item = FactCheckItem(
            claim=row.claim,
            review_url=row.review_url,
            rating=row.rating,
            publisher=row.publisher,
            claimant=row.claimant,
            claim_date=row.claim_date,
            review_date=row.review_date,
            language=row.language,
            title=row.title,
            extra=json.loads(row.extra or "{}"),
        )
        out.append(
            _Row(
                (row.updated_at.isoformat(), row.id), (row.c_name, row.c_source, row.c_format), item
            )
        )
    return out


def _last(conn: Connection) -> Mark:
    """The mark of the newest fact-check on this board."""
    found = conn.execute(
        select(FactCheck.updated_at, FactCheck.id)
        .order_by(FactCheck.updated_at.desc(), FactCheck.id.desc())
        .limit(1)
    ).first()
    return (found[0].isoformat(), found[1]) if found else ("", "")


def _after(a: Mark, b: Mark) -> bool:
    """Is mark `a` later than mark `b`? (marks of one board, compared as the query orders them)"""
    if not a[0]:
        return False
    if not b[0]:
        return True
    return (datetime.fromisoformat(a[0]), a[1]) > (datetime.fromisoformat(b[0]), b[1])


def _store(conn: Connection, rows: list[_Row]) -> int:
    """Upsert received rows by review URL; returns how many were added or changed here."""
    now = s.utcnow()
    moved = 0
    by_collection: dict[tuple[str, str, str], dict[str, FactCheckItem]] = {}
    for row in rows:
        by_collection.setdefault(row.collection, {})[row.item.review_url] = row.item
    for (name, source, fmt), items in by_collection.items():
        coll_id = collection_named(conn, name, source, fmt, now, refresh=False)
        added, updated, _ = upsert_items(conn, coll_id, list(items.values()), now)
        moved += added + updated
    return moved


def _writing(board: Board) -> Connection:
    conn = board.engine.connect()
    conn.execution_options(write=True)
    return conn


def _marks(local: Board, server_id: str) -> tuple[Mark, Mark]:
    with local.reading() as session:
        peer = session.get(SyncPeer, server_id)
        if peer is None:
            return ("", ""), ("", "")
        return (peer.fc_pushed_at, peer.fc_pushed_id), (peer.fc_pulled_at, peer.fc_pulled_id)


def _save(conn: Connection, server_id: str, url: str, **values: str) -> None:
    found = conn.execute(
        update(SyncPeer).where(SyncPeer.server_board == server_id).values(**values)
    ).rowcount
    if not found:  # no event moved yet between these boards
        conn.execute(
            insert(SyncPeer).values(
                server_board=server_id, url=url, pulled_seq=0, pushed_seq=0, synced_at="", **values
            )
        )


def _removals(board: Board) -> dict[str, tuple[str, str]]:
    with board.reading() as session:
        r = FactCheckRemoval
        return {row.id: (row.name, row.removed_at) for row in session.execute(select(r.__table__))}


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _take_removals(board: Board, removals: dict[str, tuple[str, str]]) -> int:
    """Record the removals and remove each named collection imported before its removal;
    returns how many collections went."""
    if not removals:
        return 0
    removed = 0
    with _writing(board) as conn, conn.begin():
        for removal_id, (name, at) in removals.items():
            conn.execute(insert(FactCheckRemoval).values(id=removal_id, name=name, removed_at=at))
            found = conn.execute(
                select(FactCheckCollection.id, FactCheckCollection.created_at).where(
                    FactCheckCollection.name == name
                )
            ).first()
            if found is not None and _aware(found.created_at) <= datetime.fromisoformat(at):
                drop_collection(conn, found.id)
                removed += 1
    return removed


def exchange_removals(local: Board, server: Board) -> int:
    """Each side takes the collection removals it lacks; returns the collections removed."""
    mine, theirs = _removals(local), _removals(server)
    there = _take_removals(server, {k: v for k, v in mine.items() if k not in theirs})
    here = _take_removals(local, {k: v for k, v in theirs.items() if k not in mine})
    return there + here


def exchange(
    local: Board,
    server: Board,
    server_id: str,
    url: str,
    tick: Callable[[], None],
    say: Callable[[str, int, int], None],
) -> tuple[int, int]:
    """Send this board's new or changed fact-checks, then receive the team board's; returns
    (sent, received): the rows that were new or changed where they arrived. The marks are kept
    in the laptop's sync_peer row for `server_id` (`url`: the team board, if it is new)."""
    pushed, pulled = _marks(local, server_id)
    sent = received = done = 0
    with local.reading() as session:
        total = count_changed(session.connection(), pushed)
    while True:
        with local.reading() as session:
            rows = _changed(session.connection(), pushed, BATCH)
        if not rows:
            break
        done += len(rows)
        say("sending fact-checks", done, max(total, done))
        with _writing(server) as conn, conn.begin():
            sent += _store(conn, rows)
        tick()  # a kill here: sent, not recorded; the resend changes nothing on the team board
        pushed = rows[-1].mark
        with _writing(local) as conn, conn.begin():
            _save(conn, server_id, url, fc_pushed_at=pushed[0], fc_pushed_id=pushed[1])
    done = 0
    with server.reading() as session:
        total = count_changed(session.connection(), pulled)
    while True:
        with server.reading() as session:
            rows = _changed(session.connection(), pulled, BATCH)
        if not rows:
            break
        done += len(rows)
        say("receiving fact-checks", done, max(total, done))
        pulled = rows[-1].mark
        with _writing(local) as conn, conn.begin():
            # nothing of this board's own waits to be sent: what is written now came from the
            # team board, so it is not sent back (the watermark moves past it)
            quiet = not _after(_last(conn), pushed)
            received += _store(conn, rows)
            marks = {"fc_pulled_at": pulled[0], "fc_pulled_id": pulled[1]}
            if quiet:
                pushed = _last(conn)
                marks.update(fc_pushed_at=pushed[0], fc_pushed_id=pushed[1])
            _save(conn, server_id, url, **marks)
        tick()
    return sent, received
