"""Verify benchmark (on demand): `board verify` on an encrypted, sealed board of N claims (default
100,000), timed in a fresh process with its peak memory; then many random honest sessions (the
state machine of tests/core/test_verify.py) with 0 false alarms expected. Prints figures.

    python tests/benchmarks/bench_verify.py [N_CLAIMS] [--sessions 1000] [--board DIR]
        [--baseline SRC] [--runs 3] [--cold]

`--baseline SRC` also times the verify of another source tree (e.g. `git archive main factdesk |
tar -x -C /tmp/base`), alternating runs with this one, so before/after come from one run.
`--board DIR` verifies a board built elsewhere (DIR/board.fdb with DIR/keyring.json), or
`--board FILE.fdb` a board file (plaintext, as bench_scale.py builds them in /work/bench).
With `--baseline`, each tree verifies its own copy of the board, made under `--copies DIR`
(default /tmp/factdesk-bench-verify-copies) and opened once before the timed runs: a newer tree
may raise the board's schema on open, which the older one then refuses to open.
`--cold` evicts the board file from the OS cache before each run (as after a restart: the file's
pages then come from the disk), so the disk's part is measured too.

The board is built through the services with search indexing switched off (the scale issue owns
its cost); the board, its key and its chain secret are kept under /tmp/factdesk-bench-verify-N.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from keyring.backend import KeyringBackend

ROOT = Path(__file__).resolve().parents[2]


class FileKeyring(KeyringBackend):
    """A keyring in a JSON file beside the benchmark board (so a fresh process finds the key)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def _all(self) -> dict[str, str]:
        return json.loads(self.path.read_text()) if self.path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._all().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._all()
        data[f"{service}/{username}"] = password
        self.path.write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._all()
        data.pop(f"{service}/{username}", None)
        self.path.write_text(json.dumps(data))


def _use_keyring(work: Path) -> None:
    import keyring

    keyring.set_keyring(FileKeyring(work / "keyring.json"))


def build(work: Path, n_claims: int) -> Path:
    from factdesk.domain import ClaimCandidate, ClaimKind
    from factdesk.importers import read_text
    from factdesk.services import Workspace
    from factdesk.store import search

    board = work / "board.fdb"
    if board.exists():
        return board
    search.sync = lambda *a, **k: None  # type: ignore[assignment]
    sentence = "The ministry said exports rose by {n} percent in the year to March."
    per = 500
    t = time.perf_counter()
    with Workspace.open(board, home=work / "home") as ws:
        for a in range(n_claims // per):
            lines = [sentence.format(n=a * per + i) for i in range(per)]
            text = f"Article {a}\n" + "\n".join(lines)
            cands, pos = [], len(f"Article {a}\n")
            for line in lines:
                cands.append(
                    ClaimCandidate(
                        pos, pos + len(line), line, 0.9, True, ClaimKind.STATISTIC, "the ministry"
                    )
                )
                pos += len(line) + 1
            art = ws.add_document(read_text(text, title=f"Article {a}"), candidates=cands).value
            claims = ws.claims(art.id)
            for c in claims[:10]:
                ws.set_status(c.id, "verified", "Customs data confirm it.")
            ws.attach_note(claims[0].id, "Called the ministry.")
            ws.attach_bytes(claims[1].id, f"source {a}".encode() * 1000, f"s{a}.txt")
    print(f"built {n_claims:,} claims in {time.perf_counter() - t:.0f} s")
    return board


def verify_here(board: Path) -> None:
    """Runs in a fresh process: open, verify with progress, print one JSON line."""
    from factdesk.services import Workspace

    calls = []
    with Workspace.open(board, home=board.parent / "home", create=False) as ws:
        t, cpu = time.perf_counter(), time.process_time()
        main = time.thread_time()
        report = ws.verify(lambda done, total: calls.append(done))
        took, cpu = time.perf_counter() - t, time.process_time() - cpu
        main = time.thread_time() - main
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": round(took, 2),
                "cpu": round(cpu, 2),
                "main_cpu": round(main, 2),
                "peak_mb": round(peak),
                "events": report.events_checked,
                "problems": len(report.problems),
                "progress_calls": len(calls),
            }
        )
    )


def sessions(n: int) -> None:
    import tempfile

    import keyring
    from hypothesis import HealthCheck, settings
    from hypothesis.stateful import run_state_machine_as_test

    sys.path.insert(0, str(ROOT))
    from tests.conftest import MemoryKeyring
    from tests.core.test_verify import HonestSessions

    keyring.set_keyring(MemoryKeyring())
    os.environ["FACTDESK_HOME"] = tempfile.mkdtemp()
    t = time.perf_counter()
    run_state_machine_as_test(
        HonestSessions,
        settings=settings(
            max_examples=n,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    print(
        f"{n} random honest sessions (up to 20 steps, verify after each): 0 false alarms, "
        f"{time.perf_counter() - t:.0f} s"
    )


def _evict(board: Path) -> None:
    """Drop the board file's pages from the OS cache (Linux; its own pages only)."""
    fd = os.open(board, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def _copy(board: Path, dest: Path) -> Path:
    """A copy of `board` (and its WAL) as dest/board.fdb, with an empty keyring beside it."""
    import shutil

    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for suffix in ("", "-wal"):
        src = Path(str(board) + suffix)
        if src.exists():
            shutil.copyfile(src, str(dest / "board.fdb") + suffix)
    keys = board.parent / "keyring.json"
    if keys.exists() and board.name == "board.fdb":
        shutil.copyfile(keys, dest / "keyring.json")
    return dest


def main(argv: list[str]) -> None:
    if argv and argv[0] == "--verify-child":
        work = Path(argv[1])
        _use_keyring(work)
        verify_here(work / "board.fdb")
        return
    cold = "--cold" in argv
    if cold:
        argv.remove("--cold")
    opts = {
        "--sessions": "1000",
        "--board": "",
        "--baseline": "",
        "--runs": "3",
        "--copies": "/tmp/factdesk-bench-verify-copies",
    }
    for name in opts:
        if name in argv:
            i = argv.index(name)
            opts[name] = argv[i + 1]
            del argv[i : i + 2]
    n_sessions = int(opts["--sessions"])
    n_claims = int(argv[0]) if argv else 100_000
    work = Path(opts["--board"] or f"/tmp/factdesk-bench-verify-{n_claims}")
    if not opts["--board"]:
        work.mkdir(exist_ok=True)
        _use_keyring(work)
        build(work, n_claims)
    trees: dict[str, str | None] = {"this tree": None}
    if opts["--baseline"]:
        trees = {"baseline": opts["--baseline"], **trees}
    source = work / "board.fdb" if work.is_dir() else work
    places = {name: work for name in trees}
    if opts["--baseline"] or not work.is_dir():
        places = {
            name: _copy(source, Path(opts["--copies"]) / name.replace(" ", "-")) for name in trees
        }

    def verify_in(name: str) -> dict[str, Any]:
        src = trees[name]
        env = dict(os.environ)
        if src:
            env["PYTHONPATH"] = src  # its factdesk package before the installed one
        out = subprocess.run(
            [sys.executable, __file__, "--verify-child", str(places[name])],
            capture_output=True,
            text=True,
            check=True,
            cwd=src or ROOT,
            env=env,
        ).stdout
        return dict(json.loads(out.strip().splitlines()[-1]))

    if places[next(iter(trees))] != work:
        for name in trees:
            verify_in(name)  # the first open may upgrade the schema, seal, back up: not timed
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in trees}
    for _ in range(int(opts["--runs"])):
        for name in trees:
            if cold:
                _evict(places[name] / "board.fdb")
            runs[name].append(verify_in(name))
    size = source.stat().st_size / 1e6
    for name, got in runs.items():
        if not got:
            continue
        best = min(got, key=lambda r: r["cpu"])
        print(
            f"{name}: verify {best['events']:,} events ({size:.0f} MB file): wall "
            f"{', '.join(str(r['seconds']) for r in got)} s, CPU "
            f"{', '.join(str(r['cpu']) for r in got)} s (main thread "
            f"{', '.join(str(r['main_cpu']) for r in got)} s; the rest ran beside it: the page "
            f"check, and this tree's scan of the live rows), peak {max(r['peak_mb'] for r in got)} MB, {best['problems']} problems, "
            f"{best['progress_calls']} progress calls; load average {os.getloadavg()[0]:.1f}"
            + ("; cold OS cache" if cold else "")
        )
    if n_sessions:
        sessions(n_sessions)


if __name__ == "__main__":
    main(sys.argv[1:])
