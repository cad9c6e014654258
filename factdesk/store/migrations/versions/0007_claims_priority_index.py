"""the claims table's order as an index: article, priority tier, start, end, id

The window shows an article's claims high priority first, in text order within a tier, and
fetches them a page at a time by that key; this index answers each page by a seek.

Revision ID: 0007
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None

# the tier as schema.TIER_SQL writes it today, frozen here: the index must keep this exact text
# even if the cutoffs later move (a new migration would then rebuild it)
TIER_SQL = "(CASE WHEN score >= 0.8 THEN 0 WHEN score >= 0.5 THEN 1 ELSE 2 END)"


def upgrade() -> None:
    op.create_index(
        "ix_claims_priority",
        "claims",
        ["article_id", sa.text(TIER_SQL), "start", "end", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_claims_priority", table_name="claims")
