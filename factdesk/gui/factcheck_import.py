"""File → Import fact-checks…: ClaimReview JSON-LD, Fact Check Tools JSON or CSV/TSV files read
and stored on the database thread (one transaction per file), with progress, then a summary of
what was imported, updated, left unchanged and skipped (and why)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from factdesk.domain import FactdeskError
from factdesk.domain.factchecks import FactCheckImportSummary

FILTER = "Fact-checks (*.json *.jsonld *.csv *.tsv *.txt);;All files (*)"
SKIPPED_SHOWN = 5

# (file, its summary or None, why it was refused or "")
FileResult = tuple[str, FactCheckImportSummary | None, str]


class FactCheckImport(QObject):
    """Runs an import of fact-check files and says how it went."""

    imported = Signal()  # at least one file was stored: matches may have changed
    _progressed = Signal(str, int, int)  # from the database thread

    def __init__(self, board: Any, parent_widget: QWidget) -> None:
        """`board`: the window's BoardClient."""
        super().__init__(parent_widget)
        self.board = board
        self.parent_widget = parent_widget
        self.progress: QProgressDialog | None = None
        self.summary: QMessageBox | None = None
        self.running = False
        self._progressed.connect(self._show_progress)

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self.parent_widget, "Import fact-checks", "", FILTER
        )
        if paths:
            self.run(paths)

    def run(self, paths: Sequence[str]) -> None:
        if self.running or not paths:
            return
        self.running = True
        self.progress = QProgressDialog("Importing fact-checks…", "", 0, 0, self.parent_widget)
        self.progress.setWindowTitle("Import fact-checks")
        self.progress.setCancelButton(None)  # one transaction per file: nothing to undo halfway
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)
        files = list(paths)

        def work(ws: Any) -> list[FileResult]:
            results: list[FileResult] = []
            for path in files:
                try:
                    summary = ws.import_factchecks(path, self._progressed.emit)
                except (FactdeskError, OSError) as exc:
                    results.append((path, None, str(exc)))
                else:
                    results.append((path, summary, ""))
            return results

        self.board.read(work, self._done)

    def _show_progress(self, what: str, done: int, total: int) -> None:
        if self.progress is None:
            return
        self.progress.setLabelText(f"Importing fact-checks: {what}…")
        self.progress.setMaximum(total)
        self.progress.setValue(done if total else 0)

    def _done(self, results: list[FileResult]) -> None:
        self.running = False
        if self.progress is not None:
            self.progress.close()
            self.progress = None
        stored = any(summary is not None for _, summary, _ in results)
        box = QMessageBox(
            QMessageBox.Icon.Information if stored else QMessageBox.Icon.Warning,
            "Fact-checks imported" if stored else "No fact-checks imported",
            summary_text(results),
            QMessageBox.StandardButton.Ok,
            self.parent_widget,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()  # not exec(): the window keeps running behind it
        self.summary = box
        if stored:
            self.imported.emit()


def summary_text(results: Sequence[FileResult]) -> str:
    """One paragraph per file: the counts, the first skipped items with where they were."""
    paragraphs = []
    for path, summary, refused in results:
        name = Path(path).name
        if summary is None:
            paragraphs.append(f"{name}: not imported. {refused}")
            continue
        lines = [
            f"{name} ({summary.format}): {summary.added} imported, {summary.updated} updated, "
            f"{summary.unchanged} unchanged, {len(summary.skipped)} skipped."
        ]
        lines += [f"  skipped {s.where}: {s.reason}" for s in summary.skipped[:SKIPPED_SHOWN]]
        if len(summary.skipped) > SKIPPED_SHOWN:
            lines.append(f"  … and {len(summary.skipped) - SKIPPED_SHOWN} more skipped")
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)
