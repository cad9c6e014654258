"""The PDF report: the same content as text a reader can select and search, on A4 or Letter."""

from __future__ import annotations

import io
import os
import re
from dataclasses import replace

import pytest
from conftest import HEAD, HOSTILE, build

from factdesk.domain import InvalidInputError
from factdesk.reports import ArticleReport, ClaimReport, ReportData, render
from factdesk.reports.pdf import VERDICT_COLORS

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
pypdf = pytest.importorskip("pypdf")


def pdf_text(content: bytes) -> tuple[list[str], pypdf.PdfReader]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages], reader


@pytest.fixture(scope="module")
def a4() -> bytes:
    return render(build(), "pdf")


def test_pdf_text_holds_every_claim_and_the_report_content(a4: bytes) -> None:
    pages, reader = pdf_text(a4)
    text = " ".join(pages)
    data = build()
    for _, cr in data.claims:
        assert cr.claim.text in text, cr.claim.text
    for expected in (
        "Verdict report", "Unemployment falls again", "Daily Example", "Ana Checker",
        "Example Fact Check", "Building permits show 640 completions.", "Misleading",
        "Labour market bulletin, April", "accessed 2024-05-02", "permits-2023.pdf",
        "Evidence appendix", "factdesk board verify", "Set status to verified",
    ):  # fmt: skip
        assert expected in text, expected
    # hashes may wrap inside a cell but their characters are all there
    squeezed = text.replace(" ", "")
    assert HEAD in squeezed and "5e" * 32 in squeezed
    assert reader.metadata is not None and reader.metadata.title == "Verdict report — Whole board"


def test_every_page_is_numbered(a4: bytes) -> None:
    pages, _ = pdf_text(a4)
    assert len(pages) >= 2
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page


def test_paper_sizes(a4: bytes) -> None:
    letter = render(build(), "pdf", paper="letter")
    size_a4 = pypdf.PdfReader(io.BytesIO(a4)).pages[0].mediabox
    size_letter = pypdf.PdfReader(io.BytesIO(letter)).pages[0].mediabox
    assert (round(float(size_a4.width)), round(float(size_a4.height))) == (595, 842)
    assert (round(float(size_letter.width)), round(float(size_letter.height))) == (612, 792)
    with pytest.raises(InvalidInputError, match="paper"):
        render(build(), "pdf", paper="tabloid")


def test_markup_is_printed_as_text() -> None:
    pages, _ = pdf_text(render(build(HOSTILE), "pdf"))
    assert "<script>alert(1)</script><img src=x onerror=alert(2)>" in " ".join(pages)


def test_single_article_title_in_metadata(data: ReportData) -> None:
    one = ReportData(**{**data.__dict__, "articles": data.articles[:1]})
    reader = pypdf.PdfReader(io.BytesIO(render(one, "pdf")))
    assert reader.metadata is not None
    assert reader.metadata.title == "Verdict report — Unemployment falls again"


def _fill_colours(content: bytes) -> set[tuple[int, int, int]]:
    """The fill colours painted on every page, as 0-255 RGB."""
    found = set()
    for page in pypdf.PdfReader(io.BytesIO(content)).pages:
        stream = page.get_contents()
        assert stream is not None
        ops = stream.get_data().decode("latin-1")
        for r, g, b in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) (?:rg|scn|sc)\b", ops):
            found.add((round(float(r) * 255), round(float(g) * 255), round(float(b) * 255)))
    return found


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return (int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16))


def test_each_claim_is_tinted_by_its_verdict(a4: bytes) -> None:
    colours = _fill_colours(a4)
    for status, (_ink, tint) in VERDICT_COLORS.items():
        assert _rgb(tint) in colours, status
    assert _rgb("#fff3b0") not in colours, "the one yellow of every claim before"


def _bare(data: ReportData, copies: int) -> ReportData:
    """`copies` times every claim, none with evidence, explanation or history."""
    article = data.articles[0]
    claims = tuple(
        ClaimReport(replace(cr.claim, id=f"{cr.claim.id}-{i}", explanation=""))
        for i in range(copies)
        for cr in article.claims
    )
    return replace(data, articles=(ArticleReport(article.article, claims),), include_history=False)


def test_claims_without_evidence_take_a_few_lines_each(data: ReportData) -> None:
    bare = _bare(data, 30)
    n = len(bare.articles[0].claims)
    pages, _ = pdf_text(render(bare, "pdf"))
    assert n == 90 and len(pages) * 8 <= n, f"{len(pages)} pages for {n} claims"
    assert " ".join(pages).count("No evidence attached.") == n


def test_a_repeat_names_the_claim_it_repeats(data: ReportData) -> None:
    article = data.articles[0]
    first, second = article.claims[0], article.claims[1]
    repeat = ClaimReport(replace(second.claim, duplicate_of=first.claim.id), second.links)
    one = replace(data, articles=(ArticleReport(article.article, (first, repeat)),))
    pages, _ = pdf_text(render(one, "pdf"))
    assert "Claim 2 " in pages[0] and "repeat of claim 1" in pages[0]


def test_a_window_can_still_open_in_a_process_that_exported_a_pdf_first() -> None:
    """Qt allows one application object per process: the PDF export must not leave a kind the
    window cannot use (a bare QGuiApplication made every later widget abort the process)."""
    import subprocess
    import sys
    from pathlib import Path

    tests = Path(__file__).resolve().parent
    script = (
        f"import sys; sys.path.insert(0, {str(tests)!r})\n"
        "from conftest import build\n"
        "from factdesk.reports import render\n"
        "assert render(build(), 'pdf').startswith(b'%PDF')\n"
        "from PySide6.QtWidgets import QLabel\n"
        "label = QLabel('after the export'); label.show()\n"
        "print('shown', label.isVisible())\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "shown True"
