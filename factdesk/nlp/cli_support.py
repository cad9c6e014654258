"""Plain-data forms of detection results for the command line (`factdesk score`, `analyze --json`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from factdesk.domain import ClaimCandidate, ClaimRecord
from factdesk.nlp.detect import classify_sentences

SCORE_BATCH = 512


def score_lines(lines: Iterable[str], batch: int = SCORE_BATCH) -> Iterator[str]:
    """`SCORE<TAB>0|1` for each input line, in order, one per line (empty lines included).

    Reads `batch` lines at a time, so a long stream is scored with bounded memory.
    """
    source = iter(lines)
    while chunk := [line.rstrip("\r\n") for line in islice(source, batch)]:
        for score, claim in classify_sentences(chunk):
            yield f"{score:.6f}\t{int(claim)}"


def candidate_dict(candidate: ClaimCandidate) -> dict[str, Any]:
    """A JSON-ready dict of one candidate (kind and priority as their stored values).

    `factdesk analyze --json` prints these; `factdesk claims --json` prints the same keys for the
    claims on the board. The candidate must carry its tier (`detect_claims` gives it; streamed
    batches go through `decide.with_tiers` first).
    """
    if candidate.priority is None:
        raise ValueError("a candidate without its tier: rank the article's with with_tiers()")
    return {
        "start": candidate.start,
        "end": candidate.end,
        "text": candidate.text,
        "score": candidate.score,
        "priority": candidate.priority.value,
        "is_check_worthy": candidate.is_check_worthy,
        "kind": candidate.kind.value,
        "claimant": candidate.claimant or "",  # a string, as on the board: "" for the article
        "claimant_start": candidate.claimant_start,
        "claimant_end": candidate.claimant_end,
        "paragraph": candidate.paragraph,
        "duplicate_of": candidate.duplicate_of,
        "entities": [
            {"start": e.start, "end": e.end, "label": e.label, "text": e.text}
            for e in candidate.entities
        ],
    }


def claim_dict(claim: dict[str, Any], record: ClaimRecord) -> dict[str, Any]:
    """`claim` (a stored claim as plain data) with the keys `candidate_dict` gives a candidate:
    the claimant's span is the one the board stored with the claim."""
    return {
        **claim,
        "priority": record.priority.value,
        "claimant_start": record.claimant_start,
        "claimant_end": record.claimant_end,
    }
