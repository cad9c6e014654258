"""Train the check-worthiness model shipped in factdesk/nlp/model/ (reproducible, CPU, numpy only).

    python -m factdesk.nlp.train --data ../shared/eval/claimbuster_crowdsourced.tsv \
        [--eval ../shared/eval/claimbuster_groundtruth.tsv] [--encoder]

The margins of the model on sentences it did not see (out-of-fold, cross-validation grouped by debate)
are calibrated into probabilities by isotonic regression, and the decision threshold is the calibrated
score that maximises out-of-fold F1: both reflect debates the model has not seen. The evaluation file
is only reported.
The data files are tab-separated with no quoting (column `text`, column `label` 1 = check-worthy).
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from factdesk.nlp.encoder import encoder_dir
from factdesk.nlp.features import sentence_features
from factdesk.nlp.model import (
    HEAD_CHECKWORTHINESS,
    HEAD_EMBEDDING,
    MODEL_FILE,
    Calibration,
    LinearModel,
    model_dir,
)
from factdesk.nlp.pipeline import load_pipeline

C = 3.0  # inverse L2 strength; chosen by debate-grouped cross-validation on the training set
MIN_DF = 2
FOLDS = 5
MIN_BLOCK = 200  # sentences per step of the calibration: fewer and its top step is noise


@dataclass(frozen=True)
class Dataset:
    texts: list[str]
    labels: np.ndarray
    groups: list[str]


def read_tsv(path: Path) -> Dataset:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return Dataset(
        [r["text"] for r in rows],
        np.array([int(r["label"]) for r in rows], dtype=np.float64),
        [r.get("source", "") for r in rows],
    )


def featurize(texts: Sequence[str], cache: Path | None = None) -> list[list[str]]:
    """The sentence features of `texts`; with `cache` (a folder), kept there by the texts' hash so
    a rerun does not parse them again."""
    import hashlib
    import pickle

    path = None
    if cache is not None:
        digest = hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()[:16]
        path = cache / f"features-{digest}.pkl"
        if path.is_file():
            docs: list[list[str]] = pickle.loads(path.read_bytes())
            return docs
    nlp = load_pipeline()
    docs = [sentence_features(doc) for doc in nlp.pipe(texts, batch_size=256)]
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(docs))
    return docs


class Matrix:
    """A sparse tf-idf matrix (sublinear tf, smoothed idf, rows L2-normalised) in CSR arrays."""

    def __init__(self, docs: Sequence[list[str]], vocab: dict[str, int], idf: np.ndarray) -> None:
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for r, feats in enumerate(docs):
            counts = [(vocab[f], c) for f, c in Counter(feats).items() if f in vocab]
            if not counts:
                continue
            v = np.array([(1.0 + math.log(c)) * idf[i] for i, c in counts])
            v /= np.sqrt((v * v).sum())
            rows.extend([r] * len(counts))
            cols.extend(i for i, _ in counts)
            vals.extend(v.tolist())
        self.n_rows = len(docs)
        self.n_cols = len(vocab)
        self.rows = np.array(rows, dtype=np.int64)
        self.cols = np.array(cols, dtype=np.int64)
        self.vals = np.array(vals, dtype=np.float64)

    def take(self, row_ids: np.ndarray) -> Matrix:
        keep = np.isin(self.rows, row_ids)
        new_index = np.full(self.n_rows, -1, dtype=np.int64)
        new_index[row_ids] = np.arange(len(row_ids))
        sub = object.__new__(Matrix)
        sub.n_rows, sub.n_cols = len(row_ids), self.n_cols
        sub.rows = new_index[self.rows[keep]]
        sub.cols, sub.vals = self.cols[keep], self.vals[keep]
        return sub

    def dot(self, w: np.ndarray) -> np.ndarray:
        return np.bincount(self.rows, self.vals * w[self.cols], minlength=self.n_rows)

    def tdot(self, g: np.ndarray) -> np.ndarray:
        return np.bincount(self.cols, self.vals * g[self.rows], minlength=self.n_cols)


def build_vocab(docs: Sequence[list[str]]) -> tuple[dict[str, int], np.ndarray]:
    df = Counter(f for feats in docs for f in set(feats))
    names = sorted(f for f, n in df.items() if n >= MIN_DF)
    n = len(docs)
    idf = np.array([math.log((1 + n) / (1 + df[f])) + 1.0 for f in names])
    return {f: i for i, f in enumerate(names)}, idf


def lbfgs(
    fun: Callable[[np.ndarray], tuple[float, np.ndarray]], x0: np.ndarray, iters: int = 500
) -> np.ndarray:
    """Minimise a smooth convex function (limited-memory BFGS, backtracking line search)."""
    x = x0.copy()
    f, g = fun(x)
    s_hist: list[np.ndarray] = []
    y_hist: list[np.ndarray] = []
    for _ in range(iters):
        q = g.copy()
        alphas = []
        for s, y in zip(reversed(s_hist), reversed(y_hist), strict=True):
            a = s @ q / (y @ s)
            alphas.append(a)
            q -= a * y
        if s_hist:
            q *= (s_hist[-1] @ y_hist[-1]) / (y_hist[-1] @ y_hist[-1])
        for (s, y), a in zip(zip(s_hist, y_hist, strict=True), reversed(alphas), strict=True):
            q += s * (a - y @ q / (y @ s))
        d = -q
        step = 1.0
        while True:
            x_new = x + step * d
            f_new, g_new = fun(x_new)
            if f_new <= f + 1e-4 * step * (g @ d) or step < 1e-10:
                break
            step *= 0.5
        s_k, y_k = x_new - x, g_new - g
        x, f, g = x_new, f_new, g_new
        if y_k @ s_k > 1e-12:
            s_hist.append(s_k)
            y_hist.append(y_k)
            if len(s_hist) > 10:
                s_hist.pop(0)
                y_hist.pop(0)
        if np.abs(g).max() < 1e-5:
            break
    return x


def fit(x: Matrix, y: np.ndarray, c: float = C) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression: c * sum(log-loss) + |w|^2 / 2, bias not penalised."""

    def fun(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:-1], theta[-1]
        z = x.dot(w) + b
        loss = np.logaddexp(0.0, z) - y * z
        p = 0.5 * (1.0 + np.tanh(0.5 * z))  # the logistic function, without overflow
        r = c * (p - y)
        grad = np.concatenate([x.tdot(r) + w, [r.sum()]])
        return float(c * loss.sum() + 0.5 * (w @ w)), grad

    theta = lbfgs(fun, np.zeros(x.n_cols + 1))
    return theta[:-1], float(theta[-1])


def folds_by_group(groups: Sequence[str], k: int) -> list[np.ndarray]:
    """Whole debates per fold, largest first into the smallest fold, so folds are balanced."""
    sizes = Counter(groups)
    fold_of: dict[str, int] = {}
    totals = [0] * k
    for g, n in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        i = totals.index(min(totals))
        fold_of[g] = i
        totals[i] += n
    ids = np.array([fold_of[g] for g in groups])
    return [np.flatnonzero(ids == i) for i in range(k)]


def prf(y: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    tp = float(((pred == 1) & (y == 1)).sum())
    p = tp / max(1.0, float(pred.sum()))
    r = tp / max(1.0, float(y.sum()))
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}


def best_threshold(y: np.ndarray, margins: np.ndarray) -> tuple[float, float]:
    """The margin that maximises F1 of the positive class, and that F1."""
    order = np.argsort(-margins, kind="stable")
    tp = np.cumsum(y[order])
    k = np.arange(1, len(y) + 1)
    f1 = 2 * tp / (k + y.sum())
    i = int(np.argmax(f1))
    nxt = margins[order[i + 1]] if i + 1 < len(y) else margins[order[i]] - 1.0
    return float((margins[order[i]] + nxt) / 2), float(f1[i])


def isotonic(margins: np.ndarray, y: np.ndarray, min_block: int = MIN_BLOCK) -> Calibration:
    """The monotone fit of y on margins (pool adjacent violators), steps of at least `min_block`.

    Knots sit at each step's mean margin, so the map is strictly increasing between them and keeps
    the order of the margins (the decision at a threshold is the same on either scale).
    """
    order = np.argsort(margins, kind="stable")
    xs, ys = margins[order], y[order]
    # blocks as [sum of y, count, sum of margins]
    blocks: list[list[float]] = []
    start = 0
    while start < len(xs):
        stop = min(len(xs), start + min_block)
        if len(xs) - stop < min_block:
            stop = len(xs)
        blocks.append(
            [float(ys[start:stop].sum()), float(stop - start), float(xs[start:stop].sum())]
        )
        start = stop
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
            last = blocks.pop()
            for k in range(3):
                blocks[-1][k] += last[k]
    return Calibration(
        tuple(b[2] / b[1] for b in blocks), tuple(round(b[0] / b[1], 6) for b in blocks)
    )


def reliability(scores: np.ndarray, y: np.ndarray, bins: int = 10) -> list[dict[str, Any]]:
    """Per score bin: how many sentences, their mean score, and the share that is check-worthy."""
    rows = []
    for i in range(bins):
        lo, hi = i / bins, (i + 1) / bins
        m = (scores >= lo) & ((scores < hi) if i < bins - 1 else (scores <= hi))
        if m.any():
            rows.append(
                {
                    "bin": f"{lo:.1f}-{hi:.1f}",
                    "n": int(m.sum()),
                    "mean_score": round(float(scores[m].mean()), 3),
                    "check_worthy": round(float(y[m].mean()), 3),
                }
            )
    return rows


def fit_dense(z: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression on dense rows (the stacked head), bias not penalised."""

    def fun(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:-1], theta[-1]
        m = z @ w + b
        p = 0.5 * (1.0 + np.tanh(0.5 * m))
        r = c * (p - y)
        loss = c * (np.logaddexp(0.0, m) - y * m).sum() + 0.5 * (w @ w)
        return float(loss), np.concatenate([z.T @ r + w, [r.sum()]])

    theta = lbfgs(fun, np.zeros(z.shape[1] + 1), iters=300)
    return theta[:-1], float(theta[-1])


def decade(source: str) -> str:
    """'ClaimBuster/1976-10-22.txt' -> '1970s' (the debates of one decade share few speakers)."""
    digits = "".join(ch for ch in source if ch.isdigit())
    return f"{digits[:3]}0s" if len(digits) >= 4 else "unknown"


def held_out_margins(
    z: np.ndarray, y: np.ndarray, folds: Sequence[np.ndarray], c: float
) -> np.ndarray:
    """Margins of the stacked head on each fold, fitted on the others."""
    out = np.zeros(len(y))
    for held in folds:
        rest = np.setdiff1d(np.arange(len(y)), held)
        w, b = fit_dense(z[rest], y[rest], c)
        out[held] = z[held] @ w + b
    return out


CASCADE_LOSS = 0.002  # the out-of-fold F1 the cascade may give up for the encoder runs it saves


def apply_cascade(
    tfidf: np.ndarray,
    logit: np.ndarray,
    margins: np.ndarray,
    cascade: tuple[float, float, float, float],
    w_logit: float,
) -> np.ndarray:
    """Stacked margins as the cascade computes them: outside [below, above] the logit is filled."""
    below, above, fill_low, fill_high = cascade
    out = margins.copy()
    low, high = tfidf < below, tfidf > above
    out[low] += w_logit * (fill_low - logit[low])
    out[high] += w_logit * (fill_high - logit[high])
    return out


def choose_cascade(
    tfidf: np.ndarray, logit: np.ndarray, margins: np.ndarray, y: np.ndarray, w_logit: float
) -> tuple[tuple[float, float, float, float], np.ndarray, dict[str, Any]]:
    """The widest tf-idf margin bands where the encoder need not run (its logit replaced by the
    band's median) that keep out-of-fold F1 within CASCADE_LOSS of running it on every sentence."""
    full = best_threshold(y, margins)[1]
    best: tuple[float, tuple[float, float, float, float], np.ndarray] = (
        0.0,
        (-math.inf, math.inf, 0.0, 0.0),
        margins,
    )
    for q_low in np.arange(0.0, 0.75, 0.05):
        for q_high in np.arange(1.0, 0.75, -0.05):
            below = float(np.quantile(tfidf, q_low)) if q_low > 0 else -math.inf
            above = float(np.quantile(tfidf, q_high)) if q_high < 1 else math.inf
            low, high = tfidf < below, tfidf > above
            cascade = (
                below,
                above,
                float(np.median(logit[low])) if low.any() else 0.0,
                float(np.median(logit[high])) if high.any() else 0.0,
            )
            got = apply_cascade(tfidf, logit, margins, cascade, w_logit)
            skipped = float((low | high).mean())
            if skipped > best[0] and best_threshold(y, got)[1] >= full - CASCADE_LOSS:
                best = (skipped, cascade, got)
    skipped, cascade, got = best
    info = {
        "encoder_skipped_share": round(skipped, 4),
        "tfidf_margin_band": [round(v, 4) if math.isfinite(v) else None for v in cascade[:2]],
        "cv_f1_every_sentence": round(full, 4),
        "cv_f1_cascade": round(best_threshold(y, got)[1], 4),
        "max_loss": CASCADE_LOSS,
    }
    return cascade, got, info


def decade_folds(groups: Sequence[str]) -> dict[str, np.ndarray]:
    decades = np.array([decade(g) for g in groups])
    return {d: np.flatnonzero(decades == d) for d in sorted(set(decades.tolist()))}


# the stacked head's inverse L2 strength: the one that does best on whole decades held out
HEAD_CS = (0.01, 0.03, 0.1, 0.3)
# over two numbers (tf-idf margin, fine-tuned logit) the head barely needs regularising
LOGIT_HEAD_CS = (0.01, 0.1, 1.0, 10.0)


def tfidf_oof(docs: Sequence[list[str]], data: Dataset, c: float = C) -> np.ndarray:
    """The tf-idf model's margin of each sentence, fitted without its debate (grouped folds)."""
    vocab, idf = build_vocab(docs)
    x = Matrix(docs, vocab, idf)
    oof = np.zeros(len(docs))
    for held in folds_by_group(data.groups, FOLDS):
        train_ids = np.setdiff1d(np.arange(len(docs)), held)
        w, b = fit(x.take(train_ids), data.labels[train_ids], c)
        oof[held] = x.take(held).dot(w) + b
    return oof


def stacked_f1(tfidf: np.ndarray, logit: np.ndarray, y: np.ndarray, groups: Sequence[str]) -> float:
    """F1 of the two-weight head (tf-idf margin, encoder logit), each debate's margins from a
    head fitted without it: what a fine-tuning checkpoint is worth once stacked."""
    folds = folds_by_group(groups, min(FOLDS, len(set(groups))))
    z = np.c_[tfidf, logit]
    return best_threshold(y, held_out_margins(z, y, folds, LOGIT_HEAD_CS[0]))[1]


def train(
    docs: Sequence[list[str]],
    data: Dataset,
    c: float = C,
    embeddings: np.ndarray | None = None,
    head_input: str = HEAD_EMBEDDING,
    head_cs: Sequence[float] = HEAD_CS,
    rows: np.ndarray | None = None,
    tfidf: np.ndarray | None = None,
) -> tuple[LinearModel, dict[str, Any]]:
    """The tf-idf model, stacked with a head over encoder embeddings when they are given.

    Every choice reads sentences from debates the fitted model did not see: the tf-idf margins the
    head learns from are out-of-fold (folds grouped by debate); the head's strength is the one
    that does best on whole decades held out; calibration and threshold come from the head's own
    out-of-fold margins, grouped by debate. With `rows`, the embeddings belong to those sentences
    only (debates the encoder was not fine-tuned on): the head, calibration, threshold and every
    cross-validated figure then read those sentences alone. `tfidf`: the out-of-fold margins of
    `tfidf_oof`, when already computed.
    """
    y_all = data.labels
    vocab, idf = build_vocab(docs)
    x = Matrix(docs, vocab, idf)
    folds = folds_by_group(data.groups, FOLDS)
    oof = tfidf_oof(docs, data, c) if tfidf is None else tfidf
    rows = np.arange(len(docs)) if rows is None else rows
    y, oof = y_all[rows], oof[rows]
    groups = [data.groups[i] for i in rows]
    if len(rows) < len(docs):
        folds = folds_by_group(groups, min(FOLDS, len(set(groups))))
    metrics: dict[str, Any] = {"cv_sentences": len(rows)}
    head = np.zeros(0, np.float32)
    head_bias = 0.0
    cascade = (-math.inf, math.inf, 0.0, 0.0)
    margins = oof
    by_decade = decade_folds(groups)
    if embeddings is not None:
        alone = isotonic(oof, y)
        alone_scores = np.array([alone(m) for m in oof])
        alone_cut, alone_f1 = best_threshold(y, alone_scores)
        metrics["tfidf_only"] = {
            "cv_f1": round(alone_f1, 4),
            "f1_by_decade": {
                d: prf(y[ids], (alone_scores[ids] >= alone_cut).astype(int))
                for d, ids in by_decade.items()
            },
            "threshold": round(alone_cut, 6),
            "calibration_x": list(alone.xs),
            "calibration_y": list(alone.ys),
        }
        z = np.hstack([oof[:, None], embeddings.astype(np.float64)])
        decade_list = list(by_decade.values())
        choice = {}
        for head_c in head_cs:
            choice[head_c] = best_threshold(y, held_out_margins(z, y, decade_list, head_c))[1]
        head_c = max(head_cs, key=lambda k: (round(choice[k], 4), -k))
        margins = held_out_margins(z, y, folds, head_c)
        w_head, head_bias = fit_dense(z, y, head_c)
        head = w_head.astype(np.float32)
        metrics["head_c"] = head_c
        metrics["head_c_chosen_by"] = "max F1 over whole decades held out, pooled: " + ", ".join(
            f"{k}: {v:.4f}" for k, v in choice.items()
        )
        decade_margins = held_out_margins(z, y, decade_list, head_c)
        if head_input == HEAD_CHECKWORTHINESS:
            cascade, margins, metrics["cascade"] = choose_cascade(
                oof, embeddings[:, 0], margins, y, float(head[1])
            )
            decade_margins = apply_cascade(oof, embeddings[:, 0], decade_margins, cascade, head[1])
    calibration = isotonic(margins, y)
    calibrated = np.array([calibration(m) for m in margins])
    cut, cv_f1 = best_threshold(y, calibrated)
    w, b = fit(x, y_all, c)
    names = sorted(vocab, key=vocab.__getitem__)
    model = LinearModel(
        {n: (float(idf[i]), float(w[i] * idf[i])) for i, n in enumerate(names) if w[i] != 0.0},
        b,
        calibration,
        round(cut, 6),
        head,
        head_bias,
        head_input,
        cascade,
    )
    cv = prf(y, (calibrated >= cut).astype(int))
    metrics.update(
        {
            "cv_f1": round(cv_f1, 4),
            **{f"cv_{k}": v for k, v in cv.items()},
            "cv_reliability": reliability(calibrated, y),
        }
    )
    # F1 per decade: the tf-idf part is out-of-fold by debate; the head (if any) never saw the decade
    per_decade = decade_margins if embeddings is not None else oof
    metrics["f1_by_decade"] = {
        d: prf(y[ids], (np.array([calibration(m) for m in per_decade[ids]]) >= cut).astype(int))
        for d, ids in by_decade.items()
    }
    return model, metrics


def evaluate(
    model: LinearModel,
    docs: Sequence[list[str]],
    y: np.ndarray,
    embeddings: np.ndarray | None = None,
) -> dict[str, float]:
    pred = np.array(
        [
            model.score(d, embeddings[i] if embeddings is not None else None) >= model.threshold
            for i, d in enumerate(docs)
        ],
        dtype=int,
    )
    return prf(y, pred)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="training TSV (crowdsourced)")
    parser.add_argument("--eval", type=Path, help="TSV to report on (never used for choices)")
    parser.add_argument("--out", type=Path, default=model_dir() / MODEL_FILE)
    parser.add_argument(
        "--encoder",
        action="store_true",
        help="stack a head over the frozen encoder's embeddings (measured: +0.018 grouped-CV F1, "
        "-0.023 groundtruth F1, half the scoring speed; not shipped)",
    )
    parser.add_argument(
        "--finetune",
        action="store_true",
        help="fine-tune the shared encoder (torch: the `train` extra) with a check-worthiness "
        "head and, with --pairs/--vclaims, a contrastive matching objective; export it to "
        "--encoder-out and stack its out-of-fold logit with the tf-idf margin",
    )
    parser.add_argument("--pairs", type=Path, help="matching train pairs TSV (query -> vclaim)")
    parser.add_argument("--vclaims", type=Path, help="matching fact-checks TSV (vclaim, title)")
    parser.add_argument("--encoder-out", type=Path, default=encoder_dir())
    parser.add_argument("--work", type=Path, default=Path("build/finetune"), help="resumable")
    parser.add_argument(
        "--hold-every",
        type=int,
        default=5,
        help="every N-th debate (by date) is kept out of fine-tuning for stacking and calibration",
    )
    parser.add_argument(
        "--epochs",
        default="0.5,1,1.5,2",
        help="checkpoints (epochs) the held-out debates choose from; the learning rate decays to "
        "zero at the last",
    )
    parser.add_argument(
        "--schedule-epochs",
        type=float,
        default=None,
        help="length of the learning-rate schedule, when training is to stop at an earlier last "
        "checkpoint (default: the last checkpoint)",
    )
    parser.add_argument(
        "--choose-by",
        choices=("head", "stack"),
        default="stack",
        help="which checkpoint is exported: the best F1 on held-out debates of the head alone "
        "or (default, as the shipped encoder was chosen) of its logit stacked with tf-idf (cross-fitted)",
    )
    parser.add_argument(
        "--frozen-layers",
        type=int,
        default=None,
        help="how many of the encoder's lowest layers keep their published weights while "
        "fine-tuning (default: finetune.FROZEN_LAYERS)",
    )
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    data = read_tsv(args.data)
    docs = featurize(data.texts, args.work)
    embeddings: np.ndarray | None = None
    rows: np.ndarray | None = None
    head_input = HEAD_EMBEDDING
    extra: dict[str, object] = {}
    embed: Callable[[Sequence[str]], np.ndarray] | None = None
    oof = _cached_oof(args.work, docs, data)
    if args.finetune:
        rows, embeddings, extra, embed = _finetuned(args, data, oof)
        head_input = HEAD_CHECKWORTHINESS
    elif args.encoder:
        embed = _embedder()
        embeddings = embed(data.texts)
    model, metrics = train(
        docs,
        data,
        embeddings=embeddings,
        head_input=head_input,
        head_cs=LOGIT_HEAD_CS if args.finetune else HEAD_CS,
        rows=rows,
        tfidf=oof,
    )
    alone = metrics.pop("tfidf_only", None)
    metrics_out: dict[str, object] = {
        "training_data": args.data.name,
        "data_credit": DATA_CREDIT,
        "encoder": ENCODER_NOTE[head_input] if embed else None,
        "training_rows": len(data.texts),
        "features": len(model.vocab),
        "c": C,
        "min_df": MIN_DF,
        "threshold_score": model.threshold,
        "threshold_chosen_by": f"{FOLDS}-fold cross-validation grouped by debate, max F1",
        "calibration": f"isotonic on out-of-fold margins, steps of at least {MIN_BLOCK} sentences",
        **extra,
        **metrics,
    }
    if args.eval:
        test = read_tsv(args.eval)
        test_docs = featurize(test.texts, args.work)
        metrics_out["eval_data"] = args.eval.name
        test_emb = embed(test.texts) if embed else None
        metrics_out["eval"] = evaluate(model, test_docs, test.labels, test_emb)
        if alone is not None:
            tfidf = replace(
                model,
                head=np.zeros(0, np.float32),
                head_bias=0.0,
                calibration=Calibration(
                    tuple(alone.pop("calibration_x")), tuple(alone.pop("calibration_y"))
                ),
                threshold=alone["threshold"],
            )
            alone["eval"] = evaluate(tfidf, test_docs, test.labels)
            alone["what"] = "the same tf-idf model without the encoder head"
            metrics_out["baseline"] = alone
            if test_emb is not None and args.finetune:
                metrics_out["encoder_head_alone_eval"] = _head_alone(
                    test_emb[:, 0], test.labels, extra
                )
    metrics_out["training_seconds"] = round(time.perf_counter() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out, metrics_out)
    print(json_dump(metrics_out))
    return 0


DATA_CREDIT = (
    "ClaimBuster dataset: Arslan, Hassan, Li and Tremayne, 'A Benchmark Dataset of "
    "Check-worthy Factual Claims', ICWSM 2020 (Zenodo record 3609356); matching pairs: "
    "CLEF-2020 CheckThat! task 2 (Shaar et al., sshaar/clef2020-factchecking-task2)"
)
ENCODER_NOTE = {
    HEAD_EMBEDDING: "all-MiniLM-L6-v2 int8 ONNX (factdesk.nlp.encoder), frozen",
    HEAD_CHECKWORTHINESS: "all-MiniLM-L6-v2 fine-tuned here (check-worthiness head + contrastive "
    "matching), int8 ONNX (factdesk.nlp.encoder); its logit stacked with the tf-idf margin",
}


def _cached_oof(work: Path, docs: Sequence[list[str]], data: Dataset) -> np.ndarray:
    """`tfidf_oof`, kept in `work` by the hash of the data and the settings (a rerun that only
    refits the stack does not fit the five tf-idf folds again)."""
    import hashlib

    key = hashlib.sha256(
        repr((C, MIN_DF, FOLDS, data.groups, data.labels.tolist(), list(docs))).encode("utf-8")
    ).hexdigest()[:16]
    path = work / f"tfidf-oof-{key}.npy"
    if path.is_file():
        return np.load(path)
    oof = tfidf_oof(docs, data)
    work.mkdir(parents=True, exist_ok=True)
    np.save(path, oof)
    return oof


def _finetuned(
    args: argparse.Namespace, data: Dataset, tfidf: np.ndarray
) -> tuple[np.ndarray, np.ndarray, dict[str, object], Callable[[Sequence[str]], np.ndarray]]:
    """The fine-tuned encoder exported to --encoder-out; the debates it never saw (their rows and
    its logits there), what was measured, and a scorer running the exported int8 model."""
    from factdesk.nlp import finetune
    from factdesk.nlp.encoder import Encoder

    pairs = finetune.read_pairs(args.pairs, args.vclaims) if args.pairs else None
    frozen = finetune.FROZEN_LAYERS if args.frozen_layers is None else args.frozen_layers
    held, logits, info = finetune.held_out_fit(
        data.texts,
        data.labels,
        data.groups,
        pairs,
        args.work,
        args.encoder_out,
        every=args.hold_every,
        checkpoints=[float(e) for e in args.epochs.split(",")],
        threads=args.threads,
        schedule=args.schedule_epochs,
        frozen=frozen,
        judge=(
            (
                lambda held, logits: stacked_f1(
                    tfidf[held], logits, data.labels[held], [data.groups[i] for i in held]
                )
            )
            if args.choose_by == "stack"
            else None
        ),
    )
    encoder = Encoder(args.encoder_out, threads=args.threads)
    cut, f1 = best_threshold(data.labels[held], logits)
    info["head_alone_held_out_f1"] = round(f1, 4)
    info["head_alone_threshold"] = round(cut, 4)
    info["matching_pairs"] = len(pairs.queries) if pairs else 0
    info["hyperparameters"] = {
        "max_tokens": finetune.CLASS_TOKENS,
        "pair_max_tokens": finetune.PAIR_TOKENS,
        "batch": finetune.BATCH,
        "lr": finetune.LR,
        "warmup": finetune.WARMUP,
        "contrastive_every": finetune.PAIR_EVERY,
        "frozen_layers": frozen,
        "scale": finetune.SCALE,
        "seed": finetune.SEED,
    }
    return (
        held,
        logits[:, None],
        {"finetune": info},
        lambda texts: encoder.checkworthiness(list(texts))[:, None].astype(np.float64),
    )


def _head_alone(test_logits: np.ndarray, y: np.ndarray, extra: dict[str, object]) -> object:
    info = extra["finetune"]
    assert isinstance(info, dict)
    out = prf(y, (test_logits >= info["head_alone_threshold"]).astype(int))
    return {**out, "what": "the fine-tuned head alone, at its best threshold on held-out debates"}


def _embedder() -> Callable[[Sequence[str]], np.ndarray]:
    from factdesk.nlp.encoder import load_encoder

    encoder = load_encoder()
    return lambda texts: encoder.embed(list(texts))


def json_dump(obj: object) -> str:
    import json

    return json.dumps(obj, indent=2, sort_keys=True)


if __name__ == "__main__":
    sys.exit(main())
