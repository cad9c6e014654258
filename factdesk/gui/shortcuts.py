"""Help -> Keyboard shortcuts: a sheet built from the window's own actions, so it cannot drift."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

# keys that work without an action of their own (handled by the focused widget)
EXTRA_KEYS: tuple[tuple[str, str, str], ...] = (
    ("Claims", "Next / previous claim (article view and claims table)", "Down / Up"),
    ("Claims", "Save the explanation", "Ctrl+Return"),
    ("Evidence", "Attach the link in the URL field", "Return"),
    (
        "Evidence",
        "Attach dropped files / fill the form from a dropped link or passage",
        "drag and drop",
    ),
)


def shortcut_rows(sections: Sequence[tuple[str, Sequence[QAction]]]) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    for section, actions in sections:
        for action in actions:
            keys = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()]
            if keys:
                rows.append((section, action.text().replace("&", ""), " / ".join(keys)))
    rows.extend(EXTRA_KEYS)
    order: dict[str, int] = {}
    for name, _ in sections:
        order.setdefault(name, len(order))
    rows.sort(key=lambda r: order.get(r[0], len(order)))
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, rows: Sequence[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Single-letter keys work while the article or the claims table has the focus; "
            "while typing in a field they type letters."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setHorizontalHeaderLabels(("Section", "Action", "Keys"))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        previous = ""
        for r, (section, text, keys) in enumerate(rows):
            section_item = QTableWidgetItem(section if section != previous else "")
            font = section_item.font()
            font.setBold(True)
            section_item.setFont(font)
            previous = section
            key_item = QTableWidgetItem(keys)
            key_font = key_item.font()
            key_font.setBold(True)
            key_item.setFont(key_font)
            for c, item in enumerate((section_item, QTableWidgetItem(text), key_item)):
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 700)
