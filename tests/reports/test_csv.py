"""CSV reports open cleanly in spreadsheets and never carry a live formula."""

from __future__ import annotations

import csv
import dataclasses
import io

from conftest import build

from factdesk.reports import ArticleReport, ClaimReport, ReportData, render, render_csv_links

FORMULAS = ["=1+2", "+SUM(A1)", "-3+cmd|' /C calc'!A0", "@SUM(1)", "\t=1", "\r=1"]


def rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_one_row_per_claim_with_verdict_and_context(data: ReportData) -> None:
    claims = rows(render(data, "csv"))
    assert [(r["article_no"], r["claim_no"]) for r in claims] == [
        ("1", "1"), ("1", "2"), ("1", "3"), ("2", "1"),
    ]  # fmt: skip
    first = claims[0]
    assert first["claim"] == "unemployment fell to 3.9 percent in April"
    assert first["context"] == (
        "The minister said on Monday that unemployment fell to 3.9 percent in April."
    )
    assert first["status"] == "verified" and first["verdict"] == "True"
    assert (
        first["explanation"]
        == "The statistics office bulletin gives 3.9 percent.\nSeasonally adjusted."
    )
    assert first["evidence_count"] == "2" and first["article_url"] == "https://news.example/jobs"
    assert claims[2]["verdict"] == "Unverified" and claims[2]["claimant"] == ""


def test_one_row_per_claim_evidence_link(data: ReportData) -> None:
    links = rows(render_csv_links(data))
    assert [r["link_id"] for r in links] == ["l1", "l2", "l3", "l4", "l5"]
    by_id = {r["link_id"]: r for r in links}
    assert by_id["l1"]["stance"] == "supports" and by_id["l1"]["accessed"] == "2024-05-02"
    assert by_id["l1"]["quote"] == "The unemployment rate was 3.9 per cent."
    assert by_id["l2"]["evidence_kind"] == "note"
    assert (
        by_id["l3"]["file_name"] == "permits-2023.pdf" and by_id["l3"]["file_sha256"] == "5e" * 32
    )
    assert by_id["l5"]["file_size"] == "912004"


def _poisoned(value: str) -> ReportData:
    data = build()
    ar = data.articles[0]
    cr = ar.claims[0]
    link = cr.links[0]
    evidence = dataclasses.replace(link.evidence, title=value, quote=value, notes=value, url=value)
    claim = dataclasses.replace(cr.claim, claimant=value, explanation=value, rating=value)
    article = dataclasses.replace(ar.article, title=value, outlet=value)
    new_cr = ClaimReport(claim, (dataclasses.replace(link, note=value, evidence=evidence),))
    return dataclasses.replace(data, articles=(ArticleReport(article, (new_cr,)),))


def test_cells_starting_like_formulas_are_neutralised() -> None:
    for formula in FORMULAS:
        data = _poisoned(formula)
        claim_rows = rows(render(data, "csv"))
        link_rows = rows(render_csv_links(data))
        cells = [v for r in claim_rows + link_rows for v in r.values()]
        assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells), formula
        claim, link = claim_rows[0], link_rows[0]
        for cell in (
            claim["claimant"], claim["rating"], claim["article_title"], claim["explanation"],
            link["title"], link["quote"], link["notes"], link["link_note"],
        ):  # fmt: skip
            assert cell == "'" + formula
        assert link["url"] == ""  # not an http(s) or mailto address: no export carries it


def test_ordinary_text_is_untouched() -> None:
    data = _poisoned('3 = 3, said O\'Brien; "quoted", comma')
    claim = rows(render(data, "csv"))[0]
    assert claim["claimant"] == '3 = 3, said O\'Brien; "quoted", comma'
