"""The window driven as a journalist would: open the sample, judge a claim, attach evidence,
close, reopen and find it all there; undo/redo; marking and dismissing claims by keyboard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QColor, QTextCursor
from PySide6.QtWidgets import QApplication, QMessageBox

from factdesk.domain import ClaimRecord, ClaimStatus
from factdesk.gui.colors import STATUS_COLORS
from factdesk.gui.main_window import MainWindow
from tests.gui.conftest import needs_nlp
from tests.gui.driver import Desk


def span_background(window: MainWindow, claim: ClaimRecord) -> QColor | None:
    """The background the highlighter gave the claim's first character (None: not highlighted)."""
    doc = window.article.view.document()
    position = window.article.view.offsets.to_qt(claim.start)
    block = doc.findBlock(position)
    offset = position - block.position()
    for fmt_range in block.layout().formats():
        if fmt_range.start <= offset < fmt_range.start + fmt_range.length:
            background = fmt_range.format.background()
            if background.style() != Qt.BrushStyle.NoBrush:
                return background.color()
    return None


def same_hue(color: QColor | None, status: ClaimStatus) -> bool:
    expected = QColor(STATUS_COLORS[status])
    return color is not None and (color.red(), color.green(), color.blue()) == (
        expected.red(),
        expected.green(),
        expected.blue(),
    )


def press(qtbot: Any, window: MainWindow, key: Qt.Key) -> None:
    window.article.view.setFocus()
    qtbot.keyClick(window.article.view, key)


def select_text(window: MainWindow, start: int, end: int) -> None:
    cursor = window.article.view.textCursor()
    cursor.setPosition(window.article.view.offsets.to_qt(start))
    cursor.setPosition(window.article.view.offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
    window.article.view.setTextCursor(cursor)


@needs_nlp
def test_journalist_loop_survives_reopening(
    make_window: Any, sample_path: Path, qtbot: Any
) -> None:
    window = make_window(detector="inline")
    desk = Desk(window, qtbot)
    assert window.article.sample_button.isVisible(), "an empty board offers the bundled sample"
    qtbot.mouseClick(window.article.sample_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(desk.shown_claims()), timeout=30_000)
    claims = desk.board_claims()
    assert len(desk.shown_claims()) == len(claims), "the sample's claims are detected and listed"
    assert window.article.view.shown_text() == sample_path.read_text().rstrip("\n")
    qtbot.waitUntil(
        lambda: window.status.counts_label.text() == f"1 article · {len(claims)} claims"
    )
    for claim in claims[:5]:
        assert desk.article_tint(claim) is ClaimStatus.UNVERIFIED

    desk.next_claim()
    first = next(c for c in claims if c.text == desk.selected_claim_text())
    assert desk.shown_claims()[0].claim_text == first.text, "J goes to the table's first row"
    desk.set_verdict(ClaimStatus.VERIFIED)
    assert desk.article_tint(first) is ClaimStatus.VERIFIED
    assert desk.shown_claims()[0].status == "Verified"
    assert window.evidence.status_buttons[ClaimStatus.VERIFIED].isChecked()

    # a link with its passage and stance, through the add-evidence form (A)
    desk.attach_link(
        "https://example.org/statement",
        title="Ministry statement",
        quote="Forces took control of the town.",
        stance="sup",
    )
    assert desk.shown_evidence() == [
        ("supports", "Ministry statement", "“Forces took control of the town.”")
    ]
    # the letters typed into the stance box picked the stance; none fired U (unverified)
    assert desk.shown_claims()[0].status == "Verified"
    assert not any("unverified" in what for what in desk.shown_history())
    assert window.evidence.url.text() == "", "the form is cleared after attaching"
    assert desk.focused() in (window.claims.view, window.article.view), "Escape gave it back"
    assert any(what.startswith("Attach") for what in desk.shown_history())

    # the explanation is saved when the keyboard leaves the field
    desk.edit_explanation()
    desk.type("The ministry confirmed it.")
    desk.escape()
    assert {c.id: c.explanation for c in desk.board_claims()}[first.id] == (
        "The ministry confirmed it."
    )
    window.close()

    again = Desk(make_window(detector="inline"), qtbot)
    qtbot.waitUntil(lambda: again.window.selection.article is not None)
    assert len(again.shown_claims()) == len(claims), "no re-detection on reopening"
    assert again.article_tint(first) is ClaimStatus.VERIFIED
    again.next_claim()
    assert again.selected_claim_text() == first.text
    assert again.explanation_shown() == "The ministry confirmed it."
    assert again.shown_evidence() == [
        ("supports", "Ministry statement", "“Forces took control of the town.”")
    ]
    assert again.window.articles.model.record(0).n_verified == 1


def test_manual_claim_undo_redo_and_dismiss(
    make_window: Any, sample_path: Path, qtbot: Any
) -> None:
    desk = Desk(make_window(open_path=str(sample_path)), qtbot)
    assert desk.window.selection.article is not None and desk.shown_claims() == []
    text = desk.window.article.view.shown_text()
    phrase = "Harwick"
    start = text.index(phrase)
    # a selection with spaces around it is trimmed to the words
    desk.select_passage(start - 1, start + len(phrase) + 1)
    desk.mark_claim()
    assert [c.claim_text for c in desk.shown_claims()] == [phrase]
    [claim] = desk.board_claims()
    assert (claim.start, claim.end, claim.text) == (start, start + len(phrase), phrase)
    assert desk.selected_claim_text() == phrase
    assert desk.article_tint(claim) is ClaimStatus.UNVERIFIED
    assert desk.undo_text().startswith("Undo ")

    desk.set_verdict(ClaimStatus.DISPUTED)
    assert desk.article_tint(claim) is ClaimStatus.DISPUTED
    desk.undo()
    assert [c.status for c in desk.shown_claims()] == ["Unverified"]
    assert desk.article_tint(claim) is ClaimStatus.UNVERIFIED
    desk.redo()
    assert [c.status for c in desk.shown_claims()] == ["Disputed"]

    # X dismisses: no highlight, hidden from the table until "Dismissed" is ticked
    desk.dismiss()
    assert [c.dismissed for c in desk.board_claims()] == [True]
    assert desk.article_tint(claim) is None
    assert desk.shown_claims() == []
    desk.show_dismissed()
    assert [c.status for c in desk.shown_claims()] == ["Dismissed"]
    desk.undo()
    assert [c.dismissed for c in desk.board_claims()] == [False]
    assert desk.article_tint(claim) is ClaimStatus.DISPUTED

    desk.undo()
    desk.undo()
    assert desk.board_claims() == [], "undoing the mark removes the claim"
    assert desk.shown_claims() == []


def test_clicking_a_claim_selects_it_everywhere(
    make_window: Any, sample_path: Path, qtbot: Any
) -> None:
    desk = Desk(make_window(open_path=str(sample_path)), qtbot)
    text = desk.window.article.view.shown_text()
    a, b = text.index("Osei"), text.index("Raman")
    for start, word in ((a, "Osei"), (b, "Raman")):
        desk.select_passage(start, start + len(word))
        desk.mark_claim()
    desk.click_in_article(a + 2)
    assert desk.selected_claim_text() == "Osei"
    assert desk.selected_row_text() == "Osei"
    desk.click_in_article(b + 2)
    assert desk.selected_claim_text() == desk.selected_row_text() == "Raman"
    # and K goes to the other one, in text order
    desk.previous_claim()
    assert desk.selected_claim_text() == "Osei"


def test_search_jumps_to_the_claim(make_window: Any, sample_path: Path, qtbot: Any) -> None:
    desk = Desk(make_window(open_path=str(sample_path)), qtbot)
    text = desk.window.article.view.shown_text()
    for word in ("Ellison", "Osei"):  # the second one stays selected
        start = text.index(word)
        desk.select_passage(start, start + len(word))
        desk.mark_claim()
    assert desk.selected_claim_text() == "Osei"
    hits = desk.search("Ellison")
    assert any(h.startswith("claim") for h in hits), hits
    desk.open_hit(next(i for i, h in enumerate(hits) if h.startswith("claim")))
    assert desk.selected_claim_text() == "Ellison"


def test_dropped_file_becomes_evidence_and_errors_show(
    make_window: Any, sample_path: Path, qtbot: Any, tmp_path: Path
) -> None:
    window = make_window(open_path=str(sample_path))
    start = window.selection.article.text.index("Harwick")
    select_text(window, start, start + 7)
    window.verdicts.mark_selection()
    screenshot = tmp_path / "statement.png"
    screenshot.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(screenshot))])
    assert window.evidence.accept_mime(mime)
    links = window.evidence.evidence_model.records()
    assert len(links) == 1 and links[0].evidence.attachment is not None
    assert links[0].evidence.attachment.filename == "statement.png"

    # a dragged link fills the form so its passage can be checked before attaching
    mime = QMimeData()
    mime.setUrls([QUrl("https://example.org/report")])
    assert window.evidence.accept_mime(mime)
    assert window.evidence.url.text() == "https://example.org/report"

    # a board error is shown to the journalist, not swallowed
    window.intake.import_path(str(tmp_path / "missing.txt"))
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "error_box") is not None)
    box = window.findChild(QMessageBox, "error_box")
    assert "missing.txt" in box.text()
    box.close()


def test_window_layout_is_remembered(make_window: Any, qtbot: Any) -> None:
    window = make_window()
    window.resize(760, 560)
    window.splitter.setSizes([150, 350, 260])
    size, sizes = window.size(), window.splitter.sizes()
    window.close()
    again = make_window()
    assert again.size() == size
    assert again.splitter.sizes() == sizes


def test_on_a_narrow_screen_kind_and_claimant_give_way_to_the_claim(
    make_window: Any, qtbot: Any
) -> None:
    from factdesk.gui.claims_model import ClaimsModel

    window = make_window()
    window.resize(1500, 800)
    window.splitter.setSizes([200, 900, 400])
    header = window.claims.view.horizontalHeader()
    qtbot.waitUntil(lambda: window.claims.view.viewport().width() > 800)
    wide = {c: header.sectionSize(c) for c in (ClaimsModel.KIND, ClaimsModel.CLAIMANT)}
    header.resizeSection(ClaimsModel.CLAIMANT, 190)  # the journalist drags it wider

    window.resize(1120, 700)
    window.splitter.setSizes([170, 630, 312])
    viewport = window.claims.view.viewport()
    qtbot.waitUntil(lambda: viewport.width() < 700)
    assert header.sectionSize(ClaimsModel.TEXT) >= 0.33 * viewport.width() - 2, (
        "the claim keeps a third of the table"
    )
    assert header.sectionSize(ClaimsModel.KIND) < wide[ClaimsModel.KIND], "the kind gives way"

    window.resize(window.minimumSizeHint().width(), 700)
    window.splitter.setSizes([2000, 1, 2000])  # the claims at their narrowest
    qtbot.waitUntil(lambda: viewport.width() < 560)
    assert header.sectionSize(ClaimsModel.KIND) == header.sectionSize(ClaimsModel.CLAIMANT) == 72
    assert header.sectionSize(ClaimsModel.TEXT) > 72 * 2, "the claim stays the widest of the three"

    window.resize(1500, 800)
    window.splitter.setSizes([200, 900, 400])
    qtbot.waitUntil(lambda: viewport.width() > 800)
    assert header.sectionSize(ClaimsModel.KIND) == wide[ClaimsModel.KIND]
    assert header.sectionSize(ClaimsModel.CLAIMANT) == 190, "the dragged width comes back"


def test_the_window_fits_a_small_laptop_screen(make_window: Any, qtbot: Any) -> None:
    """1280 x 800 at 125 % scale is 1024 logical pixels: the window must fit in it."""
    window = make_window()
    assert window.minimumSizeHint().width() <= 1024
    window.intake.import_path(str(__import__("factdesk.paths").paths.sample_article()))
    qtbot.waitUntil(lambda: window.selection.article is not None)
    assert window.minimumSizeHint().width() <= 1024


def test_shortcuts_sheet_lists_every_shortcut(make_window: Any, qtbot: Any) -> None:
    window = make_window()
    dialog = window.show_shortcuts()
    table = dialog.table
    listed = {table.item(r, 2).text() for r in range(table.rowCount())}
    for key in ("J", "K", "V", "D", "U", "E", "A", "M", "X", "Ctrl+F", "Ctrl+Z", "Ctrl+O"):
        assert any(key in cell.split(" / ") for cell in listed), key
    assert "Ctrl+Shift+Z" in " / ".join(listed)
    assert "Down / Up" in listed
    dialog.close()
    QApplication.processEvents()


@needs_nlp
def test_pasted_web_page_becomes_an_article_with_claims(make_window: Any, qtbot: Any) -> None:
    window = make_window(detector="inline")
    page = (
        "<html><head><title>Bridge repairs late</title></head><body><article>"
        "<h1>Bridge repairs late</h1>"
        "<p>The transport ministry said on Monday that repairs to the Elm Street bridge would "
        "cost 4.2 million euros, twice the original estimate.</p>"
        "<p>Engineers found corrosion in 60 percent of the steel beams, the ministry said.</p>"
        "</article></body></html>"
    )
    mime = QMimeData()
    mime.setHtml(page)
    mime.setText("Bridge repairs late")
    QApplication.clipboard().setMimeData(mime)
    qtbot.keyClick(
        window,
        Qt.Key.Key_V,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: window.selection.article is not None, timeout=10_000)
    assert "4.2 million euros" in window.article.view.toPlainText()
    assert "<p>" not in window.selection.article.text
    qtbot.waitUntil(lambda: window.claims.model.rowCount() >= 1, timeout=30_000)
    assert any("60 percent" in c.text for c in window.claims.model.records())

    # an empty clipboard is refused with a message, and nothing is added
    QApplication.clipboard().clear()
    window.intake.paste_article()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "error_box") is not None)
    assert window.articles.model.rowCount() == 1


def test_verdict_buttons_drop_their_keys_rather_than_clip(make_window: Any, qtbot: Any) -> None:
    window = make_window()
    window.resize(1400, 800)
    unverified = window.evidence.status_buttons[ClaimStatus.UNVERIFIED]
    window.splitter.setSizes([250, 650, 500])
    qtbot.waitUntil(lambda: unverified.text() == "Unverified (U)")
    window.splitter.setSizes([250, 900, 250])
    qtbot.waitUntil(lambda: unverified.text() == "Unverified")
    # the label fits the button it is on
    assert unverified.fontMetrics().horizontalAdvance(unverified.text()) < unverified.width()
