"""The board passphrase in the window: asked twice when it creates a board, beside the article
rather than over it; a wrong one is said once, where the window offers to try again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QMessageBox

from factdesk.gui import create_window
from factdesk.gui.passphrase_dialog import PassphraseDialog
from tests.gui.conftest import open_default_board


def answer_with(act: Callable[[PassphraseDialog], None]) -> None:
    """Do `act` to the passphrase dialog once it is up."""

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, PassphraseDialog) and widget.isVisible():
                act(widget)
                return
        QTimer.singleShot(20, look)

    QTimer.singleShot(20, look)


def test_a_new_board_asks_for_its_passphrase_twice_beside_the_article(
    no_keyring: None, sample_path: Path, qtbot: Any
) -> None:
    seen: dict[str, Any] = {}

    def check(dialog: PassphraseDialog) -> None:
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        seen["asks twice"] = dialog.repeat.isVisible()
        dialog.passphrase.setText("correct horse battery staple")
        dialog.repeat.setText("correct horse battery stapel")
        seen["typo refused"] = not ok.isEnabled() and dialog.mismatch.isVisible()
        dialog.repeat.setText("correct horse battery staple")
        seen["same accepted"] = ok.isEnabled()
        qtbot.waitUntil(lambda: window.article.view.shown_text() != "", timeout=10_000)
        view = window.article.view
        article = QRect(view.mapToGlobal(view.rect().topLeft()), view.size())
        seen["covers the article"] = dialog.frameGeometry().intersects(article)
        seen["article shown"] = window.article.view.shown_text() != ""
        ok.click()

    answer_with(check)
    window = create_window(open_default_board, open_path=str(sample_path), detector=False)
    qtbot.addWidget(window)
    window.resize(1366, 740)  # a small laptop
    window.show()
    qtbot.waitUntil(lambda: window.info is not None, timeout=15_000)
    assert seen == {
        "asks twice": True,
        "typo refused": True,
        "same accepted": True,
        "covers the article": False,
        "article shown": True,
    }
    assert window.info.encrypted and window.info.key_source == "passphrase"
    window.close()


def test_a_wrong_passphrase_is_said_once(no_keyring: None, qtbot: Any) -> None:
    from factdesk.services import Workspace

    Workspace.open(passphrase=lambda _prompt: "the right one").close()

    def wrong(dialog: PassphraseDialog) -> None:
        assert not dialog.repeat.isVisible(), "an existing board's passphrase is asked once"
        dialog.passphrase.setText("not the right one")
        dialog.accept()

    answer_with(wrong)
    window = create_window(open_default_board, detector=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.article.retry_button.isVisible(), timeout=15_000)
    qtbot.wait(300)  # anything queued behind the failed open has run by now
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    shown = [
        label.text()
        for label in window.findChildren(QLabel)
        if label.isVisible()
        and "passphrase" in label.text().lower()
        and not any(box.isAncestorOf(label) for box in boxes)
    ]
    status = window.status.currentMessage()
    said = len(shown) + len(boxes) + ("passphrase" in status.lower())
    assert said == 1, (shown, [b.text() for b in boxes], status)
    window.close()
