"""Claims: listing them, marking one by hand, dismissing and restoring, verdicts and edits."""

from __future__ import annotations

from typing import Any

from factdesk import store
from factdesk.domain import (
    ClaimKind,
    ClaimOrigin,
    ClaimRecord,
    ClaimStatus,
    InvalidInputError,
    Outcome,
)
from factdesk.domain.priority import MARKED
from factdesk.domain.spans import claimant_span, trim_span
from factdesk.services import articles
from factdesk.services.context import Context, outcome, short


def claims(
    ctx: Context,
    article_id: str | None = None,
    *,
    status: ClaimStatus | None = None,
    include_dismissed: bool = False,
) -> list[ClaimRecord]:
    with ctx.lock:
        return store.list_claims(
            ctx.board, article_id, status=status, include_dismissed=include_dismissed
        )


# claims per page for the window's claims table: a screenful or two, read in a few ms
CLAIMS_PAGE = 200


def claims_page(
    ctx: Context,
    article_id: str,
    *,
    after: ClaimRecord | None = None,
    through: ClaimRecord | None = None,
    limit: int = CLAIMS_PAGE,
    include_dismissed: bool = False,
) -> list[ClaimRecord]:
    """The next `limit` claims of an article in the claims table's order (high priority first,
    text order within a tier) after `after` (None: the first); fewer than `limit` means the
    last page. With `through`, every claim after `after` up to and including that one (to
    show a claim chosen elsewhere). Costs the same on any page of any board."""
    with ctx.lock:
        return store.claims_by_priority(
            ctx.board,
            article_id,
            include_dismissed=include_dismissed,
            after=None if after is None else table_key(after),
            through=None if through is None else table_key(through),
            limit=None if through is not None else limit,
        )


def table_key(claim: ClaimRecord) -> tuple[int, int, int, str]:
    """Where a claim sits in the claims table: its priority tier, then text order."""
    return claim.priority.rank, claim.start, claim.end, claim.id


def article_counts(ctx: Context, article_id: str) -> tuple[int, int, int, int]:
    """(verified, disputed, unverified, dismissed) claims of an article."""
    with ctx.lock:
        return store.article_counts(ctx.board, article_id)


def claim(ctx: Context, claim_id: str) -> ClaimRecord:
    with ctx.lock:
        return store.get_claim(ctx.board, claim_id)


def resolve_claim(ctx: Context, prefix: str) -> str:
    with ctx.lock:
        return store.resolve_claim(ctx.board, prefix)


def mark_claim(
    ctx: Context,
    article_id: str,
    start: int,
    end: int,
    *,
    claimant: str = "",
    kind: ClaimKind | None = None,
    score: float = 1.0,
) -> Outcome[ClaimRecord]:
    """Mark a span of the article as a claim by hand (outer whitespace is trimmed). Its kind and
    claimant, unless given, are what the detector reads in it ("X said ..." names X)."""
    text = articles.article(ctx, article_id).text
    if start == end and 0 <= start <= len(text):
        raise InvalidInputError(
            f"The selection {start}-{end} is empty: END must be after START (characters "
            f"START..END of the article, 0-{len(text)})."
        )
    if not (0 <= start < end <= len(text)):
        raise InvalidInputError(
            f"The selection {start}-{end} is outside the article (0-{len(text)})."
        )
    start, end = trim_span(text, start, end)
    if start == end:
        raise InvalidInputError("Select some words of the article to mark them as a claim.")
    existing = [
        c
        for c in claims(ctx, article_id, include_dismissed=True)
        if (c.start, c.end) == (start, end)
    ]
    if existing:
        if existing[0].dismissed:
            return restore_claim(ctx, existing[0].id)
        raise InvalidInputError("That passage is already a claim.")
    span = claimant_span(text, start, end, claimant)
    if kind is None or not claimant:
        # what the detector makes of the passage: its kind and, unless given, who claims it
        from factdesk import nlp

        described = nlp.describe_span(text, start, end)
        kind = kind or described.kind
        if not claimant and described.claimant:
            claimant = described.claimant
            span = _span_of(described.claimant_start, described.claimant_end)
    with (
        ctx.lock,
        ctx.board.action(f"Mark claim “{short(text[start:end])}”", ctx.actor) as tx,
    ):
        rec = store.create_claim(
            tx,
            article_id=article_id,
            start=start,
            end=end,
            text=text[start:end],
            score=score,
            kind=kind.value,
            claimant=claimant,
            origin=ClaimOrigin.MANUAL.value,
            reviewer=ctx.settings.author_name,
            claimant_start=span[0] if span else None,
            claimant_end=span[1] if span else None,
            priority=MARKED.rank,  # chosen by the journalist; no other claim's tier moves
        )
    return outcome(rec, tx)


def _span_of(start: int | None, end: int | None) -> tuple[int, int] | None:
    return (start, end) if start is not None and end is not None else None


def dismiss_claim(ctx: Context, claim_id: str) -> Outcome[ClaimRecord]:
    return _update_claim(ctx, claim_id, "Dismiss claim", dismissed=True)


def restore_claim(ctx: Context, claim_id: str) -> Outcome[ClaimRecord]:
    return _update_claim(ctx, claim_id, "Restore claim", dismissed=False)


def repeats(ctx: Context, claim_id: str) -> list[ClaimRecord]:
    """The other claims of the article that repeat the same quote or statement."""
    with ctx.lock:
        return store.repeats_of(ctx.board, claim_id)


def set_status(
    ctx: Context,
    claim_id: str,
    status: ClaimStatus | str,
    explanation: str | None = None,
    *,
    with_repeats: bool = False,
) -> Outcome[ClaimRecord]:
    """Set a verdict; `with_repeats` gives the repeats of the same quote the same verdict (and
    explanation) in the same undo step."""
    status = ClaimStatus(status)
    values: dict[str, Any] = {"status": status.value, "reviewer": ctx.settings.author_name}
    if explanation is not None:
        values["explanation"] = explanation.strip()
    with ctx.lock:
        others = [c.id for c in store.repeats_of(ctx.board, claim_id)] if with_repeats else []
        label = f"Set status to {status.value}"
        if others:
            label += f" (and {len(others)} repeat{'s' if len(others) > 1 else ''})"
        with ctx.board.action(label, ctx.actor) as tx:
            rec = store.update_claim(tx, claim_id, **values)
            for other in others:
                store.update_claim(tx, other, **values)
    return outcome(rec, tx)


def edit_claim(
    ctx: Context,
    claim_id: str,
    *,
    claimant: str | None = None,
    explanation: str | None = None,
    rating: str | None = None,
    kind: ClaimKind | None = None,
) -> Outcome[ClaimRecord]:
    values: dict[str, Any] = {}
    labels = []
    if claimant is not None:
        values["claimant"] = claimant.strip()
        # a name typed by hand: underlined where it stands in the article, if it does
        current = claim(ctx, claim_id)
        if values["claimant"] != current.claimant:
            text = articles.article(ctx, current.article_id).text
            span = claimant_span(text, current.start, current.end, values["claimant"])
            values["claimant_start"], values["claimant_end"] = span or (None, None)
        labels.append("claimant")
    if explanation is not None:
        values["explanation"] = explanation.strip()
        labels.append("explanation")
    if rating is not None:
        values["rating"] = rating.strip()
        labels.append("rating")
    if kind is not None:
        values["kind"] = ClaimKind(kind).value
        labels.append("kind")
    if not values:
        raise InvalidInputError("Nothing to change.")
    return _update_claim(ctx, claim_id, "Edit " + ", ".join(labels), **values)


def _update_claim(ctx: Context, claim_id: str, label: str, **values: Any) -> Outcome[ClaimRecord]:
    with ctx.lock, ctx.board.action(label, ctx.actor) as tx:
        rec = store.update_claim(tx, claim_id, **values)
    return outcome(rec, tx)
