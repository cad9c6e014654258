"""A long article's claims table comes a page at a time: the first page is on screen at once, the
rest as the journalist scrolls, walks on with J, or clicks a claim further on in the article;
the article itself shows every claim, and the priority switch still works."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from factdesk.domain import ClaimCandidate, ClaimKind, ClaimStatus, Priority
from factdesk.gui.main_window import MainWindow
from factdesk.gui.models import RecordRole
from factdesk.importers import read_text
from factdesk.services import Workspace
from tests.gui.driver import Desk

N = 450
SCORES = (0.93, 0.62, 0.41)  # high, normal, low in turn: 150 claims of each tier


def line(n: int) -> str:
    return f"The ministry said exports rose by {n} percent in region {n}."


@pytest.fixture
def long_article() -> str:
    lines = [line(n) for n in range(N)]
    text = "Exports by region\n" + "\n".join(lines)
    cands = []
    for n, sentence in enumerate(lines):
        start = text.index(sentence)
        cands.append(
            ClaimCandidate(
                start,
                start + len(sentence),
                sentence,
                SCORES[n % 3],
                True,
                ClaimKind.STATISTIC,
                "the ministry",
            )
        )
    with Workspace.open() as ws:
        return ws.add_document(read_text(text, title="Exports"), candidates=cands).value.id


def table_order() -> list[str]:
    """The claims as the table lists them: high priority first, text order within a tier."""
    return [line(n) for tier in range(3) for n in range(tier, N, 3)]


def opened(make_window: Callable[..., MainWindow], qtbot: Any, article_id: str) -> Desk:
    window = make_window()
    desk = Desk(window, qtbot)
    window.articles.open_article(article_id)
    qtbot.waitUntil(lambda: bool(desk.shown_claims()), timeout=10_000)
    return desk


def scroll_to_end(desk: Desk, qtbot: Any) -> None:
    """Keep dragging the scroll bar down while the table grows (each page lengthens it)."""
    for _ in range(10):
        qtbot.wait(30)  # the view lays the new rows out
        desk.scroll_claims_to_end()
    qtbot.wait(30)


def test_the_first_page_shows_at_once_and_scrolling_brings_the_rest(
    make_window: Callable[..., MainWindow], qtbot: Any, long_article: str
) -> None:
    desk = opened(make_window, qtbot, long_article)
    shown = [c.text for c in desk.shown_claims()]
    assert shown == table_order()[:200]
    # the article highlights every claim, not only the first page's
    painted = desk.window.article.view.highlighter
    board = desk.board_claims()
    qtbot.waitUntil(lambda: painted.claim(board[-1].id) is not None, timeout=10_000)
    assert all(painted.claim(c.id) is not None for c in board)
    scroll_to_end(desk, qtbot)
    assert len(desk.shown_claims()) == N
    assert [c.text for c in desk.shown_claims()] == table_order()


def test_j_walks_past_the_last_row_fetched_and_a_verdict_there_shows(
    make_window: Callable[..., MainWindow], qtbot: Any, long_article: str
) -> None:
    desk = opened(make_window, qtbot, long_article)
    view = desk.window.claims.view
    last = desk.window.claims.proxy.index(199, 0)
    desk.window.selection.set_claim(desk.window.claims.proxy.data(last, RecordRole).id)
    view.setFocus()
    assert desk.selected_row_text() == table_order()[199]
    desk.next_claim()
    assert desk.selected_row_text() == table_order()[200]
    assert desk.selected_claim_text() == table_order()[200]
    desk.set_verdict(ClaimStatus.VERIFIED)
    qtbot.waitUntil(lambda: desk.shown_claims()[200].status == "Verified", timeout=10_000)
    desk.previous_claim()
    assert desk.selected_row_text() == table_order()[199]


def test_clicking_a_claim_far_down_the_article_selects_its_row(
    make_window: Callable[..., MainWindow], qtbot: Any, long_article: str
) -> None:
    desk = opened(make_window, qtbot, long_article)
    board = desk.board_claims()
    target = board[N - 1]  # the last line, low priority: on the third page
    assert target.text not in {c.text for c in desk.shown_claims()}
    desk.click_claim_in_article(target)
    qtbot.waitUntil(lambda: desk.selected_row_text() == target.text, timeout=10_000)
    assert desk.selected_claim_text() == target.text
    # every row before it in the table's order came with it, in order
    shown = [c.text for c in desk.shown_claims()]
    assert shown == table_order()[: len(shown)] and shown[-1] == target.text


def test_the_priority_switch_shows_a_tier_without_fetching_the_others(
    make_window: Callable[..., MainWindow], qtbot: Any, long_article: str
) -> None:
    desk = opened(make_window, qtbot, long_article)
    desk.window.claims.set_min_priority(Priority.HIGH)
    scroll_to_end(desk, qtbot)
    assert [c.text for c in desk.shown_claims()] == table_order()[:150]
    assert desk.window.claims.model.rowCount() == 200, "the low tier was not fetched"
    desk.window.claims.set_min_priority(Priority.LOW)
    assert len(desk.shown_claims()) == 200
    scroll_to_end(desk, qtbot)
    assert len(desk.shown_claims()) == N


@pytest.mark.parametrize("fetched", [200, N])
def test_undo_keeps_the_rows_fetched_and_the_selection(
    make_window: Callable[..., MainWindow], qtbot: Any, long_article: str, fetched: int
) -> None:
    desk = opened(make_window, qtbot, long_article)
    if fetched == N:
        scroll_to_end(desk, qtbot)
    assert len(desk.shown_claims()) == fetched
    target = table_order()[fetched - 50]
    row = [c.text for c in desk.shown_claims()].index(target)
    desk.window.selection.set_claim(desk.window.claims.proxy.index(row, 0).data(RecordRole).id)
    desk.window.claims.view.setFocus()
    desk.set_verdict(ClaimStatus.DISPUTED)
    qtbot.waitUntil(lambda: desk.shown_claims()[row].status == "Disputed", timeout=10_000)
    desk.undo()
    qtbot.waitUntil(lambda: desk.shown_claims()[row].status == "Unverified", timeout=10_000)
    assert [c.text for c in desk.shown_claims()] == table_order()[:fetched]
    assert desk.selected_row_text() == target
    scroll_to_end(desk, qtbot)  # and the rest still comes as before
    assert [c.text for c in desk.shown_claims()] == table_order()
