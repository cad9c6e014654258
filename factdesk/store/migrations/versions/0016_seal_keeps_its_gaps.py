"""the keyed seal keeps the gaps it was extended over (store/seal.py, seal format 2)

No table changes: the seal lives in `board_meta`. The revision is raised so that an older factdesk
refuses the board ("written by a newer version") instead of writing a seal of the old format,
which would drop the gaps and seal over events written without the chain secret: the next
honest write of an old program would launder them. Seals of the old format keep verifying until
the next write replaces them.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to rewrite: the new format is written by the board's next sealed write."""


def downgrade() -> None:
    """Nothing to undo; a seal of the new format does not verify under the older program
    (it names it as not the one the chain secret sealed) until its next write re-seals."""
