"""The read-only article view: the article's text with its claims painted by a `ClaimHighlighter`.

Claim offsets are Python string indices, converted to Qt positions by an `OffsetMap`.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QTextCharFormat,
    QTextOption,
)
from PySide6.QtWidgets import QFrame, QMenu, QPlainTextEdit, QToolTip, QWidget

from factdesk.domain import ClaimRecord
from factdesk.domain.text import claimant_text
from factdesk.gui.article_layout import furniture, furniture_format
from factdesk.gui.colors import STATUS_LABELS
from factdesk.gui.highlighter import ClaimHighlighter
from factdesk.gui.offsets import OffsetMap


class ArticleView(QPlainTextEdit):
    """Shows one article; click a claim to select it, select text and press M to mark one."""

    claim_clicked = Signal(str)
    mark_requested = Signal()
    next_requested = Signal()
    previous_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setWordWrapMode(QTextOption.WrapMode.WordWrap)
        self.setCenterOnScroll(False)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.15)
        self.setFont(font)
        self.document().setDocumentMargin(18)
        self.highlighter = ClaimHighlighter(self)
        self.offsets = OffsetMap("")
        self.article_id: str | None = None
        self._text = ""
        self.mark_action = QAction("Mark selection as claim", self)
        self.mark_action.triggered.connect(self.mark_requested)

    def show_article(
        self, article_id: str | None, text: str, claims: Sequence[ClaimRecord]
    ) -> None:
        self.article_id = article_id
        self.offsets = OffsetMap(text, spaced=True)
        self.highlighter.set_text_map(self.offsets)
        self.highlighter.selected_id = None
        self.highlighter.set_furniture(self._furniture_of(text))
        self.highlighter.set_claims(claims, repaint=False)
        self._text = text
        # the bare text first (nothing is called back per block), then the highlights on screen
        self.setPlainText(self.offsets.shown(text))
        self.highlighter.repaint_all()

    def _furniture_of(self, text: str) -> dict[int, tuple[QTextCharFormat, int]]:
        # only the top of a long article needs looking at, and its subheadings
        paragraphs = text.split("\n", 400)[:400]
        styled: dict[int, tuple[QTextCharFormat, int]] = {}
        offset = 0
        starts = []
        for line in paragraphs:
            starts.append(offset)
            offset += len(line) + 1
        for index, (kind, length) in furniture(paragraphs).items():
            block = self.offsets.block_of(starts[index])
            styled[block] = (furniture_format(kind, self.font(), self.palette()), length)
        return styled

    def shown_text(self) -> str:
        """The article text shown (without the empty lines between paragraphs)."""
        return self._text

    def shows_text(self, text: str) -> bool:
        return self._text == text

    def attach(self, article_id: str, claims: Sequence[ClaimRecord]) -> None:
        """The shown text is now this stored article: paint its claims, keep the layout."""
        self.article_id = article_id
        self.highlighter.update_claims(claims)

    def selected_range(self) -> tuple[int, int] | None:
        """The selection as Python string offsets, or None when nothing is selected."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self.offsets.from_qt(cursor.selectionStart()), self.offsets.from_qt(
            cursor.selectionEnd()
        )

    def scroll_to_claim(self, claim_id: str) -> None:
        span = self.highlighter.qt_span(claim_id)
        if span is None:
            return
        cursor = self.textCursor()
        cursor.setPosition(span[1])
        end = self.cursorRect(cursor)
        cursor.setPosition(span[0])
        self.setTextCursor(cursor)
        start = self.cursorRect(cursor)
        if start.top() < 0 or end.bottom() > self.viewport().height():
            # not wholly on screen: brought to the middle, so its last line is not cut off
            self.centerCursor()

    # events
    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            claim = self._claim_at(e.pos())
            if claim is None:
                QToolTip.hideText()
            else:
                tip = claim_tooltip(claim)
                if claim.id in self.highlighter.seen:
                    tip += "\nSeen before: an earlier check is like it (see the evidence board)"
                QToolTip.showText(e.globalPos(), tip, self.viewport())
            return True
        return super().event(e)

    def viewportEvent(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            return self.event(e)
        return super().viewportEvent(e)

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        super().mouseReleaseEvent(e)
        if e.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            claim = self._claim_at(e.position().toPoint())
            if claim is not None:
                self.claim_clicked.emit(claim.id)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.modifiers() == Qt.KeyboardModifier.NoModifier:
            if e.key() == Qt.Key.Key_Down:
                self.next_requested.emit()
                return
            if e.key() == Qt.Key.Key_Up:
                self.previous_requested.emit()
                return
        super().keyPressEvent(e)

    def contextMenuEvent(self, e: QContextMenuEvent) -> None:
        menu: QMenu = self.createStandardContextMenu(e.pos())
        first = menu.actions()[0]
        menu.insertAction(first, self.mark_action)
        menu.insertSeparator(first)
        self.mark_action.setEnabled(self.textCursor().hasSelection())
        menu.exec(e.globalPos())
        menu.deleteLater()

    def _claim_at(self, point: QPoint) -> ClaimRecord | None:
        cursor = self.cursorForPosition(point)
        # cursorForPosition snaps to the nearest gap; check the character actually under the point
        position = cursor.position()
        claim = self.highlighter.claim_at(position)
        if claim is None and position > 0:
            claim = self.highlighter.claim_at(position - 1)
        return claim


def claim_tooltip(claim: ClaimRecord) -> str:
    return (
        f"{STATUS_LABELS[claim.status]} · {claim.kind.label}\n"
        f"Claimant: {claimant_text(claim.claimant)}\n"
        f"Priority: {claim.priority.value} (check-worthiness {claim.score:.2f})"
    )
