"""What the journalist does to the selected claim: verdict, explanation, claimant, evidence,
marking and dismissing claims, undo and redo; and the evidence board that shows it.

Each intent is one board action; the evidence board reloads the selected claim's evidence and
history only when an Outcome touches that claim.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QWidget

from factdesk.domain import Changes, ClaimStatus, Outcome, Stance
from factdesk.domain.spans import trim_span
from factdesk.gui.article_view import ArticleView
from factdesk.gui.board import BoardClient
from factdesk.gui.claims_panel import ClaimsPanel
from factdesk.gui.evidence_panel import EvidencePanel
from factdesk.gui.selection import Selection

if TYPE_CHECKING:
    from factdesk.services import Workspace

DETAILS = Changes.EVIDENCE | Changes.HISTORY | Changes.CLAIMS


def _attach_file(ws: Workspace, *, claim_id: str, path: str, stance: Stance) -> Outcome[Any]:
    return ws.attach_file(claim_id, path, stance=stance)


class Verdicts(QObject):
    undo_changed = Signal(object)  # UndoStatus
    message = Signal(str, int)  # status-bar text, milliseconds

    def __init__(
        self,
        board: BoardClient,
        selection: Selection,
        claims: ClaimsPanel,
        article_view: ArticleView,
        evidence: EvidencePanel,
    ) -> None:
        super().__init__(evidence)
        self.board = board
        self.selection = selection
        self.claims = claims
        self.article_view = article_view
        self.evidence = evidence
        self._loop_focus: QWidget | None = None
        evidence.status_chosen.connect(self.set_status)
        evidence.explanation_saved.connect(lambda t: self._edit(explanation=t))
        evidence.claimant_saved.connect(lambda t: self._edit(claimant=t))
        evidence.rating_saved.connect(lambda t: self._edit(rating=t))
        evidence.kind_saved.connect(lambda k: self._edit(kind=k))
        evidence.url_submitted.connect(self.attach_url)
        evidence.files_chosen.connect(self.attach_files)
        evidence.note_submitted.connect(self.attach_note)
        evidence.unlink_requested.connect(self.unlink_evidence)
        evidence.editing_left.connect(self.return_to_claims)
        article_view.mark_requested.connect(self.mark_selection)
        article_view.next_requested.connect(claims.next_claim)
        article_view.previous_requested.connect(claims.previous_claim)
        selection.claim_changed.connect(self._claim_changed)
        selection.article_changed.connect(lambda _a, _c: evidence.show_claim(None))
        selection.document_shown.connect(lambda _d: evidence.show_claim(None))
        claims.claims_updated.connect(self._claims_updated)
        board.changes_applied.connect(self._changes_applied)
        board.opened.connect(lambda _info: self.refresh_undo())

    # ---------------------------------------------------------------- the evidence board
    def _claim_changed(self, claim_id: str | None) -> None:
        self.evidence.show_claim(self.claims.record(claim_id))
        if claim_id is not None:
            self._load_details(claim_id)

    def _claims_updated(self, records: Sequence[Any]) -> None:
        current = next((r for r in records if r.id == self.selection.claim_id), None)
        if current is not None:
            self.evidence.show_claim(current)

    def _changes_applied(self, outcome: Outcome[Any], _initiator: object) -> None:
        if outcome.undo is not None:
            self.undo_changed.emit(outcome.undo)
        claim_id = self.selection.claim_id
        if claim_id is None or not outcome.changes & DETAILS:
            return
        whole = outcome.changes & (Changes.UNDO_APPLIED | Changes.BOARD)
        if whole or not outcome.claim_ids or claim_id in outcome.claim_ids:
            self._load_details(claim_id)

    def _load_details(self, claim_id: str) -> None:
        def load(ws: Workspace) -> tuple[Any, Any]:
            return ws.evidence(claim_id), ws.history(claim_id=claim_id)

        def show(result: tuple[Any, Any]) -> None:
            if self.selection.claim_id == claim_id:
                self.evidence.set_evidence(result[0])
                self.evidence.set_history(result[1])

        self.board.read(load, show)

    def refresh_undo(self) -> None:
        if self.board.is_open:
            self.board.read(lambda ws: ws.undo_status(), self.undo_changed.emit)

    # ---------------------------------------------------------------- the loop
    def set_status(self, status: ClaimStatus) -> None:
        claim = self.claims.selected()
        if claim is not None and claim.status is not status:
            self.board.mutate(lambda ws: ws.set_status(claim.id, status), initiator=self)
            others = [c for c in self.claims.model.repeats_of(claim) if c.status is not status]
            if others:
                n = len(others)
                them = "them" if n > 1 else "it"
                self.message.emit(
                    f"This quote is repeated {n} more time{'s' if n > 1 else ''} in the "
                    f"article: R gives {them} this verdict too.",
                    10_000,
                )

    def apply_to_repeats(self) -> None:
        """R: the selected claim's verdict for every repeat of its quote, in one undo step."""
        claim = self.claims.selected()
        if claim is not None and self.claims.model.repeats_of(claim):
            self.board.mutate(
                lambda ws: ws.set_status(claim.id, claim.status, with_repeats=True),
                initiator=self,
            )

    def _edit(self, **fields: Any) -> None:
        claim = self.claims.selected()
        if claim is not None:
            self.board.mutate(lambda ws: ws.edit_claim(claim.id, **fields), initiator=self)

    def edit_explanation(self) -> None:
        if self.claims.selected() is not None:
            self._remember_loop_focus()
            self.evidence.focus_explanation()

    def add_evidence(self) -> None:
        if self.claims.selected() is not None:
            self._remember_loop_focus()
            self.evidence.focus_add_evidence()

    def _remember_loop_focus(self) -> None:
        focus = QApplication.focusWidget()
        if focus in (self.article_view, self.claims.view):
            self._loop_focus = focus

    def return_to_claims(self) -> None:
        """Escape from a field of the evidence board: the article or claims table that had the
        keyboard before E / A gets it back, so the next J / V / D drive the loop. The field
        saves what was typed as it loses the focus."""
        target = self._loop_focus if self._loop_focus is not None else self.claims.view
        if not target.isVisible():
            target = self.claims.view
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # ---------------------------------------------------------------- evidence
    def attach_url(self, form: dict[str, Any]) -> None:
        claim = self.claims.selected()
        if claim is None:
            return
        self.board.mutate(
            lambda ws: ws.attach_url(
                claim.id,
                form["url"],
                quote=form.get("quote", ""),
                title=form.get("title", ""),
                publisher=form.get("publisher", ""),
                stance=form.get("stance", Stance.UNSET),
            ),
            lambda _o: self.evidence.clear_form(),
            initiator=self,
        )

    def attach_files(self, paths: Sequence[str], stance: Stance) -> None:
        claim = self.claims.selected()
        if claim is None:
            return
        for path in paths:
            self.board.mutate(
                partial(_attach_file, claim_id=claim.id, path=path, stance=stance), initiator=self
            )

    def attach_note(self, text: str, stance: Stance) -> None:
        claim = self.claims.selected()
        if claim is not None:
            self.board.mutate(
                lambda ws: ws.attach_note(claim.id, text, stance=stance),
                lambda _o: self.evidence.clear_form(),
                initiator=self,
            )

    def unlink_evidence(self, link_id: str) -> None:
        self.board.mutate(lambda ws: ws.unlink_evidence(link_id), initiator=self)

    # ---------------------------------------------------------------- claims by hand
    def mark_selection(self) -> None:
        article = self.selection.article
        if article is None:
            return
        selected = self.article_view.selected_range()
        if selected is None:
            self.message.emit("Select the words of the claim in the article, then M.", 4000)
            return
        start, end = trim_span(article.text, *selected)
        if start == end:
            return
        self.board.mutate(
            lambda ws: ws.mark_claim(article.id, start, end),
            lambda o: self.selection.set_claim(o.value.id),
            initiator=self,
        )

    def toggle_dismissed(self) -> None:
        claim = self.claims.selected()
        if claim is None:
            return
        if claim.dismissed:
            self.board.mutate(lambda ws: ws.restore_claim(claim.id), initiator=self)
            return
        # move on to the next claim, as a journalist clearing noise expects
        row = self.claims.current_row()
        self.board.mutate(
            lambda ws: ws.dismiss_claim(claim.id),
            lambda _o: self.claims.select_row_near(row),
            initiator=self,
        )

    def undo(self) -> None:
        self.board.mutate(lambda ws: ws.undo(), self._undone, initiator=self)

    def redo(self) -> None:
        self.board.mutate(lambda ws: ws.redo(), self._undone, initiator=self)

    def _undone(self, outcome: Outcome[Any]) -> None:
        if outcome.value:
            self.message.emit(str(outcome.value), 4000)
