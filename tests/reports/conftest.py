"""Report data built from domain records: two articles, claims of every status, every kind of
evidence, history; and a hostile variant with markup and formulas in every user-written field."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from factdesk.domain import (
    ArticleRecord,
    AttachmentRecord,
    ClaimKind,
    ClaimOrigin,
    ClaimRecord,
    ClaimStatus,
    EntitySpan,
    EvidenceKind,
    EvidenceLinkRecord,
    EvidenceRecord,
    HistoryEventRecord,
    Stance,
)
from factdesk.reports import ArticleReport, ClaimReport, ReportData

T0 = datetime(2024, 5, 2, 9, 30, tzinfo=UTC)
HEAD = "9f" * 32

HOSTILE = (
    "<script>alert(1)</script><img src=x onerror=alert(2)></style>"
    '[click](javascript:alert(3)) ![i](http://evil.example/p.png) =HYPERLINK("http://x")'
)

ARTICLE_ONE = (
    "Unemployment falls again\n"
    "The minister said on Monday that unemployment fell to 3.9 percent in April. "
    "Dr. Jane Ode, an economist, disputed the figure. "
    "The city built 1,200 new homes last year, according to the council.\n"
    "Officials expect inflation to halve by next spring. Critics were not convinced."
)
ARTICLE_TWO = "Exports to Norway doubled in 2023, the trade office said. Analysts agreed."


def _article(aid: str, title: str, text: str, *, url: str, outlet: str) -> ArticleRecord:
    return ArticleRecord(
        id=aid,
        title=title,
        outlet=outlet,
        authors=("Sam Writer",),
        published=date(2024, 4, 30),
        url=url,
        language="en",
        text=text,
        sha256="ab" * 32,
        source_format="html",
        imported_at=T0,
        original_attachment_id=None,
        created_at=T0,
        updated_at=T0,
    )


def _claim(
    cid: str,
    article: ArticleRecord,
    text: str,
    *,
    status: ClaimStatus,
    claimant: str,
    kind: ClaimKind,
    explanation: str = "",
    rating: str = "",
    n_evidence: int = 0,
    entities: tuple[EntitySpan, ...] = (),
) -> ClaimRecord:
    start = article.text.index(text)
    return ClaimRecord(
        id=cid,
        article_id=article.id,
        start=start,
        end=start + len(text),
        text=text,
        score=0.9,
        kind=kind,
        claimant=claimant,
        origin=ClaimOrigin.DETECTED,
        status=status,
        explanation=explanation,
        rating=rating,
        dismissed=False,
        reviewer="Ana Checker" if status != ClaimStatus.UNVERIFIED else "",
        duplicate_of=None,
        entities=entities,
        created_at=T0,
        updated_at=T0 + timedelta(hours=2),
        n_evidence=n_evidence,
    )


def _evidence(
    eid: str,
    kind: EvidenceKind,
    *,
    url: str = "",
    title: str = "",
    publisher: str = "",
    author: str = "",
    quote: str = "",
    notes: str = "",
    attachment: AttachmentRecord | None = None,
) -> EvidenceRecord:
    return EvidenceRecord(
        id=eid,
        kind=kind,
        url=url,
        title=title,
        publisher=publisher,
        author=author,
        published=date(2024, 5, 1) if kind == EvidenceKind.URL else None,
        accessed=date(2024, 5, 2) if kind == EvidenceKind.URL else None,
        quote=quote,
        notes=notes,
        attachment=attachment,
        created_at=T0,
        updated_at=T0,
    )


def _link(lid: str, claim_id: str, stance: Stance, evidence: EvidenceRecord, note: str = ""):
    return EvidenceLinkRecord(
        id=lid, claim_id=claim_id, stance=stance, note=note, evidence=evidence, created_at=T0
    )


def _event(seq: int, claim: ClaimRecord, action: str, before: dict, after: dict):
    return HistoryEventRecord(
        seq=seq,
        id=f"ev-{seq}",
        at=T0 + timedelta(minutes=seq),
        actor="Ana Checker",
        action_id=f"act-{seq}",
        action=action,
        op="update" if before else "create",
        entity="claim",
        entity_id=claim.id,
        claim_id=claim.id,
        article_id=claim.article_id,
        before=before,
        after=after,
        prev_hash=f"{seq - 1:064x}",
        hash=f"{seq:064x}",
    )


def build(hostile: str | None = None, *, include_history: bool = True) -> ReportData:
    """The rich board. With `hostile`, that text is appended to every user-written field."""

    def h(text: str) -> str:
        return f"{text} {hostile}" if hostile else text

    a1 = _article(
        "a1",
        h("Unemployment falls again"),
        h(ARTICLE_ONE),
        url="https://news.example/jobs",
        outlet=h("Daily Example"),
    )
    a2 = _article(
        "a2",
        h("Trade with Norway"),
        ARTICLE_TWO,
        url="https://news.example/trade",
        outlet=h("Daily Example"),
    )
    c1 = _claim(
        "c1",
        a1,
        "unemployment fell to 3.9 percent in April",
        status=ClaimStatus.VERIFIED,
        claimant=h("The minister"),
        kind=ClaimKind.STATISTIC,
        explanation=h("The statistics office bulletin gives 3.9 percent.\nSeasonally adjusted."),
        rating=h("True"),
        n_evidence=2,
    )
    c2 = _claim(
        "c2",
        a1,
        "The city built 1,200 new homes last year",
        status=ClaimStatus.DISPUTED,
        claimant=h("City Council"),
        kind=ClaimKind.STATISTIC,
        explanation=h("Building permits show 640 completions."),
        rating=h("Misleading"),
        n_evidence=2,
        entities=(EntitySpan(0, 12, "ORG", "City Council"),),
    )
    c3 = _claim(
        "c3",
        a1,
        "Officials expect inflation to halve by next spring",
        status=ClaimStatus.UNVERIFIED,
        claimant="",
        kind=ClaimKind.PREDICTION,
    )
    c4 = _claim(
        "c4",
        a2,
        "Exports to Norway doubled in 2023",
        status=ClaimStatus.VERIFIED,
        claimant=h("the trade office"),
        kind=ClaimKind.COMPARISON,
        explanation=h("Customs data confirm it."),
        n_evidence=1,
    )
    injected = (
        [
            _claim(
                "c5",
                a1,
                hostile,
                status=ClaimStatus.DISPUTED,
                claimant=h("Anon"),
                kind=ClaimKind.OTHER,
                explanation=h("x"),
                rating=h("False"),
            )
        ]
        if hostile
        else []
    )
    pdf = AttachmentRecord(
        id="att1",
        sha256="5e" * 32,
        size=48_213,
        media_type="application/pdf",
        filename=h("permits-2023.pdf"),
        created_at=T0,
    )
    shot = AttachmentRecord(
        id="att2",
        sha256="c0ffee" + "11" * 29,
        size=912_004,
        media_type="image/png",
        filename=h("customs-table.png"),
        created_at=T0,
    )
    e_url = _evidence(
        "e1",
        EvidenceKind.URL,
        url="https://stats.example/bulletin?m=4&y=2024",
        title=h("Labour market bulletin, April"),
        publisher=h("Statistics Office"),
        author=h("R. Table"),
        quote=h("The unemployment rate was 3.9 per cent."),
    )
    e_note = _evidence("e2", EvidenceKind.NOTE, notes=h("Called the ministry press office."))
    e_file = _evidence(
        "e3",
        EvidenceKind.FILE,
        title=h("Building permits 2023"),
        attachment=pdf,
        notes=h("Table 4 lists completions."),
    )
    e_bad_url = _evidence(
        "e4",
        EvidenceKind.URL,
        url=h("javascript:alert(4)"),
        title=h("Council press release"),
        quote=h("1,200 homes"),
    )
    e_shot = _evidence("e5", EvidenceKind.FILE, title="", attachment=shot)
    history = (
        _event(1, c1, h("Detect claim"), {}, {"status": "unverified"}),
        _event(
            2,
            c1,
            h("Set status to verified"),
            {"status": "unverified"},
            {"status": "verified", "explanation": h("The statistics office...")},
        ),
    )
    return ReportData(
        generated_at=datetime(2024, 5, 3, 14, 5, tzinfo=UTC),
        reviewer=h("Ana Checker"),
        organisation=h("Example Fact Check"),
        organisation_url="https://factcheck.example/",
        head_hash=HEAD,
        scope=h("Whole board"),
        articles=(
            ArticleReport(
                a1,
                (
                    ClaimReport(
                        c1,
                        (
                            _link("l1", "c1", Stance.SUPPORTS, e_url, note=h("Table 1")),
                            _link("l2", "c1", Stance.CONTEXT, e_note),
                        ),
                        history if include_history else (),
                    ),
                    ClaimReport(
                        c2,
                        (
                            _link("l3", "c2", Stance.REFUTES, e_file),
                            _link("l4", "c2", Stance.CONTEXT, e_bad_url),
                        ),
                    ),
                    ClaimReport(c3),
                    *(ClaimReport(c) for c in injected),
                ),
            ),
            ArticleReport(a2, (ClaimReport(c4, (_link("l5", "c4", Stance.SUPPORTS, e_shot),)),)),
        ),
        include_history=include_history,
    )


@pytest.fixture
def data() -> ReportData:
    return build()


@pytest.fixture
def hostile_data() -> ReportData:
    return build(HOSTILE)
