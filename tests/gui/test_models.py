"""Every item model of the window passes pytest-qt's model tester, filled with real records."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from factdesk.domain import (
    ArticleSummary,
    ClaimKind,
    ClaimOrigin,
    ClaimRecord,
    ClaimStatus,
    EvidenceKind,
    EvidenceLinkRecord,
    EvidenceRecord,
    HistoryEventRecord,
    SearchHit,
    Stance,
)
from factdesk.gui.models import (
    ArticlesModel,
    ClaimsFilterModel,
    ClaimsModel,
    EvidenceModel,
    HistoryModel,
    SearchResultsModel,
)

NOW = datetime(2026, 5, 9, 12, 0, tzinfo=UTC)


def claim(i: int, **kw: Any) -> ClaimRecord:
    values: dict[str, Any] = dict(
        id=f"c{i}",
        article_id="a1",
        start=i * 10,
        end=i * 10 + 8,
        text=f"claim {i}",
        score=(i % 10) / 10,
        kind=list(ClaimKind)[i % len(ClaimKind)],
        claimant="Mayor Osei" if i % 2 else "",
        origin=ClaimOrigin.DETECTED,
        status=list(ClaimStatus)[i % 3],
        explanation="",
        rating="",
        dismissed=i % 7 == 0,
        reviewer="",
        duplicate_of=None,
        entities=(),
        created_at=NOW,
        updated_at=NOW,
    )
    values.update(kw)
    return ClaimRecord(**values)


def link(i: int) -> EvidenceLinkRecord:
    evidence = EvidenceRecord(
        id=f"e{i}",
        kind=EvidenceKind.URL,
        url=f"https://example.org/{i}",
        title=f"Source {i}",
        publisher="Herald",
        author="",
        published=None,
        accessed=None,
        quote="a passage",
        notes="",
        attachment=None,
        created_at=NOW,
        updated_at=NOW,
    )
    return EvidenceLinkRecord(f"l{i}", "c1", list(Stance)[i % 3], "", evidence, NOW)


def test_claims_model_and_filter(qtmodeltester: Any) -> None:
    model = ClaimsModel()
    model.set_records([claim(i) for i in range(30)])
    qtmodeltester.check(model)
    proxy = ClaimsFilterModel()
    proxy.setSourceModel(model)
    proxy.set_filter(show_dismissed=True)
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 30

    proxy.set_filter(show_dismissed=False)
    assert proxy.rowCount() == 30 - len([i for i in range(30) if i % 7 == 0])
    proxy.set_filter(statuses=frozenset({ClaimStatus.VERIFIED}), claimant="osei")
    shown = [proxy.data(proxy.index(r, 0), Qt_UserRole()) for r in range(proxy.rowCount())]
    assert shown and all(c.status is ClaimStatus.VERIFIED and c.claimant for c in shown)
    proxy.set_filter(statuses=frozenset(ClaimStatus), claimant="", min_score=0.85, kind=None)
    assert all(
        proxy.data(proxy.index(r, 0), Qt_UserRole()).score >= 0.85 for r in range(proxy.rowCount())
    )

    # rows change in place and new claims land in text order
    model.upsert([claim(3, status=ClaimStatus.DISPUTED), claim(99, start=15, end=18)])
    assert model.record(model.row_of("c3")).status is ClaimStatus.DISPUTED
    assert model.row_of("c99") == 2
    model.remove(["c99"])
    assert model.row_of("c99") == -1 and model.row_of("c3") == 3
    qtmodeltester.check(model)


def Qt_UserRole() -> int:
    from factdesk.gui.models import RecordRole

    return int(RecordRole)


def test_other_models(qtmodeltester: Any) -> None:
    articles = ArticlesModel()
    articles.set_records(
        [
            ArticleSummary(f"a{i}", f"Article {i}", "Herald", "txt", NOW, i, 1, 2, 0)
            for i in range(5)
        ]
    )
    qtmodeltester.check(articles)
    evidence = EvidenceModel()
    evidence.set_records([link(i) for i in range(4)])
    qtmodeltester.check(evidence)
    history = HistoryModel()
    history.set_records(
        [
            HistoryEventRecord(
                i,
                f"h{i}",
                NOW,
                "maria",
                "x",
                "Set status",
                "update",
                "claim",
                "c1",
                "c1",
                "a1",
                {"status": "unverified"},
                {"status": "verified"},
                "",
                "",
            )
            for i in range(3)
        ]
    )
    qtmodeltester.check(history)
    hits = SearchResultsModel()
    hits.set_records([SearchHit("claim", "c1", "a1", "c1", "Water", "the [council] said", 1.0)])
    qtmodeltester.check(hits)


def test_claims_model_reads_pages_as_the_view_scrolls(qtbot: Any, qtmodeltester: Any) -> None:
    from PySide6.QtWidgets import QTableView

    from factdesk.domain import ClaimCandidate
    from factdesk.importers import read_text
    from factdesk.services import Workspace

    lines = [f"The ministry said exports rose by {n} percent." for n in range(450)]
    text = "Exports\n" + "\n".join(lines)
    cands = [
        ClaimCandidate(
            text.index(line),
            text.index(line) + len(line),
            line,
            0.9,
            True,
            ClaimKind.STATISTIC,
            "the ministry",
        )
        for line in lines
    ]
    asked: list[str] = []
    with Workspace.open(plaintext=True) as ws:
        article = ws.add_document(read_text(text), candidates=cands).value

        def more(last: ClaimRecord, done: Any) -> None:
            asked.append(last.text)
            done(ws.claims_page(article.id, after=last, limit=200))

        model = ClaimsModel()
        model.set_pages(ws.claims_page(article.id, limit=200), more, 200)
        view = QTableView()
        view.setModel(model)
        view.resize(600, 300)
        qtbot.addWidget(view)
        view.show()
        assert model.rowCount() == 200 and not asked  # one page until the view reaches its end
        while model.canFetchMore():
            view.scrollToBottom()
            qtbot.wait(5)
        assert model.rowCount() == 450 and len(asked) == 2
        assert [model.record(i).text for i in range(450)] == lines
        assert asked[0] == lines[199]
        model.set_records([])
        assert not model.canFetchMore()
        # the model tester fetches every page itself
        model.set_pages(ws.claims_page(article.id, limit=200), more, 200)
        qtmodeltester.check(model)
