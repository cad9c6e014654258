"""CSV reports: one row per claim, and a second file with one row per claim-evidence link.

Files are UTF-8 with a byte-order mark and CRLF line ends so Excel and LibreOffice open them with
the right encoding. A cell that starts with = + - @ (or a tab or carriage return) gets a leading
apostrophe, so a spreadsheet shows it as text instead of running it as a formula (CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from factdesk.reports.html import context
from factdesk.reports.model import (
    ReportData,
    claim_numbers,
    export_url,
    format_dt,
    repeat_of,
    verdict_text,
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Article and claim numbers are separate integer columns: "1.10" would become 1.1 in a spreadsheet.
CLAIM_COLUMNS = (
    "article_no",
    "claim_no",
    "repeat_of",
    "article_title",
    "article_outlet",
    "article_url",
    "article_published",
    "claim",
    "context",
    "claimant",
    "kind",
    "priority",
    "status",
    "rating",
    "verdict",
    "explanation",
    "reviewer",
    "evidence_count",
    "updated_at",
    "claim_id",
    "article_id",
)

LINK_COLUMNS = (
    "article_no",
    "claim_no",
    "claim",
    "status",
    "stance",
    "evidence_kind",
    "title",
    "publisher",
    "author",
    "url",
    "published",
    "accessed",
    "quote",
    "notes",
    "link_note",
    "file_name",
    "file_sha256",
    "file_size",
    "claim_id",
    "link_id",
    "evidence_id",
)


def neutralise(value: object) -> str:
    """A cell value a spreadsheet will not evaluate."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _write(header: tuple[str, ...], rows: Iterable[Iterable[object]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def render_csv_claims(data: ReportData) -> bytes:
    rows = []
    numbers = claim_numbers(data)
    for ai, ar in enumerate(data.articles, start=1):
        art = ar.article
        for ci, cr in enumerate(ar.claims, start=1):
            c = cr.claim
            before, claim, after = context(art, c)
            rows.append(
                (
                    ai,
                    ci,
                    repeat_of(c, numbers),
                    art.title,
                    art.outlet,
                    export_url(art.url),
                    art.published.isoformat() if art.published else "",
                    c.text,
                    before + claim + after,
                    c.claimant,
                    c.kind.value,
                    c.priority.value,
                    c.status.value,
                    c.rating,
                    verdict_text(c),
                    c.explanation,
                    c.reviewer,
                    len(cr.links),
                    format_dt(c.updated_at),
                    c.id,
                    art.id,
                )
            )
    return _write(CLAIM_COLUMNS, rows)


def render_csv_links(data: ReportData) -> bytes:
    """One row per claim-evidence link, for the evidence side of the spreadsheet."""
    rows = []
    for ai, ar in enumerate(data.articles, start=1):
        for ci, cr in enumerate(ar.claims, start=1):
            c = cr.claim
            for link in cr.links:
                e = link.evidence
                att = e.attachment
                rows.append(
                    (
                        ai,
                        ci,
                        c.text,
                        c.status.value,
                        link.stance.value,
                        e.kind.value,
                        e.title,
                        e.publisher,
                        e.author,
                        export_url(e.url),
                        e.published.isoformat() if e.published else "",
                        e.accessed.isoformat() if e.accessed else "",
                        e.quote,
                        e.notes,
                        link.note,
                        att.filename if att else "",
                        att.sha256 if att else "",
                        att.size if att else "",
                        c.id,
                        link.id,
                        e.id,
                    )
                )
    return _write(LINK_COLUMNS, rows)
