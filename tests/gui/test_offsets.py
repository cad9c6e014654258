"""The article view's offset map agrees with Qt's own document about where each paragraph starts,
in text with emoji (two UTF-16 units each) and Unicode paragraph separators."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QTextDocument

from factdesk.gui.article_view import OffsetMap


def test_block_starts_match_the_documents_blocks(qapp: Any) -> None:
    text = "Headline 📈\nThe council said 🙂 bills rose.\u2029Second\n\nLast line 🎉 here"
    doc = QTextDocument()
    doc.setPlainText(text)
    offsets = OffsetMap(text)
    assert len(offsets.block_starts) == doc.blockCount() == 5
    for number, start in enumerate(offsets.block_starts):
        block = doc.findBlockByNumber(number)
        assert offsets.to_qt(start) == block.position()
        assert offsets.block_of(start) == number
        assert text[start:].startswith(block.text()[:1])
    plain = OffsetMap("one\ntwo")
    assert plain.block_starts == [0, 4] and not plain.has_astral
