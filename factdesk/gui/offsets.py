"""`OffsetMap`: claim offsets (Python string indices) to Qt positions in the article view and back.

Qt counts UTF-16 units, so the two differ when the text has characters outside the Basic
Multilingual Plane (such as emoji); the view also shows line breaks the text does not have (an
empty line after each paragraph, cuts in a very long paragraph).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate


class OffsetMap:
    """Converts Python string offsets to Qt positions in the shown text and back, and finds the
    block holding an offset without asking the document, so spans can be known before the text
    is laid out.

    Qt counts UTF-16 units (characters outside the Basic Multilingual Plane take two). With
    `spaced`, the view shows an empty line after each paragraph (QPlainTextEdit ignores block
    margins): each line break of the article text takes two positions and two blocks on screen.
    A paragraph longer than SPLIT_AT characters (a paste without line breaks) is shown as several
    blocks, cut after a sentence: re-colouring one claim then lays out one of them, not 500 kB.
    """

    def __init__(self, text: str, *, spaced: bool = False) -> None:
        self._length = len(text)
        self._astral = (
            [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if _has_astral(text) else []
        )
        # text offsets before which the view shows a line break the text does not have
        inserted: list[int] = []
        starts, numbers = [0], [0]
        self._splits = False
        lengths = [] if "\u2029" in text else [len(p) for p in text.split("\n")]
        if lengths and max(lengths) <= SPLIT_AT:
            # the usual article: paragraphs split by line breaks only, none too long (in C)
            starts += accumulate(n + 1 for n in lengths[:-1])
            step = 2 if spaced else 1
            numbers = list(range(0, step * len(starts), step))
            if spaced:
                inserted = starts[1:]
            self._finish(text, inserted, starts, numbers)
            return
        pos, number = 0, 0
        for m in _BLOCK_BREAK.finditer(text):
            if m.start() - pos > SPLIT_AT:
                number = self._split(text, pos, m.start(), number, inserted, starts, numbers)
            pos = m.end()
            if spaced and m.group() == "\n":
                inserted.append(pos)
                number += 2
            else:
                number += 1
            starts.append(pos)
            numbers.append(number)
        if len(text) - pos > SPLIT_AT:
            self._split(text, pos, len(text), number, inserted, starts, numbers)
        self._finish(text, inserted, starts, numbers)

    def _finish(
        self, text: str, inserted: list[int], starts: list[int], numbers: list[int]
    ) -> None:
        self._inserted_at = inserted
        self._block_starts = starts
        self._block_numbers = numbers
        # Qt positions of the astral characters' second units and of the inserted line breaks
        self._astral_u16 = [self.to_qt(p) + 1 for p in self._astral]
        if self._astral:
            self._inserted = [self.to_qt(q) - 1 for q in inserted]
        else:
            self._inserted = [q + i for i, q in enumerate(inserted)]

    def _split(
        self,
        text: str,
        lo: int,
        hi: int,
        number: int,
        inserted: list[int],
        starts: list[int],
        numbers: list[int],
    ) -> int:
        """Cut text[lo:hi] after sentences (else at a space) every SPLIT_AT / 2 or so."""
        pos = lo
        while hi - pos > SPLIT_AT:
            window = text[pos + SPLIT_AT // 2 : pos + SPLIT_AT]
            m = _SENTENCE_END.search(window) or _SPACE.search(window)
            if m is None:
                pos += SPLIT_AT  # no white space to cut at: left as it is
                continue
            pos += SPLIT_AT // 2 + m.end()
            if pos >= hi:
                break
            inserted.append(pos)
            number += 1
            starts.append(pos)
            numbers.append(number)
            self._splits = True
        return number

    def shown(self, text: str) -> str:
        """The text as the view shows it."""
        if not self._inserted_at:
            return text
        if not self._splits:
            return text.replace("\n", "\n\n")
        pieces, prev = [], 0
        for q in self._inserted_at:
            pieces.append(text[prev:q])
            prev = q
        pieces.append(text[prev:])
        return "\n".join(pieces)

    @property
    def length(self) -> int:
        """The length of the article text (Python characters)."""
        return self._length

    def block_of(self, offset: int) -> int:
        return self._block_numbers[bisect_right(self._block_starts, offset) - 1]

    def next_block_start(self, number: int) -> int:
        """The text offset where the shown block after block `number` begins (past the end of
        the text for the last one)."""
        i = bisect_right(self._block_numbers, number)
        return self._block_starts[i] if i < len(self._block_starts) else self._length + 1

    def to_qt(self, offset: int) -> int:
        astral = bisect_left(self._astral, offset) if self._astral else 0
        return offset + astral + bisect_right(self._inserted_at, offset)

    def from_qt(self, position: int) -> int:
        if not (self._astral or self._inserted_at):
            return position
        # every unit Qt shows that the text does not have, before `position`, is one too many
        extra = bisect_right(self._astral_u16, position - 1) + bisect_left(self._inserted, position)
        return position - extra


# a paragraph longer than this is shown as several blocks (see OffsetMap)
SPLIT_AT = 4000
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+")
_SPACE = re.compile(r"\s+")
# QTextDocument starts a new block at each of these
_BLOCK_BREAK = re.compile("[\n\u2029]")


def _has_astral(text: str) -> bool:
    return not text.isascii() and len(text.encode("utf-16-le")) != 2 * len(text)
