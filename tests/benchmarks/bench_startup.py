"""Window start-up (on demand): `factdesk open` to its window on screen, beside a bare Qt window,
both from process start, in turn, median of 8 each (target: at most 1.5x the bare window).

    python tests/benchmarks/bench_startup.py [--runs 8] [--baseline SRC] [--xvfb] [--importtime]

Both children run the same harness: it creates nothing itself, and once the program calls
`QApplication.exec()` it watches the main window's native window. "Shown" is the first time that
window is exposed (mapped: on an X server, when the server says so) and its first paint is done
(the event loop's next pass after the expose, which Qt paints synchronously). The bare window is a
`QMainWindow` of factdesk's first-run size in a `QApplication` set up as factdesk's (same
arguments, application and display name, window title).

`factdesk open` runs its real entry point (factdesk.app.main: command line, display and platform
checks, logging, the window) with a home whose directories come from platformdirs (XDG_* point at
a temporary directory, as a user's do at theirs) and a plain board holding the sample article.
Besides "shown" it reports "panels built" (MainWindow.build, right after the frame is on screen)
and "article shown": the board opened off the GUI thread and the newest article on screen
(MainWindow.article_shown), which start-up must not delay.

`--baseline SRC`: also time the factdesk at SRC (a checkout, e.g. `git archive main | tar -x -C
/tmp/old`), in turn with the others, for an A/B in one run. `--xvfb`: on a fresh Xvfb server with
Qt's xcb platform (default: the offscreen platform). `--importtime`: the slowest imports before the
window is shown (python -X importtime).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Prefixed to both children: it times `QApplication.exec()`'s window from the outside. It
# prints the wall-clock times of the events it names, then ends the process.
HARNESS = """
import os, sys, time
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

_exec = QApplication.exec
_times = {}
_wanted = sys.argv[1].split(",")

def _mark(name):
    _times.setdefault(name, time.time())
    _times.setdefault(name + "_cpu", time.process_time())
    if all(w in _times for w in _wanted):
        print(" ".join(f"{k}={_times[k]!r} {k}_cpu={_times[k + '_cpu']!r}" for k in _wanted), flush=True)
        os._exit(0)

class _Watch(QObject):
    def eventFilter(self, obj, event):
        if "shown" not in _times and obj.isExposed():
            # Qt paints an exposed window before the event loop's next pass
            QTimer.singleShot(0, lambda: _mark("shown"))
        return False

_watch = _Watch()

def _exec_watched(*args):
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow)]
    windows[0].windowHandle().installEventFilter(_watch)
    return _exec()

QApplication.exec = _exec_watched
"""

BARE = (
    HARNESS
    + """
app = QApplication(sys.argv[:1])
app.setApplicationName("factdesk")
app.setApplicationDisplayName("factdesk")
window = QMainWindow()
window.setWindowTitle("factdesk")
window.resize(1400, 860)
window.show()
app.exec()
"""
)

FACTDESK = (
    HARNESS
    + """
from factdesk.gui import main_window

_build = main_window.MainWindow.build

def _build_watched(self):
    _build(self)
    if self.built:
        _mark("built")
        self.article_shown.connect(lambda _id: _mark("article"))

main_window.MainWindow.build = _build_watched
from factdesk.app import main
main(["open"])
"""
)

FACTDESK_MARKS = "shown,built,article"


def child_env(home: Path, platform: dict[str, str], source: Path | None) -> dict[str, str]:
    env = dict(os.environ, **platform)
    for var in ("FACTDESK_HOME", "PYTHONPATH"):
        env.pop(var, None)
    for var, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
    ):
        env[var] = str(home / sub)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    return env


def once(code: str, marks: str, env: dict[str, str]) -> dict[str, float]:
    """Seconds from process start to each of `marks`."""
    t0 = time.time()
    out = subprocess.run(
        [sys.executable, "-c", code, marks],
        capture_output=True,
        text=True,
        env=env,
        cwd=tempfile.gettempdir(),  # not the checkout: PYTHONPATH chooses the factdesk timed
        timeout=120,
    )
    if out.returncode != 0 or "=" not in out.stdout:
        raise SystemExit(f"the child failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    pairs = (item.split("=") for item in out.stdout.split())
    return {name: float(t) - (0 if name.endswith("_cpu") else t0) for name, t in pairs}


def make_home(home: Path, platform: dict[str, str], source: Path | None = None) -> None:
    """A plain board holding the sample article (no detection: the window runs none for it),
    made by the code that will open it (an older factdesk refuses a board of a newer schema)."""
    env = child_env(home, platform, source)
    sample = ROOT / "resources" / "sample-article.txt"
    subprocess.run(
        [sys.executable, "-m", "factdesk", "--plaintext", "add", "--no-detect", str(sample)],
        env=env,
        check=True,
        capture_output=True,
        cwd=tempfile.gettempdir(),  # not the checkout: PYTHONPATH chooses the factdesk
    )


def start_xvfb() -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    if shutil.which("Xvfb") is None:
        raise SystemExit("--xvfb needs Xvfb (apt-get install xvfb)")
    display = f":{200 + os.getpid() % 300}"
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)
    return server, {"DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}


def importtime(env: dict[str, str]) -> None:
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", FACTDESK, "shown"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tempfile.gettempdir(),
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


def summary(label: str, values: list[float]) -> str:
    return f"{label:<34} median {statistics.median(values):.3f} s  ({', '.join(f'{t:.2f}' for t in values)})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--baseline", type=Path, metavar="SRC", help="a checkout to time beside")
    parser.add_argument("--xvfb", action="store_true", help="an X server and Qt's xcb platform")
    parser.add_argument("--importtime", action="store_true")
    args = parser.parse_args()
    # as on every run after the first (and after pip install): compiled modules are cached. This
    # sandbox sets PYTHONDONTWRITEBYTECODE, which would add compiling factdesk to every start
    sources: dict[str, Path | None] = {"factdesk": None}
    if args.baseline:
        sources = {"baseline": args.baseline.resolve(), "factdesk": None}
    for src in sources.values():
        compileall.compile_dir(str((src or ROOT) / "factdesk"), quiet=1)
    server = None
    platform = {"QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    if args.xvfb:
        server, platform = start_xvfb()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            homes = {name: Path(tmp) / name for name in sources}
            for name, src in sources.items():
                make_home(homes[name], platform, src)
            envs = {name: child_env(homes[name], platform, src) for name, src in sources.items()}
            bare_env = child_env(homes["factdesk"], platform, None)
            if args.importtime:
                importtime(envs["factdesk"])
                return
            once(BARE, "shown", bare_env)  # warm the file cache for all
            for env in envs.values():
                once(FACTDESK, FACTDESK_MARKS, env)
            bare: list[float] = []
            bare_cpu: list[float] = []
            runs: dict[str, list[dict[str, float]]] = {name: [] for name in envs}
            for _ in range(args.runs):  # in turn, so load drifts hit all alike
                bare_run = once(BARE, "shown", bare_env)
                bare.append(bare_run["shown"])
                bare_cpu.append(bare_run["shown_cpu"])
                for name, env in envs.items():
                    runs[name].append(once(FACTDESK, FACTDESK_MARKS, env))
    finally:
        if server is not None:
            server.terminate()
            server.wait()
    b = statistics.median(bare)
    where = "Xvfb, xcb" if args.xvfb else platform["QT_QPA_PLATFORM"]
    print(f"platform {where}, {args.runs} runs each in turn; seconds from process start")
    print(summary("bare Qt window shown", bare))
    for name, marks in runs.items():
        label = "factdesk open" if name == "factdesk" else f"factdesk open ({name})"
        for mark, text in (("shown", "shown"), ("built", "panels built"), ("article", "article")):
            print(summary(f"{label}, {text}", [m[mark] for m in marks]))
    print(summary("bare Qt window, CPU time to shown", bare_cpu))
    for name, marks in runs.items():
        print(summary(f"{name}, CPU time to shown", [m["shown_cpu"] for m in marks]))
    b_cpu = statistics.median(bare_cpu)
    for name, marks in runs.items():
        shown = statistics.median(m["shown"] for m in marks)
        cpu = statistics.median(m["shown_cpu"] for m in marks)
        built = statistics.median(m["built"] for m in marks)
        article = statistics.median(m["article"] for m in marks)
        print(
            f"{name}: shown {shown / b:.2f}x the bare window (target at most 1.5x), "
            f"panels {built / b:.2f}x, article {article / b:.2f}x; CPU time to shown "
            f"{cpu / b_cpu:.2f}x"
        )
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
