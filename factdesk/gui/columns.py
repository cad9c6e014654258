"""Table columns that give way on narrow screens, so the column that matters stays readable."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QTableView


class ColumnFitter(QObject):
    """Keeps `share` of a table's width for its stretching column (the claim, the passage).

    When the table is too narrow for every column at its own width, the `squeezable` columns
    give up width in the order given, each down to `floor` pixels before the next; with room
    again they return to their own widths, which are the ones set in code or dragged by the user.
    """

    def __init__(
        self,
        view: QTableView,
        squeezable: Sequence[int],
        *,
        share: float = 0.33,
        floor: int = 72,
        floors: dict[int, int] | None = None,
    ) -> None:
        """`floors`: narrower floors for some columns (a count needs less than a word)."""
        super().__init__(view)
        self._view = view
        self._share = share
        self._floor = floor
        self._floors = floors or {}
        header = view.horizontalHeader()
        self.wanted = {column: header.sectionSize(column) for column in squeezable}
        self._fitting = False
        header.sectionResized.connect(self._resized)
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _resized(self, column: int, _old: int, new: int) -> None:
        if not self._fitting and column in self.wanted:
            self.wanted[column] = new  # the user's (or a restored) width

    def fit(self) -> None:
        header = self._view.horizontalHeader()
        width = self._view.viewport().width()
        others = sum(
            header.sectionSize(c)
            for c in range(header.count())
            if c not in self.wanted
            and not header.isSectionHidden(c)
            and header.sectionResizeMode(c) != header.ResizeMode.Stretch
            and not (header.stretchLastSection() and c == header.count() - 1)
        )
        room = width - others - int(self._share * width)
        # the first squeezable column gives way first, down to the floor, then the next
        excess = sum(self.wanted.values()) - max(room, 0)
        self._fitting = True
        try:
            for column, size in self.wanted.items():
                floor = self._floors.get(column, self._floor)
                give = min(max(excess, 0), max(size - floor, 0))
                header.resizeSection(column, size - give)
                excess -= give
        finally:
            self._fitting = False

    def unsqueezed(self) -> None:
        """Put the squeezable columns at their own widths (before saving the header's state)."""
        self._fitting = True
        try:
            for column, size in self.wanted.items():
                self._view.horizontalHeader().resizeSection(column, size)
        finally:
            self._fitting = False
