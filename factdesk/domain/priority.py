"""Priority tiers of a claim, read from its calibrated check-worthiness score. One home for the cutoffs."""

from __future__ import annotations

import enum


class Priority(enum.StrEnum):
    """Where a journalist should start: high first, then normal; low is factual but minor."""

    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"

    @property
    def rank(self) -> int:
        """Sort key: high sorts first."""
        return {Priority.HIGH: 0, Priority.NORMAL: 1, Priority.LOW: 2}[self]


# Cutoffs on the calibrated score (a score of 0.8 means about 80 % of such sentences were
# check-worthy in cross-validation grouped by debate). High: at least four in five such sentences
# were check-worthy (about 3 in 10 of the detector's claims on debates); normal: more likely than
# not; low: below even odds, yet a claim by the detector's threshold (about 0.37) or a quote in a
# named speaker's mouth. Reliability curve: tests/benchmarks/bench_calibration.py.
HIGH_AT = 0.8
NORMAL_AT = 0.5


def priority_of(score: float) -> Priority:
    """The tier of a calibrated score in [0, 1]."""
    if score >= HIGH_AT:
        return Priority.HIGH
    if score >= NORMAL_AT:
        return Priority.NORMAL
    return Priority.LOW
