"""ClaimReview JSON-LD (schema.org) for publishing fact-checks.

One ClaimReview per verified or disputed claim; unverified claims only when the report data asks
for them (`include_unverified`). The output is a JSON array of self-contained ClaimReview objects
(each with its own `@context`), so one of them can be pasted alone into a page's
`<script type="application/ld+json">`; `<`, `>` and `&` are written as `\\u003c`-style escapes so
no string can close that script element.

Rating mapping (a 1-5 scale, `bestRating` 5, `worstRating` 1):

============  ===========  =====================================================
status        ratingValue  meaning
============  ===========  =====================================================
verified      5            the evidence supports the claim
unverified    3            not established either way (only exported if asked)
disputed      1            the evidence contradicts the claim
============  ===========  =====================================================

`reviewRating.alternateName` is the reviewer's rating text ("Misleading", "Mostly true", ...) and,
when none was written, the status ("Verified", "Disputed", "Unverified").

`itemReviewed` is a Claim whose `author` is the claimant, a Person or an Organization (decided by
the named-entity label the detector gave the claimant, else by organisation words in the name);
a claim asserted by the article itself is attributed to its authors, or else to its outlet.
`appearance` is the article (CreativeWork with its URL); `datePublished` is the article's date.
The review's `author` is the organisation from settings, `datePublished` the report date, and `url`
comes from `ReportData.review_url_template` or, without one, is the organisation's address with a
`#claim-<id>` fragment (a `urn:uuid:` when no address is set).
"""

from __future__ import annotations

import json
import re
from typing import Any

from factdesk.domain.enums import ClaimStatus
from factdesk.domain.records import ArticleRecord, ClaimRecord
from factdesk.reports.model import ReportData, export_url, verdict_text

BEST_RATING = 5
WORST_RATING = 1
RATING_VALUES: dict[ClaimStatus, int] = {
    ClaimStatus.VERIFIED: 5,
    ClaimStatus.UNVERIFIED: 3,
    ClaimStatus.DISPUTED: 1,
}

SCHEMA_CONTEXT = "https://schema.org"

_ORG_WORDS = re.compile(
    r"\b(ministry|department|office|agency|bureau|council|committee|commission|government|"
    r"parliament|congress|senate|party|university|institute|association|federation|union|bank|"
    r"company|corporation|corp|inc|ltd|llc|plc|group|foundation|trust|service|authority|"
    r"organi[sz]ation|police|army|court|board|fund|news|times|post|press|network|"
    r"campaign|coalition|league|club|society|centre|center|hospital|school|college|"
    r"administration|embassy|team|nato|imf)\b",
    re.IGNORECASE,
)
_ORG_LABELS = frozenset({"ORG", "NORP", "GPE", "LOC", "FAC"})


def _party(name: str, claim: ClaimRecord | None) -> dict[str, Any]:
    kind = "Person"
    folded = name.casefold()
    labels = [
        e.label for e in (claim.entities if claim else ()) if e.text.casefold() in folded and e.text
    ]
    if "PERSON" in labels:
        kind = "Person"
    elif any(label in _ORG_LABELS for label in labels) or _ORG_WORDS.search(name):
        kind = "Organization"
    return {"@type": kind, "name": name}


def _claim_author(claim: ClaimRecord, article: ArticleRecord) -> dict[str, Any] | list[Any] | None:
    if claim.claimant.strip():
        return _party(claim.claimant.strip(), claim)
    if article.authors:
        people = [{"@type": "Person", "name": a} for a in article.authors]
        return people[0] if len(people) == 1 else people
    if article.outlet:
        return {"@type": "Organization", "name": article.outlet}
    return None


def review_url(data: ReportData, claim: ClaimRecord) -> str:
    if data.review_url_template:
        url = export_url(
            data.review_url_template.replace("{claim_id}", claim.id).replace(
                "{article_id}", claim.article_id
            )
        )
        if url:
            return url
    org = export_url(data.organisation_url)
    if org.startswith("http"):
        return f"{org.split('#')[0]}#claim-{claim.id}"
    return f"urn:uuid:{claim.id}"


def claim_reviews(data: ReportData) -> list[dict[str, Any]]:
    """The ClaimReview objects, as plain JSON-ready dicts, in report order."""
    wanted = {ClaimStatus.VERIFIED, ClaimStatus.DISPUTED}
    if data.include_unverified:
        wanted.add(ClaimStatus.UNVERIFIED)
    reviews: list[dict[str, Any]] = []
    for ar in data.articles:
        art = ar.article
        for cr in ar.claims:
            c = cr.claim
            if c.status not in wanted:
                continue
            appearance: dict[str, Any] = {"@type": "CreativeWork"}
            if export_url(art.url):
                appearance["url"] = export_url(art.url)
            if art.title:
                appearance["headline"] = art.title
            if art.published:
                appearance["datePublished"] = art.published.isoformat()
            if art.outlet:
                appearance["publisher"] = {"@type": "Organization", "name": art.outlet}
            item: dict[str, Any] = {"@type": "Claim", "appearance": appearance}
            author = _claim_author(c, art)
            if author is not None:
                item["author"] = author
            if art.published:
                item["datePublished"] = art.published.isoformat()
            organisation: dict[str, Any] = {
                "@type": "Organization",
                "name": data.organisation or data.reviewer or "Unknown",
            }
            if export_url(data.organisation_url):
                organisation["url"] = export_url(data.organisation_url)
            review: dict[str, Any] = {
                "@context": SCHEMA_CONTEXT,
                "@type": "ClaimReview",
                "url": review_url(data, c),
                "claimReviewed": c.text,
                "itemReviewed": item,
                "author": organisation,
                "datePublished": data.generated_at.date().isoformat(),
                "reviewRating": {
                    "@type": "Rating",
                    "ratingValue": RATING_VALUES[c.status],
                    "bestRating": BEST_RATING,
                    "worstRating": WORST_RATING,
                    "alternateName": verdict_text(c),
                },
            }
            if c.explanation:
                review["reviewBody"] = c.explanation
            reviews.append(review)
    return reviews


def render_claimreview(data: ReportData) -> bytes:
    text = json.dumps(claim_reviews(data), ensure_ascii=False, indent=2)
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return (text + "\n").encode("utf-8")
