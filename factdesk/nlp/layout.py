"""Paragraphs of an article and the lines that are furniture, not prose.

A paragraph is one line (lines split as `str.splitlines` does, so CRLF, CR and Unicode separators all
end a line); its index is the line number, which is the block number in the article view. Headings,
bylines, datelines, captions, credits and a lone name under a pull quote are not claims.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
# spaCy refuses texts over 1,000,000 characters and uses memory in proportion: split longer lines
MAX_CHUNK = 20_000

_END_PUNCT = ".!?…:;"
_CLOSERS = "\"'”’»)]"
_OPENERS = "\"'“‘«„"
_BYLINE = re.compile(r"^(by|from|photo(graph)?s? by|words by)\s+\S", re.IGNORECASE)
_CREDIT = re.compile(
    r"^((additional )?(reporting|writing|editing|research|graphics?) by|"
    r"(photo|image|picture|caption|video|file photo|source)\s*[:|])|"
    r"\b(REUTERS|AP Photo|AFP|Getty Images|EPA|Shutterstock)\s*/\s*\S",
    re.IGNORECASE,
)
# "KYIV, Jan 13 (Reuters) - " or "LONDON (AP) — " before the first sentence of a story
_DATELINE = re.compile(
    r"^[^\n]{0,80}?\((?:Reuters|AP|AFP|Bloomberg|dpa|UPI|CNN|AA|Xinhua|IANS|PTI)\)\s*[-–—]+\s*"
    r"|^[A-Z][A-Z'.-]+(?:[ ,]+[A-Z][A-Za-z'.-]*){0,4}\s+[-–—]+\s+(?=[A-Z\"“])",
)


@dataclass(frozen=True)
class Chunk:
    """Text handed to spaCy: part or all of one paragraph, with its offset into the article."""

    paragraph: int
    start: int
    text: str


def lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every line, without its line break; an empty text has no lines."""
    pos = 0
    for m in _LINE_BREAK.finditer(text):
        yield pos, m.start()
        pos = m.end()
    if pos < len(text):
        yield pos, len(text)


def count_paragraphs(text: str) -> int:
    return sum(1 for _ in lines(text))


def is_furniture(line: str) -> bool:
    """A heading, byline, caption, credit or lone name: a line that carries no claim."""
    stripped = line.strip()
    if not stripped:
        return True
    if _CREDIT.search(stripped) or (_BYLINE.match(stripped) and len(stripped.split()) <= 12):
        return True
    if stripped[0] in _OPENERS:
        return False  # a pull quote, even without a full stop
    core = stripped.rstrip(_CLOSERS)
    ends_like_prose = bool(core) and core[-1] in _END_PUNCT
    return not ends_like_prose and len(stripped.split()) <= 15


def dateline_end(line: str) -> int:
    """Length of a dateline opening the line ("KYIV, Jan 13 (Reuters) - "), else 0."""
    m = _DATELINE.match(line)
    return m.end() if m else 0


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
