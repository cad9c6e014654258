"""Records of imported fact-check collections and of matches ("seen before") for a claim."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

BOARD_CLAIM_PREFIX = "factdesk:claim/"


@dataclass(frozen=True)
class FactCheckItem:
    """One fact-check as read from a file, before it is stored. `review_url` is its identity."""

    claim: str
    review_url: str
    rating: str = ""
    publisher: str = ""
    claimant: str = ""
    claim_date: str = ""
    review_date: str = ""
    language: str = ""
    title: str = ""
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SkippedItem:
    """A malformed item: where it was in the file (`line 12`, `item 3`) and what was wrong."""

    where: str
    reason: str


@dataclass(frozen=True)
class ParsedFactChecks:
    """What a fact-check file held: its format, the usable items and the skipped ones."""

    format: str
    items: tuple[FactCheckItem, ...]
    skipped: tuple[SkippedItem, ...]


@dataclass(frozen=True)
class FactCheckImportSummary:
    collection_id: str
    name: str
    format: str
    added: int
    updated: int
    unchanged: int
    skipped: tuple[SkippedItem, ...]


@dataclass(frozen=True)
class FactCheckCollectionRecord:
    id: str
    name: str
    source: str
    format: str
    items: int
    imported_at: datetime


@dataclass(frozen=True)
class MatchRecord:
    """One match for a claim: an imported fact-check or a claim of another article on the board.

    `url` is the review URL (for a board claim, `factdesk:claim/<id>`); `similarity` is the
    encoder's cosine (-1..1); `score` the fused ranking score the list is sorted by.
    """

    kind: str  # "factcheck" | "claim"
    ref_id: str
    url: str
    text: str
    rating: str
    publisher: str
    date: str
    claimant: str
    similarity: float
    score: float
    title: str = ""
    article_id: str | None = None
