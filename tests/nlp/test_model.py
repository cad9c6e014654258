"""The shipped model and its training code: metrics on record, a learner that learns."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from factdesk.domain import FactdeskError
from factdesk.nlp.model import HEAD_CHECKWORTHINESS, MODEL_FILE, LinearModel, model_dir
from factdesk.nlp.train import (
    LOGIT_HEAD_CS,
    Dataset,
    best_threshold,
    featurize,
    folds_by_group,
    isotonic,
    read_tsv,
    reliability,
    stacked_f1,
    train,
)


def test_shipped_model_is_small_and_its_metrics_meet_the_target() -> None:
    path = model_dir() / MODEL_FILE
    assert path.stat().st_size < 3_000_000
    metrics = json.loads((model_dir() / "metrics.json").read_text("utf-8"))
    assert metrics["training_data"] == "claimbuster_crowdsourced.tsv"
    assert metrics["eval_data"] == "claimbuster_groundtruth.tsv"
    assert metrics["eval"]["f1"] >= 0.88
    assert set(metrics["f1_by_decade"]) >= {"1960s", "2010s"}


def test_the_shipped_stack_beats_tf_idf_on_debates_its_encoder_never_saw() -> None:
    metrics = json.loads((model_dir() / "metrics.json").read_text("utf-8"))
    model = LinearModel.load(model_dir() / MODEL_FILE)
    assert model.head_input == HEAD_CHECKWORTHINESS and model.uses_encoder
    # the stack's figures and the tf-idf baseline's are read on the same held-out sentences
    assert metrics["cv_sentences"] == metrics["finetune"]["held_out_sentences"] > 4000
    assert metrics["cv_f1"] > metrics["baseline"]["cv_f1"]
    assert metrics["cascade"]["cv_f1_cascade"] >= metrics["cascade"]["cv_f1_every_sentence"] - 0.002


def test_shipped_scores_are_calibrated_on_held_out_debates() -> None:
    metrics = json.loads((model_dir() / "metrics.json").read_text("utf-8"))
    for row in metrics["cv_reliability"]:
        if row["n"] >= 300:
            assert abs(row["mean_score"] - row["check_worthy"]) < 0.08, row


def _toy() -> tuple[list[list[str]], Dataset]:
    rng = np.random.default_rng(7)
    docs, labels, groups = [], [], []
    for i in range(400):
        positive = i % 3 == 0
        words = [f"w=filler{rng.integers(20)}" for _ in range(6)]
        if positive:
            words.append("w=<num>")
        docs.append(words)
        labels.append(int(positive))
        groups.append(f"debate{1960 + 10 * (i % 6)}-{i % 8}")
    return docs, Dataset([""] * 400, np.array(labels, float), groups)


def test_training_learns_a_rule_and_keeps_its_threshold_and_calibration(tmp_path) -> None:
    docs, data = _toy()
    model, metrics = train(docs, data)
    assert metrics["cv_f1"] == 1.0
    assert model.score(["w=filler1", "w=<num>"]) >= model.threshold
    assert model.score(["w=filler1", "w=filler2"]) < model.threshold
    assert 0.0 <= model.score(["w=filler3"]) <= model.score(["w=<num>"]) <= 1.0
    model.save(tmp_path / MODEL_FILE, {"cv_f1": metrics["cv_f1"]})
    again = LinearModel.load(tmp_path / MODEL_FILE)
    assert again.score(["w=<num>"]) == model.score(["w=<num>"])
    assert again.threshold == model.threshold and again.calibration == model.calibration


def test_a_stacked_head_reads_the_embedding(tmp_path) -> None:
    docs, data = _toy()
    rng = np.random.default_rng(3)
    # the words say nothing here; one direction of the embedding says it all
    plain = [[f"w=filler{rng.integers(20)}"] for _ in docs]
    emb = rng.normal(size=(len(docs), 8)) * 0.1
    emb[:, 0] += data.labels * 2.0
    model, metrics = train(plain, data, embeddings=emb)
    assert model.uses_encoder and metrics["cv_f1"] > 0.95
    model.save(tmp_path / MODEL_FILE, {})
    again = LinearModel.load(tmp_path / MODEL_FILE)
    yes, no = np.eye(8)[0] * 2.0, np.zeros(8)
    assert again.score(["w=filler1"], yes) > again.threshold > again.score(["w=filler1"], no)


def test_a_fine_tuned_logit_is_stacked_and_the_cascade_skips_only_sure_sentences(tmp_path) -> None:
    docs, data = _toy()
    rng = np.random.default_rng(5)
    # "w=<num>" marks most positives; the logit knows the rest, and is noise where words are sure
    words = [
        [f"w=filler{rng.integers(20)}"] + (["w=<num>"] if y and i % 4 else [])
        for i, y in enumerate(data.labels)
    ]
    logit = rng.normal(size=len(docs)) + 3.0 * (data.labels - 0.5)
    model, metrics = train(
        words,
        data,
        embeddings=logit[:, None],
        head_input=HEAD_CHECKWORTHINESS,
        head_cs=LOGIT_HEAD_CS,
    )
    assert model.head_input == HEAD_CHECKWORTHINESS and len(model.head) == 2
    assert metrics["cascade"]["cv_f1_cascade"] >= metrics["cascade"]["cv_f1_every_sentence"] - 0.002
    model.save(tmp_path / MODEL_FILE, {})
    again = LinearModel.load(tmp_path / MODEL_FILE)
    assert again.cascade == model.cascade and again.head_input == HEAD_CHECKWORTHINESS
    asked: list[str] = []

    def encoder_row(value: float) -> object:
        return lambda: asked.append("x") or np.array([value])

    unsure = ["w=filler1"]
    assert again.needs_encoder(again.margin(unsure))
    assert (
        again.score(unsure, encoder_row(3.0))
        > again.threshold
        > again.score(unsure, encoder_row(-3.0))
    )
    assert len(asked) == 2
    # outside the band the encoder never runs: the head reads the band's typical logit
    banded = replace(again, cascade=(-0.5, 0.5, -2.0, 2.0))
    low, high = [], ["w=<num>"] * 50
    assert banded.margin(low) < -0.5 and banded.margin(high) > 0.5
    assert banded.score(low, encoder_row(9.0)) == replace(banded, cascade=(-9, 9, 0, 0)).score(
        low, np.array([-2.0])
    )
    assert banded.score(high, encoder_row(-9.0)) > banded.threshold
    assert len(asked) == 2


def test_isotonic_calibration_is_monotone_and_matches_frequencies() -> None:
    rng = np.random.default_rng(1)
    margins = rng.normal(size=5000)
    y = (rng.random(5000) < 1 / (1 + np.exp(-2 * margins))).astype(float)
    cal = isotonic(margins, y, min_block=200)
    assert list(cal.xs) == sorted(cal.xs) and list(cal.ys) == sorted(cal.ys)
    for row in reliability(np.array([cal(m) for m in margins]), y):
        if row["n"] >= 300:
            assert abs(row["mean_score"] - row["check_worthy"]) < 0.06


@pytest.mark.parametrize("damage", ["missing", "garbage", "old format"])
def test_a_missing_or_damaged_model_file_is_named_in_the_error(tmp_path, damage) -> None:
    path = tmp_path / MODEL_FILE
    if damage == "garbage":
        path.write_bytes(b"not a model")
    elif damage == "old format":
        np.savez_compressed(path, features=np.array(["w=a"]), idf=np.ones(1), bias=np.zeros(1))
    with pytest.raises(FactdeskError, match=str(path)):
        LinearModel.load(path)


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


def test_a_checkpoint_is_judged_by_what_it_adds_to_tf_idf_not_by_itself() -> None:
    rng = np.random.default_rng(3)
    y = (rng.random(600) < 0.3).astype(float)
    groups = [f"debate{i % 6}" for i in range(600)]
    tfidf = 2.0 * (y - 0.5) + rng.normal(size=600)
    # one logit repeats what tf-idf knows, the other knows what tf-idf gets wrong: alone they tie
    noise = rng.normal(size=600)
    echo = tfidf + 0.2 * noise
    other = 2.0 * (y - 0.5) + rng.normal(size=600)
    assert abs(best_threshold(y, echo)[1] - best_threshold(y, other)[1]) < 0.06
    assert stacked_f1(tfidf, other, y, groups) > stacked_f1(tfidf, echo, y, groups) + 0.03


def test_a_rerun_reads_the_sentence_features_it_parsed_before(tmp_path, monkeypatch) -> None:
    texts = ["The deficit fell by 40 percent.", "Thank you."]
    first = featurize(texts, tmp_path)
    assert "w=<num>" in first[0]

    def no_parser() -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr("factdesk.nlp.train.load_pipeline", no_parser)
    assert featurize(texts, tmp_path) == first
    with pytest.raises(AssertionError, match="parsed again"):
        featurize([*texts, "Other text."], tmp_path)
