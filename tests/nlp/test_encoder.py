"""The shipped sentence encoder: real int8 ONNX model, loaded once for the whole session."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from factdesk.nlp.encoder import (
    DIM,
    MODEL_FILE,
    TOKENIZER_FILE,
    Encoder,
    EncoderError,
    encoder_dir,
    encoder_version,
    load_encoder,
)
from tests.fresh import run_python


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    return load_encoder()


def test_vectors_are_unit_length_and_in_input_order(encoder: Encoder) -> None:
    texts = [
        "The unemployment rate fell to 3.5 percent last month.",
        "",
        "Joblessness dropped to three and a half percent in the past month.",
        "A recipe for lemon cake with poppy seeds.",
    ]
    vectors = encoder.embed(texts)
    assert vectors.shape == (4, DIM) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    # sorting by length must not change which vector belongs to which sentence, and a sentence's
    # vector must not depend on the others (stored vectors are compared with fresh ones)
    alone = np.stack([encoder.embed_one(t) for t in texts])
    assert np.array_equal(vectors, alone)
    batched = encoder.embed(texts, batch_size=4)
    assert (np.sum(batched * alone, axis=1) > 0.95).all()


def test_a_paraphrase_is_nearer_than_an_unrelated_sentence(encoder: Encoder) -> None:
    claim, paraphrase, other = encoder.embed(
        [
            "Drinking bleach cures the coronavirus.",
            "Consuming disinfectant will kill COVID-19 in your body.",
            "The city council approved a new budget for parks on Tuesday.",
        ]
    )
    assert float(claim @ paraphrase) > 0.5
    assert float(claim @ paraphrase) > float(claim @ other) + 0.3


def test_progress_is_reported_per_batch(encoder: Encoder) -> None:
    seen: list[tuple[int, int]] = []
    encoder.embed(
        [f"sentence number {i}" for i in range(70)], progress=lambda d, t: seen.append((d, t))
    )
    assert seen == [(32, 70), (64, 70), (70, 70)]
    assert encoder.embed([]).shape == (0, DIM)


def test_the_shipped_encoder_scores_check_worthiness_one_sentence_at_a_time(
    encoder: Encoder,
) -> None:
    texts = [
        "Thank you very much, it is good to be here tonight.",
        "Unemployment rose by 2.3 million people in the last four years.",
        "",
        "word " * 500,
    ]
    logits = encoder.checkworthiness(texts)
    assert logits.shape == (4,) and np.isfinite(logits).all()
    assert logits[1] > logits[0]  # the statistic reads as more check-worthy than the greeting
    alone = np.array([encoder.checkworthiness([t])[0] for t in texts])
    assert np.array_equal(logits, alone)


def test_long_text_is_truncated_not_refused(encoder: Encoder) -> None:
    vector = encoder.embed_one("word " * 5000)
    assert np.isfinite(vector).all()


def _copy_model(tmp_path: Path) -> Path:
    folder = tmp_path / "encoder_model"
    shutil.copytree(encoder_dir(), folder)
    return folder


def test_a_missing_model_file_is_named(tmp_path: Path) -> None:
    folder = _copy_model(tmp_path)
    (folder / MODEL_FILE).unlink()
    with pytest.raises(EncoderError, match=r"missing: .*model\.onnx"):
        Encoder(folder)


def test_a_corrupt_model_file_is_named(tmp_path: Path) -> None:
    folder = _copy_model(tmp_path)
    data = (folder / MODEL_FILE).read_bytes()
    (folder / MODEL_FILE).write_bytes(data[: len(data) // 3])
    with pytest.raises(EncoderError, match=r"damaged: .*model\.onnx"):
        Encoder(folder)


def test_a_corrupt_tokenizer_file_is_named(tmp_path: Path) -> None:
    folder = _copy_model(tmp_path)
    (folder / TOKENIZER_FILE).write_text('{"version": "1.0", "model": ', encoding="utf-8")
    with pytest.raises(EncoderError, match=r"damaged: .*tokenizer\.json"):
        Encoder(folder)


def test_the_shipped_model_fits_in_the_wheel_budget() -> None:
    size = sum(p.stat().st_size for p in encoder_dir().iterdir())
    assert size < 30_000_000


def test_importing_the_encoder_loads_no_runtime() -> None:
    out = run_python(
        "import sys, factdesk.nlp.encoder\n"
        "print(sorted(m for m in ('onnxruntime', 'tokenizers', 'torch') if m in sys.modules))"
    )
    assert out.strip() == "[]"


def test_vectors_of_a_model_tried_through_the_environment_carry_that_models_stamp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a matcher stamps vectors with encoder_version() before the model is loaded and with the
    # loaded model's version after: both must name the model in use, or the vectors computed are
    # filed under the shipped model's stamp and every later query finds none
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "encoder.json").write_text('{"model_sha256": "' + "ab" * 32 + '"}', "utf-8")
    shipped = encoder_version()
    monkeypatch.setenv("FACTDESK_ENCODER_DIR", str(folder))
    assert encoder_version() == "ab" * 8 != shipped
    assert encoder_version() == encoder_version(folder)
