"""The tables sync keeps (migrations 0005, 0010, 0011): where each received event came from, how far
this board has synced with its team board, the conflicts a sync found and kept (rows of the history
since 0011, so that they travel: every board learns of a conflict and of its resolution), and the
fact-check collections removed (so that a removal travels too)."""

from __future__ import annotations

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from factdesk.store.schema import Base, new_id


class SyncOrigin(Base):
    """An event received from another board: `event_seq` is the event this board wrote for it
    (None when applying it changed nothing here). Unique per origin: received twice, applied once."""

    __tablename__ = "sync_origin"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    event_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    origin_board: Mapped[str] = mapped_column(String(36))
    origin_event: Mapped[str] = mapped_column(String(36))
    origin_actor: Mapped[str] = mapped_column(Text, default="")
    origin_at: Mapped[str] = mapped_column(String(40), default="")
    origin_hash: Mapped[str] = mapped_column(String(64), default="")
    via_board: Mapped[str] = mapped_column(String(36), default="")
    via_event: Mapped[str] = mapped_column(String(36), default="")

    __table_args__ = (
        UniqueConstraint("origin_board", "origin_event", name="uq_sync_origin_event"),
        Index("ix_sync_origin_event_seq", "event_seq"),
    )


class SyncPeer(Base):
    """A laptop board's position with its team board: the server's last event pulled, this
    board's last event pushed; for fact-checks (not in the history, migration 0010) the
    (updated_at, id) of the last one sent from here and of the last one received ("": none)."""

    __tablename__ = "sync_peer"
    server_board: Mapped[str] = mapped_column(String(36), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    pulled_seq: Mapped[int] = mapped_column(Integer, default=0)
    pushed_seq: Mapped[int] = mapped_column(Integer, default=0)
    synced_at: Mapped[str] = mapped_column(String(40), default="")
    fc_pushed_at: Mapped[str] = mapped_column(String(40), default="", server_default="")
    fc_pushed_id: Mapped[str] = mapped_column(String(40), default="", server_default="")
    fc_pulled_at: Mapped[str] = mapped_column(String(40), default="", server_default="")
    fc_pulled_id: Mapped[str] = mapped_column(String(40), default="", server_default="")


class SyncConflict(Base):
    """One field of one claim changed on both sides: both values kept (JSON) until resolved.
    `mine` is the version of `board`, the board that found it (by `actor`), which keeps showing
    it; `theirs` is the team board's, which every other board shows. Field "removed": the claim
    was removed (undoing its creation) on one side and changed on the other (True: removed)."""

    __tablename__ = "sync_conflicts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    claim_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(32))
    mine: Mapped[str] = mapped_column(Text)
    theirs: Mapped[str] = mapped_column(Text)
    base: Mapped[str] = mapped_column(Text, default="null")
    their_actor: Mapped[str] = mapped_column(Text, default="")
    their_board: Mapped[str] = mapped_column(String(36), default="")
    detected_seq: Mapped[int] = mapped_column(Integer)
    detected_at: Mapped[str] = mapped_column(String(40))
    resolved_at: Mapped[str] = mapped_column(String(40), default="")
    resolution: Mapped[str] = mapped_column(Text, default="")
    board: Mapped[str] = mapped_column(String(36), default="", server_default="")
    actor: Mapped[str] = mapped_column(Text, default="", server_default="")


class FactCheckRemoval(Base):
    """A fact-check collection removed on some board (by name, as collections are matched across
    boards): a sync takes it to the others, which remove their collection of that name unless it
    was imported after the removal."""

    __tablename__ = "factcheck_removals"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(Text)
    removed_at: Mapped[str] = mapped_column(String(40))
