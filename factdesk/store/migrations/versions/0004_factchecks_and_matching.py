"""fact-check collections and the matching index

Revision ID: 0004
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None

FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS match_fts USING fts5("
    "body, tokenize = 'porter unicode61 remove_diacritics 2')"
)


def upgrade() -> None:
    op.create_table(
        "factcheck_collections",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("format", sa.String(length=32), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "factchecks",
        sa.Column("collection_id", sa.String(length=36), nullable=False),
        sa.Column("review_url", sa.Text(), nullable=False),
        sa.Column("claim", sa.Text(), nullable=False),
        sa.Column("rating", sa.Text(), nullable=False),
        sa.Column("publisher", sa.Text(), nullable=False),
        sa.Column("claimant", sa.Text(), nullable=False),
        sa.Column("claim_date", sa.String(length=40), nullable=False),
        sa.Column("review_date", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("extra", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["collection_id"], ["factcheck_collections.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("review_url"),
    )
    with op.batch_alter_table("factchecks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_factchecks_collection_id"), ["collection_id"], unique=False
        )
    op.create_table(
        "match_docs",
        sa.Column("doc", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ref_id", sa.String(length=36), nullable=False),
        sa.Column("text_sha", sa.String(length=40), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("doc"),
        sa.UniqueConstraint("ref_id"),
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(FTS_DDL)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE match_fts")
    op.drop_table("match_docs")
    with op.batch_alter_table("factchecks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_factchecks_collection_id"))
    op.drop_table("factchecks")
    op.drop_table("factcheck_collections")
