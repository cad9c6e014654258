"""A long article's claims table: the first page is on screen at once and the scroll bar spans
the whole article from the start (its end is the article's last claim), the priority switch
changes how many rows there are, and J, clicks in the article, verdicts and undo keep the
selection and the evidence board on the same claim."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt

from factdesk.domain import ClaimCandidate, ClaimKind, ClaimStatus, Priority
from factdesk.gui.claims_model import ClaimsModel
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


def rows_spanned(desk: Desk) -> int:
    """How many rows the claims table's scroll bar spans (its range plus the rows in view)."""
    view = desk.window.claims.view
    bar = view.verticalScrollBar()
    return bar.maximum() - bar.minimum() + bar.pageStep()


def bottom_row_text(desk: Desk, qtbot: Any) -> str:
    """The claim in the last row visible at the bottom of the table."""
    view = desk.window.claims.view
    qtbot.wait(30)  # the view lays the rows out
    index = view.indexAt(QPoint(5, view.viewport().height() - 3))
    return str(index.siblingAtColumn(ClaimsModel.TEXT).data() or "")


def test_the_scroll_bar_spans_the_whole_article_at_first_show_and_its_end_is_the_last_claim(
    make_window: Callable[..., MainWindow], qtbot: Any, long_article: str
) -> None:
    desk = opened(make_window, qtbot, long_article)
    assert rows_spanned(desk) == N, "the thumb is sized for the whole article at once"
    assert [c.text for c in desk.shown_claims()][:200] == table_order()[:200]
    desk.scroll_claims_to_end()  # one drag to the bottom, not page by page
    assert bottom_row_text(desk, qtbot) == table_order()[-1]
    assert [c.text for c in desk.shown_claims()] == table_order()
    # the article highlights every claim
    painted = desk.window.article.view.highlighter
    assert all(painted.claim(c.id) is not None for c in desk.board_claims())
    # the last claim clicked there is the one the evidence board shows
    desk.select_claim(table_order()[-1])
    assert desk.selected_claim_text() == table_order()[-1]
    assert desk.selected_row_text() == table_order()[-1]


def test_the_priority_switch_changes_how_many_rows_the_scroll_bar_spans(
    make_window: Callable[..., MainWindow], qtbot: Any, long_article: str
) -> None:
    desk = opened(make_window, qtbot, long_article)
    for tier, count in ((Priority.HIGH, 150), (Priority.NORMAL, 300), (Priority.LOW, N)):
        desk.window.claims.set_min_priority(tier)
        qtbot.wait(10)
        assert rows_spanned(desk) == count, tier
        desk.scroll_claims_to_end()
        assert bottom_row_text(desk, qtbot) == table_order()[count - 1], tier


def test_j_walks_past_the_first_page_and_a_verdict_there_shows(
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
    target = board[N - 1]  # the last line, low priority: beyond the first page
    desk.click_claim_in_article(target)
    qtbot.waitUntil(lambda: desk.selected_row_text() == target.text, timeout=10_000)
    assert desk.selected_claim_text() == target.text
    assert [c.text for c in desk.shown_claims()] == table_order()


def test_undo_keeps_the_rows_and_the_selection(
    make_window: Callable[..., MainWindow], qtbot: Any, long_article: str
) -> None:
    desk = opened(make_window, qtbot, long_article)
    target = table_order()[N - 50]
    row = [c.text for c in desk.shown_claims()].index(target)
    desk.window.selection.set_claim(desk.window.claims.proxy.index(row, 0).data(RecordRole).id)
    desk.window.claims.view.setFocus()
    desk.set_verdict(ClaimStatus.DISPUTED)
    qtbot.waitUntil(lambda: desk.shown_claims()[row].status == "Disputed", timeout=10_000)
    desk.undo()
    qtbot.waitUntil(lambda: desk.shown_claims()[row].status == "Unverified", timeout=10_000)
    assert [c.text for c in desk.shown_claims()] == table_order()
    assert desk.selected_row_text() == target
    assert rows_spanned(desk) == N


def test_sorting_by_a_column_sorts_the_whole_article(
    make_window: Callable[..., MainWindow], qtbot: Any, long_article: str
) -> None:
    desk = opened(make_window, qtbot, long_article)
    view = desk.window.claims.view
    view.sortByColumn(ClaimsModel.TEXT, Qt.SortOrder.DescendingOrder)  # a header click
    assert desk.shown_claims()[0].claim_text == line(N - 1)
    view.sortByColumn(ClaimsModel.PRIORITY, Qt.SortOrder.DescendingOrder)
    assert desk.shown_claims()[0].claim_text == table_order()[-1]
    view.sortByColumn(ClaimsModel.PRIORITY, Qt.SortOrder.AscendingOrder)
    assert [c.claim_text for c in desk.shown_claims()] == table_order()
