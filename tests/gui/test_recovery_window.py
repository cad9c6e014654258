"""The recovery file in the window: a board the window creates shows where its recovery file is
and its printable code (once), and a board whose key is gone from the keyring says what to do and
opens with that file, chosen in the window."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QLabel

from factdesk.gui import create_window
from factdesk.gui.recovery_dialog import NewBoardRecovery, RecoverBoard
from factdesk.gui.tasks import SyncTasks
from factdesk.store import salt_hex
from tests.gui.conftest import open_default_board
from tests.gui.test_passphrase import answer_with


def _window(qtbot: Any) -> Any:
    window = create_window(
        open_default_board, tasks=SyncTasks(), detector=False, recovery_notice=True
    )
    qtbot.addWidget(window)
    window.show()
    return window


def _shown(kind: type) -> Any:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    return found[0] if found else None


def test_a_new_board_shows_its_recovery_file_and_code_once(qtbot: Any, tmp_path: Path) -> None:
    window = _window(qtbot)
    qtbot.waitUntil(lambda: window.info is not None, timeout=10_000)
    dialog = _shown(NewBoardRecovery)
    assert dialog is not None, "the new board's recovery file is offered"
    path = Path(dialog.findChild(QLabel, "recovery_path").text())
    code = dialog.findChild(QLabel, "recovery_code").text()
    saved = json.loads(path.read_text())
    assert code == saved["code"] and len(code.split("-")) == 16
    copy = tmp_path / "usb" / "board.factdesk-recovery"
    copy.parent.mkdir()
    dialog.save_copy(copy)
    assert copy.read_bytes() == path.read_bytes()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert str(copy) in dialog.findChild(QLabel, "recovery_saved").text()
    dialog.save_copy(copy)  # not over a file that exists: said, not a traceback
    assert "was not saved" in dialog.findChild(QLabel, "recovery_saved").text()
    dialog.accept()
    window.close()

    again = _window(qtbot)
    qtbot.waitUntil(lambda: again.info is not None, timeout=10_000)
    assert _shown(NewBoardRecovery) is None, "an existing board does not offer it again"
    again.close()


def test_a_lost_keyring_entry_is_recovered_in_the_window(
    qtbot: Any, memory_keyring: Any, tmp_path: Path
) -> None:
    from factdesk.services import Workspace

    with Workspace.open() as ws:
        board, recovery_file = Path(ws.info().location), ws.recovery_file
    assert recovery_file is not None
    entry = ("factdesk", f"board-{salt_hex(board)}")
    memory_keyring.secrets.pop(entry)  # a new laptop, a wiped keyring

    asked: list[str] = []

    def no_passphrase(dialog: Any) -> None:
        asked.append(dialog.findChild(QLabel).text())
        dialog.reject()

    answer_with(no_passphrase)
    window = create_window(open_default_board, tasks=SyncTasks(), detector=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: _shown(RecoverBoard) is not None, timeout=10_000)
    assert "recovery file" in asked[0], "the passphrase prompt says a keyring board has none"
    dialog = _shown(RecoverBoard)
    said = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "not in this computer's keyring" in said and "recovery file" in said
    assert not window.board.is_open

    wrong = tmp_path / "notes.txt"
    wrong.write_text("not a recovery file")
    dialog.recover_from(wrong)
    assert "is not a factdesk recovery file" in dialog.findChild(QLabel, "recover_result").text()
    assert dialog.isVisible() and not window.board.is_open

    dialog.recover_from(recovery_file)
    qtbot.waitUntil(lambda: window.info is not None, timeout=10_000)
    assert not dialog.isVisible()
    assert window.board.is_open and window.info.encrypted
    assert entry in memory_keyring.secrets, "the key is in the keyring again"
    window.close()
