"""The window's frame, shown before its panels are built: titled panes, the priority switch.

Light on purpose (Qt and the domain's enums only): `factdesk open` shows a window laid out as it
will stay (menus, toolbar, the three panes at their remembered sizes, the status bar), then
imports and builds the panels into it (main_window.MainWindow.build). Nothing on the way to the
frame touches PySide's `Qt` namespace: its first use makes its hundred enums at once (Qt.Key
alone has 471 members), 20-40 ms here, so the frame sets its enum properties by name.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QLabel, QSplitter, QToolBar, QVBoxLayout, QWidget

from factdesk.domain import Priority


def set_enum(obj: QObject, prop: str, key: str) -> None:
    """Set the enum property `prop` to the value named `key` ("Vertical" for an orientation)
    through Qt's property system, which needs no Python enum."""
    if not obj.setProperty(prop, key):
        raise ValueError(f"{type(obj).__name__} has no enum property {prop} with a value {key}")


def new_splitter(name: str, orientation: str) -> QSplitter:
    """A splitter named `name` (its sizes are kept under that name), "Horizontal" or "Vertical"."""
    split = QSplitter()
    split.setObjectName(name)
    set_enum(split, "orientation", orientation)
    return split


def titled(title: str, widget: QWidget | None = None) -> QWidget:
    """`widget` under a bold title (an empty pane of the frame when None)."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(6, 6, 6, 6)
    layout.setSpacing(4)
    label = QLabel(title)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    layout.addWidget(label)
    layout.addWidget(widget if widget is not None else QWidget(), 1)
    return box


def bar_label(text: str) -> QWidget:
    label = QLabel(text)
    label.setContentsMargins(6, 0, 2, 0)
    return label


class PriorityBar(QToolBar):
    """Show: high only / high and normal / all claims; the claims table and the article follow
    `chosen` (and tell the bar what is shown with `show_tier`)."""

    chosen = Signal(object)  # Priority: the lowest tier to show

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Priority", parent)
        self.setObjectName("priority_toolbar")
        set_enum(self, "toolButtonStyle", "ToolButtonTextOnly")
        self.addWidget(bar_label("Show claims: "))
        group = QActionGroup(self)
        self.actions_by_tier: dict[Priority, QAction] = {}
        for tier, text, tip in (
            (Priority.HIGH, "High priority", "Only the claims most worth checking"),
            (Priority.NORMAL, "High + normal", "Leave out the low-priority claims"),
            (Priority.LOW, "All", "Every claim found, low priority too"),
        ):
            act = QAction(text, self)
            act.setCheckable(True)
            act.setToolTip(tip)
            act.setChecked(tier is Priority.LOW)
            act.triggered.connect(lambda _=False, t=tier: self.chosen.emit(t))
            group.addAction(act)
            self.addAction(act)
            self.actions_by_tier[tier] = act

    def show_tier(self, tier: Priority) -> None:
        self.actions_by_tier[tier].setChecked(True)
