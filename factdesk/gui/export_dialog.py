"""File -> Export: choose scope and format, preview the report, save it.

The report's snapshot is read once on the database thread for the preview, and that same snapshot
(what the journalist saw, with its history head) is rendered and written on the I/O pool: a PDF
of a thousand claims never holds up the board's other work, nor the window. The file appears
whole or not at all (reports.write renders completely, then replaces atomically); a failure is
said in one line in the dialog, which stays open to try another place."""

from __future__ import annotations

from dataclasses import replace
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
    QProgressBar,
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
        self.data: Any = None  # the previewed snapshot (a ReportData), reused to save
        self._data_key: tuple[Any, bool] | None = None
        self._asked = 0
        self.writing = False
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
        self.status.setWordWrap(True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # rendering gives no steps: a busy bar while it runs
        self.busy.setTextVisible(False)
        self.busy.hide()
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
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.busy)
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

    def _key(self) -> tuple[Any, bool]:
        # what the snapshot depends on (the ClaimReview option only changes how it is rendered)
        return self.scope.currentData(), self.history.isChecked()

    def refresh(self) -> None:
        scope = self.scope.currentData()
        options = self._options()
        key = self._key()
        self._asked += 1
        asked = self._asked
        self.data, self._data_key = None, None
        self.save_button.setEnabled(False)

        def show(data: Any) -> None:
            from factdesk import reports

            if asked != self._asked:
                return  # the scope or history changed since
            self.data, self._data_key = data, key
            self.preview.setHtml(reports.render_qt_html(data))
            n = sum(len(a.claims) for a in data.articles)
            self.status.setText(f"{n} claims · history head {data.head_hash[:16]}")
            self.save_button.setEnabled(not self.writing)

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
        """Render the previewed snapshot in the chosen format and write it, off both the GUI
        and the database thread."""
        if self.writing or self.data is None or self._data_key != self._key():
            return
        fmt = self.format.currentData()
        data = replace(self.data, include_unverified=self.unverified.isChecked())
        target = Path(path)
        self.writing = True
        self.save_button.setEnabled(False)
        self.busy.show()
        self.status.setText(f"Writing {target.name}…")

        if fmt == "pdf":
            from factdesk.reports import pdf

            pdf.prepare()  # Qt's types made here, not first on the export thread

        def work() -> list[Path]:
            from factdesk import reports

            return reports.write(data, fmt, target)

        self.board.tasks.io(work, self._written, self._failed)

    def _written(self, written: list[Path]) -> None:
        self.writing = False
        self.busy.hide()
        self.written = written
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.writing = False
        self.busy.hide()
        self.save_button.setEnabled(self.data is not None)
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        self.status.setText(f"<span style='color:#d93636'>Not saved: {first_line}</span>")
