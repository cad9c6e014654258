"""Markdown to readable plain text: markup stripped, headings and paragraphs one per line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_QUOTE = re.compile(r"^ {0,3}>[ \t]?")
_BULLET = re.compile(r"^(\s*)[-*+][ \t]+")
_ORDERED = re.compile(r"^(\s*)(\d{1,9})[.)][ \t]+")
_LINK_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*\S+.*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")

_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)|!\[([^\]]*)\]\[[^\]]*\]")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^)]*\))*(?:\s+\"[^\"]*\")?\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?-->", re.S)
_CODE = re.compile(r"(`+)(.+?)\1")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPH_STAR = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")
_EMPH_UNDER = re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")


@dataclass
class MarkdownText:
    text: str
    title: str = ""
    authors: tuple[str, ...] = ()
    published: date | None = None
    url: str = ""
    outlet: str = ""


def _inline(line: str) -> str:
    line = _IMAGE.sub("", line)
    line = _LINK.sub(r"\1", line)
    line = _REF_LINK.sub(r"\1", line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _HTML_TAG.sub("", line)
    line = _CODE.sub(lambda m: m.group(2).strip(), line)
    for pattern in (_STRONG, _STRIKE):
        line = pattern.sub(lambda m: m.group(m.lastindex or 1), line)
    line = _EMPH_STAR.sub(r"\1", line)
    line = _EMPH_UNDER.sub(r"\1", line)
    return _ESCAPE.sub(r"\1", line)


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta: dict[str, str] = {}
    for raw in match.group(1).split("\n"):
        key, sep, value = raw.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-")):
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[match.end() :]


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def to_plain(source: str) -> MarkdownText:
    """Strip Markdown syntax; lines of one paragraph are joined, as Markdown renders them."""
    meta, body = _front_matter(source.replace("\r\n", "\n").replace("\r", "\n"))
    out: list[str] = []
    paragraph: list[str] = []
    first_heading = ""
    in_fence = ""

    def flush() -> None:
        if paragraph:
            out.append(" ".join(part.strip() for part in paragraph))
            paragraph.clear()

    for raw in body.split("\n"):
        fence = _FENCE.match(raw)
        if in_fence:
            if fence and fence.group(1)[0] == in_fence[0] and len(fence.group(1)) >= len(in_fence):
                in_fence = ""
                out.append("")
            else:
                out.append(raw)
            continue
        if fence:
            flush()
            in_fence = fence.group(1)
            continue
        line = _QUOTE.sub("", raw)
        while _QUOTE.match(line):
            line = _QUOTE.sub("", line)
        if not line.strip():
            flush()
            out.append("")
            continue
        if _SETEXT.match(line) and paragraph:
            heading = _inline(" ".join(paragraph))
            paragraph.clear()
            first_heading = first_heading or heading
            out.extend((heading, ""))
            continue
        if _RULE.match(line) or _LINK_DEF.match(line) or _TABLE_RULE.match(line):
            flush()
            continue
        atx = _ATX.match(line)
        if atx:
            flush()
            heading = _inline(atx.group(2) or "")
            first_heading = first_heading or heading
            out.extend((heading, ""))
            continue
        if _BULLET.match(line) or _ORDERED.match(line) or line.lstrip().startswith("|"):
            flush()
            item = _BULLET.sub(r"\1- ", line)
            if line.lstrip().startswith("|"):
                cells = [c.strip() for c in line.strip().strip("|").split("|")]
                item = " | ".join(cells)
            paragraph.append(_inline(item))
            continue
        if paragraph and raw.endswith("  "):
            paragraph.append(_inline(line))
            flush()
            continue
        paragraph.append(_inline(line))
    flush()
    authors_raw = meta.get("author") or meta.get("authors") or ""
    authors = tuple(a.strip() for a in re.split(r";|,| and ", authors_raw.strip("[]")) if a.strip())
    return MarkdownText(
        text="\n".join(out),
        title=meta.get("title", "") or first_heading,
        authors=authors,
        published=_parse_date(meta.get("date", "")),
        url=meta.get("url", "") or meta.get("canonical_url", ""),
        outlet=meta.get("outlet", "") or meta.get("publisher", "") or meta.get("site", ""),
    )
