"""Benchmark: what the priority tiers hold, and why high is the best third of an article. On demand:

    python tests/benchmarks/bench_tiers.py [--cv] [--dev]

For the news samples (the bundled one, ../shared/samples/*.txt) the claims per tier, by the
stored rule (domain.priority.article_tiers) and by the score alone (0.8 / 0.5, the rule before);
for the 84 PolNeAR news articles (../shared/eval/attribution_dev) how many claims each article
gets as high, for a few shares of the article. `--cv`: the training debates
(claimbuster_crowdsourced.tsv) cut in stretches of 20 and 40 sentences as "articles", scored by
the tf-idf model fitted without their debate (grouped 5-fold, isotonic-calibrated; ~15 min):
how check-worthy each tier is and how much of the check-worthy it holds, for each share. The
share was chosen on these (never on the groundtruth debates). `--dev`: the same once on the
groundtruth debates with the shipped model, to report.
"""

from __future__ import annotations

import argparse
import collections
import csv
import math
import statistics
from collections.abc import Sequence
from pathlib import Path

from factdesk.domain import Priority
from factdesk.domain.priority import HIGH_AT, NORMAL_AT, score_tier
from factdesk.nlp import detect_claims
from factdesk.paths import sample_article

ROOT = Path(__file__).resolve().parents[2]
SHARED = next(
    (p / "shared" for p in ROOT.parents if (p / "shared" / "eval").is_dir()), ROOT / "shared"
)
SHARES: tuple[float | None, ...] = (None, 1 / 2, 1 / 3, 1 / 4)


def ranked(claims: Sequence[tuple[float, int]], share: float | None) -> list[Priority]:
    """article_tiers with another share (None: the score alone)."""
    n = len(claims)
    budget = n if share is None else math.ceil(n * share - 1e-9)
    order = sorted(range(n), key=lambda i: (-round(claims[i][0], 4), claims[i][1], i))
    best = set(order[:budget])
    out = []
    for i, (score, _) in enumerate(claims):
        tier = score_tier(score)
        out.append(Priority.NORMAL if tier is Priority.HIGH and i not in best else tier)
    return out


def label(share: float | None) -> str:
    return "score alone" if share is None else f"best {share:.2f}"


def news() -> None:
    samples = [sample_article(), *sorted((SHARED / "samples").glob("*.txt"))]
    for path in samples:
        cands = detect_claims(path.read_text("utf-8"))
        stored = collections.Counter(c.priority for c in cands if c.is_check_worthy)
        alone = collections.Counter(score_tier(c.score) for c in cands if c.is_check_worthy)
        print(
            f"{path.name}: {len(cands)} body sentences; stored tiers high {stored['high']}, "
            f"normal {stored['normal']}, low {stored['low']} (by the score alone: high "
            f"{alone['high']}, normal {alone['normal']}, low {alone['low']})"
        )
    articles = sorted((SHARED / "eval" / "attribution_dev" / "articles").glob("*.txt"))
    if not articles:
        return
    found = [detect_claims(p.read_text("utf-8")) for p in articles]
    sizes = [sum(c.is_check_worthy for c in cands) for cands in found]
    print(
        f"PolNeAR news ({len(found)} articles): claims per article median "
        f"{statistics.median(sizes)}, max {max(sizes)}"
    )
    for share in SHARES:
        highs, over = [], 0
        for cands in found:
            claims = [(c.score, c.start) for c in cands if c.is_check_worthy]
            n_high = ranked(claims, share).count(Priority.HIGH)
            highs.append(n_high)
            over += n_high > len(cands) / 2
        print(
            f"  {label(share)}: high per article median {statistics.median(highs)}, mean "
            f"{statistics.mean(highs):.1f}, max {max(highs)}; articles with over half their "
            f"sentences high {over}; with none {highs.count(0)}"
        )


def debates(name: str, scores: Sequence[float], claim_at: float) -> None:
    path = SHARED / "eval" / f"claimbuster_{name}.tsv"
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    by_debate: dict[str, list[tuple[int, float, int]]] = collections.defaultdict(list)
    for r, score in zip(rows, scores, strict=True):
        by_debate[r["source"]].append((int(r["line_number"]), float(score), int(r["label"])))
    total = sum(int(r["label"]) for r in rows)
    for size in (20, 40):
        stretches = []
        for lines in by_debate.values():
            lines.sort()
            stretches += [lines[i : i + size] for i in range(0, len(lines), size)]
        print(f"{name} debates in {len(stretches)} stretches of {size} sentences:")
        for share in SHARES:
            labels: dict[Priority, list[int]] = collections.defaultdict(list)
            highs = []
            for stretch in stretches:
                claims = [(s, line, y) for line, s, y in stretch if s >= claim_at]
                tiers = ranked([(s, line) for s, line, _ in claims], share)
                for (_, _, y), tier in zip(claims, tiers, strict=True):
                    labels[tier].append(y)
                highs.append(tiers.count(Priority.HIGH))
            parts = [
                f"{tier.value} {len(ys)}: {sum(ys) / max(1, len(ys)):.3f} check-worthy, "
                f"{sum(ys) / total:.3f} of all"
                for tier, ys in sorted(labels.items(), key=lambda kv: kv[0].rank)
            ]
            print(
                f"  {label(share)}: high per stretch mean {statistics.mean(highs):.2f} max "
                f"{max(highs)}; " + "; ".join(parts)
            )


def cross_validated() -> list[float]:
    """Each training sentence's calibrated tf-idf score from a model fitted without its debate."""
    from factdesk.nlp import train

    data = train.read_tsv(SHARED / "eval" / "claimbuster_crowdsourced.tsv")
    docs = train.featurize(data.texts)
    margins = train.tfidf_oof(docs, data)
    calibration = train.isotonic(margins, data.labels)
    return [calibration(m) for m in margins]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cv", action="store_true", help="the training debates, grouped CV")
    parser.add_argument("--dev", action="store_true", help="the groundtruth debates, to report")
    args = parser.parse_args()
    print(f"high from {HIGH_AT} and among the article's best third; normal from {NORMAL_AT}")
    news()
    if args.cv:
        debates("crowdsourced", cross_validated(), 0.35)
    if args.dev:
        from factdesk.nlp import classify_sentences, threshold

        with open(SHARED / "eval" / "claimbuster_groundtruth.tsv", encoding="utf-8") as f:
            texts = [r["text"] for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
        debates("groundtruth", [s for s, _ in classify_sentences(texts)], threshold())


if __name__ == "__main__":
    main()
