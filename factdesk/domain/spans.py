"""Claim spans: the one rule for where a claim starts and ends in the article text."""

from __future__ import annotations


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """`start`..`end` without the white space at either end; (n, n) when only white space is left.

    A claim never begins or ends with white space, whether it was found by the detector or marked
    by hand, so the same sentence marked twice is the same span.
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def claimant_span(text: str, start: int, end: int, claimant: str) -> tuple[int, int] | None:
    """Where `claimant` is named for the claim at start..end: inside it, else the nearest before
    it, else after it; None when the name is not in the text (or there is no claimant).

    For a claimant typed or edited by hand, whose place in the article the detector never saw.
    """
    if not claimant:
        return None
    at = text.find(claimant, start, end)
    if at < 0:
        at = text.rfind(claimant, 0, start)
    if at < 0:
        at = text.find(claimant, end)
    return (at, at + len(claimant)) if at >= 0 else None
