"""Benchmark: what the priority tiers mean, on news and on debates. Run on demand:

    python tests/benchmarks/bench_tiers.py

Prints, for every news sample (the bundled one, ../shared/samples/*.txt) the claims per tier and
how many sit at the calibration's ceiling; for the 84 PolNeAR news articles
(../shared/eval/attribution_dev) the share of each article's claims that are high (mean, and the
articles over half); and on the check-worthiness development set (claimbuster_groundtruth.tsv,
debates the model never trained on) the sentences in each tier and the share check-worthy, which
is what a tier promises ("high: check this first").
"""

from __future__ import annotations

import collections
import csv
import statistics
from pathlib import Path

from factdesk.domain import Priority, priority_of
from factdesk.nlp import classify_sentences, detect_claims
from factdesk.nlp.model import shipped_model
from factdesk.paths import sample_article

ROOT = Path(__file__).resolve().parents[2]
SHARED = next(
    (p / "shared" for p in ROOT.parents if (p / "shared" / "eval").is_dir()), ROOT / "shared"
)


def tiers(text: str) -> tuple[collections.Counter[str], int, int]:
    cands = detect_claims(text)
    ceiling = max(shipped_model().calibration.ys)
    claims = [c for c in cands if c.is_check_worthy]
    count = collections.Counter(priority_of(c.score).value for c in claims)
    return count, len(cands), sum(c.score >= ceiling - 1e-6 for c in claims)


def main() -> None:
    print(f"calibration ceiling: {max(shipped_model().calibration.ys):.3f}")
    samples = [sample_article(), *sorted((SHARED / "samples").glob("*.txt"))]
    for path in samples:
        count, sentences, capped = tiers(path.read_text("utf-8"))
        print(
            f"{path.name}: {sentences} sentences; high {count['high']}, normal "
            f"{count['normal']}, low {count['low']}; {capped} claims at the ceiling"
        )
    articles = sorted((SHARED / "eval" / "attribution_dev" / "articles").glob("*.txt"))
    shares = []
    for path in articles:
        count, sentences, _ = tiers(path.read_text("utf-8"))
        shares.append(count["high"] / max(1, sentences))
    if shares:
        print(
            f"PolNeAR news ({len(shares)} articles): high share of sentences mean "
            f"{statistics.mean(shares):.3f}, median {statistics.median(shares):.3f}, "
            f"articles over half high {sum(s > 0.5 for s in shares)}"
        )
    data = SHARED / "eval" / "claimbuster_groundtruth.tsv"
    if data.is_file():
        with open(data, encoding="utf-8") as f:
            rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
        scored = classify_sentences([r["text"] for r in rows])
        by_tier: dict[str, list[int]] = collections.defaultdict(list)
        for r, (score, claim) in zip(rows, scored, strict=True):
            tier = priority_of(score).value if claim else "not a claim"
            by_tier[tier].append(int(r["label"]))
        for tier in [*(p.value for p in Priority), "not a claim"]:
            labels = by_tier.get(tier, [])
            share = sum(labels) / len(labels) if labels else 0.0
            print(
                f"groundtruth {tier}: {len(labels)} sentences, {share:.3f} check-worthy "
                f"({sum(labels)} of {sum(int(r['label']) for r in rows)} check-worthy)"
            )


if __name__ == "__main__":
    main()
