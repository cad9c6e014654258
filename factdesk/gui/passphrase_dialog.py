"""The board passphrase dialog: asked twice when it creates a board (a typo would lock the
journalist out of it for good), and placed beside the article rather than over it."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


def is_new_board_prompt(prompt: str) -> bool:
    """The services ask this way when the passphrase is to lock a new board."""
    return "Choose a passphrase" in prompt


class PassphraseDialog(QDialog):
    def __init__(self, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passphrase_dialog")
        self.setWindowTitle("Board passphrase")
        self.confirming = is_new_board_prompt(prompt)
        layout = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout.addWidget(label)
        form = QFormLayout()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("Passphrase", self.passphrase)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        if self.confirming:
            form.addRow("Repeat it", self.repeat)
        layout.addLayout(form)
        self.mismatch = QLabel("The two passphrases differ.")
        self.mismatch.hide()
        layout.addWidget(self.mismatch)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for field in (self.passphrase, self.repeat):
            field.textChanged.connect(self._check)
        self._check()
        self.setMinimumWidth(340)

    def _check(self) -> None:
        given = bool(self.passphrase.text())
        same = not self.confirming or self.passphrase.text() == self.repeat.text()
        self.mismatch.setVisible(self.confirming and bool(self.repeat.text()) and not same)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(given and same)

    def value(self) -> str | None:
        return self.passphrase.text() or None

    def place_beside_article(self) -> None:
        """Over the evidence board side of the window, not the article being opened."""
        parent = self.parentWidget()
        if parent is None:
            return
        self.adjustSize()
        frame = parent.frameGeometry()
        x = frame.right() - self.width() - 24
        self.move(QPoint(max(frame.left(), x), frame.top() + 96))


def ask_passphrase(prompt: str, parent: QWidget | None) -> str | None:
    dialog = PassphraseDialog(prompt, parent)
    dialog.place_beside_article()
    ok = dialog.exec() == QDialog.DialogCode.Accepted
    value = dialog.value() if ok else None
    dialog.deleteLater()
    return value
