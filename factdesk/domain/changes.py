"""What a mutation changed, so that each view refreshes only what concerns it."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from factdesk.domain.records import UndoStatus

T = TypeVar("T")


class Changes(enum.Flag):
    NONE = 0
    ARTICLES = enum.auto()
    CLAIMS = enum.auto()
    EVIDENCE = enum.auto()
    HISTORY = enum.auto()
    UNDO_STACK = enum.auto()  # what Undo / Redo would do changed (a new action, an undo, a redo)
    UNDO_APPLIED = enum.auto()  # an undo or redo rewrote the board: anything may have changed
    BOARD = enum.auto()


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """The result of one user action: the record it produced and which kinds of things changed.

    `claim_ids` and `article_ids` name the rows touched, so that a view can re-colour one claim
    instead of reloading everything. `undo` is the undo status after the action, read in its
    transaction, when the action changed it (None: unchanged).
    """

    value: T
    changes: Changes
    article_ids: frozenset[str] = field(default_factory=frozenset)
    claim_ids: frozenset[str] = field(default_factory=frozenset)
    undo: UndoStatus | None = None
