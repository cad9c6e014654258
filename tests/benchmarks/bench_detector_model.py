"""Benchmark: the detector of this checkout against earlier ones, A/B in one run. Run on demand:

    python tests/benchmarks/bench_detector_model.py [--before REV ...] [--rounds N]

Each `--before` revision (default: 6dc1e74, the detector as issue 11 found it: tf-idf only) is
taken out of git (`git archive`: its code, model and encoder files) into a temporary folder, and
every figure comes from a fresh process run on that folder's code or on this checkout's, in turn
(round 1: each revision, round 2: each again, ...), so both meet the same machine load. Scoring
and detection run on one core (OMP_NUM_THREADS=1, FACTDESK_ENCODER_THREADS=1), in CPU seconds:

- `factdesk score`'s call (`classify_sentences`, or `score_sentences` where a revision has no
  other) on the ClaimBuster groundtruth sentences: target >= 150 sentences/s;
- `detect_claims` on news prose (the PolNeAR dev articles joined: distinct sentences, ~550 kB)
  and on 1 MB (the Soledar sample repeated: repeats reuse their encoder row, which hides the
  encoder's cost; both printed, target <= 1.5x the detector as the issue found it);
- the peak memory of the process that ran detection on 1 MB (target < 600 MB);
- the bundled sample's first highlights from a cold start (`factdesk open --sample` through the
  app's entry point, bench_gui's harness; target <= 2 s).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = next(
    (p / "shared" for p in ROOT.parents if (p / "shared" / "eval").is_dir()), ROOT / "shared"
)
GROUNDTRUTH = SHARED / "eval" / "claimbuster_groundtruth.tsv"
NEWS = SHARED / "eval" / "attribution_dev" / "articles"
SAMPLE = SHARED / "samples" / "soledar-reuters.txt"
ISSUE_FOUND = "6dc1e74"  # the last commit before issue 11's first change to the detector
ONE_CORE = {"OMP_NUM_THREADS": "1", "FACTDESK_ENCODER_THREADS": "1"}

# run in a fresh process, in the tree measured; prints one JSON object
MEASURE = r"""
import csv, json, resource, sys, time
from pathlib import Path
import factdesk
from factdesk.nlp import detect

task, data = sys.argv[1], sys.argv[2]
out = {"code": str(Path(factdesk.__file__).parent)}
if task == "score":
    csv.field_size_limit(sys.maxsize)
    with open(data, encoding="utf-8", newline="") as f:
        lines = [r["text"] for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
    score = getattr(detect, "classify_sentences", None) or detect.score_sentences
    score(lines[:20])  # loads spaCy, the model and the encoder before the clock starts
    started = time.process_time()
    score(lines)
    out["per_s"] = len(lines) / (time.process_time() - started)
    out["n"] = len(lines)
else:
    if task == "1mb":
        text = Path(data).read_text(encoding="utf-8")
        text = text * (1_000_000 // len(text) + 1)
    else:
        text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(Path(data).glob("*.txt")))
    detect.detect_claims("Warm-up: the rate fell to 3 percent in 2020, the mayor said.")
    started = time.process_time()
    found = detect.detect_claims(text)
    out["cpu_s"] = time.process_time() - started
    out["chars"] = len(text)
    out["claims"] = len(found)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def tree(rev: str, parent: Path) -> Path:
    """`rev`'s code, resources and model files, unpacked into a folder of `parent`."""
    from revision import extract

    out = extract(rev, parent / rev, ("factdesk", "resources"))
    compileall.compile_dir(str(out / "factdesk"), quiet=1)
    return out


def env_for(code: Path) -> dict[str, str]:
    """The environment that makes a fresh interpreter import factdesk from `code`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTDESK_")}
    env["PYTHONPATH"] = str(code)
    return env


def measure(code: Path, task: str, data: Path) -> dict[str, float]:
    got = subprocess.run(
        [sys.executable, "-c", MEASURE, task, str(data)],
        capture_output=True,
        text=True,
        env={**env_for(code), **ONE_CORE},
        cwd=code,
        timeout=1800,
    )
    if got.returncode != 0:
        raise SystemExit(f"{task} on {code} failed:\n{got.stderr[-2000:]}")
    result: dict[str, float] = json.loads(got.stdout.strip().splitlines()[-1])
    if Path(str(result["code"])).parent != code:
        raise SystemExit(f"{task} imported factdesk from {result['code']}, not from {code}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", action="append", help=f"a git revision (default {ISSUE_FOUND})")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--cold-runs", type=int, default=3, help="cold starts per revision and round"
    )
    args = parser.parse_args(argv)
    for needed in (GROUNDTRUTH, NEWS, SAMPLE):
        if not needed.exists():
            print(f"skipped: {needed} is not here")
            return 0
    sys.path.insert(0, str(Path(__file__).parent))
    compileall.compile_dir(str(ROOT / "factdesk"), quiet=1)
    parent = Path(tempfile.mkdtemp(prefix="factdesk-before-"))
    trees = {rev: tree(rev, parent) for rev in args.before or [ISSUE_FOUND]}
    trees["this checkout"] = ROOT
    names = list(trees)
    print("revisions:", ", ".join(names), f"({args.rounds} rounds, one core)")
    figures: dict[tuple[str, str], list[float]] = {}

    def line(what: str, task: str, unit: str, fmt: str, higher_better: bool = False) -> None:
        """One figure per revision (median of its runs), against the first revision's, printed
        as soon as it is measured."""
        print(what, flush=True)
        ref = statistics.median(figures[(task, names[0])]) if figures.get((task, names[0])) else 0
        for name in names:
            values = figures.get((task, name), [])
            if not values:
                print(f"  {name:>14}: not measured (see above)")
                continue
            mid = statistics.median(values)
            spread = f"{min(values):{fmt}}-{max(values):{fmt}}"
            rel = (
                f"; {mid / ref:.2f}x {'the speed' if higher_better else 'the cost'} of {names[0]}"
                if ref
                else ""
            )
            print(f"  {name:>14}: {mid:{fmt}} {unit} (runs {spread}){rel}", flush=True)

    for task, data, key in (
        ("score", GROUNDTRUTH, "per_s"),
        ("news", NEWS, "cpu_s"),
        ("1mb", SAMPLE, "cpu_s"),
    ):
        for _ in range(args.rounds):
            for name in names:
                got = measure(trees[name], task, data)
                figures.setdefault((task, name), []).append(got[key])
                if task == "1mb":
                    figures.setdefault(("peak", name), []).append(got["peak_mb"])
        if task == "score":
            line(
                "score (groundtruth sentences; target >= 150/s):",
                task,
                "sentences/CPU s",
                ",.0f",
                True,
            )
        elif task == "news":
            line("detect_claims on news, distinct sentences:", task, "CPU s", ".1f")
        else:
            line(
                "detect_claims on 1 MB, the sample repeated (target <= 1.5x):", task, "CPU s", ".1f"
            )
            line("peak memory of that process (target < 600 MB):", "peak", "MB", ".0f")
    from bench_gui import cold_sample

    for _ in range(args.rounds):
        for name in names:
            saved = dict(os.environ)
            os.environ.clear()
            os.environ.update(env_for(trees[name]))
            try:
                figures.setdefault(("cold", name), []).extend(
                    run[2] for run in cold_sample(args.cold_runs)
                )
            except subprocess.SubprocessError as exc:  # an old tree's window may not get there
                print(f"cold start of {name} failed: {str(exc)[:200]}")
            finally:
                os.environ.clear()
                os.environ.update(saved)
    line("first highlights of the sample from a cold start (target <= 2 s):", "cold", "s", ".2f")
    return 0


def test_detector_model_benchmark() -> None:
    assert main(["--rounds", "1", "--cold-runs", "1"]) == 0


if __name__ == "__main__":
    sys.exit(main())
