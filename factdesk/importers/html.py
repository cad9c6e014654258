"""Saved web pages: the main article text and its metadata, extracted offline with trafilatura."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from typing import Any

from factdesk.domain import ImportFailedError
from factdesk.importers._text import decode_bytes

log = logging.getLogger(__name__)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(r"\A\s*<\?xml[^>]*\?>")
_HTML_LANG = re.compile(r"""<html[^>]*\slang\s*=\s*["']?([A-Za-z]{2,3})\b""", re.I)
# Tags whose text is never article text, and block tags that end a line, for the fallback.
_DROP_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form")
_BLOCK_TAGS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr", "br", "hr"}
    | {"section", "article", "dd", "dt", "figcaption", "caption", "td", "th", "table", "ul"}
    | {"ol", "dl", "main", "body"}
)


@dataclass
class HtmlText:
    text: str
    title: str = ""
    authors: tuple[str, ...] = ()
    published: date | None = None
    url: str = ""
    outlet: str = ""
    language: str = ""


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first few kilobytes, if any."""
    match = _META_CHARSET.search(data[:8192])
    return match.group(1).decode("ascii") if match else None


def decode_html(data: bytes, source: str, *, charset: str | None = None) -> str:
    """Decode page bytes: an HTTP charset first, then the page's own declaration, then sniffing."""
    return decode_bytes(data, source, hint=charset or declared_charset(data))


def looks_like_html(text: str) -> bool:
    """True when decoded text is an HTML page, whatever the file was called."""
    start = text.lstrip()[:1024].lower()
    if start.startswith("<?xml"):
        return "<html" in start
    # A whole tag, not just its first letters: "<BODY" alone is text someone typed.
    return re.match(r"<(!doctype html|html|head|body|meta)[\s>/]", start) is not None


def _fallback_text(markup: str) -> str:
    """All visible text, one block per line: for fragments trafilatura judges too short."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fromstring(markup)
    except (etree.LxmlError, ValueError):
        return ""
    for bad in list(root.iter(*_DROP_TAGS)):
        if bad.getparent() is None:
            return ""
        bad.drop_tree()
    parts: list[str] = []
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.lower() in _BLOCK_TAGS:
            parts.append("\n")
        if element.text and tag:
            parts.append(element.text)
        if element.tail:
            if tag.lower() in _BLOCK_TAGS:
                parts.append("\n")
            parts.append(element.tail)
    return "".join(parts)


class _Blocks(HTMLParser):
    """All visible text, one block per line, at any depth: a streaming parser keeps no tree, so
    it has no nesting limit (libxml2 stops at 256 nested elements and drops what is deeper)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0  # inside script, style, nav, the head...

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in _DROP_TAGS or tag in ("head", "title"):
            self.hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: Any) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_TAGS or tag in ("head", "title"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def _streamed_text(markup: str) -> str:
    parser = _Blocks()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


# Elements that nest without end on generated pages (and are closed explicitly), and how deep
# they may go before the tree parsers lose text: below libxml2's limit of 256.
_CONTAINERS = re.compile(
    r"<(/?)(div|span|section|article|main|table|ul|ol|blockquote|font|center|a|b|i|em|strong)"
    r"(?=[\s>/])[^>]*>",
    re.I,
)
MAX_DEPTH = 200


def _nested_deeper_than(markup: str, limit: int) -> bool:
    depth = 0
    for m in _CONTAINERS.finditer(markup):
        if m.group(1):
            depth = max(0, depth - 1)
        elif not m.group(0).endswith("/>"):
            depth += 1
            if depth > limit:
                return True
    return False


# trafilatura weighs every element of a page (~0.1 ms each here): a saved page of a million
# paragraphs took 97 s and 1.5 GB. Past this many tags, the text is every visible block (1-2 s
# for that page; menus and footers included) and the metadata comes from the page's head alone.
MAX_TAGS_TO_WEIGH = 100_000
_HEAD_END = re.compile(r"</head\s*>", re.I)


def extract(markup: str, source: str, *, url: str = "", favor_recall: bool = False) -> HtmlText:
    """Main text and metadata of a page; boilerplate (menus, footers, comments) left out."""
    import trafilatura

    markup = _XML_DECL.sub("", markup, count=1)
    deep = _nested_deeper_than(markup, MAX_DEPTH)
    if deep or markup.count("<") > MAX_TAGS_TO_WEIGH:
        return _extract_plainly(markup, source, url=url, deep=deep)
    try:
        doc = trafilatura.bare_extraction(
            markup,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_recall=favor_recall,
        )
    except Exception as exc:  # third-party parser on untrusted input: any failure is "unreadable"
        log.debug("trafilatura failed on %s", source, exc_info=True)
        raise ImportFailedError(
            source, f"the page could not be parsed ({type(exc).__name__})"
        ) from None
    found: dict[str, Any] = {}
    if doc is not None:
        found = doc if isinstance(doc, dict) else doc.as_dict()
    # a fragment trafilatura judges too short for an article still has its text
    text = found.get("text") or ""
    return _html_text(
        text if text.strip() else _fallback_text(markup), found, markup, source, url=url
    )


def _extract_plainly(markup: str, source: str, *, url: str, deep: bool) -> HtmlText:
    """A page too big to weigh, or nested too deep for a tree: all of its visible text,
    metadata from its head."""
    import trafilatura

    found: dict[str, Any] = {}
    head_end = _HEAD_END.search(markup)
    if head_end is not None:
        try:
            meta = trafilatura.extract_metadata(markup[: head_end.end()] + "<body></body></html>")
        except Exception:  # metadata is a nicety: the text is what matters
            log.debug("no metadata from the head of %s", source, exc_info=True)
            meta = None
        if meta is not None:
            found = meta.as_dict()
    text = _streamed_text(markup) if deep else _fallback_text(markup)
    return _html_text(text, found, markup, source, url=url)


def _html_text(text: str, found: dict[str, Any], markup: str, source: str, *, url: str) -> HtmlText:
    if not text.strip():
        raise ImportFailedError(source, "the page holds no readable text")
    lang_match = _HTML_LANG.search(markup[:4096])
    authors = tuple(a.strip() for a in re.split(r";|\|", found.get("author") or "") if a.strip())
    published = None
    if found.get("date"):
        try:
            published = date.fromisoformat(str(found["date"])[:10])
        except ValueError:
            published = None
    return HtmlText(
        text=text,
        title=(found.get("title") or "").strip(),
        authors=authors,
        published=published,
        url=(found.get("url") or url or "").strip(),
        outlet=(found.get("sitename") or found.get("hostname") or "").strip(),
        language=(found.get("language") or (lang_match.group(1) if lang_match else "")).lower(),
    )
