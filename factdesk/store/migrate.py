"""Schema migrations on open: refuse a board newer than this program, back up before upgrading."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from factdesk.domain import BoardError, BoardTooNewError

MIGRATIONS = Path(__file__).with_name("migrations")


def _config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, backup: Callable[[str | None], None]) -> str:
    """Bring the board to the newest schema; `backup(current)` runs first when anything changes."""
    script = ScriptDirectory.from_config(_config())
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return head
    if current is not None:
        try:
            script.get_revision(current)
        except Exception as exc:
            raise BoardTooNewError(
                f"This board was written by a newer version of factdesk (schema {current}). "
                "Install the newer factdesk to open it; this version leaves it untouched."
            ) from exc
        backup(current)
    try:
        # one transaction (SQLite DDL included): a failure leaves the board at its old schema
        with engine.begin() as conn:
            command.upgrade(_config(conn), "head")
    except Exception as exc:
        raise BoardError(
            f"This board could not be upgraded from schema {current} to {head} ({exc}). "
            "It was left as it was; a copy taken before the upgrade is in the backups folder."
        ) from exc
    return head
