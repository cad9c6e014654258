"""attachment bytes in pieces

Revision ID: 0008
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Attachments stored before keep their bytes in attachments.data; new ones are written
    # (and read) a piece at a time here, and leave attachments.data empty.
    op.create_table(
        "attachment_chunks",
        sa.Column("attachment_id", sa.String(length=36), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["attachment_id"], ["attachments.id"]),
        sa.PrimaryKeyConstraint("attachment_id", "n"),
    )


def downgrade() -> None:
    op.drop_table("attachment_chunks")
