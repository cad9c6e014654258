"""Importing fact-check collections: every published shape, bad items counted, bad files refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from factdesk import cli
from factdesk.domain import ImportFailedError
from factdesk.importers.factchecks import parse_factchecks
from factdesk.services import Workspace

FIXTURES = Path(__file__).with_name("fixtures")


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(list(args), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def ws(factdesk_home: Path) -> Workspace:
    workspace = Workspace.open(home=factdesk_home, plaintext=True)
    yield workspace  # type: ignore[misc]
    workspace.close()


def test_one_claimreview_object_keeps_every_field() -> None:
    parsed = parse_factchecks(FIXTURES / "claimreview-one.json")
    assert parsed.format == "claimreview" and not parsed.skipped
    [item] = parsed.items
    assert item.claim.startswith("The Harbour Bridge will be closed")
    assert item.review_url == "https://factcheck.example.org/2023/03/bridge-closure"
    assert item.rating == "False"
    assert item.publisher == "Example Fact Check"
    assert item.claimant == "Councillor Jane Roe"
    assert (item.claim_date, item.review_date, item.language) == ("2023-03-10", "2023-03-14", "en")
    assert item.title.startswith("No, the Harbour Bridge")


def test_a_data_feed_an_array_and_a_graph() -> None:
    feed = parse_factchecks(FIXTURES / "claimreview-feed.json")
    assert [i.rating for i in feed.items] == ["Pants on fire", "5/5"]
    assert [s.where for s in feed.skipped] == ["dataFeedElement 3 item 1"]
    assert "claimReviewed" in feed.skipped[0].reason

    array = parse_factchecks(FIXTURES / "claimreview-array.json")
    assert [i.review_url for i in array.items] == ["https://a.example.org/review/1"]
    assert [(s.where, s.reason) for s in array.skipped] == [
        ("item 2", "no url"),
        ("item 3", "not a ClaimReview"),
    ]

    graph = parse_factchecks(FIXTURES / "claimreview-graph.json")
    [item] = graph.items
    assert item.rating == "Misleading" and item.publisher == "News Example"


def test_fact_check_tools_claims_search_response() -> None:
    parsed = parse_factchecks(FIXTURES / "claims-search.json")
    assert parsed.format == "factchecktools"
    assert [(i.review_url, i.rating, i.publisher) for i in parsed.items] == [
        ("https://fullexample.org/5g-coronavirus", "False", "Full Example"),
        ("https://other.example/5g", "Incorrect", "Other Checker"),
    ]
    assert parsed.items[0].claimant == "Social media users"
    assert parsed.items[0].title == "5G does not spread the coronavirus"
    assert [s.where for s in parsed.skipped] == ["claims[1]", "claims[2]"]


def test_csv_with_quotes_and_extra_columns_and_a_tsv_without_urls() -> None:
    parsed = parse_factchecks(FIXTURES / "checks.csv")
    assert parsed.format == "csv"
    assert [i.review_url for i in parsed.items] == [
        "https://local.example/bills",
        "https://local.example/lead",
    ]
    assert parsed.items[0].claim == "The mayor said bills rose 18 percent, the most in a decade."
    assert parsed.items[0].extra == {"topic": "energy"}
    assert parsed.items[1].claim == 'Tap water in the city contains "dangerous" levels of lead.'
    assert [(s.where, s.reason) for s in parsed.skipped] == [
        ("line 3", "no claim text"),
        ("line 5", "3 fields where the header has 7"),
    ]
    tsv = parse_factchecks(FIXTURES / "vclaims.tsv")
    # no URL column: the collection's own id names each item; quotes are kept as written
    assert [(i.review_url, i.claim[:9]) for i in tsv.items] == [
        ("0", "A shark s"),
        ("1", 'The "Pope'),
    ]
    assert tsv.items[0].title == "Did a Shark Swim Down a Flooded Highway?"
    assert [s.where for s in tsv.skipped] == ["line 4"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a fact-check collection"),
        (
            b'{"@context": "https://schema.org", "@type": "NewsArticle"}',
            "not a fact-check collection",
        ),
        (b'{"claims": [ {"text": ', "not valid JSON"),
        (b"name,age\nAnn,4\n", "not a fact-check collection"),
        (
            b"Just a paragraph of prose, not a table.\nAnother line.\n",
            "not a fact-check collection",
        ),
    ],
)
def test_files_that_are_not_fact_checks_are_refused_and_nothing_is_written(
    ws: Workspace, tmp_path: Path, content: bytes, expected: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    with pytest.raises(ImportFailedError, match=expected) as raised:
        ws.import_factchecks(bad)
    assert "bad.json" in str(raised.value)
    assert ws.factcheck_collections() == []


def test_a_file_with_only_bad_items_writes_nothing(ws: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("claim,url\n,https://x.example/1\nsomething,\n", encoding="utf-8")
    with pytest.raises(Exception, match="none of its 2 items"):
        ws.import_factchecks(bad)
    assert ws.factcheck_collections() == []


def test_reimport_is_idempotent_and_a_changed_rating_updates(ws: Workspace, tmp_path: Path) -> None:
    first = ws.import_factchecks(FIXTURES / "checks.csv")
    assert (first.added, first.updated, first.unchanged, len(first.skipped)) == (2, 0, 0, 2)
    again = ws.import_factchecks(FIXTURES / "checks.csv")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    changed = tmp_path / "checks.csv"
    changed.write_text(
        (FIXTURES / "checks.csv").read_text(encoding="utf-8").replace("Mostly true", "False"),
        encoding="utf-8",
    )
    third = ws.import_factchecks(changed)
    assert (third.added, third.updated, third.unchanged) == (0, 1, 1)
    [coll] = ws.factcheck_collections()
    assert coll.items == 2 and coll.name == "checks.csv"
    matcher = ws.matcher()
    matcher.refresh()
    hits = matcher.match_text("bills rose 18 percent", 5)
    assert hits and hits[0].url == "https://local.example/bills" and hits[0].rating == "False"


def test_cli_import_list_remove(factdesk_home: Path) -> None:
    code, out, err = run(
        "--plaintext",
        "factchecks",
        "import",
        str(FIXTURES / "claimreview-feed.json"),
        str(FIXTURES / "claims-search.json"),
        str(FIXTURES / "checks.csv"),
    )
    assert code == 0, err
    assert "claimreview-feed.json: claimreview, 2 added, 0 updated, 0 unchanged, 1 skipped" in out
    assert "skipped dataFeedElement 3 item 1" in err
    code, out, _ = run("factchecks", "list")
    assert code == 0 and out.count("\n") == 3 and "claims-search.json" in out
    code, out, _ = run("factchecks", "remove", "claims-search.json")
    assert code == 0 and "2 fact-checks" in out
    code, out, _ = run("factchecks", "list")
    assert "claims-search.json" not in out and out.count("\n") == 2
    code, _, err = run("factchecks", "import", str(FIXTURES))
    assert code == 1 and "folder" in err
