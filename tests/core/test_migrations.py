"""Schema upgrades on a real SQLCipher board of the oldest released schema: a copy is taken before
anything changes, and an upgrade that fails leaves the board exactly as it was.

The newer schema is a test revision added beside the shipped ones (factdesk has one schema so
far); the code under test is the store's own upgrade path, run by Workspace.open.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from factdesk.domain import BoardError
from factdesk.services import Workspace
from factdesk.store import migrate
from tests.fresh import run_python

FIXTURE = Path(__file__).parents[1] / "fixtures" / "boards" / "schema-0001.fdb"
PASSPHRASE = "fixture board passphrase"
SHIPPED = migrate.MIGRATIONS
SHIPPED_HEAD = migrate.HEAD

NEXT_REVISION = '''
"""test revision: claims get a checked_by column"""
import sqlalchemy as sa
from alembic import op

revision = "9999_test"
down_revision = "{down}"


def upgrade():
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("checked_by", sa.Text(), nullable=True))
    {fail}


def downgrade():
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("checked_by")
'''


def with_next_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, fail: bool) -> None:
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    body = NEXT_REVISION.replace("{fail}", 'raise RuntimeError("disk full")' if fail else "pass")
    body = body.replace("{down}", SHIPPED_HEAD)
    (scripts / "versions" / "9999_test.py").write_text(body, encoding="utf-8")
    monkeypatch.setattr(migrate, "MIGRATIONS", scripts)
    monkeypatch.setattr(migrate, "HEAD", "9999_test")


def raw_schema(path: Path) -> tuple[str, list[str], str]:
    """(schema revision, claim columns, first claim's explanation) read straight from the file."""
    import sqlcipher3

    conn = sqlcipher3.connect(str(path))
    try:
        conn.execute("PRAGMA key = '" + PASSPHRASE.replace("'", "''") + "'")
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        columns = [row[1] for row in conn.execute("PRAGMA table_info(claims)")]
        explanation = conn.execute(
            "SELECT explanation FROM claims WHERE explanation != '' LIMIT 1"
        ).fetchone()[0]
    finally:
        conn.close()
    return revision, columns, explanation


@pytest.fixture
def old_board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    board = tmp_path / "desk.fdb"
    shutil.copy(FIXTURE, board)
    monkeypatch.setenv("FACTDESK_PASSPHRASE", PASSPHRASE)
    return board


def backups_of(home: Path) -> list[Path]:
    return sorted(home.rglob("desk-schema-0001-*.fdb"))


def test_upgrade_takes_a_copy_first_then_migrates(
    old_board: Path, factdesk_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_next_revision(tmp_path, monkeypatch, fail=False)
    with Workspace.open(old_board, create=False) as ws:
        assert ws.info().schema_revision == "9999_test"
        claim = ws.claims(ws.list_articles()[0].id)[0]
        assert claim.explanation == "Customs data show a 21 percent fall."
        assert ws.verify().ok
    assert "checked_by" in raw_schema(old_board)[1]

    [backup] = backups_of(factdesk_home)
    revision, columns, explanation = raw_schema(backup)
    assert revision == "0001" and "checked_by" not in columns
    assert explanation == "Customs data show a 21 percent fall."

    # opening again does not take another copy: nothing to upgrade
    with Workspace.open(old_board, create=False):
        pass
    assert len(backups_of(factdesk_home)) == 1


def test_failed_upgrade_leaves_the_board_as_it_was(
    old_board: Path, factdesk_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_next_revision(tmp_path, monkeypatch, fail=True)
    with pytest.raises(BoardError, match="left as it was") as raised:
        Workspace.open(old_board, create=False)
    assert "disk full" in str(raised.value)
    revision, columns, explanation = raw_schema(old_board)
    assert revision == "0001" and "checked_by" not in columns
    assert explanation == "Customs data show a 21 percent fall."
    assert len(backups_of(factdesk_home)) == 1

    # the program without the failing revision still opens it, whole, and upgrades it
    monkeypatch.setattr(migrate, "MIGRATIONS", SHIPPED)
    monkeypatch.setattr(migrate, "HEAD", SHIPPED_HEAD)
    with Workspace.open(old_board, create=False) as ws:
        assert ws.info().schema_revision == SHIPPED_HEAD
        assert ws.verify().ok


def test_fixture_board_is_the_oldest_released_schema(old_board: Path) -> None:
    # regenerated at a newer schema, it would no longer exercise the upgrade above
    assert raw_schema(old_board)[0] == "0001"


def test_head_constant_is_the_newest_migration() -> None:
    # HEAD lets a board at the newest schema open without importing Alembic; a new migration
    # must move it
    assert migrate.script_head() == migrate.HEAD


def test_opening_a_board_at_the_newest_schema_does_not_load_alembic(
    factdesk_home: Path,
) -> None:
    with Workspace.open(plaintext=True) as ws:
        ws.import_text("The council said bills rose 18 percent.", detect=False)
    code = (
        "import sys\n"
        "from factdesk.services import Workspace\n"
        "with Workspace.open(plaintext=True) as ws:\n"
        "    assert ws.list_articles()\n"
        "print('alembic' in sys.modules)\n"
    )
    assert run_python(code).strip() == "False"


def test_attachments_stored_whole_before_0008_still_read_and_verify(old_board: Path) -> None:
    """0008 keeps new attachments' bytes in pieces; the ones stored before stay whole."""
    with Workspace.open(old_board, create=False) as ws:
        assert ws.info().schema_revision == SHIPPED_HEAD
        claims = ws.claims(ws.list_articles()[0].id)
        old = [
            link.evidence.attachment
            for c in claims
            for link in ws.evidence(c.id)
            if link.evidence.attachment is not None
        ]
        assert [ws.attachment_data(a.id) for a in old] == [b"customs table"]
        new = ws.attach_bytes(claims[0].id, b"minutes " * 300_000, "minutes.txt").value
        assert new.evidence.attachment is not None
        assert ws.attachment_data(new.evidence.attachment.id) == b"minutes " * 300_000
        report = ws.verify()
        assert report.ok and report.attachments_checked == 2
