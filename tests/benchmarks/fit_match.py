"""Fit the fusion weights of services/matching.py on CheckThat! 2020 task 2 *train*, report dev.

    python tests/benchmarks/fit_match.py [--work DIR]

Imports ../shared/eval/matching_vclaims.tsv into a scratch board through the real import path,
computes the vectors once (kept in DIR between runs), then for every train and dev tweet takes the
same candidates as the Matcher (best 100 by cosine, best 100 by BM25). The lexical weight is chosen
by 5-fold cross-validation on train (dense weight fixed at 1: only the ratio matters); dev MAP@5
(strict: only the listed vclaim counts) is printed for BM25 alone, the encoder alone and the
fusion with the weight chosen on train. Nothing is tuned on dev.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from sqlalchemy import select

from factdesk.services import Workspace, matching
from factdesk.store import factchecks as fc

EVAL = next(
    (
        p / "shared" / "eval"
        for p in Path(__file__).resolve().parents
        if (p / "shared" / "eval").is_dir()
    ),
    Path("../shared/eval"),
)
GRID = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.8, 1.0, 1.5, 2.0, 1e9]


def read_pairs(path: Path) -> tuple[dict[str, str], dict[str, set[str]]]:
    texts: dict[str, str] = {}
    gold: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            texts[row["query_id"]] = row["query_text"]
            gold[row["query_id"]].add(row["vclaim_id"])
    return texts, gold


def average_precision(ranked: list[str], gold: set[str], k: int = 5) -> float:
    hits = 0
    total = 0.0
    for i, ref in enumerate(ranked[:k], 1):
        if ref in gold:
            hits += 1
            total += hits / i
    return total / min(len(gold), k) if gold else 0.0


def candidates(ws: Workspace, m: matching.Matcher, text: str) -> list[tuple[str, float, float]]:
    """(vclaim id, cosine, normalised bm25) for the union of dense and lexical candidates."""
    board = ws._ctx.board
    query = matching.clean_query(text)
    q = m.encoder.embed_one(query)
    index = m._load()
    docs, cos = index.search(q, matching.DENSE_CANDIDATES)
    cands = dict(zip(docs.tolist(), cos.tolist(), strict=True))
    lex = fc.lexical(board, query, matching.LEXICAL_CANDIDATES)
    best = max((s for _, s in lex), default=0.0) or 1.0
    lexn = {d: s / best for d, s in lex}
    cands.update(index.cosines([d for d in lexn if d not in cands], q))
    return [(m.url_of[d], c, lexn.get(d, 0.0)) for d, c in cands.items()]


def rank(cands: list[tuple[str, float, float]], w_lex: float) -> list[str]:
    if w_lex >= 1e9:
        key = [(-lx, -c, u) for u, c, lx in cands]
    else:
        key = [(-(c + w_lex * lx), u) for u, c, lx in cands]  # type: ignore[misc]
    order = sorted(range(len(cands)), key=lambda i: key[i])
    return [cands[i][0] for i in order]


def map5(
    all_cands: dict[str, list[tuple[str, float, float]]], gold: dict[str, set[str]], w: float
) -> float:
    return float(np.mean([average_precision(rank(all_cands[q], w), gold[q]) for q in all_cands]))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", type=Path, default=Path("/tmp/factdesk-fit-match"))
    args = parser.parse_args()
    vclaims = EVAL / "matching_vclaims.tsv"
    if not vclaims.exists():
        print(f"skipped: {vclaims} is not here")
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    ws = Workspace.open(args.work / "fit.fdb", home=args.work / "home", plaintext=True)
    started = time.perf_counter()
    if not matching.collections(ws._ctx.board):
        summary = matching.import_factchecks(ws._ctx.board, vclaims)
        print(f"imported {summary.added} vclaims in {time.perf_counter() - started:.1f} s")
    m = matching.Matcher(ws._ctx.board)
    started = time.perf_counter()
    n = m.refresh()
    if n:
        print(
            f"embedded {n} texts in {time.perf_counter() - started:.1f} s ({n / (time.perf_counter() - started):.0f}/s)"
        )
    with ws._ctx.board.reading() as session:
        every = list(session.scalars(select(fc.MatchDoc.doc)))
    info = fc.doc_info(ws._ctx.board, every)
    m.url_of = {d: i.url for d, i in info.items()}  # type: ignore[attr-defined]

    results = {}
    for split in ("train", "dev"):
        texts, gold = read_pairs(EVAL / f"matching_{split}.tsv")
        cands = {q: candidates(ws, m, t) for q, t in texts.items()}
        results[split] = (cands, gold)

    cands, gold = results["train"]
    ids = sorted(cands, key=int)
    folds = [ids[i::5] for i in range(5)]
    chosen = []
    for i in range(5):
        fit = {q: cands[q] for j, f in enumerate(folds) if j != i for q in f}
        held = {q: cands[q] for q in folds[i]}
        w = max(GRID, key=lambda w: map5(fit, gold, w))
        chosen.append((w, map5(held, gold, w)))
    w_train = max(GRID, key=lambda w: map5(cands, gold, w))
    print("train CV: weight per fold and held-out MAP@5:", [(w, round(s, 4)) for w, s in chosen])
    print(
        f"train CV MAP@5 {np.mean([s for _, s in chosen]):.4f}; weight on all of train: {w_train}"
    )
    print("train MAP@5 by weight:", {w: round(map5(cands, gold, w), 4) for w in GRID})
    dcands, dgold = results["dev"]
    print(f"dev MAP@5 (strict)  BM25 alone {map5(dcands, dgold, 1e9):.4f}")
    print(f"dev MAP@5 (strict)  encoder alone {map5(dcands, dgold, 0.0):.4f}")
    print(
        f"dev MAP@5 (strict)  fusion, w_lex={w_train} from train {map5(dcands, dgold, w_train):.4f}"
    )
    ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
