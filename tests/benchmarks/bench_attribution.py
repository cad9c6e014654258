"""Benchmark: claimant attribution on news (PolNeAR dev articles), on two parts. Run on demand:

    python tests/benchmarks/bench_attribution.py [look|held|both] [--misses]

The score is the one of ../shared/eval/score_attribution.py (which runs `factdesk analyze --json
--all` per article): the share of attributions with a named (non-pronoun) source and a reporting
cue whose content is covered by a claim naming that source. Here it runs in one process on the
same candidates (`detect_claims` -> `candidate_dict`), so a run takes seconds, not minutes.

The 84 articles are split by article, evenly within each publisher: the "look" part (two in
three) is for developing rules; the "held" part is scored only to report, never to tune.
"""

from __future__ import annotations

import collections
import csv
import hashlib
import re
import sys
from pathlib import Path

from factdesk.nlp import candidate_dict, detect_claims

ROOT = Path(__file__).resolve().parents[2]
SHARED = next(
    (p / "shared" for p in ROOT.parents if (p / "shared" / "eval").is_dir()), ROOT / "shared"
)
DEV = SHARED / "eval" / "attribution_dev"

# as in score_attribution.py
CUES = re.compile(
    r"^(said|says|say|told|tells|according to|wrote|writes|added|adding|saying|stated|states|"
    r"announced|announces|claimed|claims|argued|argues|noted|notes|insisted|insists|denied|denies|"
    r"explained|explains|reported|reports|warned|warns|asserted|contended|acknowledged|admitted)$",
    re.I,
)
PRON = {
    "he",
    "she",
    "they",
    "it",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "its",
    "him",
    "them",
    "who",
    "which",
    "that",
}
STOP = {"the", "a", "an", "of", "and", "mr", "mrs", "ms", "dr", "s", "'s", "’s"}


def words(s: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", s.lower()) if w not in STOP]


def same(claimant: str, source: str) -> bool:
    c, s = words(claimant), words(source)
    return bool(c and s and set(c) & set(s))


def read_tsv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def parts() -> dict[str, str]:
    """Article -> "look" or "held": every third article of a publisher, in a fixed hashed order,
    is held out."""
    rows = read_tsv(DEV / "articles.tsv")
    by_pub: dict[str, list[str]] = collections.defaultdict(list)
    for r in rows:
        by_pub[r["publisher"]].append(r["article_id"])
    out = {}
    for ids in by_pub.values():
        ids.sort(key=lambda a: hashlib.sha1(a.encode()).hexdigest())
        for rank, a in enumerate(ids):
            out[a] = "held" if rank % 3 == 2 else "look"
    return out


def gold() -> dict[str, list[dict[str, str]]]:
    rows = read_tsv(DEV / "attributions.tsv")
    found: dict[str, list[dict[str, str]]] = collections.defaultdict(list)
    for r in rows:
        if r["has_source"] != "1" or not CUES.match(r["cue"].strip()):
            continue
        if r["source_text"].strip().lower() in PRON:
            continue
        found[r["article_id"]].append(r)
    return found


def score(which: str, show_misses: bool = False) -> tuple[int, int, int]:
    split = parts()
    named = covered = total = 0
    for aid, gs in sorted(gold().items()):
        if split[aid] != which:
            continue
        text = (DEV / "articles" / f"{aid}.txt").read_text("utf-8")
        claims = [candidate_dict(c) for c in detect_claims(text)]
        for g in gs:
            total += 1
            a, b = int(g["content_start"]), int(g["content_end"])
            cover = [c for c in claims if min(b, c["end"]) - max(a, c["start"]) >= 0.5 * (b - a)]
            if not cover:
                if show_misses:
                    print(f"NOCLAIM {aid}@{a}: want {g['source_text']!r} | {text[a:b][:100]!r}")
                continue
            covered += 1
            if any(same(c["claimant"], g["source_text"]) for c in cover):
                named += 1
            elif show_misses:
                c = cover[0]
                print(
                    f"MISS {aid}@{a}: got {c['claimant']!r} want {g['source_text']!r} "
                    f"cue {g['cue']!r} | {c['text'][:160]!r}"
                )
    return named, covered, total


def main() -> None:
    which = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else "look"
    show = "--misses" in sys.argv
    for part in ("look", "held") if which == "both" else (which,):
        named, covered, total = score(part, show)
        print(
            f"{part}: {named}/{total} attributed statements carry the right claimant "
            f"({named / max(total, 1):.3f}); {covered}/{total} covered by a claim"
        )


if __name__ == "__main__":
    main()
