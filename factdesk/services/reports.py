"""Reports: a consistent snapshot of the board turned into HTML, PDF, Markdown, CSV or
ClaimReview JSON-LD."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from factdesk import store
from factdesk.domain import InvalidInputError
from factdesk.services.context import Context, now


def report_data(
    ctx: Context,
    article_id: str | None = None,
    *,
    include_history: bool = False,
    include_unverified: bool = False,
) -> Any:
    """A snapshot for a report, read in one transaction: one article, or the whole board (None)."""
    from factdesk import reports

    with ctx.lock:
        head, snapshot = store.report_snapshot(ctx.board, article_id, with_history=include_history)
    scope = f"Article: {snapshot[0][0].title}" if article_id is not None else "Whole board"
    parts = tuple(
        reports.ArticleReport(
            article,
            tuple(reports.ClaimReport(claim, links, events) for claim, links, events in claims),
        )
        for article, claims in snapshot
    )
    settings = ctx.settings
    return reports.ReportData(
        generated_at=now(),
        reviewer=settings.author_name,
        organisation=settings.organisation,
        organisation_url=settings.organisation_url,
        head_hash=head,
        scope=scope,
        articles=parts,
        include_history=include_history,
        include_unverified=include_unverified,
        review_url_template=settings.review_url_template,
    )


def export_warnings(ctx: Context, fmt: str) -> list[str]:
    """What a report in `fmt` would lack that the user's settings could give it."""
    settings = ctx.settings
    if fmt != "claimreview" or settings.review_url_template:
        return []
    where = (
        f"{settings.organisation_url.split('#')[0]}#claim-<id>"
        if settings.organisation_url
        else "a urn:uuid:<claim id>"
    )
    return [
        f"each ClaimReview's url is {where}, not the address of a published fact-check; "
        "set the desk's pattern with factdesk config set review-url "
        "'https://…/{claim_id}' (or File → Settings… in the window)."
    ]


def export(
    ctx: Context,
    article_id: str | None,
    fmt: str,
    path: str | os.PathLike[str],
    *,
    include_history: bool = False,
    include_unverified: bool = False,
    paper: str = "a4",
) -> list[Path]:
    """Write a report (html, pdf, md, csv, claimreview); returns the files written."""
    from factdesk import reports

    if fmt not in reports.FORMATS:
        raise InvalidInputError(
            f"Unknown report format {fmt!r}: use one of {', '.join(reports.FORMATS)}."
        )
    data = report_data(
        ctx, article_id, include_history=include_history, include_unverified=include_unverified
    )
    return reports.write(data, fmt, Path(path).expanduser(), paper=paper)
