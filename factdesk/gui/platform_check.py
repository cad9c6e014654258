"""Qt's platform plugin, checked: one readable line instead of Qt's abort, and a probe for doctor.

Without a usable platform plugin (no display, a missing libxcb-cursor0) Qt calls qFatal, which
aborts the process (exit 134) with advice to reinstall the application. `exit_on_fatal()` turns
that into one line on stderr and exit 1. `probe()` starts a QGuiApplication in a child process, so
that `factdesk doctor` survives the abort and can quote what Qt said.
"""

from __future__ import annotations

import os
import sys
from typing import Any, NamedTuple

PROBE_TIMEOUT_S = 30.0


class ProbeResult(NamedTuple):
    ok: bool
    detail: str  # platform, Qt version and screen; or what Qt said when it failed
    fix: str = ""  # what to do about it, when it failed


def exit_on_fatal() -> None:
    """From now on, a fatal Qt message prints one line naming the cause and exits 1."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    said: list[str] = []

    def handler(kind: Any, context: Any, message: str) -> None:
        if kind == QtMsgType.QtFatalMsg:
            # Qt's own last words advise reinstalling; the warning before them names the cause
            cause = _cause(said) or message.strip().split("\n")[0] or "unknown error"
            fix = fix_for(message + "\n" + "\n".join(said)) or GENERIC_FIX
            print(f"factdesk: the window cannot start: {cause}. {fix}", file=sys.stderr, flush=True)
            # what atexit would do: end the detection process and release its queues' semaphores
            # (else multiprocessing's tracker warns about them after we are gone)
            import multiprocessing.util

            multiprocessing.util._exit_function()  # type: ignore[attr-defined]
            os._exit(1)
        category = getattr(context, "category", None) or "default"
        said.append(message)
        del said[:-20]
        if not category.startswith("qt.qpa."):  # the platform's start-up: quoted if it fails
            text = message if category == "default" else f"{category}: {message}"
            print(text, file=sys.stderr, flush=True)

    qInstallMessageHandler(handler)


GENERIC_FIX = (
    "Install your desktop's Qt libraries (Debian/Ubuntu: libxcb-cursor0 libegl1 "
    "libxkbcommon-x11-0), or reinstall factdesk; `factdesk doctor` checks the rest."
)


def _cause(said: list[str]) -> str:
    return next((line.strip() for line in said if "could not" in line.lower()), "")


def fix_for(qt_said: str) -> str:
    """What to do about what Qt said, as one sentence (empty when Qt's words give no clue)."""
    low = qt_said.lower()
    # first: Qt's fatal message about a display it cannot reach also names xcb-cursor
    if "could not connect to display" in low or "cannot open display" in low:
        return "Start factdesk from a desktop session (DISPLAY must name a running X server)."
    if "xcb-cursor" in low:
        return "Install libxcb-cursor0 (Debian/Ubuntu: sudo apt install libxcb-cursor0)."
    if "could not find the qt platform plugin" in low:
        return (
            "Unset QT_QPA_PLATFORM (or name an installed platform: xcb, wayland), or reinstall "
            "factdesk if it was not set."
        )
    return ""


def probe() -> ProbeResult:
    """Start Qt's GUI in a child process; report its platform and screen, or what Qt said."""
    import multiprocessing
    import tempfile
    from pathlib import Path

    ctx = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="factdesk-qt-") as tmp:
        err = Path(tmp) / "qt-stderr.txt"
        parent, child = ctx.Pipe(duplex=False)
        process = ctx.Process(target=_probe_child, args=(child, str(err)), daemon=True)
        process.start()
        child.close()
        answer: str | None = None
        if parent.poll(PROBE_TIMEOUT_S):
            try:
                answer = parent.recv()
            except EOFError:
                answer = None
        process.join(PROBE_TIMEOUT_S)
        if process.is_alive():
            process.kill()
            return ProbeResult(
                False, f"Qt did not start within {PROBE_TIMEOUT_S:.0f} s", GENERIC_FIX
            )
        if answer is not None and process.exitcode == 0:
            return ProbeResult(True, answer)
        said = err.read_text("utf-8", errors="replace") if err.exists() else ""
        lines = [line.strip() for line in said.splitlines() if line.strip()]
        first = _cause(lines) or (lines[0] if lines else f"exit code {process.exitcode}")
        return ProbeResult(False, f"Qt could not start: {first}", fix_for(said) or GENERIC_FIX)


def _probe_child(conn: Any, err_path: str) -> None:
    fd = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 2)
    from PySide6 import QtCore
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication(["factdesk-doctor"])
    # the window is made of widgets: their library must load here too
    from PySide6 import QtWidgets

    del QtWidgets
    screen = app.primaryScreen()
    size = screen.size() if screen is not None else None
    where = f", screen {size.width()}x{size.height()}" if size is not None else ", no screen"
    conn.send(f"Qt {QtCore.qVersion()}, platform plugin {app.platformName()}{where}")
    conn.close()
