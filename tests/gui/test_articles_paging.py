"""A board of years lists its articles a page at a time: a row for every article from the start
(the scroll bar shows the whole list), the newest read at once, older ones as the journalist
scrolls to them; the status bar counts every article and claim all the same."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from factdesk.domain import ArticleSummary
from factdesk.gui import articles_panel
from factdesk.gui.main_window import MainWindow
from factdesk.gui.models import LOADING, ArticlesModel
from factdesk.importers import read_text
from factdesk.services import Workspace

PAGE = 3


@pytest.fixture
def seven_articles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Seven articles on the board, newest first; a page of the list holds three."""
    monkeypatch.setattr(articles_panel, "ARTICLES_PAGE", PAGE)
    with Workspace.open() as ws:
        for n in range(7):
            ws.add_document(
                read_text(f"Story {n}\n\nThe mayor said {n} things.", title=f"Story {n}")
            )
    return [f"Story {n}" for n in reversed(range(7))]


def listed(window: MainWindow) -> list[str]:
    """The titles in the list's rows, as the list shows them ("…" while one is read)."""
    model = window.articles.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def short_list(window: MainWindow) -> Any:
    view = window.articles.view
    view.resize(view.width(), 60)  # a short list: three rows fill it
    return view


def test_the_scroll_bar_shows_the_whole_list_from_the_start(
    make_window: Callable[..., MainWindow], qtbot: Any, seven_articles: list[str]
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.articles.model.loaded() > 0, timeout=10_000)
    model = window.articles.model
    assert model.rowCount() == 7, "a row for every article on the board"
    assert model.loaded() == PAGE, "the first page read at once, not the whole board"
    assert "7 articles" in window.status.counts_label.text()
    view = short_list(window)
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=10_000)
    at_start = bar.maximum()

    def scrolled_to_the_end() -> bool:
        view.scrollToBottom()
        return listed(window) == seven_articles

    qtbot.waitUntil(scrolled_to_the_end, timeout=10_000)
    assert bar.maximum() == at_start, "the thumb did not shrink as pages came in"
    assert model.rowCount() == 7


def test_only_the_rows_in_view_are_read(
    make_window: Callable[..., MainWindow], qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(articles_panel, "ARTICLES_PAGE", PAGE)
    with Workspace.open() as ws:
        for n in range(60):
            ws.add_document(read_text(f"Story {n}\n\nThe mayor said {n}.", title=f"Story {n}"))
    window = make_window()
    model, view = window.articles.model, window.articles.view
    qtbot.waitUntil(lambda: model.loaded() > 0, timeout=10_000)
    in_view = view.rowAt(view.viewport().height() - 1) + 1
    qtbot.waitUntil(
        lambda: LOADING not in [model.index(r, 0).data() for r in range(in_view)], timeout=10_000
    )
    qtbot.wait(100)  # nothing else is asked for meanwhile
    assert model.rowCount() == 60
    assert in_view <= model.loaded() < in_view + PAGE, "the rows in view, not the whole board"


def test_older_articles_are_read_as_the_list_is_scrolled_to_them(
    make_window: Callable[..., MainWindow], qtbot: Any, seven_articles: list[str]
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.articles.model.loaded() > 0, timeout=10_000)
    assert listed(window)[:PAGE] == seven_articles[:PAGE]
    view = short_list(window)
    view.scrollToBottom()
    qtbot.waitUntil(lambda: listed(window) == seven_articles, timeout=10_000)
    assert LOADING not in listed(window)

    # a verdict re-reads the counts: the older articles stay listed, the newest still first
    window.articles.reload()
    qtbot.waitUntil(lambda: listed(window) == seven_articles, timeout=10_000)
    assert window.articles.model.loaded() == 7


def test_an_article_chosen_while_its_row_is_read_opens_once_it_is(
    make_window: Callable[..., MainWindow], qtbot: Any, seven_articles: list[str]
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.selection.article is not None, timeout=10_000)
    assert window.selection.article.title == seven_articles[0]
    view = short_list(window)
    view.selectRow(6)  # the oldest, clicked before its row is read
    qtbot.waitUntil(
        lambda: (
            window.selection.article is not None
            and window.selection.article.title == seven_articles[-1]
        ),
        timeout=10_000,
    )
    assert view.currentIndex().row() == 6


T0 = datetime(2024, 5, 2, 9, 30, tzinfo=UTC)


def summaries(n: int) -> list[ArticleSummary]:
    return [
        ArticleSummary(f"a{i}", f"Article {i}", "Herald", "txt", T0, 3, 1, 1, 0) for i in range(n)
    ]


def pages_of(board: Sequence[ArticleSummary]) -> Any:
    def request(
        last: ArticleSummary, wanted: int, done: Callable[[Sequence[ArticleSummary], bool], None]
    ) -> None:
        start = next(i for i, r in enumerate(board) if r.id == last.id) + 1
        page = list(board[start : start + wanted])
        done(page, start + wanted < len(board))

    return request


@pytest.mark.parametrize("on_board,counted", [(5, 5), (4, 6), (6, 4)])
def test_the_rows_end_where_the_board_does_when_its_count_is_off(
    qtmodeltester: Any, qtbot: Any, on_board: int, counted: int
) -> None:
    board = summaries(on_board)
    model = ArticlesModel()
    model.set_page(board[:2], pages_of(board), total=counted)
    assert model.rowCount() == counted
    qtmodeltester.check(model)
    assert [model.index(r, 0).data() for r in range(model.rowCount())][2:] == [LOADING] * (
        counted - 2
    ), "shown as loading, and asked for"

    def read_to_the_end() -> bool:
        if model.canFetchMore():  # what the view asks once scrolled to the end
            model.fetchMore()
        return model.loaded() == on_board and not model.canFetchMore()

    qtbot.waitUntil(read_to_the_end, timeout=5_000)
    assert model.rowCount() == on_board
    assert [model.index(r, 0).data() for r in range(on_board)] == [a.title for a in board]
    qtmodeltester.check(model)
