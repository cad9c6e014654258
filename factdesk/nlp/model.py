"""The shipped check-worthiness model: tf-idf weighted sentence features, a logistic regression, and
an isotonic calibration of its margin.

The model file holds, per feature, its idf and its weight; scoring a sentence is a few dictionary
look-ups per token, so it adds little to the spaCy pipeline. The margin is mapped to a calibrated
probability (fitted on out-of-fold margins, cross-validated by debate): a score of 0.8 means about
80 % of such sentences were check-worthy. The decision threshold, chosen by the same
cross-validation, is stored with the model in that calibrated scale.
"""

from __future__ import annotations

import bisect
import json
import math
import os
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from factdesk.domain import FactdeskError

MODEL_FILE = "checkworthiness.npz"
METRICS_FILE = "metrics.json"
# what a stacked head reads from the encoder besides the tf-idf margin
HEAD_EMBEDDING = "embedding"  # the 384-d sentence vector (frozen encoder)
HEAD_CHECKWORTHINESS = "checkworthiness"  # the fine-tuned encoder's own logit (one number)


EncoderRow = np.ndarray | Callable[[], np.ndarray] | None


def model_dir() -> Path:
    """The folder inside the package that holds the trained model and its metrics."""
    return Path(str(resources.files("factdesk.nlp") / "model"))


@dataclass(frozen=True)
class Calibration:
    """A monotone map from a model margin to a probability: linear between knots, flat outside."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]

    def __call__(self, margin: float) -> float:
        xs, ys = self.xs, self.ys
        i = bisect.bisect_right(xs, margin)
        if i == 0:
            return ys[0]
        if i == len(xs):
            return ys[-1]
        x0, x1 = xs[i - 1], xs[i]
        return ys[i - 1] + (ys[i] - ys[i - 1]) * (margin - x0) / (x1 - x0)


IDENTITY = Calibration((-50.0, 50.0), (0.0, 1.0))


@dataclass(frozen=True)
class LinearModel:
    """Feature -> (idf, weight * idf), a bias, a calibration and the threshold on its scale.

    With a `head`, the model is stacked: the tf-idf margin and what the shared encoder
    (factdesk.nlp.encoder) says of the sentence — its 384-d embedding, or with `head_input`
    "checkworthiness" the fine-tuned encoder's own logit — are weighed by a logistic head, `head[0]`
    for the margin and `head[1:]` for the encoder's numbers, plus `head_bias`; the calibration then
    reads that margin.
    """

    vocab: dict[str, tuple[float, float]]
    bias: float
    calibration: Calibration = IDENTITY
    threshold: float = 0.5
    head: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32), compare=False)
    head_bias: float = 0.0
    head_input: str = HEAD_EMBEDDING
    # the cascade: a tf-idf margin outside [below, above] is sure enough that the encoder is not
    # run; the head then reads the typical encoder logit of such sentences (fill) instead
    cascade: tuple[float, float, float, float] = (-math.inf, math.inf, 0.0, 0.0)

    @property
    def uses_encoder(self) -> bool:
        return len(self.head) > 0

    def needs_encoder(self, margin: float) -> bool:
        """Whether the head must read the encoder for a sentence of this tf-idf margin."""
        return self.uses_encoder and self.cascade[0] <= margin <= self.cascade[1]

    def encoder_inputs(self, texts: Sequence[str]) -> np.ndarray:
        """What the head reads of each text from the shared encoder: its embedding, or the
        fine-tuned check-worthiness logit (as a one-number row)."""
        if not texts:
            return np.zeros((0, max(0, len(self.head) - 1)))
        from factdesk.nlp.encoder import load_encoder

        encoder = load_encoder()
        if self.head_input == HEAD_CHECKWORTHINESS:
            return encoder.checkworthiness(texts)[:, None]
        return encoder.embed(texts)

    def stacked_margin(self, features: Sequence[str], embedding: EncoderRow = None) -> float:
        """The margin the calibration reads. `embedding` is what `encoder_inputs` gives for the
        sentence, or a function computing it (called only when the cascade needs it)."""
        margin = self.margin(features)
        if not self.uses_encoder:
            return margin
        if not self.needs_encoder(margin):
            fill = self.cascade[2] if margin < self.cascade[0] else self.cascade[3]
            return self.head_bias + float(self.head[0]) * margin + float(self.head[1]) * fill
        row = embedding() if callable(embedding) else embedding
        if row is None:
            raise ValueError("this model weighs an embedding: pass one")
        return self.head_bias + float(self.head[0]) * margin + float(self.head[1:] @ row)

    def margin(self, features: Sequence[str]) -> float:
        vocab = self.vocab
        total = 0.0
        norm2 = 0.0
        for feat, count in Counter(features).items():
            entry = vocab.get(feat)
            if entry is None:
                continue
            tf = 1.0 + math.log(count)
            total += tf * entry[1]
            norm2 += (tf * entry[0]) ** 2
        if norm2 > 0.0:
            total /= math.sqrt(norm2)
        return self.bias + total

    def score(self, features: Sequence[str], embedding: EncoderRow = None) -> float:
        """The calibrated probability that the sentence is check-worthy."""
        # round so that scores print and compare identically on every platform
        return round(self.calibration(self.stacked_margin(features, embedding)), 6)

    def save(self, path: Path, metrics: dict[str, Any]) -> None:
        names = sorted(self.vocab)
        np.savez_compressed(
            path,
            features=np.array(names, dtype=np.str_),
            idf=np.array([self.vocab[n][0] for n in names], dtype=np.float32),
            weight_idf=np.array([self.vocab[n][1] for n in names], dtype=np.float32),
            bias=np.array([self.bias], dtype=np.float64),
            calibration_x=np.array(self.calibration.xs, dtype=np.float64),
            calibration_y=np.array(self.calibration.ys, dtype=np.float64),
            threshold=np.array([self.threshold], dtype=np.float64),
            head=np.array(self.head, dtype=np.float64),
            head_bias=np.array([self.head_bias], dtype=np.float64),
            head_input=np.array([self.head_input], dtype=np.str_),
            cascade=np.array(self.cascade, dtype=np.float64),
        )
        metrics_path = path.with_name(METRICS_FILE)
        metrics_path.write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n", "utf-8")

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        try:
            with np.load(path, allow_pickle=False) as data:
                names = data["features"].tolist()
                idf = data["idf"].tolist()
                widf = data["weight_idf"].tolist()
                bias = float(data["bias"][0])
                calibration = Calibration(
                    tuple(data["calibration_x"].tolist()), tuple(data["calibration_y"].tolist())
                )
                cut = float(data["threshold"][0])
                head = data["head"].astype(np.float32) if "head" in data else np.zeros(0)
                head_bias = float(data["head_bias"][0]) if "head_bias" in data else 0.0
                head_input = str(data["head_input"][0]) if "head_input" in data else HEAD_EMBEDDING
                cascade = (
                    tuple(float(v) for v in data["cascade"])
                    if "cascade" in data
                    else (-math.inf, math.inf, 0.0, 0.0)
                )
            if len(cascade) != 4:
                raise ValueError("the cascade needs four numbers")
            if head_input not in (HEAD_EMBEDDING, HEAD_CHECKWORTHINESS):
                raise ValueError(f"unknown head input {head_input!r}")
            vocab = dict(zip(names, zip(idf, widf, strict=True), strict=True))
            if len(calibration.xs) < 2 or len(calibration.xs) != len(calibration.ys):
                raise ValueError("the calibration has no knots")
        except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile) as exc:
            raise FactdeskError(
                f"The claim detection model {path} is missing or damaged ({exc}). Reinstall "
                "factdesk, or retrain it with: python -m factdesk.nlp.train"
            ) from exc
        return cls(vocab, bias, calibration, cut, head, head_bias, head_input, cascade)


def model_path() -> Path:
    """The model file: FACTDESK_DETECTOR_MODEL (to try a retrained one), else the shipped one."""
    override = os.environ.get("FACTDESK_DETECTOR_MODEL", "").strip()
    return Path(override) if override else model_dir() / MODEL_FILE


@cache
def shipped_model() -> LinearModel:
    """The detector's model (see `model_path`), loaded once per process."""
    return LinearModel.load(model_path())


def threshold() -> float:
    """Calibrated scores at or above this are check-worthy (chosen by debate-grouped CV)."""
    return shipped_model().threshold
