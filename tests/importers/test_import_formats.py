"""Saved web pages, PDFs and Word files: the article text in order, with its metadata."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from _importer_makers import DOCX_MEDIA, make_docx, make_pdf

from factdesk.importers import read_bytes, read_clipboard, read_file

PARAGRAPHS = [
    "Russia said on Friday that its forces had taken control of the salt-mining town of Soledar "
    "in eastern Ukraine, claiming to have made its first big battlefield gain after half a year "
    "of military setbacks.",
    "Russian forces captured the town, long the focus of heavy fighting and bombardment, on "
    "Thursday evening, the defence ministry said.",
    "Kyiv said fighting was still going on.",
    "It said this would make it possible to cut off Ukrainian supply routes to the larger town "
    "of Bakhmut, to the southwest, and trap remaining Ukrainian forces there.",
]


def news_page(paragraphs: list[str], *, charset: str = "utf-8") -> str:
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="{charset}">
<title>Russia claims Soledar | The Daily Example</title>
<meta property="og:site_name" content="The Daily Example">
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2023-01-13T10:00:00Z">
<link rel="canonical" href="https://daily.example/world/soledar">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/login">Sign in to your account</a></li></ul></nav>
<header><div class="banner">Subscribe now for unlimited access to all our journalism</div></header>
<main><article><h1>Russia claims Soledar</h1>
{body}</article></main>
<aside><h3>Most read</h3><ul><li><a href="/a">Celebrity chef opens new restaurant</a></li>
<li><a href="/b">Ten tips for a better night's sleep</a></li></ul></aside>
<footer><p>Copyright 2023 The Daily Example. All rights reserved.</p>
<a href="/privacy">Privacy policy</a> <a href="/cookies">Cookie settings</a></footer>
</body></html>"""


def test_saved_page_gives_article_text_without_navigation_and_its_metadata(
    tmp_path: Path,
) -> None:
    path = tmp_path / "soledar.html"
    path.write_text(news_page(PARAGRAPHS), encoding="utf-8")
    doc = read_file(path)
    lines = doc.text.split("\n")
    for paragraph in PARAGRAPHS:
        assert paragraph in lines
    assert [lines.index(p) for p in PARAGRAPHS] == sorted(lines.index(p) for p in PARAGRAPHS)
    for boilerplate in ("Sign in", "Subscribe now", "Celebrity chef", "Copyright", "Cookie"):
        assert boilerplate not in doc.text
    assert doc.title == "Russia claims Soledar"
    assert doc.outlet == "The Daily Example"
    assert doc.authors == ("Jane Roe",)
    assert doc.published == date(2023, 1, 13)
    assert doc.url == "https://daily.example/world/soledar"
    assert doc.source_format == "html"
    assert doc.original_media_type == "text/html"
    assert doc.original_bytes == path.read_bytes()


def test_page_in_windows_1251_that_claims_utf8_is_still_read_correctly() -> None:
    russian = [
        "Министерство обороны России заявило в пятницу, что его силы взяли под контроль город "
        "Соледар на востоке Украины.",
        "Киев заявил, что бои продолжаются, и опроверг это заявление.",
    ]
    data = news_page(russian, charset="utf-8").encode("cp1251")
    doc = read_bytes(data, "page.htm")
    for paragraph in russian:
        assert paragraph in doc.text.split("\n")


def test_declared_legacy_charset_is_honoured() -> None:
    text = ["Le ministère a déclaré que la ville était tombée, selon l’armée russe. " * 3]
    doc = read_bytes(news_page(text, charset="windows-1252").encode("cp1252"), "fr.html")
    assert text[0].strip() in doc.text


def test_short_fragment_page_keeps_its_text() -> None:
    doc = read_bytes(b"<html><body><p>Only one short line.</p></body></html>", "tiny.html")
    assert doc.text == "Only one short line."


def test_clipboard_html_is_extracted_and_plain_text_is_the_fallback() -> None:
    html = (
        "<html><body><!--StartFragment--><h2>Soledar</h2><p>Russia said on <b>Friday</b> that "
        "its forces had taken the town.</p><p>Kyiv denied it.</p><!--EndFragment--></body></html>"
    )
    doc = read_clipboard(html, "ignored plain text")
    assert "Russia said on Friday that its forces had taken the town." in doc.text.split("\n")
    assert "Kyiv denied it." in doc.text.split("\n")
    assert doc.source_format == "clipboard"
    assert "<b>" not in doc.text
    plain = read_clipboard("<html><body><script>x()</script></body></html>", "Plain words here.")
    assert plain.text == "Plain words here."
    assert plain.source_format == "clipboard"
    assert read_clipboard(None, "Only text.").text == "Only text."


def test_pdf_paragraphs_are_rebuilt_from_wrapped_lines_in_reading_order(tmp_path: Path) -> None:
    heading = "Russia claims Soledar"
    data = make_pdf(
        [[heading, *PARAGRAPHS[:2]], PARAGRAPHS[2:]],
        title="Soledar report",
        author="Jane Roe; John Doe",
        heading_first=True,
    )
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    doc = read_file(path)
    assert doc.text.split("\n") == [heading, *PARAGRAPHS]
    assert doc.title == "Soledar report"
    assert doc.authors == ("Jane Roe", "John Doe")
    assert doc.source_format == "pdf"
    assert doc.original_media_type == "application/pdf"
    assert doc.original_bytes == data


def test_pdf_page_numbers_are_dropped_and_split_paragraphs_joined() -> None:
    first = (
        "The ministry said the operation had been planned for weeks and that its troops had "
        "cleared the last"
    )
    pages = [
        [first, "1"],
        ["districts of the town by Thursday evening.", "Kyiv denied it.", "2"],
        ["Fighting continued on Saturday.", "3"],
    ]
    doc = read_bytes(make_pdf(pages), "report.pdf")
    assert doc.text.split("\n") == [
        first + " districts of the town by Thursday evening.",
        "Kyiv denied it.",
        "Fighting continued on Saturday.",
    ]
    assert doc.title.startswith("The ministry said the operation")


def test_pdf_in_two_columns_reads_down_each_column_without_breaking_sentences() -> None:
    paragraphs = PARAGRAPHS * 4
    doc = read_bytes(make_pdf([paragraphs], width=40, columns=2), "columns.pdf")
    assert doc.text.split("\n") == paragraphs


def test_pdf_with_an_empty_owner_password_still_opens() -> None:
    import io

    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(make_pdf([PARAGRAPHS[:1]])))
    writer.encrypt(user_password="", owner_password="owner-secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    assert read_bytes(out.getvalue(), "locked.pdf").text == PARAGRAPHS[0]


def test_docx_paragraphs_headings_and_tables_come_in_document_order(tmp_path: Path) -> None:
    data = make_docx(
        [
            ("Title", "Russia claims Soledar"),
            ("Normal", PARAGRAPHS[0]),
            ("Heading 1", "What Kyiv says"),
            ("Normal", PARAGRAPHS[2]),
            ("table", "Town|Claimed by\nSoledar|Russia"),
            ("Normal", ""),
            ("Normal", PARAGRAPHS[3]),
        ],
        author="Jane Roe",
    )
    path = tmp_path / "draft.docx"
    path.write_bytes(data)
    doc = read_file(path)
    assert doc.text == "\n".join(
        [
            "Russia claims Soledar",
            "",
            PARAGRAPHS[0],
            "",
            "What Kyiv says",
            "",
            PARAGRAPHS[2],
            "Town | Claimed by",
            "Soledar | Russia",
            PARAGRAPHS[3],
        ]
    )
    assert doc.title == "Russia claims Soledar"
    assert doc.authors == ("Jane Roe",)
    assert doc.source_format == "docx"
    assert doc.original_media_type == DOCX_MEDIA


def test_content_decides_over_a_wrong_extension() -> None:
    pdf = make_pdf([PARAGRAPHS[:1]])
    assert read_bytes(pdf, "download.htm").source_format == "pdf"
    docx = make_docx([("Normal", PARAGRAPHS[1])])
    assert read_bytes(docx, "attachment.pdf.bin").source_format == "docx"


def test_pdf_printed_by_a_real_layout_engine_keeps_paragraphs_and_plain_letters() -> None:
    """Qt's text layout justifies, kerns and uses ligatures like a word processor (Qt only here,
    to make the file: the importer itself never touches Qt)."""
    qt_gui = pytest.importorskip("PySide6.QtGui")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    _app = qt_gui.QGuiApplication.instance() or qt_gui.QGuiApplication([])
    paragraphs = [*PARAGRAPHS, "Offices were “fine”, officials said – déjà vu."] * 12
    buffer = QByteArray()
    device = QBuffer(buffer)
    device.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = qt_gui.QPdfWriter(device)
    writer.setPageSize(qt_gui.QPageSize(qt_gui.QPageSize.PageSizeId.A4))
    writer.setTitle("Soledar")
    document = qt_gui.QTextDocument()
    document.setHtml("<h1>Russia claims Soledar</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs))
    document.print_(writer)
    device.close()
    doc = read_bytes(bytes(buffer), "printed.pdf")
    assert doc.text.split("\n") == ["Russia claims Soledar", *paragraphs]
    assert doc.title == "Soledar"
