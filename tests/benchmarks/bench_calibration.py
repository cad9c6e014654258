"""Benchmark: are the shipped scores calibrated on debates the model never saw? Run on demand:

    python tests/benchmarks/bench_calibration.py

Trains the shipped recipe (tf-idf + the stacked encoder head when the shipped model has one) in
5 folds grouped by debate (with the fine-tuned encoder: on the debates kept out of fine-tuning); for each fold, the isotonic calibration is fitted on the other folds'
out-of-fold margins only, and applied to the fold's own. Prints the reliability curve (score bin,
sentences, mean score, share check-worthy), the expected calibration error, and the share of body
sentences in each priority tier on the two news samples (target: at most half high).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from factdesk.nlp import detect_claims
from factdesk.nlp.model import HEAD_CHECKWORTHINESS, LinearModel, shipped_model
from factdesk.nlp.train import (
    FOLDS,
    C,
    Dataset,
    Matrix,
    apply_cascade,
    build_vocab,
    featurize,
    fit,
    fit_dense,
    folds_by_group,
    isotonic,
    read_tsv,
    reliability,
)

ROOT = Path(__file__).resolve().parents[2]
SHARED = next(
    (p / "shared" for p in ROOT.parents if (p / "shared" / "eval").is_dir()), ROOT / "shared"
)
DATA = SHARED / "eval" / "claimbuster_crowdsourced.tsv"
SAMPLES = [ROOT / "resources" / "sample-article.txt", SHARED / "samples" / "soledar-reuters.txt"]


def out_of_fold(data_path: Path) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    data = read_tsv(data_path)
    docs = featurize(data.texts)
    vocab, idf = build_vocab(docs)
    x = Matrix(docs, vocab, idf)
    y = data.labels
    folds = folds_by_group(data.groups, FOLDS)
    margins = np.zeros(len(y))
    for held in folds:
        rest = np.setdiff1d(np.arange(len(y)), held)
        w, b = fit(x.take(rest), y[rest], C)
        margins[held] = x.take(held).dot(w) + b
    model = shipped_model()
    if model.head_input == HEAD_CHECKWORTHINESS:
        return _fine_tuned_stack(data, margins, model)
    if model.uses_encoder:
        from factdesk.nlp.encoder import load_encoder

        z = np.hstack([margins[:, None], load_encoder().embed(data.texts).astype(np.float64)])
        head_c = float(_metrics().get("head_c", 0.1))
        stacked = np.zeros(len(y))
        for held in folds:
            rest = np.setdiff1d(np.arange(len(y)), held)
            w, b = fit_dense(z[rest], y[rest], head_c)
            stacked[held] = z[held] @ w + b
        margins = stacked
    return margins, y, folds


def _fine_tuned_stack(
    data: Dataset, margins: np.ndarray, model: LinearModel
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """The shipped stack on the debates kept out of fine-tuning (the only ones its encoder never
    saw), its head refitted per fold grouped by debate, the cascade applied as shipped."""
    from factdesk.nlp.encoder import load_encoder
    from factdesk.nlp.finetune import held_out_debates

    rows = held_out_debates(data.groups, 5)
    logits = load_encoder().checkworthiness([data.texts[i] for i in rows]).astype(np.float64)
    y = data.labels[rows]
    z = np.hstack([margins[rows, None], logits[:, None]])
    folds = folds_by_group([data.groups[i] for i in rows], FOLDS)
    stacked = np.zeros(len(y))
    for held in folds:
        rest = np.setdiff1d(np.arange(len(y)), held)
        w, b = fit_dense(z[rest], y[rest], float(_metrics().get("head_c", 0.01)))
        stacked[held] = z[held] @ w + b
    stacked = apply_cascade(margins[rows], logits, stacked, model.cascade, float(model.head[1]))
    return stacked, y, folds


def _metrics() -> dict:
    import json

    from factdesk.nlp.model import model_dir

    return json.loads((model_dir() / "metrics.json").read_text("utf-8"))


def cross_fitted(margins: np.ndarray, y: np.ndarray, folds: list[np.ndarray]) -> np.ndarray:
    scores = np.zeros(len(y))
    for held in folds:
        rest = np.setdiff1d(np.arange(len(y)), held)
        cal = isotonic(margins[rest], y[rest])
        scores[held] = [cal(m) for m in margins[held]]
    return scores


def tiers() -> None:
    for path in SAMPLES:
        if not path.exists():
            print(f"{path.name}: not here")
            continue
        cands = detect_claims(path.read_text(encoding="utf-8"))
        counts = {"high": 0, "normal": 0, "low": 0}
        for c in cands:
            counts[c.priority.value if c.priority else "low"] += 1  # as stored
        print(f"{path.name}: {len(cands)} body sentences, tiers {counts}")


def main() -> int:
    if not DATA.exists():
        print(f"skipped: {DATA} is not here")
        return 0
    margins, y, folds = out_of_fold(DATA)
    scores = cross_fitted(margins, y, folds)
    print("reliability on held-out debates (calibration fitted without the fold):")
    print(f"{'bin':>9} {'n':>6} {'mean score':>11} {'check-worthy':>13}")
    ece = 0.0
    for row in reliability(scores, y):
        print(
            f"{row['bin']:>9} {row['n']:>6} {row['mean_score']:>11.3f} {row['check_worthy']:>13.3f}"
        )
        ece += row["n"] / len(y) * abs(row["mean_score"] - row["check_worthy"])
    print(f"expected calibration error: {ece:.4f}")
    tiers()
    return 0


def test_calibration_benchmark() -> None:
    assert main() == 0


if __name__ == "__main__":
    sys.exit(main())
