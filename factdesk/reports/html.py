"""The HTML verdict report: one self-contained file (inline CSS, no scripts, no external requests),
rendered by Jinja2 with autoescaping so any markup in article, claim or evidence text shows as text.

The same template, with a style sheet Qt's rich-text engine understands, feeds the PDF and the
window's preview (`render_qt_html`).
"""

from __future__ import annotations

from functools import cache

import jinja2

from factdesk import __version__
from factdesk.domain.enums import EvidenceKind
from factdesk.domain.records import ArticleRecord, ClaimRecord, EvidenceRecord
from factdesk.domain.text import claimant_text
from factdesk.reports.model import (
    VERIFY_COMMAND,
    ReportData,
    all_claims,
    appendix,
    claim_context,
    claim_numbers,
    format_dt,
    history_changes,
    human_size,
    is_web_url,
    repeat_of,
    status_counts,
    status_label,
)


def verify_sentence(data: ReportData) -> str:
    """The sentence telling an editor how to check the report against the board."""
    return (
        f"To check that the board still matches this report, run “{VERIFY_COMMAND}” on the board: "
        "it re-checks every history entry and attached file, and prints the head hash of the "
        "history chain. If that hash equals the one above, nothing on the board has changed since "
        f"this report was generated ({format_dt(data.generated_at)}); a different hash means "
        "later changes, which the claims' history shows."
    )


def context(article: ArticleRecord, claim: ClaimRecord) -> tuple[str, str, str]:
    """The claim in its sentence, or the claim alone if the stored offsets no longer match it."""
    if article.text[claim.start : claim.end] != claim.text:
        return "", claim.text, ""
    return claim_context(article.text, claim.start, claim.end)


def evidence_title(e: EvidenceRecord) -> str:
    if e.title:
        return e.title
    if e.attachment is not None:
        return e.attachment.filename
    if e.url:
        return e.url
    return "Note"


def kind_label(kind: EvidenceKind) -> str:
    return {EvidenceKind.URL: "web page", EvidenceKind.FILE: "file", EvidenceKind.NOTE: "note"}[
        kind
    ]


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.splitlines() if p.strip()]


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("factdesk.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    env.globals.update(
        is_web_url=is_web_url,
        status_label=status_label,
        format_dt=format_dt,
        human_size=human_size,
        history_changes=history_changes,
        context=context,
        evidence_title=evidence_title,
        kind_label=kind_label,
        paragraphs=paragraphs,
        repeat_of=repeat_of,
        claimant_text=claimant_text,
    )
    return env


def _render(data: ReportData, *, qt: bool) -> str:
    claims = all_claims(data)
    title = data.articles[0].article.title if len(data.articles) == 1 else data.scope
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            data=data,
            qt=qt,
            title=title or "Untitled article",
            version=__version__,
            total=len(claims),
            counts=status_counts(claims),
            article_counts=[status_counts(a.claims) for a in data.articles],
            numbers=claim_numbers(data),
            attachments=appendix(data),
            verify_sentence=verify_sentence(data),
        )
    )


def render_html(data: ReportData) -> str:
    """The report as one self-contained HTML5 document."""
    return _render(data, qt=False)


def render_qt_html(data: ReportData) -> str:
    """The report in the HTML subset Qt renders (QTextDocument, QTextBrowser): PDF and preview."""
    return _render(data, qt=True)
