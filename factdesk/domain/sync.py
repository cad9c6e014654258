"""What a sync reports and what it keeps: the figures of one sync, a board's sync status, and a
conflict (one claim field changed on both sides) with both values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The claim fields whose concurrent edits are kept side by side rather than one overwriting
# the other; `dismissed` joins them when one side dismissed and the other edited.
CONFLICT_FIELDS = ("status", "explanation", "rating", "claimant")


@dataclass(frozen=True)
class SyncReport:
    pulled: int = 0  # events received and applied here
    pushed: int = 0  # events sent and applied on the team board
    conflicts: int = 0  # new conflicts found by this sync
    blobs_sent: int = 0
    bytes_sent: int = 0
    blobs_received: int = 0
    retries: int = 0  # pushes refused because the team board moved meanwhile (pulled again)
    factchecks_sent: int = 0  # fact-check items new or changed on the team board
    factchecks_received: int = 0  # fact-check items new or changed here
    collections_removed: int = 0  # fact-check collections removed here or there (removed elsewhere)
    same_text: int = 0  # articles received whose text is already here as another article

    @property
    def moved(self) -> bool:
        return bool(
            self.pulled
            or self.pushed
            or self.conflicts
            or self.factchecks_sent
            or self.factchecks_received
            or self.collections_removed
        )


@dataclass(frozen=True)
class SyncStatus:
    url: str  # the team board as shown (no password); "" when never synced
    synced_at: str  # ISO 8601 UTC of the last finished sync; "" when never
    to_send: int  # this board's actions not yet on the team board
    open_conflicts: int
    factchecks_to_send: int = 0  # fact-check items imported or changed here since the last sync


@dataclass(frozen=True)
class ConflictRecord:
    id: str
    claim_id: str
    field: str
    mine: Any
    theirs: Any
    base: Any
    their_actor: str
    detected_at: str

    @property
    def with_article(self) -> bool:
        """A claim removed on one side with its whole article (`base` names the article)."""
        return self.field == "removed" and isinstance(self.base, str) and bool(self.base)
