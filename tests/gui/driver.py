"""A test driver that speaks the journalist's actions to the real window and reads what it shows.

Keys go where a real keyboard sends them, to the widget that has the focus, so a test can catch a
keystroke typed into the wrong place. What the board holds is read back through the Workspace.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from factdesk.domain import ClaimRecord, ClaimStatus, Priority

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
    priority: str = ""  # the Priority column: High, Normal, Low

    @property
    def seen_before(self) -> bool:
        """The table marks the claim as seen before (a strong match)."""
        return self.text.startswith("(seen before) ")

    @property
    def claim_text(self) -> str:
        """The claim's words, without the "(seen before)" and "(repeat of claim N)" marks."""
        text = self.text.removeprefix("(seen before) ")
        if text.startswith("(repeat of claim ") and ") " in text:
            return text.split(") ", 1)[1]
        return text


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

    def sync(self) -> None:
        """File -> Sync with the team board (Ctrl+Shift+S), waiting until it has finished."""
        mods = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        self.press(Qt.Key.Key_S, mods)
        self.qtbot.waitUntil(lambda: not self.window.sync.running, timeout=30_000)

    def select_claim(self, text: str) -> None:
        """Click the claims table's row whose claim starts with `text`."""
        rows = [r.claim_text for r in self.shown_claims()]
        row = next(i for i, shown in enumerate(rows) if shown.startswith(text))
        view = self.window.claims.view
        view.setCurrentIndex(view.model().index(row, 0))

    def select_article(self, title: str) -> None:
        """Click the articles list's row of the article titled `title`."""
        view = self.window.articles.view
        row = self.shown_articles().index(title)
        view.setCurrentIndex(view.model().index(row, 0))

    def resolve_conflict(self, keep: str) -> None:
        """Claim -> Resolve sync conflict, then keep "mine", "theirs", or this merged text."""
        self.window.commands["resolve"].trigger()
        self.qtbot.waitUntil(lambda: getattr(self.window.sync, "dialog", None) is not None)
        dialog = self.window.sync.dialog
        if keep == "mine":
            dialog.keep_mine.click()
        elif keep == "theirs":
            dialog.keep_theirs.click()
        else:
            dialog.merged.setPlainText(keep)
            dialog.use_merged.click()

    def redo(self) -> None:
        self.press(
            Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        )

    def attach_link(self, url: str, *, title: str = "", quote: str = "", stance: str = "") -> None:
        """A, the link typed, Tab through title, publisher and passage, the stance picked by
        typing its first letters, Escape (the draft stays), A and Return to attach it, Escape
        back to the claims."""
        self.add_evidence()
        self.type(url)
        self.press(Qt.Key.Key_Tab)
        self.type(title)
        self.press(Qt.Key.Key_Tab)
        self.press(Qt.Key.Key_Tab)
        self.type(quote)
        self.press(Qt.Key.Key_Tab)
        if stance:
            self.type(stance)
        self.escape()
        self.add_evidence()
        self.press(Qt.Key.Key_Return)
        self.escape()

    def click_in_article(self, offset: int) -> None:
        """Click the article at character `offset` (a click, not a drag: nothing selected)."""
        view = self.window.article.view
        cursor = view.textCursor()
        cursor.setPosition(view.offsets.to_qt(offset))
        view.setTextCursor(cursor)
        point = view.cursorRect(cursor).center()
        self.qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)

    def search(self, words: str) -> list[str]:
        """Ctrl+F, the words typed, Return: the hits listed, as "Found in: Match" lines."""
        self.press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        self.type(words)
        self.press(Qt.Key.Key_Return)
        model = self.window.articles.search_view.model()
        return [
            f"{model.index(r, 0).data()}: {model.index(r, 1).data()}"
            for r in range(model.rowCount())
        ]

    def open_hit(self, row: int) -> None:
        """Go down the hits to `row` and press Return, as the keyboard would."""
        view = self.window.articles.search_view
        view.setFocus()
        view.setCurrentIndex(view.model().index(row, 1))
        self.press(Qt.Key.Key_Return)

    def attach_first_match(self) -> None:
        """Click the first match in Seen before and press Enter (its stance left as it is)."""
        table = self.window.seen_before.table
        rect = table.visualRect(table.model().index(0, 1))
        self.qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        self.press(Qt.Key.Key_Return)

    def select_passage(self, start: int, end: int) -> None:
        """Select characters start..end of the article in the view, as a mouse drag would, and
        leave the keyboard there."""
        from PySide6.QtGui import QTextCursor

        view = self.window.article.view
        cursor = view.textCursor()
        cursor.setPosition(view.offsets.to_qt(start))
        cursor.setPosition(view.offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        view.setTextCursor(cursor)
        view.setFocus()

    def mark_claim(self) -> None:
        self.press(Qt.Key.Key_M)

    def dismiss(self) -> None:
        self.press(Qt.Key.Key_X)

    def show_dismissed(self, shown: bool = True) -> None:
        """Tick (or untick) "Dismissed" in the claims filter bar."""
        box = self.window.claims.filter_dismissed
        if box.isChecked() != shown:
            self.qtbot.mouseClick(box, Qt.MouseButton.LeftButton)

    def import_factchecks(self, *paths: str) -> str:
        """File -> Import fact-checks… with these files chosen; the summary it shows, read and
        closed with Return."""
        importer = self.window.factchecks
        importer.run(list(paths))
        self.qtbot.waitUntil(lambda: not importer.running, timeout=60_000)
        box = importer.summary
        assert box is not None and box.isVisible()
        text = str(box.text())
        self.qtbot.keyClick(box, Qt.Key.Key_Return)
        self.qtbot.waitUntil(lambda: not box.isVisible(), timeout=5_000)
        self.window.activateWindow()
        return text

    # ---------------------------------------------------------------- reading what is shown
    def overlined_claims(self) -> list[str]:
        """The passages of the article painted with a line over them (seen before), as the
        article's text."""
        self.article_painted()
        view = self.window.article.view
        found = []
        block = view.document().begin()
        while block.isValid():
            for r in block.layout().formats():
                if r.format.fontOverline():
                    start = view.offsets.from_qt(block.position() + r.start)
                    end = view.offsets.from_qt(block.position() + r.start + r.length)
                    found.append(view.shown_text()[start:end])
            block = block.next()
        return found

    def seen_before_visible(self) -> bool:
        """The Seen before section of the selected claim is on screen without scrolling."""
        panel = self.window.seen_before
        scroller = self.window.evidence.scroller
        if not panel.isVisible():
            return False
        top_left = panel.mapTo(scroller.viewport(), panel.rect().topLeft())
        shown = scroller.viewport().rect()
        return shown.contains(top_left) and top_left.y() + panel.height() <= shown.height()

    def seen_before_rows(self) -> list[str]:
        """The matches listed in the Seen before section: "rating · publisher · text"."""
        model = self.window.seen_before.model
        return [f"{m.rating} · {m.publisher} · {m.text}" for m in model.matches]

    def shown_articles(self) -> list[str]:
        """The titles in the articles list, as displayed."""
        model = self.window.articles.view.model()
        display = Qt.ItemDataRole.DisplayRole
        return [str(model.data(model.index(r, 0), display)) for r in range(model.rowCount())]

    def shown_claims(self) -> list[ShownClaim]:
        """The rows of the claims table, as displayed."""
        from factdesk.gui.claims_model import ClaimsModel

        model = self.window.claims.view.model()
        display = Qt.ItemDataRole.DisplayRole

        def cell(row: int, column: int) -> str:
            return str(model.data(model.index(row, column), display) or "")

        return [
            ShownClaim(
                cell(r, ClaimsModel.STATUS),
                cell(r, ClaimsModel.TEXT),
                cell(r, ClaimsModel.CLAIMANT),
                cell(r, ClaimsModel.PRIORITY),
            )
            for r in range(model.rowCount())
        ]

    def selected_claim_text(self) -> str:
        """The claim the evidence board shows, without its quotation marks ('' for none)."""
        label = self.window.evidence.claim_text
        return label.text().strip("“”") if self.window.evidence.claim is not None else ""

    def selected_row_text(self) -> str:
        """The claim text of the claims table's selected row ('' for none)."""
        from factdesk.gui.claims_model import ClaimsModel

        view = self.window.claims.view
        current = view.currentIndex()
        if not current.isValid() or not view.selectionModel().isSelected(current):
            return ""
        index = view.model().index(current.row(), ClaimsModel.TEXT)
        return str(view.model().data(index, Qt.ItemDataRole.DisplayRole) or "")

    def explanation_shown(self) -> str:
        return self.window.evidence.explanation.toPlainText()

    def sync_status_shown(self) -> str:
        """The status bar's sync line ("synced 5 min ago · 3 changes to send")."""
        return str(self.window.sync.label.text())

    def conflict_shown(self) -> list[tuple[str, str, str]]:
        """The open resolve dialog's rows: (field, mine, theirs) as displayed."""
        dialog = self.window.sync.dialog
        return [(f, m.text(), t.text()) for f, (m, t) in dialog.cells.items()]

    def shown_evidence(self) -> list[tuple[str, str, str]]:
        """The evidence table of the selected claim as displayed: (stance, evidence, passage)."""
        model = self.window.evidence.evidence_view.model()
        return [
            tuple(str(model.data(model.index(r, c)) or "") for c in range(3))  # type: ignore[misc]
            for r in range(model.rowCount())
        ]

    def shown_history(self) -> list[str]:
        """The What column of the selected claim's history, as displayed."""
        model = self.window.evidence.history_view.model()
        return [str(model.data(model.index(r, 2)) or "") for r in range(model.rowCount())]

    def undo_text(self) -> str:
        """The Edit menu's Undo item as shown ("" when it is disabled)."""
        action = self.window.commands["undo"]
        return action.text().replace("&", "") if action.isEnabled() else ""

    def article_tint(self, claim: ClaimRecord) -> ClaimStatus | None:
        """The verdict whose colour the article paints the claim's first character in (None:
        not highlighted)."""
        from PySide6.QtGui import QColor

        from factdesk.gui.colors import STATUS_COLORS

        self.article_painted()
        view = self.window.article.view
        position = view.offsets.to_qt(claim.start)
        block = view.document().findBlock(position)
        offset = position - block.position()
        for r in block.layout().formats():
            if r.start <= offset < r.start + r.length:
                brush = r.format.background()
                if brush.style() == Qt.BrushStyle.NoBrush:
                    continue
                rgb = brush.color().rgb() & 0xFFFFFF
                for status, name in STATUS_COLORS.items():
                    if QColor(name).rgb() & 0xFFFFFF == rgb:
                        return status
        return None

    def article_tier(self, claim: ClaimRecord) -> Priority | None:
        """The tier the article paints the claim in (None: not painted), read from its words
        outside the claimant's name: a strong tint underlined is high, a light tint normal, a
        dashed underline alone low. The selected claim is painted alike whatever its tier."""
        from PySide6.QtGui import QFont, QTextCharFormat

        self.article_painted()
        view = self.window.article.view
        position = view.offsets.to_qt(claim.start)
        block = view.document().findBlock(position)
        lo = position - block.position()
        hi = view.offsets.to_qt(claim.end) - block.position()
        for r in block.layout().formats():
            fmt = r.format
            if not (lo <= r.start < hi) or fmt.fontWeight() == QFont.Weight.DemiBold:
                continue
            underline = fmt.underlineStyle()
            if fmt.background().style() == Qt.BrushStyle.NoBrush:
                if underline == QTextCharFormat.UnderlineStyle.DashUnderline:
                    return Priority.LOW
                continue
            if underline == QTextCharFormat.UnderlineStyle.SingleUnderline:
                return Priority.HIGH
            return Priority.NORMAL
        return None

    def article_byline(self) -> str:
        """Outlet, authors and place shown above the article."""
        return self.window.article.byline()

    def article_painted(self) -> None:
        """Wait until the article view has painted every block (it paints off screen in slices)."""
        view = self.window.article.view
        self.qtbot.waitUntil(lambda: not view.highlighter.pending(), timeout=10_000)

    def underlined_names(self) -> list[str]:
        """The passages of the article painted as a claimant's name (semibold, underlined), in
        text order; each as the article's own text."""
        from PySide6.QtGui import QFont

        self.article_painted()
        view = self.window.article.view
        names = []
        block = view.document().begin()
        while block.isValid():
            for r in block.layout().formats():
                fmt = r.format
                if fmt.fontWeight() == QFont.Weight.DemiBold and fmt.fontUnderline():
                    start = view.offsets.from_qt(block.position() + r.start)
                    end = view.offsets.from_qt(block.position() + r.start + r.length)
                    names.append(view.shown_text()[start:end])
            block = block.next()
        return names

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
