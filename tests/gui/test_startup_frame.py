"""`factdesk open` shows the window's frame at once and builds the panels into it: the frame is
laid out as the window stays (nothing jumps when the panels come), offers nothing to type into,
and is on screen before the board, the services or the panels are imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from factdesk.gui import create_window
from factdesk.gui.tasks import SyncTasks
from tests.gui.conftest import open_default_board


def layout_seen(window: Any) -> dict[str, Any]:
    """Where the journalist sees the window's parts: menus, toolbar, panes, status bar."""
    return {
        "menus": [a.text() for a in window.menuBar().actions()],
        "toolbar": window.priority_bar.geometry().getRect(),
        "panes": window.splitter.sizes(),
        "middle": window.splitters[2].sizes(),
        "left": window.splitters[1].sizes(),
        "central": window.centralWidget().geometry().getRect(),
        "status bar": window.statusBar().geometry().getRect(),
        "window": window.size().toTuple(),
    }


def test_the_frame_is_laid_out_as_the_window_stays(qtbot: Any) -> None:
    window = create_window(open_default_board, tasks=SyncTasks(), detector=False, frame_first=True)
    qtbot.addWidget(window)
    window.resize(1366, 740)  # a small laptop
    seen: dict[str, Any] = {}
    build = window.build

    def look_then_build() -> None:
        # what is on screen when the panels are about to be built into it
        seen["on screen"] = window.frame_on_screen()
        seen["frame"] = layout_seen(window)
        seen["typed into"] = [
            w
            for w in window.findChildren(QWidget)
            if w.isVisible() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        ]
        build()

    window.build = look_then_build  # type: ignore[method-assign]
    window.show()
    qtbot.waitUntil(lambda: window.built and window.info is not None, timeout=10_000)
    frame = seen["frame"]
    assert seen["on screen"]
    assert seen["typed into"] == [], "the frame offers nothing to type into before it works"
    assert frame["menus"] == ["&File", "&Edit", "&Claim", "&Help"]
    assert layout_seen(window) == frame
    assert window.claims.isVisible() and window.articles.view.isVisible()
    window.close()


def test_a_message_is_not_drawn_over_the_boards_name(qtbot: Any) -> None:
    window = create_window(open_default_board, tasks=SyncTasks(), detector=False, frame_first=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.built and window.info is not None, timeout=10_000)
    window.status.showMessage("Importing sample-article.txt…")
    window.resize(window.width() + 40, window.height())  # laid out anew under the message
    qtbot.wait(50)
    assert not window.status.board_label.isVisible()
    window.status.clearMessage()
    assert window.status.board_label.isVisible()
    window.close()


def test_what_can_wait_is_done_once_the_frame_is_on_screen(qtbot: Any) -> None:
    seen: list[tuple[bool, bool]] = []
    window = create_window(
        open_default_board,
        tasks=SyncTasks(),
        detector=False,
        frame_first=True,
        when_shown=lambda: seen.append((window.frame_on_screen(), window.built)),
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.built and window.info is not None, timeout=10_000)
    assert seen == [(True, False)], "on screen, before the panels are built into it"
    window.close()


FRAME_SHOWN = """
import logging, os, sys
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

run = QApplication.exec

class Exposed(QObject):
    def eventFilter(self, obj, event):
        if obj.isExposed() and not hasattr(self, "seen"):
            self.seen = True
            heavy = ("sqlalchemy", "numpy", "keyring", "factdesk.services", "factdesk.store",
                     "factdesk.gui.claims_panel", "factdesk.gui.article_view", "multiprocessing",
                     # the headless commands, the domain's records, the log file's handler
                     "factdesk.cli", "factdesk.domain.records", "logging.handlers")
            print(sorted(m for m in heavy if m in sys.modules), flush=True)
            # PySide makes the `Qt` namespace's hundred enums at its first use (20-40 ms)
            print("Qt namespace made:", "Qt" in vars(sys.modules["PySide6.QtCore"]), flush=True)
            QTimer.singleShot(0, when_built)
        return False

def when_built():
    if not window.built:
        QTimer.singleShot(10, when_built)
        return
    files = [h.baseFilename for h in logging.getLogger("factdesk").handlers
             if isinstance(h, logging.FileHandler)]
    print("logging to:", files, flush=True)
    os._exit(0)

exposed = Exposed()

def watched(*args):
    global window
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow))
    window.windowHandle().installEventFilter(exposed)
    return run()

QApplication.exec = watched
from factdesk.app import main
main(["--home", sys.argv[1], "open"])
"""


def test_the_frame_shows_before_the_board_and_the_panels_are_loaded(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", FRAME_SHOWN, str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    lines = done.stdout.strip().splitlines()
    assert lines[:2] == ["[]", "Qt namespace made: False"], done.stderr[-2000:]
    # the log file is there once the window is on screen
    log_file = tmp_path.resolve() / "logs" / "factdesk.log"
    assert lines[2:] == [f"logging to: {[str(log_file)]}"], done.stderr[-2000:]
