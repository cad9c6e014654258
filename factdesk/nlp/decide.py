"""Which candidates are claims: the one rule that detection, the board, the window and the CLI share.

A sentence is a claim when its calibrated check-worthiness reaches the model's threshold, or when it
puts a quotation in a named speaker's mouth: that always needs checking (was it said, and is it so),
even when its wording scores low as a factual claim.
"""

from __future__ import annotations

from factdesk.domain import ClaimKind
from factdesk.nlp.model import threshold


def is_claim(score: float, kind: ClaimKind, claimant: str | None) -> bool:
    """True for a candidate that is shown, stored and counted as a claim."""
    return score >= threshold() or (kind is ClaimKind.QUOTATION and bool(claimant))
