"""What a report is made of: a frozen snapshot of the board built by the services, plus helpers
shared by every format (sentence context, counts, attachments, history summaries)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from factdesk.domain.enums import ClaimStatus
from factdesk.domain.records import (
    ArticleRecord,
    AttachmentRecord,
    ClaimRecord,
    EvidenceLinkRecord,
    HistoryEventRecord,
)

#: Order in which statuses are counted and listed in every report.
STATUS_ORDER = (ClaimStatus.VERIFIED, ClaimStatus.DISPUTED, ClaimStatus.UNVERIFIED)

#: Longest stretch of sentence shown on either side of a claim before it is cut with an ellipsis.
CONTEXT_LIMIT = 320

VERIFY_COMMAND = "factdesk board verify"


@dataclass(frozen=True)
class ClaimReport:
    """One claim with the evidence linked to it and, when asked for, its history."""

    claim: ClaimRecord
    links: tuple[EvidenceLinkRecord, ...] = ()
    history: tuple[HistoryEventRecord, ...] = ()


@dataclass(frozen=True)
class ArticleReport:
    """One article and its claims, in article order. Dismissed claims are not passed in."""

    article: ArticleRecord
    claims: tuple[ClaimReport, ...] = ()


@dataclass(frozen=True)
class ReportData:
    """Everything a report shows, built by the services layer from the board.

    `head_hash` is the hash at the head of the board's history chain when the data was read;
    `scope` is a short human description ("Article: …" or "Whole board").
    `review_url_template`, if set, gives each ClaimReview its published address: `{claim_id}` and
    `{article_id}` are replaced (for example `https://example.org/fact-checks/{claim_id}`).
    """

    generated_at: datetime
    reviewer: str
    organisation: str
    organisation_url: str
    head_hash: str
    scope: str
    articles: tuple[ArticleReport, ...]
    include_history: bool = False
    include_unverified: bool = False
    review_url_template: str = ""

    @property
    def claims(self) -> list[tuple[ArticleRecord, ClaimReport]]:
        return [(a.article, c) for a in self.articles for c in a.claims]


def status_counts(claims: list[ClaimReport] | tuple[ClaimReport, ...]) -> list[tuple[str, int]]:
    """(status, count) for every status, zero counts included, in `STATUS_ORDER`."""
    counter = Counter(c.claim.status for c in claims)
    return [(s.value, counter.get(s, 0)) for s in STATUS_ORDER]


def all_claims(data: ReportData) -> list[ClaimReport]:
    return [c for a in data.articles for c in a.claims]


@dataclass(frozen=True)
class AppendixEntry:
    """An attached file and the claims whose evidence uses it."""

    attachment: AttachmentRecord
    evidence_title: str
    claim_numbers: tuple[str, ...]


def claim_numbers(data: ReportData) -> dict[str, str]:
    """Stable human labels for claims: "2.3" is the third claim of the second article."""
    numbers: dict[str, str] = {}
    single = len(data.articles) == 1
    for ai, article in enumerate(data.articles, start=1):
        for ci, c in enumerate(article.claims, start=1):
            numbers[c.claim.id] = str(ci) if single else f"{ai}.{ci}"
    return numbers


def repeat_of(claim: ClaimRecord, numbers: dict[str, str]) -> str:
    """The number of the claim this one repeats ("4"), or "" when it repeats none in the report."""
    return numbers.get(claim.duplicate_of, "") if claim.duplicate_of else ""


def appendix(data: ReportData) -> list[AppendixEntry]:
    """Every attachment reached through the report's evidence, once, in first-use order."""
    numbers = claim_numbers(data)
    found: dict[str, tuple[AttachmentRecord, str, list[str]]] = {}
    for c in all_claims(data):
        for link in c.links:
            att = link.evidence.attachment
            if att is None:
                continue
            entry = found.setdefault(att.id, (att, link.evidence.title, []))
            label = numbers[c.claim.id]
            if label not in entry[2]:
                entry[2].append(label)
    return [AppendixEntry(att, title, tuple(labels)) for att, title, labels in found.values()]


_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "sen",
        "rep",
        "gov",
        "gen",
        "lt",
        "col",
        "capt",
        "sgt",
        "inc",
        "ltd",
        "co",
        "corp",
        "jr",
        "sr",
        "vs",
        "etc",
        "no",
        "nos",
        "fig",
        "e.g",
        "i.e",
        "u.s",
        "u.k",
        "u.n",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "approx",
        "est",
    ]
)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+|\n")


def _is_boundary(text: str, m: re.Match[str]) -> bool:
    if m.group() == "\n":
        return True
    word = re.search(r"(\S+?)[.!?…]?[\"'”’)\]]*$", text[max(0, m.start() - 40) : m.start() + 1])
    if word is None:
        return True
    token = word.group(1).lower().rstrip(".")
    # "Dr. Smith", "U.S. officials", "No. 10": a dot after these does not end the sentence.
    return token not in _ABBREVIATIONS and not (len(token) == 1 and token.isalpha())


def claim_context(article_text: str, start: int, end: int) -> tuple[str, str, str]:
    """The claim in its sentence: (text before it, the claim, text after it) within its sentence(s).

    Context never crosses a paragraph break and is cut to `CONTEXT_LIMIT` characters on either
    side with an ellipsis, so a claim inside a very long paragraph still reads cleanly.
    """
    start = max(0, min(start, len(article_text)))
    end = max(start, min(end, len(article_text)))
    # Only look a bounded distance away: long articles hold thousands of claims.
    window = 4 * CONTEXT_LIMIT
    sentence_start = max(article_text.rfind("\n", 0, start) + 1, start - window)
    for m in _SENTENCE_END.finditer(article_text, sentence_start, start):
        if m.end() <= start and _is_boundary(article_text, m):
            sentence_start = m.end()
    paragraph_end = article_text.find("\n", end)
    sentence_end = min(len(article_text) if paragraph_end < 0 else paragraph_end, end + window)
    # A claim ending in its own full stop already ends the sentence.
    search_from = end - 1 if end > start and article_text[end - 1] in ".!?…" else end
    for m in _SENTENCE_END.finditer(article_text, search_from, sentence_end + 1):
        if _is_boundary(article_text, m):
            sentence_end = m.start() + len(m.group().rstrip())
            break
    before = article_text[sentence_start:start]
    after = article_text[end:sentence_end]
    if len(before) > CONTEXT_LIMIT:
        cut = before[-CONTEXT_LIMIT:]
        cut = cut[cut.find(" ") + 1 :] if " " in cut else cut
        before = "… " + cut
    if len(after) > CONTEXT_LIMIT:
        cut = after[:CONTEXT_LIMIT]
        cut = cut[: cut.rfind(" ")] if " " in cut else cut
        after = cut + " …"
    return before.lstrip(), article_text[start:end], after.rstrip()


def is_web_url(url: str) -> bool:
    """True for http(s) addresses: the only ones a report turns into a link (never javascript:)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def export_url(url: str) -> str:
    """A URL as every export may carry it: http(s) with a host, or mailto; anything else
    (javascript:, data:, file:...) is left out."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if (scheme in ("http", "https") and parts.netloc) or (scheme == "mailto" and parts.path):
        return url.strip()
    return ""


def status_label(status: ClaimStatus | str) -> str:
    return str(status).capitalize()


def verdict_text(claim: ClaimRecord) -> str:
    """The verdict as published: the reviewer's rating text, or the status when none was given."""
    return claim.rating.strip() or status_label(claim.status)


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    value = size / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def _short(value: Any, limit: int = 160) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def history_changes(event: HistoryEventRecord) -> list[str]:
    """Readable "field: old → new" lines for one history event."""
    if event.op == "create":
        return []
    keys = [k for k in event.after if event.before.get(k) != event.after.get(k)]
    if event.op == "delete":
        keys = list(event.before)
    lines = []
    for key in keys:
        if key in ("updated_at", "created_at"):
            continue
        old, new = event.before.get(key, ""), event.after.get(key, "")
        lines.append(f"{key}: {_short(old) or '—'} → {_short(new) or '—'}")
    return lines


def format_dt(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M %Z").strip()
