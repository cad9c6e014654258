"""The shipped model and its training code: metrics on record, a learner that learns."""

from __future__ import annotations

import json

import numpy as np

from factdesk.nlp.model import MODEL_FILE, LinearModel, model_dir
from factdesk.nlp.train import Dataset, best_threshold, folds_by_group, read_tsv, train


def test_shipped_model_is_small_and_its_metrics_meet_the_target() -> None:
    path = model_dir() / MODEL_FILE
    assert path.stat().st_size < 3_000_000
    metrics = json.loads((model_dir() / "metrics.json").read_text("utf-8"))
    assert metrics["training_data"] == "claimbuster_crowdsourced.tsv"
    assert metrics["eval_data"] == "claimbuster_groundtruth.tsv"
    assert metrics["eval"]["f1"] >= 0.88
    assert metrics["eval"]["f1"] > metrics["baseline"]["eval"]["f1"]


def test_training_learns_a_rule_and_puts_the_threshold_at_one_half(tmp_path) -> None:
    rng = np.random.default_rng(7)
    docs, labels, groups = [], [], []
    for i in range(400):
        positive = i % 3 == 0
        words = [f"w=filler{rng.integers(20)}" for _ in range(6)]
        if positive:
            words.append("w=<num>")
        docs.append(words)
        labels.append(int(positive))
        groups.append(f"debate{i % 8}")
    model, metrics = train(docs, Dataset([""] * 400, np.array(labels, float), groups))
    assert metrics["cv_f1"] == 1.0
    assert model.score(["w=filler1", "w=<num>"]) >= 0.5 > model.score(["w=filler1", "w=filler2"])
    model.save(tmp_path / MODEL_FILE, {"cv_f1": metrics["cv_f1"]})
    again = LinearModel.load(tmp_path / MODEL_FILE)
    assert again.score(["w=<num>"]) == model.score(["w=<num>"])


def test_folds_keep_each_debate_whole_and_balanced() -> None:
    groups = ["a"] * 50 + ["b"] * 30 + ["c"] * 30 + ["d"] * 10
    folds = folds_by_group(groups, 2)
    assert sorted(np.concatenate(folds).tolist()) == list(range(len(groups)))
    assert [sorted({groups[i] for i in fold}) for fold in folds] == [["a", "d"], ["b", "c"]]


def test_best_threshold_maximises_f1() -> None:
    y = np.array([1, 1, 0, 1, 0, 0], float)
    margins = np.array([3.0, 2.0, 1.0, 0.5, -1.0, -2.0])
    cut, f1 = best_threshold(y, margins)
    assert cut == -0.25  # the top four: three of the three positives, F1 6/7
    assert f1 == 6 / 7


def test_reads_unquoted_tsv_with_quotes_in_text(tmp_path) -> None:
    path = tmp_path / "d.tsv"
    path.write_text('id\ttext\tlabel\tsource\n1\tHe said "no\t1\tx\n2\tFine.\t0\ty\n', "utf-8")
    data = read_tsv(path)
    assert data.texts == ['He said "no', "Fine."]
    assert data.labels.tolist() == [1.0, 0.0]
    assert data.groups == ["x", "y"]
