"""The shipped check-worthiness model: tf-idf weighted sentence features and a logistic regression.

The model file holds, per feature, its idf and its weight; scoring a sentence is a few dictionary
look-ups per token, so it adds little to the spaCy pipeline. The bias is shifted at training time so
that the decision threshold chosen by cross-validation sits at a score of 0.5.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from factdesk.domain import FactdeskError

THRESHOLD = 0.5
MODEL_FILE = "checkworthiness.npz"
METRICS_FILE = "metrics.json"


def model_dir() -> Path:
    """The folder inside the package that holds the trained model and its metrics."""
    return Path(str(resources.files("factdesk.nlp") / "model"))


@dataclass(frozen=True)
class LinearModel:
    """Feature -> (idf, weight * idf) and a bias; `score` is the probability of check-worthy."""

    vocab: dict[str, tuple[float, float]]
    bias: float

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

    def score(self, features: Sequence[str]) -> float:
        z = self.margin(features)
        # round so that scores print and compare identically on every platform
        return round(1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z)))), 6)

    def save(self, path: Path, metrics: dict[str, Any]) -> None:
        names = sorted(self.vocab)
        np.savez_compressed(
            path,
            features=np.array(names, dtype=np.str_),
            idf=np.array([self.vocab[n][0] for n in names], dtype=np.float32),
            weight_idf=np.array([self.vocab[n][1] for n in names], dtype=np.float32),
            bias=np.array([self.bias], dtype=np.float64),
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
        except (OSError, KeyError, ValueError) as exc:
            raise FactdeskError(
                f"The claim detection model {path} is missing or damaged ({exc}). Reinstall "
                "factdesk, or retrain it with: python -m factdesk.nlp.train"
            ) from exc
        return cls(dict(zip(names, zip(idf, widf, strict=True), strict=True)), bias)


@cache
def shipped_model() -> LinearModel:
    """The model shipped in the package, loaded once per process."""
    return LinearModel.load(model_dir() / MODEL_FILE)


def threshold() -> float:
    """Scores at or above this are check-worthy."""
    return THRESHOLD
