"""sync: conflicts travel between boards (which board found one, whose version `mine` is), and the
removal of a fact-check collection travels as a record of it; fact-checks indexed by when they
changed (what a sync sends, and the status bar counts, is a range of it)

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        # "": found on this board (every conflict before 0011 was kept where it was found)
        batch_op.add_column(
            sa.Column("board", sa.String(length=36), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("actor", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "factcheck_removals",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("removed_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("factchecks", schema=None) as batch_op:
        batch_op.create_index("ix_factchecks_changed", ["updated_at", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("factchecks", schema=None) as batch_op:
        batch_op.drop_index("ix_factchecks_changed")
    op.drop_table("factcheck_removals")
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.drop_column("actor")
        batch_op.drop_column("board")
