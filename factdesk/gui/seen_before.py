"""The "Seen before" panel: earlier verdicts on the board and imported fact-checks like the claim.

The matching index is brought up to date and queried on the I/O pool (the encoder never runs on
the GUI thread, nor on the database thread other work waits on); results for a claim no longer
selected are dropped. Enter (or the button) attaches the selected match as evidence with the
stance chosen beside it: a fact-check as a link, a board claim as a note naming it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from factdesk.domain import ClaimRecord, Stance
from factdesk.domain.factchecks import MatchRecord
from factdesk.gui.typing_combo import TypingComboBox

TOP = 8
WEAK = 0.5  # below this similarity a match is listed in grey: probably not the same claim
VISIBLE_ROWS = 4  # the rest scroll inside the table: the claim's own evidence stays in view
COLUMNS = ("Similarity", "Rating", "Publisher", "Date", "Claim", "Link")

Index = QModelIndex | QPersistentModelIndex


class SeenBeforeModel(QAbstractTableModel):
    """Matches of the selected claim, best first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.matches: list[MatchRecord] = []

    def set_matches(self, matches: Sequence[MatchRecord]) -> None:
        self.beginResetModel()
        self.matches = list(matches)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.matches)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.matches):
            return None
        m = self.matches[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            col = index.column()
            if col == 0:
                return f"{m.similarity:.2f}"
            if col == 1:
                return m.rating or "—"
            if col == 2:
                return m.publisher or ("this board" if m.kind == "claim" else "")
            if col == 3:
                return m.date[:10]
            if col == 4:
                return " ".join(m.text.split())
            return m.url
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(x for x in (m.text, m.title, m.date[:10], m.url) if x)
        if role == Qt.ItemDataRole.ForegroundRole and m.similarity < WEAK:
            return QBrush(QColor(128, 128, 128))  # listed, but not a likely match
        return None


class _MatchTable(QTableView):
    activated_by_key = Signal()

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activated_by_key.emit()
            e.accept()
            return
        super().keyPressEvent(e)


class SeenBeforePanel(QWidget):
    """Shows the matches of one claim; asks the window to attach the chosen one."""

    url_chosen = Signal(dict)  # url, title, publisher, quote, stance: EvidencePanel.url_submitted
    note_chosen = Signal(str, object)  # text, Stance: EvidencePanel.note_submitted
    matches_shown = Signal()

    def __init__(self, board: Any, parent: QWidget | None = None) -> None:
        """`board`: the window's BoardClient (read() on the database thread, tasks.io())."""
        super().__init__(parent)
        self.board = board
        self.claim: ClaimRecord | None = None
        self._asked = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.status = QLabel("Select a claim to see whether it was checked before.")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.model = SeenBeforeModel(self)
        self.table = _MatchTable()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        # the claim gets the width left: no sideways scrolling in a narrow evidence board (the
        # link is in the tooltip and in what Enter attaches)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(1, 80)
        self.table.setColumnWidth(2, 100)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for col in (3, 5):  # the date and the link: in the tooltip
            self.table.setColumnHidden(col, True)
        self.table.hide()  # shown with matches, as high as they need (at most VISIBLE_ROWS)
        self.table.activated_by_key.connect(self.attach_selected)
        self.table.doubleClicked.connect(lambda _i: self.attach_selected())
        layout.addWidget(self.table)
        self.action_row = QWidget()
        row = QHBoxLayout(self.action_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Stance"))
        self.stance = TypingComboBox()
        # "not set" until the journalist says: a "Mostly true" check is not silently a refutation
        for stance in (Stance.UNSET, Stance.REFUTES, Stance.SUPPORTS, Stance.CONTEXT):
            self.stance.addItem(stance.label, stance)
        row.addWidget(self.stance)
        self.attach_button = QPushButton("Attach as evidence (Enter)")
        self.attach_button.clicked.connect(self.attach_selected)
        row.addWidget(self.attach_button)
        row.addStretch(1)
        layout.addWidget(self.action_row)
        self.action_row.hide()

    def show_claim(self, claim: ClaimRecord | None) -> None:
        self.claim = claim
        self._asked += 1
        asked = self._asked
        self._set_matches([])
        if claim is None or not self.board.is_open:
            self.status.setText("Select a claim to see whether it was checked before.")
            return
        self.status.setText("Looking for earlier checks of this claim…")

        def others(ws: Any) -> tuple[Any, int]:
            # with no fact-checks and no other article there is nothing to compare with: the
            # encoder is not even loaded
            return ws.matcher(), len(ws.factcheck_collections()) + ws.board_counts()[0] - 1

        self.board.read(others, lambda got: self._search(got[0], got[1], claim, asked))

    def _search(self, matcher: Any, others: int, claim: ClaimRecord, asked: int) -> None:
        if asked != self._asked:
            return
        if others <= 0:
            self.status.setText(
                "Nothing to compare with yet: import fact-checks (File → Import fact-checks…) "
                "or add more articles."
            )
            return

        def work() -> list[MatchRecord]:
            matcher.refresh()
            result: list[MatchRecord] = matcher.match_claim(
                claim.id, claim.text, claim.article_id, TOP
            )
            return result

        self.board.tasks.io(
            work, lambda found: self._show(found, asked), lambda exc: self._failed(exc, asked)
        )

    def _show(self, matches: list[MatchRecord], asked: int) -> None:
        if asked != self._asked:
            return
        self._set_matches(matches)
        if matches:
            likely = sum(1 for m in matches if m.similarity >= WEAK)
            weaker = len(matches) - likely
            if likely:
                found = f"{likely} earlier check{'s' if likely > 1 else ''} or claim{'s' if likely > 1 else ''} like this one"
                found += f" (and {weaker} less alike, in grey)" if weaker else ""
            else:
                found = f"Nothing close; {weaker} less alike (in grey)"
            self.status.setText(f"{found}. Pick a stance, select one and press Enter to attach it.")
            self.table.selectRow(0)
        else:
            self.status.setText("Not seen before: no board claim or imported fact-check like it.")
        self.matches_shown.emit()

    def _set_matches(self, matches: Sequence[MatchRecord]) -> None:
        self.model.set_matches(matches)
        self.table.setVisible(bool(matches))
        self.action_row.setVisible(bool(matches))
        if matches:
            rows = min(len(matches), VISIBLE_ROWS)
            height = self.table.horizontalHeader().sizeHint().height()
            height += sum(self.table.rowHeight(r) for r in range(rows))
            self.table.setFixedHeight(height + 2 * self.table.frameWidth() + 2)

    def _failed(self, exc: BaseException, asked: int) -> None:
        if asked == self._asked:
            self.status.setText(f"Matching is unavailable: {exc}")

    def selected_match(self) -> MatchRecord | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.matches[rows[0].row()]

    def attach_selected(self) -> None:
        match = self.selected_match()
        if match is None or self.claim is None:
            return
        stance = self.stance.currentData()
        if match.kind == "factcheck" and match.url.startswith(("http://", "https://")):
            self.url_chosen.emit(
                {
                    "url": match.url,
                    "title": match.title or f"Fact-check: {match.rating}".strip(),
                    "publisher": match.publisher,
                    "quote": f"{match.text} — rated: {match.rating}"
                    if match.rating
                    else match.text,
                    "stance": stance,
                }
            )
            return
        by = f" ({match.publisher})" if match.publisher else ""
        self.note_chosen.emit(
            f"Seen before{by}: “{match.text}” — {match.rating or 'no verdict'} [{match.url}]",
            stance,
        )
