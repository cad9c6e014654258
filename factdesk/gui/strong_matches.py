"""Which claims of the article on screen were seen before: a strong match among imported
fact-checks or other articles' claims (services.matching.strong_matches). Looked up on the I/O
pool when an article is shown, when its claims are all found and after a fact-check import; the
claims table and the article mark them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal

from factdesk.domain import ArticleRecord, ClaimRecord
from factdesk.domain.factchecks import MatchRecord


class StrongMatches(QObject):
    """Finds the strong matches of the shown article's claims and hands them to the marks."""

    found = Signal(str, object)  # article id, {claim id: its best MatchRecord}

    def __init__(
        self,
        board: Any,
        article_claims: Callable[[], Sequence[ClaimRecord]],
        parent: QObject | None = None,
    ) -> None:
        """`board`: the window's BoardClient; `article_claims`: the claims of the article on
        screen, as the claims table holds them."""
        super().__init__(parent)
        self.board = board
        self.article_claims = article_claims
        self.article_id: str | None = None
        self.matches: dict[str, MatchRecord] = {}
        self._asked = 0

    def article_changed(self, article: ArticleRecord, _claims: object = None) -> None:
        if article.id != self.article_id:
            self.article_id = article.id
            self.matches = {}
            self.found.emit(article.id, {})
        self.look_again()

    def claims_found(self, article_id: str) -> None:
        if article_id == self.article_id:
            self.look_again()

    def look_again(self) -> None:
        article_id = self.article_id
        if article_id is None or not self.board.is_open:
            return
        self._asked += 1
        asked = self._asked
        claims = [c for c in self.article_claims() if not c.dismissed]

        def others(ws: Any) -> tuple[Any, int]:
            # with nothing to compare with, the encoder is not even loaded
            return ws.matcher(), len(ws.factcheck_collections()) + ws.board_counts()[0] - 1

        def search(got: tuple[Any, int]) -> None:
            matcher, n_others = got
            if asked != self._asked or n_others <= 0 or not claims:
                return

            def work() -> dict[str, MatchRecord]:
                from factdesk.services.matching import strong_matches

                matcher.refresh()
                # high priority first; given up as soon as another article (or look) is asked
                ordered = sorted(claims, key=lambda c: -c.score)
                return strong_matches(matcher, ordered, stop=lambda: asked != self._asked)

            # a failure (no encoder, say) is the Seen before section's to explain; no mark here
            self.board.tasks.io(
                work, lambda found: self._show(article_id, asked, found), lambda _exc: None
            )

        self.board.read(others, search)

    def _show(self, article_id: str, asked: int, found: Mapping[str, MatchRecord]) -> None:
        if asked != self._asked or article_id != self.article_id:
            return
        self.matches = dict(found)
        self.found.emit(article_id, self.matches)


def mark_text(match: MatchRecord) -> str:
    """What the mark's tooltip says about the match."""
    source = match.publisher or ("this board" if match.kind == "claim" else "a fact-check")
    rating = f"rated “{match.rating}”" if match.rating else "no verdict yet"
    return f"Seen before ({source}, {rating}, similarity {match.similarity:.2f}): {match.text}"
