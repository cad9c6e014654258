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

from factdesk.domain import ClaimRecord, ClaimStatus, Priority, priority_of
from factdesk.gui.article_layout import furniture, furniture_format
from factdesk.gui.colors import STATUS_LABELS, claimant_text, tint


class OffsetMap:
    """Converts Python string offsets to Qt positions in the shown text and back, and finds the
    block holding an offset without asking the document, so spans can be known before the text
    is laid out.

    Qt counts UTF-16 units (characters outside the Basic Multilingual Plane take two). With
    `spaced`, the view shows an empty line after each paragraph (QPlainTextEdit ignores block
    margins): each line break of the article text takes two positions and two blocks on screen.
    """

    def __init__(self, text: str, *, spaced: bool = False) -> None:
        self._astral = (
            [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if _has_astral(text) else []
        )
        self._breaks = [m.start() for m in _LINE_BREAK.finditer(text)] if spaced else []
        self._block_starts = [0] + [m.end() for m in _BLOCK_BREAK.finditer(text)]
        # the Qt block number of each of those blocks: a spaced line break adds an empty block
        self._block_numbers = [0]
        for m in _BLOCK_BREAK.finditer(text):
            step = 2 if spaced and m.group() == "\n" else 1
            self._block_numbers.append(self._block_numbers[-1] + step)
        # Qt positions of the astral characters' second units and of the inserted line breaks
        self._astral_u16 = [self.to_qt(p) + 1 for p in self._astral]
        self._inserted = [self.to_qt(p) + 1 for p in self._breaks]

    def shown(self, text: str) -> str:
        """The text as the view shows it."""
        return text.replace("\n", "\n\n") if self._breaks else text

    def block_of(self, offset: int) -> int:
        return self._block_numbers[bisect_right(self._block_starts, offset) - 1]

    def to_qt(self, offset: int) -> int:
        astral = bisect_left(self._astral, offset) if self._astral else 0
        breaks = bisect_left(self._breaks, offset) if self._breaks else 0
        return offset + astral + breaks

    def from_qt(self, position: int) -> int:
        if not (self._astral or self._breaks):
            return position
        # every unit Qt shows that the text does not have, before `position`, is one too many
        extra = bisect_right(self._astral_u16, position - 1) + bisect_left(self._inserted, position)
        return position - extra


_LINE_BREAK = re.compile("\n")
# QTextDocument starts a new block at each of these
_BLOCK_BREAK = re.compile("[\n\u2029]")


def _has_astral(text: str) -> bool:
    return not text.isascii() and len(text.encode("utf-16-le")) != 2 * len(text)


class ClaimHighlighter(QSyntaxHighlighter):
    """Paints each block's claim spans; re-colouring a claim re-highlights only its blocks.

    The tint says the priority tier (high: strong, normal: light, low: an underline only); within
    a paragraph every other claim is a shade lighter, so two claims side by side read as two.
    """

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._claims: dict[str, ClaimRecord] = {}
        self._qt_span: dict[str, tuple[int, int]] = {}
        self._blocks: dict[str, range] = {}
        self._by_block: dict[int, list[str]] = defaultdict(list)
        self._map = OffsetMap("")
        self._furniture: dict[int, QTextCharFormat] = {}  # Qt block number -> its style
        self._furniture_len: dict[int, int] = {}
        self.selected_id: str | None = None
        self.min_priority = Priority.LOW  # claims of a lower tier are not painted
        # a board of 10,000 claims needs a few dozen distinct formats, not 10,000
        self._formats: dict[tuple[ClaimStatus, Priority, bool, bool], QTextCharFormat] = {}

    # data
    def set_text_map(self, offsets: OffsetMap) -> None:
        self._map = offsets

    def set_furniture(self, styled: dict[int, tuple[QTextCharFormat, int]]) -> None:
        """Qt block number -> (format, length): the headline, byline, dateline, subheadings."""
        self._furniture = {n: fmt for n, (fmt, _len) in styled.items()}
        self._furniture_len = {n: length for n, (_fmt, length) in styled.items()}

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

    def set_min_priority(self, tier: Priority) -> None:
        """Paint only claims of `tier` and above (the toolbar's high / high + normal / all)."""
        if tier is not self.min_priority:
            self.min_priority = tier
            self.rehighlight()

    def shows(self, claim: ClaimRecord) -> bool:
        return not claim.dismissed and priority_of(claim.score).rank <= self.min_priority.rank

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
            inside = start <= position < end and self.shows(claim)
            if inside and (best is None or claim.end - claim.start < best.end - best.start):
                best = claim
        return best

    def format_for(self, claim: ClaimRecord, *, alternate: bool = False) -> QTextCharFormat:
        selected = claim.id == self.selected_id
        key = (claim.status, priority_of(claim.score), selected, alternate)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = self._formats[key] = self._make_format(*key)
        return fmt

    @staticmethod
    def _make_format(
        status: ClaimStatus, tier: Priority, selected: bool, alternate: bool
    ) -> QTextCharFormat:
        fmt = QTextCharFormat()
        if selected:
            # an opaque tint with dark text reads on light and dark palettes alike
            fmt.setBackground(tint(status, 1.0, selected=True))
            fmt.setForeground(QColor("#111111"))
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            return fmt
        edge = tint(status, 1.0, selected=True)
        if tier is Priority.LOW:
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
            fmt.setUnderlineColor(edge)
            return fmt
        strength = 1.0 if tier is Priority.HIGH else 0.3
        # every other claim of a paragraph a shade lighter: neighbours never merge into one block
        fmt.setBackground(tint(status, strength * (0.6 if alternate else 1.0)))
        if tier is Priority.HIGH:
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(edge)
        return fmt

    # QSyntaxHighlighter
    def highlightBlock(self, text: str) -> None:
        block = self.currentBlock()
        number = block.blockNumber()
        style = self._furniture.get(number)
        if style is not None:
            self.setFormat(0, min(self._furniture_len[number], len(text)), style)
        ids = self._by_block.get(number)
        if not ids:
            return
        base = block.position()
        length = len(text) if text is not None else block.length()
        spans = self._qt_span
        shown = [cid for cid in ids if self.shows(self._claims[cid])]
        alternate = {cid: i % 2 == 1 for i, cid in enumerate(sorted(shown, key=spans.__getitem__))}
        # longer spans first so that a nested, shorter claim stays visible on top
        for cid in sorted(shown, key=lambda i: spans[i][0] - spans[i][1]):
            start, end = spans[cid]
            lo = max(start - base, 0)
            hi = min(end - base, length)
            if hi > lo:
                self.setFormat(
                    lo, hi - lo, self.format_for(self._claims[cid], alternate=alternate[cid])
                )

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
        self.offsets = OffsetMap(text, spaced=True)
        self.highlighter.set_text_map(self.offsets)
        self.highlighter.selected_id = None
        self.highlighter.set_furniture(self._furniture_of(text))
        # spans are known before the text: setPlainText lays out and highlights in one pass
        self.highlighter.set_claims(claims, repaint=False)
        self._text = text
        self.setPlainText(self.offsets.shown(text))

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
    return (
        f"{STATUS_LABELS[claim.status]} · {claim.kind.label}\n"
        f"Claimant: {claimant_text(claim.claimant)}\n"
        f"Priority: {priority_of(claim.score).value} (check-worthiness {claim.score:.2f})"
    )
