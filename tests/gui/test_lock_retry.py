"""Another program writing to the board (a second window, a CLI import, a sync) while the
journalist works: the window says so, keeps every change they made, and Retry writes them all
once the other program is done; Discard drops them. Nothing is lost, nothing half-written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from factdesk.domain import ClaimStatus
from factdesk.store import BoardKey, salt_hex
from tests.gui.conftest import needs_nlp
from tests.gui.driver import Desk


@pytest.fixture
def short_lock_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writes give up after 0.3 s instead of 10 s, so the test does not wait."""
    from factdesk.store import engine

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 300)


class OtherWriter:
    """A second program holding the board's write lock (a plain SQLCipher connection)."""

    def __init__(self, path: Path, ring: Any) -> None:
        import sqlcipher3

        key = BoardKey(raw_hex=ring.secrets[("factdesk", f"board-{salt_hex(path)}")])
        self.conn = sqlcipher3.connect(str(path), isolation_level=None)
        self.conn.execute(f"PRAGMA key = {key.pragma_value()}")

    def lock(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def finish(self) -> None:
        self.conn.execute("COMMIT")


@pytest.fixture
def desk(make_window: Any, qtbot: Any, short_lock_wait: None) -> Iterator[Desk]:
    window = make_window(detector="inline")
    d = Desk(window, qtbot)
    d.open_sample()
    yield d


def _statuses(desk: Desk) -> list[ClaimStatus]:
    order = [row.claim_text for row in desk.shown_claims()]
    claims = sorted(desk.board_claims(), key=lambda c: order.index(c.text.replace("\n", " ")))
    return [c.status for c in claims]


@needs_nlp
def test_changes_made_while_another_program_writes_are_kept_and_retried(
    desk: Desk, qtbot: Any, memory_keyring: Any
) -> None:
    window = desk.window
    other = OtherWriter(Path(window.info.location), memory_keyring)
    other.lock()
    desk.next_claim()
    desk.set_verdict(ClaimStatus.VERIFIED)
    desk.next_claim()
    desk.set_verdict(ClaimStatus.DISPUTED)
    notice = window.lock_notice
    assert notice.isVisible()
    assert "Another program is writing to this board" in notice.text.text()
    assert "Your 2 changes are kept" in notice.text.text()
    assert window.findChild(object, "error_box") is None, "no error box besides the notice"
    assert _statuses(desk)[:2] == [ClaimStatus.UNVERIFIED, ClaimStatus.UNVERIFIED]

    other.finish()
    qtbot.mouseClick(notice.retry_button, Qt.MouseButton.LeftButton)
    assert not notice.isVisible()
    assert _statuses(desk)[:2] == [ClaimStatus.VERIFIED, ClaimStatus.DISPUTED]
    shown = [row.status.lower() for row in desk.shown_claims()[:2]]
    assert shown == ["verified", "disputed"], "the table shows what was written"


@needs_nlp
def test_a_retry_while_still_locked_keeps_the_change_and_discard_drops_it(
    desk: Desk, qtbot: Any, memory_keyring: Any
) -> None:
    window = desk.window
    other = OtherWriter(Path(window.info.location), memory_keyring)
    other.lock()
    desk.next_claim()
    desk.set_verdict(ClaimStatus.VERIFIED)
    notice = window.lock_notice
    qtbot.mouseClick(notice.retry_button, Qt.MouseButton.LeftButton)
    assert notice.isVisible(), "still locked: the change comes back to the notice"
    assert len(notice.pending) == 1
    qtbot.mouseClick(notice.discard_button, Qt.MouseButton.LeftButton)
    other.finish()
    assert not notice.isVisible()
    assert _statuses(desk)[0] is ClaimStatus.UNVERIFIED
