"""Schema 0015 on a real SQLCipher board written by schema 0014 (tests/fixtures/boards): a copy is
taken first, every claim stored before gets the tier the article-relative rule gives it in its
article (a claim marked by hand: high), the claims table reads the stored tier through its index,
and the history still verifies."""

from __future__ import annotations

import shutil
from pathlib import Path
from unittest import mock

import pytest

from factdesk.domain import Priority
from factdesk.importers import read_text
from factdesk.services import Workspace
from factdesk.store import migrate, verify
from tests.core.test_migration_0006 import PASSPHRASE, columns
from tests.core.test_tiers import _story

FIXTURE = Path(__file__).parents[1] / "fixtures" / "boards" / "schema-0014.fdb"


@pytest.fixture
def board_0014(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    board = tmp_path / "desk.fdb"
    shutil.copy(FIXTURE, board)
    monkeypatch.setenv("FACTDESK_PASSPHRASE", PASSPHRASE)
    return board


def test_fixture_is_schema_0014(board_0014: Path) -> None:
    revision, names = columns(board_0014, "claims")
    assert revision == "0014" and "priority" not in names


def test_0014_board_gets_each_claims_tier_in_its_article(
    board_0014: Path, factdesk_home: Path
) -> None:
    with Workspace.open(board_0014, create=False) as ws:
        assert ws.info().schema_revision == migrate.HEAD
        port, council = sorted(ws.list_articles(), key=lambda a: a.title)
        assert council.title == "Water bills to rise"
        # one claim of one, at 0.93: high
        [only] = ws.claims(port.id)
        assert only.priority is Priority.HIGH and only.status.value == "disputed"
        claims = ws.claims(council.id)
        tiers = {c.text[:20]: c.priority for c in claims}
        # seven detected claims: at most three high, the earliest of the four at the ceiling;
        # the headline marked by hand is high and not counted
        assert tiers == {
            "Water bills to rise": Priority.HIGH,
            "The council said wat": Priority.HIGH,
            "It said the reservoi": Priority.HIGH,
            "Forecasters expect r": Priority.NORMAL,
            "The utility replaced": Priority.HIGH,
            "Both sides have argu": Priority.LOW,
            "A study found that 9": Priority.NORMAL,
            "The mayor said a har": Priority.NORMAL,
        }
        # the claims table's pages come in the stored tiers' order
        page = ws.claims_page(council.id)
        assert [c.priority.rank for c in page] == sorted(c.priority.rank for c in claims)
        # verified by the fast pass: the tiers the migration wrote are not in the create events
        # logged before, and those rows are checked on the fields their events have
        with mock.patch.object(verify, "_naming", side_effect=AssertionError("naming pass")):
            assert ws.verify().ok
            ws.set_status(claims[1].id, "verified", "The council's own figures.")
            assert ws.verify().ok  # changed since: checked on its create's fields
        untouched = claims[2]

        # claims detected from now on carry their tier in their create event
        article = ws.import_text(
            "Exports by region\nThe ministry said exports rose by 12 percent in 2025.",
            detect=True,
        ).value
        [new] = ws.claims(article.id)
        [create] = [e for e in ws.history(claim_id=new.id) if e.op == "create"]
        assert create.after["priority"] == new.priority.rank
        assert ws.verify().ok
    assert columns(board_0014, "claims")[0] == migrate.HEAD
    # a claim from before, edited in the file: still found and named
    import sqlcipher3

    conn = sqlcipher3.connect(str(board_0014))
    conn.execute("PRAGMA key = '" + PASSPHRASE.replace("'", "''") + "'")
    conn.execute("UPDATE claims SET kind = 'causal' WHERE id = ?", (untouched.id,))
    conn.commit()
    conn.close()
    with Workspace.open(board_0014, create=False) as ws:
        report = ws.verify()
    assert not report.ok
    assert [p.where for p in report.problems] == [f"claim {untouched.id[:8]}"]
    [backup] = sorted(factdesk_home.rglob("desk-schema-0014-*.fdb"))
    revision, names = columns(backup, "claims")
    assert revision == "0014" and "priority" not in names


def test_a_board_taken_back_to_0014_is_ranked_again_as_detection_ranks(tmp_path: Path) -> None:
    """Down to 0014 (the tier read from the score) and up again: every article's claims get the
    tiers the rule gives, equal to what detection stored."""
    from alembic import command
    from sqlalchemy import create_engine

    board = tmp_path / "desk.fdb"
    home = tmp_path / "home"
    with Workspace.open(board, home=home, plaintext=True) as ws:
        for n in (1, 2, 5, 12):
            text, cands = _story(n)
            ws.add_document(read_text(text, title=f"story {n}"), candidates=cands)
        stored = {c.id: c.priority for c in ws.claims()}
    engine = create_engine(f"sqlite:///{board}")
    with engine.begin() as conn:
        command.downgrade(migrate._config(conn), "0014")
    engine.dispose()
    with Workspace.open(board, home=home) as ws:
        assert ws.info().schema_revision == migrate.HEAD
        assert {c.id: c.priority for c in ws.claims()} == stored
        assert sorted(stored.values()).count(Priority.HIGH) == 1 + 1 + 2 + 4
        assert ws.verify().ok
