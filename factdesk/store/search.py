"""Full-text search over articles, claims, claimants, evidence and notes.

SQLite: three FTS5 indexes (claims, article bodies, evidence and notes) keyed by an integer rowid
that `search_refs` maps to the row's UUID, so keeping them in step costs O(log n) per change;
rowids count down, so the newest entries come first.
PostgreSQL: stored tsvector columns with GIN indexes, made by migration 0002 (`PG_VECTORS`).
Both rank only the newest `RECENT` matches of each index and make snippets only for the hits shown,
so a search costs the same on a board of 10,000 claims as on one of a million.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, select, text

from factdesk.domain import SearchHit
from factdesk.store import schema as s

# Ranking every match made a common word cost 0.5 s at 100,000 claims; the newest matches of
# each index are ranked instead (a desk looks for recent work first).
RECENT = 200

# index -> (kind of row, columns after rowid); claims_fts.article_id is stored, not searched
FTS_TABLES: dict[str, tuple[str, ...]] = {
    "claims_fts": ("claimant", "body", "article_id UNINDEXED"),
    "articles_fts": ("title", "body"),
    "notes_fts": ("kind UNINDEXED", "claim_id UNINDEXED", "title", "body"),
}
_TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'"
SQLITE_DDL = [
    "CREATE TABLE IF NOT EXISTS search_refs ("
    "id INTEGER PRIMARY KEY, ref_id VARCHAR(36) NOT NULL UNIQUE)",
    *(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {name} USING fts5({', '.join(cols)}, {_TOKENIZE})"
        for name, cols in FTS_TABLES.items()
    ),
]

# PostgreSQL: what each table's `search_vec` holds. Every run of non-alphanumerics becomes a space
# first, so words split as FTS5's unicode61 splits them (the default parser keeps URLs, hosts and
# hyphenated words whole); 'simple' lowercases without stemming, as FTS5 does. Article vectors drop
# positions: a 1 MB article's would pass the 1 MB tsvector limit.
_PG_WORDS = "regexp_replace({cols}, '[^[:alnum:]]+', ' ', 'g')"
PG_VECTORS: dict[str, str] = {
    "claims": "to_tsvector('simple', "
    + _PG_WORDS.format(cols="claimant || ' ' || text || ' ' || explanation || ' ' || rating")
    + ")",
    "articles": "strip(to_tsvector('simple', "
    + _PG_WORDS.format(cols="title || ' ' || outlet || ' ' || text")
    + "))",
    "evidence": "to_tsvector('simple', "
    + _PG_WORDS.format(
        cols="title || ' ' || publisher || ' ' || author || ' ' || url || ' ' || quote "
        "|| ' ' || notes"
    )
    + ")",
    "claim_evidence": "to_tsvector('simple', " + _PG_WORDS.format(cols="note") + ")",
}

# the columns each entity's index entry is made of: an update touching none of them (a status
# change) leaves the index alone
_INDEXED = {
    "article": {"title", "outlet", "text"},
    "claim": {"claimant", "text", "explanation", "rating"},
    "evidence": {"title", "publisher", "author", "url", "quote", "notes"},
    "link": {"note"},
}

_TOKEN = re.compile(r"([^\W_]+)(\*?)", re.UNICODE)


def uses_fts(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def create(conn: Connection) -> None:
    """Make the SQLite indexes (migrations call this; PostgreSQL's are made there too)."""
    if uses_fts(conn):
        for ddl in SQLITE_DDL:
            conn.exec_driver_sql(ddl)


def create_pg_vectors(conn: Connection) -> None:
    for table, expr in PG_VECTORS.items():
        conn.exec_driver_sql(
            f"ALTER TABLE {table} ADD COLUMN search_vec tsvector GENERATED ALWAYS AS ({expr}) STORED"
        )
        conn.exec_driver_sql(f"CREATE INDEX ix_{table}_search ON {table} USING gin (search_vec)")
    # the newest first: a common word's newest matches without visiting all of them
    conn.exec_driver_sql("CREATE INDEX ix_claims_created_at ON claims (created_at)")
    conn.exec_driver_sql("CREATE INDEX ix_articles_created_at ON articles (created_at)")


def drop_pg_vectors(conn: Connection) -> None:
    conn.exec_driver_sql("DROP INDEX IF EXISTS ix_claims_created_at")
    conn.exec_driver_sql("DROP INDEX IF EXISTS ix_articles_created_at")
    for table in PG_VECTORS:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS ix_{table}_search")
        conn.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vec")


# -- keeping the SQLite indexes in step -----------------------------------------------------


def _cursor(conn: Connection) -> Any:
    # the driver's own cursor on the transaction's connection: SQLAlchemy's statement handling
    # was two thirds of the index's cost per claim written
    return conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]


def _rowid(cur: Any, ref_id: str) -> int | None:
    row = cur.execute("SELECT id FROM search_refs WHERE ref_id = ?", (ref_id,)).fetchone()
    return None if row is None else int(row[0])


def _drop(cur: Any, index: str, ref_id: str) -> None:
    rowid = _rowid(cur, ref_id)
    if rowid is not None:
        cur.execute(f"DELETE FROM {index} WHERE rowid = ?", (rowid,))
        cur.execute("DELETE FROM search_refs WHERE id = ?", (rowid,))


def _put(cur: Any, index: str, ref_id: str, values: dict[str, Any]) -> None:
    rowid = _rowid(cur, ref_id)
    if rowid is None:
        # each new entry below the last: the newest come first in rowid order, the order FTS5
        # reads a match in and can stop early in (backwards, it reads every match first)
        cur.execute(
            "INSERT INTO search_refs (id, ref_id) "
            "VALUES ((SELECT coalesce(min(id), 0) - 1 FROM search_refs), ?)",
            (ref_id,),
        )
        rowid = cur.lastrowid
    else:
        cur.execute(f"DELETE FROM {index} WHERE rowid = ?", (rowid,))
    cols = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cur.execute(
        f"INSERT INTO {index} (rowid, {cols}) VALUES (?, {marks})", (rowid, *values.values())
    )


def _index_of(entity: str) -> str:
    return {"article": "articles_fts", "claim": "claims_fts"}.get(entity, "notes_fts")


def entry(entity: str, row: dict[str, Any]) -> dict[str, Any] | None:
    """The index entry of one row (None: nothing of it is searchable)."""
    if entity == "article":
        title = " ".join([row.get("title", ""), row.get("outlet", "")]).strip()
        return {"title": title, "body": row.get("text", "")}
    if entity == "claim":
        body = " ".join([row.get("text", ""), row.get("explanation", ""), row.get("rating", "")])
        return {
            "claimant": row.get("claimant", ""),
            "body": body,
            "article_id": row.get("article_id"),
        }
    if entity == "evidence":
        title = " ".join([row.get("title", ""), row.get("publisher", ""), row.get("author", "")])
        body = " ".join([row.get("url", ""), row.get("quote", ""), row.get("notes", "")])
        return {"kind": "evidence", "claim_id": None, "title": title.strip(), "body": body.strip()}
    if entity == "link" and row.get("note"):
        return {"kind": "link", "claim_id": row.get("claim_id"), "title": "", "body": row["note"]}
    return None


def sync(
    conn: Connection,
    entity: str,
    row: dict[str, Any] | None,
    ref_id: str,
    changed: Iterable[str] | None = None,
) -> None:
    """Bring the index in step with one row (None: the row is gone; `changed`: the columns an
    update changed, None for a new row)."""
    if not uses_fts(conn) or entity not in _INDEXED:
        return
    if changed is not None and _INDEXED[entity].isdisjoint(changed):
        return
    index = _index_of(entity)
    values = None if row is None else entry(entity, row)
    cur = _cursor(conn)
    try:
        if values is None:
            _drop(cur, index, ref_id)
        else:
            _put(cur, index, ref_id, values)
    finally:
        cur.close()


def rebuild(conn: Connection) -> None:
    """Index every searchable row again (after migration 0002 replaced the old single index)."""
    for name in ("search_refs", *FTS_TABLES):
        conn.exec_driver_sql(f"DELETE FROM {name}")
    sources: list[tuple[str, Any]] = [
        ("article", s.Article.__table__),
        ("claim", s.Claim.__table__),
        ("evidence", s.Evidence.__table__),
        ("link", s.ClaimEvidence.__table__),
    ]
    cur = _cursor(conn)
    for entity, table in sources:
        cols = [c for c in table.c if c.key in _INDEXED[entity] | {"id", "article_id", "claim_id"}]
        for row in conn.execute(select(*cols).order_by(table.c.created_at)).mappings():
            values = entry(entity, dict(row))
            if values is not None:
                _put(cur, _index_of(entity), row["id"], values)
    cur.close()


# -- searching ------------------------------------------------------------------------------


def _tokens(query: str) -> list[tuple[str, bool]]:
    """Words of a query and whether each ends in * (a prefix)."""
    return [(word, star == "*") for word, star in _TOKEN.findall(query)]


def _fts_query(tokens: Sequence[tuple[str, bool]]) -> str:
    return " ".join(f'"{w}"' + ("*" if prefix else "") for w, prefix in tokens)


def search(conn: Connection, query: str, limit: int = 50) -> list[SearchHit]:
    """Hits for every word of `query` (a word ending in * matches as a prefix), best first."""
    tokens = _tokens(query)
    if not tokens or limit <= 0:
        return []
    if uses_fts(conn):
        return _search_fts(conn, tokens, limit)
    return _search_pg(conn, tokens, limit)


def _search_fts(
    conn: Connection, tokens: Sequence[tuple[str, bool]], limit: int
) -> list[SearchHit]:
    match = _fts_query(tokens)
    found: list[SearchHit] = []
    for index in ("claims_fts", "notes_fts"):
        found.extend(_newest(conn, index, match, RECENT))
    # articles keep a fifth of the places (all that claims leave): only their bodies are read
    articles = _newest(conn, "articles_fts", match, max(limit // 5, limit - len(found)))
    return [_located(conn, hit, hit.rank) for hit in _merge(found, articles, tokens, limit)]


def _newest(conn: Connection, index: str, match: str, n: int) -> list[SearchHit]:
    """The newest `n` hits of an index, the searched text in `snippet` (for _merge).

    FTS5 reads a match in rowid order and stops after n. Ranking with bm25() instead counts every
    match of each word first (its IDF: 14 ms for "said" at 100,000 claims), and snippet() walks
    every match again (17 ms at 10,000)."""
    cols = {
        "claims_fts": "'claim', claimant, article_id, NULL",
        "articles_fts": "'article', title, NULL, NULL",
        "notes_fts": "kind, title, NULL, claim_id",
    }[index]
    rows = conn.execute(
        text(
            f"SELECT (SELECT ref_id FROM search_refs WHERE id = {index}.rowid), {cols}, body "
            f"FROM {index} WHERE {index} MATCH :q ORDER BY rowid LIMIT :n"
        ),
        {"q": match, "n": n},
    )
    out: list[SearchHit] = []
    for ref_id, kind, title, article_id, claim_id, body in rows:
        if kind == "claim":
            claim_id = ref_id
        elif kind == "article":
            article_id = ref_id
        out.append(SearchHit(kind, ref_id, article_id, claim_id, title or "", body or "", 0.0))
    return out


def _merge(
    found: Sequence[SearchHit],
    articles: Sequence[SearchHit],
    tokens: Sequence[tuple[str, bool]],
    limit: int,
) -> list[SearchHit]:
    """Claims, evidence and notes best first (BM25's term-frequency and length parts: every
    candidate holds every word, so the words' rarity would not reorder them), newest first among
    equals; then the newest articles, which keep a fifth of the places when claims fill the rest.
    `snippet` holds the searched text on the way in; hits come out with their snippets."""
    words = [re.compile(_word_pattern([token]), re.IGNORECASE) for token in tokens]
    texts = [f"{h.title} {h.snippet}" for h in found]
    avg = sum(map(len, texts)) / len(texts) if texts else 1.0
    scored = []
    for order, (hit, body) in enumerate(zip(found, texts, strict=True)):
        norm = 1.2 * (0.25 + 0.75 * len(body) / avg)
        score = sum((tf := len(w.findall(body))) * 2.2 / (tf + norm) for w in words)
        scored.append((-score, order, hit))
    scored.sort(key=lambda x: (x[0], x[1]))
    n_articles = min(len(articles), max(limit // 5, limit - len(scored)))
    best = [h for _, _, h in scored[: limit - n_articles]] + list(articles[:n_articles])
    return [
        SearchHit(
            h.kind,
            h.id,
            h.article_id,
            h.claim_id,
            h.title,
            _snippet(h.snippet, tokens, fallback=h.title),
            float(rank),
        )
        for rank, h in enumerate(best)
    ]


def _located(conn: Connection, hit: SearchHit, rank: float) -> SearchHit:
    """The hit with its rank and, for evidence and notes, the claim and article they belong to."""
    claim_id, article_id = hit.claim_id, hit.article_id
    if hit.kind == "evidence":
        claim_id = conn.execute(
            select(s.ClaimEvidence.claim_id).where(s.ClaimEvidence.evidence_id == hit.id).limit(1)
        ).scalar()
    if hit.kind in ("evidence", "link") and claim_id is not None:
        article_id = conn.execute(select(s.Claim.article_id).where(s.Claim.id == claim_id)).scalar()
    return SearchHit(hit.kind, hit.id, article_id, claim_id, hit.title, hit.snippet, rank)


# -- PostgreSQL -----------------------------------------------------------------------------


def _pg_query(tokens: Sequence[tuple[str, bool]]) -> str:
    # the words are alphanumeric runs, so nothing in them is tsquery syntax
    return " & ".join(w.lower() + (":*" if prefix else "") for w, prefix in tokens)


_PG_SEARCHES = {  # kind -> (table, its title, article id, claim id, text): as entry() indexes
    "claim": (
        "claims",
        "t.claimant, t.article_id, t.id, t.text || ' ' || t.explanation || ' ' || t.rating",
    ),
    "article": ("articles", "trim(t.title || ' ' || t.outlet), t.id, NULL, t.text"),
    "evidence": (
        "evidence",
        "trim(t.title || ' ' || t.publisher || ' ' || t.author), NULL, NULL, "
        "trim(t.url || ' ' || t.quote || ' ' || t.notes)",
    ),
    "link": ("claim_evidence", "'', NULL, t.claim_id, t.note"),
}


def _search_pg(conn: Connection, tokens: Sequence[tuple[str, bool]], limit: int) -> list[SearchHit]:
    """As on SQLite: the newest matches of each kind (GIN index), ranked by _merge."""
    q = _pg_query(tokens)

    def newest(kind: str, n: int) -> list[SearchHit]:
        table, cols = _PG_SEARCHES[kind]
        rows = conn.execute(
            text(
                f"SELECT t.id, {cols} FROM {table} AS t "
                "WHERE t.search_vec @@ to_tsquery('simple', :q) "
                "ORDER BY t.created_at DESC, t.id LIMIT :n"
            ),
            {"q": q, "n": n},
        )
        return [
            SearchHit(kind, ref_id, article_id, claim_id, title or "", body or "", 0.0)
            for ref_id, title, article_id, claim_id, body in rows
        ]

    found = [hit for kind in ("claim", "evidence", "link") for hit in newest(kind, RECENT)]
    articles = newest("article", max(limit // 5, limit - len(found)))
    return [_located(conn, hit, hit.rank) for hit in _merge(found, articles, tokens, limit)]


def _word_pattern(tokens: Sequence[tuple[str, bool]]) -> str:
    """A regular expression for any of these words, whole (or as a prefix, for word*)."""
    words = "|".join(re.escape(w) + (r"[^\W_]*" if prefix else "") for w, prefix in tokens)
    return rf"(?<![^\W_])(?:{words})(?![^\W_])"


def _snippet(body: str, tokens: Sequence[tuple[str, bool]], fallback: str = "") -> str:
    """About 14 words around the first matched word, the match in [ and ] (as FTS5's snippet);
    one regular-expression search, so a 1 MB article costs a millisecond, not FTS5's 20. No match
    in the body (the words are in the title or claimant): `fallback` searched the same way."""
    m = re.search(_word_pattern(tokens), body, re.IGNORECASE)
    if m is None:
        return _snippet(fallback, tokens) if fallback else body[:120]
    a = body.rfind(" ", 0, max(0, m.start() - 60)) + 1
    b = body.find(" ", min(len(body), m.end() + 60))
    b = len(body) if b < 0 else b
    return (
        ("…" if a > 0 else "")
        + body[a : m.start()]
        + "["
        + m.group()
        + "]"
        + body[m.end() : b]
        + ("…" if b < len(body) else "")
    )
