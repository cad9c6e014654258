"""Benchmark: a 10,000-claim board's matching index completed in the background while the window
runs. Run on demand:

    python tests/benchmarks/bench_match_gui.py [N]

A fresh board with one article holding N (10,000) claims (the texts of ../shared/eval's vclaims,
or synthetic sentences where that file is absent) and one small fact-check collection; the real
window with real background tasks and the real detection worker process opens it, and the
vectors are computed by the worker (BackgroundMatching). A 5 ms timer on the GUI thread measures
the longest stall meanwhile; printed: time, sentences/s, stalls, memory of both processes.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EVAL = next(
    (p / "shared" / "eval" for p in ROOT.parents if (p / "shared" / "eval").is_dir()),
    ROOT.parent / "shared" / "eval",
)
FEED = ROOT / "tests" / "matching" / "fixtures" / "claimreview-feed.json"


def peak_mb(pid: str) -> str:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return str(int(line.split()[1]) // 1024)
    except OSError:
        pass
    return "?"


def board_with_claims(n: int) -> None:
    import csv

    from factdesk.domain import ClaimCandidate, ClaimKind
    from factdesk.services import Workspace

    source = EVAL / "matching_vclaims.tsv"
    if source.exists():
        with source.open(encoding="utf-8") as f:
            rows = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            lines = [" ".join(r["vclaim"].split()) for r in rows][:n]
    else:
        lines = []
    lines += [
        f"The council said {k} pipes burst in district {k % 40}." for k in range(n - len(lines))
    ]
    lines = [f"{line} ({k})" for k, line in enumerate(lines)]  # every claim its own text
    ws = Workspace.open(plaintext=True)
    article = ws.import_text("\n".join(lines), title="Many claims", detect=False).value
    candidates, offset = [], 0
    for k, line in enumerate(lines):
        offset = article.text.index(line, offset)
        candidates.append(
            ClaimCandidate(offset, offset + len(line), line, 0.7, True, list(ClaimKind)[k % 8], "")
        )
        offset += len(line)
    ws.add_detected_claims(article.id, candidates)
    ws.import_factchecks(FEED)
    ws.close()


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    os.environ["FACTDESK_HOME"] = tempfile.mkdtemp(prefix="factdesk-bench-match-gui-")
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from factdesk.gui import create_window
    from factdesk.gui.detection import DetectionProcess
    from factdesk.gui.tasks import Tasks
    from factdesk.services import Workspace

    t = time.perf_counter()
    board_with_claims(n)
    print(
        f"board with {n:,} claims and 1 fact-check collection built in {time.perf_counter() - t:.1f} s"
    )
    app = QApplication.instance() or QApplication([])
    detector = DetectionProcess()
    window: Any = create_window(
        lambda _p: Workspace.open(plaintext=True), tasks=Tasks(), detector=detector
    )
    finished: list[int] = []
    progress: list[tuple[float, int]] = []
    window.background_matching.finished.connect(finished.append)
    window.background_matching.progress.connect(
        lambda done, _total: progress.append((time.perf_counter(), done))
    )
    stalls: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    when: list[float] = []

    def probe() -> None:
        now = clock.elapsed()
        stalls.append(now - last[0])
        when.append(time.perf_counter())
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(probe)
    window.show()
    timer.start()
    started = time.perf_counter()
    while not finished:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    took = time.perf_counter() - started
    # the same window idle for a while, under the same machine load: what stalls without matching
    idle_from = time.perf_counter()
    while time.perf_counter() - idle_from < 15:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    timer.stop()
    first = progress[0] if progress else (started, 0)
    rate = (finished[0] - first[1]) / max(time.perf_counter() - first[0], 1e-9)
    # the stalls while vectors are computed and stored: from the first chunk on (the window's own
    # start, loading the claims table, comes before it and is bench_gui.py's business)
    during = [st for st, at in zip(stalls, when, strict=True) if first[0] < at <= idle_from]
    idle = sorted(st for st, at in zip(stalls, when, strict=True) if at > idle_from + 0.5)
    before = [st for st, at in zip(stalls, when, strict=True) if at <= first[0]]
    ordered = sorted(during)
    print(
        f"{finished[0]:,} vectors computed in the background in {took:.1f} s from the window "
        f"showing (including the worker's start and model loads); {rate:.0f} sentences/s "
        f"in the worker once running (one thread, niced), load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"GUI thread over a 5 ms probe while the index was computed: longest stall "
        f"{ordered[-1] - 5:.0f} ms, 99th percentile "
        f"{ordered[int(0.99 * len(ordered))] - 5:.0f} ms, median {statistics.median(ordered):.1f} ms "
        f"between ticks ({len(ordered)} ticks); before the first chunk (window start, claims "
        f"table): longest {max(before, default=5) - 5:.0f} ms"
    )
    print(
        f"the same window idle for 15 s afterwards: longest stall {idle[-1] - 5:.0f} ms, 99th "
        f"percentile {idle[int(0.99 * len(idle))] - 5:.0f} ms ({len(idle)} ticks)"
    )
    print(
        f"peak memory: window process {peak_mb('self')} MB, worker {peak_mb(str(detector.pid))} MB"
    )
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
