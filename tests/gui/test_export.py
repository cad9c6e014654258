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
