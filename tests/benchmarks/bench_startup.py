"""Window start-up (on demand): `factdesk open` to the window shown, beside a bare Qt window, both
from process start, in turn, median of 8 each (target: at most 1.5x the bare window).

    python tests/benchmarks/bench_startup.py [--runs 8] [--importtime]

"Shown" is the first pass of the event loop after `show()` (the window is mapped and painted
then): the window's frame (menus, toolbar, titled panes at their sizes); "panels built" is when
the panels are in it (MainWindow.build, right after the frame is on screen). `factdesk open` runs its real entry point (factdesk.app.main: the detection worker's
start, the platform check, logging, the window) on an empty home; the board opens after that,
off the GUI thread, and is not part of start-up. `--importtime` prints the slowest imports before
the window shows (python -X importtime).
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# both children report the wall-clock time of the first event-loop pass after show() and leave
BARE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 800)
window.show()
QTimer.singleShot(0, lambda: (print(time.time(), flush=True), app.quit()))
app.exec()
"""

FACTDESK = """
import os, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

run = QApplication.exec
shown = []

def built(build):
    def wrapped(self):
        build(self)
        print(shown[0] if shown else time.time(), time.time(), flush=True)
        os._exit(0)  # the board's opening and the detection worker are not start-up
    return wrapped

def shown_then_quit(*args):
    # called by factdesk.gui.run right after window.show(): the frame is on screen at the first
    # pass of the event loop; its panels are built into it once it is (MainWindow.build)
    from factdesk.gui.main_window import MainWindow  # imported by now: no cost added

    if hasattr(MainWindow, "build"):
        MainWindow.build = built(MainWindow.build)
        QTimer.singleShot(0, lambda: shown.append(time.time()))
    else:  # the code before the frame: the window was whole when shown
        QTimer.singleShot(0, lambda: built(lambda _window: None)(None))
    return run()

QApplication.exec = shown_then_quit
from factdesk.app import main
main(["--home", sys.argv[1], "open"])
"""


def once(code: str, home: str, extra: list[str]) -> tuple[float, float]:
    """Seconds from process start to the window shown, and to its panels built (the same for
    the bare window)."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    t0 = time.time()
    out = subprocess.run(
        [sys.executable, *extra, "-c", code, home],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    times = [float(t) - t0 for t in out.stdout.split()]
    return times[0], times[-1]


def importtime(home: str) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", FACTDESK, home],
        capture_output=True,
        text=True,
        env=env,
    )
    rows = []
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative, name = line[len("import time:") :].split("|")
        rows.append((int(cumulative), name.rstrip()[1:]))  # the depth stays as indentation
    top = sorted((r for r in rows if not r[1].startswith(" ")), reverse=True)[:15]
    print("slowest top-level imports before the window shows (cumulative ms):")
    for us, name in top:
        print(f"  {us / 1000:8.1f}  {name}")
    nested = sorted(rows, reverse=True)[:25]
    print("slowest imports at any depth:")
    for us, name in nested:
        print(f"  {us / 1000:8.1f}  {name.strip()}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--importtime", action="store_true")
    args = parser.parse_args()
    # as on every run after the first (and after pip install): compiled modules are cached. This
    # sandbox sets PYTHONDONTWRITEBYTECODE, which would add compiling factdesk to every start
    compileall.compile_dir(str(ROOT / "factdesk"), quiet=1)
    with tempfile.TemporaryDirectory() as home:
        if args.importtime:
            importtime(home)
            return
        once(BARE, home, [])  # warm the file cache for both
        once(FACTDESK, home, [])
        bare, factdesk, panels = [], [], []
        for _ in range(args.runs):  # in turn, so load drifts hit both alike
            bare.append(once(BARE, home, [])[0])
            shown, built = once(FACTDESK, home, [])
            factdesk.append(shown)
            panels.append(built)
    b, f, p = statistics.median(bare), statistics.median(factdesk), statistics.median(panels)
    print(f"bare Qt window shown:      median {b:.3f} s  ({', '.join(f'{t:.2f}' for t in bare)})")
    print(
        f"factdesk open, shown:      median {f:.3f} s  ({', '.join(f'{t:.2f}' for t in factdesk)})"
    )
    print(f"  its panels built:        median {p:.3f} s  ({', '.join(f'{t:.2f}' for t in panels)})")
    print(
        f"ratio {f / b:.2f}x (target at most 1.5x), panels {p / b:.2f}x; load average "
        f"{os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
