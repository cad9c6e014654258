"""The keyboard loop in a real X window under a window manager: `factdesk open --sample` on
Xvfb + openbox, driven by xdotool as a journalist types, then the board read back through the
services. Skipped where Xvfb, openbox or xdotool are not installed (Debian: xvfb openbox xdotool).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from factdesk.domain import ClaimStatus
from factdesk.gui.claims_model import claim_order
from tests.gui.conftest import board_ready, needs_nlp

TOOLS = ("Xvfb", "openbox", "xdotool")
missing = [tool for tool in TOOLS if shutil.which(tool) is None]
pytestmark = [
    pytest.mark.skipif(
        bool(missing),
        reason=f"needs {', '.join(missing)} (apt-get install -y xvfb openbox xdotool)",
    ),
    needs_nlp,
]


@pytest.fixture
def display() -> Iterator[str]:
    """A virtual 1366 x 768 screen with openbox managing its windows."""
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        xvfb.kill()
        pytest.skip("Xvfb did not start")
    name = f":{number}"
    wm = subprocess.Popen(
        ["openbox"],
        env=dict(os.environ, DISPLAY=name),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield name
    finally:
        for proc in (wm, xvfb):
            proc.kill()
            proc.wait(10)


def claims_on_board(home: Path, *, polling: bool = False) -> list[tuple[ClaimStatus, str, str]]:
    from factdesk.domain import BoardError
    from factdesk.services import Workspace

    if not board_ready(home / "data" / "boards" / "default.fdb"):
        return []
    try:
        ws = Workspace.open(home=home, plaintext=True, create=False)
    except BoardError:
        if polling:
            return []  # the window is creating the board this very moment
        raise
    with ws:
        articles = ws.list_articles()
        if not articles:
            return []
        # in the order the claims table shows them, which J walks
        claims = sorted(ws.claims(articles[0].id), key=claim_order)
        return [(c.status, c.text, c.explanation) for c in claims]


def test_the_keyboard_loop_in_a_real_window(display: str, tmp_path: Path) -> None:
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
    env.pop("WAYLAND_DISPLAY", None)
    log = (tmp_path / "window.log").open("w")
    app = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "factdesk",
            "--home",
            str(tmp_path),
            "--plaintext",
            "open",
            "--sample",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )

    def xdotool(*args: str) -> str:
        done = subprocess.run(
            ["xdotool", *args], env=env, capture_output=True, text=True, timeout=20, check=False
        )
        return done.stdout.strip()

    try:
        # every claim of the sample found (the count holds still), so J walks a settled table
        # (a slow, shared machine takes its time loading spaCy: wait, but not for a dead window)
        deadline, before, claims = time.monotonic() + 120, -1, []
        while time.monotonic() < deadline and app.poll() is None:
            time.sleep(1)
            claims = claims_on_board(tmp_path, polling=True)
            if claims and len(claims) == before:
                break
            before = len(claims)
        why = (tmp_path / "window.log").read_text(errors="replace")[-2000:]
        assert app.poll() is None, f"the window ended early: {why}"
        assert len(claims) >= 4, f"the sample's claims reached the board: {why}"
        windows = xdotool("search", "--sync", "--onlyvisible", "--pid", str(app.pid)).split()
        windows = windows or xdotool("search", "--onlyvisible", "--name", "factdesk").split()
        assert windows, "the window is on the screen"

        def width(window: str) -> int:
            geometry = xdotool("getwindowgeometry", window).rpartition("Geometry: ")[2]
            return int(geometry.partition("x")[0] or 0)

        window = max(windows, key=width)  # the main window, not a tooltip or popup of it
        # the keys go where the keyboard focus is, as a journalist's do: make sure it is there
        focus_deadline = time.monotonic() + 20
        while True:
            xdotool("windowactivate", "--sync", window)
            xdotool("windowfocus", "--sync", window)
            xdotool("mousemove", "--window", window, "300", "300")
            time.sleep(0.5)
            if window in (xdotool("getwindowfocus"), xdotool("getactivewindow")):
                break
            assert time.monotonic() < focus_deadline, "the window never got the keyboard focus"

        def keys(*names: str) -> None:
            for name in names:
                xdotool("key", "--clearmodifiers", name)
                time.sleep(0.25)

        keys("j", "v", "e")
        xdotool("type", "--delay", "30", "Official data show an 18% rise")
        keys("Escape", "j", "d", "a")
        xdotool("type", "--delay", "30", "https://example.org/data")
        keys("Escape", "e")
        xdotool("type", "--delay", "30", "No such figure")
        keys("Escape", "j", "j", "v", "ctrl+q")
        app.wait(20)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(10)

    after = claims_on_board(tmp_path)
    assert [(s, e) for s, _t, e in after[:4]] == [
        (ClaimStatus.VERIFIED, "Official data show an 18% rise"),
        (ClaimStatus.DISPUTED, "No such figure"),
        (ClaimStatus.UNVERIFIED, ""),
        (ClaimStatus.VERIFIED, ""),
    ]
    assert all(s is ClaimStatus.UNVERIFIED for s, _t, _e in after[4:]), "no stray verdicts"
    assert [t for _s, t, _e in after] == [t for _s, t, _e in claims], "no claim text edited"
