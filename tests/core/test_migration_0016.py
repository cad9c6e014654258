"""Schema 0016 on a real SQLCipher board written by the schema before it (made by downgrading a
board): a copy is taken first; the seal the older program wrote (format 1, no gaps)
still verifies; an event appended without the chain secret before the upgrade is named, and is
still named after the first write under 0016 (the older program would have sealed over it); an
older program refuses the upgraded board instead of writing a seal of the old format."""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from alembic import command

from factdesk.domain import BoardTooNewError
from factdesk.services import Workspace
from factdesk.store import migrate
from tests.core.helpers import board_with_article
from tests.core.test_verify import _append_forged, _sql


def _before() -> str:
    """The revision 0016 follows."""
    from alembic.script import ScriptDirectory

    before = ScriptDirectory.from_config(migrate._config()).get_revision("0016").down_revision
    return str(before)


def _board_of_the_schema_before(home: Path, ring: Any) -> tuple[Path, dict[str, str]]:
    """A sealed board taken back to the schema before 0016, its seal rewritten as that schema's
    program wrote it."""
    ws, article_id, (c1, c2) = board_with_article(home)
    ws.set_status(c1, "verified", "Minutes confirm it.")
    board = ws._ctx.board
    path = Path(ws.info().location)
    secret = board.chain_secret
    assert secret is not None
    board_id = board.meta("board_id") or ""
    seq, digest = len(ws.history()), ws.info().head_hash
    with board.engine.begin() as conn:
        command.downgrade(migrate._config(conn), _before())
    ws.close()
    message = f"factdesk-chain-seal-v1|{board_id}|{seq}|{digest}".encode()
    v1 = json.dumps({"seq": seq, "mac": hmac.new(secret, message, hashlib.sha256).hexdigest()})
    _sql(path, ring, ("UPDATE board_meta SET value = ? WHERE key = 'chain_seal'", (v1,)))
    return path, {"article": article_id, "c1": c1, "c2": c2}


def _revision(path: Path, ring: Any, key_of: Path | None = None) -> str:
    import sqlcipher3

    from tests.core.test_verify import _key

    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = {_key(key_of or path, ring).pragma_value()}")
    revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    conn.close()
    return str(revision)


def test_a_board_of_the_schema_before_upgrades_after_a_copy_and_its_old_seal_verifies(
    factdesk_home: Path, memory_keyring: Any
) -> None:
    path, _ = _board_of_the_schema_before(factdesk_home, memory_keyring)
    assert _revision(path, memory_keyring) == _before()
    before = set(factdesk_home.rglob("backups/*.fdb"))
    with Workspace.open(path, create=False) as ws:
        assert ws.info().schema_revision == migrate.HEAD
        report = ws.verify()
        assert report.ok, report.problems
    [backup] = set(factdesk_home.rglob("backups/*.fdb")) - before  # a copy taken first
    assert _revision(backup, memory_keyring, path) == _before()
    with Workspace.open(path, create=False) as ws:
        ws.attach_note(ws.claims(ws.list_articles()[0].id)[0].id, "Called the council.")
        assert ws.verify().ok


def test_an_unsealed_event_from_before_0016_is_not_sealed_over_by_the_first_write(
    factdesk_home: Path, memory_keyring: Any
) -> None:
    path, ids = _board_of_the_schema_before(factdesk_home, memory_keyring)
    forged = _append_forged(path, memory_keyring, ids)
    with Workspace.open(path, create=False, actor="ana") as ws:
        ws.set_status(ids["c2"], "disputed", "Reopened.")
        problems = [p.what for p in ws.verify().problems]
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"events {forged}..{forged} (by ")
    assert "written without the chain secret (found when ana wrote" in problems[0]


def test_an_older_program_refuses_the_upgraded_board(
    factdesk_home: Path, memory_keyring: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = _board_of_the_schema_before(factdesk_home, memory_keyring)
    with Workspace.open(path, create=False):
        pass
    before = _before()
    older = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, older, ignore=shutil.ignore_patterns("__pycache__"))
    for script in (older / "versions").glob("0016_*.py"):
        script.unlink()
    monkeypatch.setattr(migrate, "MIGRATIONS", older)
    monkeypatch.setattr(migrate, "HEAD", before)
    with pytest.raises(BoardTooNewError, match="newer version of factdesk"):
        Workspace.open(path, create=False)
    assert _revision(path, memory_keyring) == "0016"
