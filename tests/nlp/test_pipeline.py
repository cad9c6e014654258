"""Loading the spaCy pipeline: quicker than spaCy's own load, never different from it."""

from __future__ import annotations

from pathlib import Path

from factdesk.nlp import load_pipeline
from factdesk.nlp import pipeline as pipeline_module

TEXT = "Don't say the U.S. grew 3.5% in Q3 :) -- officials said so at 3pm."


def test_the_loaded_tokenizer_is_the_one_spacy_would_load() -> None:
    spacy = pipeline_module.import_spacy()
    nlp = load_pipeline()
    assert nlp.path is not None
    plain = spacy.load(nlp.path)
    assert nlp.tokenizer.to_bytes(exclude=["vocab"]) == plain.tokenizer.to_bytes(exclude=["vocab"])
    assert [t.text for t in nlp(TEXT)] == [t.text for t in plain(TEXT)]


def test_a_pipeline_with_its_own_tokenizer_rules_keeps_them(tmp_path: Path) -> None:
    spacy = pipeline_module.import_spacy()
    custom = spacy.blank("en")
    custom.tokenizer.add_special_case("3pm", [{"ORTH": "3pm"}])
    custom.to_disk(tmp_path / "custom")

    nlp = spacy.load(tmp_path / "custom", exclude=["tokenizer"])
    assert "3pm" not in [t.text for t in nlp(TEXT)]  # English's default splits it
    pipeline_module._load_tokenizer(nlp)
    assert "3pm" in [t.text for t in nlp(TEXT)]
