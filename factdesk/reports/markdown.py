"""The Markdown verdict report, for newsroom wikis and CMSs.

Every piece of user text goes through `md_escape`: HTML is turned into entities and the characters
that start links, images, emphasis, code, tables or block structure are backslash-escaped, so
`[x](javascript:…)`, `![](…)` or `<script>` in an article or a note show as text. Links are only
made for http(s) addresses, as autolinks.
"""

from __future__ import annotations

import re

from factdesk import __version__
from factdesk.domain.text import claimant_text
from factdesk.reports.html import (
    context,
    evidence_title,
    kind_label,
    paragraphs,
    verify_sentence,
)
from factdesk.reports.model import (
    ReportData,
    all_claims,
    appendix,
    claim_numbers,
    format_dt,
    history_changes,
    human_size,
    is_web_url,
    repeat_of,
    status_counts,
    status_label,
)

# Inline-significant anywhere: escapes, code, emphasis, links/images, tables, strikethrough,
# autolinks and raw HTML (the last two are handled as entities below).
_INLINE = re.compile(r"([\\`*_\[\]{}|~!#()])")
# Significant only at the start of a line: headings, lists, quotes, thematic breaks.
_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")


def md_escape(text: str) -> str:
    """One line of user text made inert: whitespace collapsed, markup shown literally."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE.sub(r"\\\1", text)
    match = _LINE_START.match(text)
    if match:
        marker = match.group(2)
        escaped = marker[:-1] + "\\" + marker[-1]
        text = match.group(1) + escaped + text[match.end() :]
    return text


def md_link(url: str) -> str:
    """An autolink for a plain http(s) address; anything else is escaped text."""
    if is_web_url(url) and not re.search(r"[\s<>\"'`]", url):
        return f"<{url}>"
    return md_escape(url)


def _keep_edges(text: str) -> str:
    """`md_escape`, keeping one space where the text began or ended with whitespace."""
    escaped = md_escape(text)
    if not escaped:
        return " " if text else ""
    lead = " " if text[0].isspace() else ""
    trail = " " if text[-1].isspace() else ""
    return lead + escaped + trail


def _counts_line(counts: list[tuple[str, int]]) -> str:
    return " · ".join(f"**{n}** {status_label(s)}" for s, n in counts)


def render_markdown(data: ReportData) -> str:
    numbers = claim_numbers(data)
    claims = all_claims(data)
    several = len(data.articles) != 1
    out: list[str] = ["# Verdict report", "", md_escape(data.scope), ""]
    org = md_escape(data.organisation) or "—"
    if data.organisation_url:
        org += f" ({md_link(data.organisation_url)})"
    out += [
        f"- Reviewer: {md_escape(data.reviewer) or '—'}",
        f"- Organisation: {org}",
        f"- Generated: {format_dt(data.generated_at)}",
    ]
    if several:
        out.append(f"- Articles: {len(data.articles)}")
    out += [f"- Claims: {len(claims)}", "", _counts_line(status_counts(claims)), ""]

    for ai, ar in enumerate(data.articles, start=1):
        art = ar.article
        prefix = f"{ai}\\. " if several else ""
        out += [f"## {prefix}{md_escape(art.title) or 'Untitled article'}", ""]
        out.append(f"- Outlet: {md_escape(art.outlet) or '—'}")
        if art.authors:
            out.append(f"- Authors: {md_escape(', '.join(art.authors))}")
        if art.place:
            out.append(f"- Filed from: {md_escape(art.place)}")
        out.append(f"- URL: {md_link(art.url) if art.url else '—'}")
        out.append(f"- Published: {art.published.isoformat() if art.published else '—'}")
        out += [f"- Article SHA-256: `{art.sha256}`", ""]
        if several:
            out += [_counts_line(status_counts(ar.claims)), ""]
        if not ar.claims:
            out += ["_No claims are on the board for this article._", ""]
        for cr in ar.claims:
            c = cr.claim
            before, claim, after = context(art, c)
            heading = f"### Claim {numbers[c.id]} — {status_label(c.status)}"
            if c.rating:
                heading += f": {md_escape(c.rating)}"
            if original := repeat_of(c, numbers):
                heading += f" (repeat of claim {original})"
            out += [heading, ""]
            quoted = f"{_keep_edges(before)}**{md_escape(claim)}**{_keep_edges(after)}"
            out += [f"> {quoted}", ""]
            claimant = md_escape(claimant_text(c.claimant))
            out += [
                f"- Claimant: {claimant}",
                f"- Kind: {c.kind.label}",
                f"- Priority: {c.priority.value}",
                f"- Status: {status_label(c.status)}",
                f"- Rating: {md_escape(c.rating) or '—'}",
            ]
            if c.reviewer:
                out.append(f"- Reviewed by: {md_escape(c.reviewer)} · {format_dt(c.updated_at)}")
            out.append("")
            if c.explanation:
                out += ["**Explanation**", ""]
                for para in paragraphs(c.explanation):
                    out += [md_escape(para), ""]
            out += [f"**Evidence ({len(cr.links)})**", ""]
            if not cr.links:
                out += ["_No evidence attached._", ""]
            for n, link in enumerate(cr.links, start=1):
                e = link.evidence
                out.append(
                    f"{n}. **{md_escape(evidence_title(e))}** — {link.stance.label} ({kind_label(e.kind)})"
                )
                details = [md_escape(x) for x in (e.publisher, e.author) if x]
                if e.published:
                    details.append(f"published {e.published.isoformat()}")
                if details:
                    out.append(f"   - Source: {' · '.join(details)}")
                if e.url:
                    accessed = f" (accessed {e.accessed.isoformat()})" if e.accessed else ""
                    out.append(f"   - URL: {md_link(e.url)}{accessed}")
                elif e.accessed:
                    out.append(f"   - Accessed: {e.accessed.isoformat()}")
                if e.quote:
                    out.append(f"   - Quote: “{md_escape(e.quote)}”")
                for para in paragraphs(e.notes):
                    out.append(f"   - {md_escape(para)}")
                if link.note:
                    out.append(f"   - Note on this claim: {md_escape(link.note)}")
                if e.attachment is not None:
                    att = e.attachment
                    out.append(
                        f"   - File: {md_escape(att.filename)} ({human_size(att.size)}), "
                        f"SHA-256 `{att.sha256}`"
                    )
            if cr.links:
                out.append("")
            if data.include_history:
                out += ["**History**", ""]
                if not cr.history:
                    out += ["_No history recorded._", ""]
                for ev in cr.history:
                    out.append(
                        f"- {format_dt(ev.at)} — {md_escape(ev.actor) or '—'}: "
                        f"{md_escape(ev.action)}"
                    )
                    out += [f"  - {md_escape(line)}" for line in history_changes(ev)]
                if cr.history:
                    out.append("")

    out += ["## Evidence appendix", ""]
    entries = appendix(data)
    if entries:
        out += [
            "| File | Type, size | SHA-256 | Claims |",
            "| --- | --- | --- | --- |",
        ]
        for entry in entries:
            att = entry.attachment
            out.append(
                f"| {md_escape(att.filename)} | {md_escape(att.media_type) or '—'}, "
                f"{human_size(att.size)} | `{att.sha256}` | {', '.join(entry.claim_numbers)} |"
            )
        out.append("")
    else:
        out += ["_No files are attached to the evidence in this report._", ""]
    out += [
        "## Checking this report against the board",
        "",
        f"History head hash: `{data.head_hash or '(empty history)'}`",
        "",
        md_escape(verify_sentence(data)),
        "",
        "---",
        "",
        f"_Produced offline by factdesk {__version__}._",
        "",
    ]
    return "\n".join(out)
