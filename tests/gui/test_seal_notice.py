"""The status bar says when this computer's changes are not sealed (it lacks the board's chain
secret) or when the board holds events written without the secret that nobody accepted, and
its tooltip says what to do; a sealed board shows nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from factdesk.gui.main_window import MainWindow
from factdesk.services import Workspace
from tests.core.test_verify import _append_forged


def _default_board() -> tuple[Path, dict[str, str]]:
    from factdesk.importers import read_text
    from tests.core.helpers import ARTICLE, candidates_for

    with Workspace.open() as ws:
        doc = read_text(ARTICLE, title="Water bills")
        article = ws.add_document(doc, candidates=candidates_for(doc.text)).value
        c1 = ws.claims(article.id)[0].id
        ws.set_status(c1, "verified", "Minutes confirm it.")
        return Path(ws.info().location), {"c1": c1}


def test_a_sealed_board_shows_no_notice(make_window: Callable[..., MainWindow]) -> None:
    _default_board()
    window = make_window()
    assert not window.status.seal_label.isVisible()


def test_changes_not_sealed_here_say_how_to_bring_the_secret(
    make_window: Callable[..., MainWindow], memory_keyring: Any
) -> None:
    _default_board()
    memory_keyring.secrets = {
        k: v for k, v in memory_keyring.secrets.items() if not k[1].startswith("chain-")
    }
    window = make_window()
    label = window.status.seal_label
    assert label.isVisible() and "Your changes are not sealed" in label.text()
    assert "factdesk board secret import FILE" in label.toolTip()


def test_events_written_without_the_secret_say_how_to_accept_them(
    make_window: Callable[..., MainWindow], memory_keyring: Any
) -> None:
    path, ids = _default_board()
    _append_forged(path, memory_keyring, ids)
    window = make_window()
    label = window.status.seal_label
    assert label.isVisible() and "1 event not sealed" in label.text()
    assert "factdesk board accept FIRST-LAST" in label.toolTip()
