"""Which candidates are claims, and their tiers: the one rule that detection, the board, the window
and the CLI share.

A sentence is a claim when its calibrated check-worthiness reaches the model's threshold, or when it
puts a quotation in a named speaker's mouth: that always needs checking (was it said, and is it so),
even when its wording scores low as a factual claim. Its priority tier is its rank among the
article's claims (domain.priority.article_tiers), given once the whole article is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from factdesk.domain import ClaimCandidate, ClaimKind, Priority, article_tiers
from factdesk.nlp.model import threshold


def is_claim(score: float, kind: ClaimKind, claimant: str | None) -> bool:
    """True for a candidate that is shown, stored and counted as a claim."""
    return score >= threshold() or (kind is ClaimKind.QUOTATION and bool(claimant))


def with_tiers(candidates: Sequence[ClaimCandidate]) -> list[ClaimCandidate]:
    """The candidates of one whole article, each with its priority tier: the claims ranked among
    themselves as the board ranks them, a candidate that is no claim low."""
    claims = [i for i, c in enumerate(candidates) if c.is_check_worthy]
    tiers = dict(
        zip(
            claims,
            article_tiers([(candidates[i].score, candidates[i].start) for i in claims]),
            strict=True,
        )
    )
    return [replace(c, priority=tiers.get(i, Priority.LOW)) for i, c in enumerate(candidates)]
