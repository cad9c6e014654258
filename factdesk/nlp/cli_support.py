"""Plain-data forms of detection results for the command line (`factdesk score`, `analyze --json`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from factdesk.domain import ClaimCandidate
from factdesk.nlp.detect import score_sentences
from factdesk.nlp.model import THRESHOLD

SCORE_BATCH = 512


def score_lines(lines: Iterable[str], batch: int = SCORE_BATCH) -> Iterator[str]:
    """`SCORE<TAB>0|1` for each input line, in order, one per line (empty lines included).

    Reads `batch` lines at a time, so a long stream is scored with bounded memory.
    """
    source = iter(lines)
    while chunk := [line.rstrip("\r\n") for line in islice(source, batch)]:
        for score in score_sentences(chunk):
            yield f"{score:.6f}\t{int(score >= THRESHOLD)}"


def candidate_dict(candidate: ClaimCandidate) -> dict[str, Any]:
    """A JSON-ready dict of one candidate (kind as its stored value)."""
    return {
        "start": candidate.start,
        "end": candidate.end,
        "text": candidate.text,
        "score": candidate.score,
        "is_check_worthy": candidate.is_check_worthy,
        "kind": candidate.kind.value,
        "claimant": candidate.claimant,
        "paragraph": candidate.paragraph,
        "duplicate_of": candidate.duplicate_of,
        "entities": [
            {"start": e.start, "end": e.end, "label": e.label, "text": e.text}
            for e in candidate.entities
        ],
    }
