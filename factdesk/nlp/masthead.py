"""The masthead of a plain-text article: headline, byline and dateline read as metadata.

A saved web page carries its author, outlet and date in markup; a pasted or .txt article carries
them in its first lines ("By Maria Ellison, City Desk", "HARWICK, March 14 (Northfield Herald) -").
These lines are already left out of claim detection (factdesk.domain.layout); here they are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime

from factdesk.domain import ImportedDocument
from factdesk.domain.layout import dateline_end, is_furniture, lines

HEAD_LINES = 6  # the masthead is in the first few non-empty lines
WIRES = (
    "Reuters",
    "AP",
    "Associated Press",
    "AFP",
    "Agence France-Presse",
    "Bloomberg",
    "dpa",
    "UPI",
    "Xinhua",
    "PTI",
    "IANS",
)
_BYLINE = re.compile(r"^by\s+(?P<names>[^,;|]+?)(?:\s*[,;|]\s*(?P<rest>.+?))?\s*$", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*")
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z'.-]*(?:[ ]+[A-Z][A-Za-z'.-]*){0,3})"
    r"(?:\s*,\s*(?P<region>[A-Z][A-Za-z.]*(?: [A-Z][A-Za-z.]*)?))??"
    r"(?:\s*,\s*(?P<date>" + _MONTH + r"\s+\d{1,2}(?:\s*,\s*\d{4})?))?"
    r"\s*(?:\((?P<outlet>[^)]{1,40})\))?\s*[-–—]+"
)


@dataclass(frozen=True)
class Masthead:
    """What the first lines of an article say about it; empty strings where they say nothing."""

    headline: str = ""
    authors: tuple[str, ...] = ()
    outlet: str = ""
    place: str = ""
    date_text: str = ""
    published: date | None = None  # only when the dateline gives a year


def read_masthead(text: str) -> Masthead:
    """The headline, byline (authors, a wire named there) and dateline (place, date, outlet)."""
    headline = ""
    authors: tuple[str, ...] = ()
    outlet = place = date_text = ""
    published = None
    seen = 0
    for start, end in lines(text):
        line = text[start:end].strip()
        if not line:
            continue
        seen += 1
        if seen > HEAD_LINES:
            break
        by = _BYLINE.match(line) if len(line.split()) <= 12 else None
        stamp = _DATELINE.match(line) if dateline_end(line) or is_furniture(line) else None
        if by is not None and not authors:
            authors = tuple(n for n in _NAME_SPLIT.split(by["names"]) if n)
            rest = (by["rest"] or "").strip()
            if rest in WIRES:
                outlet = outlet or rest
        elif stamp is not None and stamp["place"].isupper() and not place:
            place = stamp["place"].title() if len(stamp["place"]) > 3 else stamp["place"]
            if stamp["region"]:
                place += ", " + stamp["region"]
            date_text = stamp["date"] or ""
            published = _year_date(date_text)
            outlet = (stamp["outlet"] or "").strip() or outlet
            if not is_furniture(line):
                break  # the story itself starts after the dateline
        elif not headline and seen == 1 and is_furniture(line):
            headline = line
        elif not is_furniture(line):
            break
    return Masthead(headline, authors, outlet, place, date_text, published)


def _year_date(text: str) -> date | None:
    cleaned = re.sub(r"\s*,\s*", " ", text.replace(".", "")).strip()
    for fmt in ("%B %d %Y", "%b %d %Y"):
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


PLAIN_FORMATS = frozenset({"txt", "md", "paste", "clipboard"})


def with_masthead(doc: ImportedDocument) -> ImportedDocument:
    """A plain-text article with the headline, authors, outlet, date and place its masthead gives.

    Only fields the importer left empty are filled; other formats carry their own metadata.
    """
    if doc.source_format not in PLAIN_FORMATS:
        return doc
    head = read_masthead(doc.text)
    return replace(
        doc,
        title=doc.title or head.headline,
        authors=doc.authors or head.authors,
        outlet=doc.outlet or head.outlet,
        published=doc.published or head.published,
        place=doc.place or head.place,
    )
