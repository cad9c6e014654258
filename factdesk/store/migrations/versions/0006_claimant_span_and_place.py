"""where each claim's claimant is named, and the place of an article's dateline

Revision ID: 0006
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # claims stored before keep NULL: the detector's span is not known for them
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimant_start", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("claimant_end", sa.Integer(), nullable=True))
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("place", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("place")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_column("claimant_end")
        batch_op.drop_column("claimant_start")
