"""Ranking a query's candidates (services/fusion.py): the fusion, the re-ranker on its best few,
and the shipped parameters."""

from __future__ import annotations

import numpy as np

from factdesk.services import fusion
from factdesk.services.matching import encoder_version


def _candidates() -> fusion.Candidates:
    return fusion.Candidates(
        "Water bills rise 18 percent in July",
        np.array([7, 3, 5, 9], dtype=np.int64),
        np.array([0.80, 0.78, 0.40, 0.78]),
        np.array([0.0, 6.0, 12.0, 6.0]),
        20.0,
    )


def test_bm25_lifts_a_lexical_match_over_a_slightly_closer_cosine_and_ties_go_by_doc() -> None:
    c = _candidates()
    f = fusion.Fusion("x", 50, 300, 0.25, "max")
    best, scores = fusion.rank(c, f)
    # 3 and 9 tie (same cosine, same BM25): the lower doc id first, on every board
    assert c.docs[best].tolist() == [3, 9, 7, 5]
    assert np.all(np.diff(scores) <= 0)
    alone = fusion.Fusion("x", 50, 300, 0.0, "max")
    assert c.docs[fusion.rank(c, alone)[0]].tolist()[0] == 7


def test_the_re_ranker_reorders_only_its_depth_by_the_features() -> None:
    c = _candidates()
    names = list(fusion.FEATURES)
    weights = [0.0] * len(names)
    weights[names.index("numbers_agree")] = 5.0
    r = fusion.Reranker(
        2, fusion.FEATURES, (0.0,) * len(names), (1.0,) * len(names), tuple(weights), 0.0
    )
    f = fusion.Fusion("x", 50, 300, 0.25, "max", r)
    texts = {3: "Water bills will rise", 9: "Water bills rise 18 percent", 7: "bills", 5: "x"}
    best, scores = fusion.rank(c, f, texts)
    # the fused best two (3, 9) swap: 9 has the query's 18; 7 and 5 keep their fused order
    assert c.docs[best].tolist() == [9, 3, 7, 5]
    assert np.all(np.diff(scores) <= 0)
    assert fusion.parse(f.as_json()) == f


def test_the_shipped_parameters_read_and_name_an_encoder() -> None:
    shipped = fusion.shipped()
    assert shipped.dense > 0 and shipped.lexical > 0 and shipped.w_lexical >= 0
    assert len(shipped.encoder) == len(encoder_version())


def test_the_seen_before_cut_is_fitted_for_the_encoder_and_older_files_keep_the_fixed_one() -> None:
    shipped = fusion.shipped()
    assert fusion.parse(shipped.as_json()) == shipped
    # a cut above the old fixed one: the fine-tuned encoder's cosines crowd upwards
    assert fusion.STRONG_DEFAULT < shipped.strong < 0.95
    older = shipped.as_json()
    del older["strong"]  # fusion.json as written before the cut was fitted
    assert fusion.parse(older).strong == fusion.STRONG_DEFAULT
