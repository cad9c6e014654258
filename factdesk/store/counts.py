"""Per-article claim counts (`article_counts`), kept in step with every claim write.

Derived data like the search index: not in the history, rebuilt by migration 0002 from the claims.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, case, delete, func, insert, select, update

from factdesk.store import schema as s

_COUNTS: Table = s.ArticleCounts.__table__  # type: ignore[assignment]


def _bucket(row: dict[str, Any]) -> str:
    return "n_dismissed" if row.get("dismissed") else f"n_{row.get('status', 'unverified')}"


Deltas = dict[tuple[str, str], int]


def follow(
    conn: Connection,
    deltas: Deltas,
    entity: str,
    op: str,
    entity_id: str,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
) -> None:
    """Follow one logged change: an article's row comes and goes at once, a claim's moves are
    added up in `deltas` for `apply` at the end of the action. `old`/`new`: the row before and
    after (None where it did not or does not exist)."""
    if entity == "article":
        if op == "create":
            conn.execute(insert(_COUNTS).values(article_id=entity_id))
        elif op == "delete":
            deltas_of = [k for k in deltas if k[0] == entity_id]
            for k in deltas_of:
                del deltas[k]
            conn.execute(delete(_COUNTS).where(_COUNTS.c.article_id == entity_id))
        return
    if entity != "claim":
        return
    was = None if old is None else _bucket(old)
    now = None if new is None else _bucket(new)
    if was == now:
        return
    if old is not None and was is not None:
        key = (old["article_id"], was)
        deltas[key] = deltas.get(key, 0) - 1
    if new is not None and now is not None:
        key = (new["article_id"], now)
        deltas[key] = deltas.get(key, 0) + 1


def apply(conn: Connection, deltas: Deltas) -> None:
    """Write the added-up moves: one UPDATE per article and count, however many claims moved."""
    for (article_id, name), step in deltas.items():
        if step:
            col = _COUNTS.c[name]
            conn.execute(
                update(_COUNTS).where(_COUNTS.c.article_id == article_id).values({col: col + step})
            )
    deltas.clear()


def rebuild(conn: Connection) -> None:
    """Count every article's claims afresh."""
    conn.execute(delete(_COUNTS))
    claim = s.Claim.__table__.c
    live = claim.dismissed.is_(False)

    def n(cond: Any) -> Any:
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    q = (
        select(
            s.Article.__table__.c.id,
            n((claim.status == "verified") & live),
            n((claim.status == "disputed") & live),
            n((claim.status == "unverified") & live),
            n(claim.dismissed.is_(True)),
        )
        .outerjoin(s.Claim.__table__, claim.article_id == s.Article.__table__.c.id)
        .group_by(s.Article.__table__.c.id)
    )
    conn.execute(
        insert(_COUNTS).from_select(
            ["article_id", "n_verified", "n_disputed", "n_unverified", "n_dismissed"], q
        )
    )
