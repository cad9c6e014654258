"""The PDF verdict report, drawn by Qt: the report's content written block by block into a
QTextDocument (no HTML to parse, no tables to lay out), paginated by Qt, and painted line by line
onto a QPdfWriter with a footer carrying the page number.

Each claim is tinted by its verdict (green verified, red disputed, amber unverified); a claim with
no evidence, explanation or history takes a few lines instead of a card. Text stays text
(selectable, searchable, extractable); fonts are embedded by Qt. The CLI is headless, so when no
Qt application exists one is created on the offscreen platform.
"""

from __future__ import annotations

from typing import Any

from factdesk.domain.enums import ClaimStatus, Stance
from factdesk.domain.errors import FactdeskError, InvalidInputError
from factdesk.domain.text import claimant_text, visible
from factdesk.reports.html import context, evidence_title, kind_label, paragraphs, verify_sentence
from factdesk.reports.model import (
    ClaimReport,
    ReportData,
    all_claims,
    appendix,
    claim_numbers,
    format_dt,
    history_changes,
    human_size,
    repeat_of,
    status_counts,
    status_label,
)

PAPERS = ("a4", "letter")

# Layout happens in CSS pixels (96 per inch) and is scaled to the writer's resolution, so the
# report looks the same whatever the device resolution.
_CSS_DPI = 96
_PDF_DPI = 1200
_MARGIN_MM = (16.0, 14.0, 16.0, 12.0)  # left, top, right, bottom (the footer sits above bottom)
_FOOTER_PX = 28

INK = "#1b1f24"
MUTED = "#57606a"
SOFT = "#f6f8fa"
#: (text colour, tint) of each verdict: its badge, and the claim's words in their sentence.
VERDICT_COLORS: dict[ClaimStatus, tuple[str, str]] = {
    ClaimStatus.VERIFIED: ("#116329", "#dafbe1"),
    ClaimStatus.DISPUTED: ("#a40e26", "#ffebe9"),
    ClaimStatus.UNVERIFIED: ("#7d4e00", "#fff8c5"),
}
STANCE_COLORS: dict[Stance, str] = {
    Stance.SUPPORTS: "#116329",
    Stance.REFUTES: "#a40e26",
    Stance.CONTEXT: "#444c56",
    Stance.UNSET: "#7d4e00",
}

_app: Any = None  # the offscreen QApplication we created, kept alive for the process


def _ensure_gui_application() -> None:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    global _app
    existing = QCoreApplication.instance()
    if existing is None:
        # A QApplication, not a bare QGuiApplication: Qt allows one application object per
        # process, and a window opened later in this process needs the widgets kind.
        _app = QApplication(["factdesk", "-platform", "offscreen"])
    elif not isinstance(existing, QGuiApplication):
        raise FactdeskError(
            "PDF export needs Qt's GUI module, but a console-only Qt application is running. "
            "Export to HTML instead, or run the export from the factdesk window or command line."
        )


# The Qt enums this module uses. PySide6 creates an enum's Python type on its first use, and
# doing that on the export thread while the GUI thread creates others can crash the process
# (seen once in the suite): the window calls prepare() on its own thread before a PDF export.
_ENUMS = (
    ("QtCore", "QIODevice", "OpenModeFlag"),
    ("QtCore", "Qt", "AlignmentFlag"),
    ("QtCore", "Qt", "BrushStyle"),
    ("QtCore", "Qt", "TextElideMode"),
    ("QtGui", "QFont", "Weight"),
    ("QtGui", "QPageLayout", "Orientation"),
    ("QtGui", "QPageLayout", "Unit"),
    ("QtGui", "QPageSize", "PageSizeId"),
    ("QtGui", "QTextOption", "WrapMode"),
)


def prepare() -> None:
    """Make the Qt types and enums PDF rendering uses, on the calling (GUI) thread."""
    import importlib

    for module, owner, enum in _ENUMS:
        cls = getattr(importlib.import_module(f"PySide6.{module}"), owner)
        for member in getattr(cls, enum):
            int(member.value)
    from PySide6.QtGui import (  # noqa: F401  (each class is made on first import)
        QColor,
        QFont,
        QFontMetricsF,
        QPainter,
        QPdfWriter,
        QTextBlockFormat,
        QTextCharFormat,
        QTextCursor,
        QTextDocument,
    )


def _plain_font(font_class: Any, point_size: int = -1, family: str = "DejaVu Sans") -> Any:
    font = font_class(family, point_size)
    # Ligatures would put "ﬁ" glyphs in copied and searched text: "Oﬃcials" matches no search.
    for feature in ("liga", "clig"):
        font.setFeature(font_class.Tag(feature), 0)
    return font


class _Writer:
    """Appends styled paragraphs to a QTextDocument; formats are made once and reused."""

    def __init__(self, doc: Any) -> None:
        from PySide6.QtGui import QColor, QFont, QTextBlockFormat, QTextCharFormat, QTextCursor

        self._block_format = QTextBlockFormat
        self.cursor = QTextCursor(doc)
        self._first = True

        def char(
            size: float = 9.0,
            *,
            bold: bool = False,
            italic: bool = False,
            color: str = INK,
            background: str | None = None,
            mono: bool = False,
        ) -> Any:
            fmt = QTextCharFormat()
            fmt.setFont(_plain_font(QFont, family="DejaVu Sans Mono" if mono else "DejaVu Sans"))
            fmt.setFontPointSize(size)
            fmt.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
            fmt.setFontItalic(italic)
            fmt.setForeground(QColor(color))
            if background is not None:
                fmt.setBackground(QColor(background))
            return fmt

        self.char = char
        self.body = char()
        self.muted = char(8.5, color=MUTED)
        self.small = char(8, color=MUTED)
        self.label = char(8.5, color=MUTED)
        self.bold = char(bold=True)
        self.italic = char(italic=True)
        self.mono = char(7.5, mono=True)
        self.title = char(18, bold=True)
        self.h2 = char(14, bold=True)
        self.h3 = char(10.5, bold=True)
        self.h4 = char(8, bold=True, color=MUTED)
        self.verdict = {
            s: (char(8, bold=True, color=fg, background=bg), char(bold=True, background=bg))
            for s, (fg, bg) in VERDICT_COLORS.items()
        }
        self.count = {
            s: char(10, bold=True, color=fg, background=bg)
            for s, (fg, bg) in VERDICT_COLORS.items()
        }
        self.stance = {s: char(7.5, bold=True, color=c) for s, c in STANCE_COLORS.items()}
        self.soft = QColor(SOFT)

    def block(
        self, *, top: float = 2, bottom: float = 2, indent: float = 0, shaded: bool = False
    ) -> None:
        fmt = self._block_format()
        fmt.setTopMargin(top)
        fmt.setBottomMargin(bottom)
        fmt.setLeftMargin(indent)
        if shaded:
            fmt.setBackground(self.soft)
        if self._first:
            self.cursor.setBlockFormat(fmt)
            self._first = False
        else:
            self.cursor.insertBlock(fmt)

    def text(self, text: str, fmt: Any = None) -> None:
        if text:
            # one line per block: a stray newline would end the paragraph in the middle;
            # hidden characters (escapes, NUL, direction overrides) shown as <U+XXXX>
            self.cursor.insertText(
                visible(" ".join(text.split("\n"))), fmt if fmt is not None else self.body
            )

    def line(self, *parts: tuple[str, Any], top: float = 2, indent: float = 0) -> None:
        self.block(top=top, indent=indent)
        for text, fmt in parts:
            self.text(text, fmt)


def _build(w: _Writer, data: ReportData) -> None:
    claims = all_claims(data)
    numbers = claim_numbers(data)
    w.line(("Verdict report", w.title), top=0)
    w.line((data.scope, w.muted))
    org = data.organisation or "—"
    if data.organisation_url:
        org += f" · {data.organisation_url}"
    for label, value in (
        ("Reviewer", data.reviewer or "—"),
        ("Organisation", org),
        ("Generated", format_dt(data.generated_at)),
        *([("Articles", str(len(data.articles)))] if len(data.articles) != 1 else []),
        ("Claims", str(len(claims))),
    ):
        w.line((f"{label}   ", w.label), (value, w.body))
    _counts(w, status_counts(claims), top=6)

    several = len(data.articles) != 1
    for ai, ar in enumerate(data.articles, start=1):
        art = ar.article
        prefix = f"{ai}. " if several else ""
        w.line((prefix + (art.title or "Untitled article"), w.h2), top=22)
        meta = [
            ("Outlet", art.outlet or "—"),
            *([("Authors", ", ".join(art.authors))] if art.authors else []),
            *([("Filed from", art.place)] if art.place else []),
            ("URL", art.url or "—"),
            ("Published", art.published.isoformat() if art.published else "—"),
        ]
        w.line(
            *[
                part
                for label, value in meta
                for part in ((f"{label} ", w.label), (value + "   ", w.body))
            ]
        )
        w.line(("Article SHA-256 ", w.label), (art.sha256, w.mono))
        if several:
            _counts(w, status_counts(ar.claims), top=4)
        if not ar.claims:
            w.line(("No claims are on the board for this article.", w.muted), top=6)
        for cr in ar.claims:
            _claim(w, data, cr, numbers, art)

    w.line(("Evidence appendix", w.h2), top=22)
    entries = appendix(data)
    if not entries:
        w.line(("No files are attached to the evidence in this report.", w.muted))
    else:
        w.line(
            (
                "Every file attached as evidence in this report. Each file's SHA-256 identifies "
                "its exact content: a copy whose hash differs is not the file that was reviewed.",
                w.body,
            )
        )
        for e in entries:
            att = e.attachment
            w.line(
                (att.filename, w.bold),
                (f"   {att.media_type or '—'}, {human_size(att.size)}", w.muted),
                (f"   claims {', '.join(e.claim_numbers)}", w.muted),
                top=5,
            )
            if e.evidence_title and e.evidence_title != att.filename:
                w.line((e.evidence_title, w.muted), top=0)
            w.line(("SHA-256 ", w.label), (att.sha256, w.mono), top=0)
    w.line(("CHECKING THIS REPORT AGAINST THE BOARD", w.h4), top=22)
    w.line(("History head hash: ", w.body), (data.head_hash or "— (empty history)", w.mono))
    w.line((verify_sentence(data), w.body))
    from factdesk import __version__

    w.line(
        (
            f"Produced offline by factdesk {__version__}. This file makes no network requests.",
            w.small,
        ),
        top=14,
    )


def _counts(w: _Writer, counts: list[tuple[str, int]], *, top: float) -> None:
    w.block(top=top, bottom=4)
    for i, (status, n) in enumerate(counts):
        if i:
            w.text("    ", w.body)
        w.text(f" {n} {status_label(status)} ", w.count[ClaimStatus(status)])


def _claim(
    w: _Writer, data: ReportData, cr: ClaimReport, numbers: dict[str, str], art: Any
) -> None:
    c = cr.claim
    badge, tint = w.verdict[c.status]
    head: list[tuple[str, Any]] = [
        (f"Claim {numbers[c.id]}  ", w.h3),
        (f" {status_label(c.status).upper()} ", badge),
    ]
    if c.rating:
        head.append((f"  {c.rating}", w.bold))
    if original := repeat_of(c, numbers):
        head.append((f"   repeat of claim {original}", w.muted))
    w.line(*head, top=12)
    before, claim, after = context(art, c)
    w.block(top=3, bottom=1, shaded=True)
    w.text(before, w.body)
    w.text(claim, tint)
    w.text(after, w.body)
    meta = [
        ("Claimant ", w.label),
        (claimant_text(c.claimant), w.body),
        ("   Kind ", w.label),
        (c.kind.label, w.body),
        ("   Priority ", w.label),
        (c.priority.value, w.body),
    ]
    if c.reviewer:
        meta += [
            ("   Reviewed by ", w.label),
            (f"{c.reviewer} · {format_dt(c.updated_at)}", w.body),
        ]
    if cr.links:
        meta += [("   Evidence ", w.label), (str(len(cr.links)), w.body)]
    else:
        meta.append(("   No evidence attached.", w.muted))
    w.line(*meta)
    if c.explanation:
        for i, para in enumerate(paragraphs(c.explanation)):
            w.line(*([("Explanation  ", w.h4)] if i == 0 else []), (para, w.body), top=3)
    for link in cr.links:
        _evidence(w, link)
    if data.include_history:
        if not cr.history:
            w.line(("HISTORY  ", w.h4), ("No history recorded.", w.muted), top=4)
        for i, ev in enumerate(cr.history):
            changes = "; ".join(history_changes(ev))
            w.line(
                ("HISTORY  " if i == 0 else "", w.h4),
                (f"{format_dt(ev.at)}  ", w.muted),
                (f"{ev.actor or '—'}  ", w.muted),
                (ev.action, w.body),
                (f"  {changes}" if changes else "", w.small),
                top=4 if i == 0 else 0,
                indent=0 if i == 0 else 48,
            )


def _evidence(w: _Writer, link: Any) -> None:
    e = link.evidence
    source = [x for x in (e.publisher, e.author) if x]
    if e.published:
        source.append(f"published {e.published.isoformat()}")
    w.line(
        (f"{link.stance.label.upper()}  ", w.stance[link.stance]),
        (evidence_title(e), w.bold),
        (f"  ({kind_label(e.kind)})", w.muted),
        (f"  {' · '.join(source)}" if source else "", w.muted),
        top=4,
        indent=10,
    )
    if e.url:
        accessed = f"  (accessed {e.accessed.isoformat()})" if e.accessed else ""
        w.line(("URL: ", w.label), (e.url, w.body), (accessed, w.muted), top=0, indent=10)
    elif e.accessed:
        w.line((f"Accessed {e.accessed.isoformat()}", w.muted), top=0, indent=10)
    if e.quote:
        w.line((f"“{e.quote}”", w.italic), top=1, indent=10)
    notes = paragraphs(e.notes)
    for para in notes[:-1]:
        w.line((para, w.body), top=1, indent=10)
    last: list[tuple[str, Any]] = [(notes[-1], w.body)] if notes else []
    if link.note:
        last += [("   Note on this claim: " if notes else "Note on this claim: ", w.label)]
        last += [(link.note, w.body)]
    if last:
        w.line(*last, top=1, indent=10)
    if e.attachment:
        att = e.attachment
        w.line(
            (f"File: {att.filename}", w.body),
            (f"  ({human_size(att.size)})  SHA-256 ", w.muted),
            (att.sha256, w.mono),
            top=1,
            indent=10,
        )


def render_pdf(data: ReportData, *, paper: str = "a4") -> bytes:
    """The report as PDF bytes on A4 or US Letter paper."""
    if paper.lower() not in PAPERS:
        raise InvalidInputError(f"Unknown paper size {paper!r}: use one of {', '.join(PAPERS)}.")
    _ensure_gui_application()

    from PySide6.QtCore import (
        QBuffer,
        QByteArray,
        QIODevice,
        QMarginsF,
        QPointF,
        QRectF,
        QSizeF,
        Qt,
    )
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
    doc.setPageSize(QSizeF(width, body_height))
    _build(_Writer(doc), data)
    pages = doc.pageCount()

    footer_font = _plain_font(QFont)
    footer_font.setPixelSize(10)  # CSS pixels: a point size would be scaled twice
    who = visible(" ".join((data.organisation or data.reviewer).split()))
    # Elided so a long organisation name never runs into the page number.
    footer_left = QFontMetricsF(footer_font).elidedText(
        " · ".join(x for x in ("Verdict report", who, format_dt(data.generated_at)) if x),
        Qt.TextElideMode.ElideMiddle,
        width - 110,
    )
    footer = QRectF(0, body_height + 8, width, _FOOTER_PX - 8)
    align = Qt.AlignmentFlag.AlignVCenter
    footer_pen = QColor(MUTED)

    def draw_footer(page: int) -> None:
        painter.save()
        painter.setFont(footer_font)
        painter.setPen(footer_pen)
        painter.drawLine(0, int(body_height + 4), int(width), int(body_height + 4))
        painter.drawText(footer, int(align | Qt.AlignmentFlag.AlignLeft), footer_left)
        painter.drawText(
            footer, int(align | Qt.AlignmentFlag.AlignRight), f"Page {page + 1} of {pages}"
        )
        painter.restore()

    # Every line is painted once, on its page: QTextDocument.drawContents per page walks the
    # whole document each time, which made a 600-page report quadratic.
    layout = doc.documentLayout()
    painter = QPainter(writer)
    try:
        painter.scale(scale, scale)
        page = 0
        block = doc.begin()
        while block.isValid():
            text_layout = block.layout()
            at = text_layout.position()
            shade = block.blockFormat().background()
            shaded = shade.style() != Qt.BrushStyle.NoBrush
            if shaded:
                rect = layout.blockBoundingRect(block)
            for i in range(text_layout.lineCount()):
                line = text_layout.lineAt(i)
                y = at.y() + line.y()
                line_page = min(int((y + line.height() / 2) // body_height), pages - 1)
                while page < line_page:
                    draw_footer(page)
                    writer.newPage()
                    page += 1
                origin = QPointF(at.x(), at.y() - page * body_height)
                if shaded:
                    band = QRectF(rect.left(), origin.y() + line.y(), rect.width(), line.height())
                    painter.fillRect(band, shade)
                line.draw(painter, origin)
            block = block.next()
        while page < pages:
            draw_footer(page)
            if page < pages - 1:
                writer.newPage()
            page += 1
    finally:
        painter.end()
    buffer.close()
    return bytes(out.data())
