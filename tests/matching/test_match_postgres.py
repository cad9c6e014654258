"""Matching on a team board (the real PostgreSQL server of tests/core/test_postgres.py): the same
fact-checks and claims give the same matches as on a laptop's SQLite board, lexical part included,
with the same scores."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from factdesk.services import Workspace
from factdesk.store import factchecks as store_fc
from tests.core.test_postgres import PG_BIN, pg_url  # noqa: F401  (the server fixture)
from tests.matching.conftest import FIRST, FIXTURES, SECOND, _claims_of

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not Path(PG_BIN, "pg_ctl").exists(),
        reason="PostgreSQL server binaries (initdb, pg_ctl) not found",
    ),
]

QUERIES = [
    "Water bills will go up 18 percent in July, said the mayor",
    "Do the new 5G phone masts spread covid?",
    "there are tracking chips inside the covid jabs",
    "The library opens on Sundays",
    "potholes at the town hall",
    "microchips",
    "zzzz qqqq",
]


def _fill(ws: Workspace) -> None:
    _claims_of(ws, FIRST)
    _, second = _claims_of(ws, SECOND)
    ws.set_status(second[0], "disputed", "Council papers show 8 percent.")
    for name in ("claimreview-feed.json", "claims-search.json", "vclaims.tsv", "checks.csv"):
        ws.import_factchecks(FIXTURES / name)


def _database(url: str, name: str) -> str:
    import psycopg

    server = url.rsplit("/", 1)[0]
    host, port = server.rsplit("@", 1)[1].split(":")
    with psycopg.connect(
        f"host={host} port={port} user=factdesk dbname=postgres", autocommit=True
    ) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"


def _scored(ws: Workspace, hits: list[tuple[int, float]]) -> list[tuple[str, float]]:
    info = store_fc.doc_info(ws._ctx.board, [d for d, _ in hits])
    return [(info[d].text, score) for d, score in hits]


def _texts(ws: Workspace, hits: list[tuple[int, float]]) -> list[str]:
    info = store_fc.doc_info(ws._ctx.board, [d for d, _ in hits])
    return [info[d].text for d, _ in hits]


def test_a_team_board_matches_as_a_laptop_board_does(
    pg_url: str,  # noqa: F811
    factdesk_home: Path,
) -> None:
    team_url = _database(pg_url, "match_board")
    with Workspace.open(team_url, actor="ana") as team, Workspace.open(home=factdesk_home) as mine:
        _fill(team)
        _fill(mine)
        assert team.matcher().refresh() == mine.matcher().refresh() > 10
        for query in QUERIES:
            ours = [
                (m.kind, m.text, m.url if m.kind == "factcheck" else "")
                for m in mine.matcher().match_text(query, 5)
            ]
            theirs = [
                (m.kind, m.text, m.url if m.kind == "factcheck" else "")
                for m in team.matcher().match_text(query, 5)
            ]
            assert theirs == ours, query
            # the lexical part on its own: the same docs, best first, with the same scores
            lex_mine = store_fc.lexical(mine._ctx.board, query, 20)
            lex_team = store_fc.lexical(team._ctx.board, query, 20)
            assert _scored(team, lex_team) == _scored(mine, lex_mine), query
        assert _texts(team, store_fc.lexical(team._ctx.board, "microchips", 5))
        # a removed collection leaves the team board's matches (lexical and dense)
        team.remove_factchecks("claimreview-feed.json")
        urls = [m.url for m in team.matcher().match_text("tracking chips in covid jabs", 5)]
        assert "https://checks.example.net/vaccine-microchips" not in urls
        assert not store_fc.lexical(team._ctx.board, "microchips", 5)


WORDS = [
    "mayor",
    "council",
    "water",
    "bills",
    "rise",
    "percent",
    "july",
    "vaccine",
    "vaccines",
    "vaccination",
    "chips",
    "5G",
    "masts",
    "covid-19",
    "spread",
    "spreading",
    "spreads",
    "Zelensky",
    "Kyiv",
    "café",
    "Москва",
    "2020",
    "18%",
    "1,000",
    "tax",
    "taxes",
    "refugees",
    "crime",
    "rate",
    "rates",
    "rated",
    "school",
    "schools",
    "teachers",
    "paid",
    "pay",
    "paying",
    "election",
    "ballots",
    "fraud",
    "fraudulent",
    "migrants",
    "border",
    "wall",
    "wallet",
    "tariff",
    "tariffs",
    "China",
    "Mexico",
    "jobs",
]


def _collection(path: Path, n: int, seed: int) -> list[str]:
    """n fact-checks of random claims over a small vocabulary (many shared words, repeats,
    accents, another script, numbers), written as a CSV; returns their claims."""
    rnd = random.Random(seed)
    claims = []
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["claim", "rating", "url", "title"])
        for i in range(n):
            claim = " ".join(rnd.choices(WORDS, k=rnd.randint(3, 14)))
            title = " ".join(rnd.choices(WORDS, k=rnd.randint(0, 5)))
            claims.append(claim)
            out.writerow([claim, "False", f"https://checks.example/{seed}/{i}", title])
    return claims


def test_lexical_scores_and_fused_ranking_are_the_same_number_on_both_backends(
    pg_url: str,  # noqa: F811
    factdesk_home: Path,
    tmp_path: Path,
) -> None:
    """Hundreds of docs sharing words, so that BM25 ties and near-ties are everywhere: the lexical
    hits (doc, score), the fused scores and their order are equal on PostgreSQL and SQLite, also
    after a collection was removed and another imported (the statistics change)."""
    team_url = _database(pg_url, "match_scores")
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    claims = _collection(first, 400, 1)
    _collection(second, 150, 2)
    rnd = random.Random(3)
    queries = [" ".join(rnd.choices(WORDS, k=rnd.randint(1, 12))) for _ in range(40)]
    queries += [c + " said the mayor" for c in claims[:10]]
    with Workspace.open(team_url, actor="ana") as team, Workspace.open(home=factdesk_home) as mine:
        for step in ("both", "one removed"):
            if step == "both":
                for ws in (team, mine):
                    ws.import_factchecks(first)
                    ws.import_factchecks(second)
            else:
                for ws in (team, mine):
                    ws.remove_factchecks("first.csv")
                    ws.import_factchecks(first)
                    ws.remove_factchecks("second.csv")
            assert team.matcher().refresh() == mine.matcher().refresh()
            for query in queries:
                lex_mine = store_fc.lexical(mine._ctx.board, query, 100)
                lex_team = store_fc.lexical(team._ctx.board, query, 100)
                assert lex_mine, query
                assert _scored(team, lex_team) == _scored(mine, lex_mine), (step, query)
                ours = [(m.url, m.score) for m in mine.matcher().match_text(query, 10)]
                theirs = [(m.url, m.score) for m in team.matcher().match_text(query, 10)]
                assert theirs == ours, (step, query)
