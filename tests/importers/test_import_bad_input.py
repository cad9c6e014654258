"""Bad input: each case is refused with an ImportFailedError naming the file and the reason."""

from __future__ import annotations

import io
import os
import random
import zipfile
from pathlib import Path

import pytest
from _importer_makers import make_docx, make_pdf, make_zip_bomb

from factdesk.domain import ImportFailedError
from factdesk.importers import read_bytes, read_file

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
ARTICLE = "Russia said on Friday that its forces had taken the town of Soledar. Kyiv denied it."


def binary_junk() -> bytes:
    return random.Random(7).randbytes(4096)


def truncated_pdf() -> bytes:
    data = make_pdf([[ARTICLE] * 4, [ARTICLE] * 4])
    return data[: len(data) // 2]


def not_a_zip_docx() -> bytes:
    return b"This was supposed to be a Word file but it is plain text.\n" * 3


def zip_without_word_document() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def scan_without_text() -> bytes:
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(make_pdf([[ARTICLE]])))
    writer.encrypt(user_password="s3cret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def damaged_docx() -> bytes:
    """A Word file whose main part is not XML."""
    good = make_docx([("Normal", ARTICLE)])
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = data[: len(data) // 2]
            target.writestr(info, data)
    return out.getvalue()


def docx_with_unknown_zip_version() -> bytes:
    """A zip that claims a newer format than Python's zipfile reads (found by fuzzing)."""
    data = bytearray(make_docx([("Normal", ARTICLE)]))
    entry = data.find(b"PK\x01\x02")
    data[entry + 6 : entry + 8] = (64).to_bytes(2, "little")
    return bytes(data)


# (file name, bytes, words the reason must contain)
BAD_INPUTS: dict[str, tuple[str, bytes, str]] = {
    "empty file": ("empty.txt", b"", "empty"),
    "whitespace only": ("blank.txt", b" \n\t\r\n   \n", "no text"),
    "whitespace only, UTF-16": ("blank16.txt", "  \n\n ".encode("utf-16"), "no text"),
    "binary junk": ("junk.txt", binary_junk(), "binary"),
    "UTF-16 with damaged bytes": (
        "damaged16.txt",
        "\ufeffSoledar".encode("utf-16-le") + b"\x00\xd8" + "town".encode("utf-16-le"),
        "UTF-16-LE text but the bytes after are damaged",
    ),
    "image renamed .txt": ("photo.txt", PNG, "image"),
    "unsupported type": ("budget.xlsx", b"a,b\n1,2\n", "cannot be imported"),
    "old Word format": ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), ".docx"),
    "malformed HTML without text": (
        "broken.html",
        b"<html><head><script>var x = '<p>';</script><body><div><table><tr><td></html",
        "no readable text",
    ),
    "truncated PDF": ("cut.pdf", truncated_pdf(), "incomplete"),
    "named .pdf, not a PDF": ("fake.pdf", b"<html>not really</html>", "not a PDF"),
    "scan with no text layer": ("scan.pdf", scan_without_text(), "OCR"),
    "password-protected PDF": ("locked.pdf", encrypted_pdf(), "password"),
    "DOCX zip bomb": ("bomb.docx", make_zip_bomb(24), "zip bomb"),
    "DOCX not a zip": ("letter.docx", not_a_zip_docx(), "not a Word document"),
    "zip without a Word document": ("sheet.docx", zip_without_word_document(), "not a Word"),
    "damaged DOCX": ("damaged.docx", damaged_docx(), "damaged"),
    "DOCX in an unknown zip version": ("new.docx", docx_with_unknown_zip_version(), "damaged one"),
}


@pytest.fixture(params=sorted(BAD_INPUTS), ids=str)
def bad_file(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    name, data, reason = BAD_INPUTS[request.param]
    path = tmp_path / name
    path.write_bytes(data)
    return path, reason


def test_bad_file_is_refused_with_its_name_and_the_reason(bad_file: tuple[Path, str]) -> None:
    path, reason = bad_file
    with pytest.raises(ImportFailedError) as caught:
        read_file(path)
    assert caught.value.source == str(path)
    assert reason.lower() in caught.value.reason.lower()
    assert str(path) in str(caught.value)


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_bytes_are_refused_the_same_way_from_memory(case: str) -> None:
    name, data, reason = BAD_INPUTS[case]
    with pytest.raises(ImportFailedError, match=f"(?i){reason}") as caught:
        read_bytes(data, name)
    assert caught.value.source == name


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(3 * 1024 * 1024)  # sparse: no need to write the bytes
    with pytest.raises(ImportFailedError, match=r"it is 3 MB, over the 2 MB import limit"):
        read_file(path, max_bytes=2 * 1024 * 1024)
    with pytest.raises(ImportFailedError, match="over the 1 MB"):
        read_bytes(b"a" * (1024 * 1024 + 1), "big.txt", max_bytes=1024 * 1024)


def test_docx_unpacking_over_the_absolute_limit_is_refused_even_at_a_modest_ratio() -> None:
    from factdesk.importers import word

    text = "".join(random.Random(3).choice("abcdefgh ") for _ in range(300_000))
    data = make_docx([("Normal", text)])
    with pytest.raises(ImportFailedError, match="zip bomb"):
        word.extract(data, "long.docx", max_uncompressed=200_000)
    assert word.extract(data, "long.docx").text == " ".join(text.split())


def test_missing_path_is_named_in_the_message(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "article.txt"
    with pytest.raises(ImportFailedError, match="no such file") as caught:
        read_file(missing)
    assert str(missing) in str(caught.value)


def test_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFailedError, match="folder"):
        read_file(tmp_path)


def test_device_is_refused_without_reading_forever() -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero on this system")
    with pytest.raises(ImportFailedError, match="not a regular file"):
        read_file("/dev/zero")


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file"
)
def test_unreadable_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(ARTICLE)
    path.chmod(0)
    try:
        with pytest.raises(ImportFailedError, match="permission denied"):
            read_file(path)
    finally:
        path.chmod(0o600)


def test_malformed_html_with_text_still_gives_the_text() -> None:
    page = b"<html><body><p>Unclosed <b>bold <i>paragraph<p>" + ARTICLE.encode() + b"</table></div"
    doc = read_bytes(page, "broken.html")
    assert ARTICLE in doc.text
    assert "<" not in doc.text


def test_a_page_too_big_to_weigh_gives_all_its_text_and_its_head_metadata() -> None:
    """A saved page of more than MAX_TAGS_TO_WEIGH tags skips trafilatura's weighing (a million
    paragraphs took it 97 s and 1.5 GB): every paragraph is kept, menus are not, and the title
    and author still come from the page's head."""
    from factdesk.importers.html import MAX_TAGS_TO_WEIGH

    n = MAX_TAGS_TO_WEIGH // 2 + 10
    page = (
        "<html><head><title>Annual water report</title>"
        "<meta name='author' content='Jane Roe'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        + "".join(f"<p>Paragraph {i} says the council spent {i} dollars.</p>" for i in range(n))
        + "</body></html>"
    )
    assert page.count("<") > MAX_TAGS_TO_WEIGH
    doc = read_bytes(page.encode(), "report.html")
    assert doc.title == "Annual water report"
    assert doc.authors == ("Jane Roe",)
    lines = doc.text.splitlines()
    assert sum(line.startswith("Paragraph ") for line in lines) == n
    assert f"Paragraph {n - 1} says the council spent {n - 1} dollars." in lines
    assert "Home" not in doc.text


@pytest.mark.parametrize("depth", [300, 200_000])
def test_a_page_nested_deeper_than_the_parsers_go_keeps_its_text(depth: int) -> None:
    """libxml2 (under lxml and trafilatura) stops at 256 nested elements and drops what is
    deeper: such a page was refused as "no readable text", or kept only its title."""
    page = (
        "<html><head><title>Deep page</title><meta name='author' content='Jane Roe'></head>"
        "<body><nav><a href='/'>Home</a></nav>"
        + "<div class='wrap'>" * depth
        + "<p>The council said water bills would rise by 18 percent.</p>"
        + "</div>" * depth
        + "<p>Residents were unhappy.</p><script>var x = 1;</script></body></html>"
    )
    doc = read_bytes(page.encode(), "deep.html")
    assert doc.text == (
        "The council said water bills would rise by 18 percent.\n\nResidents were unhappy."
    )
    assert doc.title == "Deep page" and doc.authors == ("Jane Roe",)
