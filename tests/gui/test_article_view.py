"""The article view: offsets mapped onto what Qt shows, claims and their claimants painted (the
screen at once, the rest in slices), a giant paragraph shown in pieces, the dateline's place above
the article."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextFormat

from factdesk.domain import ClaimKind, ClaimOrigin, ClaimRecord, ClaimStatus, Priority
from factdesk.gui.article_view import ArticleView
from factdesk.gui.offsets import SPLIT_AT
from tests.gui.conftest import needs_nlp
from tests.gui.driver import Desk


def record(n: int, text: str, start: int, end: int, who: str = "") -> ClaimRecord:
    now = datetime.now(UTC)
    at = text.find(who, start, end) if who else -1
    return ClaimRecord(
        id=f"c{n}",
        article_id="a",
        start=start,
        end=end,
        text=text[start:end],
        score=0.9,
        priority=Priority.HIGH,
        kind=ClaimKind.STATISTIC,
        claimant=who,
        origin=ClaimOrigin.DETECTED,
        status=ClaimStatus.UNVERIFIED,
        explanation="",
        rating="",
        dismissed=False,
        reviewer="",
        duplicate_of=None,
        entities=(),
        created_at=now,
        updated_at=now,
        claimant_start=at if at >= 0 else None,
        claimant_end=at + len(who) if at >= 0 else None,
    )


def sentences(n: int, sep: str) -> tuple[str, list[ClaimRecord]]:
    lines = [f"Mayor Ana Ruiz said {k} pipes burst in district {k % 40}." for k in range(n)]
    text = sep.join(lines)
    claims, at = [], 0
    for k, line in enumerate(lines):
        at = text.index(line, at)
        claims.append(record(k, text, at, at + len(line), "Mayor Ana Ruiz"))
        at += len(line)
    return text, claims


def background(view: ArticleView, offset: int) -> Any:
    position = view.offsets.to_qt(offset)
    block = view.document().findBlock(position)
    for r in block.layout().formats():
        if r.start <= position - block.position() < r.start + r.length:
            brush = r.format.background()
            if brush.style() != Qt.BrushStyle.NoBrush:
                return brush.color().name()
    return None


def weight(view: ArticleView, offset: int) -> int:
    position = view.offsets.to_qt(offset)
    block = view.document().findBlock(position)
    heaviest = QFont.Weight.Normal.value
    for r in block.layout().formats():
        inside = r.start <= position - block.position() < r.start + r.length
        if inside and r.format.hasProperty(QTextFormat.Property.FontWeight):
            heaviest = max(heaviest, r.format.fontWeight())
    return heaviest


@pytest.fixture
def view(qtbot: Any) -> ArticleView:
    widget = ArticleView()
    widget.resize(800, 600)
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.mark.parametrize(
    "text",
    [
        "Plain text.\nTwo paragraphs.\n\nAnd an empty line.",
        "Emoji 😀 here\nand 𝔘𝔫𝔦𝔠𝔬𝔡𝔢\u2029a paragraph separator 😀\n",
        " ".join(f"Sentence {k} of a paste without line breaks 😀." for k in range(400)),
        "x" * (SPLIT_AT * 2) + "\n" + "word " * SPLIT_AT,
    ],
)
def test_offsets_map_onto_the_shown_text(text: str, view: ArticleView) -> None:
    view.show_article(None, text, ())
    doc = view.document()
    offsets = view.offsets
    assert doc.toPlainText() == offsets.shown(text).replace("\u2029", "\n")
    shown = offsets.shown(text)
    assert shown.replace("\n", "") == text.replace("\n", "")
    # every character of the article is where the map says, in the block it says
    for i, ch in enumerate(text):
        q = offsets.to_qt(i)
        assert offsets.from_qt(q) == i
        if ch not in "\n\u2029":
            unit = ch.encode("utf-16-le")[:2].decode("utf-16-le", "surrogatepass")
            assert doc.characterAt(q) == unit
            assert doc.findBlock(q).blockNumber() == offsets.block_of(i)
    assert offsets.from_qt(offsets.to_qt(len(text))) == len(text)


def test_a_giant_paragraph_is_shown_in_pieces_and_a_verdict_repaints_one(
    view: ArticleView, qtbot: Any
) -> None:
    text, claims = sentences(2000, " ")  # ~110 kB without a line break
    view.show_article("a", text, claims)
    qtbot.waitUntil(lambda: not view.highlighter.pending())
    doc = view.document()
    assert doc.blockCount() > len(text) // SPLIT_AT
    assert max(len(doc.findBlockByNumber(n).text()) for n in range(doc.blockCount())) <= SPLIT_AT
    assert view.shown_text() == text
    target = claims[1234]
    before = background(view, target.start)
    view.highlighter.update_claims([replace(target, status=ClaimStatus.VERIFIED)])
    assert background(view, target.start) != before
    assert background(view, claims[1235].start) is not None


def test_the_screen_is_painted_first_and_the_rest_follows(view: ArticleView, qtbot: Any) -> None:
    text, claims = sentences(3000, "\n")
    view.show_article("a", text, claims)
    first, last = claims[0], claims[-1]
    assert background(view, first.start) is not None, "the top of the article at once"
    assert view.highlighter.pending()
    # the far end answers a click before it is painted
    end = view.highlighter.qt_span(last.id)
    assert end is not None
    claim = view.highlighter.claim_at(end[0] + 2)
    assert claim is not None and claim.id == last.id
    qtbot.waitUntil(lambda: not view.highlighter.pending(), timeout=10_000)
    assert background(view, last.start) is not None


def test_the_claimants_name_is_set_apart_inside_the_claim(view: ArticleView, qtbot: Any) -> None:
    text = "Mayor Ana Ruiz said 33 pipes burst. Nobody knows why it rained."
    claim = record(0, text, 0, text.index(".") + 1, "Mayor Ana Ruiz")
    view.show_article("a", text, [claim])
    qtbot.waitUntil(lambda: not view.highlighter.pending())
    assert view.highlighter.claimant_span(claim.id) == (0, len("Mayor Ana Ruiz"))
    name_tint, rest_tint = background(view, 3), background(view, 20)
    assert name_tint is not None and name_tint == rest_tint, "the name keeps the claim's tint"
    name = weight(view, 3)
    assert name > weight(view, 20)
    # dismissed: neither the claim nor its name is painted
    view.highlighter.update_claims([replace(claim, dismissed=True)])
    assert background(view, 3) is None and weight(view, 3) == QFont.Weight.Normal.value


@needs_nlp
def test_the_journalist_sees_who_claims_what_and_where_it_was_filed(
    make_window: Any, sample_path: Path, qtbot: Any
) -> None:
    desk = Desk(make_window(detector="inline"), qtbot)
    desk.open_sample()
    named = {
        c.claimant
        for c in desk.board_claims()
        if c.claimant and c.claimant_start is not None and not c.dismissed
    }
    assert named, "the sample names claimants in its text"
    underlined = set(desk.underlined_names())
    assert named <= underlined
    assert underlined <= {c.claimant for c in desk.board_claims()}
    place = desk.window.selection.article.place
    assert place and place in desk.article_byline()


def test_a_recoloured_claim_is_repainted_on_screen(view: ArticleView, qtbot: Any) -> None:
    from PySide6.QtCore import QEvent, QObject

    text, claims = sentences(20, "\n")
    view.show_article("a", text, claims)
    qtbot.waitUntil(lambda: not view.highlighter.pending())
    qtbot.wait(50)

    class Paints(QObject):
        count = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    paints = Paints()
    view.viewport().installEventFilter(paints)
    view.highlighter.update_claims([replace(claims[2], status=ClaimStatus.DISPUTED)])
    qtbot.waitUntil(lambda: paints.count > 0, timeout=2000)
    view.viewport().removeEventFilter(paints)


def test_the_window_shows_an_article_without_loading_claim_detection(
    factdesk_home: Path, sample_path: Path
) -> None:
    import os

    from factdesk.services import Workspace
    from tests.fresh import run_python

    with Workspace.open(plaintext=True) as ws:
        ws.import_file(sample_path, detect=False)
    code = (
        "import os, sys, time\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from factdesk.gui import create_window\n"
        "from factdesk.services import Workspace\n"
        "w = create_window(lambda p: Workspace.open(plaintext=True), detector=False)\n"
        "w.show()\n"
        "end = time.monotonic() + 30\n"
        "while 'HARWICK' not in w.article.view.toPlainText() and time.monotonic() < end:\n"
        "    app.processEvents()\n"
        "first = w.article.view.document().begin().layout().formats()\n"
        "styled = any(r.format.fontWeight() >= 700 for r in first)  # the headline, in bold\n"
        "print(styled, sorted(m for m in sys.modules if m.startswith('factdesk.nlp')))\n"
        "sys.stdout.flush(); os._exit(0)\n"
    )
    out = run_python(code, env={**os.environ, "FACTDESK_HOME": str(factdesk_home)})
    assert out.strip().splitlines()[-1] == "True []", out


def test_a_claim_reached_before_the_slices_leaves_none_of_its_neighbours_unpainted(
    view: ArticleView, qtbot: Any
) -> None:
    lines = [f"Ana said {k} pipes burst. Tom said {k} more did." for k in range(3000)]
    text = "\n".join(lines)
    claims, at = [], 0
    for k, line in enumerate(lines):
        at = text.index(line, at)
        cut = line.index(" Tom")
        claims.append(record(2 * k, text, at, at + cut))
        claims.append(record(2 * k + 1, text, at + cut + 1, at + len(line)))
        at += len(line)
    view.show_article("a", text, claims)
    first, second = claims[4000], claims[4001]  # one paragraph, far down
    view.highlighter.select(first.id)  # J, a search hit: reached before the slices get there
    view.scroll_to_claim(first.id)
    qtbot.waitUntil(lambda: not view.highlighter.pending(), timeout=10_000)
    assert background(view, first.start) is not None
    assert background(view, second.start) is not None


def test_the_claim_moved_to_is_wholly_on_screen(view: ArticleView, qtbot: Any) -> None:
    long = " ".join(["the council said the pipes that burst last winter were old"] * 4)
    text = "\n".join(f"{k}: {long}." for k in range(80))
    claims, at = [], 0
    for k, line in enumerate(text.split("\n")):
        claims.append(record(k, text, at, at + len(line)))
        at += len(line) + 1
    view.show_article("a", text, claims)
    qtbot.waitUntil(lambda: not view.highlighter.pending())
    for target in (claims[30], claims[60], claims[10]):
        view.scroll_to_claim(target.id)
        start, end = view.highlighter.qt_span(target.id) or (0, 0)
        cursor = view.textCursor()
        cursor.setPosition(start)
        top = view.cursorRect(cursor).top()
        cursor.setPosition(end)
        bottom = view.cursorRect(cursor).bottom()
        assert top >= 0 and bottom <= view.viewport().height(), target.id
