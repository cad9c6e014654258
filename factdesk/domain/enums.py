"""Enumerations of the evidence board. Values are stored in the board and in reports: never rename."""

from __future__ import annotations

import enum


class ClaimStatus(enum.StrEnum):
    UNVERIFIED = "unverified"
    VERIFIED = "verified"
    DISPUTED = "disputed"


class ClaimKind(enum.StrEnum):
    STATISTIC = "statistic"
    QUOTATION = "quotation"
    REPORTED = "reported_statement"
    CAUSAL = "causal"
    COMPARISON = "comparison"
    PREDICTION = "prediction"
    EVENT = "event"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            ClaimKind.STATISTIC: "statistic / quantity",
            ClaimKind.QUOTATION: "quotation",
            ClaimKind.REPORTED: "reported statement",
            ClaimKind.CAUSAL: "causal",
            ClaimKind.COMPARISON: "comparison",
            ClaimKind.PREDICTION: "prediction",
            ClaimKind.EVENT: "event",
            ClaimKind.OTHER: "other",
        }[self]


class ClaimOrigin(enum.StrEnum):
    DETECTED = "detected"
    MANUAL = "manual"


class EvidenceKind(enum.StrEnum):
    URL = "url"
    FILE = "file"
    NOTE = "note"


class Stance(enum.StrEnum):
    """How a piece of evidence bears on a claim. UNSET until the journalist says: evidence is never
    silently counted as support. (First, so that choosers offer it first.)"""

    UNSET = "unset"
    SUPPORTS = "supports"
    REFUTES = "refutes"
    CONTEXT = "context"

    @property
    def label(self) -> str:
        return "not set" if self is Stance.UNSET else self.value
