"""The PDF report: the same content as text a reader can select and search, on A4 or Letter."""

from __future__ import annotations

import io
import os

import pytest
from conftest import HEAD, HOSTILE, build

from factdesk.domain import InvalidInputError
from factdesk.reports import ReportData, render

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
