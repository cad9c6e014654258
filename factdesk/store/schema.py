"""The evidence board's tables (SQLAlchemy 2 typed ORM). Dialect-neutral: SQLite and PostgreSQL.

Every row has a UUID and created/updated times. Claims keep exact character offsets into the
stored article text. `history` is append-only and hash-chained (see history.py).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Stamped:
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class BoardMeta(Base):
    """Key/value facts about the board itself (its id, when it was created)."""

    __tablename__ = "board_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class ChainHead(Base):
    """One row: the last history event. Every write locks it, which serialises the chain."""

    __tablename__ = "chain_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64), default="")


class Attachment(Stamped, Base):
    """File bytes kept inside the board, stored once per distinct content."""

    __tablename__ = "attachments"
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(255), default="")
    filename: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class AttachmentChunk(Base):
    """An attachment's bytes in pieces, in order (schema 0008): written and read a piece at a
    time, so a large file is never held in memory whole. Attachments stored before keep their
    bytes in attachments.data; new ones leave it empty."""

    __tablename__ = "attachment_chunks"
    attachment_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("attachments.id"), primary_key=True
    )
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Article(Stamped, Base):
    __tablename__ = "articles"
    title: Mapped[str] = mapped_column(Text, default="")
    outlet: Mapped[str] = mapped_column(Text, default="")
    authors: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    published: Mapped[date | None] = mapped_column(Date, nullable=True)
    url: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(16), default="en")
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    source_format: Mapped[str] = mapped_column(String(32), default="txt")
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    original_attachment_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("attachments.id"), nullable=True
    )
    place: Mapped[str] = mapped_column(Text, default="", server_default="")  # the dateline's

    # the article list reads only this index: the rows hold the text, which SQLite walks past
    # to reach the columns after it (200 articles of 50 KB: 30 ms, not 1)
    __table_args__ = (
        Index("ix_articles_listing", "imported_at", "id", "title", "outlet", "source_format"),
    )


class Claim(Stamped, Base):
    __tablename__ = "claims"
    article_id: Mapped[str] = mapped_column(String(36), ForeignKey("articles.id"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    kind: Mapped[str] = mapped_column(String(32), default="other")
    claimant: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str] = mapped_column(String(16), default="detected")
    status: Mapped[str] = mapped_column(String(16), default="unverified", index=True)
    explanation: Mapped[str] = mapped_column(Text, default="")
    rating: Mapped[str] = mapped_column(Text, default="")
    dismissed: Mapped[bool] = mapped_column(Boolean, default=False)
    reviewer: Mapped[str] = mapped_column(Text, default="")
    duplicate_of: Mapped[str | None] = mapped_column(String(36), nullable=True)
    entities: Mapped[str] = mapped_column(
        Text, default="[]"
    )  # JSON list of [start, end, label, text]
    # where the claimant is named in the article text; NULL: nowhere, or stored before 0006
    claimant_start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    claimant_end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # the priority tier as its rank (0 high, 1 normal, 2 low: domain.priority), decided when the
    # article's claims were detected (its rank among them) or marked, and kept in the history
    priority: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    # the claims table's order (priority tier, then text order) read straight from an index, so
    # the window's page of 200 claims costs the same at any depth of any article
    __table_args__ = (
        Index("ix_claims_article_start", "article_id", "start"),
        Index("ix_claims_priority", "article_id", "priority", "start", "end", "id"),
    )


class ArticleCounts(Base):
    """Derived, not history: each article's claims by status, kept in step by every claim write so
    opening the window reads one row per article instead of counting every claim."""

    __tablename__ = "article_counts"
    article_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    n_verified: Mapped[int] = mapped_column(Integer, default=0)
    n_disputed: Mapped[int] = mapped_column(Integer, default=0)
    n_unverified: Mapped[int] = mapped_column(Integer, default=0)
    n_dismissed: Mapped[int] = mapped_column(Integer, default=0)


class Evidence(Stamped, Base):
    __tablename__ = "evidence"
    kind: Mapped[str] = mapped_column(String(16))
    url: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(Text, default="")
    publisher: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[date | None] = mapped_column(Date, nullable=True)
    accessed: Mapped[date | None] = mapped_column(Date, nullable=True)
    quote: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    attachment_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("attachments.id"), nullable=True
    )


class ClaimEvidence(Stamped, Base):
    __tablename__ = "claim_evidence"
    claim_id: Mapped[str] = mapped_column(String(36), ForeignKey("claims.id"), index=True)
    evidence_id: Mapped[str] = mapped_column(String(36), ForeignKey("evidence.id"), index=True)
    stance: Mapped[str] = mapped_column(String(16), default="unset")
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("claim_id", "evidence_id", name="uq_claim_evidence"),)


class Action(Stamped, Base):
    """One user action, the unit of undo. state: done | undone | dead (redo cleared) | system."""

    __tablename__ = "actions"
    seq: Mapped[int] = mapped_column(Integer, index=True)
    label: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default="done", index=True)


class HistoryEvent(Base):
    """Append-only log of every change; `hash` covers the event and the previous event's hash."""

    __tablename__ = "history"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    at: Mapped[str] = mapped_column(String(40))  # ISO 8601 UTC, hashed as stored
    actor: Mapped[str] = mapped_column(Text, default="")
    action_id: Mapped[str] = mapped_column(String(36), index=True)
    action: Mapped[str] = mapped_column(Text, default="")
    op: Mapped[str] = mapped_column(String(16))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(36), index=True)
    claim_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    article_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    before: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    after: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64))
