"""Fact-check collections travel with a sync (real SQLCipher laptops, a real PostgreSQL team
board): what one laptop imported is matched on the other, a re-sync moves nothing, a rating
changed by a re-import reaches the others, an interrupted sync resumes without duplicates, and a
board of the schema before (0009) keeps its sync position."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factdesk import cli
from factdesk.services import Workspace
from tests.core.test_postgres import pg_url, pytestmark  # noqa: F401  (the server fixture)
from tests.core.test_sync import laptops, team  # noqa: F401  (a team board, two laptop paths)

CSV = """claim,rating,url,publisher,date
"The mayor said water bills rose 18 percent, the most in a decade.",Mostly true,https://checks.example/bills,Local Checks,2024-02-01
"Tap water in the city contains dangerous levels of lead.",Unproven,https://checks.example/lead,Local Checks,2024-02-03
"""


def _collection(tmp_path: Path, body: str = CSV, name: str = "desk-checks.csv") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def _items(ws: Workspace) -> dict[str, str]:
    """review URL -> rating of every fact-check on the board."""
    from factdesk.store import factchecks as store_fc

    with ws._ctx.board.reading() as session:
        return {
            url: rating
            for url, rating in session.execute(
                store_fc.select(store_fc.FactCheck.review_url, store_fc.FactCheck.rating)
            )
        }


def test_fact_checks_imported_on_one_laptop_are_matched_on_the_other(
    team: str,  # noqa: F811
    laptops: tuple[Path, Path],  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    a_path, b_path = laptops
    checks = _collection(tmp_path)
    with Workspace.open(a_path, actor="ana") as ana:
        assert ana.import_factchecks(checks).added == 2
        sent = ana.sync(team)
        assert (sent.factchecks_sent, sent.factchecks_received) == (2, 0)
        assert not ana.sync().moved  # its own items coming back change nothing
    with Workspace.open(b_path, actor="ben") as ben:
        got = ben.sync(team)
        assert (got.factchecks_received, got.factchecks_sent) == (2, 0)
        assert not ben.sync().moved  # what came from the team board is not sent back
        matcher = ben.matcher()
        matcher.refresh()
        [best] = matcher.match_text("Did water bills really rise 18 percent?", 1)
        assert (best.url, best.rating) == ("https://checks.example/bills", "Mostly true")
    assert cli.run(["--board", str(b_path), "match", "water bills rose 18 percent", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert "https://checks.example/bills" in json.dumps(found)
    # Ana re-imports the file with a new rating: it reaches Ben, updated, not duplicated
    _collection(tmp_path, CSV.replace("Mostly true", "False"))
    with Workspace.open(a_path, actor="ana") as ana:
        assert ana.import_factchecks(checks).updated == 1
        assert ana.sync().factchecks_sent == 1
    assert cli.run(["--board", str(b_path), "sync"]) == 0
    assert "fact-checks: 1 received" in capsys.readouterr().out
    with (
        Workspace.open(a_path, actor="ana") as ana,
        Workspace.open(b_path, actor="ben") as ben,
        Workspace.open(team) as server,
    ):
        expected = {
            "https://checks.example/bills": "False",
            "https://checks.example/lead": "Unproven",
        }
        assert _items(ana) == _items(ben) == _items(server) == expected
        [coll] = ben.factcheck_collections()
        assert (coll.name, coll.items) == ("desk-checks.csv", 2)
        matcher = ben.matcher()
        matcher.refresh()
        [best] = matcher.match_text("Did water bills really rise 18 percent?", 1)
        assert best.rating == "False"
        assert not ana.sync().moved and not ben.sync().moved
    assert cli.run(["--board", str(b_path), "sync"]) == 0
    assert "Already in sync" in capsys.readouterr().out


def _cut_until_done(ws: Workspace, url: str) -> int:
    """Sync, cut after the second batch each time (each try gets one batch further), until a
    sync finishes; returns how many were cut."""
    cut = 0
    while True:
        try:
            ws.sync(url, fail_after_batches=2)
            return cut
        except ConnectionError:
            cut += 1


def test_an_interrupted_fact_check_exchange_resumes_without_duplicates(
    team: str,  # noqa: F811
    laptops: tuple[Path, Path],  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from factdesk.store import sync_factchecks

    monkeypatch.setattr(sync_factchecks, "BATCH", 2)  # 5 items: three batches each way
    rows = "".join(
        f'"Claim number {i} about the harbour.",False,https://checks.example/{i},Desk,2024-03-0{i}\n'
        for i in range(1, 6)
    )
    checks = _collection(tmp_path, "claim,rating,url,publisher,date\n" + rows)
    a_path, b_path = laptops
    with Workspace.open(a_path, actor="ana") as ana:
        assert ana.import_factchecks(checks).added == 5
        assert _cut_until_done(ana, team) >= 3
        assert not ana.sync().moved
    with Workspace.open(b_path, actor="ben") as ben:
        # Ben has one of them already, from the same file
        _collection(
            tmp_path, "claim,rating,url,publisher,date\n" + rows.splitlines()[0] + "\n", "one.csv"
        )
        ben.import_factchecks(tmp_path / "one.csv")
        assert _cut_until_done(ben, team) >= 2
        assert not ben.sync().moved
    with (
        Workspace.open(a_path, actor="ana") as ana,
        Workspace.open(b_path, actor="ben") as ben,
        Workspace.open(team) as server,
    ):
        assert len(_items(ana)) == len(_items(ben)) == len(_items(server)) == 5
        assert _items(ana) == _items(ben) == _items(server)
        assert sum(c.items for c in server.factcheck_collections()) == 5
        assert not ana.sync().moved and not ben.sync().moved


def test_a_laptop_board_of_schema_0009_keeps_its_sync_position(
    team: str,  # noqa: F811
    tmp_path: Path,
    factdesk_home: Path,
) -> None:
    """Revision 0010 adds the fact-check watermarks to sync_peer, after a backup; a board that
    synced before sends all its fact-checks at its next sync."""
    from alembic import command
    from sqlalchemy import create_engine

    from factdesk.store import migrate

    path = tmp_path / "old.fdb"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(migrate._config(conn), "0009")
        conn.exec_driver_sql(
            "INSERT INTO sync_peer (server_board, url, pulled_seq, pushed_seq, synced_at) "
            "VALUES ('old-team', 'postgresql://desk/old', 7, 9, '2026-01-01T00:00:00+00:00')"
        )
    engine.dispose()
    with Workspace.open(path, home=factdesk_home, plaintext=True, actor="ana") as ws:
        assert ws._ctx.board.schema_revision() == migrate.HEAD
        with ws._ctx.board.reading() as session:
            from factdesk.store.sync_schema import SyncPeer

            peer = session.get(SyncPeer, "old-team")
            assert peer is not None
            assert (peer.url, peer.pulled_seq, peer.pushed_seq) == ("postgresql://desk/old", 7, 9)
            assert (peer.fc_pushed_at, peer.fc_pulled_at) == ("", "")
        ws.import_factchecks(_collection(tmp_path))
        assert ws.sync(team).factchecks_sent == 2
    assert list(factdesk_home.rglob("old-schema-0009-*.fdb"))  # backed up first


def test_a_collection_removed_on_one_laptop_goes_from_every_board(
    team: str,  # noqa: F811
    laptops: tuple[Path, Path],  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    a_path, b_path = laptops
    checks = _collection(tmp_path)
    with Workspace.open(a_path, actor="ana") as ana:
        ana.import_factchecks(checks)
        ana.sync(team)
    with Workspace.open(b_path, actor="ben") as ben:
        ben.sync(team)
        assert len(_items(ben)) == 2
    assert cli.run(["--board", str(b_path), "factchecks", "remove", "desk-checks.csv"]) == 0
    capsys.readouterr()
    assert cli.run(["--board", str(b_path), "sync"]) == 0
    assert "1 fact-check collection removed" in capsys.readouterr().out
    with Workspace.open(a_path, actor="ana") as ana, Workspace.open(team) as server:
        assert not server.factcheck_collections() and _items(server) == {}
        assert ana.sync().collections_removed == 1
        assert not ana.factcheck_collections() and _items(ana) == {}
        matcher = ana.matcher()
        matcher.refresh()
        assert not matcher.match_text("Did water bills really rise 18 percent?", 1)
        assert not ana.sync().moved
    # imported again after the removal: it travels again, and stays
    with Workspace.open(a_path, actor="ana") as ana:
        assert ana.import_factchecks(checks).added == 2
        ana.sync()
    with Workspace.open(b_path, actor="ben") as ben, Workspace.open(team) as server:
        ben.sync()
        assert len(_items(ben)) == len(_items(server)) == 2
        assert not ben.sync().moved


def test_fact_checks_waiting_are_counted_and_their_exchange_shows_progress(
    team: str,  # noqa: F811
    laptops: tuple[Path, Path],  # noqa: F811
    tmp_path: Path,
) -> None:
    a_path, b_path = laptops
    with Workspace.open(a_path, actor="ana") as ana:
        ana.sync(team)
        ana.import_factchecks(_collection(tmp_path))
        waiting = ana.sync_status()
        assert (waiting.to_send, waiting.factchecks_to_send) == (0, 2)
        seen: list[tuple[str, int, int]] = []
        ana.sync(progress=lambda what, done, total: seen.append((what, done, total)))
        assert ("sending fact-checks", 2, 2) in seen
        assert ana.sync_status().factchecks_to_send == 0
    with Workspace.open(b_path, actor="ben") as ben:
        seen.clear()
        ben.sync(team, progress=lambda what, done, total: seen.append((what, done, total)))
        assert ("receiving fact-checks", 2, 2) in seen
        assert ben.sync_status().factchecks_to_send == 0  # received, not waiting to go back
