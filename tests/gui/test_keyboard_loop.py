"""The keyboard loop as a journalist types it: after E or A, Escape hands the keyboard back to
the claims, so the next J / V / D drive the loop and are never typed into a field."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication

from factdesk.domain import ClaimStatus
from tests.gui.conftest import needs_nlp
from tests.gui.driver import Desk


@needs_nlp
def test_escape_after_e_or_a_gives_the_keys_back_to_the_loop(
    make_window: Any, sample_path: Any, qtbot: Any
) -> None:
    window = make_window(detector="inline")
    desk = Desk(window, qtbot)
    desk.open_sample()
    claims = desk.board_claims()
    assert len(claims) >= 4
    order = [row.claim_text for row in desk.shown_claims()]  # the order J walks: the table's

    desk.next_claim()
    desk.set_verdict(ClaimStatus.VERIFIED)
    desk.edit_explanation()
    desk.type("Official data show an 18% rise")
    assert desk.explanation_shown() == "Official data show an 18% rise"
    desk.escape()
    assert QApplication.focusWidget() is not window.evidence.explanation
    desk.next_claim()
    assert desk.selected_claim_text() == order[1], "J moved on instead of typing a j"
    desk.set_verdict(ClaimStatus.DISPUTED)
    desk.add_evidence()
    desk.type("https://example.org/data")
    desk.escape()
    assert window.evidence.url.text() == "https://example.org/data", "the draft link is kept"
    desk.edit_explanation()
    desk.type("No such figure")
    desk.escape()
    desk.next_claim()
    desk.next_claim()
    desk.set_verdict(ClaimStatus.VERIFIED)

    after = sorted(desk.board_claims(), key=lambda c: order.index(c.text.replace("\n", " ")))
    assert [(c.status, c.explanation) for c in after[:4]] == [
        (ClaimStatus.VERIFIED, "Official data show an 18% rise"),
        (ClaimStatus.DISPUTED, "No such figure"),
        (ClaimStatus.UNVERIFIED, ""),
        (ClaimStatus.VERIFIED, ""),
    ]
    assert all(c.status is ClaimStatus.UNVERIFIED for c in after[4:]), "no stray verdicts"
    assert sorted(c.text for c in after) == sorted(c.text for c in claims), "no text edited"
    # the table shows the same statuses the board holds
    shown = desk.shown_claims()
    assert [s.status.lower() for s in shown[:4]] == [
        "verified",
        "disputed",
        "unverified",
        "verified",
    ]
    # and nothing typed after Escape reached the history
    history = " ".join(f"{e.before} {e.after}" for e in desk.board_history(after[0].id))
    assert "rise" in history and "risej" not in history


@needs_nlp
def test_escape_returns_to_the_article_when_the_loop_ran_there(
    make_window: Any, sample_path: Any, qtbot: Any
) -> None:
    window = make_window(detector="inline")
    desk = Desk(window, qtbot)
    desk.open_sample()
    window.article.view.setFocus()
    desk.next_claim()
    desk.edit_explanation()
    desk.type("Checked against the census")
    desk.escape()
    assert QApplication.focusWidget() is window.article.view
    desk.next_claim()
    desk.set_verdict(ClaimStatus.DISPUTED)
    order = [row.claim_text for row in desk.shown_claims()]
    after = sorted(desk.board_claims(), key=lambda c: order.index(c.text.replace("\n", " ")))
    assert (after[0].status, after[0].explanation) == (
        ClaimStatus.UNVERIFIED,
        "Checked against the census",
    )
    assert after[1].status is ClaimStatus.DISPUTED
