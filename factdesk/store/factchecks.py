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
import json
import math
import re
import threading
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
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column

from factdesk.domain import NotFoundError
from factdesk.domain.factchecks import (
    BOARD_CLAIM_PREFIX,
    FactCheckCollectionRecord,
    FactCheckItem,
)
from factdesk.store import convert
from factdesk.store import schema as s
from factdesk.store.board import Board, chunks
from factdesk.store.sync_schema import FactCheckRemoval

FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS match_fts USING fts5("
    "body, tokenize = 'porter unicode61 remove_diacritics 2')"
)
# PostgreSQL's text search of a doc: English stemming, as FTS5's porter tokenizer stems
PG_VECTOR = "to_tsvector('english', {})"
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


def _bump(conn: Connection, *, epoch: bool, docs: int = 0) -> int:
    """Count one change of the index in this transaction (an epoch too when docs went or changed
    below what a reader may hold; `docs` added, or removed if negative); returns the new
    generation."""
    steps = {GENERATION: 1, **({EPOCH: 1} if epoch else {}), **({DOCS: docs} if docs else {})}
    for key, step in steps.items():
        changed = conn.execute(
            update(s.BoardMeta)
            .where(s.BoardMeta.key == key)
            .values(value=func.cast(func.cast(s.BoardMeta.value, Integer) + step, String))
        ).rowcount
        if not changed:
            conn.execute(insert(s.BoardMeta).values(key=key, value=str(step)))
    return int(conn.scalar(select(s.BoardMeta.value).where(s.BoardMeta.key == GENERATION)) or 0)


def _counters(conn: Connection) -> tuple[int, int, int]:
    found = dict(
        conn.execute(
            select(s.BoardMeta.key, s.BoardMeta.value).where(
                s.BoardMeta.key.in_([GENERATION, EPOCH, DOCS])
            )
        ).all()
    )
    return int(found.get(GENERATION) or 0), int(found.get(EPOCH) or 0), int(found.get(DOCS) or 0)


def generation(board: Board) -> tuple[int, int]:
    """(generation, epoch) of the board's matching index: one query."""
    with board.reading() as session:
        gen, epoch, _ = _counters(session.connection())
    return gen, epoch


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
    for doc, body in changed:
        conn.execute(
            update(MatchDoc)
            .where(MatchDoc.doc == doc)
            .values(text_sha=_sha(body), vector=None, encoder=None, vgen=None)
        )
    if new or changed:
        _bump(conn, epoch=bool(changed), docs=len(new))
    fresh = {
        r.ref_id: r.doc
        for r in conn.execute(
            select(MatchDoc.ref_id, MatchDoc.doc).where(
                MatchDoc.ref_id.in_([n["ref_id"] for n in new])
            )
        )
    }
    values = [{"d": fresh[str(n["ref_id"])], "b": by_ref[str(n["ref_id"])]} for n in new]
    values += [{"d": d, "b": body} for d, body in changed]
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
        if uses_fts(conn) and docs:
            conn.execute(text("DELETE FROM match_fts WHERE rowid = :d"), [{"d": d} for d in docs])
        conn.execute(delete(MatchDoc).where(MatchDoc.ref_id.in_(part)))
        if docs:
            _bump(conn, epoch=True, docs=-len(docs))


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


_WORD = re.compile(r"[^\W_]+", re.UNICODE)
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "he",
        "her",
        "his",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "she",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "who",
        "will",
        "with",
        "you",
        "your",
        "not",
        "no",
        "do",
        "does",
        "did",
        "just",
        "about",
        "after",
        "all",
        "can",
        "more",
    ]
)


def query_words(query: str) -> list[str]:
    """The distinct words of a query that lexical search looks for (no stopwords)."""
    words = [w for w in _WORD.findall(query.lower()) if w not in STOPWORDS and len(w) > 1]
    return list(dict.fromkeys(words))


# A query's words are searched from the rarest, until their docs together pass POSTINGS; a query
# whose rarest word alone passes it finds nothing lexically (the encoder still matches it). FTS5 scores every doc holding any searched word, so a tweet's
# common words made a query cost 110 ms at 300,000 fact-checks with the vclaims' own word
# frequencies, while adding little to BM25 (their IDF is low). At 10,375 docs the budget is
# never reached by the CheckThat! tweets (train MAP@5 unchanged).
POSTINGS = 10_000


def lexical(board: Board, query: str, limit: int) -> list[tuple[int, float]]:
    """(doc, BM25 score, higher is better) of the best `limit` docs for the query's rarer words."""
    words = query_words(query)
    if not words:
        return []
    with board.reading() as session:
        conn = session.connection()
        _, epoch, total = _counters(conn)
        stats = _statistics(conn, epoch, total)
        df = stats.frequencies(conn, words)
        terms: list[str] = []
        postings = 0
        for w in sorted(words, key=lambda w: (df[w], w)):
            postings += df[w]
            if postings > POSTINGS:
                break
            terms.append(w)
        if not terms:
            return []
        if not uses_fts(conn):
            return _lexical_pg(conn, terms, df, stats, limit)
        rows = conn.execute(
            text(
                "SELECT rowid, bm25(match_fts) AS r FROM match_fts WHERE match_fts MATCH :q "
                "ORDER BY r LIMIT :n"
            ),
            {"q": " OR ".join(f'"{w}"' for w in terms), "n": limit},
        ).all()
    return [(int(d), -float(r)) for d, r in rows]


class _Statistics:
    """Per board, what lexical search weighs words by: each word's document count, and (on
    PostgreSQL) the docs' mean length, kept while the index has the same epoch and about the
    same number of docs (within 5 %). A word counted as in no doc is always searched."""

    def __init__(self, epoch: int, total: int) -> None:
        self.epoch = epoch
        self.total = total
        self.df: dict[str, int] = {}
        self.mean_length: float | None = None

    def current(self, epoch: int, total: int) -> bool:
        return epoch == self.epoch and abs(total - self.total) <= 0.05 * self.total

    def frequencies(self, conn: Connection, words: Sequence[str]) -> dict[str, int]:
        todo = [w for w in words if w not in self.df]
        if todo:
            if uses_fts(conn):
                one = "(SELECT count(*) FROM match_fts WHERE match_fts MATCH :w{i})"
                values = {f"w{i}": f'"{w}"' for i, w in enumerate(todo)}
            else:
                one = f"(SELECT count(*) FROM match_docs WHERE search_vec @@ {PG_QUERY.format(':w{i}')})"
                values = {f"w{i}": w for i, w in enumerate(todo)}
            counts = conn.execute(
                text("SELECT " + ", ".join(one.format(i=i) for i in range(len(todo)))), values
            ).one()
            self.df.update((w, int(n)) for w, n in zip(todo, counts, strict=True))
        return {w: self.df[w] for w in words}


_stats: dict[str, _Statistics] = {}
_stats_lock = threading.Lock()


def _statistics(conn: Connection, epoch: int, total: int) -> _Statistics:
    where = str(conn.engine.url)
    with _stats_lock:
        found = _stats.get(where)
        if found is None or not found.current(epoch, total):
            found = _stats[where] = _Statistics(epoch, total)
        return found


# BM25's constants, as FTS5's bm25() has them
K1, B = 1.2, 0.75
PG_QUERY = "to_tsquery('english', {})"


def _lexical_pg(
    conn: Connection,
    terms: Sequence[str],
    df: dict[str, int],
    stats: _Statistics,
    limit: int,
) -> list[tuple[int, float]]:
    """BM25 on PostgreSQL, ranked by the server over the GIN index's matches: each word's IDF from
    its document count, the term frequency counted once per doc (a tsvector keeps distinct
    words; queries and claims rarely repeat one), length in words."""
    total = max(stats.total, 1)
    terms = [w for w in terms if df[w]]
    if not terms:
        return []
    if stats.mean_length is None:
        mean = conn.scalar(text("SELECT avg(length(search_vec)) FROM match_docs"))
        stats.mean_length = float(mean or 1.0) or 1.0
    norm = f"({K1} * (1 - {B} + {B} * length(search_vec) / :avg))"
    score = " + ".join(
        f"(CASE WHEN search_vec @@ {PG_QUERY.format(f':w{i}')} THEN :idf{i} ELSE 0 END)"
        for i in range(len(terms))
    )
    params: dict[str, Any] = {"avg": stats.mean_length, "n": limit, "q": " | ".join(terms)}
    for i, w in enumerate(terms):
        params[f"w{i}"] = w
        params[f"idf{i}"] = math.log(1 + (total - df[w] + 0.5) / (df[w] + 0.5)) * (K1 + 1)
    rows = conn.execute(
        text(
            f"SELECT doc, ({score}) / (1 + {norm}) AS r FROM match_docs "
            f"WHERE search_vec @@ {PG_QUERY.format(':q')} ORDER BY r DESC, doc LIMIT :n"
        ),
        params,
    ).all()
    return [(int(d), float(r)) for d, r in rows]


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
