"""Plain text and Markdown: every common encoding, normalised text, readable Markdown."""

from __future__ import annotations

import codecs
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factdesk.domain import ImportFailedError
from factdesk.importers import normalize, read_bytes, read_file, read_text

SAMPLES = Path("/work/shared/samples")

ENGLISH = "Café prices rose 12% in 2023, the ministry said.\nThe “naïve” estimate was wrong."
RUSSIAN = "Россия заявила, что её силы взяли под контроль город Соледар.\nЭто не подтверждено."
UKRAINIAN = "Україна заперечує, що Соледар захоплено; бої тривають.\nЇжак і ґанок."


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (ENGLISH, "utf-8"),
        (ENGLISH, "utf-8-sig"),
        (ENGLISH, "utf-16"),  # with BOM
        (ENGLISH, "utf-16-le"),  # without BOM
        (ENGLISH, "utf-16-be"),
        (ENGLISH, "cp1252"),
        (ENGLISH.replace("“", '"').replace("”", '"'), "latin-1"),
        (RUSSIAN, "koi8-r"),
        (RUSSIAN, "cp1251"),
        (RUSSIAN, "utf-16"),
        (UKRAINIAN, "cp1251"),
        (UKRAINIAN, "utf-8"),
    ],
)
def test_text_in_any_common_encoding_reads_as_written(text: str, encoding: str) -> None:
    doc = read_bytes(text.encode(encoding), "article.txt")
    assert doc.text == text
    assert doc.source_format == "txt"
    assert doc.original_bytes == text.encode(encoding)
    assert doc.original_media_type == "text/plain"
    assert doc.original_name == "article.txt"


def test_utf8_with_stray_windows_1252_bytes_is_repaired_not_garbled() -> None:
    data = "Zürich: “first part” in UTF-8. ".encode() + "Then café in Windows-1252.".encode(
        "cp1252"
    )
    doc = read_bytes(data, "mixed.txt")
    assert doc.text == "Zürich: “first part” in UTF-8. Then café in Windows-1252."


def test_utf8_russian_with_stray_windows_1251_bytes_is_repaired() -> None:
    data = "Россия заявила: «Соледар взят». ".encode() + "Киев это отрицает.".encode("cp1251")
    assert (
        read_bytes(data, "mixed.txt").text == "Россия заявила: «Соледар взят». Киев это отрицает."
    )


def test_windows_line_endings_nbsp_and_decomposed_accents_are_normalised() -> None:
    raw = "Title line\r\n\r\n\r\n\r\nCafe\u0301\u00a0\u00a0costs  €5.\tReally.   \r\nLast\rline\u2028end"
    doc = read_bytes(raw.encode("utf-8"), "a.txt")
    assert doc.text == "Title line\n\nCafé costs €5. Really.\nLast\nline\nend"
    assert unicodedata.is_normalized("NFC", doc.text)


def test_title_is_first_line_when_it_reads_like_a_heading() -> None:
    assert read_text("Russia claims Soledar\nRussia said on Friday...").title == (
        "Russia claims Soledar"
    )
    long_first = "Russia said on Friday that its forces had taken the town, officials said."
    doc = read_text(long_first + "\nMore text.")
    assert doc.title == "Russia said on Friday that its forces had taken the…"
    assert read_text("x", title="  Given   title ").title == "Given title"


def test_pasted_text_keeps_paragraphs_and_source_format() -> None:
    doc = read_text("  First paragraph.  \n\n\n Second paragraph.\r\n", source_format="paste")
    assert doc.text == "First paragraph.\n\nSecond paragraph."
    assert doc.source_format == "paste"
    assert doc.original_bytes is None


@pytest.mark.parametrize("text", ["", "   \n\t\r\n  ", "\u00a0\u2028\ufeff"])
def test_pasting_nothing_is_refused(text: str) -> None:
    with pytest.raises(ImportFailedError, match="no text"):
        read_text(text)


def test_markdown_is_shown_as_plain_text_with_headings_on_their_own_lines() -> None:
    source = (
        "---\ntitle: Soledar fact check\nauthor: Jane Roe, John Doe\ndate: 2023-01-13\n---\n"
        "# Russia claims **Soledar**\n\n"
        "Russia [said](https://example.org/a_(b)) on *Friday* that its forces\n"
        "had taken `the town`.\n\n"
        "Ukraine\n-------\n\n"
        "- denied it\n- said fighting continues\n\n"
        "> Quoted line\n\n"
        "![map](map.png)\n\n"
        "[ref]: https://example.org\n"
    )
    doc = read_bytes(source.encode(), "check.md")
    assert doc.text == (
        "Russia claims Soledar\n\n"
        "Russia said on Friday that its forces had taken the town.\n\n"
        "Ukraine\n\n"
        "- denied it\n- said fighting continues\n\n"
        "Quoted line"
    )
    assert doc.title == "Soledar fact check"
    assert doc.authors == ("Jane Roe", "John Doe")
    assert str(doc.published) == "2023-01-13"
    assert doc.source_format == "md"
    assert doc.original_media_type == "text/markdown"


def test_markdown_title_defaults_to_first_heading() -> None:
    doc = read_bytes(b"Intro words.\n\n## The *real* heading\n\nBody.", "n.markdown")
    assert doc.title == "The real heading"


def test_html_saved_with_a_txt_name_is_read_as_a_page() -> None:
    page = (
        "<!DOCTYPE html><html><head><title>Page</title></head><body>"
        "<p>A paragraph of the article that is long enough to keep around.</p></body></html>"
    )
    doc = read_bytes(page.encode(), "saved.txt")
    assert doc.source_format == "html"
    assert "<p>" not in doc.text
    assert "A paragraph of the article" in doc.text


def test_real_sample_article_keeps_one_paragraph_per_line() -> None:
    sample = SAMPLES / "soledar-reuters.txt"
    if not sample.exists():
        pytest.skip("shared sample articles are not on this machine")
    raw = sample.read_text(encoding="utf-8")
    doc = read_file(sample)
    assert doc.text == normalize(raw)
    assert len(doc.text.split("\n")) == len([p for p in raw.splitlines() if p.strip()])
    assert doc.original_bytes == sample.read_bytes()


@given(st.text())
def test_normalize_is_idempotent_and_clean(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert "\r" not in once and "\t" not in once and "\n\n\n" not in once
    assert all(line == line.strip(" ") for line in once.split("\n"))


def test_every_unicode_space_becomes_an_ascii_space_or_a_line_break() -> None:
    spaces = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
    text = "".join(f"a{space}b\n" for space in spaces)
    lines = normalize(text).split("\n")
    # every space between two words leaves exactly one ASCII space or one line break behind
    assert {line for line in lines if line} <= {"a b", "a", "b", "ab"}
    assert all(not any(ch.isspace() for ch in line if ch != " ") for line in lines)


@given(st.text(alphabet=st.sampled_from([*" \t\n\r\xa0\u2009\u3000\x0b\x0c\x85\u2028ab"])))
def test_runs_of_any_spaces_become_one_space(text: str) -> None:
    once = normalize(text)
    assert "  " not in once
    assert once.replace(" ", "").replace("\n", "") == text.translate(
        {ord(c): None for c in text if c.isspace()}
    )


@given(st.text(min_size=1))
def test_pasted_text_survives_a_utf8_file_roundtrip(text: str) -> None:
    try:
        pasted = read_text(text)
    except ImportFailedError:
        return
    again = read_bytes(codecs.BOM_UTF8 + pasted.text.encode("utf-8"), "again.txt")
    if again.source_format == "txt":
        assert again.text == pasted.text


def test_text_wrapped_at_a_fixed_width_is_joined_back_into_paragraphs() -> None:
    import textwrap

    paragraphs = [
        "Russia said on Friday that its forces had taken control of the salt-mining town of "
        "Soledar in eastern Ukraine, claiming its first big gain after half a year of setbacks.",
        "Kyiv said fighting was still going on and that its forces had not been encircled.",
    ]
    wrapped = "SOLEDAR (Reuters)\n\n" + "\n\n".join(textwrap.fill(p, 68) for p in paragraphs)
    wrapped += "\n\n- first point\n- second point\n\nJane Roe\nReuters"
    doc = read_bytes(wrapped.encode("utf-8"), "wire.txt")
    assert doc.text.split("\n\n") == [
        "SOLEDAR (Reuters)",
        *paragraphs,
        "- first point\n- second point",
        "Jane Roe\nReuters",
    ]
    assert read_text(wrapped).text == doc.text


def test_text_with_long_paragraph_lines_is_left_as_it_is() -> None:
    text = "Heading\n" + "A long paragraph line that goes on. " * 5 + "\nShort line.\nAnother one."
    assert read_text(text).text == normalize(text)
