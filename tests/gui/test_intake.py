"""Claims streaming onto the board: each flush sends only what is new, and a detection worker
that dies mid-article leaves its claims on the board, says so, and can be started anew."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMessageBox

from factdesk.gui import create_window
from tests.gui.conftest import long_article, needs_nlp, open_default_board


@needs_nlp
def test_a_worker_that_dies_keeps_its_claims_and_can_start_again(
    qtbot: Any, tmp_path: Path
) -> None:
    article = long_article(tmp_path)
    window = create_window(open_default_board)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.info is not None, timeout=15_000)
    ws = window.board.ws
    assert ws is not None
    sends: list[tuple[int, int, int]] = []  # per flush: new candidates, earlier counted, held
    real = ws.add_detected_claims

    def recording(article_id: str, candidates: Any, *, earlier: Any = ()) -> Any:
        sends.append((len(candidates), len(earlier), len(list(earlier))))
        return real(article_id, candidates, earlier=earlier)

    ws.add_detected_claims = recording  # type: ignore[method-assign]

    def on_board() -> list[Any]:
        assert window.selection.article is not None
        article_id = window.selection.article.id
        return window.board.tasks.db_sync(lambda: real.__self__.claims(article_id))

    window.intake.import_path(str(article))
    qtbot.waitUntil(lambda: len(sends) >= 2, timeout=120_000)
    assert window.detector is not None and window.detector.pid is not None
    assert window.intake.busy, "killed mid-article"
    with qtbot.waitSignal(window.detection_finished, timeout=10_000):  # what it found is written
        os.kill(window.detector.pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "error_box") is not None, timeout=10_000)
    box = window.findChild(QMessageBox, "error_box")
    assert "stopped unexpectedly" in box.text() and "Find claims again" in box.text()
    box.close()
    assert not window.status.progress.isVisible(), "no progress bar left spinning"
    kept = len(on_board())
    assert kept > 0, "the claims found before the worker died are kept"

    # each flush carried only its new candidates, counted after those sent before it
    sent = 0
    for new, counted, held in sends:
        assert counted == sent and held == 0, "earlier candidates are not sent again"
        sent += new

    # the next analysis starts a new worker
    short = tmp_path / "short.txt"
    short.write_text("Officials said 40 percent of the city's pipes leak.", encoding="utf-8")
    with qtbot.waitSignal(window.detection_finished, timeout=60_000):
        window.intake.import_path(str(short))
    assert window.detector.pid is not None
    assert [c.text for c in on_board()] == ["Officials said 40 percent of the city's pipes leak."]
    window.close()
