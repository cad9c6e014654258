"""History and undo: search, each claim's history, the integrity check of the chain, and the
per-actor undo and redo stack persisted in the board."""

from __future__ import annotations

from collections.abc import Callable

from factdesk.domain import (
    HistoryEventRecord,
    Outcome,
    SearchHit,
    UndoStatus,
    VerifyReport,
)
from factdesk.services.context import Context, outcome


def search(ctx: Context, query: str, limit: int = 50) -> list[SearchHit]:
    with ctx.lock:
        return ctx.board.search(query, limit)


def history(
    ctx: Context,
    *,
    claim_id: str | None = None,
    article_id: str | None = None,
    limit: int | None = None,
    between: tuple[int, int] | None = None,
) -> list[HistoryEventRecord]:
    with ctx.lock:
        return ctx.board.history(
            claim_id=claim_id, article_id=article_id, limit=limit, between=between
        )


def verify(ctx: Context, progress: Callable[[int, int], None] | None = None) -> VerifyReport:
    """Check the board; `progress(done, total)` is called now and then on a long board."""
    with ctx.lock:
        return ctx.board.verify(progress)


def undo(ctx: Context) -> Outcome[str]:
    with ctx.lock:
        label, tx = ctx.board.undo(ctx.actor)
    return outcome(label, tx)


def redo(ctx: Context) -> Outcome[str]:
    with ctx.lock:
        label, tx = ctx.board.redo(ctx.actor)
    return outcome(label, tx)


def undo_status(ctx: Context) -> UndoStatus:
    with ctx.lock:
        last, nxt = ctx.board.undo_state(ctx.actor)
    return UndoStatus(last is not None, last or "", nxt is not None, nxt or "")
