"""the matching index: encoder stamps and generations on vectors, PostgreSQL full-text search

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# The only encoder that wrote vectors before this revision (factdesk/nlp/encoder_model of 0004's
# release: the first 16 hex digits of its model_sha256): its vectors stay valid under its stamp.
FIRST_ENCODER = "f43dece63fd9a979"


def upgrade() -> None:
    with op.batch_alter_table("match_docs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("encoder", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("vgen", sa.Integer(), nullable=True))
        batch_op.create_index("ix_match_docs_encoder", ["encoder"], unique=False)
        batch_op.create_index("ix_match_docs_vgen", ["vgen"], unique=False)
    op.execute(
        f"UPDATE match_docs SET encoder = '{FIRST_ENCODER}', vgen = 1 WHERE vector IS NOT NULL"
    )
    # the index's counters (store/factchecks.py): its generation, epoch and number of docs
    op.execute(
        "INSERT INTO board_meta (key, value) SELECT 'match_docs', CAST(count(*) AS VARCHAR(20)) "
        "FROM match_docs"
    )
    if op.get_bind().dialect.name == "postgresql":
        # the searched text of each doc, kept here (SQLite keeps it in the FTS5 table match_fts)
        op.execute("ALTER TABLE match_docs ADD COLUMN search_vec tsvector")
        op.execute("CREATE INDEX ix_match_docs_search ON match_docs USING gin (search_vec)")
        op.execute(
            "UPDATE match_docs AS d SET search_vec = to_tsvector('english', "
            "f.claim || ' ' || f.title) FROM factchecks AS f WHERE f.id = d.ref_id"
        )
        op.execute(
            "UPDATE match_docs AS d SET search_vec = to_tsvector('english', c.text) "
            "FROM claims AS c WHERE c.id = d.ref_id"
        )


def downgrade() -> None:
    op.execute(
        "DELETE FROM board_meta WHERE key IN ('match_docs', 'match_generation', 'match_epoch')"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_match_docs_search")
        op.execute("ALTER TABLE match_docs DROP COLUMN IF EXISTS search_vec")
    with op.batch_alter_table("match_docs", schema=None) as batch_op:
        batch_op.drop_index("ix_match_docs_vgen")
        batch_op.drop_index("ix_match_docs_encoder")
        batch_op.drop_column("vgen")
        batch_op.drop_column("encoder")
