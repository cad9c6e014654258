"""Benchmark (on demand): a 1 MB article's claims streamed onto the board as the window stores them
(flushes of 40 claims), each flush ranking the new claims among all the article's and re-tiering
those they displace; beside the same flushes on the code before, in the same run.

    python tests/benchmarks/bench_tiers_stream.py [--baseline SRC]

SRC: a checkout of the code before (git archive main | tar -x -C SRC). Prints the time per flush,
the whole analysis's storing, and how many tier changes the history took.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

RUN = r"""
import random, sys, tempfile, time
from factdesk.domain import ClaimCandidate, ClaimKind
from factdesk.services import Workspace
SENTENCE = "The council said household water bills would rise by 18 percent from July."
rng = random.Random(7)
paragraphs = [f"{SENTENCE} Item {i}." for i in range(6500)]
text = "\n".join(paragraphs)
starts = [0]
for p in paragraphs[:-1]:
    starts.append(starts[-1] + len(p) + 1)
# a news story's scores: most at the calibration's ceiling, the rest spread below it
scores = [0.8936 if rng.random() < 0.6 else round(rng.uniform(0.36, 0.88), 4) for _ in starts]
cands = [ClaimCandidate(s, s + len(SENTENCE), SENTENCE, sc, True, ClaimKind.STATISTIC, None)
         for s, sc in zip(starts, scores)]
with tempfile.TemporaryDirectory() as home:
    ws = Workspace.open(home=home, plaintext=True)
    article = ws.import_text(text, detect=False).value
    times = []
    for n in range(0, len(cands), 40):
        t = time.perf_counter()
        ws.add_detected_claims(article.id, cands[n : n + 40], earlier=cands[:n])
        times.append(time.perf_counter() - t)
    updates = sum(1 for e in ws.history(article_id=article.id) if e.op == "update")
    ws.close()
times.sort()
print(f"{len(times)} flushes: median {1000 * times[len(times) // 2]:.1f} ms, slowest "
      f"{1000 * times[-1]:.1f} ms, all {sum(times):.1f} s; {updates} tier changes logged")
"""


def run(src: str | None) -> str:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    out = subprocess.run(
        [sys.executable, "-c", RUN],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=tempfile.gettempdir(),
    )
    return out.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline")
    args = parser.parse_args()
    print("6,500 claims of a 1 MB article, stored 40 at a time")
    if args.baseline:
        print(f"  before (the tier read from the score): {run(args.baseline)}")
    print(f"  now (ranked in the article, stored):    {run(None)}")


if __name__ == "__main__":
    main()
