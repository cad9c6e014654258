"""Pieces of an article's prose for spaCy: every paragraph that is not furniture, datelines left
out, long lines cut. What is furniture is the domain's one rule (factdesk.domain.layout)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from factdesk.domain.layout import count_paragraphs, dateline_end, is_furniture, lines

# spaCy refuses texts over 1,000,000 characters and uses memory in proportion: split longer lines
MAX_CHUNK = 20_000

__all__ = [
    "MAX_CHUNK",
    "Chunk",
    "chunks",
    "count_paragraphs",
    "dateline_end",
    "is_furniture",
    "lines",
]


@dataclass(frozen=True)
class Chunk:
    """Text handed to spaCy: part or all of one paragraph, with its offset into the article."""

    paragraph: int
    start: int
    text: str


def chunks(text: str) -> Iterator[Chunk]:
    """The prose of every paragraph, furniture and datelines left out, long lines split in pieces."""
    for index, (start, end) in enumerate(lines(text)):
        line = text[start:end]
        if is_furniture(line):
            continue
        skip = dateline_end(line)
        pos = start + skip
        while pos < end:
            cut = end if end - pos <= MAX_CHUNK else _split_point(text, pos, pos + MAX_CHUNK)
            yield Chunk(index, pos, text[pos:cut])
            pos = cut


def _split_point(text: str, lo: int, hi: int) -> int:
    """A place to cut an over-long line: after a sentence end, else at a space, else anywhere."""
    window = text[lo:hi]
    for pattern in (r"[.!?…][\"'”’)]*\s+", r"\s+"):
        ends = [m.end() for m in re.finditer(pattern, window)]
        if ends and ends[-1] > len(window) // 2:
            return lo + ends[-1]
    return hi
