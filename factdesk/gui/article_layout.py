"""How the article's furniture looks on screen: the headline, byline and dateline styled apart
from the body, and short subheadings in bold. Which lines are furniture is the domain's rule
(factdesk.domain.layout), the one claim detection follows; only the look is here."""

from __future__ import annotations

from PySide6.QtGui import QFont, QPalette, QTextCharFormat

from factdesk.domain.layout import Furniture, furniture

__all__ = ["Furniture", "furniture", "furniture_format"]


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
