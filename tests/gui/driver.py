"""A test driver that speaks the journalist's actions to the real window and reads what it shows.

Keys go where a real keyboard sends them, to the widget that has the focus, so a test can catch a
keystroke typed into the wrong place. What the board holds is read back through the Workspace.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from factdesk.domain import ClaimRecord, ClaimStatus

VERDICT_KEYS = {
    ClaimStatus.VERIFIED: Qt.Key.Key_V,
    ClaimStatus.DISPUTED: Qt.Key.Key_D,
    ClaimStatus.UNVERIFIED: Qt.Key.Key_U,
}


@dataclass(frozen=True)
class ShownClaim:
    """One row of the claims table as the journalist reads it."""

    status: str
    text: str
    claimant: str

    @property
    def claim_text(self) -> str:
        """The claim's words, without the "(repeat of claim N)" a repeat shows before them."""
        if self.text.startswith("(repeat of claim ") and ") " in self.text:
            return self.text.split(") ", 1)[1]
        return self.text


class Desk:
    """The window as a journalist drives it: keys, typing, and what is on screen."""

    def __init__(self, window: Any, qtbot: Any) -> None:
        self.window = window
        self.qtbot = qtbot

    # ---------------------------------------------------------------- doing
    def focused(self) -> QWidget:
        widget = QApplication.focusWidget()
        return widget if widget is not None else self.window

    def press(
        self, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        self.qtbot.keyClick(self.focused(), key, modifiers)

    def open_sample(self, *, claims: bool = True) -> None:
        """File -> Open the sample article; with `claims`, wait until they are listed."""
        self.window.intake.open_sample()
        self.qtbot.waitUntil(lambda: self.window.selection.article is not None, timeout=30_000)
        if claims:
            self.qtbot.waitUntil(lambda: bool(self.shown_claims()), timeout=30_000)
        self.window.activateWindow()

    def open(self, path: str) -> None:
        self.window.intake.import_path(path)
        self.qtbot.waitUntil(lambda: self.window.selection.article is not None, timeout=30_000)

    def next_claim(self) -> None:
        self.press(Qt.Key.Key_J)

    def previous_claim(self) -> None:
        self.press(Qt.Key.Key_K)

    def set_verdict(self, status: ClaimStatus) -> None:
        self.press(VERDICT_KEYS[status])

    def edit_explanation(self) -> None:
        self.press(Qt.Key.Key_E)

    def add_evidence(self) -> None:
        self.press(Qt.Key.Key_A)

    def click_claim_in_article(self, claim: ClaimRecord) -> None:
        """Click inside a claim's highlight in the article text."""
        view = self.window.article.view
        view.scroll_to_claim(claim.id)
        cursor = view.textCursor()
        cursor.setPosition(view.offsets.to_qt(claim.start + 2))
        view.setTextCursor(cursor)  # clears any selection, so the click is a click, not a drag
        point = view.cursorRect(cursor).center()
        self.qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)

    def scroll_claims_to_end(self) -> None:
        """Drag the claims table's scroll bar to the bottom, as far as it goes now."""
        bar = self.window.claims.view.verticalScrollBar()
        bar.setValue(bar.maximum())

    def type(self, text: str) -> None:
        self.qtbot.keyClicks(self.focused(), text)

    def escape(self) -> None:
        self.press(Qt.Key.Key_Escape)

    def undo(self) -> None:
        self.press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    # ---------------------------------------------------------------- reading what is shown
    def shown_claims(self) -> list[ShownClaim]:
        """The rows of the claims table, as displayed."""
        from factdesk.gui.models import ClaimsModel

        model = self.window.claims.view.model()
        display = Qt.ItemDataRole.DisplayRole

        def cell(row: int, column: int) -> str:
            return str(model.data(model.index(row, column), display) or "")

        return [
            ShownClaim(
                cell(r, ClaimsModel.STATUS),
                cell(r, ClaimsModel.TEXT),
                cell(r, ClaimsModel.CLAIMANT),
            )
            for r in range(model.rowCount())
        ]

    def selected_claim_text(self) -> str:
        """The claim the evidence board shows, without its quotation marks ('' for none)."""
        label = self.window.evidence.claim_text
        return label.text().strip("“”") if self.window.evidence.claim is not None else ""

    def selected_row_text(self) -> str:
        """The claim text of the claims table's selected row ('' for none)."""
        from factdesk.gui.models import ClaimsModel

        view = self.window.claims.view
        current = view.currentIndex()
        if not current.isValid() or not view.selectionModel().isSelected(current):
            return ""
        index = view.model().index(current.row(), ClaimsModel.TEXT)
        return str(view.model().data(index, Qt.ItemDataRole.DisplayRole) or "")

    def explanation_shown(self) -> str:
        return self.window.evidence.explanation.toPlainText()

    # ---------------------------------------------------------------- reading the board
    def board_claims(self) -> list[ClaimRecord]:
        """The claims of the article on screen, as stored on the board (text order)."""
        article = self.window.selection.article
        assert article is not None, "no article is open"
        return self._read(lambda ws: ws.claims(article.id, include_dismissed=True))

    def board_history(self, claim_id: str) -> list[Any]:
        return self._read(lambda ws: ws.history(claim_id=claim_id))

    def _read(self, fn: Any) -> Any:
        box: list[Any] = []
        self.window.board.read(fn, box.append)
        self.qtbot.waitUntil(lambda: bool(box), timeout=10_000)
        return box[0]
