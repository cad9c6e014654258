"""Scale benchmark (on demand): boards of 10k, 100k (and 1M) claims built through the services,
then the costs a journalist feels, with each one's ratio to the smallest board of the same run.

    python tests/benchmarks/bench_scale.py [--sizes 10000,100000,1000000] [--pg 10000,100000]

Boards are plaintext SQLite files (the encryption's cost is per page, the same at every size);
articles of 500 claims each. "window ready" is a fresh process opening the board and reading what
the window shows first: the article list, the newest article and its first page of claims (timed
after the imports, which do not depend on the board).
`--pg SIZES` builds boards of those sizes on a throw-away PostgreSQL server (a database each) and
prints the same table for them (the window's figures are the laptop board's). `--sizes ""` skips
the SQLite boards. Runs against whichever factdesk is importable: put another checkout first
on PYTHONPATH to measure the code before a change (calls it lacks are timed by their old form).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PER_ARTICLE = 500
NEWEST = 5_000
# calibrated scores spread over the three tiers (high >= 0.8, normal >= 0.5, low), so the claims
# table's priority order interleaves with text order as on a real board
SCORES = [0.93, 0.62, 0.85, 0.41, 0.71, 0.55, 0.88, 0.47, 0.66, 0.81]
RARE = "zanzibarite"
QUERIES = {
    "one word": "said",
    "two words": "said percent",
    "four words": "ministry said percent year",
    "rare word": RARE,
}
SUBJECTS = ["The ministry", "The council", "The mayor", "Officials", "The company", "Police"]
VERBS = ["said", "reported", "claimed", "announced", "estimated", "told reporters"]
THINGS = ["exports", "prices", "bills", "arrests", "sales", "emissions", "wages", "rents"]
MOVES = ["rose", "fell", "doubled", "climbed", "dropped"]
TAILS = [
    "in the year to March",
    "since last year",
    "over the decade",
    "in the first quarter",
    "compared with the previous year",
]


def sentence(rng: random.Random, n: int) -> str:
    return (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(THINGS)} {rng.choice(MOVES)} "
        f"by {n % 97 + 1} percent {rng.choice(TAILS)}, case {n}."
    )


def article_sizes(n_claims: int) -> list[int]:
    """Articles of 500 claims, the newest one of 5,000 (a long report the window opens on)."""
    return [PER_ARTICLE] * ((n_claims - NEWEST) // PER_ARTICLE) + [NEWEST]


def build(ws: Any, n_claims: int, seed: int = 1) -> tuple[float, list[float]]:
    """Build through add_document; returns seconds and the seconds of each tenth (logged with
    the load average as it goes: the 1M board takes tens of minutes)."""
    from factdesk.domain import ClaimCandidate, ClaimKind
    from factdesk.importers import read_text

    rng = random.Random(seed)
    sizes = article_sizes(n_claims)
    tenth = max(1, n_claims // 10)
    tenths: list[float] = []
    t0 = t_mark = time.perf_counter()
    done = 0
    for a, size in enumerate(sizes):
        lines = [sentence(rng, done + i) for i in range(size)]
        if a == len(sizes) // 2:
            lines[7] = lines[7].replace("case", f"{RARE} case")
        head = f"Article {a}\n"
        text = head + "\n".join(lines)
        cands, pos = [], len(head)
        for i, line in enumerate(lines):
            who = line.split(" ", 2)[1]
            score = SCORES[(done + i) * 7 % len(SCORES)]
            cands.append(
                ClaimCandidate(pos, pos + len(line), line, score, True, ClaimKind.STATISTIC, who)
            )
            pos += len(line) + 1
        ws.add_document(read_text(text, title=f"Article {a}"), candidates=cands)
        before, done = done, done + size
        if done // tenth > before // tenth:
            now = time.perf_counter()
            tenths.append(now - t_mark)
            t_mark = now
            print(
                f"  {done:,} claims: tenth {tenths[-1]:.1f} s, "
                f"{tenth / tenths[-1]:,.0f} claims/s, load average {os.getloadavg()[0]:.1f}",
                file=sys.stderr,
                flush=True,
            )
    return time.perf_counter() - t0, tenths


def median_ms(
    fn: Callable[[], object], n: int = 15, clock: Callable[[], float] = time.perf_counter
) -> float:
    fn()  # warm the page cache and statement cache
    times = []
    for _ in range(n):
        t = clock()
        fn()
        times.append(clock() - t)
    return statistics.median(times) * 1000


# timed from after the imports: they take 0.3-1.2 s here whatever the board's size
WINDOW_READY = """
import sys, time
from factdesk.services import Workspace
t = time.perf_counter()
ws = Workspace.open(sys.argv[1], plaintext=True, create=False)
if hasattr(ws, "board_counts"):  # the window lists a page of articles and reads the counts
    newest = ws.list_articles(limit=100)[0]
    ws.board_counts()
else:
    newest = ws.list_articles()[0]
ws.article(newest.id)
if hasattr(ws, "claims_page"):
    ws.claims_page(newest.id, include_dismissed=True)
else:
    ws.claims(newest.id, include_dismissed=True)
print(time.perf_counter() - t)
"""


# the real window (offscreen) on the board: from asking it to open the board to the newest
# article's first page of claims in the table, and to every claim of it painted in the article
WINDOW_SHOWN = """
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from factdesk.gui import create_window
import factdesk.services, sqlalchemy  # imports are not the board's cost
app = QApplication([])
t = time.perf_counter()
marks = []
def opener(prompt):
    from factdesk.services import Workspace
    return Workspace.open(sys.argv[1], plaintext=True, create=False)
window = create_window(opener, detector=False)
window.show()
def poll():
    claims = window.claims
    if not marks and claims.model.rowCount():
        marks.append(time.perf_counter() - t)
    if marks and claims.model.knows_all():
        marks.append(time.perf_counter() - t)
        print(*marks, flush=True)
        os._exit(0)
timer = QTimer()
timer.timeout.connect(poll)
timer.start(2)
app.exec()
"""


def window_shown_ms(board: Path, home: Path, n: int = 5) -> tuple[float, float]:
    env = {**os.environ, "FACTDESK_HOME": str(home)}
    runs = [
        [
            float(v)
            for v in subprocess.run(
                [sys.executable, "-c", WINDOW_SHOWN, str(board)],
                check=True,
                capture_output=True,
                text=True,
                env=env,
                timeout=300,
            ).stdout.split()
        ]
        for _ in range(n)
    ]
    return (
        statistics.median(r[0] for r in runs) * 1000,
        statistics.median(r[1] for r in runs) * 1000,
    )


def window_ready_ms(board: Path, home: Path, n: int = 5) -> float:
    env = {**os.environ, "FACTDESK_HOME": str(home)}
    times = [
        float(
            subprocess.run(
                [sys.executable, "-c", WINDOW_READY, str(board)],
                check=True,
                capture_output=True,
                text=True,
                env=env,
            ).stdout
        )
        for _ in range(n)
    ]
    return statistics.median(times) * 1000


def measure(ws: Any, board: Path | None, home: Path) -> dict[str, float]:
    articles = ws.list_articles()
    newest = articles[0]
    middle = articles[len(articles) // 2]
    claims = ws.claims(middle.id)
    out: dict[str, float] = {}
    statuses = iter(["verified", "disputed"] * 100)
    picks = iter(claims[::7])
    out["status change"] = median_ms(
        lambda: ws.set_status(next(picks).id, next(statuses), "benchmark"), 20
    )
    for label, query in QUERIES.items():
        out[f"search, {label}"] = median_ms(lambda q=query: ws.search(q))
    if hasattr(ws, "claims_page"):
        from factdesk.services.claims import table_key

        # the page the window asks for when the table is scrolled: the next 200 in the table's
        # order, dismissed claims included; its CPU time too (on a loaded machine the wall
        # clock mostly measures the wait for a core: 2.9 ms CPU took 9-12 ms at load 9)
        in_order = sorted(ws.claims(middle.id, include_dismissed=True), key=table_key)

        def page() -> object:
            return ws.claims_page(middle.id, after=in_order[150], include_dismissed=True)

        out["page of 200 claims"] = median_ms(page, 30)
        out["page of 200 claims (CPU)"] = median_ms(page, 30, time.process_time)
        out["article's counts"] = median_ms(lambda: ws.article_counts(middle.id))
    else:
        out["page of 200 claims"] = median_ms(lambda: ws.claims(middle.id)[250:450])
        out["article's counts"] = median_ms(
            lambda: next(a for a in ws.list_articles() if a.id == middle.id)
        )
    try:
        from factdesk.services.claims import table_key
    except ImportError:  # the code before the priority-ordered pages
        pass
    else:
        newest_claims = sorted(ws.claims(newest.id), key=table_key)
        deep = newest_claims[len(newest_claims) * 3 // 5]
        out["page of 200, deep in the newest article"] = median_ms(
            lambda: ws.claims_page(newest.id, after=deep, include_dismissed=True)
        )
    out["article list (all)"] = median_ms(ws.list_articles, 7)
    if hasattr(ws, "board_counts"):
        out["article list, first page + counts"] = median_ms(
            lambda: (ws.list_articles(limit=100), ws.board_counts()), 15
        )
    out["newest article + its claims"] = median_ms(
        lambda: (ws.article(newest.id), ws.claims(newest.id, include_dismissed=True)), 7
    )
    if board is not None:
        out["window ready (fresh process, after imports)"] = window_ready_ms(board, home)
        first, whole = window_shown_ms(board, home)
        out["window: first page of claims shown"] = first
        out["window: whole article painted"] = whole
    return out


def table(
    results: dict[int, dict[str, float]], builds: dict[int, tuple[float, list[float]]]
) -> None:
    sizes = sorted(results)
    base = sizes[0]
    head = f"{'cost (ms, median)':32}" + "".join(f"{n:>12,}" for n in sizes)
    head += "".join(f"{f'x at {n:,}':>14}" for n in sizes[1:])
    print(head)
    for key in results[base]:
        row = f"{key:32}" + "".join(f"{results[n].get(key, float('nan')):12.2f}" for n in sizes)
        row += "".join(f"{results[n][key] / results[base][key]:14.2f}" for n in sizes[1:])
        print(row)
    for n in sizes:
        total, tenths = builds[n]
        print(
            f"build {n:,} claims: {total:.0f} s ({n / total:,.0f} claims/s; first tenth "
            f"{tenths[0]:.1f} s, last tenth {tenths[-1]:.1f} s)"
        )


def bench_sqlite(sizes: list[int], root: Path, boards: Path | None, build_only: bool) -> None:
    from factdesk.services import Workspace

    results: dict[int, dict[str, float]] = {}
    builds: dict[int, tuple[float, list[float]]] = {}
    for n in sizes:
        board = (boards or root) / f"board-{n}.fdb"
        done = board.with_suffix(".build.json")
        if boards is not None and done.exists():
            builds[n] = tuple(json.loads(done.read_text()))  # type: ignore[assignment]
            print(f"reusing {board} (built in {builds[n][0]:.0f} s)", file=sys.stderr)
        else:
            for stale in board.parent.glob(board.name + "*"):
                stale.unlink()  # a build cut short: start again
            print(f"building {n:,} claims into {board}", file=sys.stderr, flush=True)
            with Workspace.open(board, home=root, plaintext=True) as ws:
                builds[n] = build(ws, n)
            done.write_text(json.dumps(builds[n]))
            print(f"built {n:,} claims in {builds[n][0]:.0f} s", file=sys.stderr, flush=True)
        if build_only:
            continue
        with Workspace.open(board, home=root, plaintext=True) as ws:
            results[n] = measure(ws, board, root)
        results[n]["file size (MB)"] = board.stat().st_size / 1e6
        print(f"measured {n:,}: {results[n]}", file=sys.stderr, flush=True)
        if boards is None:
            board.unlink()
        table(results, builds)


def bench_pg(sizes: list[int], root: Path, rounds: int = 5) -> None:
    """The same costs on team boards: one throw-away PostgreSQL server, a database per size.

    The boards are measured in turn, `rounds` times, and each cost is the median of its rounds:
    the server shares the machine's two cores, so load that comes and goes hits every size alike.
    """
    import psycopg

    from factdesk.services import Workspace

    server = start_postgres(root)
    builds: dict[int, tuple[float, list[float]]] = {}
    boards: dict[int, Any] = {}
    for n in sizes:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE board_{n}")
        print(f"building {n:,} claims on PostgreSQL", file=sys.stderr, flush=True)
        ws = boards[n] = Workspace.open(f"{server}/board_{n}")
        builds[n] = build(ws, n)
        with ws._ctx.board.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")  # what autovacuum does soon after a bulk load
    measured: dict[int, list[dict[str, float]]] = {n: [] for n in sizes}
    for r in range(rounds):
        for n, ws in boards.items():
            measured[n].append(measure(ws, None, root))
        print(f"round {r + 1} of {rounds}, load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
    for ws in boards.values():
        ws.close()
    results = {
        n: {key: statistics.median(m[key] for m in runs) for key in runs[0]}
        for n, runs in measured.items()
    }
    print(f"PostgreSQL boards (a local server), medians of {rounds} rounds taken in turn")
    table(results, builds)


def start_postgres(root: Path) -> str:
    """A throw-away server like the test fixture's (tests/conftest.py); returns its URL without
    a database (postgresql://factdesk@127.0.0.1:PORT), stopped when the benchmark ends."""
    import shutil
    import socket

    pg_bin = next(
        p
        for p in ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin"]
        if Path(p, "initdb").exists()
    )
    data = Path(tempfile.mkdtemp(prefix="factdesk-pg-")) / "data"
    data.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:
        data.parent.chmod(0o755)
        shutil.chown(data, "nobody")
        as_user = ["runuser", "-u", "nobody", "--"]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    subprocess.run(
        [
            *as_user,
            f"{pg_bin}/initdb",
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "factdesk",
            "-E",
            "UTF8",
        ],
        check=True,
        capture_output=True,
    )
    opts = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        [
            *as_user,
            f"{pg_bin}/pg_ctl",
            "-D",
            str(data),
            "-o",
            opts,
            "-l",
            f"{data}/log",
            "-w",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    import atexit

    atexit.register(
        subprocess.run,
        [*as_user, f"{pg_bin}/pg_ctl", "-D", str(data), "-m", "immediate", "stop"],
        capture_output=True,
    )
    return f"postgresql://factdesk@127.0.0.1:{port}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument(
        "--pg", default="", metavar="SIZES", help="the same on PostgreSQL boards (10000,100000)"
    )
    parser.add_argument("--boards", type=Path, help="keep the boards here and reuse them")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    os.environ["FACTDESK_HOME"] = str(root)
    import factdesk

    print(f"factdesk from {Path(factdesk.__file__).parent}")
    if args.sizes:
        sizes = [int(n) for n in args.sizes.split(",")]
        bench_sqlite(sizes, root, args.boards, args.build_only)
    if args.pg:
        bench_pg([int(n) for n in args.pg.split(",")], root)


if __name__ == "__main__":
    main()
