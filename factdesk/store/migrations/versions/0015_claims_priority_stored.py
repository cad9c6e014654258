"""each claim's priority tier, stored: its rank among its article's detected claims

Until 0014 the tier was read from the score alone (and indexed as an expression on it); a
calibrated score sits flat at the top, so most claims of a news story were "high". The tier is
now ranked inside the article (domain.priority.article_tiers) when its claims are detected, and
stored. Claims stored before get the tier that rule gives them in their article (a claim marked
by hand: high). The claims table's index reads the column.

Their create events were logged without it: `board verify` compares a row with the fields its
history has, and a column a later schema added outside the history is not among them.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

from itertools import groupby

import sqlalchemy as sa
from alembic import op

from factdesk.domain.priority import MARKED, Priority, article_tiers

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# the tier as 0007 indexed it, for the way back
OLD_TIER_SQL = "(CASE WHEN score >= 0.8 THEN 0 WHEN score >= 0.5 THEN 1 ELSE 2 END)"
COLUMNS = ["article_id", "priority", "start", "end", "id"]
BATCH = 5000


def _tiers(conn: sa.Connection) -> list[dict[str, object]]:
    """{id, priority} of every claim whose tier is not the column's default (normal)."""
    rows = conn.execute(
        sa.text("SELECT article_id, id, score, start, origin FROM claims ORDER BY article_id")
    )
    out: list[dict[str, object]] = []
    for _article, claims in groupby(rows, key=lambda row: row[0]):
        group = list(claims)
        detected = [c for c in group if c[4] != "manual"]
        tiers = article_tiers([(float(c[2] or 0.0), int(c[3])) for c in detected])
        out += [
            {"claim_id": c[1], "tier": tier.rank}
            for c, tier in zip(detected, tiers, strict=True)
            if tier is not Priority.NORMAL
        ]
        out += [{"claim_id": c[1], "tier": MARKED.rank} for c in group if c[4] == "manual"]
    return out


def upgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("priority", sa.Integer(), nullable=False, server_default="1"))
    op.drop_index("ix_claims_priority", table_name="claims")
    conn = op.get_bind()
    update = sa.text("UPDATE claims SET priority = :tier WHERE id = :claim_id")
    todo = _tiers(conn)
    for i in range(0, len(todo), BATCH):
        conn.execute(update, todo[i : i + BATCH])
    op.create_index("ix_claims_priority", "claims", COLUMNS, unique=False)


def downgrade() -> None:
    op.drop_index("ix_claims_priority", table_name="claims")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_column("priority")
    op.create_index(
        "ix_claims_priority",
        "claims",
        ["article_id", sa.text(OLD_TIER_SQL), "start", "end", "id"],
        unique=False,
    )
