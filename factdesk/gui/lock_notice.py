"""While another program holds the board's write lock: the journalist's change is kept, the window
says so, and Retry writes it (every change waiting, in the order they were made) once the other
program has finished; Discard drops them. Nothing typed is lost by the wait."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from factdesk.gui.board import BoardClient, PendingWrite


class LockNotice(QDialog):
    """A non-modal notice beside the work: the window stays usable while it waits."""

    def __init__(self, board: BoardClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lock_notice")
        self.setWindowTitle("The board is busy")
        self.setModal(False)
        self.pending: list[PendingWrite] = []
        layout = QVBoxLayout(self)
        self.text = QLabel()
        self.text.setObjectName("lock_text")
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox()
        self.retry_button = buttons.addButton("Retry", QDialogButtonBox.ButtonRole.AcceptRole)
        self.retry_button.setObjectName("retry")
        self.retry_button.setDefault(True)
        self.discard_button = buttons.addButton(
            "Discard", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.discard_button.setObjectName("discard")
        self.retry_button.clicked.connect(self.retry)
        self.discard_button.clicked.connect(self.discard)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)
        board.keep_locked_writes = True
        board.write_locked.connect(self.keep)

    @Slot(object)
    def keep(self, write: PendingWrite) -> None:
        self.pending.append(write)
        n = len(self.pending)
        waiting = "Your change is kept" if n == 1 else f"Your {n} changes are kept"
        last = self.pending[-1].label
        self.text.setText(
            "Another program is writing to this board, so factdesk could not save "
            f"{last}. {waiting}: press Retry when that program has finished "
            "(Discard drops them)."
        )
        if not self.isVisible():
            self.show()
        self.raise_()
        self.retry_button.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def retry(self) -> None:
        """Write every kept change again, oldest first; one still locked comes back here."""
        waiting, self.pending = self.pending, []
        self.hide()
        for write in waiting:
            write.retry()

    @Slot()
    def discard(self) -> None:
        waiting, self.pending = self.pending, []
        self.hide()
        for write in waiting:
            write.give_up()
