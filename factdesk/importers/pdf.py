"""PDF text in reading order with paragraphs rebuilt from line spacing (pypdf)."""

from __future__ import annotations

import io
import itertools
import logging
import re
import statistics
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from factdesk.domain import ImportFailedError

log = logging.getLogger(__name__)

_SENTENCE_END = re.compile(r"[.!?:;\"”’»)\]]$")
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?$", re.I)
_DIGITS = re.compile(r"\d+")
_JUNK_TITLE = re.compile(r"^(?:microsoft word - |untitled)", re.I)


@dataclass
class _Line:
    text: str = ""
    y: float | None = None
    size: float = 0.0


@dataclass
class PdfText:
    text: str
    title: str = ""
    authors: tuple[str, ...] = ()
    pages: int = 0


def _page_lines(page: object) -> list[_Line]:
    """Lines of one page with their baseline height and font size, in content order."""
    lines: list[_Line] = [_Line()]

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if not text:
            return
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(tm[3] * cm[3]) or 1.0
        for number, piece in enumerate(text.split("\n")):
            if number:
                lines.append(_Line())
            current = lines[-1]
            if piece.strip() and current.y is None:
                current.y = y
            if piece:
                current.text += piece
                current.size = max(current.size, size * scale)

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    # Text placed outside the visible page is clipped away; layout engines do that with a line
    # split across a page break, drawing it on both pages.
    box = page.cropbox  # type: ignore[attr-defined]
    low, high = float(min(box.bottom, box.top)) - 2, float(max(box.bottom, box.top)) + 2
    return [
        line for line in lines if line.text.strip() and (line.y is None or low <= line.y <= high)
    ]


def _paragraphs(lines: list[_Line]) -> list[str]:
    """Join lines into paragraphs: a wider gap, a font change or a short final line ends one."""
    if not lines:
        return []
    gaps = [
        a.y - b.y
        for a, b in itertools.pairwise(lines)
        if a.y is not None and b.y is not None and a.y - b.y > 0
    ]
    usual_gap = statistics.median(gaps) if gaps else 0.0
    if gaps:
        # With many one-line paragraphs the median is the paragraph gap; the smallest common
        # gap is the line pitch then.
        usual_gap = min(usual_gap, statistics.median(sorted(gaps)[: max(1, len(gaps) // 3)]))
    longest = max(len(line.text.strip()) for line in lines)
    # When even the usual gap is much taller than the type, every paragraph is one line (or the
    # text is double-spaced): a line ending a sentence then ends its paragraph.
    size = statistics.median(line.size for line in lines) or 12.0
    spaced_out = usual_gap > 1.7 * size
    paragraphs: list[list[str]] = [[lines[0].text.strip()]]
    for prev, line in itertools.pairwise(lines):
        text = line.text.strip()
        prev_text = prev.text.strip()
        gap = (prev.y - line.y) if prev.y is not None and line.y is not None else usual_gap
        new_paragraph = (
            gap <= 0
            or (usual_gap > 0 and gap > usual_gap * 1.35)
            or abs(prev.size - line.size) > 1.0
            or (
                bool(_SENTENCE_END.search(prev_text))
                and (spaced_out or len(prev_text) < 0.8 * longest)
            )
        )
        if gap <= 0 and not _SENTENCE_END.search(prev_text) and text[:1].islower():
            new_paragraph = False  # the sentence goes on at the top of the next column
        if new_paragraph:
            paragraphs.append([text])
        else:
            paragraphs[-1].append(text)
    return [_join_lines(parts) for parts in paragraphs]


def _join_lines(parts: list[str]) -> str:
    out = parts[0]
    for part in parts[1:]:
        # A line ending in a hyphen or soft hyphen continues the word; the hyphen is kept because
        # "salt-mining" is far more common in news text than a word split only for layout.
        if out.endswith(("-", "\u00ad")) and part[:1].islower():
            out += part
        else:
            out += " " + part
    return out


def _drop_running_heads(pages: list[list[str]]) -> list[list[str]]:
    """Remove page numbers and headers/footers repeated at the top or bottom of most pages."""
    if len(pages) >= 3:
        edges = Counter(_DIGITS.sub("#", p[i]) for p in pages if p for i in {0, len(p) - 1})
        # Running heads are short; a long paragraph repeated on every page is content.
        repeated = {key for key, n in edges.items() if n > len(pages) / 2 and len(key) <= 60}
    else:
        repeated = set()
    cleaned = []
    for paragraphs in pages:
        kept = list(paragraphs)
        for index in (0, -1):
            if kept and (
                _PAGE_NUMBER.match(kept[index]) or _DIGITS.sub("#", kept[index]) in repeated
            ):
                kept.pop(index)
        cleaned.append(kept)
    return cleaned


def _join_pages(pages: list[list[str]]) -> list[str]:
    """Concatenate pages; a paragraph cut by a page break is joined back together."""
    out: list[str] = []
    for paragraphs in pages:
        for number, paragraph in enumerate(paragraphs):
            if (
                number == 0
                and out
                and not _SENTENCE_END.search(out[-1])
                and paragraph[:1].islower()
            ):
                out[-1] = _join_lines([out[-1], paragraph])
            else:
                out.append(paragraph)
    return out


def extract(data: bytes, source: str) -> PdfText:
    """Text of a PDF; encrypted, truncated and image-only files are refused with the reason."""
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError

    tail = data[-4096:]
    if b"%%EOF" not in tail:
        raise ImportFailedError(
            source, "the PDF is incomplete (cut off before its end, e.g. an interrupted download)"
        )
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileNotDecryptedError("password required")
        pages = [_paragraphs(_page_lines(page)) for page in reader.pages]
        metadata: Mapping[str, Any] = reader.metadata or {}
        title = str(metadata.get("/Title") or "").strip()
        author = str(metadata.get("/Author") or "").strip()
    except ImportFailedError:
        raise
    except (FileNotDecryptedError, DependencyError):
        raise ImportFailedError(
            source,
            "the PDF is password-protected; open it with its password, save an unprotected copy "
            "and import that",
        ) from None
    except Exception as exc:  # third-party parser on untrusted input: any failure is "unreadable"
        log.debug("pypdf failed on %s", source, exc_info=True)
        raise ImportFailedError(
            source,
            f"the PDF is damaged and cannot be read ({type(exc).__name__}); "
            "download or export it again",
        ) from None
    if not pages:
        raise ImportFailedError(source, "the PDF has no pages")
    paragraphs = _join_pages(_drop_running_heads(pages))
    if not "".join(paragraphs).strip():
        raise ImportFailedError(
            source,
            "the PDF has no text layer (probably a scan or photos of pages); "
            "run it through OCR first, then import the result",
        )
    if _JUNK_TITLE.match(title):
        title = ""
    authors = tuple(a.strip() for a in re.split(r";|,| and ", author) if a.strip())
    return PdfText(text="\n".join(paragraphs), title=title, authors=authors, pages=len(pages))
