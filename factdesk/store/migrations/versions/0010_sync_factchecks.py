"""sync of fact-check collections: how far each side's fact-checks were exchanged

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

COLUMNS = ("fc_pushed_at", "fc_pushed_id", "fc_pulled_at", "fc_pulled_id")


def upgrade() -> None:
    with op.batch_alter_table("sync_peer", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(
                sa.Column(name, sa.String(length=40), nullable=False, server_default="")
            )


def downgrade() -> None:
    with op.batch_alter_table("sync_peer", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
