"""What keeps a big board fast, checked for what a journalist sees: the search index follows every
edit and undo, article counts follow every verdict, claims come a page at a time, and a board of
schema 0001 gains all of it on upgrade (a copy taken first)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from factdesk.domain import ClaimCandidate, ClaimKind, ClaimStatus
from factdesk.importers import read_text
from factdesk.services import Workspace
from factdesk.store import migrate
from tests.core.helpers import board_with_article

FIXTURE = Path(__file__).parents[1] / "fixtures" / "boards" / "schema-0001.fdb"


def counted(ws: Workspace, article_id: str) -> tuple[int, int, int, int]:
    """The counts worked out from the claims themselves."""
    claims = ws.claims(article_id, include_dismissed=True)
    live = [c for c in claims if not c.dismissed]
    return (
        sum(c.status is ClaimStatus.VERIFIED for c in live),
        sum(c.status is ClaimStatus.DISPUTED for c in live),
        sum(c.status is ClaimStatus.UNVERIFIED for c in live),
        sum(c.dismissed for c in claims),
    )


def test_a_schema_0001_board_upgrades_with_search_and_counts(
    tmp_path: Path, factdesk_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    board = tmp_path / "desk.fdb"
    shutil.copy(FIXTURE, board)
    monkeypatch.setenv("FACTDESK_PASSPHRASE", "fixture board passphrase")
    with Workspace.open(board, create=False) as ws:
        assert ws.info().schema_revision == migrate.HEAD
        [article] = ws.list_articles()
        assert (article.n_verified, article.n_disputed, article.n_unverified) == (0, 1, 0)
        assert ws.article_counts(article.id) == counted(ws, article.id) == (0, 1, 0, 0)
        claim = ws.claims(article.id)[0]
        # the claim's words, its explanation and its evidence are all found after the upgrade
        found = {h.kind: h for h in ws.search("container")}
        assert {k: h.id for k, h in found.items()} == {"claim": claim.id, "article": article.id}
        assert "[container]" in found["claim"].snippet
        hits = {h.kind: h for h in ws.search("customs")}
        assert hits["claim"].id == claim.id and hits["evidence"].claim_id == claim.id
        assert hits["evidence"].article_id == article.id
        ws.set_status(claim.id, "verified", "The port's annual report confirms it.")
        assert ws.article_counts(article.id) == (1, 0, 0, 0)
        assert ws.search("confirms")[0].id == claim.id
        assert ws.verify().ok
    assert len(list(factdesk_home.rglob("desk-schema-0001-*.fdb"))) == 1


def test_the_index_follows_edits_dismissals_and_undo(factdesk_home: Path) -> None:
    ws, _, (claim_id, other) = board_with_article(factdesk_home)
    with ws:
        ws.edit_claim(claim_id, explanation="The aquifer figures disagree.")
        assert [h.id for h in ws.search("aquifer")] == [claim_id]
        ws.edit_claim(claim_id, explanation="The reservoir figures disagree.")
        assert ws.search("aquifer") == []
        # a word in two entries of the same claim is one hit, not one per edit
        assert [h.id for h in ws.search("reservoir figures")] == [claim_id]
        ws.undo()
        assert [h.id for h in ws.search("aquifer")] == [claim_id]
        assert ws.search("reservoir") == []
        ws.attach_note(other, "Asked the hydrologist twice")
        assert [h.claim_id for h in ws.search("hydrologist")] == [other]
        ws.undo()
        assert ws.search("hydrologist") == []
        # the whole import undone: nothing of the article is found any more
        ws.undo()
        ws.undo()
        assert ws.search("aquifer") == [] and ws.search("council") == []
        ws.redo()
        assert {h.kind for h in ws.search("council")} == {"claim", "article"}


def test_only_words_ending_in_a_star_match_as_prefixes(factdesk_home: Path) -> None:
    ws, article_id, _ = board_with_article(factdesk_home)
    with ws:
        assert ws.search("bill") == []
        assert ws.search("bill*") and ws.search("bills")
        # a word only the article body holds: the article, with the word marked in its snippet
        [hit] = ws.search("Tuesday")
        assert hit.kind == "article" and hit.id == article_id and "[Tuesday]" in hit.snippet


def test_counts_follow_verdicts_dismissals_and_undo(factdesk_home: Path) -> None:
    ws, article_id, (first, second) = board_with_article(factdesk_home)
    with ws:
        assert ws.article_counts(article_id) == (0, 0, 2, 0)
        ws.set_status(first, "verified")
        ws.set_status(second, "disputed")
        assert ws.article_counts(article_id) == counted(ws, article_id) == (1, 1, 0, 0)
        ws.dismiss_claim(second)
        assert ws.article_counts(article_id) == counted(ws, article_id) == (1, 0, 0, 1)
        summary = ws.list_articles()[0]
        assert (summary.n_verified, summary.n_disputed, summary.n_dismissed) == (1, 0, 1)
        ws.undo()
        ws.undo()
        assert ws.article_counts(article_id) == counted(ws, article_id) == (1, 0, 1, 0)
        ws.redo()
        assert ws.article_counts(article_id) == counted(ws, article_id) == (1, 1, 0, 0)


def test_claims_come_a_page_at_a_time_high_priority_first(factdesk_home: Path) -> None:
    lines = [f"The ministry said exports rose by {n} percent." for n in range(450)]
    text = "Exports\n" + "\n".join(lines)
    scores = [0.93, 0.62, 0.41]  # high, normal, low in turn
    cands = []
    for n, line in enumerate(lines):
        start = text.index(line)
        cands.append(
            ClaimCandidate(
                start, start + len(line), line, scores[n % 3], True, ClaimKind.STATISTIC, "m"
            )
        )
    with Workspace.open(home=factdesk_home) as ws:
        article = ws.add_document(read_text(text), candidates=cands).value
        assert ws.article_counts(article.id) == (0, 0, 450, 0)
        everything = ws.claims(article.id)  # text order
        ws.dismiss_claim(everything[11].id)  # a low-priority one
        pages = [ws.claims_page(article.id)]
        while len(pages[-1]) == 200:
            pages.append(ws.claims_page(article.id, after=pages[-1][-1]))
        assert [len(p) for p in pages] == [200, 200, 49]
        # the table's order: the 150 high claims in text order, then normal, then low
        expected = [
            c.id for tier in range(3) for c in everything[tier::3] if c.id != everything[11].id
        ]
        assert [c.id for p in pages for c in p] == expected
        with_dismissed = ws.claims_page(article.id, after=pages[0][-1], include_dismissed=True)
        assert any(c.id == everything[11].id and c.dismissed for c in with_dismissed)
        assert ws.claims_page(article.id, after=everything[-1]) == []
        # a claim chosen elsewhere (in the article, say): every claim up to it, in one read
        wanted = everything[301]  # normal tier, the 101st normal claim
        upto = ws.claims_page(article.id, after=pages[0][-1], through=wanted)
        assert [c.id for c in upto] == expected[200 : expected.index(wanted.id) + 1]


def test_a_page_of_claims_is_read_by_seeks_on_the_priority_index(factdesk_home: Path) -> None:
    from sqlalchemy import event

    from factdesk.store import claims_by_priority

    ws, article_id, _ids = board_with_article(factdesk_home)
    with ws:
        board = ws._ctx.board  # the query plan is the store's: read it where the store runs it
        seen: list[tuple[str, object]] = []
        event.listen(
            board.engine,
            "before_cursor_execute",
            lambda _conn, _cur, sql, params, *_rest: seen.append((sql, params)),
        )
        claims_by_priority(board, article_id, after=(0, 5, 9, "x"), limit=200)
        sql, params = next(q for q in seen if "FROM claims" in q[0])
        with board.engine.connect() as conn:
            plan = " ".join(
                str(row[-1]) for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)
            )
    assert "ix_claims_priority" in plan and "TEMP B-TREE" not in plan, plan


def test_a_schema_0004_board_gains_the_priority_index_after_a_copy(
    tmp_path: Path, factdesk_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlcipher3

    board = tmp_path / "desk.fdb"
    shutil.copy(FIXTURE.with_name("schema-0004.fdb"), board)
    monkeypatch.setenv("FACTDESK_PASSPHRASE", "fixture board passphrase")
    with Workspace.open(board, create=False) as ws:
        assert ws.info().schema_revision == migrate.HEAD
        [article] = ws.list_articles()
        [claim] = ws.claims_page(article.id)
        assert claim.explanation == "Customs data show a 21 percent fall."
        assert ws.verify().ok
    [backup] = factdesk_home.rglob("desk-schema-0004-*.fdb")

    def indexes(path: Path) -> set[str]:
        conn = sqlcipher3.connect(str(path))
        try:
            conn.execute("PRAGMA key = 'fixture board passphrase'")
            return {row[1] for row in conn.execute("PRAGMA index_list(claims)")}
        finally:
            conn.close()

    assert "ix_claims_priority" in indexes(board)
    assert "ix_claims_priority" not in indexes(backup)


def test_board_info_counts_what_is_there_without_counting_every_row(factdesk_home: Path) -> None:
    ws, _article_id, claim_ids = board_with_article(factdesk_home)
    with ws:
        ws.import_text("Exports rose 12 percent, the ministry said.", title="Second", detect=False)
        ws.dismiss_claim(claim_ids[0])
        ws.set_status(claim_ids[1], "verified")
        ws.undo()

        info = ws.info()
        claims = ws.claims(include_dismissed=True)
        assert info.n_claims == len(claims) and any(c.dismissed for c in claims)
        assert info.n_articles == len(ws.list_articles()) == 2
        assert info.n_events == len(ws.history()) > 0
