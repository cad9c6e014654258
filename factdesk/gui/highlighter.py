"""`ClaimHighlighter`: paints the article view's claim spans, claimants' names and furniture."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QPalette,
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
    QTextLayout,
)
from PySide6.QtWidgets import QPlainTextEdit

from factdesk.domain import ClaimRecord, ClaimStatus, Priority
from factdesk.gui.colors import tint
from factdesk.gui.offsets import OffsetMap

# the slices that paint what is off screen hold the GUI thread at most this long
SLICE_SECONDS = 0.008


class ClaimHighlighter(QObject):
    """Paints each block's claim spans, the claimant's name under each claim and the article's
    furniture, by setting the formats of the blocks' layouts.

    Not a QSyntaxHighlighter: that calls Python once per block as the text is set (a 1 MB
    article: ~0.1 s before it shows). Here the blocks on screen are painted at once and the rest
    in short slices off a timer; spans are indexed as the slices reach them (claims in text
    order), or at once for a claim the user reaches first. Re-colouring a claim repaints only
    its blocks.

    The tint says the priority tier (high: strong, normal: light, low: an underline only); within
    a paragraph every other claim is a shade lighter, so two claims side by side read as two.
    The claimant's name is underlined in the text colour and set in semibold.
    """

    def __init__(self, view: QPlainTextEdit) -> None:
        super().__init__(view)
        self._view = view
        self._claims: dict[str, ClaimRecord] = {}
        self._qt_span: dict[str, tuple[int, int]] = {}
        self._blocks: dict[str, range] = {}
        self._by_block: dict[int, list[str]] = defaultdict(list)
        self._name_span: dict[str, tuple[int, int]] = {}  # claim id -> its claimant's Qt span
        self._name_blocks: dict[str, range] = {}
        self._names_by_block: dict[int, list[str]] = defaultdict(list)
        self._map = OffsetMap("")
        self._furniture: dict[int, tuple[QTextCharFormat, int]] = {}  # block -> style, length
        # claims not indexed yet, in text order; every claim before _next is
        self._queue: list[str] = []
        self._next = 0
        self._painted: set[int] = set()  # blocks whose layout holds formats
        self._fresh: set[int] = set()  # blocks painted since the last full repaint began
        self._cursor = 0  # the slices' next block; the document's block count when done
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._paint_slice)
        view.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.selected_id: str | None = None
        self.min_priority = Priority.LOW  # claims of a lower tier are not painted
        # a board of 10,000 claims needs a few dozen distinct formats, not 10,000
        self._formats: dict[tuple[ClaimStatus, Priority, bool, bool, bool], QTextCharFormat] = {}
        self._name_formats: dict[bool, QTextCharFormat] = {}
        self.seen: frozenset[str] = frozenset()  # claims seen before: a line over them

    def document(self) -> QTextDocument:
        return self._view.document()

    # data
    def set_text_map(self, offsets: OffsetMap) -> None:
        self._map = offsets
        self._painted.clear()  # a new text: new blocks, no formats
        self._fresh.clear()

    def set_furniture(self, styled: dict[int, tuple[QTextCharFormat, int]]) -> None:
        """Qt block number -> (format, length): the headline, byline, dateline, subheadings."""
        self._furniture = dict(styled)

    def set_claims(self, claims: Iterable[ClaimRecord], *, repaint: bool = True) -> None:
        """All the claims of the shown text; `repaint` paints them (otherwise `repaint_all`)."""
        self._claims = {c.id: c for c in claims}
        self._qt_span.clear()
        self._blocks.clear()
        self._by_block.clear()
        self._name_span.clear()
        self._name_blocks.clear()
        self._names_by_block.clear()
        records = self._claims
        self._queue = sorted(records, key=lambda cid: records[cid].start)
        self._next = 0
        if repaint:
            self.repaint_all()

    def update_claims(self, claims: Sequence[ClaimRecord]) -> None:
        """Add or re-colour these claims, repainting just the blocks they touch."""
        blocks: set[int] = set()
        for claim in claims:
            if claim.id in self._blocks:
                blocks.update(self._touched(claim.id))
                self._forget(claim.id)
            elif claim.id in self._claims:
                self._claims[claim.id] = claim  # not indexed yet: indexed as it is reached
                continue
            self._add(claim)
            blocks.update(self._touched(claim.id))
        self._paint_blocks(blocks)

    def select(self, claim_id: str | None) -> None:
        blocks: set[int] = set()
        for cid in (self.selected_id, claim_id):
            if cid is not None and self._index_claim(cid):
                blocks.update(self._touched(cid))
        self.selected_id = claim_id
        self._paint_blocks(blocks)

    def set_min_priority(self, tier: Priority) -> None:
        """Paint only claims of `tier` and above (the toolbar's high / high + normal / all)."""
        if tier is not self.min_priority:
            self.min_priority = tier
            self.repaint_all()

    def set_seen(self, claim_ids: Iterable[str]) -> None:
        """Claims with a strong match among earlier checks: overlined."""
        seen = frozenset(claim_ids)
        changed = seen ^ self.seen
        self.seen = seen
        blocks: set[int] = set()
        for cid in changed:
            if self._index_claim(cid):
                blocks.update(self._blocks[cid])
        self._paint_blocks(blocks)

    def shows(self, claim: ClaimRecord) -> bool:
        return not claim.dismissed and claim.priority.rank <= self.min_priority.rank

    def claim(self, claim_id: str) -> ClaimRecord | None:
        return self._claims.get(claim_id)

    def qt_span(self, claim_id: str) -> tuple[int, int] | None:
        return self._qt_span.get(claim_id) if self._index_claim(claim_id) else None

    def claimant_span(self, claim_id: str) -> tuple[int, int] | None:
        """The Qt span of the claimant's name painted for this claim, if it is in the text."""
        return self._name_span.get(claim_id) if self._index_claim(claim_id) else None

    def claim_at(self, position: int) -> ClaimRecord | None:
        """The visible claim under a document position (the shortest one, if claims nest)."""
        number = self.document().findBlock(position).blockNumber()
        self._index_until(self._map.next_block_start(number))
        best: ClaimRecord | None = None
        for cid in self._by_block.get(number, ()):
            start, end = self._qt_span[cid]
            claim = self._claims[cid]
            inside = start <= position < end and self.shows(claim)
            if inside and (best is None or claim.end - claim.start < best.end - best.start):
                best = claim
        return best

    def pending(self) -> bool:
        """Blocks off screen are still to be painted."""
        return self._timer.isActive()

    def format_for(self, claim: ClaimRecord, *, alternate: bool = False) -> QTextCharFormat:
        selected = claim.id == self.selected_id
        key = (claim.status, claim.priority, selected, alternate, claim.id in self.seen)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = self._formats[key] = self._make_format(*key)
        return fmt

    @staticmethod
    def _make_format(
        status: ClaimStatus, tier: Priority, selected: bool, alternate: bool, seen: bool
    ) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setFontOverline(seen)
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

    def name_format(self, *, selected: bool) -> QTextCharFormat:
        """The claimant's name: laid over the claim's tint, so it keeps the background."""
        fmt = self._name_formats.get(selected)
        if fmt is None:
            fmt = QTextCharFormat()
            fmt.setFontWeight(QFont.Weight.DemiBold)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            text = self._view.palette().color(QPalette.ColorRole.Text)
            fmt.setUnderlineColor(QColor("#111111") if selected else text)
            self._name_formats[selected] = fmt
        return fmt

    # painting
    def repaint_all(self) -> None:
        """Paint what is on screen now and the rest in slices: every block is looked at again."""
        self._fresh.clear()
        self._cursor = 0
        self._paint_visible()
        if self._cursor < self.document().blockCount():
            self._timer.start()

    def _paint_visible(self) -> None:
        view = self._view
        block = view.firstVisibleBlock()
        top = view.blockBoundingGeometry(block).translated(view.contentOffset()).top()
        bottom = view.viewport().height()
        while block.isValid() and top <= bottom:
            number = block.blockNumber()
            if number not in self._fresh:
                self._paint(block)
            top += view.blockBoundingRect(block).height()
            block = block.next()

    def _scrolled(self) -> None:
        if self._timer.isActive():
            self._paint_visible()

    def _paint_slice(self) -> None:
        doc = self.document()
        count = doc.blockCount()
        deadline = time.perf_counter() + SLICE_SECONDS
        block = doc.findBlockByNumber(self._cursor)
        while block.isValid():
            number = block.blockNumber()
            if number not in self._fresh:
                self._index_until(self._map.next_block_start(number))
                if (
                    number in self._painted
                    or number in self._by_block
                    or number in self._names_by_block
                    or number in self._furniture
                ):
                    self._paint(block)
            block = block.next()
            if time.perf_counter() > deadline:
                break
        self._cursor = block.blockNumber() if block.isValid() else count
        if self._cursor >= count:
            self._timer.stop()

    def _paint_blocks(self, numbers: Iterable[int]) -> None:
        doc = self.document()
        for number in sorted(numbers):
            block = doc.findBlockByNumber(number)
            if block.isValid():
                self._paint(block)

    def _paint(self, block: QTextBlock) -> None:
        """Set one block's formats: its furniture, its claims (longer ones first, so a nested
        claim stays visible on top), then the claimants' names over them."""
        number = block.blockNumber()
        # every claim touching the block first (the slices index lazily, in text order)
        self._index_until(self._map.next_block_start(number))
        self._fresh.add(number)
        ranges: list[QTextLayout.FormatRange] = []
        base = block.position()
        length = block.length() - 1
        style = self._furniture.get(number)
        if style is not None:
            ranges.append(_range(0, min(style[1], length), style[0]))
        ids = self._by_block.get(number)
        if ids:
            spans = self._qt_span
            claims = self._claims
            shown = [cid for cid in ids if self.shows(claims[cid])]
            shown.sort(key=spans.__getitem__)
            alternate = {cid: i % 2 == 1 for i, cid in enumerate(shown)}
            shown.sort(key=lambda i: spans[i][0] - spans[i][1])
            for cid in shown:
                start, end = spans[cid]
                lo = max(start - base, 0)
                hi = min(end - base, length)
                if hi > lo:
                    fmt = self.format_for(claims[cid], alternate=alternate[cid])
                    ranges.append(_range(lo, hi - lo, fmt))
        names = self._names_by_block.get(number)
        if names:
            for cid in names:
                if not self.shows(self._claims[cid]):
                    continue
                start, end = self._name_span[cid]
                lo = max(start - base, 0)
                hi = min(end - base, length)
                if hi > lo:
                    fmt = self.name_format(selected=cid == self.selected_id)
                    ranges.append(_range(lo, hi - lo, fmt))
        if not ranges and number not in self._painted:
            return
        layout = block.layout()
        # a block not laid out yet takes its formats when it is; one laid out is laid out anew
        # and repainted (asked before: setting the formats clears the layout's lines)
        laid_out = layout.lineCount() > 0
        layout.setFormats(ranges)
        if ranges:
            self._painted.add(number)
        else:
            self._painted.discard(number)
        if laid_out:
            self.document().markContentsDirty(base, block.length())

    # the index of spans by block, built as far as it is needed
    def _index_until(self, offset: int) -> None:
        """Index every queued claim that starts before `offset`."""
        queue, claims = self._queue, self._claims
        while self._next < len(queue):
            cid = queue[self._next]
            claim = claims.get(cid)
            if claim is not None and claim.start >= offset:
                return
            self._next += 1
            if claim is not None and cid not in self._blocks:
                self._add(claim)
                # a claimant named in an earlier paragraph: that block shows the name too
                for number in self._name_blocks.get(cid, ()):
                    if number in self._fresh:
                        self._paint_blocks((number,))

    def _index_claim(self, claim_id: str) -> bool:
        claim = self._claims.get(claim_id)
        if claim is None:
            return False
        if claim_id not in self._blocks:
            self._index_until(claim.start + 1)
        return claim_id in self._blocks

    def _add(self, claim: ClaimRecord) -> None:
        offsets = self._map
        self._claims[claim.id] = claim
        self._qt_span[claim.id] = (offsets.to_qt(claim.start), offsets.to_qt(claim.end))
        first = offsets.block_of(claim.start)
        last = offsets.block_of(claim.end - 1) if claim.end > claim.start else first
        blocks = range(first, last + 1)
        self._blocks[claim.id] = blocks
        for number in blocks:
            self._by_block[number].append(claim.id)
        a, b = claim.claimant_start, claim.claimant_end
        if a is not None and b is not None and 0 <= a < b <= offsets.length:
            self._name_span[claim.id] = (offsets.to_qt(a), offsets.to_qt(b))
            names = range(offsets.block_of(a), offsets.block_of(b - 1) + 1)
            self._name_blocks[claim.id] = names
            for number in names:
                self._names_by_block[number].append(claim.id)

    def _forget(self, claim_id: str) -> None:
        for index, key in (
            (self._by_block, self._blocks),
            (self._names_by_block, self._name_blocks),
        ):
            for number in key.pop(claim_id, ()):
                ids = index.get(number)
                if ids and claim_id in ids:
                    ids.remove(claim_id)
        del self._claims[claim_id]
        del self._qt_span[claim_id]
        self._name_span.pop(claim_id, None)

    def _touched(self, claim_id: str) -> set[int]:
        """The blocks a claim paints: its own and its claimant's name's."""
        return {*self._blocks.get(claim_id, ()), *self._name_blocks.get(claim_id, ())}


def _range(start: int, length: int, fmt: QTextCharFormat) -> QTextLayout.FormatRange:
    r = QTextLayout.FormatRange()
    r.start = start
    r.length = length
    r.format = fmt
    return r
