"""the lexical matching index holds the words factdesk makes (store/terms.py) on both backends

SQLite's FTS5 table was stemmed by FTS5's porter tokenizer and PostgreSQL's tsvector by its
English configuration: the two found and weighed different words, so a team board and a laptop
board ranked the same fact-checks differently. Both now hold each doc's words as factdesk makes
them (Python's stems, with their counts); board_meta's `match_length` counts them.

Revision ID: 0014
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from factdesk.store import terms

revision = "0014"
down_revision = "0011"
branch_labels = None
depends_on = None

FTS_DDL = (
    "CREATE VIRTUAL TABLE match_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 0')"
)
OLD_FTS_DDL = (
    "CREATE VIRTUAL TABLE match_fts USING fts5("
    "body, tokenize = 'porter unicode61 remove_diacritics 2')"
)
BATCH = 2000


def _texts(conn: sa.Connection) -> list[tuple[int, str]]:
    """(doc, searched text) of every doc: a fact-check's claim (and its headline when it adds
    words, as store/factchecks.match_text has it), a claim's text."""
    rows = conn.execute(
        sa.text(
            "SELECT d.doc, f.claim, f.title FROM match_docs AS d "
            "JOIN factchecks AS f ON f.id = d.ref_id"
        )
    ).all()
    out = [
        (
            int(doc),
            claim if not title or title.strip().lower() in claim.lower() else f"{claim} {title}",
        )
        for doc, claim, title in rows
    ]
    out += [
        (int(doc), body)
        for doc, body in conn.execute(
            sa.text("SELECT d.doc, c.text FROM match_docs AS d JOIN claims AS c ON c.id = d.ref_id")
        )
    ]
    return out


def _rebuild(index_body: bool) -> None:
    conn = op.get_bind()
    docs = _texts(conn)
    length = 0
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        op.execute("DROP TABLE IF EXISTS match_fts")
        op.execute(FTS_DDL if index_body else OLD_FTS_DDL)
    for at in range(0, len(docs), BATCH):
        values = []
        for doc, searched in docs[at : at + BATCH]:
            if not index_body:
                body = searched
            else:
                body = terms.body(searched) if sqlite else terms.pg_body(searched)
            length += terms.length(body)
            values.append({"d": doc, "b": body})
        if sqlite:
            conn.execute(sa.text("INSERT INTO match_fts (rowid, body) VALUES (:d, :b)"), values)
        elif index_body:
            conn.execute(
                sa.text("UPDATE match_docs SET search_vec = CAST(:b AS tsvector) WHERE doc = :d"),
                values,
            )
        else:
            conn.execute(
                sa.text(
                    "UPDATE match_docs SET search_vec = to_tsvector('english', :b) WHERE doc = :d"
                ),
                values,
            )
    op.execute("DELETE FROM board_meta WHERE key = 'match_length'")
    if index_body:
        conn.execute(
            sa.text("INSERT INTO board_meta (key, value) VALUES ('match_length', :v)"),
            {"v": str(length)},
        )


def upgrade() -> None:
    _rebuild(index_body=True)


def downgrade() -> None:
    _rebuild(index_body=False)
