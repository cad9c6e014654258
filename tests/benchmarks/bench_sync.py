"""Sync benchmark (on demand): a laptop board's new work to a big team board, a sync with nothing to
do, a brand-new laptop bringing the whole team board down, and SIGKILLs at random points of a sync
followed by a resumed one.

    python tests/benchmarks/bench_sync.py [--server-claims 100000] [--claims 1000] [--files 200]
        [--kills 20] [--pg-port PORT] [--parts push,new,kills]

The team board is built once (through the services' import path, bench_scale.build) as the
database `sync_template_N` and copied for each run (CREATE DATABASE ... TEMPLATE), so a second run
starts in seconds. Give --pg-port of a running server (user factdesk, trust on loopback) to keep the
template between runs; without it a throw-away server is started (bench_scale.start_postgres).
The laptop starts as a laptop that synced with that team board before: its position is the team
board's head, and its new work (articles with --claims claims, --files evidence files of 100 kB)
is what this sync sends. Laptop boards are SQLCipher files (passphrase key).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.bench_scale import build, sentence, start_postgres

PASSPHRASE = "bench sync passphrase"
CHILD = """
import sys
from factdesk import cli
sys.exit(cli.run(sys.argv[1:]))
"""
# the kill test's child: small batches, so that a sync has many places to be killed in
KILL_CHILD = """
import sys
from factdesk.store import sync
sync.BATCH = 20
from factdesk import cli
sys.exit(cli.run(sys.argv[1:]))
"""


def admin(port: int) -> Any:
    import psycopg

    return psycopg.connect(
        f"host=127.0.0.1 port={port} user=factdesk dbname=postgres", autocommit=True
    )


def exists(port: int, name: str) -> bool:
    with admin(port) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()


def fresh_db(port: int, name: str, template: str | None = None) -> str:
    with admin(port) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
    return f"postgresql://factdesk@127.0.0.1:{port}/{name}"


def team_template(port: int, n: int) -> str:
    from factdesk.services import Workspace

    name = f"sync_template_{n}"
    if exists(port, name):
        return name
    url = fresh_db(port, name + "_building")
    t0 = time.perf_counter()
    with Workspace.open(url, actor="desk") as ws:
        build(ws, n, seed=7)
        engine = ws._ctx.board.engine
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    with admin(port) as conn:
        conn.execute(f"ALTER DATABASE {name}_building RENAME TO {name}")
    print(f"built the team board template ({n:,} claims) in {time.perf_counter() - t0:.0f} s")
    return name


def laptop_work(path: Path, n_claims: int, n_files: int, seed: int = 3) -> None:
    """New work on a laptop board: articles of 100 claims, some verdicts, evidence files."""
    from factdesk.domain import ClaimCandidate, ClaimKind
    from factdesk.importers import read_text
    from factdesk.services import Workspace

    rng = random.Random(seed)
    claims: list[str] = []
    with Workspace.open(path, actor="ana") as ws:
        for a in range(max(1, n_claims // 100)):
            lines = [sentence(rng, 10_000_000 + a * 100 + i) for i in range(100)]
            head = f"Laptop article {a}\n"
            cands, pos = [], len(head)
            for line in lines:
                cands.append(
                    ClaimCandidate(pos, pos + len(line), line, 0.9, True, ClaimKind.STATISTIC, "")
                )
                pos += len(line) + 1
            doc = read_text(head + "\n".join(lines), title=f"Laptop article {a}")
            article = ws.add_document(doc, candidates=cands).value
            claims += [c.id for c in ws.claims(article.id)]
        for i, claim_id in enumerate(claims[: n_claims // 10]):
            ws.set_status(claim_id, ("verified", "disputed")[i % 2], f"checked {i}")
        for i in range(n_files):
            ws.attach_bytes(claims[i % len(claims)], rng.randbytes(100_000), f"evidence-{i}.pdf")


def joined_at_head(path: Path, url: str) -> None:
    """Make the laptop one that synced with the team board before: its position is the head."""
    from factdesk.services import Workspace
    from factdesk.store.sync import _save_peer, _writing

    with Workspace.open(url) as team:
        server = team._ctx.board
        server_id = server.meta("board_id") or ""
        with server.reading() as session:
            from factdesk.store import schema as s

            head = session.get(s.ChainHead, 1)
            seq = head.seq if head else 0
    with Workspace.open(path) as ws, _writing(ws._ctx.board) as (session, _head):
        _save_peer(session, server_id, url, pulled_seq=seq, pushed_seq=0)


def state(ws: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for art in ws.list_articles():
        for c in ws.claims(art.id, include_dismissed=True):
            ev = sorted(
                (e.evidence.attachment.sha256 if e.evidence.attachment else e.evidence.url)
                for e in ws.evidence(c.id)
            )
            out[c.id] = (c.status.value, c.explanation, c.dismissed, tuple(ev))
    return out


def bench_big(port: int, root: Path, n_server: int, n_claims: int, n_files: int) -> None:
    from factdesk.services import Workspace

    template = team_template(port, n_server)
    t0 = time.perf_counter()
    url = fresh_db(port, "sync_bench", template)
    print(f"team board copied from the template in {time.perf_counter() - t0:.1f} s")
    laptop = root / "laptop.fdb"
    t0 = time.perf_counter()
    laptop_work(laptop, n_claims, n_files)
    print(f"laptop work made in {time.perf_counter() - t0:.0f} s")
    joined_at_head(laptop, url)
    with Workspace.open(laptop, actor="ana") as ws:
        waiting = ws.sync_status().to_send
        ticks: list[float] = []
        t0 = time.perf_counter()
        report = ws.sync(progress=lambda *_: ticks.append(time.perf_counter() - t0))
        took = time.perf_counter() - t0
        print(
            f"sync to a team board of {n_server:,} claims: {took:.1f} s (target 30 s) for "
            f"{waiting} actions = {report.pushed} events, {report.blobs_sent} files, "
            f"{report.bytes_sent / 1e6:.1f} MB; {len(ticks)} progress reports, "
            f"the first after {ticks[0] if ticks else 0:.2f} s"
        )
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            again = ws.sync()
            times.append(time.perf_counter() - t0)
            assert not again.moved
        print(
            f"sync with nothing to do: median {sorted(times)[2] * 1000:.0f} ms, "
            f"max {max(times) * 1000:.0f} ms (target 1 s)"
        )
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "--board", str(laptop), "sync"],
        capture_output=True,
        text=True,
    )
    print(
        f"`factdesk sync` with nothing to do, whole process: {time.perf_counter() - t0:.2f} s: "
        f"{done.stdout.strip()}"
    )


def bench_new_laptop(port: int, root: Path, n_server: int) -> None:
    """A journalist joining the desk: `factdesk --board new.fdb sync URL` makes an (encrypted)
    board and brings the whole team board down, in one process as a person runs it."""
    from factdesk.services import Workspace

    template = team_template(port, n_server)
    url = fresh_db(port, "sync_new_laptop", template)
    with Workspace.open(url) as team:
        n_events = team.info().n_events
    board = root / "new-laptop.fdb"
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "--board", str(board), "sync", url],
        capture_output=True,
        text=True,
    )
    took = time.perf_counter() - t0
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if "receiving" in line]
    print(
        f"new laptop, first sync from a team board of {n_server:,} claims ({n_events:,} events): "
        f"{took:.1f} s, whole process; {len(lines)} progress lines; "
        f"board file {board.stat().st_size / 1e6:.0f} MB; {done.stdout.strip()}"
    )
    with Workspace.open(board) as ws:
        info = ws.info()
        t0 = time.perf_counter()
        ok = ws.verify().ok
        print(
            f"  the new board: {info.n_claims:,} claims, {info.n_events:,} events, encrypted "
            f"{info.encrypted}, verify {'ok' if ok else 'FAILED'} ({time.perf_counter() - t0:.0f} s)"
        )
        t0 = time.perf_counter()
        again = ws.sync()
        print(f"  its next sync: {'nothing moved' if not again.moved else again} "
              f"in {time.perf_counter() - t0:.2f} s")  # fmt: skip


def killed_sync(board: Path, url: str, rng: random.Random, *args: str) -> str:
    """Run `factdesk sync` and SIGKILL it at a random point inside the sync: after a random
    one of its progress lines (printed per batch) plus a random fraction of a second."""
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_CHILD, "--board", str(board), *args, "sync", url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    target, delay = rng.randint(1, 8), rng.uniform(0, 0.25)
    lines = 0
    for _line in proc.stderr:
        lines += 1
        if lines >= target:
            time.sleep(delay)
            break
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        return f"killed after line {lines} + {delay:.2f} s"
    proc.wait()
    return "had finished"


def bench_kills(port: int, root: Path, kills: int, n_claims: int, n_files: int) -> None:
    from factdesk.services import Workspace

    source = root / "kill-source.fdb"
    laptop_work(source, n_claims, n_files, seed=11)
    reference_url = fresh_db(port, "sync_reference")
    ref = root / "reference.fdb"
    shutil.copy(source, ref)
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", CHILD, "--board", str(ref), "sync", reference_url], check=True,
        capture_output=True,
    )  # fmt: skip
    whole = time.perf_counter() - t0
    with Workspace.open(reference_url) as team:
        expected = state(team)
    print(
        f"kill test: {len(expected)} claims, {n_files} files; an uninterrupted "
        f"`factdesk sync` takes {whole:.1f} s (process start included)"
    )
    rng = random.Random(20)
    bad = killed = 0
    for k in range(kills):
        url = fresh_db(port, "sync_killed")
        ana, ben = root / f"ana-{k}.fdb", root / f"ben-{k}.fdb"
        shutil.copy(source, ana)
        push_killed = killed_sync(ana, url, rng)
        with Workspace.open(ana, actor="ana") as ws:
            ok_a = ws.verify().ok
            ws.sync(url)
        pull_killed = killed_sync(ben, url, rng, "--plaintext")
        with Workspace.open(ben, actor="ben", plaintext=True) as ws:
            ok_b = ws.verify().ok
            ws.sync(url)
            got_b = state(ws)
        with Workspace.open(ana) as wa, Workspace.open(url) as team:
            got_a, got_t = state(wa), state(team)
            ok_t = team.verify().ok
            events = team.info().n_events
        killed += push_killed.startswith("killed") + pull_killed.startswith("killed")
        same = got_a == got_b == got_t == expected
        bad += not (same and ok_a and ok_b and ok_t)
        print(
            f"  kill {k + 1:2}: push {push_killed}, pull {pull_killed}: verify "
            f"{'ok' if ok_a and ok_b and ok_t else 'FAILED'}, {len(got_t)} claims, "
            f"{sum(len(v[3]) for v in got_t.values())} evidence, {events} team events, "
            f"{'same as uninterrupted' if same else 'DIFFERENT'}"
        )  # fmt: skip
        for p in (ana, ben):
            for suffix in ("", "-wal", "-shm"):
                Path(str(p) + suffix).unlink(missing_ok=True)
    print(f"kill test: {kills - bad} of {kills} runs consistent and complete after resuming")
    print(f"kill test: {killed} of {2 * kills} syncs were killed inside the sync")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server-claims", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--kill-claims", type=int, default=300)
    parser.add_argument("--kill-files", type=int, default=30)
    parser.add_argument("--pg-port", type=int, default=0)
    parser.add_argument("--parts", default="push,new,kills", help="which benchmarks to run")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    os.environ["FACTDESK_HOME"] = str(root / "home")
    os.environ["FACTDESK_PASSPHRASE"] = PASSPHRASE
    # the laptop boards take the passphrase (the same in the child processes), not a keyring
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    port = args.pg_port or int(start_postgres(root).rsplit(":", 1)[1].split("/")[0])
    parts = set(args.parts.split(","))
    if args.server_claims and "push" in parts:
        bench_big(port, root, args.server_claims, args.claims, args.files)
    if args.server_claims and "new" in parts:
        bench_new_laptop(port, root, args.server_claims)
    if args.kills and "kills" in parts:
        bench_kills(port, root, args.kills, args.kill_claims, args.kill_files)


if __name__ == "__main__":
    main()
