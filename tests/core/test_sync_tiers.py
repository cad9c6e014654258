"""Tiers travel with sync: a claim's create event carries its tier, and a claim logged before
tiers were stored (a board from schema 0014, synced on) gets on the receiving board the tier its
own board's migration gave it, so every board shows the same tiers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from factdesk.services import Workspace
from tests.core.test_migration_0006 import PASSPHRASE
from tests.core.test_migration_0015 import FIXTURE
from tests.core.test_postgres import pg_url, pytestmark  # noqa: F401  (the server fixture)
from tests.core.test_sync import team  # noqa: F401  (a team board per test)
from tests.core.test_tiers import _story


def _tiers(ws: Workspace) -> dict[str, str]:
    return {c.id: c.priority.value for c in ws.claims(include_dismissed=True)}


@pytest.mark.parametrize("batch", [500, 3], ids=["one batch", "an article cut across batches"])
def test_tiers_from_before_0015_and_after_are_the_same_on_every_board(
    batch: int,
    team: str,  # noqa: F811
    tmp_path: Path,
    factdesk_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from factdesk.importers import read_text
    from factdesk.store import sync

    monkeypatch.setenv("FACTDESK_PASSPHRASE", PASSPHRASE)
    # a long article's claims arrive in several batches: each board must still show the tiers
    # the claims' own board gave them, not a rank among the part of the article received so far
    monkeypatch.setattr(sync, "BATCH", batch)
    old, new = tmp_path / "old.fdb", tmp_path / "new.fdb"
    shutil.copy(FIXTURE, old)
    with Workspace.open(old, actor="ana", create=False) as ana:
        text, cands = _story(5)
        ana.add_document(read_text(text, title="Exports"), candidates=cands)
        assert ana.sync(team)
        here = _tiers(ana)
    assert sorted(here.values()).count("high") == 1 + 4 + 2
    with Workspace.open(new, actor="ben") as ben:
        ben.sync(team)
        assert _tiers(ben) == here
        assert ben.verify().ok
    with Workspace.open(team, actor="desk", create=False) as desk:
        assert _tiers(desk) == here
