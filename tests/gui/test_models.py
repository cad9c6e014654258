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
    Priority,
    SearchHit,
    Stance,
)
from factdesk.domain.priority import score_tier
from factdesk.gui.claims_model import ClaimsFilterModel, ClaimsModel
from factdesk.gui.models import (
    ArticlesModel,
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
        priority=score_tier((i % 10) / 10),
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

    # high priority first, text order within a tier: where a journalist starts
    tiers = [c.priority.rank for c in model.records()]
    assert tiers == sorted(tiers) and tiers[0] == 0
    highs = [c.start for c in model.records() if c.priority is Priority.HIGH]
    assert highs == sorted(highs)

    # rows change in place and new claims land in their place in that order
    model.upsert([claim(3, status=ClaimStatus.DISPUTED), claim(99, start=15, end=18)])
    assert model.record(model.row_of("c3")).status is ClaimStatus.DISPUTED
    assert model.row_of("c99") == 0, "a high-priority claim at the top of the text comes first"
    row_of_c3 = model.row_of("c3")
    model.remove(["c99"])
    assert model.row_of("c99") == -1 and model.row_of("c3") == row_of_c3 - 1
    qtmodeltester.check(model)

    # a claim whose tier changes (a streamed analysis re-ranks the article) moves to its place
    model.upsert([claim(29, priority=Priority.HIGH)])
    tiers = [c.priority.rank for c in model.records()]
    assert tiers == sorted(tiers)
    assert model.row_of("c29") == max(
        i for i, c in enumerate(model.records()) if c.priority is Priority.HIGH
    )
    assert len(model.records()) == 30
    qtmodeltester.check(model)

    # several re-tiered in one flush, then several removed at once: each lands in its place
    model.upsert([claim(i, priority=Priority.LOW) for i in (1, 2, 5)])
    order = [(c.priority.rank, c.start) for c in model.records()]
    assert order == sorted(order) and len(order) == 30
    assert [model.row_of(f"c{i}") for i in (1, 2, 5)] == sorted(
        model.row_of(f"c{i}") for i in (1, 2, 5)
    )
    left = [c.id for c in model.records() if c.id not in {"c1", "c5", "c29"}]
    model.remove(["c1", "c5", "c29"])
    assert [c.id for c in model.records()] == left
    assert all(model.row_of(cid) == i for i, cid in enumerate(left))
    qtmodeltester.check(model)

    # the priority switch: high only, then high + normal
    proxy.set_filter(min_score=0.0, min_priority=Priority.HIGH)
    shown = [proxy.data(proxy.index(r, 0), Qt_UserRole()) for r in range(proxy.rowCount())]
    assert shown and all(c.priority is Priority.HIGH for c in shown)
    proxy.set_filter(min_priority=Priority.NORMAL)
    shown = [proxy.data(proxy.index(r, 0), Qt_UserRole()) for r in range(proxy.rowCount())]
    assert any(c.priority is Priority.NORMAL for c in shown)
    assert all(c.priority is not Priority.LOW for c in shown)


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


def test_a_repeat_names_the_claim_it_repeats_as_the_report_numbers_it() -> None:
    model = ClaimsModel()
    original = claim(2, dismissed=False, score=0.1)
    repeat = claim(5, dismissed=False, score=0.9, duplicate_of="c2")
    model.set_records([claim(1, dismissed=False), original, claim(3, dismissed=True), repeat])

    def shown(record: ClaimRecord) -> str:
        return model.index(model.row_of(record.id), ClaimsModel.TEXT).data()

    # live claims in text order, dismissed ones left out: c1 is claim 1, c2 is claim 2
    assert shown(repeat) == "(repeat of claim 2) claim 5"
    assert shown(original) == "claim 2"
    model.upsert([claim(1, dismissed=True)])
    assert shown(repeat) == "(repeat of claim 1) claim 5"


def test_the_claims_model_fetches_pages_as_asked(qtmodeltester: Any) -> None:
    from factdesk.gui.claims_model import claim_order

    records = sorted((claim(i, dismissed=False) for i in range(50)), key=claim_order)
    asked: list[tuple[str, str | None]] = []

    def request(after: ClaimRecord, through: str | None, done: Any) -> None:
        asked.append((after.id, through))
        rest = records[records.index(after) + 1 :]
        ids = [c.id for c in rest]
        page = rest[: ids.index(through) + 1] if through is not None else rest[:10]
        done(page, len(rest) > len(page))

    model = ClaimsModel()
    model.set_records(records[:10], request)
    qtmodeltester.check(model)  # the tester fetches more as a view would
    assert len(asked) >= 1 and asked[0] == (records[9].id, None)
    while model.canFetchMore():
        model.fetchMore()
    assert model.records() == records and len(asked) == 4
    qtmodeltester.check(model)

    model = ClaimsModel()  # no tester on this one: it fetches a page on every reset
    model.set_records(records[:10], request)
    assert not model.knows_all() and model.canFetchMore()
    repeat = claim(60, dismissed=False, duplicate_of=records[45].id, score=0.95)
    assert model.index(0, ClaimsModel.TEXT).data() == records[0].text
    model.upsert([repeat])  # beyond the last page: it comes with its page, not now
    assert model.row_of(repeat.id) == (0 if claim_order(repeat) < claim_order(records[9]) else -1)
    done: list[bool] = []
    model.fetch_through(records[45].id, lambda: done.append(True))
    assert done and model.records()[-1] == records[45] and model.canFetchMore()
    # the article's claims all known: they are the rows (in order, nothing left to fetch),
    # and R finds the repeat
    model.set_article_claims([*records, repeat])
    assert model.knows_all() and model.repeats_of(records[45]) == [repeat]
    assert model.records() == sorted([*records, repeat], key=claim_order)
    assert not model.canFetchMore()
    qtmodeltester.check(model)
