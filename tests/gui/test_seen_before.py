"""The "Seen before" panel in the real window: a claim's earlier fact-check, attached by one key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from factdesk.domain import Stance
from tests.gui.conftest import needs_nlp
from tests.gui.driver import Desk

FEED = Path(__file__).parents[1] / "matching" / "fixtures" / "claimreview-feed.json"
ARTICLE = (
    "Minister under fire\n"
    "The health minister said on Monday that COVID-19 vaccines contain microchips which track "
    "people, a claim repeated by 40,000 accounts.\n"
)


@needs_nlp
def test_a_match_is_attached_as_evidence_with_the_chosen_stance(
    make_window: Any, qtbot: Any, tmp_path: Path
) -> None:
    window = make_window(detector="inline")
    desk = Desk(window, qtbot)
    desk._read(lambda ws: ws.import_factchecks(FEED))
    path = tmp_path / "minister.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    desk.open(str(path))
    qtbot.waitUntil(lambda: bool(desk.shown_claims()), timeout=30_000)
    desk.select_claim("The health minister said")  # by text: the tiers decide which comes first
    panel = window.seen_before
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=30_000)
    best = panel.model.matches[0]
    assert best.url == "https://checks.example.net/vaccine-microchips"
    shown = [panel.model.index(0, c).data() for c in range(6)]
    assert shown[1] == "Pants on fire" and shown[2] == "Checks Example"
    assert shown[3] == "2021-05-02" and float(shown[0]) > 0.5

    panel.stance.setCurrentIndex(panel.stance.findData(Stance.REFUTES))
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    claim_id = window.selection.claim_id
    links = desk._read(lambda ws: ws.evidence(claim_id))
    assert [(link.evidence.url, link.stance) for link in links] == [
        ("https://checks.example.net/vaccine-microchips", Stance.REFUTES)
    ]
    assert "Pants on fire" in links[0].evidence.quote
