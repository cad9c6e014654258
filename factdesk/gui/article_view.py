"""The read-only article view: claim spans painted per block by a QSyntaxHighlighter.

Claim offsets are Python string indices; Qt counts UTF-16 units. `OffsetMap` converts between them
(identity unless the text has characters outside the Basic Multilingual Plane, such as emoji).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QFrame, QMenu, QPlainTextEdit, QToolTip, QWidget

from factdesk.domain import ClaimRecord, ClaimStatus
from factdesk.gui.colors import STATUS_LABELS, tint


class OffsetMap:
    """Converts Python string offsets to Qt (UTF-16) positions and back, and finds the block
    (paragraph) holding an offset without asking the document, so spans can be known before the
    text is laid out."""

    def __init__(self, text: str) -> None:
        self._astral = (
            [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if _has_astral(text) else []
        )
        self._astral_u16 = [p + i for i, p in enumerate(self._astral)]
        self._block_starts = [0] + [m.end() for m in _BLOCK_BREAK.finditer(text)]

    def block_of(self, offset: int) -> int:
        return bisect_right(self._block_starts, offset) - 1

    def to_qt(self, offset: int) -> int:
        return offset + bisect_left(self._astral, offset) if self._astral else offset

    def from_qt(self, position: int) -> int:
        if not self._astral:
            return position
        # each astral character before `position` takes two units: count those fully before it
        return position - bisect_right(self._astral_u16, position - 2)


# QTextDocument starts a new block at each of these
_BLOCK_BREAK = re.compile("[\n\u2029]")


def _has_astral(text: str) -> bool:
    return not text.isascii() and len(text.encode("utf-16-le")) != 2 * len(text)


class ClaimHighlighter(QSyntaxHighlighter):
    """Paints each block's claim spans; re-colouring a claim re-highlights only its blocks."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._claims: dict[str, ClaimRecord] = {}
        self._qt_span: dict[str, tuple[int, int]] = {}
        self._blocks: dict[str, range] = {}
        self._by_block: dict[int, list[str]] = defaultdict(list)
        self._map = OffsetMap("")
        self.selected_id: str | None = None
        # a board of 10,000 claims needs a few dozen distinct formats, not 10,000
        self._formats: dict[tuple[ClaimStatus, float, bool], QTextCharFormat] = {}

    # data
    def set_text_map(self, offsets: OffsetMap) -> None:
        self._map = offsets

    def set_claims(self, claims: Iterable[ClaimRecord], *, repaint: bool = True) -> None:
        self._claims.clear()
        self._qt_span.clear()
        self._blocks.clear()
        self._by_block.clear()
        self._add(claims)
        if repaint:
            self.rehighlight()

    def update_claims(self, claims: Sequence[ClaimRecord]) -> None:
        """Add or re-colour these claims, re-highlighting just the blocks they touch."""
        blocks: set[int] = set()
        for claim in claims:
            if claim.id in self._claims:
                blocks.update(self._blocks_of(claim.id))
                self._forget(claim.id)
        self._add(claims)
        for claim in claims:
            blocks.update(self._blocks_of(claim.id))
        self._rehighlight_blocks(blocks)

    def select(self, claim_id: str | None) -> None:
        blocks: set[int] = set()
        for cid in (self.selected_id, claim_id):
            if cid is not None and cid in self._claims:
                blocks.update(self._blocks_of(cid))
        self.selected_id = claim_id
        self._rehighlight_blocks(blocks)

    def claim(self, claim_id: str) -> ClaimRecord | None:
        return self._claims.get(claim_id)

    def qt_span(self, claim_id: str) -> tuple[int, int] | None:
        return self._qt_span.get(claim_id)

    def claim_at(self, position: int) -> ClaimRecord | None:
        """The visible claim under a document position (the shortest one, if claims nest)."""
        block = self.document().findBlock(position)
        best: ClaimRecord | None = None
        for cid in self._by_block.get(block.blockNumber(), ()):
            start, end = self._qt_span[cid]
            claim = self._claims[cid]
            inside = start <= position < end and not claim.dismissed
            if inside and (best is None or claim.end - claim.start < best.end - best.start):
                best = claim
        return best

    def format_for(self, claim: ClaimRecord) -> QTextCharFormat:
        selected = claim.id == self.selected_id
        key = (claim.status, round(claim.score, 2), selected)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = self._formats[key] = self._make_format(claim.status, key[1], selected)
        return fmt

    @staticmethod
    def _make_format(status: ClaimStatus, score: float, selected: bool) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setBackground(tint(status, score, selected=selected))
        if selected:
            # an opaque tint with dark text reads on light and dark palettes alike
            fmt.setForeground(QColor("#111111"))
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        elif score >= 0.5:
            # check-worthy claims carry a dotted underline as well as a stronger tint
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
            fmt.setUnderlineColor(tint(status, 1.0, selected=True))
        return fmt

    # QSyntaxHighlighter
    def highlightBlock(self, text: str) -> None:
        block = self.currentBlock()
        ids = self._by_block.get(block.blockNumber())
        if not ids:
            return
        base = block.position()
        length = len(text) if text is not None else block.length()
        if len(ids) > 1:
            # longer spans first so that a nested, shorter claim stays visible on top
            spans = self._qt_span
            ids = sorted(ids, key=lambda i: spans[i][0] - spans[i][1])
        for cid in ids:
            claim = self._claims[cid]
            if claim.dismissed:
                continue
            start, end = self._qt_span[cid]
            lo = max(start - base, 0)
            hi = min(end - base, length)
            if hi > lo:
                self.setFormat(lo, hi - lo, self.format_for(claim))

    # internals
    def _add(self, claims: Iterable[ClaimRecord]) -> None:
        offsets = self._map
        for claim in claims:
            self._claims[claim.id] = claim
            self._qt_span[claim.id] = (offsets.to_qt(claim.start), offsets.to_qt(claim.end))
            first = offsets.block_of(claim.start)
            last = offsets.block_of(claim.end - 1) if claim.end > claim.start else first
            blocks = range(first, last + 1)
            self._blocks[claim.id] = blocks
            for number in blocks:
                self._by_block[number].append(claim.id)

    def _forget(self, claim_id: str) -> None:
        for number in self._blocks_of(claim_id):
            ids = self._by_block.get(number)
            if ids and claim_id in ids:
                ids.remove(claim_id)
        del self._claims[claim_id]
        del self._qt_span[claim_id]
        del self._blocks[claim_id]

    def _blocks_of(self, claim_id: str) -> range:
        return self._blocks[claim_id]

    def _rehighlight_blocks(self, numbers: Iterable[int]) -> None:
        doc = self.document()
        for number in sorted(numbers):
            block = doc.findBlockByNumber(number)
            if block.isValid():
                self.rehighlightBlock(block)


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
        # attached before any text: laying text out first and highlighting after is far slower
        self.highlighter = ClaimHighlighter(self.document())
        self.offsets = OffsetMap("")
        self.article_id: str | None = None
        self._text = ""
        self.mark_action = QAction("Mark selection as claim", self)
        self.mark_action.triggered.connect(self.mark_requested)

    def show_article(
        self, article_id: str | None, text: str, claims: Sequence[ClaimRecord]
    ) -> None:
        self.article_id = article_id
        self.offsets = OffsetMap(text)
        self.highlighter.set_text_map(self.offsets)
        self.highlighter.selected_id = None
        # spans are known before the text: setPlainText lays out and highlights in one pass
        self.highlighter.set_claims(claims, repaint=False)
        self._text = text
        self.setPlainText(text)

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
        cursor.setPosition(span[0])
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    # events
    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            claim = self._claim_at(e.pos())
            if claim is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(e.globalPos(), claim_tooltip(claim), self.viewport())
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
    claimant = claim.claimant or "the article itself"
    return (
        f"{STATUS_LABELS[claim.status]} · {claim.kind.label}\n"
        f"Claimant: {claimant}\n"
        f"Check-worthiness: {claim.score:.2f}"
    )
