"""The window shows the tier stored with each claim: the article's tints, the claims table's
Priority column and order, and the toolbar's High / High + normal / All switch all agree with
the board and with `factdesk analyze`, also when the claims were streamed in as found."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from factdesk.domain import Priority
from factdesk.gui.main_window import MainWindow
from factdesk.nlp import candidate_dict, detect_claims
from tests.gui.conftest import needs_nlp
from tests.gui.driver import Desk


@needs_nlp
def test_the_window_the_board_and_analyze_give_each_claim_the_same_tier(
    make_window: Callable[..., MainWindow], qtbot: Any, sample_path: Path
) -> None:
    window = make_window(detector="inline")  # batches streamed as the window's worker sends them
    desk = Desk(window, qtbot)
    with qtbot.waitSignal(window.detection_finished, timeout=120_000):
        desk.open(str(sample_path))
    analyzed = [
        candidate_dict(c)
        for c in detect_claims(sample_path.read_text(encoding="utf-8"))
        if c.is_check_worthy
    ]
    stored = desk.board_claims()
    assert [(c.start, c.priority.value) for c in stored] == [
        (c["start"], c["priority"]) for c in analyzed
    ]
    tiers = [c.priority for c in stored]
    assert 0 < tiers.count(Priority.HIGH) <= len(tiers) / 2

    qtbot.waitUntil(lambda: len(desk.shown_claims()) == len(stored), timeout=10_000)
    by_text = {c.text: c for c in stored}
    rows = desk.shown_claims()
    # the table: the stored tier in its column, high first
    assert [by_text[r.claim_text].priority.value.capitalize() for r in rows] == [
        r.priority for r in rows
    ]
    ranks = [by_text[r.claim_text].priority.rank for r in rows]
    assert ranks == sorted(ranks)
    # the article: each claim painted in its stored tier
    window.selection.set_claim(None)
    assert {c.id: desk.article_tier(c) for c in stored} == {c.id: c.priority for c in stored}

    # the toolbar's switch: high only, then high + normal, then all
    window.priority_bar.actions_by_tier[Priority.HIGH].trigger()
    shown = {r.claim_text for r in desk.shown_claims()}
    assert shown == {c.text for c in stored if c.priority is Priority.HIGH}
    painted = {c.id for c in stored if desk.article_tier(c) is not None}
    assert painted == {c.id for c in stored if c.priority is Priority.HIGH}
    window.priority_bar.actions_by_tier[Priority.LOW].trigger()
    assert len(desk.shown_claims()) == len(stored)
