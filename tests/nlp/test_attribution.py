"""Claimants on news prose: appositions, titles, "the mayor" and "he", nested counter-claims,
quotations over several sentences, claimant spans, and the masthead of a plain-text article."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factdesk.domain import ClaimKind, ImportedDocument
from factdesk.nlp import (
    classify_sentences,
    detect_claims,
    read_masthead,
    threshold,
    with_masthead,
)

STORY = (
    "Reed promises tax cuts in final debate\n"
    "By Ana Ruiz and Tom Hale, Reuters\n"
    "COLUMBUS, Ohio, Oct. 4, 2024 (Reuters) - Mayor Linda Park said on Tuesday that the city "
    "had cut its deficit by 40 percent since 2020.\n"
    "Her Republican rival, Governor Tom Reed, said the plan would cost taxpayers 3 billion "
    "dollars.\n"
    "Unemployment in the region fell to 6 percent in June, the EU statistics office Eurostat "
    "said.\n"
    "The mayor said the figures showed that the city was recovering faster than its "
    "neighbours.\n"
    "Russia said its forces had captured the town of Soledar, a claim denied by President "
    "Volodymyr Zelensky, who said fighting continued.\n"
    '"We have built 400 homes this year. Nobody else has done that. We will build more," Park '
    "told reporters.\n"
)


def _one(cands, opening: str):
    hits = [c for c in cands if c.text.startswith(opening)]
    assert len(hits) == 1, (opening, [c.text for c in cands])
    return hits[0]


def test_an_apposition_names_the_speaker() -> None:
    cands = detect_claims(STORY)
    assert _one(cands, "Her Republican rival").claimant == "Governor Tom Reed"
    assert _one(cands, "Unemployment in the region").claimant == "Eurostat"


def test_the_mayor_later_is_the_mayor_named_earlier() -> None:
    cands = detect_claims(STORY)
    first = _one(cands, "Mayor Linda Park said")
    later = _one(cands, "The mayor said")
    assert first.claimant == later.claimant == "Mayor Linda Park"
    # the span points at the name where it stands, in the first sentence
    assert (later.claimant_start, later.claimant_end) == (first.claimant_start, first.claimant_end)
    assert later.claimant_start is not None and later.claimant_start < first.end


def test_a_nested_denial_is_its_own_claim_with_its_own_claimant() -> None:
    cands = detect_claims(STORY)
    main = _one(cands, "Russia said its forces")
    denial = _one(cands, "a claim denied by")
    assert main.claimant == "Russia"
    assert denial.claimant == "President Volodymyr Zelensky"
    assert main.end <= denial.start  # two claims side by side, not one inside the other
    assert "Zelensky" not in main.text


def test_every_sentence_of_a_quotation_has_its_speaker() -> None:
    cands = detect_claims(STORY)
    quote = [c for c in cands if c.paragraph == 7]
    assert len(quote) == 3
    assert {c.claimant for c in quote} == {"Mayor Linda Park"}


def test_claimant_spans_slice_back_to_the_claimant() -> None:
    cands = detect_claims(STORY)
    assert all(c.claimant for c in cands)
    for c in cands:
        assert c.claimant_start is not None and c.claimant_end is not None
        assert STORY[c.claimant_start : c.claimant_end] == c.claimant


NEWS = (
    "Mayor John Park said the city had cut its deficit by 40 percent.\n"
    "Ted Cruz exhorted Republicans to vote their conscience and said he was standing on "
    "principle.\n"
    "During a speech in Ohio, Trump attacked Clinton for her record in Libya, saying she had made "
    "the region less safe.\n"
    "Dean, a medical doctor, appeared on MSNBC on Tuesday and began by saying he would never "
    "diagnose anyone on television.\n"
    '"The campaign is worried about Florida. Full panic mode," said Leslie Wimes, a party '
    "official in Miami.\n"
    "Donald Trump repeatedly demeaned women with sexist language, according to show insiders.\n"
    "Senator Ann Lee's remarks drew criticism after she said the tax would double by 2030.\n"
    "The Court of Appeals' board says Mills violated conduct standards.\n"
)


def test_a_verb_without_its_own_subject_shares_the_subject_it_hangs_from() -> None:
    cands = detect_claims(NEWS)
    assert _one(cands, "Ted Cruz exhorted").claimant == "Ted Cruz"  # "... and said"
    assert _one(cands, "During a speech").claimant == "Trump"  # "..., saying"
    assert _one(cands, "Dean, a medical doctor").claimant == "Dean"  # "began by saying"


def test_a_shared_subject_is_no_counter_claim() -> None:
    text = (
        "Russia said on Friday that its forces had taken control of the town of Soledar, "
        "claiming to have made its first big battlefield gain after half a year of setbacks.\n"
    )
    [claim] = detect_claims(text)
    assert claim.claimant == "Russia"


def test_words_inside_the_quotation_are_not_its_speaker() -> None:
    cands = detect_claims(NEWS)
    assert _one(cands, "Full panic mode").claimant == "Leslie Wimes"
    assert _one(cands, '"The campaign is worried').claimant == "Leslie Wimes"
    # an apostrophe is no closing quotation mark
    assert _one(cands, "The Court of Appeals").claimant == "The Court of Appeals' board"


def test_according_to_names_its_source_when_the_parser_stumbles() -> None:
    claim = _one(detect_claims(NEWS), "Donald Trump repeatedly")
    assert claim.claimant is not None and "insiders" in claim.claimant


def test_he_or_she_is_the_person_the_sentence_named_before_it() -> None:
    # not the mayor, the last speaker before this sentence
    assert _one(detect_claims(NEWS), "Senator Ann Lee's").claimant == "Senator Ann Lee"


def test_a_sentence_opening_with_said_names_who_follows() -> None:
    text = 'Said Ellis: "I do not get the sense she is the least bit interested in tax reform."\n'
    assert _one(detect_claims(text), "Said Ellis").claimant == "Ellis"


def test_the_network_is_not_a_person_the_network_was_near() -> None:
    text = (
        "RT's network coverage echoed President Vladimir Putin, who said the vote was fair.\n"
        "The network said it would send a reporter to Crimea for a better understanding.\n"
        "US National Security Council spokesman John Kirby said the town would fall.\n"
        "The spokesman said it had no strategic value.\n"
    )
    cands = detect_claims(text)
    assert _one(cands, "The network said").claimant == "The network"
    assert _one(cands, "The spokesman said").claimant == "John Kirby"  # his job, before his name


def test_a_reporting_verb_inside_the_quotation_is_not_its_attribution() -> None:
    text = (
        '"There is some thought that without him the same enthusiasm might not be there," said '
        'Representative Charles Rangel of New York. "I think it is very smart for the president '
        'to say it is not just Hillary Clinton in the future."\n'
    )
    cands = detect_claims(text)
    assert [c.claimant for c in cands] == ["Representative Charles Rangel"] * 2


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=200))
def test_claimant_spans_slice_back_on_any_text(noise: str) -> None:
    text = noise + "\n" + STORY
    for c in detect_claims(text):
        assert text[c.start : c.end] == c.text
        if c.claimant_start is not None:
            assert c.claimant_end is not None
            assert text[c.claimant_start : c.claimant_end] == c.claimant


def test_score_applies_the_named_speaker_quote_rule_as_detection_does() -> None:
    named = 'Mayor Linda Park said: "I like the colour blue and I always will."'
    unnamed = '"I like the colour blue and I always will."'
    (score, claim), (plain_score, plain_claim) = classify_sentences([named, unnamed])
    [cand] = detect_claims(named + "\n")
    assert cand.kind is ClaimKind.QUOTATION and cand.claimant == "Mayor Linda Park"
    assert (score, claim) == (cand.score, cand.is_check_worthy)
    assert claim  # a quote in a named speaker's mouth is a claim whatever its score
    assert plain_claim == (plain_score >= threshold())
    assert plain_score < threshold()  # chatter on its own is not


def test_the_masthead_gives_headline_authors_outlet_place_and_date() -> None:
    head = read_masthead(STORY)
    assert head.headline == "Reed promises tax cuts in final debate"
    assert head.authors == ("Ana Ruiz", "Tom Hale")
    assert head.outlet == "Reuters"
    assert head.place == "Columbus, Ohio"
    assert head.published == date(2024, 10, 4)
    # and none of those lines is a claim
    assert all(c.paragraph >= 2 for c in detect_claims(STORY))
    assert not any("Ana Ruiz" in c.text for c in detect_claims(STORY))


def test_an_article_without_a_masthead_has_none() -> None:
    text = "The council said on Monday that rents rose 8 percent.\nIt said more would follow.\n"
    head = read_masthead(text)
    assert (head.headline, head.authors, head.outlet, head.place) == ("", (), "", "")


def test_plain_text_imports_take_the_masthead_and_keep_what_the_importer_found() -> None:
    doc = with_masthead(ImportedDocument(text=STORY, source_format="txt", outlet="The Daily"))
    assert doc.title == "Reed promises tax cuts in final debate"
    assert doc.authors == ("Ana Ruiz", "Tom Hale")
    assert doc.outlet == "The Daily"  # the importer's own reading wins
    assert doc.published == date(2024, 10, 4)
    html = ImportedDocument(text=STORY, source_format="html")
    assert with_masthead(html) == html
