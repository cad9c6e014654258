"""Benchmark: claim matching measured from outside, as the held-out test is. Run on demand:

    python tests/benchmarks/bench_match.py [--before main] [--scale 300000,1000000]
                                           [--skip-quality] [--work DIR]

Quality: imports ../shared/eval/matching_vclaims.tsv with `factdesk factchecks import` into a fresh
board, pipes the dev (and train) tweets through `factdesk match --top 5` on stdin and prints strict
MAP@5 (only the listed vclaim counts; see the eval README: about 0.09 is lost to duplicate vclaims).
The first `match` computes every vector (the embedding rate is printed).
Latency, before/after in one run: the code of git ref --before (extracted with `git archive`)
builds its own board the same way; both codes then match the dev tweets over their board, in
alternating processes, and print median and 90th percentile per query (encoder + BM25 + cosine +
record look-ups, after start-up), the new code also its parts. The Hamming prefilter that serves
boards above 50,000 vectors is measured against the exact ranking on the same queries.
Scale (--scale N,...): N synthetic fact-checks (words drawn with the vclaims' own word
frequencies, so common words are as common as in real collections) are imported through the CLI
(time, peak memory); the embedding rate is measured on 1,000 of them with one thread; the rest get
vectors made from the real vclaims' vectors plus noise (embedding all would take hours here), then
the median match latency over N documents is printed with the matching process's memory.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

EVAL = next(
    (
        p / "shared" / "eval"
        for p in Path(__file__).resolve().parents
        if (p / "shared" / "eval").is_dir()
    ),
    Path("../shared/eval"),
)
REPO = Path(__file__).resolve().parents[2]
CPU_SECONDS = [0.0]  # of the last factdesk command: the machine is shared, its wall time is not


def factdesk(
    home: Path, *args: str, stdin: str | None = None, code: Path | None = None
) -> tuple[str, str, float, int]:
    """(stdout, stderr, seconds, peak RSS in MB) of one factdesk command in a fresh process
    (`code`: run that copy of the package instead of this checkout)."""
    env = {**os.environ, "FACTDESK_HOME": str(home)}
    if code is not None:
        env["PYTHONPATH"] = str(code)
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%U %S %M", sys.executable, "-m", "factdesk", "--plaintext", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"factdesk {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    err, _, usage = done.stderr.rstrip().rpartition("\n")
    user, system, peak = usage.split()
    CPU_SECONDS[0] = float(user) + float(system)
    return done.stdout, err, elapsed, int(peak) // 1024


def python(home: Path, script: str, *args: str, stdin: str = "", code: Path | None = None) -> str:
    env = {**os.environ, "FACTDESK_HOME": str(home)}
    if code is not None:
        env["PYTHONPATH"] = str(code)
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"benchmark step failed:\n{done.stderr[-3000:]}")
    return done.stdout


def read_queries(path: Path) -> tuple[list[str], list[str], dict[str, set[str]]]:
    ids: list[str] = []
    texts: dict[str, str] = {}
    gold: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["query_id"] not in texts:
                ids.append(row["query_id"])
            texts[row["query_id"]] = " ".join(row["query_text"].split())
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


def build(home: Path, code: Path | None, label: str) -> None:
    """Import the vclaims and compute their vectors with one copy of the code."""
    out, _, secs, peak = factdesk(
        home, "factchecks", "import", str(EVAL / "matching_vclaims.tsv"), code=code
    )
    print(f"{label}: import of 10,375 vclaims {secs:.1f} s, peak {peak} MB -> {out.strip()}")
    _, _, secs, _ = factdesk(home, "match", "--top", "5", stdin="", code=code)
    print(f"{label}: vectors of 10,375 vclaims {secs:.0f} s ({10375 / secs:.0f} sentences/s)")


def quality(home: Path) -> None:
    for split in ("dev", "train"):
        ids, texts, gold = read_queries(EVAL / f"matching_{split}.tsv")
        out, _, secs, _ = factdesk(home, "match", "--top", "5", stdin="\n".join(texts) + "\n")
        print(
            f"{split}: MAP@5 (strict) {map_at_5(ids, out, gold):.4f} over {len(ids)} queries "
            f"through `factdesk match --top 5`; {secs:.1f} s for the command"
        )


LATENCY = """
import statistics, sys, time
from factdesk.services import Workspace
ws = Workspace.open(plaintext=True)
m = ws.matcher()
started = time.perf_counter(); m.refresh(); loaded = time.perf_counter() - started
lines = sys.stdin.read().splitlines()
m.match_text(lines[0], 5)
times, cpu = [], []
for t in lines:
    s, c = time.perf_counter(), time.process_time()
    m.match_text(t, 5)
    times.append(1000 * (time.perf_counter() - s)); cpu.append(1000 * (time.process_time() - c))
times.sort()
print(f"{statistics.median(times):.2f} {times[int(0.9 * len(times))]:.2f} {statistics.median(cpu):.2f}")
"""

PARTS = """
import statistics, sys, time
from factdesk.services import Workspace, fusion, matching
from factdesk.store import factchecks as fc
ws = Workspace.open(plaintext=True)
m = ws.matcher(); m.refresh(); board = ws._ctx.board
parts = {k: [] for k in ("encoder", "cosine", "bm25", "look-ups")}
for line in sys.stdin.read().splitlines():
    q = matching.clean_query(line)
    t0 = time.perf_counter(); index = m._load(); v = m.encoder.embed_one(q)
    t1 = time.perf_counter(); docs, _ = index.search(v, fusion.shipped().dense)
    t2 = time.perf_counter(); lex = fc.lexical(board, q, fusion.shipped().lexical)
    index.cosines([d for d, _ in lex], v)
    t3 = time.perf_counter(); fc.doc_info(board, docs[:5].tolist())
    t4 = time.perf_counter()
    for k, a, b in (("encoder", t0, t1), ("cosine", t1, t2), ("bm25", t2, t3), ("look-ups", t3, t4)):
        parts[k].append(1000 * (b - a))
print("  ".join(f"{k} {statistics.median(v):.1f} ms" for k, v in parts.items()))
"""

PREFILTER = """
import sys
from factdesk.services import Workspace, vectors
if sys.argv[1:] == ["prefilter"]:
    vectors.EXACT_MAX = 0
ws = Workspace.open(plaintext=True)
m = ws.matcher(); m.refresh()
for line in sys.stdin.read().splitlines():
    print("\\t".join(r.url for r in m.match_text(line, 5)))
"""


def latency(old_home: Path, new_home: Path, old_code: Path, ref: str) -> None:
    _ids, texts, _ = read_queries(EVAL / "matching_dev.tsv")
    stdin = "\n".join(texts) + "\n"
    runs: dict[str, list[tuple[float, float, float]]] = {ref: [], "this branch": []}
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    for _round in range(2):  # alternating, so a change in the machine's load hits both
        for label, home, code in ((ref, old_home, old_code), ("this branch", new_home, None)):
            med, p90, cpu = python(home, LATENCY, stdin=stdin, code=code).split()
            runs[label].append((float(med), float(p90), float(cpu)))
    for label, figures in runs.items():
        shown = ", ".join(
            f"median {m:.1f} ms / p90 {p:.1f} ms / CPU {c:.1f} ms" for m, p, c in figures
        )
        print(f"match latency over 10,375 fact-checks, {label}: {shown} ({len(texts)} dev tweets)")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print("this branch, parts (medians):", python(new_home, PARTS, stdin=stdin).strip())
    ids, texts, gold = read_queries(EVAL / "matching_dev.tsv")
    stdin = "\n".join(texts) + "\n"
    exact = python(new_home, PREFILTER, "exact", stdin=stdin)
    approx = python(new_home, PREFILTER, "prefilter", stdin=stdin)
    pairs = zip(exact.split("\n")[: len(ids)], approx.split("\n")[: len(ids)], strict=True)
    same = sum(a.split("\t")[:1] == b.split("\t")[:1] for a, b in pairs)
    print(
        f"Hamming prefilter (boards > 50,000 vectors) vs exact on the same board: dev MAP@5 "
        f"{map_at_5(ids, approx, gold):.4f} vs {map_at_5(ids, exact, gold):.4f}; "
        f"same best match for {same} of {len(ids)} queries"
    )


def synthetic(path: Path, n: int) -> None:
    """N fact-checks whose words follow the vclaims' own word frequencies."""
    counts: Counter[str] = Counter()
    with (EVAL / "matching_vclaims.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            counts.update(re.findall(r"[^\W_]+", f"{row['vclaim']} {row['title']}".lower()))
    words, weights = zip(*counts.items(), strict=True)
    rng = random.Random(12)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["claim", "rating", "url", "publisher", "date"])
        for i in range(0, n, 10_000):
            batch = rng.choices(words, weights, k=17 * 10_000)
            at = 0
            for j in range(i, min(n, i + 10_000)):
                k = rng.randint(8, 25)
                w.writerow(
                    [
                        " ".join(batch[at : at + k]),
                        "False",
                        f"https://synthetic.example/{j}",
                        "Synthetic",
                        "2024-01-01",
                    ]
                )
                at = (at + k) % (len(batch) - 30)


LEXICAL = """
import statistics, time
from factdesk.services import Workspace
from factdesk.store import factchecks as fc
ws = Workspace.open(plaintext=True)
times, found = [], 0
for word in ["vaccine", "obama", "shark", "photograph", "president said", "flooded highway"] * 3:
    s = time.perf_counter(); found += len(fc.lexical(ws._ctx.board, word, 100))
    times.append(1000 * (time.perf_counter() - s))
print(f"median {statistics.median(times):.1f} ms for one to two words ({found} hits)")
"""

EMBED_RATE = """
import os, time
os.environ["FACTDESK_ENCODER_THREADS"] = "1"
from factdesk.nlp.encoder import Encoder
from factdesk.services import Workspace
from factdesk.store import factchecks as fc
ws = Workspace.open(plaintext=True)
m = ws.matcher(); m.pending()
todo = fc.missing_vectors(ws._ctx.board, 1000, m.version)
enc = Encoder(threads=1)
enc.embed([t for _, _, t in todo[:20]])
started = time.perf_counter(); enc.embed([t for _, _, t in todo]); took = time.perf_counter() - started
print(f"{len(todo) / took:.0f}")
"""

FILL = """
import sys, time
import numpy as np
from factdesk.services import Workspace
from factdesk.store import factchecks as fc
src = Workspace.open(sys.argv[1], home=sys.argv[2], plaintext=True)
parts = list(fc.load_vectors(src._ctx.board, src.matcher().version))
real = np.concatenate([p.ints.astype(np.float32) * p.scales[:, None] for p in parts])
src.close()
ws = Workspace.open(plaintext=True)
m = ws.matcher(); m.pending(); board = ws._ctx.board
rng = np.random.default_rng(5)
started = time.perf_counter(); done = 0
while True:
    todo = fc.missing_vectors(board, 20000, m.version)
    if not todo:
        break
    v = real[rng.integers(0, len(real), len(todo))] + rng.normal(0, 0.03, (len(todo), 384))
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    fc.put_vectors(board, [(d, s, fc.pack_vector(x)) for (d, s, _), x in zip(todo, v.astype(np.float32))], m.version)
    done += len(todo)
print(f"{done} {time.perf_counter() - started:.1f}")
"""

SCALE_LATENCY = """
import resource, statistics, sys, time
from factdesk.services import Workspace
ws = Workspace.open(plaintext=True)
m = ws.matcher()
started = time.perf_counter(); size = m.size; loaded = time.perf_counter() - started
lines = sys.stdin.read().splitlines()
m.match_text(lines[0], 5)
times = []
for t in lines:
    s = time.perf_counter(); m.match_text(t, 5); times.append(1000 * (time.perf_counter() - s))
times.sort()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(f"{size} {statistics.median(times):.1f} {times[int(0.9 * len(times))]:.1f} {loaded:.1f} {rss}")
"""


def scale(work: Path, n: int, vclaims_board: Path) -> None:
    home = work / f"scale-{n}"
    path = work / f"synthetic-{n}.csv"
    synthetic(path, n)
    out, _, secs, peak = factdesk(home, "factchecks", "import", str(path))
    print(
        f"{n:,} synthetic fact-checks: import {secs:.1f} s ({CPU_SECONDS[0]:.1f} s CPU, load "
        f"average {os.getloadavg()[0]:.1f}), peak RSS {peak} MB ({out.strip()})"
    )
    print(f"{n:,}: lexical search right after the import: {python(home, LEXICAL).strip()}")
    rate = int(python(home, EMBED_RATE).strip())
    print(
        f"{n:,}: embedding rate {rate} sentences/s on one core (synthetic texts, 8-25 words): "
        f"{n / rate / 60:.0f} min on one core, about {n / rate / 120:.0f} min on two"
    )
    done, secs_fill = python(home, FILL, str(vclaims_board), str(work / "src-home")).split()
    print(f"{n:,}: {done} synthetic vectors stored in {secs_fill} s")
    _ids, texts, _ = read_queries(EVAL / "matching_dev.tsv")
    size, med, p90, loaded, rss = python(home, SCALE_LATENCY, stdin="\n".join(texts)).split()
    print(
        f"{n:,}: match latency over {int(size):,} vectors: median {med} ms, p90 {p90} ms "
        f"(index loaded in {loaded} s; process peak {rss} MB)"
    )
    shutil.rmtree(home)
    path.unlink()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default="main", help="git ref to compare with ('' skips)")
    parser.add_argument("--scale", default="", help="comma-separated sizes, e.g. 300000,1000000")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    if not (EVAL / "matching_vclaims.tsv").exists():
        print(f"skipped: {EVAL} has no matching data")
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-match-"))
    work.mkdir(parents=True, exist_ok=True)
    new_home = work / "new"
    if not (new_home / "data").exists():
        build(new_home, None, "this branch")
    if not args.skip_quality:
        quality(new_home)
    if args.before:
        old_code = work / "old-code"
        if not old_code.exists():
            from revision import extract

            extract(args.before, old_code)
        old_home = work / "old"
        if not (old_home / "data").exists():
            build(old_home, old_code, args.before)
        latency(old_home, new_home, old_code, args.before)
    for n in [int(x) for x in args.scale.split(",") if x]:
        scale(work, n, new_home / "data" / "boards" / "default.fdb")
    return 0


if __name__ == "__main__":
    sys.exit(main())
