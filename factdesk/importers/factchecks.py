"""Read fact-check collections: ClaimReview JSON-LD, Fact Check Tools claims:search JSON, CSV/TSV.

`parse_factchecks(path)` returns the usable items and every malformed one with where it was (line
or item number) and why. A file that is none of these formats raises ImportFailedError and nothing
is read from it. Pure: no board, no network.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from factdesk.domain import ImportFailedError
from factdesk.domain.factchecks import FactCheckItem, ParsedFactChecks, SkippedItem

MAX_BYTES = 2 * 1024 * 1024 * 1024

# CSV/TSV header names (lower case, spaces/dashes as underscores) -> item field
COLUMNS: dict[str, tuple[str, ...]] = {
    "claim": ("claim", "claim_text", "claimreviewed", "claim_reviewed", "text", "vclaim"),
    "review_url": ("url", "review_url", "reviewurl", "link", "review_link"),
    "rating": ("rating", "textualrating", "textual_rating", "verdict", "label"),
    "publisher": ("publisher", "site", "organisation", "organization", "fact_checker"),
    "claimant": ("claimant", "author", "speaker", "claim_author"),
    "claim_date": ("claim_date", "claimdate"),
    "review_date": ("date", "review_date", "reviewdate", "date_published", "datepublished"),
    "language": ("language", "lang", "languagecode", "language_code", "inlanguage"),
    "title": ("title", "headline", "name", "review_title"),
}
# With no URL column, a collection's own id column names each item (e.g. CheckThat! vclaim_id).
ID_COLUMNS = ("id", "vclaim_id", "claim_id", "review_id", "fact_check_id", "factcheck_id")


def parse_factchecks(path: str | Path) -> ParsedFactChecks:
    p = Path(path)
    try:
        size = p.stat().st_size
        if p.is_dir():
            raise ImportFailedError(str(p), "it is a folder, not a fact-check file")
        if size > MAX_BYTES:
            raise ImportFailedError(str(p), "it is over 2 GB; split it into smaller files")
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise ImportFailedError(str(p), "there is no such file") from exc
    except PermissionError as exc:
        raise ImportFailedError(str(p), "permission denied") from exc
    return parse_factcheck_bytes(data, str(p))


def parse_factcheck_bytes(data: bytes, source: str) -> ParsedFactChecks:
    if not data.strip():
        raise ImportFailedError(source, "the file is empty")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFailedError(source, _NOT_A_FORMAT + " (it looks like a binary file)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ""
        except UnicodeDecodeError:
            text = ""
        if not text:
            raise ImportFailedError(source, "it is not UTF-8 text; save it as UTF-8") from None
    head = text.lstrip()[:1]
    if head in ("{", "["):
        return _parse_json(text, source)
    return _parse_delimited(text, source)


_NOT_A_FORMAT = (
    "it is not a fact-check collection: expected ClaimReview JSON-LD, the Fact Check Tools "
    "claims:search JSON, or a CSV/TSV file with a header naming at least the claim and url columns"
)


# -- JSON ------------------------------------------------------------------------------------


def _parse_json(text: str, source: str) -> ParsedFactChecks:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailedError(
            source, f"it is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    if isinstance(doc, dict) and isinstance(doc.get("claims"), list) and "@context" not in doc:
        return _parse_claims_search(doc["claims"])
    nodes = list(_claimreview_nodes(doc))
    if not nodes:
        raise ImportFailedError(source, _NOT_A_FORMAT)
    items: list[FactCheckItem] = []
    skipped: list[SkippedItem] = []
    for where, node in nodes:
        if not isinstance(node, dict) or not _is_type(node, "ClaimReview"):
            skipped.append(SkippedItem(where, "not a ClaimReview"))
            continue
        try:
            items.append(_from_claimreview(node))
        except ValueError as exc:
            skipped.append(SkippedItem(where, str(exc)))
    return ParsedFactChecks("claimreview", tuple(items), tuple(skipped))


def _is_type(node: dict[str, Any], name: str) -> bool:
    kinds = node.get("@type", node.get("type"))
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(
        isinstance(k, str) and k.rsplit("/", 1)[-1].rsplit(":", 1)[-1] == name for k in kinds
    )


def _claimreview_nodes(doc: Any) -> Iterator[tuple[str, Any]]:
    """(where, node) for each candidate ClaimReview: one object, an array, @graph, a DataFeed."""
    if isinstance(doc, list):
        for i, node in enumerate(doc, 1):
            if isinstance(node, dict) and ("@graph" in node or _is_type(node, "DataFeed")):
                for where, inner in _claimreview_nodes(node):
                    yield f"item {i}, {where}", inner
            else:
                yield f"item {i}", node
        return
    if not isinstance(doc, dict):
        return
    if isinstance(doc.get("@graph"), list):
        for i, node in enumerate(doc["@graph"], 1):
            if isinstance(node, dict) and _is_type(node, "DataFeed"):
                yield from _claimreview_nodes(node)
            elif isinstance(node, dict) and _is_type(node, "ClaimReview"):
                yield f"@graph item {i}", node
        return
    if _is_type(doc, "DataFeed"):
        elements = doc.get("dataFeedElement")
        for i, el in enumerate(elements if isinstance(elements, list) else [], 1):
            if isinstance(el, dict) and _is_type(el, "DataFeedItem"):
                inner = el.get("item")
                inner_list = inner if isinstance(inner, list) else [inner]
                for j, node in enumerate(inner_list, 1):
                    yield f"dataFeedElement {i} item {j}", node
            else:
                yield f"dataFeedElement {i}", el
        return
    if _is_type(doc, "ClaimReview"):
        yield "item 1", doc


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g}"
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value") or value.get("url"))
    if isinstance(value, list):
        return ", ".join(t for t in (_text(v) for v in value) if t)
    return ""


def _from_claimreview(node: dict[str, Any]) -> FactCheckItem:
    claim = _text(node.get("claimReviewed"))
    reviewed = node.get("itemReviewed")
    reviewed = reviewed[0] if isinstance(reviewed, list) and reviewed else reviewed
    reviewed = reviewed if isinstance(reviewed, dict) else {}
    if not claim:
        claim = _text(reviewed.get("text") or reviewed.get("name"))
    url = _text(node.get("url") or node.get("@id"))
    if not claim:
        raise ValueError("no claimReviewed text")
    if not url:
        raise ValueError("no url")
    rating = node.get("reviewRating")
    rating = rating[0] if isinstance(rating, list) and rating else rating
    rating_text = ""
    if isinstance(rating, dict):
        rating_text = _text(rating.get("alternateName") or rating.get("name"))
        if not rating_text and rating.get("ratingValue") is not None:
            best = rating.get("bestRating")
            rating_text = _text(rating.get("ratingValue")) + (f"/{_text(best)}" if best else "")
    return FactCheckItem(
        claim=claim,
        review_url=url,
        rating=rating_text,
        publisher=_text(node.get("author") or node.get("publisher")),
        claimant=_text(reviewed.get("author")),
        claim_date=_text(reviewed.get("datePublished")),
        review_date=_text(node.get("datePublished")),
        language=_text(node.get("inLanguage")),
        title=_text(node.get("headline") or node.get("name")),
    )


def _parse_claims_search(claims: list[Any]) -> ParsedFactChecks:
    items: list[FactCheckItem] = []
    skipped: list[SkippedItem] = []
    for i, claim in enumerate(claims, 1):
        where = f"claims[{i - 1}]"
        if not isinstance(claim, dict):
            skipped.append(SkippedItem(where, "not an object"))
            continue
        text = _text(claim.get("text"))
        reviews = claim.get("claimReview")
        if not text:
            skipped.append(SkippedItem(where, "no claim text"))
            continue
        if not isinstance(reviews, list) or not reviews:
            skipped.append(SkippedItem(where, "no claimReview"))
            continue
        for j, review in enumerate(reviews):
            rwhere = f"{where}.claimReview[{j}]"
            url = _text(review.get("url")) if isinstance(review, dict) else ""
            if not url:
                skipped.append(SkippedItem(rwhere, "no url"))
                continue
            assert isinstance(review, dict)
            items.append(
                FactCheckItem(
                    claim=text,
                    review_url=url,
                    rating=_text(review.get("textualRating")),
                    publisher=_text(review.get("publisher")),
                    claimant=_text(claim.get("claimant")),
                    claim_date=_text(claim.get("claimDate")),
                    review_date=_text(review.get("reviewDate")),
                    language=_text(review.get("languageCode")),
                    title=_text(review.get("title")),
                )
            )
    return ParsedFactChecks("factchecktools", tuple(items), tuple(skipped))


# -- CSV / TSV -------------------------------------------------------------------------------


def _norm(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _parse_delimited(text: str, source: str) -> ParsedFactChecks:
    first = text.split("\n", 1)[0]
    if "\t" in first:
        # TSV carries no quoting (texts keep their quote marks as they are)
        reader = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
        fmt = "tsv"
    else:
        delimiter = ";" if first.count(";") > first.count(",") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        fmt = "csv"
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise ImportFailedError(source, _NOT_A_FORMAT) from exc
    names = [_norm(h) for h in header]
    index: dict[str, int] = {}
    for fieldname, synonyms in COLUMNS.items():
        for syn in synonyms:
            if syn in names:
                index[fieldname] = names.index(syn)
                break
    id_col = next((names.index(c) for c in ID_COLUMNS if c in names), None)
    if "claim" not in index or ("review_url" not in index and id_col is None):
        raise ImportFailedError(source, _NOT_A_FORMAT)
    url_col = index.get("review_url", id_col)
    assert url_col is not None
    used = set(index.values()) | {url_col}
    items: list[FactCheckItem] = []
    skipped: list[SkippedItem] = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                skipped.append(
                    SkippedItem(
                        f"line {line}", f"{len(row)} fields where the header has {len(header)}"
                    )
                )
                continue

            def cell(name: str, row: list[str] = row) -> str:
                i = index.get(name)
                return " ".join(row[i].split()) if i is not None else ""

            claim = cell("claim")
            url = " ".join(row[url_col].split())
            if not claim:
                skipped.append(SkippedItem(f"line {line}", "no claim text"))
                continue
            if not url:
                skipped.append(SkippedItem(f"line {line}", f"no {header[url_col]}"))
                continue
            items.append(
                FactCheckItem(
                    claim=claim,
                    review_url=url,
                    rating=cell("rating"),
                    publisher=cell("publisher"),
                    claimant=cell("claimant"),
                    claim_date=cell("claim_date"),
                    review_date=cell("review_date"),
                    language=cell("language"),
                    title=cell("title"),
                    extra={
                        header[i].strip(): row[i]
                        for i in range(len(header))
                        if i not in used and row[i].strip()
                    },
                )
            )
    except csv.Error as exc:
        raise ImportFailedError(source, f"it is not a readable CSV file ({exc})") from exc
    return ParsedFactChecks(fmt, tuple(items), tuple(skipped))
