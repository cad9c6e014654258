"""Files and bytes to ImportedDocument: format sniffing, size limits, one error type for all."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path, PurePath
from typing import Any

from factdesk.domain import ImportedDocument, ImportFailedError
from factdesk.domain.formats import ARTICLE_EXTENSIONS, ARTICLE_MEDIA_TYPES, SUPPORTED_ARTICLES
from factdesk.importers import _text

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

MEDIA_TYPES = ARTICLE_MEDIA_TYPES
SUPPORTED = SUPPORTED_ARTICLES

# Magic numbers of things people drop by mistake, with what to tell them.
_IMAGE = "it is an image ({}), not text; attach it to a claim as evidence instead"
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", _IMAGE.format("PNG")),
    (b"\xff\xd8\xff", _IMAGE.format("JPEG")),
    (b"GIF87a", _IMAGE.format("GIF")),
    (b"GIF89a", _IMAGE.format("GIF")),
    (b"BM", ""),  # only with a plausible header, checked below
    (b"II*\x00", _IMAGE.format("TIFF")),
    (b"MM\x00*", _IMAGE.format("TIFF")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "it is an old Office file (.doc/.xls); save it as .docx"),
    (b"{\\rtf", "it is a Rich Text (.rtf) file; save it as .docx or .txt"),
    (b"\x1f\x8b", "it is a compressed (gzip) archive; unpack it first"),
    (b"7z\xbc\xaf\x27\x1c", "it is a 7-Zip archive; unpack it first"),
    (b"Rar!", "it is a RAR archive; unpack it first"),
    (b"\x7fELF", "it is a program, not a document"),
    (b"MZ", "it is a Windows program, not a document"),
    (b"ID3", "it is an audio file, not a document"),
    (b"OggS", "it is an audio or video file, not a document"),
)


def _signature_problem(data: bytes) -> str | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _IMAGE.format("WebP")
    if data[4:8] == b"ftyp":
        return "it is a video or HEIC photo, not a document"
    for magic, message in _SIGNATURES:
        if data.startswith(magic):
            if magic == b"BM":
                if len(data) > 14 and int.from_bytes(data[2:6], "little") == len(data):
                    return _IMAGE.format("BMP")
                continue
            if magic == b"MZ" and len(data) < 64:
                continue
            return message
    return None


def _sniff(data: bytes, name: str, source: str) -> str:
    """The format to read `data` as: the content decides, the extension breaks ties."""
    ext = PurePath(name).suffix.lower()
    declared = ARTICLE_EXTENSIONS.get(ext)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "docx"
    problem = _signature_problem(data)
    if problem:
        raise ImportFailedError(source, problem)
    if declared == "pdf":
        raise ImportFailedError(source, "it is named .pdf but is not a PDF file (no PDF header)")
    if declared == "docx":
        raise ImportFailedError(
            source, "it is named .docx but is not a Word document (not a ZIP container)"
        )
    if declared is None and ext:
        raise ImportFailedError(
            source, f"files of type '{ext}' cannot be imported; factdesk reads {SUPPORTED}"
        )
    return declared or "txt"


def _document(
    fmt: str,
    data: bytes,
    name: str,
    source: str,
    *,
    url: str = "",
    charset: str | None = None,
    favor_recall: bool = False,
) -> ImportedDocument:
    def make(**fields: Any) -> ImportedDocument:
        return ImportedDocument(
            original_name=PurePath(name).name if name else "",
            original_bytes=data,
            original_media_type=MEDIA_TYPES[fields["source_format"]],
            **fields,
        )

    if fmt == "pdf":
        from factdesk.importers import pdf

        found = pdf.extract(data, source)
        text = _text.require_text(found.text, source)
        return make(
            text=text,
            source_format="pdf",
            title=_text.normalize(found.title) or _text.guess_title(text),
            authors=found.authors,
        )
    if fmt == "docx":
        from factdesk.importers import word

        found_docx = word.extract(data, source)
        text = _text.require_text(found_docx.text, source)
        return make(
            text=text,
            source_format="docx",
            title=_text.normalize(found_docx.title) or _text.guess_title(text),
            authors=found_docx.authors,
        )
    if not data.strip():
        raise ImportFailedError(source, "it contains no text (empty or only whitespace)")
    from factdesk.importers import html

    decoded = html.decode_html(data, source, charset=charset)
    if fmt == "txt" and html.looks_like_html(decoded):
        fmt = "html"
    if fmt == "html":
        page = html.extract(decoded, source, url=url, favor_recall=favor_recall)
        text = _text.require_text(page.text, source)
        return make(
            text=text,
            source_format="html",
            title=_text.normalize(page.title) or _text.guess_title(text),
            outlet=_text.normalize(page.outlet),
            authors=tuple(_text.normalize(a) for a in page.authors),
            published=page.published,
            url=page.url or url,
            language=page.language or "en",
        )
    if fmt == "md":
        from factdesk.importers import markdown

        found_md = markdown.to_plain(decoded)
        text = _text.require_text(found_md.text, source)
        return make(
            text=text,
            source_format="md",
            title=_text.normalize(found_md.title) or _text.guess_title(text),
            outlet=found_md.outlet,
            authors=found_md.authors,
            published=found_md.published,
            url=found_md.url,
        )
    text = _text.require_text(_text.unwrap_hard_wrapped(_text.normalize(decoded)), source)
    return make(text=text, source_format="txt", title=_text.guess_title(text))


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:,.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(n / 1024)):,} KB"


def too_big(size: int, max_bytes: int) -> str:
    return (
        f"it is {_size(size)}, over the {_size(max_bytes)} import limit "
        "(raise the limit in Settings if this file really is an article)"
    )


def read_bytes(data: bytes, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ImportedDocument:
    """Read an article from memory (drag and drop); `name` gives the extension and the message."""
    source = name or "the dropped data"
    if len(data) > max_bytes:
        raise ImportFailedError(source, too_big(len(data), max_bytes))
    if not data:
        raise ImportFailedError(source, "the file is empty")
    return _document(_sniff(data, name, source), data, name, source)


def read_file(
    path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> ImportedDocument:
    """Read an article file (.txt, .md, .html, .pdf, .docx), whatever it is named."""
    file = Path(path)
    source = str(file)
    try:
        info = file.stat()
        if stat.S_ISDIR(info.st_mode):
            raise ImportFailedError(source, "it is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise ImportFailedError(source, "it is not a regular file (a device or a pipe)")
        if info.st_size > max_bytes:
            raise ImportFailedError(source, too_big(info.st_size, max_bytes))
        with file.open("rb") as handle:
            # One byte more than the size, so a file growing while read is refused too; not
            # max_bytes + 1, because read(n) allocates n bytes up front.
            data = handle.read(info.st_size + 1)
    except FileNotFoundError:
        raise ImportFailedError(source, "there is no such file") from None
    except IsADirectoryError:
        raise ImportFailedError(source, "it is a folder, not a file") from None
    except PermissionError:
        raise ImportFailedError(
            source, "permission denied; check that you may read the file"
        ) from None
    except OSError as exc:
        raise ImportFailedError(source, f"it cannot be read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise ImportFailedError(source, too_big(len(data), max_bytes))
    if len(data) > info.st_size:
        raise ImportFailedError(
            source, "the file changed while it was read; import it again once it is saved"
        )
    if not data:
        raise ImportFailedError(source, "the file is empty")
    return _document(_sniff(data, file.name, source), data, file.name, source)


def read_text(text: str, *, title: str = "", source_format: str = "paste") -> ImportedDocument:
    """Pasted or typed text; the title is the given one, a heading-like first line, or first words."""
    clean = _text.require_text(_text.unwrap_hard_wrapped(_text.normalize(text)), "the pasted text")
    return ImportedDocument(
        text=clean,
        source_format=source_format,
        title=_text.normalize(title) or _text.guess_title(clean),
    )


def read_clipboard(html: str | None, text: str | None) -> ImportedDocument:
    """Clipboard contents: the HTML flavour through the page extractor, else the plain text."""
    source = "the clipboard"
    if html and html.strip():
        from factdesk.importers import html as html_importer

        try:
            # a selection is what the user wants: keep as much of it as possible
            page = html_importer.extract(html, source, favor_recall=True)
            clean = _text.require_text(page.text, source)
        except ImportFailedError:
            if not (text and text.strip()):
                raise
        else:
            return ImportedDocument(
                text=clean,
                source_format="clipboard",
                title=_text.normalize(page.title) or _text.guess_title(clean),
                outlet=_text.normalize(page.outlet),
                authors=page.authors,
                published=page.published,
                url=page.url,
                original_name="clipboard.html",
                original_bytes=html.encode("utf-8"),
                original_media_type="text/html",
            )
    if text and text.strip():
        return read_text(text, source_format="clipboard")
    raise ImportFailedError(source, "it holds no text")


def read_download(
    data: bytes, name: str, source: str, *, url: str, media_type: str, charset: str | None
) -> ImportedDocument:
    """A page or file fetched from `url`: the server's media type and charset guide the reading."""
    if not data.strip():
        raise ImportFailedError(source, "the server sent an empty page")
    if media_type in ("text/html", "application/xhtml+xml"):
        fmt = "html"
    elif media_type == "text/markdown":
        fmt = "md"
    else:
        fmt = _sniff(data, name, source)
    return _document(fmt, data, name, source, url=url, charset=charset)
