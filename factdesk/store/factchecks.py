"""Fact-check collections and the matching index on the board (schema revisions 0004, 0009; synced
as rows by store/sync_factchecks.py).

`factchecks` holds imported fact-checks (one row per review URL); `match_docs` is one row per
searchable text (a fact-check or a board claim) with its sentence vector as a compact int8 blob
(a float32 scale + 384 int8), NULL until computed, stamped with the encoder that made it and the
index generation it was written in. board_meta keeps two counters: `match_generation` (+1 with
every change of the index) and `match_epoch` (+1 when a doc is removed or its text changed), so a
process that keeps the vectors in memory reads only what is new, and reloads only after an epoch.
Lexical search: on SQLite an FTS5 table `match_fts` (rowid = doc, BM25), on PostgreSQL a
tsvector column `match_docs.search_vec` with a GIN index (ts_rank). Fact-checks are reference data, not the journalist's own
work: importing and removing them is one transaction per file, outside the history chain and undo.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import math
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import (
    Connection,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    bindparam,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column

from factdesk.domain import NotFoundError
from factdesk.domain.factchecks import (
    BOARD_CLAIM_PREFIX,
    FactCheckCollectionRecord,
    FactCheckItem,
)
from factdesk.store import convert, terms
from factdesk.store import schema as s
from factdesk.store.board import Board, chunks
from factdesk.store.sync_schema import FactCheckRemoval

# a doc's index body (store/terms.py) as each backend holds it: FTS5 splits it at the spaces
# (its words are ASCII letters and digits); PostgreSQL takes it as a tsvector as it is
FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS match_fts USING fts5("
    "body, tokenize = 'unicode61 remove_diacritics 0')"
)
PG_VECTOR = "CAST({} AS tsvector)"
BATCH = 2000
VECTOR_BYTES = 4 + 384


class FactCheckCollection(s.Stamped, s.Base):
    __tablename__ = "factcheck_collections"
    name: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[str] = mapped_column(String(32), default="")


class FactCheck(s.Stamped, s.Base):
    __tablename__ = "factchecks"
    collection_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("factcheck_collections.id"), index=True
    )
    review_url: Mapped[str] = mapped_column(Text, unique=True)
    claim: Mapped[str] = mapped_column(Text)
    rating: Mapped[str] = mapped_column(Text, default="")
    publisher: Mapped[str] = mapped_column(Text, default="")
    claimant: Mapped[str] = mapped_column(Text, default="")
    claim_date: Mapped[str] = mapped_column(String(40), default="")
    review_date: Mapped[str] = mapped_column(String(40), default="")
    language: Mapped[str] = mapped_column(String(16), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    extra: Mapped[str] = mapped_column(Text, default="{}")  # JSON: the file's other columns

    # what a sync sends is a range of it (migration 0011)
    __table_args__ = (Index("ix_factchecks_changed", "updated_at", "id"),)


class MatchDoc(s.Base):
    __tablename__ = "match_docs"
    doc: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))  # "factcheck" | "claim"
    ref_id: Mapped[str] = mapped_column(String(36), unique=True)
    text_sha: Mapped[str] = mapped_column(String(40))
    vector: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    encoder: Mapped[str | None] = mapped_column(String(16), nullable=True, index=True)
    vgen: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)


GENERATION = "match_generation"
EPOCH = "match_epoch"
DOCS = "match_docs"  # how many docs the index holds (lexical search weighs its words by it)
LENGTH = "match_length"  # the words of all their index bodies (BM25's mean length)


def _bump(conn: Connection, *, epoch: bool, docs: int = 0, length: int = 0) -> int:
    """Count one change of the index in this transaction (an epoch too when docs went or changed
    below what a reader may hold; `docs` added, or removed if negative; `length` the words their
    bodies added or removed); returns the new generation."""
    steps = {
        GENERATION: 1,
        **({EPOCH: 1} if epoch else {}),
        **({DOCS: docs} if docs else {}),
        **({LENGTH: length} if length else {}),
    }
    for key, step in steps.items():
        changed = conn.execute(
            update(s.BoardMeta)
            .where(s.BoardMeta.key == key)
            .values(value=func.cast(func.cast(s.BoardMeta.value, Integer) + step, String))
        ).rowcount
        if not changed:
            conn.execute(insert(s.BoardMeta).values(key=key, value=str(step)))
    return int(conn.scalar(select(s.BoardMeta.value).where(s.BoardMeta.key == GENERATION)) or 0)


def _counters(conn: Connection) -> tuple[int, int, int, int]:
    """(generation, epoch, docs, length) of the index."""
    found = dict(
        conn.execute(
            select(s.BoardMeta.key, s.BoardMeta.value).where(
                s.BoardMeta.key.in_([GENERATION, EPOCH, DOCS, LENGTH])
            )
        ).all()
    )
    return (
        int(found.get(GENERATION) or 0),
        int(found.get(EPOCH) or 0),
        int(found.get(DOCS) or 0),
        int(found.get(LENGTH) or 0),
    )


def generation(board: Board) -> tuple[int, int]:
    """(generation, epoch) of the board's matching index: one query."""
    with board.reading() as session:
        gen, epoch, _, _ = _counters(session.connection())
    return gen, epoch


def _stored_lengths(conn: Connection, docs: Sequence[int]) -> int:
    """The words of these docs' index bodies, as stored."""
    if not docs:
        return 0
    total = 0
    for part in chunks(list(docs), 500):
        marks = ", ".join(f":d{i}" for i in range(len(part)))
        values = {f"d{i}": d for i, d in enumerate(part)}
        if uses_fts(conn):
            bodies = conn.execute(
                text(f"SELECT body FROM match_fts WHERE rowid IN ({marks})"), values
            ).scalars()
            total += sum(terms.length(b or "") for b in bodies)
        else:
            total += int(
                conn.scalar(
                    text(f"SELECT sum(length(search_vec)) FROM match_docs WHERE doc IN ({marks})"),
                    values,
                )
                or 0
            )
    return total


def board_seq(board: Board) -> int:
    """The history's last event number: the board's claims changed only if it moved."""
    with board.reading() as session:
        return int(session.scalar(select(s.ChainHead.seq)) or 0)


def uses_fts(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def match_text(claim: str, title: str = "") -> str:
    """The text a document is searched by: its claim, and the review's headline when it adds words."""
    if title and title.strip().lower() not in claim.lower():
        return f"{claim} {title}"
    return claim


def _sha(value: str) -> str:
    return hashlib.sha1(value.encode("utf-8")).hexdigest()


def _put_docs(conn: Connection, kind: str, rows: Sequence[tuple[str, str]]) -> None:
    """Add or refresh the docs of (ref_id, text): a changed text loses its vector."""
    if not rows:
        return
    by_ref = dict(rows)
    existing = {
        r.ref_id: (r.doc, r.text_sha)
        for r in conn.execute(
            select(MatchDoc.ref_id, MatchDoc.doc, MatchDoc.text_sha).where(
                MatchDoc.ref_id.in_(list(by_ref))
            )
        )
    }
    new: list[dict[str, str | None]] = [
        {"kind": kind, "ref_id": ref, "text_sha": _sha(body), "vector": None}
        for ref, body in by_ref.items()
        if ref not in existing
    ]
    if new:
        conn.execute(insert(MatchDoc), new)
    changed = [
        (existing[ref][0], body)
        for ref, body in by_ref.items()
        if ref in existing and existing[ref][1] != _sha(body)
    ]
    removed = _stored_lengths(conn, [d for d, _ in changed])
    for doc, body in changed:
        conn.execute(
            update(MatchDoc)
            .where(MatchDoc.doc == doc)
            .values(text_sha=_sha(body), vector=None, encoder=None, vgen=None)
        )
    index_body = terms.body if uses_fts(conn) else terms.pg_body
    bodies = {ref: index_body(t) for ref, t in by_ref.items()}
    added = sum(terms.length(bodies[str(n["ref_id"])]) for n in new)
    added += sum(
        terms.length(bodies[ref])
        for ref, t in by_ref.items()
        if ref in existing and existing[ref][1] != _sha(t)
    )
    if new or changed:
        _bump(conn, epoch=bool(changed), docs=len(new), length=added - removed)
    fresh = {
        r.ref_id: r.doc
        for r in conn.execute(
            select(MatchDoc.ref_id, MatchDoc.doc).where(
                MatchDoc.ref_id.in_([n["ref_id"] for n in new])
            )
        )
    }
    values = [{"d": fresh[str(n["ref_id"])], "b": bodies[str(n["ref_id"])]} for n in new]
    values += [{"d": d, "b": index_body(body)} for d, body in changed]
    if not values:
        return
    if not uses_fts(conn):
        conn.execute(
            text(f"UPDATE match_docs SET search_vec = {PG_VECTOR.format(':b')} WHERE doc = :d"),
            values,
        )
        return
    if changed:
        conn.execute(text("DELETE FROM match_fts WHERE rowid = :d"), [{"d": d} for d, _ in changed])
    conn.execute(text("INSERT INTO match_fts (rowid, body) VALUES (:d, :b)"), values)


def _drop_docs(conn: Connection, ref_ids: Sequence[str]) -> None:
    for part in chunks(list(ref_ids), 500):
        docs = list(conn.scalars(select(MatchDoc.doc).where(MatchDoc.ref_id.in_(part))))
        removed = _stored_lengths(conn, docs)
        if uses_fts(conn) and docs:
            conn.execute(text("DELETE FROM match_fts WHERE rowid = :d"), [{"d": d} for d in docs])
        conn.execute(delete(MatchDoc).where(MatchDoc.ref_id.in_(part)))
        if docs:
            _bump(conn, epoch=True, docs=-len(docs), length=-removed)


# -- collections -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredCounts:
    collection_id: str
    added: int
    updated: int
    unchanged: int


def import_items(
    board: Board,
    name: str,
    source: str,
    fmt: str,
    items: Sequence[FactCheckItem],
    progress: Callable[[int, int], None] | None = None,
) -> StoredCounts:
    """Store one file's items in one transaction. The same review URL is one row: a new rating,
    claim or date updates it; the collection of that name is reused on re-import."""
    unique: dict[str, FactCheckItem] = {}
    for item in items:
        unique[item.review_url] = item
    added = updated = unchanged = 0
    total = len(unique)
    with board.engine.connect() as conn:
        conn.execution_options(write=True)
        with conn.begin():
            now = s.utcnow()
            coll_id = collection_named(conn, name, source, fmt, now)
            done = 0
            for part in chunks(list(unique.values()), BATCH):
                a, u, n = upsert_items(conn, coll_id, part, now)
                added, updated, unchanged = added + a, updated + u, unchanged + n
                done += len(part)
                if progress is not None:
                    progress(done, total)
    return StoredCounts(coll_id, added, updated, unchanged)


def collection_named(
    conn: Connection, name: str, source: str, fmt: str, now: datetime, *, refresh: bool = True
) -> str:
    """The id of the collection of that name, made if new (`refresh`: its source and format
    become these, as a re-import of the file says)."""
    coll_id = conn.scalar(select(FactCheckCollection.id).where(FactCheckCollection.name == name))
    if coll_id is None:
        coll_id = s.new_id()
        conn.execute(
            insert(FactCheckCollection).values(
                id=coll_id, name=name, source=source, format=fmt, created_at=now, updated_at=now
            )
        )
    elif refresh:
        conn.execute(
            update(FactCheckCollection)
            .where(FactCheckCollection.id == coll_id)
            .values(source=source, format=fmt, updated_at=now)
        )
    return str(coll_id)


def upsert_items(
    conn: Connection, coll_id: str, items: Sequence[FactCheckItem], now: datetime
) -> tuple[int, int, int]:
    """Store items (distinct review URLs) in this transaction as an import does: a new review URL
    is a new row of `coll_id`, a known one is updated when anything differs. Returns (added,
    updated, unchanged)."""
    added = updated = unchanged = 0
    have = {
        r.review_url: r
        for r in conn.execute(
            select(FactCheck).where(FactCheck.review_url.in_([i.review_url for i in items]))
        )
    }
    new_rows: list[dict[str, object]] = []
    docs: list[tuple[str, str]] = []
    for item in items:
        values = _values(item)
        old = have.get(item.review_url)
        if old is None:
            fid = s.new_id()
            new_rows.append(
                {
                    "id": fid,
                    "collection_id": coll_id,
                    "created_at": now,
                    "updated_at": now,
                    **values,
                }
            )
            docs.append((fid, match_text(item.claim, item.title)))
            added += 1
        elif any(getattr(old, k) != v for k, v in values.items()):
            conn.execute(
                update(FactCheck).where(FactCheck.id == old.id).values(updated_at=now, **values)
            )
            docs.append((old.id, match_text(item.claim, item.title)))
            updated += 1
        else:
            unchanged += 1
    if new_rows:
        conn.execute(insert(FactCheck), new_rows)
    _put_docs(conn, "factcheck", docs)
    return added, updated, unchanged


def _values(item: FactCheckItem) -> dict[str, object]:
    return {
        "review_url": item.review_url,
        "claim": item.claim,
        "rating": item.rating,
        "publisher": item.publisher,
        "claimant": item.claimant,
        "claim_date": item.claim_date,
        "review_date": item.review_date,
        "language": item.language[:16],
        "title": item.title,
        "extra": json.dumps(item.extra, ensure_ascii=False, sort_keys=True),
    }


def list_collections(board: Board) -> list[FactCheckCollectionRecord]:
    counts = (
        select(FactCheck.collection_id, func.count().label("n"))
        .group_by(FactCheck.collection_id)
        .subquery()
    )
    q = (
        select(FactCheckCollection, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.collection_id == FactCheckCollection.id)
        .order_by(FactCheckCollection.created_at)
    )
    with board.reading() as session:
        return [
            FactCheckCollectionRecord(
                id=c.id,
                name=c.name,
                source=c.source,
                format=c.format,
                items=int(n),
                imported_at=convert.aware(c.updated_at),
            )
            for c, n in session.execute(q)
        ]


def resolve_collection(board: Board, key: str) -> FactCheckCollectionRecord:
    """A collection by its name or the start of its id."""
    found = [
        c
        for c in list_collections(board)
        if c.name == key or (len(key) >= 4 and c.id.startswith(key.lower()))
    ]
    if not found:
        raise NotFoundError(f"No fact-check collection is named '{key}' or has that id.")
    if len(found) > 1:
        raise NotFoundError(f"'{key}' names several collections: give the id.")
    return found[0]


def remove_collection(board: Board, collection_id: str) -> int:
    """Delete a collection, its fact-checks and their index entries in one transaction, noting
    the removal for the next sync to take to the other boards (store/sync_factchecks.py)."""
    with board.engine.connect() as conn:
        conn.execution_options(write=True)
        with conn.begin():
            name = conn.scalar(
                select(FactCheckCollection.name).where(FactCheckCollection.id == collection_id)
            )
            removed = drop_collection(conn, collection_id)
            if name is not None:
                conn.execute(
                    insert(FactCheckRemoval).values(
                        id=s.new_id(), name=name, removed_at=datetime.now(UTC).isoformat()
                    )
                )
    return removed


def drop_collection(conn: Connection, collection_id: str) -> int:
    """Delete a collection, its fact-checks and their index entries in this transaction."""
    ids = list(conn.scalars(select(FactCheck.id).where(FactCheck.collection_id == collection_id)))
    _drop_docs(conn, ids)
    conn.execute(delete(FactCheck).where(FactCheck.collection_id == collection_id))
    conn.execute(delete(FactCheckCollection).where(FactCheckCollection.id == collection_id))
    return len(ids)


# -- the matching index ----------------------------------------------------------------------


def sync_claim_docs(board: Board) -> int:
    """Bring the board's claims into the index (new, changed, gone); returns how many changed."""
    with board.reading() as session:
        claims = {
            r.id: r.text
            for r in session.execute(
                select(s.Claim.id, s.Claim.text).where(s.Claim.dismissed.is_(False))
            )
        }
        indexed = {
            r.ref_id: r.text_sha
            for r in session.execute(
                select(MatchDoc.ref_id, MatchDoc.text_sha).where(MatchDoc.kind == "claim")
            )
        }
    todo = [(cid, t) for cid, t in claims.items() if indexed.get(cid) != _sha(t)]
    gone = [cid for cid in indexed if cid not in claims]
    if not todo and not gone:
        return 0
    with board.engine.connect() as conn:
        conn.execution_options(write=True)
        with conn.begin():
            for part in chunks(todo, 500):
                _put_docs(conn, "claim", part)
            _drop_docs(conn, gone)
    return len(todo) + len(gone)


def _stale(encoder: str) -> Any:
    """Docs without a vector of `encoder`: never computed, or computed by another encoder (never
    mixed with this one's). Three index ranges, where `encoder != :e` could not use the index."""
    return or_(MatchDoc.encoder.is_(None), MatchDoc.encoder < encoder, MatchDoc.encoder > encoder)


def count_missing_vectors(board: Board, encoder: str) -> int:
    with board.reading() as session:
        return int(
            session.scalar(select(func.count()).select_from(MatchDoc).where(_stale(encoder))) or 0
        )


def missing_vectors(board: Board, limit: int, encoder: str) -> list[tuple[int, str, str]]:
    """Up to `limit` (doc, text_sha, text) whose vector is still to be computed by `encoder`."""
    fc = (
        select(MatchDoc.doc, MatchDoc.text_sha, FactCheck.claim, FactCheck.title)
        .join(FactCheck, FactCheck.id == MatchDoc.ref_id)
        .where(_stale(encoder))
        .limit(limit)
    )
    cl = (
        select(MatchDoc.doc, MatchDoc.text_sha, s.Claim.text)
        .join(s.Claim, s.Claim.id == MatchDoc.ref_id)
        .where(_stale(encoder))
        .limit(limit)
    )
    with board.reading() as session:
        out = [(r[0], r[1], match_text(r[2], r[3])) for r in session.execute(fc)]
        if len(out) < limit:
            out += [(r[0], r[1], r[2]) for r in session.execute(cl)][: limit - len(out)]
    return out


def pack_vector(vector: np.ndarray) -> bytes:
    """A unit vector as 4 bytes of float32 scale + int8 components (cosine kept to ~1e-4)."""
    peak = float(np.max(np.abs(vector))) or 1.0
    scale = peak / 127.0
    q = np.clip(np.rint(vector / scale), -127, 127).astype(np.int8)
    return np.float32(scale).tobytes() + q.tobytes()


def pack_vectors(vectors: np.ndarray) -> list[bytes]:
    """`pack_vector` of each row, in one numpy pass (a Python loop held the GIL for ~10 ms per
    256 vectors, time the window's thread waits for)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    peak = np.max(np.abs(vectors), axis=1)
    scales = np.where(peak > 0, peak, 1.0).astype(np.float32) / np.float32(127.0)
    q = np.clip(np.rint(vectors / scales[:, None]), -127, 127).astype(np.int8)
    raw = np.concatenate([scales[:, None].view(np.uint8), q.view(np.uint8)], axis=1)
    return [row.tobytes() for row in raw]


def unpack_raw(blobs: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """(int8 components (n, 384), float32 scales (n,)) of packed vectors."""
    raw = np.frombuffer(b"".join(blobs), dtype=np.uint8).reshape(len(blobs), VECTOR_BYTES)
    return raw[:, 4:].copy().view(np.int8), raw[:, :4].copy().view(np.float32).reshape(-1)


def unpack_vectors(blobs: Sequence[bytes]) -> np.ndarray:
    ints, scales = unpack_raw(blobs)
    return ints.astype(np.float32) * scales[:, None]


def put_vectors(board: Board, rows: Sequence[tuple[int, str, bytes]], encoder: str) -> int:
    """Store vectors computed by `encoder` in one transaction; a doc whose text changed meanwhile
    (other sha) is left to redo. Returns the generation they were written in."""
    with board.engine.connect() as conn:
        conn.execution_options(write=True)
        with conn.begin():
            gen = _bump(conn, epoch=False)
            conn.execute(
                update(MatchDoc)
                .where(MatchDoc.doc == bindparam("d"), MatchDoc.text_sha == bindparam("sha"))
                .values(vector=bindparam("blob"), encoder=encoder, vgen=gen),
                [{"d": doc, "sha": sha, "blob": blob} for doc, sha, blob in rows],
            )
    return gen


@dataclass(frozen=True)
class StoredVectors:
    docs: np.ndarray  # int64 doc ids
    ints: np.ndarray  # (n, 384) int8
    scales: np.ndarray  # (n,) float32: vector = ints * scale


def load_vectors(
    board: Board, encoder: str, since: int = 0, chunk: int = 65536
) -> Iterator[StoredVectors]:
    """Every vector of `encoder` written in a generation after `since`, in parts of `chunk` rows
    (a million vectors never sit in memory twice)."""
    q = select(MatchDoc.doc, MatchDoc.vector).where(
        MatchDoc.encoder == encoder, MatchDoc.vector.is_not(None)
    )
    if since:
        q = q.where(MatchDoc.vgen > since)
    with board.reading() as session:
        rows = session.execute(q.execution_options(yield_per=chunk))
        for part in rows.partitions():
            ints, scales = unpack_raw([blob or b"" for _, blob in part])
            yield StoredVectors(np.array([d for d, _ in part], dtype=np.int64), ints, scales)


# A query's words are searched from the rarest, until their docs together pass POSTINGS; a query
# whose rarest word alone passes it finds nothing lexically (the encoder still matches it). Every
# doc holding a searched word is scored, so a tweet's common words made a query cost 110 ms at
# 300,000 fact-checks with the vclaims' own word frequencies, while adding little to BM25 (their
# IDF is low). At 10,375 docs the budget is never reached by the CheckThat! tweets.
POSTINGS = 10_000
# BM25's constants (Robertson's; FTS5's bm25() has the same)
K1, B = 1.2, 0.75


@dataclass(frozen=True)
class LexicalHit:
    doc: int
    score: float  # BM25


@dataclass(frozen=True)
class LexicalResult:
    words: tuple[str, ...]  # the query words searched, rarest first
    idf: tuple[float, ...]
    hits: list[LexicalHit]


def lexical(board: Board, query: str, limit: int) -> list[tuple[int, float]]:
    """(doc, BM25 score, higher is better) of the best `limit` docs for the query's rarer words."""
    return [(h.doc, h.score) for h in lexical_hits(board, query, limit).hits]


def lexical_hits(board: Board, query: str, limit: int) -> LexicalResult:
    """The best `limit` docs by BM25 for the query's rarer words, best first (ties by doc id).

    SQLite's FTS5 ranks with its own bm25(); PostgreSQL's matches are counted by the server and
    scored here by the same formula, in the same order of operations, from the same integers
    (each word's document count, each doc's length and term frequencies, the index's size and
    total length), so a team board and a laptop board holding the same docs give the same list
    with the same scores (tests/matching/test_match_postgres.py compares them exactly)."""
    wanted = terms.terms(query)
    if not wanted:
        return LexicalResult((), (), [])
    with board.reading() as session:
        conn = session.connection()
        _, epoch, total, length = _counters(conn)
        stats = _statistics(board, epoch, total)
        df = stats.frequencies(conn, wanted)
        chosen: list[str] = []
        postings = 0
        for w in sorted((w for w in wanted if df[w]), key=lambda w: (df[w], w)):
            postings += df[w]
            if postings > POSTINGS:
                break
            chosen.append(w)
        if not chosen or total <= 0:
            return LexicalResult((), (), [])
        idf = [_idf(total, df[w]) for w in chosen]
        if uses_fts(conn):
            rows = conn.exec_driver_sql(
                "SELECT rowid, bm25(match_fts) AS r FROM match_fts WHERE match_fts MATCH ? "
                "ORDER BY r, rowid LIMIT ?",
                (" OR ".join(f'"{w}"' for w in chosen), limit),
            ).all()
            hits = [LexicalHit(int(d), -float(r)) for d, r in rows]
        else:
            mean = float(length) / float(total)  # FTS5's avgdl: tokens over rows
            scored = heapq.nsmallest(
                limit,
                ((-_bm25(idf, held, dl, mean), doc) for doc, dl, held in _counted(conn, chosen)),
            )
            hits = [LexicalHit(doc, -neg) for neg, doc in scored]
    return LexicalResult(tuple(chosen), tuple(idf), hits)


def _idf(total: int, df: int) -> float:
    """FTS5's IDF (fts5_aux.c): log((N - n + 0.5) / (n + 0.5)), 1e-6 when not above 0."""
    idf = math.log((total - df + 0.5) / (df + 0.5))
    return idf if idf > 0.0 else 1e-6


Counts = tuple[tuple[int, int], ...]  # (index of a searched word, its count), by word index


def _counted(conn: Connection, words: Sequence[str]) -> list[tuple[int, int, Counts]]:
    """PostgreSQL: (doc, length, the searched words it holds with their counts) of every doc
    holding one of `words`, counted by the server from each tsvector's words and markers."""
    markers = [[terms.marker(w, k) for k in range(2, terms.MAX_TF + 1)] for w in words]

    def holds(token: str) -> str:
        return f"CAST(search_vec @@ CAST('{token}' AS tsquery) AS integer)"

    # words and markers are ASCII letters and digits (store/terms.py): safe inside the SQL
    counts = ", ".join(
        " + ".join(holds(t) for t in [w, *more]) for w, more in zip(words, markers, strict=True)
    )
    rows = conn.execute(
        text(
            f"SELECT doc, length(search_vec), {counts} FROM match_docs "
            "WHERE search_vec @@ CAST(:q AS tsquery)"
        ),
        {"q": " | ".join(words)},
    ).all()
    return [
        (int(r[0]), int(r[1]), tuple((i, int(f)) for i, f in enumerate(r[2:]) if f)) for r in rows
    ]


def _bm25(idf: Sequence[float], held: Counts, length: int, mean_length: float) -> float:
    """FTS5's bm25() (fts5_aux.c, k1 1.2, b 0.75), term by term in the query's word order as it
    sums them, so the result is the same double (a word the doc lacks adds exactly 0)."""
    score = 0.0
    for i, f in held:
        freq = float(f)
        score += idf[i] * ((freq * (K1 + 1.0)) / (freq + K1 * (1 - B + B * length / mean_length)))
    return score


class _Statistics:
    """Per board and state of its index (epoch and number of docs: docs are only ever added
    within an epoch), each word's document count, counted once."""

    def __init__(self, epoch: int, total: int) -> None:
        self.epoch = epoch
        self.total = total
        self.df: dict[str, int] = {}

    def current(self, epoch: int, total: int) -> bool:
        return epoch == self.epoch and total == self.total

    def frequencies(self, conn: Connection, words: Sequence[str]) -> dict[str, int]:
        todo = [w for w in words if w not in self.df]
        if todo:
            if uses_fts(conn):
                one = "(SELECT count(*) FROM match_fts WHERE match_fts MATCH :w{i})"
                values = {f"w{i}": f'"{w}"' for i, w in enumerate(todo)}
            else:
                one = "(SELECT count(*) FROM match_docs WHERE search_vec @@ CAST(:w{i} AS tsquery))"
                values = {f"w{i}": w for i, w in enumerate(todo)}
            counts = conn.execute(
                text("SELECT " + ", ".join(one.format(i=i) for i in range(len(todo)))), values
            ).one()
            self.df.update((w, int(n)) for w, n in zip(todo, counts, strict=True))
        return {w: self.df[w] for w in words}


_stats: weakref.WeakKeyDictionary[Board, _Statistics] = weakref.WeakKeyDictionary()
_stats_lock = threading.Lock()


def _statistics(board: Board, epoch: int, total: int) -> _Statistics:
    with _stats_lock:
        found = _stats.get(board)
        if found is None or not found.current(epoch, total):
            found = _stats[board] = _Statistics(epoch, total)
        return found


@dataclass(frozen=True)
class DocInfo:
    doc: int
    kind: str
    ref_id: str
    text: str
    url: str
    rating: str
    publisher: str
    date: str
    claimant: str
    title: str
    article_id: str | None


def doc_info(board: Board, docs: Sequence[int]) -> dict[int, DocInfo]:
    out: dict[int, DocInfo] = {}
    if not docs:
        return out
    with board.reading() as session:
        for part in chunks(list(docs), 500):
            for r in session.execute(
                select(MatchDoc.doc, FactCheck)
                .join(FactCheck, FactCheck.id == MatchDoc.ref_id)
                .where(MatchDoc.doc.in_(part))
            ):
                f = r[1]
                out[r[0]] = DocInfo(
                    r[0],
                    "factcheck",
                    f.id,
                    f.claim,
                    f.review_url,
                    f.rating,
                    f.publisher,
                    f.review_date or f.claim_date,
                    f.claimant,
                    f.title,
                    None,
                )
            for cr in session.execute(
                select(MatchDoc.doc, s.Claim, s.Article.outlet, s.Article.published)
                .join(s.Claim, s.Claim.id == MatchDoc.ref_id)
                .join(s.Article, s.Article.id == s.Claim.article_id)
                .where(MatchDoc.doc.in_(part))
            ):
                c = cr[1]
                out[cr[0]] = DocInfo(
                    cr[0],
                    "claim",
                    c.id,
                    c.text,
                    BOARD_CLAIM_PREFIX + c.id,
                    c.status if not c.rating else f"{c.status}: {c.rating}",
                    cr[2] or "",
                    cr[3].isoformat() if cr[3] else "",
                    c.claimant,
                    "",
                    c.article_id,
                )
    return out


def doc_texts(board: Board, docs: Sequence[int]) -> dict[int, str]:
    """doc -> the text it is searched by (a fact-check's claim and headline, a claim's text): one
    light query, for the re-ranker's few candidates."""
    if not docs:
        return {}
    wanted = list(docs)
    q = union_all(
        select(MatchDoc.doc, FactCheck.claim, FactCheck.title)
        .join(FactCheck, FactCheck.id == MatchDoc.ref_id)
        .where(MatchDoc.doc.in_(wanted)),
        select(MatchDoc.doc, s.Claim.text, literal(""))
        .join(s.Claim, s.Claim.id == MatchDoc.ref_id)
        .where(MatchDoc.doc.in_(wanted)),
    )
    with board.reading() as session:
        return {int(d): match_text(t, title or "") for d, t, title in session.execute(q)}


def docs_of_claims(board: Board, claim_ids: Sequence[str]) -> dict[str, tuple[int, str]]:
    """claim id -> (its doc, its article id), for the claims that are in the index."""
    out: dict[str, tuple[int, str]] = {}
    with board.reading() as session:
        for part in chunks(list(claim_ids), 500):
            q = (
                select(MatchDoc.ref_id, MatchDoc.doc, s.Claim.article_id)
                .join(s.Claim, s.Claim.id == MatchDoc.ref_id)
                .where(MatchDoc.ref_id.in_(part))
            )
            out.update((r[0], (int(r[1]), r[2])) for r in session.execute(q))
    return out


def doc_of_claim(board: Board, claim_id: str) -> int | None:
    with board.reading() as session:
        return session.scalar(select(MatchDoc.doc).where(MatchDoc.ref_id == claim_id))
