"""Full-text search over articles, claims, claimants, evidence and notes.

SQLite: an FTS5 table kept in step by the store on every change (SQLite-only SQL lives here).
Other dialects: a plain case-insensitive match, slower but correct.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, or_, select, text

from factdesk.domain import SearchHit
from factdesk.store import schema as s

FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "kind UNINDEXED, ref_id UNINDEXED, article_id UNINDEXED, claim_id UNINDEXED, title, body, "
    "tokenize = 'unicode61 remove_diacritics 2')"
)

_TOKEN = re.compile(r"\w+", re.UNICODE)


def uses_fts(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def create(conn: Connection) -> None:
    if uses_fts(conn):
        conn.exec_driver_sql(FTS_DDL)


def _put(
    conn: Connection,
    kind: str,
    ref_id: str,
    article_id: str | None,
    claim_id: str | None,
    title: str,
    body: str,
) -> None:
    conn.execute(text("DELETE FROM search_fts WHERE ref_id = :r"), {"r": ref_id})
    conn.execute(
        text(
            "INSERT INTO search_fts (kind, ref_id, article_id, claim_id, title, body) "
            "VALUES (:k, :r, :a, :c, :t, :b)"
        ),
        {"k": kind, "r": ref_id, "a": article_id, "c": claim_id, "t": title, "b": body},
    )


def sync(conn: Connection, entity: str, row: dict[str, Any] | None, ref_id: str) -> None:
    """Bring the index in step with one row (None: the row is gone)."""
    if not uses_fts(conn) or entity not in ("article", "claim", "evidence", "link"):
        return
    if row is None:
        conn.execute(text("DELETE FROM search_fts WHERE ref_id = :r"), {"r": ref_id})
        return
    if entity == "article":
        body = row.get("text", "")
        title = " ".join([row.get("title", ""), row.get("outlet", "")]).strip()
        _put(conn, "article", ref_id, ref_id, None, title, body)
    elif entity == "claim":
        body = " ".join([row.get("text", ""), row.get("explanation", ""), row.get("rating", "")])
        _put(conn, "claim", ref_id, row.get("article_id"), ref_id, row.get("claimant", ""), body)
    elif entity == "evidence":
        title = " ".join([row.get("title", ""), row.get("publisher", ""), row.get("author", "")])
        body = " ".join([row.get("url", ""), row.get("quote", ""), row.get("notes", "")])
        _put(conn, "evidence", ref_id, None, None, title.strip(), body.strip())
    elif entity == "link":
        if row.get("note"):
            _put(conn, "link", ref_id, None, row.get("claim_id"), "", row["note"])
        else:
            conn.execute(text("DELETE FROM search_fts WHERE ref_id = :r"), {"r": ref_id})


def _fts_query(query: str) -> str:
    tokens = _TOKEN.findall(query)
    return " ".join(f'"{t}"*' for t in tokens)


def search(conn: Connection, query: str, limit: int = 50) -> list[SearchHit]:
    if not query.strip():
        return []
    if uses_fts(conn):
        return _search_fts(conn, query, limit)
    return _search_like(conn, query, limit)


def _search_fts(conn: Connection, query: str, limit: int) -> list[SearchHit]:
    match = _fts_query(query)
    if not match:
        return []
    rows = conn.execute(
        text(
            "SELECT kind, ref_id, article_id, claim_id, title, "
            "snippet(search_fts, -1, '[', ']', '…', 14) AS snip, bm25(search_fts) AS rank "
            "FROM search_fts WHERE search_fts MATCH :q ORDER BY rank LIMIT :n"
        ),
        {"q": match, "n": limit},
    ).all()
    return [_hit(conn, *row) for row in rows]


def _hit(
    conn: Connection,
    kind: str,
    ref_id: str,
    article_id: str | None,
    claim_id: str | None,
    title: str,
    snippet: str,
    rank: float,
) -> SearchHit:
    if kind in ("evidence", "link"):
        if kind == "evidence":
            claim_id = conn.execute(
                select(s.ClaimEvidence.claim_id)
                .where(s.ClaimEvidence.evidence_id == ref_id)
                .limit(1)
            ).scalar()
        if claim_id is not None:
            article_id = conn.execute(
                select(s.Claim.article_id).where(s.Claim.id == claim_id)
            ).scalar()
    return SearchHit(kind, ref_id, article_id, claim_id, title, snippet, float(rank))


def _search_like(conn: Connection, query: str, limit: int) -> list[SearchHit]:
    hits: list[SearchHit] = []
    tokens = _TOKEN.findall(query)
    if not tokens:
        return []

    def all_tokens(*cols: Any) -> Any:
        from sqlalchemy import and_

        return and_(*[or_(*[c.ilike(f"%{t}%") for c in cols]) for t in tokens])

    def snip(body: str) -> str:
        low = body.lower()
        i = low.find(tokens[0].lower())
        if i < 0:
            return body[:120]
        a = max(0, i - 60)
        t = tokens[0]
        return (
            ("…" if a else "")
            + body[a:i]
            + "["
            + body[i : i + len(t)]
            + "]"
            + body[i + len(t) : i + 80]
        )

    for c in conn.execute(
        select(s.Claim)
        .where(all_tokens(s.Claim.text, s.Claim.claimant, s.Claim.explanation, s.Claim.rating))
        .limit(limit)
    ).all():
        hits.append(SearchHit("claim", c.id, c.article_id, c.id, c.claimant, snip(c.text), 0.0))
    for a in conn.execute(
        select(s.Article.id, s.Article.title, s.Article.text)
        .where(all_tokens(s.Article.text, s.Article.title))
        .limit(limit)
    ).all():
        hits.append(SearchHit("article", a.id, a.id, None, a.title, snip(a.text), 1.0))
    for e in conn.execute(
        select(s.Evidence)
        .where(
            all_tokens(
                s.Evidence.title,
                s.Evidence.quote,
                s.Evidence.notes,
                s.Evidence.url,
                s.Evidence.publisher,
            )
        )
        .limit(limit)
    ).all():
        hits.append(
            _hit(
                conn,
                "evidence",
                e.id,
                None,
                None,
                e.title,
                snip(" ".join([e.quote, e.notes, e.url])),
                2.0,
            )
        )
    return hits[:limit]
