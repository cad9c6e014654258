"""Benchmark: every report format for a 1,000-claim board (20 articles x 50 claims, two evidence
links per claim, history included). Run on demand:

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_reports.py
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from factdesk.domain import (
    ArticleRecord,
    AttachmentRecord,
    ClaimKind,
    ClaimOrigin,
    ClaimRecord,
    ClaimStatus,
    EvidenceKind,
    EvidenceLinkRecord,
    EvidenceRecord,
    HistoryEventRecord,
    Stance,
)
from factdesk.reports import FORMATS, ArticleReport, ClaimReport, ReportData, write

T0 = datetime(2024, 5, 2, 9, 30, tzinfo=UTC)
STATUSES = (ClaimStatus.VERIFIED, ClaimStatus.DISPUTED, ClaimStatus.UNVERIFIED)


def board(n_articles: int = 20, per_article: int = 50) -> ReportData:
    articles = []
    for a in range(n_articles):
        sentences = [
            f"Officials in region {a} said on Monday that output rose {c + 1}.{a} percent in "
            f"quarter {c % 4 + 1}, the highest figure since {1990 + c}."
            for c in range(per_article)
        ]
        text = f"Article {a} headline\n" + " ".join(sentences)
        art = ArticleRecord(
            id=f"a{a}", title=f"Economy report {a}", outlet="Daily Example", authors=("Sam Writer",),
            published=date(2024, 4, 30), url=f"https://news.example/{a}", language="en",
            text=text, sha256="ab" * 32, source_format="html", imported_at=T0,
            original_attachment_id=None, created_at=T0, updated_at=T0,
        )  # fmt: skip
        claims = []
        for c in range(per_article):
            claim_text = f"output rose {c + 1}.{a} percent in quarter {c % 4 + 1}"
            start = text.index(claim_text)
            cid = f"c{a}-{c}"
            claim = ClaimRecord(
                id=cid, article_id=art.id, start=start, end=start + len(claim_text),
                text=claim_text, score=0.8, kind=ClaimKind.STATISTIC,
                claimant=f"Officials in region {a}", origin=ClaimOrigin.DETECTED,
                status=STATUSES[c % 3], explanation="The statistics bulletin gives this figure.",
                rating="Mostly true" if c % 3 == 0 else "", dismissed=False, reviewer="Ana",
                duplicate_of=None, entities=(), created_at=T0, updated_at=T0, n_evidence=2,
            )  # fmt: skip
            url = EvidenceRecord(
                id=f"e{cid}", kind=EvidenceKind.URL, url=f"https://stats.example/{a}/{c}",
                title="Quarterly bulletin", publisher="Statistics Office", author="",
                published=date(2024, 4, 1), accessed=date(2024, 5, 1),
                quote="Output rose in the quarter.", notes="", attachment=None,
                created_at=T0, updated_at=T0,
            )  # fmt: skip
            att = AttachmentRecord(
                id=f"f{cid}", sha256=f"{a:02x}{c:02x}" * 16, size=120_000,
                media_type="application/pdf", filename=f"bulletin-{a}-{c}.pdf", created_at=T0,
            )  # fmt: skip
            file = EvidenceRecord(
                id=f"g{cid}", kind=EvidenceKind.FILE, url="", title="Bulletin PDF", publisher="",
                author="", published=None, accessed=None, quote="", notes="Table 2.",
                attachment=att, created_at=T0, updated_at=T0,
            )  # fmt: skip
            links = (
                EvidenceLinkRecord(f"l{cid}", cid, Stance.SUPPORTS, "", url, T0),
                EvidenceLinkRecord(f"m{cid}", cid, Stance.CONTEXT, "See table", file, T0),
            )
            history = tuple(
                HistoryEventRecord(
                    seq=i,
                    id=f"h{cid}-{i}",
                    at=T0 + timedelta(minutes=i),
                    actor="Ana",
                    action_id=f"x{i}",
                    action="Set status",
                    op="update",
                    entity="claim",
                    entity_id=cid,
                    claim_id=cid,
                    article_id=art.id,
                    before={"status": "unverified"},
                    after={"status": str(claim.status)},
                    prev_hash="0" * 64,
                    hash="1" * 64,
                )
                for i in range(3)
            )
            claims.append(ClaimReport(claim, links, history))
        articles.append(ArticleReport(art, tuple(claims)))
    return ReportData(
        generated_at=datetime.now(UTC), reviewer="Ana", organisation="Example Fact Check",
        organisation_url="https://factcheck.example/", head_hash="9f" * 32, scope="Whole board",
        articles=tuple(articles), include_history=True,
    )  # fmt: skip


def html_pdf(data: ReportData) -> bytes:
    """The PDF as it was made before (the Qt HTML report laid out by QTextDocument, its tables
    included, painted page by page with drawContents), for the before/after figures."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

    from factdesk.reports import pdf, render_qt_html

    pdf._ensure_gui_application()
    out = QByteArray()
    buffer = QBuffer(out)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(1200)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(16, 14, 16, 12),
            QPageLayout.Unit.Millimeter,
        )
    )
    scale = 1200 / 96
    rect = writer.pageLayout().paintRectPixels(1200)
    width, height = rect.width() / scale, rect.height() / scale - 28
    doc = QTextDocument()
    doc.setUseDesignMetrics(True)
    doc.setDocumentMargin(0)
    doc.setDefaultFont(pdf._plain_font(QFont, point_size=9))
    doc.setHtml(render_qt_html(data))
    doc.setPageSize(QSizeF(width - 2, height))
    painter = QPainter(writer)
    painter.scale(scale, scale)
    for page in range(doc.pageCount()):
        if page:
            writer.newPage()
        painter.save()
        painter.translate(0, -page * height)
        doc.drawContents(painter, QRectF(-1, page * height, width + 2, height))
        painter.restore()
    painter.end()
    buffer.close()
    return bytes(out.data())


def without_evidence(data: ReportData) -> ReportData:
    """The same board before any evidence, explanation or history: claims only."""
    bare = tuple(
        ArticleReport(
            a.article,
            tuple(ClaimReport(replace(c.claim, explanation="", n_evidence=0)) for c in a.claims),
        )
        for a in data.articles
    )
    return replace(data, articles=bare, include_history=False)


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import io

    import pypdf

    from factdesk.reports.pdf import render_pdf

    data = board()
    n = sum(len(a.claims) for a in data.articles)
    print(
        f"reports of a {n}-claim board ({len(data.articles)} articles, 2 links per claim, history)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in FORMATS:
            started = time.perf_counter()
            written = write(data, fmt, Path(tmp) / f"board.{fmt}")
            seconds = time.perf_counter() - started
            size = sum(p.stat().st_size for p in written)
            extra = ""
            if fmt == "pdf":
                extra = f", {len(pypdf.PdfReader(written[0]).pages)} pages"
            print(f"  {fmt:12s} {seconds:6.2f} s  {size / 1e6:6.2f} MB{extra}")
    print(
        "PDF before (HTML + tables, drawContents per page) and now, alternating, best of 2 "
        "(wall / CPU seconds: on a shared machine the CPU figure is the steadier one):"
    )
    for label, case in (("full board", data), ("claims only", without_evidence(data))):
        best: dict[str, tuple[float, float, int]] = {}
        for _ in range(2):
            for name, fn in (("before", html_pdf), ("now", render_pdf)):
                started, cpu = time.perf_counter(), time.process_time()
                content = fn(case)
                seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
                pages = len(pypdf.PdfReader(io.BytesIO(content)).pages)
                if name not in best or seconds < best[name][0]:
                    best[name] = (seconds, cpu, pages)
        (b, bc, bp), (a, ac, ap) = best["before"], best["now"]
        print(
            f"  {label:12s} before {b:5.2f} / {bc:5.2f} s {bp:4d} pages"
            f"   now {a:5.2f} / {ac:5.2f} s {ap:4d} pages   {b / a:4.1f}x faster"
        )


if __name__ == "__main__":
    main()
