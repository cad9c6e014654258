"""How the article's furniture looks on screen: the headline, byline and dateline styled apart
from the body, and short subheadings in bold. Display only; claim detection (factdesk.nlp.layout)
decides for itself what carries no claim, and importing it here would load the detector."""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence

from PySide6.QtGui import QFont, QPalette, QTextCharFormat


class Furniture(enum.Enum):
    HEADLINE = "headline"
    BYLINE = "byline"
    DATELINE = "dateline"
    SUBHEADING = "subheading"


_BYLINE = re.compile(r"^(by|from|words by)\s+\S", re.IGNORECASE)
# "HARWICK, March 14 (Northfield Herald) -", "KYIV, Jan 13 (Reuters) - ", "LONDON (AP) — "
_DATELINE = re.compile(
    r"^[A-Z][A-Z'.-]+(?:[ ,]+[A-Za-z0-9'.-]+){0,5}\s*(?:\([^)\n]{1,40}\))?\s*[-–—]+\s*"
)
_END_PUNCT = ".!?…:;\"'”’»)"


def _short_line(line: str, words: int) -> bool:
    stripped = line.strip()
    return bool(stripped) and len(stripped.split()) <= words and stripped[-1] not in _END_PUNCT


def furniture(paragraphs: Sequence[str]) -> dict[int, tuple[Furniture, int]]:
    """Paragraph index -> (what it is, how many of its characters to style)."""
    found: dict[int, tuple[Furniture, int]] = {}
    body_seen = False
    for i, line in enumerate(paragraphs):
        if not line.strip():
            continue
        if i == 0 and _short_line(line, 20):
            found[i] = (Furniture.HEADLINE, len(line))
        elif not body_seen and _BYLINE.match(line) and len(line.split()) <= 12:
            found[i] = (Furniture.BYLINE, len(line))
        elif not body_seen and (m := _DATELINE.match(line)):
            found[i] = (Furniture.DATELINE, m.end())
            body_seen = m.end() < len(line.rstrip())
        elif body_seen and _short_line(line, 10):
            found[i] = (Furniture.SUBHEADING, len(line))
        else:
            body_seen = True
        if i > 2 and not body_seen:
            body_seen = True  # the furniture of an article is at its top
    return found


def furniture_format(kind: Furniture, base: QFont, palette: QPalette) -> QTextCharFormat:
    fmt = QTextCharFormat()
    size = base.pointSizeF()
    if kind is Furniture.HEADLINE:
        fmt.setFontPointSize(size * 1.45)
        fmt.setFontWeight(QFont.Weight.Bold)
    elif kind is Furniture.SUBHEADING:
        fmt.setFontPointSize(size * 1.1)
        fmt.setFontWeight(QFont.Weight.Bold)
    else:
        fmt.setFontPointSize(size * 0.9)
        fmt.setForeground(palette.color(QPalette.ColorRole.PlaceholderText))
        if kind is Furniture.DATELINE:
            fmt.setFontCapitalization(QFont.Capitalization.SmallCaps)
        else:
            fmt.setFontItalic(True)
    return fmt
