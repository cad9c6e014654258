"""Test documents built on the spot: PDFs written by hand, DOCX with python-docx, zip bombs."""

from __future__ import annotations

import io
import textwrap
import zipfile

DOCX_MEDIA = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def make_pdf(
    pages: list[list[str]],
    *,
    width: int = 80,
    title: str = "",
    author: str = "",
    heading_first: bool = False,
    columns: int = 1,
) -> bytes:
    """A real PDF: each page a list of paragraphs, wrapped at `width` characters per line.

    Lines are 14 pt apart and paragraphs 26 pt, like a word processor's output; the first
    paragraph of each page is set in 16 pt bold when `heading_first`. With `columns=2` the text
    flows down a left column, then on at the top of a right one, like a newspaper page.
    """
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    bold = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
    )
    pages_id = len(objects) + 2 * len(pages) + 1
    page_ids: list[int] = []
    for paragraphs in pages:
        ops = [b"BT"]
        y = 760
        x = 72
        for number, paragraph in enumerate(paragraphs):
            is_heading = heading_first and number == 0
            size, lead = (16, 20) if is_heading else (11, 14)
            ops.append(b"/F2 %d Tf" % size if is_heading else b"/F1 %d Tf" % size)
            for line in textwrap.wrap(paragraph, width) or [""]:
                if columns == 2 and y < 100 and x == 72:
                    x, y = 320, 760
                ops.append(b"1 0 0 1 %d %d Tm " % (x, y) + _pdf_string(line) + b" Tj")
                y -= lead
            y -= 12
        ops.append(b"ET")
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page_ids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> >>"
                % (pages_id, content, font, bold)
            )
        )
    kids = b" ".join(b"%d 0 R" % p for p in page_ids)
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    info = add(b"<< /Title " + _pdf_string(title) + b" /Author " + _pdf_string(author) + b" >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, catalog, info, xref)
    )
    return out.getvalue()


def make_docx(blocks: list[tuple[str, str]], *, title: str = "", author: str = "") -> bytes:
    """A Word file; each block is (style, text) with style "Title", "Heading 1", "Normal" or
    "table:" followed by cells separated by "|"."""
    import docx

    document = docx.Document()
    for style, text in blocks:
        if style == "table":
            rows = [row.split("|") for row in text.split("\n")]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
        elif style.startswith("Heading"):
            document.add_heading(text, level=int(style.split()[-1]))
        elif style == "Title":
            document.add_heading(text, level=0)
        else:
            document.add_paragraph(text)
    document.core_properties.title = title
    document.core_properties.author = author
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_zip_bomb(inner_mb: int, *, name: str = "word/document.xml") -> bytes:
    """A valid zip whose one member inflates to `inner_mb` megabytes of zeros."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open(name, "w", force_zip64=True) as member,
    ):
        chunk = b"\0" * (1024 * 1024)
        for _ in range(inner_mb):
            member.write(chunk)
    return out.getvalue()
