"""File -> Import fact-checks… in the window: a summary of what was imported and skipped, the claim
the import has checked before marked in the claims table and the article, and its Seen before
section on screen without scrolling at 1366x768."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.gui.conftest import needs_nlp
from tests.gui.driver import Desk

ECHO = "The council said the average household would pay 412 dollars a year, up from 349 dollars."


def fact_checks(folder: Path) -> Path:
    path = folder / "desk-checks.csv"
    path.write_text(
        "claim,rating,url,publisher,date\n"
        f'"{ECHO}",Mostly true,https://checks.example/bills,Harwick Checks,2025-03-01\n'
        ",False,https://checks.example/empty,Harwick Checks,2025-03-02\n"
        '"The moon is made of cheese.",False,https://checks.example/moon,Space Checks,2025-01-09\n',
        encoding="utf-8",
    )
    return path


@needs_nlp
def test_imported_fact_checks_mark_the_claims_they_checked(
    make_window: Any, sample_path: Path, qtbot: Any, tmp_path: Path
) -> None:
    window = make_window(detector="inline")
    window.resize(1366, 740)
    desk = Desk(window, qtbot)
    desk.open_sample()
    assert not any(c.seen_before for c in desk.shown_claims()), "nothing imported yet"

    summary = desk.import_factchecks(str(fact_checks(tmp_path)))
    assert "desk-checks.csv (csv): 2 imported, 0 updated, 0 unchanged, 1 skipped." in summary
    assert "skipped line 3:" in summary

    qtbot.waitUntil(lambda: any(c.seen_before for c in desk.shown_claims()), timeout=30_000)
    seen = [c for c in desk.shown_claims() if c.seen_before]
    assert [c.claim_text for c in seen] == [c.claim_text for c in seen if "412 dollars" in c.text]
    assert any(seen[0].claim_text.startswith(text) for text in desk.overlined_claims())

    # the journalist walks to that claim: Seen before lists the check, on screen at once
    for _ in desk.shown_claims():
        if desk.selected_claim_text() == seen[0].claim_text:
            break
        desk.next_claim()
    assert desk.selected_claim_text() == seen[0].claim_text
    qtbot.waitUntil(lambda: bool(desk.seen_before_rows()), timeout=30_000)
    assert desk.seen_before_rows()[0].startswith("Mostly true · Harwick Checks · ")
    assert desk.seen_before_visible()
    # attached at once, its stance is "not set" until the journalist says (not "refutes")
    desk.attach_first_match()
    qtbot.waitUntil(lambda: bool(desk.shown_evidence()), timeout=10_000)
    assert desk.shown_evidence()[0][:2] == ("not set", "Fact-check: Mostly true")

    # the same file again: nothing new, said so
    again = desk.import_factchecks(str(fact_checks(tmp_path)))
    assert "0 imported, 0 updated, 2 unchanged, 1 skipped." in again


@needs_nlp
def test_a_file_that_is_not_fact_checks_is_refused_in_one_line(
    make_window: Any, qtbot: Any, tmp_path: Path
) -> None:
    desk = Desk(make_window(), qtbot)
    bad = tmp_path / "notes.json"
    bad.write_text('{"hello": "world"}', encoding="utf-8")
    summary = desk.import_factchecks(str(bad))
    assert summary.startswith("notes.json: not imported.")
    box = desk.window.factchecks.summary
    assert box is not None and box.windowTitle() == "No fact-checks imported"
