"""File -> Export (Ctrl+E): the preview shows the article's claims, Save writes the chosen format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.gui.conftest import needs_nlp


@needs_nlp
def test_export_previews_and_writes_the_report(
    make_window: Any, sample_path: Path, qtbot: Any, tmp_path: Path
) -> None:
    window = make_window(detector="inline", open_path=str(sample_path))
    qtbot.waitUntil(
        lambda: window.selection.article is not None and window.claims.model.rowCount() > 0,
        timeout=20_000,
    )
    dialog = window.export_report()
    assert dialog is not None
    preview = dialog.preview.toPlainText()
    assert "Harwick" in preview and "unverified" in preview.lower()
    dialog.format.setCurrentIndex(dialog.format.findData("md"))
    target = tmp_path / "report.md"
    dialog.save_to(str(target))
    assert dialog.written == [target]
    text = target.read_text(encoding="utf-8")
    assert "Harwick" in text and window.board.ws is not None
    assert window.board.ws.verify().head_hash in text


@needs_nlp
def test_export_renders_the_previewed_snapshot_off_the_database_thread(
    sample_path: Path, qtbot: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    import threading

    from factdesk import reports
    from factdesk.gui import create_window
    from factdesk.gui.detection import InlineDetection
    from factdesk.gui.tasks import Tasks
    from factdesk.services import Workspace
    from tests.gui.conftest import open_default_board

    snapshots: list[str] = []
    writers: list[str] = []
    real_data, real_write = Workspace.report_data, reports.write

    def report_data(self: Any, *args: Any, **kwargs: Any) -> Any:
        snapshots.append(threading.current_thread().name)
        return real_data(self, *args, **kwargs)

    def write(*args: Any, **kwargs: Any) -> Any:
        writers.append(threading.current_thread().name)
        return real_write(*args, **kwargs)

    monkeypatch.setattr(Workspace, "report_data", report_data)
    monkeypatch.setattr(reports, "write", write)
    tasks = Tasks()
    window = create_window(
        open_default_board, open_path=str(sample_path), tasks=tasks, detector=InlineDetection()
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.claims.model.rowCount() > 0, timeout=30_000)
    dialog = window.export_report()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10_000)

    # a folder that is not there: said in one line, nothing written, the dialog stays
    missing = tmp_path / "no-such-folder" / "report.pdf"
    dialog.format.setCurrentIndex(dialog.format.findData("pdf"))
    dialog.save_to(str(missing))
    qtbot.waitUntil(lambda: "Not saved" in dialog.status.text(), timeout=30_000)
    assert "does not exist" in dialog.status.text()
    assert dialog.isVisible() and not missing.parent.exists()

    target = tmp_path / "report.pdf"
    dialog.save_to(str(target))
    qtbot.waitUntil(lambda: dialog.written == [target], timeout=60_000)
    assert target.read_bytes().startswith(b"%PDF")
    assert list(tmp_path.glob("*.part")) == [] and list(tmp_path.glob(".*")) == []
    assert len(snapshots) == 1, "the preview's snapshot is the one saved"
    assert snapshots[0].startswith("factdesk-db")
    assert writers and all(name.startswith("factdesk-io") for name in writers)
    window.close()
    tasks.shutdown()
