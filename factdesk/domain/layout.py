"""Paragraphs of an article and the lines that are furniture, not prose: one rule for claim
detection (factdesk.nlp), the masthead and the window's styling, with no spaCy behind it.

A paragraph is one line (lines split as `str.splitlines` does, so CRLF, CR and Unicode separators all
end a line). Headings, bylines, datelines, captions, credits and a lone name under a pull quote are
not claims; `furniture` says which of an article's first lines are its headline, byline and
dateline, and which later short lines are subheadings.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Sequence

_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")

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


class Furniture(enum.Enum):
    HEADLINE = "headline"
    BYLINE = "byline"
    DATELINE = "dateline"
    SUBHEADING = "subheading"


# a dateline on a line of its own: "HARWICK, March 14 (Northfield Herald) -"
_LONE_DATELINE = re.compile(
    r"^[A-Z][A-Z'.-]+(?:[ ,]+[A-Za-z0-9'.-]+){0,5}\s*(?:\([^)\n]{1,40}\))?\s*[-–—]+\s*$"
)


def furniture(paragraphs: Sequence[str]) -> dict[int, tuple[Furniture, int]]:
    """Paragraph index -> (what it is, how many of its characters are furniture): the headline,
    byline and dateline among the first lines, short furniture lines later on as subheadings."""
    found: dict[int, tuple[Furniture, int]] = {}
    body_seen = False
    for i, line in enumerate(paragraphs):
        stripped = line.strip()
        if not stripped:
            continue
        if not body_seen and (_BYLINE.match(stripped) and len(stripped.split()) <= 12):
            found[i] = (Furniture.BYLINE, len(line))
        elif not body_seen and (end := dateline_end(line)):
            found[i] = (Furniture.DATELINE, end)
            body_seen = end < len(line.rstrip())
        elif not body_seen and _LONE_DATELINE.match(stripped):
            found[i] = (Furniture.DATELINE, len(line))
        elif not found and not body_seen and is_furniture(line) and len(stripped.split()) <= 20:
            found[i] = (Furniture.HEADLINE, len(line))
        elif (
            body_seen and len(stripped) < 120 and len(stripped.split()) <= 10 and is_furniture(line)
        ):
            if not _CREDIT.search(stripped):
                found[i] = (Furniture.SUBHEADING, len(line))
        else:
            body_seen = True
        if i > 2 and not body_seen:
            body_seen = True  # the furniture of an article is at its top
    return found
