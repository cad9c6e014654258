"""File → Settings… (Ctrl+,): the reviewer's name and the fact-check URL pattern, set in the window
and used by the next report; a bad address is refused in the dialog, which stays open."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QLineEdit

from factdesk import paths, settings
from factdesk.gui.main_window import MainWindow
from factdesk.gui.settings_dialog import SettingsDialog


def _dialog(window: MainWindow, qtbot: Any) -> SettingsDialog:
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)

    def shown() -> list[SettingsDialog]:
        return [d for d in window.findChildren(SettingsDialog) if d.isVisible()]

    qtbot.waitUntil(lambda: len(shown()) == 1, timeout=5_000)
    return shown()[0]


def _type(dialog: SettingsDialog, key: str, text: str, qtbot: Any) -> None:
    edit = dialog.findChild(QLineEdit, f"setting_{key}")
    assert edit is not None
    edit.clear()
    qtbot.keyClicks(edit, text)


def _save(dialog: SettingsDialog, qtbot: Any) -> None:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def test_settings_set_in_the_window_reach_the_report(
    make_window: Callable[..., MainWindow], qtbot: Any
) -> None:
    window = make_window()
    dialog = _dialog(window, qtbot)
    _type(dialog, "reviewer", "Ana Example", qtbot)
    _type(dialog, "review-url", "desk.example/checks", qtbot)
    _save(dialog, qtbot)
    problem = dialog.findChild(QLabel, "settings_problem")
    assert dialog.isVisible() and problem is not None and "not a web address" in problem.text()
    assert dialog.focusWidget() is dialog.findChild(QLineEdit, "setting_review-url")

    _type(dialog, "review-url", "https://desk.example/checks/{claim_id}", qtbot)
    _save(dialog, qtbot)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)

    stored = settings.load(paths.resolve().settings_file)
    assert stored.author_name == "Ana Example"
    assert stored.review_url_template == "https://desk.example/checks/{claim_id}"
    seen: list[Any] = []
    window.board.read(lambda ws: ws.report_data(), seen.append)
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    assert seen[0].reviewer == "Ana Example"
    assert seen[0].review_url_template == "https://desk.example/checks/{claim_id}"

    again = _dialog(window, qtbot)
    shown = again.findChild(QLineEdit, "setting_reviewer")
    assert shown is not None and shown.text() == "Ana Example"
    again.reject()
