"""Word (.docx) files: paragraphs, headings and tables in document order (python-docx).

The zip container is checked before python-docx sees it, so a zip bomb is refused from its
directory alone without inflating anything.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass

from factdesk.domain import ImportFailedError

log = logging.getLogger(__name__)

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # a long book in Word is ~20 MB unpacked, with images more
MAX_RATIO = 100  # deflated XML rarely compresses beyond 20:1; a bomb is 1000:1 and more
MAX_MEMBERS = 10_000
_RATIO_FLOOR = 10 * 1024 * 1024  # below this, a high ratio cannot hurt, only text this repetitive


@dataclass
class WordText:
    text: str
    title: str = ""
    authors: tuple[str, ...] = ()


def check_container(data: bytes, source: str, *, max_uncompressed: int = MAX_UNCOMPRESSED) -> None:
    """Refuse non-zip input, non-Word zips and archives that would inflate out of proportion."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception:  # zipfile on untrusted bytes raises BadZipFile, NotImplementedError, ...
        raise ImportFailedError(
            source, "it is not a Word .docx file (not a ZIP container, or a damaged one)"
        ) from None
    names = {info.filename for info in members}
    if "word/document.xml" not in names:
        raise ImportFailedError(
            source, "it is a ZIP archive but not a Word document (no word/document.xml)"
        )
    total = sum(info.file_size for info in members)
    packed = sum(info.compress_size for info in members) or 1
    if (
        len(members) > MAX_MEMBERS
        or total > max_uncompressed
        or (total > _RATIO_FLOOR and total / packed > MAX_RATIO)
    ):
        raise ImportFailedError(
            source,
            f"it would unpack to {total / 1024 / 1024:,.0f} MB from {len(data) / 1024:,.0f} KB "
            "(a 'zip bomb'); it was not opened",
        )


def _block_texts(document: object) -> list[tuple[str, str]]:
    """(style name, text) of each paragraph and table row, in body order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    # Paragraph.style resolves the default style on every call (quadratic on long files); the
    # names are looked up once here instead, by the style id each paragraph carries.
    names = {style.style_id: style.name or "" for style in document.styles}  # type: ignore[attr-defined]
    out: list[tuple[str, str]] = []
    for block in document.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(block, Paragraph):
            style_id = block._p.style
            out.append((names.get(style_id, "") if style_id else "", block.text))
        elif isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    # merged cells repeat the same cell object along the row
                    if not cells or cells[-1] != text:
                        cells.append(text)
                out.append(("Table", " | ".join(cells)))
    return out


def extract(data: bytes, source: str, *, max_uncompressed: int = MAX_UNCOMPRESSED) -> WordText:
    """Paragraphs and headings as lines; a blank line after each heading keeps them apart."""
    check_container(data, source, max_uncompressed=max_uncompressed)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        blocks = _block_texts(document)
        props = document.core_properties
        title = (props.title or "").strip()
        author = (props.author or "").strip()
    except Exception as exc:  # third-party parser on untrusted input: any failure is "unreadable"
        log.debug("python-docx failed on %s", source, exc_info=True)
        raise ImportFailedError(
            source,
            f"the Word file is damaged and cannot be read ({type(exc).__name__}); "
            "open it in a word processor and save it again",
        ) from None
    lines: list[str] = []
    first_heading = ""
    for style, text in blocks:
        # Word uses manual line breaks inside a paragraph for layout; they are not paragraphs.
        text = " ".join(text.split())
        if not text:
            continue
        if style.startswith(("Heading", "Title")):
            first_heading = first_heading or text
            if lines:
                lines.append("")
            lines.extend((text, ""))
        else:
            lines.append(text)
    authors = tuple(a.strip() for a in re.split(r";|,", author) if a.strip())
    return WordText(text="\n".join(lines), title=title or first_heading, authors=authors)
