"""Matching on a team board (the real PostgreSQL server of tests/core/test_postgres.py): the same
fact-checks and claims give the same matches as on a laptop's SQLite board, lexical part included."""

from __future__ import annotations

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
            # the lexical part on its own: the same docs, best first
            lex_mine = _texts(mine, store_fc.lexical(mine._ctx.board, query, 5))
            lex_team = _texts(team, store_fc.lexical(team._ctx.board, query, 5))
            assert lex_team[:1] == lex_mine[:1], query
            assert set(lex_team) == set(lex_mine) or len(lex_mine) == 5, query
        assert _texts(team, store_fc.lexical(team._ctx.board, "microchips", 5))
        # a removed collection leaves the team board's matches (lexical and dense)
        team.remove_factchecks("claimreview-feed.json")
        urls = [m.url for m in team.matcher().match_text("tracking chips in covid jabs", 5)]
        assert "https://checks.example.net/vaccine-microchips" not in urls
        assert not store_fc.lexical(team._ctx.board, "microchips", 5)
