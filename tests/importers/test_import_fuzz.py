"""Fuzzing every importer: whatever the bytes, the only error is ImportFailedError, and whatever
is accepted is normalised text. FUZZ_EXAMPLES=2000 in the environment fuzzes longer."""

from __future__ import annotations

import os
import unicodedata
from functools import cache

from _importer_makers import make_docx, make_pdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factdesk.domain import ImportedDocument, ImportFailedError
from factdesk.importers import read_bytes, read_clipboard
from factdesk.importers.reader import read_download

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
ARTICLE = ["Russia said on Friday that its forces had taken Soledar.", "Kyiv denied it."]


@cache
def valid_pdf() -> bytes:
    return make_pdf([ARTICLE, ARTICLE])


@cache
def valid_docx() -> bytes:
    return make_docx([("Heading 1", "Soledar"), ("Normal", ARTICLE[0]), ("Normal", ARTICLE[1])])


def check(data: bytes, name: str) -> None:
    try:
        doc = read_bytes(data, name)
    except ImportFailedError as exc:
        assert exc.source == name
        assert exc.reason
        return
    assert_clean(doc)


def assert_clean(doc: ImportedDocument) -> None:
    assert doc.text.strip()
    assert doc.text == doc.text.strip()
    assert unicodedata.is_normalized("NFC", doc.text)
    assert "\r" not in doc.text and "\n\n\n" not in doc.text


def mutate(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for position, value in edits:
        out[position % len(out)] = value
    return bytes(out)


EDITS = st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), min_size=1, max_size=8)


@FUZZ
@given(st.binary(max_size=2048), st.sampled_from(["a.txt", "a.md", "a.html", "a", "a.htm"]))
def test_text_and_page_importers_only_raise_their_error(data: bytes, name: str) -> None:
    check(data, name)


@FUZZ
@given(st.text(max_size=500), st.sampled_from(["utf-8", "utf-16", "cp1251", "koi8-r"]))
def test_any_text_in_any_encoding_imports_or_is_refused_cleanly(text: str, encoding: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    check(data, "t.txt")


@FUZZ
@given(st.binary(max_size=1024))
def test_pdf_importer_only_raises_its_error_on_junk(data: bytes) -> None:
    check(b"%PDF-1.4\n" + data + b"\n%%EOF\n", "junk.pdf")
    check(data, "junk.pdf")


@FUZZ
@given(EDITS)
def test_pdf_importer_only_raises_its_error_on_a_damaged_pdf(edits: list[tuple[int, int]]) -> None:
    check(mutate(valid_pdf(), edits), "damaged.pdf")


@FUZZ
@given(st.binary(max_size=1024))
def test_docx_importer_only_raises_its_error_on_junk(data: bytes) -> None:
    check(b"PK\x03\x04" + data, "junk.docx")
    check(data, "junk.docx")


@FUZZ
@given(EDITS)
def test_docx_importer_only_raises_its_error_on_a_damaged_docx(
    edits: list[tuple[int, int]],
) -> None:
    check(mutate(valid_docx(), edits), "damaged.docx")


@FUZZ
@given(st.one_of(st.none(), st.text(max_size=300)), st.one_of(st.none(), st.text(max_size=300)))
def test_clipboard_only_raises_its_error(html: str | None, text: str | None) -> None:
    try:
        doc = read_clipboard(html, text)
    except ImportFailedError:
        return
    assert_clean(doc)


@FUZZ
@given(
    st.binary(max_size=1024),
    st.sampled_from(["text/html", "application/pdf", "text/plain", "application/octet-stream"]),
    st.sampled_from([None, "utf-8", "koi8-r", "no-such-charset"]),
)
def test_downloaded_bytes_only_raise_the_import_error(
    data: bytes, media_type: str, charset: str | None
) -> None:
    try:
        doc = read_download(
            data,
            "page.html",
            "https://x.example/",
            url="https://x.example/",
            media_type=media_type,
            charset=charset,
        )
    except ImportFailedError:
        return
    assert_clean(doc)
