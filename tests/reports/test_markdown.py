"""The Markdown report reads well in a wiki and stays inert whatever the fields contain."""

from __future__ import annotations

import html
import re

import pytest
from conftest import HEAD, HOSTILE, build

from factdesk.reports import ReportData, render
from factdesk.reports.markdown import md_escape

markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py renders the Markdown")


def to_html(text: str) -> str:
    # Raw HTML allowed, as in the most permissive wiki or CMS: escaping must not rely on it.
    return markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(text)


def test_markdown_has_the_report_content(data: ReportData) -> None:
    md = render(data, "md").decode("utf-8")
    for expected in (
        "# Verdict report", "Reviewer: Ana Checker", "Example Fact Check",
        "**2** Verified · **1** Disputed · **1** Unverified",
        "## 1\\. Unemployment falls again", "<https://news.example/jobs>",
        "### Claim 1.1 — Verified: True",
        "> The minister said on Monday that **unemployment fell to 3.9 percent in April**.",
        "Claimant: The minister", "Kind: statistic / quantity", "Rating: Misleading",
        "**Labour market bulletin, April** — supports (web page)",
        "URL: <https://stats.example/bulletin?m=4&y=2024> (accessed 2024-05-02)",
        "Quote: “The unemployment rate was 3.9 per cent.”",
        "File: permits-2023.pdf (47.1 KB), SHA-256 `" + "5e" * 32 + "`",
        "Called the ministry press office.", "Set status to verified",
        "## Evidence appendix", "| customs-table.png | image/png, 890.6 KB |",
        f"History head hash: `{HEAD}`", "factdesk board verify",
    ):  # fmt: skip
        assert expected in md, expected


def test_markdown_renders_to_the_expected_structure(data: ReportData) -> None:
    page = to_html(render(data, "md").decode("utf-8"))
    assert page.count("<h3>") == 4
    assert '<a href="https://stats.example/bulletin?m=4&amp;y=2024">' in page
    assert "<table>" in page and "<td>1.2</td>" in page
    # a non-web URL is shown, never linked
    assert "javascript:alert(4)" in page and 'href="javascript' not in page


def test_markup_and_link_injection_in_every_field_is_inert() -> None:
    md = render(build(HOSTILE), "md").decode("utf-8")
    page = to_html(md)
    assert not re.search(r"<(script|img|style|iframe)\b", page)
    assert "onerror=" not in re.sub(r"&lt;img[^<]*", "", page)  # only inside escaped text
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs and all(h.startswith("https://") for h in hrefs), hrefs
    # the text itself survives, readable: the reader sees what the article said
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 20
    assert page.count("[click](javascript:alert(3))") >= 20


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("# not a heading", "# not a heading"),
        ("- not a list", "- not a list"),
        ("1. not a list", "1. not a list"),
        ("> not a quote", "> not a quote"),
        ("*not emphasis* and _this_", "*not emphasis* and _this_"),
        ("`code` | pipe", "`code` | pipe"),
        ("[a](b) ![c](d) <b>x</b> &amp;", "[a](b) ![c](d) <b>x</b> &amp;"),
    ],
)
def test_escaped_text_renders_to_exactly_itself(text: str, shown: str) -> None:
    page = to_html(md_escape(text))
    assert page.startswith("<p>") and "<a" not in page and "<em>" not in page
    assert html.unescape(re.sub(r"</?p>", "", page)).strip() == shown
