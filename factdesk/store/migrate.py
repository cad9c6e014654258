"""Schema migrations on open: refuse a board newer than this program, back up before upgrading.

Alembic (0.2 s to import) is loaded only when a board needs an upgrade: opening a board already at
HEAD reads its revision with one query.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from factdesk.domain import BoardError, BoardTooNewError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest revision in migrations/versions; a test keeps it equal to Alembic's own answer.
HEAD = "0016"


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    return HEAD


def script_head() -> str | None:
    """The head revision as Alembic reads it from the migration scripts."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return str(revision) if revision is not None else None


def upgrade(engine: Engine, backup: Callable[[str | None], None]) -> str:
    """Bring the board to the newest schema; `backup(current)` runs first when anything changes."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return head
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
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
        # one transaction (SQLite DDL included): a failure leaves the board at its old schema.
        # A writer's transaction from the start: a read-then-write one fails at once, without
        # waiting, when another process (the window and its detection worker) wrote in between
        with engine.connect() as conn:
            conn.execution_options(write=True)
            with conn.begin():
                command.upgrade(_config(conn), "head")
    except Exception as exc:
        raise BoardError(
            f"This board could not be upgraded from schema {current} to {head} ({exc}). "
            "It was left as it was; a copy taken before the upgrade is in the backups folder."
        ) from exc
    return head
