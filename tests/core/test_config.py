"""Settings as a desk sets them once: `factdesk config`, then every report and ClaimReview uses them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from factdesk import cli
from factdesk.domain import ClaimStatus
from tests.core.helpers import board_with_article


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(list(args), out, err)
    return code, out.getvalue(), err.getvalue()


def test_config_set_then_get(factdesk_home: Path) -> None:
    assert run("config", "get", "reviewer") == (0, "\n", "")
    code, out, _ = run("config", "set", "reviewer", "  Ana Example ")
    assert code == 0 and out == "reviewer = Ana Example\n"
    run("config", "set", "organisation", "Example Fact Check")
    run("config", "set", "review-url", "https://desk.example/checks/{claim_id}")
    assert run("config", "get", "reviewer")[1] == "Ana Example\n"
    code, out, _ = run("config", "get")
    assert "organisation = Example Fact Check" in out
    assert "review-url = https://desk.example/checks/{claim_id}" in out
    run("config", "set", "organisation", "")
    assert run("config", "get", "organisation")[1] == "\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("set", "colour", "red"), "There is no setting 'colour'"),
        (("set", "review-url", "https://desk.example/checks/"), "put {claim_id}"),
        (("set", "review-url", "desk.example/{claim_id}"), "not a web address"),
        (("set", "organisation-url", "ftp://desk.example"), "not a web address"),
        (("set", "max-import-mb", "lots"), "whole number of megabytes"),
        (("set", "reviewer"), "Give a key and a value"),
    ],
)
def test_config_refuses_bad_values_in_one_line(
    factdesk_home: Path, args: tuple[str, ...], message: str
) -> None:
    code, out, err = run("config", *args)
    assert code == 1 and out == ""
    assert message in err and err.count("\n") == 1
    assert not (factdesk_home / "config" / "settings.json").exists()


def test_reports_name_the_reviewer_and_claimreview_uses_the_url_pattern(
    factdesk_home: Path, tmp_path: Path
) -> None:
    run("config", "set", "reviewer", "Ana Example")
    run("config", "set", "organisation", "Example Fact Check")
    ws, article_id, (claim_id, _) = board_with_article(factdesk_home)
    ws.set_status(claim_id, ClaimStatus.DISPUTED, "The minutes say 14 percent.")
    ws.close()
    out_md = tmp_path / "report.md"
    assert run("export", article_id[:8], "--format", "md", "-o", str(out_md))[0] == 0
    md = out_md.read_text(encoding="utf-8")
    assert "Reviewer: Ana Example" in md and "Reviewed by: Ana Example" in md

    jsonld = tmp_path / "reviews.jsonld"
    code, _, err = run("export", article_id[:8], "--format", "claimreview", "-o", str(jsonld))
    assert code == 0
    assert "warning" in err and "urn:uuid" in err and "review-url" in err
    assert json.loads(jsonld.read_text())[0]["url"] == f"urn:uuid:{claim_id}"

    run("config", "set", "review-url", "https://desk.example/checks/{claim_id}")
    code, _, err = run("export", article_id[:8], "--format", "claimreview", "-o", str(jsonld))
    assert code == 0 and err == ""
    review = json.loads(jsonld.read_text())[0]
    assert review["url"] == f"https://desk.example/checks/{claim_id}"
    assert review["author"]["name"] == "Example Fact Check"


def test_without_a_name_no_report_calls_the_reviewer_by_the_login(
    factdesk_home: Path, tmp_path: Path
) -> None:
    import getpass

    ws, article_id, (claim_id, _) = board_with_article(factdesk_home)
    ws.set_status(claim_id, ClaimStatus.VERIFIED)
    data = ws.report_data(article_id)
    ws.close()
    assert data.reviewer == ""
    assert all(c.claim.reviewer == "" for a in data.articles for c in a.claims)
    out = tmp_path / "r.html"
    assert run("export", article_id[:8], "--format", "html", "-o", str(out))[0] == 0
    assert f"<td>{getpass.getuser()}</td>" not in out.read_text(encoding="utf-8")
