"""Benchmark: migration 0015 (each claim's tier ranked in its article and stored) on a copy of a
big board, and `board verify` on it after, beside verify on the board before. On demand:

    python tests/benchmarks/bench_migration_0015.py /work/bench/board-100000.fdb [--baseline SRC]

The board is copied first (opening migrates it). `--baseline SRC`: a checkout of the code before
(git archive main | tar -x -C SRC), whose verify runs on an unmigrated copy in the same run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VERIFY = """
import sys, time
from factdesk.services import Workspace
with Workspace.open(sys.argv[1], plaintext=True, create=False) as ws:
    t = time.perf_counter(); ok = ws.verify().ok; print(f"{time.perf_counter() - t:.2f} {ok}")
"""


def verify(board: Path, src: Path | None, home: Path) -> str:
    env = {**os.environ, "FACTDESK_HOME": str(home)}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    out = subprocess.run(
        [sys.executable, "-c", VERIFY, str(board)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=tempfile.gettempdir(),
    )
    return out.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("board", type=Path)
    parser.add_argument("--baseline", type=Path)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-0015-"))
    home = root / "home"
    os.environ["FACTDESK_HOME"] = str(home)
    before, after = root / "before.fdb", root / "after.fdb"
    shutil.copy(args.board, before)
    shutil.copy(args.board, after)
    from factdesk.services import Workspace
    from factdesk.store import migrate

    spent: dict[str, float] = {}
    upgrade = migrate.upgrade

    def timed_upgrade(engine, backup):  # type: ignore[no-untyped-def]
        def timed_backup(current):  # type: ignore[no-untyped-def]
            t0 = time.perf_counter()
            backup(current)
            spent["backup"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        head = upgrade(engine, timed_backup)
        spent["upgrade"] = time.perf_counter() - t0
        return head

    migrate.upgrade = timed_upgrade  # type: ignore[assignment]
    t = time.perf_counter()
    with Workspace.open(after, plaintext=True, create=False) as ws:
        opened = time.perf_counter() - t
        assert ws.info().schema_revision == migrate.HEAD
        claims = ws.board_counts()
    backups = list(home.rglob("*.fdb"))
    migration = spent["upgrade"] - spent["backup"]
    print(
        f"{args.board.name}: {claims} (articles, claims); opened in {opened:.1f} s: the backup "
        f"copy {spent['backup']:.1f} s ({len(backups)} file), migration 0015 {migration:.1f} s"
    )
    if args.baseline is not None:
        print(f"verify before (the old code, schema 0014): {verify(before, args.baseline, home)}")
    print(f"verify after (this code, schema 0015): {verify(after, None, home)}")
    shutil.rmtree(root)


if __name__ == "__main__":
    main()
