"""The board's recovery file in the window: offered once when the window creates an encrypted
board (where it is, its printable code, a copy saved elsewhere), and, when the board's key is
missing from this computer's keyring, what to do about it and a way to open it with that file."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from factdesk.domain import KeyUnavailableError
from factdesk.gui.board import BoardClient

if TYPE_CHECKING:
    from factdesk.services import Workspace


def _label(text: str, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


class NewBoardRecovery(QDialog):
    """Shown once, when this window created the board: the key lives in the keyring, and only
    the recovery file (or its code) opens the board if the keyring is ever lost."""

    def __init__(self, file: Path, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recovery_dialog")
        self.setWindowTitle("Keep the board's recovery file")
        self.file, self.code = file, code
        layout = QVBoxLayout(self)
        layout.addWidget(
            _label(
                "<b>Your new board is encrypted.</b> Its key is kept in this computer's "
                "keyring. If the keyring is ever lost (a new laptop, a reinstall), only the "
                "recovery file below, or its code, opens the board. Anyone who has either can "
                "read the board: keep a copy somewhere safe and offline (a USB stick in a "
                "drawer, a password manager), or print the code, then delete the file here."
            )
        )
        layout.addWidget(_label(str(file), "recovery_path"))
        shown = _label(code, "recovery_code")
        shown.setFont(QFont("monospace"))
        layout.addWidget(shown)
        self.saved = _label("", "recovery_saved")
        self.saved.hide()
        layout.addWidget(self.saved)
        buttons = QDialogButtonBox()
        save = buttons.addButton("Save a copy…", QDialogButtonBox.ButtonRole.ActionRole)
        copy = buttons.addButton("Copy the code", QDialogButtonBox.ButtonRole.ActionRole)
        done = buttons.addButton("I have kept it", QDialogButtonBox.ButtonRole.AcceptRole)
        save.clicked.connect(self._choose_copy)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(code))
        done.clicked.connect(self.accept)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def _choose_copy(self) -> None:
        dest, _ = QFileDialog.getSaveFileName(
            self, "Save a copy of the recovery file", str(Path.home() / self.file.name)
        )
        if dest:
            self.save_copy(Path(dest))

    def save_copy(self, dest: Path) -> None:
        """Copy the recovery file to `dest`, readable by this user only; say where, or why not."""
        try:
            fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out, self.file.open("rb") as src:
                shutil.copyfileobj(src, out)
        except OSError as exc:
            self.saved.setText(f"The copy was not saved: {exc.strerror or exc} ({dest}).")
        else:
            self.saved.setText(f"A copy is saved at {dest}.")
        self.saved.show()


class RecoverBoard(QDialog):
    """The board's key is not in this keyring: say what to do, and open it with its recovery
    file (the key goes back into the keyring, then the board opens as usual)."""

    def __init__(
        self,
        why: KeyUnavailableError,
        recover: Callable[[Path, Callable[[], None], Callable[[BaseException], None]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("recover_dialog")
        self.setWindowTitle("Open the board with its recovery file")
        self._recover = recover
        layout = QVBoxLayout(self)
        layout.addWidget(_label(str(why)))
        layout.addWidget(
            _label(
                "Choose the recovery file (NAME-….factdesk-recovery) to put the key back into "
                "this computer's keyring and open the board."
            )
        )
        self.result_text = _label("", "recover_result")
        self.result_text.hide()
        layout.addWidget(self.result_text)
        buttons = QDialogButtonBox()
        choose = buttons.addButton("Choose recovery file…", QDialogButtonBox.ButtonRole.AcceptRole)
        choose.setDefault(True)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        choose.clicked.connect(self._choose)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def _choose(self) -> None:
        file, _ = QFileDialog.getOpenFileName(
            self,
            "The board's recovery file",
            str(Path.home()),
            "Recovery files (*.factdesk-recovery);;All files (*)",
        )
        if file:
            self.recover_from(Path(file))

    def recover_from(self, file: Path) -> None:
        """Bring the key back from `file`; the dialog closes once the board opens, or says why not."""

        def failed(exc: BaseException) -> None:
            self.result_text.setText(str(exc))
            self.result_text.show()

        self._recover(file, self.accept, failed)


def offer_recovery_file(board: BoardClient, parent: QWidget) -> None:
    """After the board opened: if this open created it with a keyring key, show its recovery file."""
    from factdesk.services import recovery

    def found(written: tuple[Path, str] | None) -> None:
        if written is not None:
            dialog = NewBoardRecovery(*written, parent)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()  # once, at the board's creation: before any work, so it may wait

    def look(ws: Workspace) -> tuple[Path, str] | None:
        file = ws.recovery_file
        return (file, recovery.code_in(file)) if file is not None else None

    board.read(look, found)


def offer_recover(
    board: BoardClient, why: KeyUnavailableError, reopen: Callable[[], None], parent: QWidget
) -> RecoverBoard | None:
    """The board's key is missing: offer to open it with its recovery file."""
    path = why.path
    if path is None:
        return None
    from factdesk.services import recovery

    def recover(
        file: Path, done: Callable[[], None], failed: Callable[[BaseException], None]
    ) -> None:
        def opened(_board_id: object) -> None:
            done()
            reopen()

        board.tasks.db(lambda: recovery.recover(path, file), opened, failed)

    dialog = RecoverBoard(why, recover, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
