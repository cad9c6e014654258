"""What every service module shares: the open board, the user's settings and who is acting.

One `Context` per Workspace; the subject modules (opening, articles, claims, evidence, reports,
history) take it as their first argument, so each stays a set of plain functions.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from factdesk import paths as paths_mod
from factdesk import settings as settings_mod
from factdesk import store
from factdesk.domain import Changes, Outcome, UndoStatus


@dataclass
class Context:
    """An open board plus the user's settings. The lock makes the Workspace safe across threads."""

    board: store.Board
    paths: paths_mod.Paths
    settings: settings_mod.Settings
    key: store.BoardKey | None
    key_source: str
    actor: str
    lock: threading.RLock = field(default_factory=threading.RLock)
    # written when this open created an encrypted board with a keyring key (say where, once)
    recovery_file: Path | None = None
    # Article text never changes once stored: the window's detection flushes (many per article)
    # check their offsets against it without reading a 1 MB article again each time.
    _texts: OrderedDict[str, str] = field(default_factory=OrderedDict)

    def remember_text(self, article_id: str, text: str) -> None:
        self._texts[article_id] = text
        self._texts.move_to_end(article_id)
        while len(self._texts) > 4:
            self._texts.popitem(last=False)

    def known_text(self, article_id: str) -> str | None:
        return self._texts.get(article_id)


def now() -> datetime:
    return datetime.now(UTC)


def outcome(value: Any, tx: store.Tx, extra: Changes = Changes.NONE) -> Outcome[Any]:
    """The Outcome of a finished user action: its value, what it changed and, when it moved the
    undo stack, the undo status read in its own transaction."""
    undo = None
    if tx.undo_labels is not None:
        last, nxt = tx.undo_labels
        undo = UndoStatus(last is not None, last or "", nxt is not None, nxt or "")
    return Outcome(
        value, tx.changes | extra, frozenset(tx.article_ids), frozenset(tx.claim_ids), undo
    )


def short(text: str, n: int = 40) -> str:
    """Text shortened for an undo label."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
