"""Priority tiers: a few claims of each article are "check this first", the tier is decided once at
detection and stored, and every reader (analyze, the board, the history) gives the same one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factdesk.domain import ClaimCandidate, ClaimKind, Priority, article_tiers
from factdesk.importers import read_text
from factdesk.paths import sample_article
from factdesk.services import Workspace
from tests.conftest import SHARED
from tests.core.test_cli import run

REUTERS = SHARED / "samples" / "soledar-reuters.txt"


def test_one_claim_of_one_is_ranked_by_its_score_alone() -> None:
    assert article_tiers([(0.89, 10)]) == [Priority.HIGH]
    assert article_tiers([(0.7, 10)]) == [Priority.NORMAL]
    assert article_tiers([(0.4, 10)]) == [Priority.LOW]
    assert article_tiers([]) == []


def test_high_is_the_best_third_and_the_earlier_of_equal_scores() -> None:
    # seven claims at the calibration's ceiling, given out of text order: the first three are high
    claims = [(0.8936, start) for start in (60, 0, 50, 10, 40, 20, 30)]
    tiers = dict(zip((s for _, s in claims), article_tiers(claims), strict=True))
    assert [tiers[s] for s in sorted(tiers)] == [Priority.HIGH] * 3 + [Priority.NORMAL] * 4
    # a better score outranks an earlier one; below 0.8 nothing is high, whatever its rank
    # (two of five may be high)
    assert article_tiers([(0.85, 0), (0.95, 9), (0.9, 5), (0.6, 1), (0.3, 2)]) == [
        Priority.NORMAL,
        Priority.HIGH,
        Priority.HIGH,
        Priority.NORMAL,
        Priority.LOW,
    ]
    # the ranking reads scores as the board stores them (4 places): these two are equal
    assert article_tiers([(0.89361, 5), (0.893649, 1), (0.1, 2)]) == [
        Priority.NORMAL,
        Priority.HIGH,
        Priority.LOW,
    ]


def _body_tiers(path: Path) -> tuple[int, int]:
    code, out, err = run("analyze", str(path), "--json", "--all")
    assert code == 0, err
    candidates = json.loads(out)
    return sum(c["priority"] == "high" for c in candidates), len(candidates)


def test_at_most_half_of_the_bundled_samples_body_is_high_priority(factdesk_home: Path) -> None:
    """12 of its 15 body sentences were high: every sentence with a figure scores the same."""
    high, sentences = _body_tiers(sample_article())
    assert 0 < high <= sentences / 2, (high, sentences)


@pytest.mark.skipif(not REUTERS.is_file(), reason=f"{REUTERS} (the shared news samples) is absent")
def test_at_most_half_of_the_reuters_storys_body_is_high_priority(factdesk_home: Path) -> None:
    high, sentences = _body_tiers(REUTERS)
    assert 0 < high <= sentences / 2, (high, sentences)


def test_analyze_the_board_and_claims_json_give_each_claim_the_same_tier(
    factdesk_home: Path,
) -> None:
    sample = sample_article()
    analyzed = json.loads(run("analyze", str(sample), "--json")[1])
    assert run("add", str(sample))[0] == 0
    article_id = json.loads(run("list", "--json")[1])[0]["id"]
    stored = json.loads(run("claims", article_id[:8], "--json")[1])
    assert [(c["start"], c["priority"]) for c in analyzed] == [
        (c["start"], c["priority"]) for c in stored
    ]
    assert {"high", "normal"} <= {c["priority"] for c in stored}
    # the JSON keeps its keys, per claim
    for c in stored:
        assert {"start", "end", "text", "score", "priority", "kind", "claimant"} <= set(c)
        assert {"claimant_start", "claimant_end"} <= set(c)
    # and the terminal's list says the same tier
    rows = run("claims", article_id[:8])[1].splitlines()
    assert len(rows) == len(stored)
    for row, c in zip(rows, stored, strict=True):
        assert row.startswith(c["id"][:8]) and c["priority"] in row.split()[:6]


def _story(n: int, score: float = 0.8936) -> tuple[str, list[ClaimCandidate]]:
    lines = [f"The ministry said exports rose by {k} percent in region {k}." for k in range(n)]
    text = "Exports by region\n" + "\n".join(lines)
    cands = []
    for sentence in lines:
        start = text.index(sentence)
        cands.append(
            ClaimCandidate(
                start, start + len(sentence), sentence, score, True, ClaimKind.STATISTIC, None
            )
        )
    return text, cands


def test_claims_streamed_in_batches_end_with_the_tiers_of_the_whole_article(
    factdesk_home: Path,
) -> None:
    """The window stores an analysis a few paragraphs at a time: the first claims are high among
    few, and make room as the rest arrive; the board ends as if it had the article at once, and
    each change of tier is in the history (verify replays to the same rows)."""
    text, cands = _story(12)
    with Workspace.open(plaintext=True) as ws:
        article = ws.import_text(text, detect=False).value
        outcomes = [
            ws.add_detected_claims(article.id, cands[n : n + 3], earlier=cands[:n])
            for n in range(0, 12, 3)
        ]
        stored = ws.claims(article.id)
        assert [c.priority for c in stored] == [Priority.HIGH] * 4 + [Priority.NORMAL] * 8
        assert [c.priority for c in stored] == article_tiers([(c.score, c.start) for c in cands])
        # a batch hands back the claims whose tier it changed, for the window to repaint
        assert all({r.id for r in o.value} <= o.claim_ids and len(o.value) >= 3 for o in outcomes)
        assert ws.verify().ok
        # the first claim was high among the first three and stays so; the third was high
        # among six, and a later batch made it normal: its create event and one update say so
        third = [e for e in ws.history(claim_id=stored[2].id) if e.entity == "claim"]
        assert [e.op for e in sorted(third, key=lambda e: e.seq)] == ["create", "update"]
        # undoing the import takes every claim away, tiers and all
        ws.undo()
        assert ws.list_articles() == []
        assert ws.verify().ok


def test_a_claim_marked_by_hand_is_high_and_moves_no_other(factdesk_home: Path) -> None:
    text, cands = _story(3, score=0.62)
    with Workspace.open(plaintext=True) as ws:
        article = ws.add_document(read_text(text), candidates=cands).value
        before = {c.id: c.priority for c in ws.claims(article.id)}
        assert set(before.values()) == {Priority.NORMAL}
        start = text.index("Exports by region")
        marked = ws.mark_claim(
            article.id, start, start + len("Exports by region"), kind=ClaimKind.OTHER
        )
        assert marked.value.priority is Priority.HIGH
        after = {c.id: c.priority for c in ws.claims(article.id) if c.id != marked.value.id}
        assert after == before
        assert ws.verify().ok


def test_the_tier_is_in_the_claims_create_event(factdesk_home: Path) -> None:
    text, cands = _story(4)
    with Workspace.open(plaintext=True) as ws:
        article = ws.add_document(read_text(text), candidates=cands).value
        for claim in ws.claims(article.id):
            [create] = [e for e in ws.history(claim_id=claim.id) if e.op == "create"]
            assert create.after["priority"] == claim.priority.rank


def test_a_tier_edited_in_the_board_file_is_named_by_verify(factdesk_home: Path) -> None:
    import sqlite3

    text, cands = _story(3)
    board = factdesk_home / "desk.fdb"
    with Workspace.open(board, plaintext=True) as ws:
        article = ws.add_document(read_text(text), candidates=cands).value
        first = ws.claims(article.id)[0]
        assert first.priority is Priority.HIGH
    with sqlite3.connect(board) as conn:
        conn.execute("UPDATE claims SET priority = 2 WHERE id = ?", (first.id,))
    with Workspace.open(board, create=False) as ws:
        report = ws.verify()
    assert not report.ok
    assert any("priority is 2 in the board, history says 0" in p.what for p in report.problems)


def test_reports_give_each_claim_its_stored_tier(factdesk_home: Path, tmp_path: Path) -> None:
    text, cands = _story(6)
    with Workspace.open(plaintext=True) as ws:
        article = ws.add_document(read_text(text), candidates=cands).value
        tiers = [c.priority.value for c in ws.claims(article.id)]
        assert tiers.count("high") == 2
        md, csv_path = tmp_path / "r.md", tmp_path / "r.csv"
        ws.export(article.id, "md", md)
        ws.export(article.id, "csv", csv_path)
    assert md.read_text().count("- Priority: high") == 2
    assert md.read_text().count("- Priority: normal") == 4
    import csv

    [claims_csv] = [p for p in tmp_path.glob("*.csv") if "evidence" not in p.name]
    with claims_csv.open(encoding="utf-8") as f:
        assert [row["priority"] for row in csv.DictReader(f)] == tiers
