"""File → Settings…: the reviewer's name, the organisation and the address pattern of published
fact-checks, edited in one dialog. The fields come from `settings.EDITABLE`, and `settings.parse`
checks them, so the dialog accepts and refuses what `factdesk config set` does."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from factdesk import settings as settings_mod
from factdesk.domain import InvalidInputError

if TYPE_CHECKING:
    from factdesk.gui.board import BoardClient


class SettingsDialog(QDialog):
    """The editable settings as a form; `saved` carries the changed values once they all parse."""

    saved = Signal(object)  # dict of Settings field name -> new value

    def __init__(self, current: settings_mod.Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settings_dialog")
        self.setWindowTitle("Settings")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.current = current
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for item in settings_mod.EDITABLE:
            edit = QLineEdit(settings_mod.shown(current, item.key))
            edit.setObjectName(f"setting_{item.key}")
            edit.setPlaceholderText(f"e.g. {item.example}")
            edit.setToolTip(item.help[:1].upper() + item.help[1:] + ".")
            edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("x" * 44))
            form.addRow(item.label + ":", edit)
            self.fields[item.key] = edit
        self.problem = QLabel()
        self.problem.setObjectName("settings_problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #cf222e;")
        self.problem.hide()
        note = QLabel(
            "The reviewer name goes into every report, each verdict and ClaimReview. "
            "The fact-check URL pattern gives each published ClaimReview its address."
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def save(self) -> None:
        """Check every field; say what is wrong (and stay open) or emit the changes and close."""
        changes: dict[str, Any] = {}
        for key, edit in self.fields.items():
            try:
                name, value = settings_mod.parse(key, edit.text())
            except InvalidInputError as exc:
                self.problem.setText(str(exc))
                self.problem.show()
                edit.setFocus()
                edit.selectAll()
                return
            if getattr(self.current, name) != value:
                changes[name] = value
        if changes:
            self.saved.emit(changes)
        self.accept()


def open_settings(parent: QWidget, board: BoardClient) -> None:
    """Read the settings on the database thread, show the dialog, save what the user changed."""

    def show(current: settings_mod.Settings) -> None:
        dialog = SettingsDialog(current, parent)
        dialog.saved.connect(
            lambda changes: board.read(lambda ws: ws.update_settings(**changes), _saved(parent))
        )
        dialog.open()

    board.read(lambda ws: ws.settings, show)


def _saved(parent: QWidget) -> Any:
    def done(_settings: settings_mod.Settings) -> None:
        status = getattr(parent, "statusBar", None)
        if status is not None:
            status().showMessage("Settings saved.", 4000)

    return done
