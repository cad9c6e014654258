"""Schema 0014 rebuilds the lexical matching index of a board written by the schema before it
(FTS5's porter tokenizer): after the upgrade the board finds and scores fact-checks exactly as a board
that imported them under 0014, and keeps doing so as fact-checks come and go."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from factdesk.services import Workspace
from factdesk.store import factchecks as store_fc
from factdesk.store import migrate
from tests.matching.conftest import FIRST, FIXTURES, SECOND, _claims_of

QUERIES = [
    "Water bills will go up 18 percent in July, said the mayor",
    "there are tracking chips inside the covid jabs",
    "5G masts spreading coronavirus",
    "The library opens on Sundays",
]


def _fill(ws: Workspace) -> None:
    _claims_of(ws, FIRST)
    _claims_of(ws, SECOND)
    for name in ("claimreview-feed.json", "claims-search.json", "vclaims.tsv", "checks.csv"):
        ws.import_factchecks(FIXTURES / name)


def _lexical(ws: Workspace, query: str) -> list[tuple[str, float]]:
    hits = store_fc.lexical(ws._ctx.board, query, 20)
    info = store_fc.doc_info(ws._ctx.board, [d for d, _ in hits])
    return [(info[d].text, score) for d, score in hits]


def test_a_board_of_the_schema_before_is_reindexed_and_scores_as_a_new_one(tmp_path: Path) -> None:
    old, new = tmp_path / "old.fdb", tmp_path / "new.fdb"
    for path in (old, new):
        with Workspace.open(path, home=tmp_path / "home", plaintext=True) as ws:
            _fill(ws)
    engine = create_engine(f"sqlite:///{old}")
    with engine.begin() as conn:
        before = ScriptDirectory.from_config(migrate._config()).get_revision("0014").down_revision
        command.downgrade(migrate._config(conn), str(before))  # the schema before 0014
    with engine.connect() as conn:
        ddl = conn.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'match_fts'"))
        bodies = conn.scalars(text("SELECT body FROM match_fts")).all()
    engine.dispose()
    assert (
        "porter" in ddl and "COVID-19 vaccines contain microchips that track people." in bodies
    )  # 0010's index: the texts

    with (
        Workspace.open(old, home=tmp_path / "home") as up,
        Workspace.open(new, home=tmp_path / "home") as fresh,
    ):
        assert up.info().schema_revision == migrate.HEAD
        assert list((tmp_path / "home").rglob("*old*")), "a backup is taken first"
        for query in QUERIES:
            assert _lexical(up, query) == _lexical(fresh, query), query
        assert all(_lexical(up, query) for query in QUERIES[:3])
        # the counters carry on: claims coming in and a collection removed score as on the new board
        for ws in (up, fresh):
            assert ws.matcher().pending() > 0
            ws.remove_factchecks("vclaims.tsv")
        for query in QUERIES:
            assert _lexical(up, query) == _lexical(fresh, query), query
            assert _lexical(up, query), query
