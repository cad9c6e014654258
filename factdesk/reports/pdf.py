"""The PDF verdict report, drawn by Qt: the Qt flavour of the HTML report laid out by QTextDocument
and painted page by page onto a QPdfWriter, with a footer carrying the page number.

Text stays text (selectable, searchable, extractable); fonts are embedded by Qt. The CLI is
headless, so when no Qt application exists one is created on the offscreen platform.
"""

from __future__ import annotations

from typing import Any

from factdesk.domain.errors import FactdeskError, InvalidInputError
from factdesk.reports.html import render_qt_html
from factdesk.reports.model import ReportData, format_dt

PAPERS = ("a4", "letter")

# Layout happens in CSS pixels (96 per inch) and is scaled to the writer's resolution, so the
# report looks the same whatever the device resolution.
_CSS_DPI = 96
_PDF_DPI = 1200
_MARGIN_MM = (16.0, 14.0, 16.0, 12.0)  # left, top, right, bottom (the footer sits above bottom)
_FOOTER_PX = 28

_app: Any = None  # the offscreen QGuiApplication we created, kept alive for the process


def _ensure_gui_application() -> None:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QGuiApplication

    global _app
    existing = QCoreApplication.instance()
    if existing is None:
        _app = QGuiApplication(["factdesk", "-platform", "offscreen"])
    elif not isinstance(existing, QGuiApplication):
        raise FactdeskError(
            "PDF export needs Qt's GUI module, but a console-only Qt application is running. "
            "Export to HTML instead, or run the export from the factdesk window or command line."
        )


def _plain_font(font_class: Any, point_size: int = -1) -> Any:
    font = font_class("DejaVu Sans", point_size)
    # Ligatures would put "ﬁ" glyphs in copied and searched text: "Oﬃcials" matches no search.
    for feature in ("liga", "clig"):
        font.setFeature(font_class.Tag(feature), 0)
    return font


def render_pdf(data: ReportData, *, paper: str = "a4") -> bytes:
    """The report as PDF bytes on A4 or US Letter paper."""
    if paper.lower() not in PAPERS:
        raise InvalidInputError(f"Unknown paper size {paper!r}: use one of {', '.join(PAPERS)}.")
    _ensure_gui_application()

    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt
    from PySide6.QtGui import (
        QColor,
        QFont,
        QFontMetricsF,
        QPageLayout,
        QPageSize,
        QPainter,
        QPdfWriter,
        QTextDocument,
        QTextOption,
    )

    out = QByteArray()
    buffer = QBuffer(out)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(_PDF_DPI)
    size_id = QPageSize.PageSizeId.A4 if paper.lower() == "a4" else QPageSize.PageSizeId.Letter
    writer.setPageLayout(
        QPageLayout(
            QPageSize(size_id),
            QPageLayout.Orientation.Portrait,
            QMarginsF(*_MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    title = data.articles[0].article.title if len(data.articles) == 1 else data.scope
    writer.setTitle(f"Verdict report — {title}")
    writer.setCreator("factdesk")

    scale = _PDF_DPI / _CSS_DPI
    paint_rect = writer.pageLayout().paintRectPixels(_PDF_DPI)
    width = paint_rect.width() / scale
    body_height = paint_rect.height() / scale - _FOOTER_PX

    doc = QTextDocument()
    doc.setUseDesignMetrics(True)  # glyph advances independent of screen hinting
    doc.setDocumentMargin(0)
    doc.setDefaultFont(_plain_font(QFont, point_size=9))
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)  # 64-digit hashes
    doc.setDefaultTextOption(option)
    doc.setHtml(render_qt_html(data))
    # A little narrower than the clip so the right border of full-width tables is not cut off.
    doc.setPageSize(QSizeF(width - 2, body_height))
    pages = doc.pageCount()

    footer_font = _plain_font(QFont)
    footer_font.setPixelSize(10)  # CSS pixels: a point size would be scaled twice
    who = " ".join((data.organisation or data.reviewer).split())
    # Elided so a long organisation name never runs into the page number.
    footer_left = QFontMetricsF(footer_font).elidedText(
        f"Verdict report · {who} · {format_dt(data.generated_at)}",
        Qt.TextElideMode.ElideMiddle,
        width - 110,
    )
    painter = QPainter(writer)
    try:
        painter.scale(scale, scale)
        for page in range(pages):
            if page:
                writer.newPage()
            painter.save()
            painter.translate(0, -page * body_height)
            doc.drawContents(painter, QRectF(-1, page * body_height, width + 2, body_height))
            painter.restore()
            painter.save()
            painter.setFont(footer_font)
            painter.setPen(QColor("#57606a"))
            footer = QRectF(0, body_height + 8, width, _FOOTER_PX - 8)
            painter.drawLine(0, int(body_height + 4), int(width), int(body_height + 4))
            align = Qt.AlignmentFlag.AlignVCenter
            painter.drawText(footer, int(align | Qt.AlignmentFlag.AlignLeft), footer_left)
            painter.drawText(
                footer, int(align | Qt.AlignmentFlag.AlignRight), f"Page {page + 1} of {pages}"
            )
            painter.restore()
    finally:
        painter.end()
    buffer.close()
    return bytes(out.data())
