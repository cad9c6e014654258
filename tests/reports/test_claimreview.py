"""ClaimReview JSON-LD: valid JSON-LD (expanded offline by pyld) with the fields publishers need."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from conftest import HOSTILE, build

from factdesk.reports import ReportData, render

jsonld = pytest.importorskip("pyld.jsonld", reason="pyld expands the JSON-LD")

SCHEMA = "http://schema.org/"
# The parts of schema.org's published context that this output uses; served locally so the test
# never touches the network.
LOCAL_CONTEXT = {
    "@context": {
        "@vocab": SCHEMA,
        "schema": SCHEMA,
        "url": {"@id": "schema:url", "@type": "@id"},
        "datePublished": {"@id": "schema:datePublished", "@type": "schema:Date"},
    }
}


def offline_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise AssertionError(f"JSON-LD tried to load {url}")
    return {"contextUrl": None, "documentUrl": url, "document": LOCAL_CONTEXT}


def expand(content: bytes) -> list[dict[str, Any]]:
    return jsonld.expand(json.loads(content), {"documentLoader": offline_loader})


def value(node: dict[str, Any], prop: str) -> Any:
    entry = node[SCHEMA + prop][0]
    return entry.get("@value", entry.get("@id", entry))


def test_one_review_per_verified_or_disputed_claim(data: ReportData) -> None:
    reviews = json.loads(render(data, "claimreview"))
    assert [r["claimReviewed"] for r in reviews] == [
        "unemployment fell to 3.9 percent in April",
        "The city built 1,200 new homes last year",
        "Exports to Norway doubled in 2023",
    ]
    assert all(
        r["@type"] == "ClaimReview" and r["@context"] == "https://schema.org" for r in reviews
    )


def test_unverified_claims_only_when_asked(data: ReportData) -> None:
    reviews = json.loads(render(dataclasses.replace(data, include_unverified=True), "claimreview"))
    unverified = [r for r in reviews if r["reviewRating"]["ratingValue"] == 3]
    assert [r["claimReviewed"] for r in unverified] == [
        "Officials expect inflation to halve by next spring"
    ]
    assert unverified[0]["reviewRating"]["alternateName"] == "Unverified"
    # the article speaks for itself: its author is the claim's author
    assert unverified[0]["itemReviewed"]["author"] == {"@type": "Person", "name": "Sam Writer"}


def test_expands_offline_with_every_required_field(data: ReportData) -> None:
    expanded = expand(render(data, "claimreview"))
    assert len(expanded) == 3
    for node in expanded:
        assert node["@type"] == [SCHEMA + "ClaimReview"]
        for prop in (
            "claimReviewed",
            "reviewRating",
            "itemReviewed",
            "author",
            "datePublished",
            "url",
        ):
            assert SCHEMA + prop in node, prop
        rating = node[SCHEMA + "reviewRating"][0]
        assert rating["@type"] == [SCHEMA + "Rating"]
        assert {value(rating, "bestRating"), value(rating, "worstRating")} == {5, 1}
        item = node[SCHEMA + "itemReviewed"][0]
        assert item["@type"] == [SCHEMA + "Claim"]
        assert value(item[SCHEMA + "appearance"][0], "url") == "https://news.example/jobs" or (
            value(item[SCHEMA + "appearance"][0], "url") == "https://news.example/trade"
        )
        assert value(item, "datePublished") == "2024-04-30"
        assert SCHEMA + "author" in item
        author = node[SCHEMA + "author"][0]
        assert author["@type"] == [SCHEMA + "Organization"]
        assert value(author, "name") == "Example Fact Check"
        assert value(node, "datePublished") == "2024-05-03"


def test_rating_mapping_and_verdict_text(data: ReportData) -> None:
    reviews = {r["claimReviewed"]: r for r in json.loads(render(data, "claimreview"))}
    verified = reviews["unemployment fell to 3.9 percent in April"]["reviewRating"]
    disputed = reviews["The city built 1,200 new homes last year"]["reviewRating"]
    no_text = reviews["Exports to Norway doubled in 2023"]["reviewRating"]
    assert (verified["ratingValue"], verified["alternateName"]) == (5, "True")
    assert (disputed["ratingValue"], disputed["alternateName"]) == (1, "Misleading")
    assert (no_text["ratingValue"], no_text["alternateName"]) == (5, "Verified")


def test_claimant_is_a_person_or_an_organization(data: ReportData) -> None:
    authors = {
        r["claimReviewed"]: r["itemReviewed"]["author"]
        for r in json.loads(render(data, "claimreview"))
    }
    assert authors["unemployment fell to 3.9 percent in April"]["@type"] == "Person"
    assert authors["The city built 1,200 new homes last year"] == {
        "@type": "Organization", "name": "City Council",
    }  # fmt: skip
    assert authors["Exports to Norway doubled in 2023"]["@type"] == "Organization"  # "office"


def test_review_url_follows_the_template(data: ReportData) -> None:
    templated = dataclasses.replace(data, review_url_template="https://fc.example/{claim_id}")
    urls = [r["url"] for r in json.loads(render(templated, "claimreview"))]
    assert urls == ["https://fc.example/c1", "https://fc.example/c2", "https://fc.example/c4"]
    default = [r["url"] for r in json.loads(render(data, "claimreview"))]
    assert default[0] == "https://factcheck.example/#claim-c1"


def test_hostile_text_cannot_close_a_script_element_and_still_expands() -> None:
    content = render(build(HOSTILE), "claimreview")
    assert b"<" not in content and b">" not in content
    reviews = json.loads(content)
    assert any(HOSTILE in r["claimReviewed"] for r in reviews)  # the text itself is kept exactly
    assert len(expand(content)) == len(reviews)
