"""Benchmark the Linux bundle against the venv, in the same run: size, and start to a shown window.

    python packaging/bench_bundle.py [--bundle dist/factdesk] [--venv .venv] [--runs 5]

Both start `factdesk open --sample` on a new board, with a scrubbed environment, under one Xvfb;
"shown" is the moment the window's X11 top-level exists (xwininfo, polled every 20 ms), which
is the same measure for both. Runs alternate venv / bundle after one warm-up each, so the page
cache and the machine's load treat them alike. Needs Debian's xvfb and x11-utils.
Targets (issue 14): bundle at most 450 MB unpacked; its start at most 1.5x the venv's.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MAX_MB = 450
MAX_RATIO = 1.5
WINDOW = re.compile(r'\("?[^)]*factdesk[^)]*\)\s+(\d+)x(\d+)', re.IGNORECASE)


def size_report(bundle: Path) -> tuple[float, list[tuple[float, str]]]:
    parts: dict[str, int] = {}
    total = 0
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            n = path.stat().st_size
            total += n
            rel = path.relative_to(bundle).parts
            key = "/".join(rel[:2]) if rel[0] == "_internal" and len(rel) > 1 else rel[0]
            parts[key] = parts.get(key, 0) + n
    top = sorted(((n / 1e6, k) for k, n in parts.items()), reverse=True)[:10]
    return total / 1e6, top


def window_shown(display: str) -> bool:
    tree = subprocess.run(
        ["xwininfo", "-root", "-tree", "-display", display],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return any(int(w) >= 300 and int(h) >= 200 for w, h in WINDOW.findall(tree))


def start_to_window(command: list[str], display: str, timeout: float = 60.0) -> float:
    home = tempfile.mkdtemp(prefix="factdesk-bench-")
    env = {
        "HOME": home,
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "DISPLAY": display,
        "FACTDESK_PASSPHRASE": "bench-bundle",
    }
    t0 = time.perf_counter()
    process = subprocess.Popen(
        [*command, "open", "--sample"],
        env=env,
        cwd=home,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while time.perf_counter() - t0 < timeout:
            if window_shown(display):
                return time.perf_counter() - t0
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} ended with {process.returncode}")
            time.sleep(0.02)
        raise RuntimeError(f"{command[0]}: no window within {timeout:.0f} s")
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        shutil.rmtree(home, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bundle", default="dist/factdesk")
    parser.add_argument("--venv", default=".venv")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bundle = Path(args.bundle).resolve()
    exe = bundle / "factdesk"
    venv_exe = Path(args.venv).resolve() / "bin" / "factdesk"
    for path in (exe, venv_exe):
        if not path.exists():
            print(f"bench_bundle: {path} is missing", file=sys.stderr)
            return 2

    total, top = size_report(bundle)
    print(f"bundle size: {total:.0f} MB unpacked (target <= {MAX_MB} MB)")
    for mb, part in top:
        print(f"  {mb:7.1f} MB  {part}")

    # Xvfb picks a free display and writes its number once it accepts clients
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(write_end,),
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as numbers:
            display = ":" + numbers.readline().strip()
        kinds = {"venv": [str(venv_exe)], "bundle": [str(exe)]}
        times: dict[str, list[float]] = {k: [] for k in kinds}
        for command in kinds.values():
            start_to_window(command, display)  # warm-up: the page cache holds both alike
        for _ in range(args.runs):
            for kind, command in kinds.items():
                times[kind].append(start_to_window(command, display))
    finally:
        xvfb.kill()
        xvfb.wait()
    med = {k: statistics.median(v) for k, v in times.items()}
    for kind, values in times.items():
        spread = f"{min(values):.2f}-{max(values):.2f}"
        print(
            f"start to shown window, {kind:<6}: median {med[kind]:.2f} s ({spread}, {args.runs} runs)"
        )
    ratio = med["bundle"] / med["venv"]
    print(f"bundle / venv: {ratio:.2f}x (target <= {MAX_RATIO}x)")
    return 0 if total <= MAX_MB and ratio <= MAX_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
