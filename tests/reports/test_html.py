"""The HTML report: everything an editor needs is in it, it stands alone, and markup is inert."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markupsafe
from conftest import HEAD, HOSTILE, build

from factdesk.reports import ReportData, render, render_qt_html

ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "div", "h1", "h2", "h3", "h4", "p", "span",
    "strong", "table", "thead", "tbody", "tr", "th", "td", "a", "ol", "li", "br", "footer",
}  # fmt: skip


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.style: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        (self.style if self._in_style else self.text).append(data)


def parse(doc: str) -> _Collector:
    collector = _Collector()
    collector.feed(doc)
    collector.close()
    return collector


def visible_text(doc: str) -> str:
    return " ".join("".join(parse(doc).text).split())


def test_report_shows_header_counts_claims_evidence_history_and_hash(data: ReportData) -> None:
    doc = render(data, "html").decode("utf-8")
    text = visible_text(doc)
    for expected in (
        "Unemployment falls again", "Daily Example", "https://news.example/jobs", "2024-04-30",
        "Ana Checker", "Example Fact Check", "2024-05-03 14:05 UTC",
        "2 Verified", "1 Disputed", "1 Unverified",
        # the claim in its sentence
        "The minister said on Monday that unemployment fell to 3.9 percent in April.",
        "The minister", "statistic / quantity", "prediction", "Misleading",
        "Building permits show 640 completions.",
        # evidence: url, file and note
        "Labour market bulletin, April", "Statistics Office", "R. Table",
        "https://stats.example/bulletin?m=4&y=2024", "accessed 2024-05-02",
        "The unemployment rate was 3.9 per cent.", "SUPPORTS", "REFUTES", "CONTEXT",
        "permits-2023.pdf", "5e" * 32, "Called the ministry press office.",
        "customs-table.png", "c0ffee" + "11" * 29,
        # history, appendix, integrity
        "Set status to verified", "status: unverified → verified", "Evidence appendix",
        HEAD, "factdesk board verify",
    ):  # fmt: skip
        assert expected in text, expected
    # the appendix lists each attachment with the claims using it
    appendix = doc[doc.index("Evidence appendix") :]
    assert "permits-2023.pdf" in appendix and "customs-table.png" in appendix
    assert re.search(r"<td>1\.2</td>", appendix) and re.search(r"<td>2\.1</td>", appendix)


def test_history_is_left_out_unless_asked() -> None:
    doc = render(build(include_history=False), "html").decode()
    assert "Set status to verified" not in visible_text(doc)
    assert "<h4>History</h4>" not in doc
    assert "<h4>History</h4>" in render(build(include_history=True), "html").decode()


def test_single_article_scope_numbers_claims_without_article_prefix(data: ReportData) -> None:
    one = ReportData(**{**data.__dict__, "articles": data.articles[:1], "scope": "Article"})
    text = visible_text(render(one, "html").decode())
    assert "Claim 1 " in text and "Claim 3 " in text and "Claim 1.1" not in text
    assert "Trade with Norway" not in text


def test_html_is_self_contained_phone_and_print_ready(data: ReportData) -> None:
    doc = render(data, "html").decode("utf-8")
    parsed = parse(doc)
    tags = {t for t, _ in parsed.tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "svg", "base"}
    for tag, attrs in parsed.tags:
        assert "src" not in attrs
        if tag == "a":
            assert attrs["href"].startswith("https://")  # a link to read, never a resource
    style = "".join(parsed.style)
    assert "@import" not in style and "url(" not in style
    assert "@media print" in style and "@media (max-width" in style
    assert any(
        t == "meta" and a.get("name") == "viewport" and "width=device-width" in (a["content"] or "")
        for t, a in parsed.tags
    )
    csp = [a["content"] for t, a in parsed.tags if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]


def _assert_inert(doc: str) -> None:
    parsed = parse(doc)
    for tag, attrs in parsed.tags:
        assert tag in ALLOWED_TAGS, tag
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        if tag == "a":
            assert re.match(r"https?://", attrs["href"] or ""), attrs
    assert [t for t, _ in parsed.tags].count("style") == 1
    assert "alert(" not in "".join(parsed.style)  # nothing escaped the style element
    # the hostile text is shown, as text, wherever it was put
    assert visible_text(doc).count(HOSTILE) >= 20
    assert "<script>" not in doc and "<img" not in doc


def test_markup_in_every_field_is_shown_as_text() -> None:
    data = build(HOSTILE)
    _assert_inert(render(data, "html").decode("utf-8"))
    _assert_inert(render_qt_html(data))


def test_hostile_claim_text_is_highlighted_as_text() -> None:
    data = build(HOSTILE)
    doc = render(data, "html").decode("utf-8")
    assert re.search(
        rf'<span class="claimtext-\w+">{re.escape(str(markupsafe.escape(HOSTILE)))}</span>', doc
    )


def test_each_claim_is_tinted_by_its_verdict() -> None:
    data = build()
    for doc in (render(data, "html").decode("utf-8"), render_qt_html(data)):
        for _, cr in data.claims:
            c = cr.claim
            escaped = str(markupsafe.escape(c.text))
            assert f'<span class="claimtext-{c.status}">{escaped}</span>' in doc
