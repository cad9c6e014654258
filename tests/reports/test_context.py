"""The claim shown inside its sentence, as the reader of the article met it."""

from __future__ import annotations

from pathlib import Path

import pytest

from factdesk.reports import claim_context
from factdesk.reports.model import CONTEXT_LIMIT


def ctx(text: str, claim: str) -> tuple[str, str, str]:
    start = text.index(claim)
    return claim_context(text, start, start + len(claim))


def test_claim_inside_its_sentence() -> None:
    text = "First sentence. The minister said that prices rose 4% in May, citing data. Next one."
    assert ctx(text, "prices rose 4% in May") == (
        "The minister said that ",
        "prices rose 4% in May",
        ", citing data.",
    )


def test_abbreviations_do_not_end_the_sentence() -> None:
    text = "Earlier. Dr. Ode told the U.S. Senate that 3 million jobs were lost. Then more."
    before, _, after = ctx(text, "3 million jobs were lost")
    assert before == "Dr. Ode told the U.S. Senate that "
    assert after == "."


def test_context_stays_in_its_paragraph() -> None:
    text = "Headline without a full stop\nUnemployment fell to 3.9 percent\nNext paragraph."
    assert ctx(text, "fell to 3.9 percent") == ("Unemployment ", "fell to 3.9 percent", "")


def test_whole_sentence_claim_has_no_context() -> None:
    text = "One. Exports doubled in 2023. Two."
    assert ctx(text, "Exports doubled in 2023.") == ("", "Exports doubled in 2023.", "")


def test_endless_sentences_are_cut_with_an_ellipsis() -> None:
    words = " ".join(f"word{i}" for i in range(400))
    text = f"{words} the claim itself {words}"
    before, claim, after = ctx(text, "the claim itself")
    assert claim == "the claim itself"
    assert before.startswith("… ") and len(before) <= CONTEXT_LIMIT + 2
    assert after.endswith(" …") and len(after) <= CONTEXT_LIMIT + 2
    assert before.endswith("word399 ") and after.startswith(" word0")


def test_real_article_sentence() -> None:
    sample = Path("/work/shared/samples/soledar-reuters.txt")
    if not sample.exists():
        pytest.skip("the shared sample articles are not on this machine")
    text = sample.read_text(encoding="utf-8")
    paragraph = max(text.splitlines(), key=len)
    sentences = [s for s in paragraph.split(". ") if len(s.split()) > 8]
    sentence = sentences[len(sentences) // 2]
    words = sentence.split()
    claim = " ".join(words[2:-2])
    start = text.index(sentence) + sentence.index(claim)
    before, found, after = claim_context(text, start, start + len(claim))
    assert found == claim
    assert (before + found + after).rstrip(".") == sentence.rstrip(".")
