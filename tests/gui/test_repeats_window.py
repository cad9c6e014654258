"""A quote said twice: the claims table says which claim a repeat repeats, and after a verdict the
window offers (without a dialog in the keyboard loop) to give the repeats that verdict: R."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt

from factdesk.domain import ClaimStatus
from factdesk.gui.main_window import MainWindow
from factdesk.importers import read_text
from factdesk.services import Workspace
from tests.core.test_repeats import TEXT, _candidates
from tests.gui.driver import Desk


def test_the_table_names_the_repeat_and_r_gives_it_the_verdict(
    make_window: Callable[..., MainWindow], qtbot: Any
) -> None:
    with Workspace.open() as ws:
        doc = read_text(TEXT, title="Water bills to rise")
        article_id = ws.add_document(doc, candidates=_candidates()).value.id
    window = make_window()
    desk = Desk(window, qtbot)
    window.articles.open_article(article_id)
    qtbot.waitUntil(lambda: len(desk.shown_claims()) == 3, timeout=10_000)
    texts = [c.text for c in desk.shown_claims()]
    assert texts[2].startswith("(repeat of claim 1) ") and not texts[0].startswith("(repeat")

    desk.next_claim()
    desk.set_verdict(ClaimStatus.VERIFIED)
    qtbot.waitUntil(lambda: "R gives it this verdict" in window.statusBar().currentMessage())
    original, _council, repeat = desk.board_claims()
    assert (original.status, repeat.status) == (ClaimStatus.VERIFIED, ClaimStatus.UNVERIFIED)

    desk.press(Qt.Key.Key_R)
    qtbot.waitUntil(lambda: desk.board_claims()[2].status is ClaimStatus.VERIFIED)
    assert desk.board_claims()[1].status is ClaimStatus.UNVERIFIED
    desk.undo()
    qtbot.waitUntil(lambda: desk.board_claims()[2].status is ClaimStatus.UNVERIFIED)
    assert desk.board_claims()[0].status is ClaimStatus.VERIFIED, "V and R are two steps"
