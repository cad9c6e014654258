"""Fixtures for driving the real window offscreen: a fresh board per test (FACTDESK_HOME and the
in-memory keyring come from the suite's conftest), background work run synchronously."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from factdesk.gui import create_window
from factdesk.gui.main_window import MainWindow
from factdesk.gui.tasks import SyncTasks


def open_default_board(passphrase: Callable[[str], str | None]) -> Any:
    from factdesk.services import Workspace

    return Workspace.open(passphrase=passphrase)


def long_article(folder: Path) -> Path:
    """A 600-paragraph article of distinct claims: long enough for detection to stream batches."""
    article = folder / "long.txt"
    article.write_text(
        "\n\n".join(
            f"The council said {n} percent of the {n % 7} pipes were replaced in {1990 + n % 30}."
            for n in range(600)
        ),
        encoding="utf-8",
    )
    return article


def board_ready(path: Path) -> bool:
    """The window has created the board and brought its schema up to date: from then on a
    second reader cannot race its first migration (read-only, so this never writes)."""
    import sqlite3

    if not path.exists():
        return False
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as db:
            row = db.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return False
    return row is not None


def nlp_available() -> bool:
    try:
        from factdesk.nlp import iter_detect  # noqa: F401
    except ImportError:
        return False
    return True


needs_nlp = pytest.mark.skipif(not nlp_available(), reason="factdesk.nlp.iter_detect is not there")


@pytest.fixture
def sample_path() -> Path:
    from factdesk.paths import sample_article

    path = sample_article()
    if not path.is_file():
        pytest.skip("resources/sample-article.txt is not there yet")
    return path


@pytest.fixture
def make_window(qtbot: Any) -> Iterator[Callable[..., MainWindow]]:
    """Build a window on the test's board; `detector="inline"` detects claims synchronously."""
    windows: list[MainWindow] = []

    def make(*, detector: Any = None, open_path: str | None = None) -> MainWindow:
        if detector == "inline":
            from factdesk.gui.detection import InlineDetection

            detector = InlineDetection()
        window = create_window(
            open_default_board,
            open_path=open_path,
            tasks=SyncTasks(),
            detector=detector if detector is not None else False,
        )
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.board.is_open and window.info is not None, timeout=10_000)
        windows.append(window)
        return window

    yield make
    for window in windows:
        if window.board.is_open:
            window.close()
