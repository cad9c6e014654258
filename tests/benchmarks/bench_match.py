"""Benchmark: claim matching measured from outside, as the held-out test is. Run on demand:

    python tests/benchmarks/bench_match.py [--scale 300000] [--skip-quality]

Quality: imports ../shared/eval/matching_vclaims.tsv with `factdesk factchecks import` into a fresh
board, pipes the dev (and train) tweets through `factdesk match --top 5` on stdin and prints strict
MAP@5 (only the listed vclaim counts; see the eval README: about 0.09 is lost to duplicate vclaims).
The first `match` computes every vector (its stderr progress gives the embedding rate).
Scale: imports N synthetic fact-checks (CSV) into another board and prints the import time and
peak memory of that process, then the median latency of one lexical + dense match over the
vclaims board (vectors for N synthetic texts would take hours on 2 cores; see the note).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

EVAL = next(
    (
        p / "shared" / "eval"
        for p in Path(__file__).resolve().parents
        if (p / "shared" / "eval").is_dir()
    ),
    Path("../shared/eval"),
)


def factdesk(home: Path, *args: str, stdin: str | None = None) -> tuple[str, str, float, int]:
    """(stdout, stderr, seconds, peak RSS in MB) of one factdesk command in a fresh process."""
    env = {**os.environ, "FACTDESK_HOME": str(home)}
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    done = subprocess.run(
        [sys.executable, "-m", "factdesk", "--plaintext", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode != 0:
        raise SystemExit(f"factdesk {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout, done.stderr, elapsed, max(peak, before) // 1024


def read_queries(path: Path) -> tuple[list[str], list[str], dict[str, set[str]]]:
    ids: list[str] = []
    texts: dict[str, str] = {}
    gold: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["query_id"] not in texts:
                ids.append(row["query_id"])
            texts[row["query_id"]] = row["query_text"]
            gold[row["query_id"]].add(row["vclaim_id"])
    return ids, [texts[i] for i in ids], gold


def map_at_5(ids: list[str], output: str, gold: dict[str, set[str]]) -> float:
    rows = output.split("\n")[: len(ids)]
    assert len(rows) == len(ids), "one output line per query"
    total = 0.0
    for qid, row in zip(ids, rows, strict=True):
        ranked = row.split("\t") if row else []
        hits, ap = 0, 0.0
        for k, ref in enumerate(ranked[:5], 1):
            if ref in gold[qid]:
                hits += 1
                ap += hits / k
        total += ap / min(len(gold[qid]), 5)
    return total / len(ids)


def quality(work: Path) -> None:
    home = work / "quality"
    out, _, secs, _ = factdesk(home, "factchecks", "import", str(EVAL / "matching_vclaims.tsv"))
    print(f"import of 10,375 vclaims: {secs:.1f} s -> {out.strip()}")
    for split in ("dev", "train"):
        ids, texts, gold = read_queries(EVAL / f"matching_{split}.tsv")
        stdin = "\n".join(" ".join(t.split()) for t in texts) + "\n"
        out, err, secs, _ = factdesk(home, "match", "--top", "5", stdin=stdin)
        if "computing sentence vectors" in err:
            print(f"first match computed every vector: {secs:.0f} s including {len(ids)} queries")
        print(
            f"{split}: MAP@5 (strict) {map_at_5(ids, out, gold):.4f} over {len(ids)} queries; "
            f"{secs:.1f} s for the command ({1000 * secs / len(ids):.0f} ms a query incl. start-up)"
        )


def scale(work: Path, n: int) -> None:
    home = work / "scale"
    path = work / f"synthetic-{n}.csv"
    rng = random.Random(12)
    words = [f"w{i}" for i in range(20000)] + ["the", "vaccine", "mayor", "said", "rise", "percent"]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["claim", "rating", "url", "publisher", "date"])
        for i in range(n):
            claim = " ".join(rng.choice(words) for _ in range(rng.randint(8, 25)))
            w.writerow(
                [claim, "False", f"https://synthetic.example/{i}", "Synthetic", "2024-01-01"]
            )
    out, _, secs, peak = factdesk(home, "factchecks", "import", str(path))
    print(
        f"import of {n:,} synthetic fact-checks: {secs:.1f} s, peak RSS {peak} MB ({out.strip()})"
    )
    out, _, secs, _ = factdesk(home, "factchecks", "import", str(path))
    print(f"re-import of the same file (all unchanged): {secs:.1f} s")


def latency(work: Path) -> None:
    home = work / "quality"
    _ids, texts, _ = read_queries(EVAL / "matching_dev.tsv")
    code = (
        "import time, statistics, sys\n"
        "from factdesk.services import Workspace\n"
        "ws = Workspace.open()\n"
        "m = ws.matcher(); m.refresh()\n"
        "lines = sys.stdin.read().splitlines()\n"
        "times = []\n"
        "for t in lines:\n"
        "    s = time.perf_counter(); m.match_text(t, 5); times.append(time.perf_counter() - s)\n"
        "print(f'{1000*statistics.median(times):.1f} {1000*max(times):.1f}')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        input="\n".join(" ".join(t.split()) for t in texts),
        capture_output=True,
        text=True,
        env={**os.environ, "FACTDESK_HOME": str(home)},
        check=True,
    )
    med, worst = done.stdout.split()
    print(
        f"match latency over 10,375 docs: median {med} ms, max {worst} ms (encoder + BM25 + fusion)"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=300_000)
    parser.add_argument("--skip-quality", action="store_true")
    args = parser.parse_args()
    if not (EVAL / "matching_vclaims.tsv").exists():
        print(f"skipped: {EVAL} has no matching data")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.scale:  # first: the peak RSS of children is only its own while it runs first
            scale(work, args.scale)
        if not args.skip_quality:
            quality(work)
            latency(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
