"""A drop-down that keeps the letters typed into it: typing "ref" picks "refutes" instead of
firing the window's one-key shortcuts (R: same verdict for the repeats, E: explanation, U:
unverified) — a line edit does this by itself, a QComboBox does not."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox

_PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier)


class TypingComboBox(QComboBox):
    def event(self, e: QEvent) -> bool:
        if (
            e.type() == QEvent.Type.ShortcutOverride
            and isinstance(e, QKeyEvent)
            and e.modifiers() in _PLAIN
            and e.text().isprintable()
            and e.text().strip()
        ):
            e.accept()  # delivered as a key press: the box's own keyboard search
            return True
        return super().event(e)
