"""search indexes that cost O(log n) to keep in step, and per-article claim counts

SQLite: the single search_fts (updated with a full scan per change) becomes three FTS5 indexes
keyed by rowid through search_refs. PostgreSQL: tsvector columns with GIN indexes replace LIKE.
Both: article_counts, filled from the claims; an index the article list reads alone.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from factdesk.store import counts, search

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "article_counts",
        sa.Column("article_id", sa.String(length=36), nullable=False),
        sa.Column("n_verified", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("n_disputed", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("n_unverified", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("n_dismissed", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("article_id"),
    )
    counts.rebuild(bind)
    with op.batch_alter_table("articles") as batch_op:
        batch_op.create_index(
            "ix_articles_listing",
            ["imported_at", "id", "title", "outlet", "source_format"],
            unique=False,
        )
    if bind.dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_fts")
        search.create(bind)
        search.rebuild(bind)
    elif bind.dialect.name == "postgresql":
        search.create_pg_vectors(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in ("search_refs", *search.FTS_TABLES):
            op.execute(f"DROP TABLE IF EXISTS {name}")
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "kind UNINDEXED, ref_id UNINDEXED, article_id UNINDEXED, claim_id UNINDEXED, "
            "title, body, tokenize = 'unicode61 remove_diacritics 2')"
        )
        op.execute(
            "INSERT INTO search_fts (kind, ref_id, article_id, claim_id, title, body) "
            "SELECT 'claim', id, article_id, id, claimant, "
            "text || ' ' || explanation || ' ' || rating FROM claims"
        )
        op.execute(
            "INSERT INTO search_fts (kind, ref_id, article_id, claim_id, title, body) "
            "SELECT 'article', id, id, NULL, trim(title || ' ' || outlet), text FROM articles"
        )
    elif bind.dialect.name == "postgresql":
        search.drop_pg_vectors(bind)
    with op.batch_alter_table("articles") as batch_op:
        batch_op.drop_index("ix_articles_listing")
    op.drop_table("article_counts")
