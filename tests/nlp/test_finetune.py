"""The fine-tuning recipe's torch-free parts: which debates are held out, and that it trains on the
texts the matcher really embeds (the cleaned query, the fact-check's claim + headline)."""

from __future__ import annotations

from factdesk.nlp.finetune import doc_text, held_out_debates, query_text
from factdesk.services.matching import clean_query
from factdesk.store.factchecks import match_text
from tests.fresh import run_python


def test_every_fifth_debate_is_held_out_whole_and_in_date_order() -> None:
    groups = [f"ClaimBuster/{1960 + 4 * (i % 12)}-10-01.txt" for i in range(240)]
    held = held_out_debates(groups, 5)
    names = sorted(set(groups))
    assert sorted({groups[i] for i in held}) == [names[2], names[7]]
    # a held-out debate is held out whole
    assert all(groups[i] not in {groups[j] for j in held} for i in range(240) if i not in held)


def test_training_texts_are_the_texts_the_matcher_embeds() -> None:
    tweet = "Masks do not work https://t.co/abc pic.twitter.com/xyz — Jane Doe (@jd) May 1, 2020"
    assert query_text(tweet) == clean_query(tweet)
    for claim, title in (
        ("Masks do not stop viruses.", "Do Masks Work?"),
        ("Masks do not stop viruses.", "masks do not stop viruses."),
        ("A claim.", ""),
    ):
        assert doc_text(claim, title) == match_text(claim, title)


def test_importing_the_recipe_loads_no_torch() -> None:
    out = run_python(
        "import sys, factdesk.nlp.finetune, factdesk.nlp.train\n"
        "print(sorted(m for m in ('torch', 'transformers', 'onnx') if m in sys.modules))"
    )
    assert out.strip() == "[]"
