"""File -> Export: choose scope and format, preview the report, save it (writing runs off the GUI
thread through the board's serial executor)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from factdesk.gui.board import BoardClient

FORMAT_LABELS = {
    "html": "HTML report (one self-contained file)",
    "pdf": "PDF report",
    "md": "Markdown",
    "csv": "CSV (claims + evidence links)",
    "claimreview": "ClaimReview JSON-LD (for publishing)",
}


class ExportDialog(QDialog):
    """Preview of the HTML report for the chosen scope, and a Save button that writes any format."""

    def __init__(
        self, board: BoardClient, article_id: str | None, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.board = board
        self.article_id = article_id
        self.written: list[Path] = []
        self.setWindowTitle("Export verdict report")
        self.resize(900, 700)
        self.scope = QComboBox()
        if article_id is not None:
            self.scope.addItem(f"This article: {title}", article_id)
        self.scope.addItem("The whole board", None)
        self.format = QComboBox()
        for key, label in FORMAT_LABELS.items():
            self.format.addItem(label, key)
        self.history = QCheckBox("Include each claim's history")
        self.unverified = QCheckBox("ClaimReview for unverified claims too")
        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        self.status = QLabel("Preparing the preview…")
        form = QFormLayout()
        form.addRow("Scope", self.scope)
        form.addRow("Format", self.format)
        form.addRow("", self.history)
        form.addRow("", self.unverified)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.scope.currentIndexChanged.connect(self.refresh)
        self.history.toggled.connect(self.refresh)
        self.refresh()

    def _options(self) -> dict[str, Any]:
        return {
            "include_history": self.history.isChecked(),
            "include_unverified": self.unverified.isChecked(),
        }

    def refresh(self) -> None:
        scope = self.scope.currentData()
        options = self._options()

        def show(data: Any) -> None:
            from factdesk import reports

            self.preview.setHtml(reports.render_qt_html(data))
            n = sum(len(a.claims) for a in data.articles)
            self.status.setText(f"{n} claims · history head {data.head_hash[:16]}")

        self.board.read(lambda ws: ws.report_data(scope, **options), show)

    def save(self) -> None:
        from factdesk import reports

        fmt = self.format.currentData()
        suffix = reports.SUFFIXES[fmt]
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the report", f"factcheck{suffix}", f"*{suffix}"
        )
        if not path:
            return
        self.save_to(path)

    def save_to(self, path: str) -> None:
        fmt = self.format.currentData()
        scope = self.scope.currentData()
        options = self._options()
        self.status.setText(f"Writing {Path(path).name}…")

        def done(written: list[Path]) -> None:
            self.written = written
            self.accept()

        self.board.read(lambda ws: ws.export(scope, fmt, path, **options), done)
