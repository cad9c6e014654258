"""Priority tiers of a claim: where a journalist should start in one article. One home for the rule.

The tier is a ranking inside the article, not a second reading of the score: calibrated scores sit
flat at the top (any sentence with a number scores about 0.89), so a cutoff on the score alone
made most of a news article "high". The tier is decided once, when the article's claims are
detected, and stored with each claim; every reader shows the stored tier.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence


class Priority(enum.StrEnum):
    """Where a journalist should start: high first, then normal; low is factual but minor."""

    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"

    @property
    def rank(self) -> int:
        """Sort key, and the value stored on the board: high sorts first."""
        return _RANKS[self]

    @classmethod
    def of_rank(cls, rank: int) -> Priority:
        """The tier stored as `rank` (0 high, 1 normal, 2 low)."""
        return _TIERS[rank]


_TIERS = (Priority.HIGH, Priority.NORMAL, Priority.LOW)
_RANKS = {tier: i for i, tier in enumerate(_TIERS)}

# Cutoffs on the calibrated score (a score of 0.8 means about 80 % of such sentences were
# check-worthy in cross-validation grouped by debate). High needs at least four in five such
# sentences check-worthy; normal more likely than not; low is below even odds, yet a claim by the
# detector's threshold (about 0.35) or a quote in a named speaker's mouth.
HIGH_AT = 0.8
NORMAL_AT = 0.5
# ...and high is kept for the article's best third: of its detected claims, at most a third
# (rounded up, so one claim of one can be high) by score, an earlier claim first among equal
# scores (a news story says what matters most first). Chosen on debate-grouped cross-validation
# of the training debates and on 84 news articles: tests/benchmarks/bench_tiers.py.
HIGH_SHARE = 1 / 3
# a claim the journalist marks by hand was chosen by them: it is high, and it is not counted in
# the article's ranking (marking one never changes another claim's tier)
MARKED = Priority.HIGH
# scores are stored to 4 places: the ranking reads them so, wherever it runs
SCORE_PLACES = 4


def score_tier(score: float) -> Priority:
    """The tier a calibrated score allows at most (the ranking can only lower high to normal)."""
    if score >= HIGH_AT:
        return Priority.HIGH
    if score >= NORMAL_AT:
        return Priority.NORMAL
    return Priority.LOW


def high_budget(n_claims: int) -> int:
    """How many of an article's `n_claims` detected claims may be high."""
    return math.ceil(n_claims * HIGH_SHARE - 1e-9)


def article_tiers(claims: Sequence[tuple[float, int]]) -> list[Priority]:
    """The tier of each detected claim of one article, given as (score, start) in any order.

    High: a score of at least HIGH_AT and among the article's best `high_budget` claims by score
    (the earlier of equal scores first); otherwise normal from NORMAL_AT, else low.
    """
    scores = [round(float(score), SCORE_PLACES) for score, _ in claims]
    order = sorted((-score, claims[i][1], i) for i, score in enumerate(scores))
    best = {i for _, _, i in order[: high_budget(len(claims))]}
    tiers = [score_tier(score) for score in scores]
    return [
        Priority.NORMAL if tier is Priority.HIGH and i not in best else tier
        for i, tier in enumerate(tiers)
    ]
