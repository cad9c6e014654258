"""How matching ranks its candidates: the encoder's cosine fused with BM25, then (when fitted) a
small logistic re-ranker over features of each (query, candidate) pair. numpy only.

The parameters live in fusion.json beside this module and are written by one command,
`python tests/benchmarks/fit_match.py --write`, which chooses them by grouped cross-validation on
the CheckThat! 2020 task 2 *train* pairs only (never dev) through these same functions. The file
names the encoder it was fitted with: after an encoder update run the command again (matching
still works with the old file, fitted to another encoder's cosines).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from factdesk.store import terms

FUSION_FILE = "fusion.json"
STRONG_DEFAULT = 0.75  # a fusion.json without "strong" (fitted before the cut was per encoder)

FEATURES = (
    "fused",  # the fused score the re-ranker starts from
    "cos",  # the encoder's cosine
    "cos_gap",  # cosine minus the best cosine among the query's candidates
    "bm25_max",  # BM25 over the query's best BM25 (0: not found lexically)
    "bm25_self",  # BM25 over the sum of the searched words' IDF
    "query_cover",  # share of the query's words in the candidate
    "doc_cover",  # share of the candidate's words in the query
    "numbers_agree",  # share of the query's numbers in the candidate (0 without numbers)
    "numbers_other",  # the candidate has numbers the query lacks
    "names_agree",  # share of the query's capitalised words (names) in the candidate
    "length_ratio",  # log of the candidate's words over the query's
    "dense_rank",  # 1 / (1 + rank by cosine)
    "lexical_rank",  # 1 / (1 + rank by BM25; 0: not found)
)


@dataclass(frozen=True)
class Reranker:
    depth: int  # how many of the fused best are re-ranked
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float

    def score(self, x: np.ndarray) -> np.ndarray:
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        return np.asarray(z @ np.asarray(self.weights) + self.bias, dtype=np.float64)


@dataclass(frozen=True)
class Fusion:
    encoder: str  # the encoder version the parameters were fitted with
    dense: int  # candidates taken by cosine
    lexical: int  # candidates taken by BM25
    w_lexical: float  # fused = cosine + w_lexical * normalised BM25
    norm: str  # "max": BM25 over the query's best; "self": over the searched words' IDF sum
    reranker: Reranker | None = None
    # the cosine from which a match is shown as "seen before": this encoder's cosines, fitted
    # so that few claims no fact-check covers reach it (fit_match.py, SEEN_BEFORE_RATE)
    strong: float = STRONG_DEFAULT

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "encoder": self.encoder,
            "dense": self.dense,
            "lexical": self.lexical,
            "w_lexical": self.w_lexical,
            "norm": self.norm,
            "strong": self.strong,
            "reranker": None,
        }
        if self.reranker is not None:
            r = self.reranker
            out["reranker"] = {
                "depth": r.depth,
                "features": list(r.features),
                "mean": list(r.mean),
                "scale": list(r.scale),
                "weights": list(r.weights),
                "bias": r.bias,
            }
        return out


def fusion_path() -> Path:
    return Path(str(resources.files("factdesk.services") / FUSION_FILE))


def parse(data: Mapping[str, Any]) -> Fusion:
    r = data.get("reranker")
    reranker = None
    if r:
        reranker = Reranker(
            int(r["depth"]),
            tuple(r["features"]),
            tuple(float(v) for v in r["mean"]),
            tuple(float(v) for v in r["scale"]),
            tuple(float(v) for v in r["weights"]),
            float(r["bias"]),
        )
    return Fusion(
        str(data["encoder"]),
        int(data["dense"]),
        int(data["lexical"]),
        float(data["w_lexical"]),
        str(data.get("norm", "max")),
        reranker,
        float(data.get("strong", STRONG_DEFAULT)),
    )


@cache
def shipped() -> Fusion:
    """The fitted parameters shipped with factdesk."""
    return parse(json.loads(fusion_path().read_text(encoding="utf-8")))


@dataclass
class Candidates:
    """One query's candidates: every doc found by cosine or BM25, with what ranking needs."""

    query: str
    docs: np.ndarray  # int64
    cos: np.ndarray  # float64
    bm25: np.ndarray  # float64, 0 where not found lexically
    idf_sum: float  # the searched words' IDF sum (0: no lexical search)


def lexical_norm(c: Candidates, norm: str) -> np.ndarray:
    if norm == "self":
        return c.bm25 / c.idf_sum if c.idf_sum > 0 else np.zeros_like(c.bm25)
    best = float(c.bm25.max()) if len(c.bm25) else 0.0
    return c.bm25 / best if best > 0 else np.zeros_like(c.bm25)


def fused(c: Candidates, fusion: Fusion) -> np.ndarray:
    return np.asarray(c.cos + fusion.w_lexical * lexical_norm(c, fusion.norm), dtype=np.float64)


def order(scores: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """Indices best first, ties by doc id (the same order on every board)."""
    return np.lexsort((docs, -scores))


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'-]+")


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def _names(text: str) -> set[str]:
    return {w for m in _NAME.findall(text) for w in terms.terms(m)}


def feature_matrix(
    c: Candidates, picked: np.ndarray, texts: Mapping[int, str], fusion_scores: np.ndarray
) -> np.ndarray:
    q_terms = set(terms.terms(c.query))
    q_numbers = _numbers(c.query)
    q_names = _names(c.query)
    best_cos = float(c.cos.max()) if len(c.cos) else 0.0
    best_bm25 = float(c.bm25.max()) if len(c.bm25) else 0.0
    dense_rank = np.empty(len(c.docs))
    dense_rank[order(c.cos, c.docs)] = np.arange(len(c.docs))
    lex_rank = np.empty(len(c.docs))
    lex_rank[order(c.bm25, c.docs)] = np.arange(len(c.docs))
    rows = []
    for i in picked:
        text = texts.get(int(c.docs[i]), "")
        d_terms = set(terms.terms(text))
        d_numbers = _numbers(text)
        b = float(c.bm25[i])
        rows.append(
            (
                float(fusion_scores[i]),
                float(c.cos[i]),
                float(c.cos[i]) - best_cos,
                b / best_bm25 if best_bm25 > 0 else 0.0,
                b / c.idf_sum if c.idf_sum > 0 else 0.0,
                len(q_terms & d_terms) / len(q_terms) if q_terms else 0.0,
                len(q_terms & d_terms) / len(d_terms) if d_terms else 0.0,
                len(q_numbers & d_numbers) / len(q_numbers) if q_numbers else 0.0,
                1.0 if d_numbers - q_numbers else 0.0,
                len(q_names & d_terms) / len(q_names) if q_names else 0.0,
                math.log((len(d_terms) + 1) / (len(q_terms) + 1)),
                1.0 / (1.0 + dense_rank[i]),
                1.0 / (1.0 + lex_rank[i]) if b > 0 else 0.0,
            )
        )
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))


def rank(
    c: Candidates, fusion: Fusion, texts: Mapping[int, str] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(indices into c best first, their scores): the fused order, its best `depth` re-ordered by
    the re-ranker when there is one (its score, shifted to stay above the rest)."""
    scores = fused(c, fusion)
    best = order(scores, c.docs)
    r = fusion.reranker
    if r is None or texts is None or not len(best):
        return best, scores[best]
    head = best[: r.depth]
    x = feature_matrix(c, head, texts, scores)
    names = list(FEATURES)
    x = x[:, [names.index(f) for f in r.features]]
    s = r.score(x)
    head_order = head[np.lexsort((c.docs[head], -s))]
    rest = best[r.depth :]
    # re-ranked scores: the logistic probability, above every fused score of the rest
    top_scores = 1.0 / (1.0 + np.exp(-np.sort(s)[::-1]))
    rest_scores = scores[rest]
    out_scores = np.concatenate(
        [top_scores + (float(rest_scores.max()) + 1.0 if len(rest) else 0.0), rest_scores]
    )
    return np.concatenate([head_order, rest]), out_scores


def needed_texts(c: Candidates, fusion: Fusion) -> Sequence[int]:
    """The docs whose texts the re-ranker reads (none without one)."""
    if fusion.reranker is None:
        return []
    best = order(fused(c, fusion), c.docs)[: fusion.reranker.depth]
    return [int(d) for d in c.docs[best]]
