"""The resolve dialog of a claim in sync conflict: each field's two versions side by side (this
board's and the other one, with who made it), and three ways out: keep mine, keep theirs, or a
merged explanation written here. A claim removed on one side and changed on the other shows
"Removed" (or "Removed, with its whole article") against "Kept, with the changes made to it"."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from factdesk.domain import ClaimRecord
from factdesk.domain.sync import ConflictRecord

FIELD_NAMES = {
    "status": "Verdict",
    "explanation": "Explanation",
    "rating": "Rating",
    "claimant": "Claimant",
    "dismissed": "Dismissed",
    "removed": "Claim",
}


def shown(value: object, field: str = "", *, with_article: bool = False) -> str:
    if field == "removed":
        if value:
            return "Removed, with its whole article" if with_article else "Removed"
        return "Kept, with the changes made to it"
    if isinstance(value, bool):
        return "dismissed" if value else "not dismissed"
    return str(value) if value not in (None, "") else "(empty)"


class ConflictDialog(QDialog):
    chosen = Signal(str)  # "mine", "theirs", or the merged explanation

    def __init__(
        self, claim: ClaimRecord, conflicts: Sequence[ConflictRecord], parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflict_dialog")
        self.setWindowTitle("Resolve sync conflict")
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        quote = QLabel(f"“{claim.text}”")
        quote.setWordWrap(True)
        layout.addWidget(quote)
        theirs_by = ", ".join(sorted({c.their_actor for c in conflicts if c.their_actor}))
        grid = QGridLayout()
        grid.addWidget(QLabel("<b>Mine (this board)</b>"), 0, 1)
        grid.addWidget(QLabel(f"<b>Theirs{' (' + theirs_by + ')' if theirs_by else ''}</b>"), 0, 2)
        self.cells: dict[str, tuple[QLabel, QLabel]] = {}
        for row, c in enumerate(conflicts, start=1):
            grid.addWidget(QLabel(FIELD_NAMES.get(c.field, c.field)), row, 0)
            mine, theirs = (
                QLabel(
                    shown(v).capitalize()
                    if c.field == "status"
                    else shown(v, c.field, with_article=c.with_article)
                )
                for v in (c.mine, c.theirs)
            )
            for cell in (mine, theirs):
                cell.setWordWrap(True)
                cell.setFrameShape(QLabel.Shape.StyledPanel)
                cell.setMinimumWidth(250)
            grid.addWidget(mine, row, 1)
            grid.addWidget(theirs, row, 2)
            self.cells[c.field] = (mine, theirs)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        layout.addLayout(grid)
        self.merged = QPlainTextEdit()
        self.merged.setObjectName("merged_explanation")
        explanation = next((c for c in conflicts if c.field == "explanation"), None)
        buttons = QDialogButtonBox()
        self.keep_mine = QPushButton("Keep &mine")
        self.keep_theirs = QPushButton("Keep &theirs")
        self.use_merged = QPushButton("Use the merged e&xplanation")
        for button in (self.keep_mine, self.keep_theirs, self.use_merged):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        if explanation is not None:
            layout.addWidget(QLabel("Or write the merged explanation (other fields keep mine):"))
            self.merged.setPlainText(f"{shown(explanation.mine)}\n{shown(explanation.theirs)}")
            self.merged.setMaximumHeight(90)
            layout.addWidget(self.merged)
        else:
            self.merged.hide()
            self.use_merged.hide()
        layout.addWidget(buttons)
        self.keep_mine.clicked.connect(lambda: self._choose("mine"))
        self.keep_theirs.clicked.connect(lambda: self._choose("theirs"))
        self.use_merged.clicked.connect(lambda: self._choose(self.merged.toPlainText().strip()))
        buttons.rejected.connect(self.reject)

    def _choose(self, keep: str) -> None:
        if not keep:
            self.merged.setFocus()
            return
        self.chosen.emit(keep)
        self.accept()
