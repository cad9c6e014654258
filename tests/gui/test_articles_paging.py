"""A board of years lists its articles a page at a time: the newest at once, older ones as the
journalist scrolls the list; the status bar counts every article and claim all the same."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from factdesk.gui import articles_panel
from factdesk.gui.main_window import MainWindow
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
    model = window.articles.model
    return [model.record(row).title for row in range(model.rowCount())]


def test_the_newest_articles_come_first_and_older_ones_as_the_list_scrolls(
    make_window: Callable[..., MainWindow], qtbot: Any, seven_articles: list[str]
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: bool(listed(window)), timeout=10_000)
    assert listed(window) == seven_articles[:PAGE]
    assert "7 articles" in window.status.counts_label.text()

    view = window.articles.view
    view.resize(view.width(), 60)  # a short list: three rows fill it

    def scrolled_to_the_end() -> bool:
        view.scrollToBottom()  # the view asks for the next page when it reaches the end
        return listed(window) == seven_articles

    qtbot.waitUntil(scrolled_to_the_end, timeout=10_000)
    assert not window.articles.model.canFetchMore()

    # a verdict re-reads the counts: the older articles stay listed, the newest still first
    window.articles.reload()
    qtbot.waitUntil(lambda: listed(window) == seven_articles, timeout=10_000)
