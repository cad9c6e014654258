"""The matching index is completed in the background by the detection worker process: the
window's process never runs the encoder, and the Seen-before panel then answers from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from factdesk.gui.detection import DetectionProcess
from tests.gui.conftest import needs_nlp
from tests.gui.driver import Desk

FEED = Path(__file__).parents[1] / "matching" / "fixtures" / "claimreview-feed.json"
ARTICLE = (
    "Minister under fire\n"
    "The health minister said on Monday that COVID-19 vaccines contain microchips which track "
    "people, a claim repeated by 40,000 accounts.\n"
)


@needs_nlp
def test_the_worker_process_computes_the_vectors_and_the_window_matches_with_them(
    make_window: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import factdesk.nlp.encoder

    def not_here() -> Any:
        raise AssertionError("the encoder ran in the window's process")

    # only this (the window's) process: the worker is a fresh spawned interpreter
    monkeypatch.setattr(factdesk.nlp.encoder, "load_encoder", not_here)
    detector = DetectionProcess()
    window = make_window(detector=detector)
    desk = Desk(window, qtbot)
    desk._read(lambda ws: ws.import_factchecks(FEED))
    messages: list[str] = []
    window.background_matching.message.connect(lambda text, _ms: messages.append(text))
    window.background_matching.schedule()  # as File -> Import fact-checks would
    path = tmp_path / "minister.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    desk.open(str(path))
    qtbot.waitUntil(lambda: bool(desk.shown_claims()), timeout=60_000)
    qtbot.waitUntil(lambda: desk._read(lambda ws: ws.matcher().pending()) == 0, timeout=90_000)
    qtbot.waitUntil(lambda: any("complete" in m for m in messages), timeout=30_000)

    desk.select_claim("The health minister said")  # by text: the tiers decide which comes first
    panel = window.seen_before
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=60_000)
    assert panel.model.matches[0].url == "https://checks.example.net/vaccine-microchips"
    assert detector.pid is not None
