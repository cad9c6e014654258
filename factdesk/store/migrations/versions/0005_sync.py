"""sync with a team board: where received events came from, the sync positions, conflicts

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_origin",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=True),
        sa.Column("origin_board", sa.String(length=36), nullable=False),
        sa.Column("origin_event", sa.String(length=36), nullable=False),
        sa.Column("origin_actor", sa.Text(), nullable=False),
        sa.Column("origin_at", sa.String(length=40), nullable=False),
        sa.Column("origin_hash", sa.String(length=64), nullable=False),
        sa.Column("via_board", sa.String(length=36), nullable=False),
        sa.Column("via_event", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("origin_board", "origin_event", name="uq_sync_origin_event"),
    )
    with op.batch_alter_table("sync_origin", schema=None) as batch_op:
        batch_op.create_index("ix_sync_origin_event_seq", ["event_seq"], unique=False)
    op.create_table(
        "sync_peer",
        sa.Column("server_board", sa.String(length=36), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("pulled_seq", sa.Integer(), nullable=False),
        sa.Column("pushed_seq", sa.Integer(), nullable=False),
        sa.Column("synced_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("server_board"),
    )
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("claim_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("mine", sa.Text(), nullable=False),
        sa.Column("theirs", sa.Text(), nullable=False),
        sa.Column("base", sa.Text(), nullable=False),
        sa.Column("their_actor", sa.Text(), nullable=False),
        sa.Column("their_board", sa.String(length=36), nullable=False),
        sa.Column("detected_seq", sa.Integer(), nullable=False),
        sa.Column("detected_at", sa.String(length=40), nullable=False),
        sa.Column("resolved_at", sa.String(length=40), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.create_index("ix_sync_conflicts_claim_id", ["claim_id"], unique=False)


def downgrade() -> None:
    op.drop_table("sync_conflicts")
    op.drop_table("sync_peer")
    with op.batch_alter_table("sync_origin", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_origin_event_seq")
    op.drop_table("sync_origin")
