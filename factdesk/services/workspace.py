"""The Workspace: the one core API that the CLI, the window and the tests use.

A thin facade, sectioned as the modules behind it are: opening (and settings), articles,
claims, evidence, search and history, reports, undo. One public method per user intent; each
mutation is one transaction and one undo step, and returns an Outcome (the record plus which
kinds of things changed). No Qt here, no SQL here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from factdesk import paths as paths_mod
from factdesk import settings as settings_mod
from factdesk.domain import (
    ArticleRecord,
    ArticleSummary,
    BoardInfo,
    ClaimCandidate,
    ClaimKind,
    ClaimRecord,
    ClaimStatus,
    EvidenceLinkRecord,
    HistoryEventRecord,
    ImportedDocument,
    Outcome,
    SearchHit,
    Stance,
    UndoStatus,
    UnsealedRecord,
    VerifyReport,
)
from factdesk.domain.sync import ConflictRecord, SyncReport, SyncStatus
from factdesk.services import (
    articles,
    claims,
    evidence,
    history,
    integrity,
    opening,
    recovery,
    reports,
)
from factdesk.services import sync as sync_service
from factdesk.services.claims import CLAIMS_PAGE
from factdesk.services.context import Context
from factdesk.services.opening import PassphraseProvider


class Workspace:
    """An open evidence board plus the user's settings. Safe to call from several threads."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._matcher: Any = None

    # -- opening and settings ---------------------------------------------------------------

    @classmethod
    def open(
        cls,
        target: str | os.PathLike[str] | None = None,
        *,
        home: str | os.PathLike[str] | None = None,
        create: bool = True,
        plaintext: bool = False,
        passphrase: PassphraseProvider | None = None,
        actor: str | None = None,
        read_only: bool = False,
    ) -> Workspace:
        """Open the board at `target` (a file, or a postgresql:// URL); default: the user's board."""
        return cls(
            opening.open_context(
                target,
                home=home,
                create=create,
                plaintext=plaintext,
                passphrase=passphrase,
                actor=actor,
                read_only=read_only,
            )
        )

    def close(self) -> None:
        opening.close(self._ctx)

    def rekey(self) -> Path:
        """Change the board's key; returns the new recovery file (see services/recovery.py)."""
        return recovery.rekey(self._ctx)

    def export_chain_secret(self, dest: str | os.PathLike[str]) -> Path:
        """Write the board's chain secret to a new file for a colleague (services/integrity.py)."""
        with self._ctx.lock:
            return integrity.export_secret(self._ctx.board, Path(dest).expanduser().resolve())

    def import_chain_secret(self, source: str | os.PathLike[str]) -> None:
        """File a colleague's chain secret for this board here; later writes seal the history."""
        with self._ctx.lock:
            integrity.import_secret(self._ctx.board, Path(source).expanduser())

    def unsealed(self) -> list[UnsealedRecord]:
        """Runs of events written without the chain secret, accepted or not (unchecked: see
        verify)."""
        with self._ctx.lock:
            return integrity.unsealed(self._ctx.board)

    def accept_unsealed(self, span: str) -> list[UnsealedRecord]:
        """Vouch, as this person, for events written without the chain secret (`span`:
        FIRST-LAST, one event, or all); verify then lists them as accepted, not as problems."""
        with self._ctx.lock:
            return integrity.accept(self._ctx.board, span, self._ctx.actor)

    @property
    def recovery_file(self) -> Path | None:
        """The recovery file written when this open created the board (None otherwise)."""
        return self._ctx.recovery_file

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def paths(self) -> paths_mod.Paths:
        return self._ctx.paths

    @property
    def actor(self) -> str:
        """Who is acting: named in the history and in each claim's reviewer."""
        return self._ctx.actor

    @property
    def key_source(self) -> str:
        return self._ctx.key_source

    @property
    def settings(self) -> settings_mod.Settings:
        return self._ctx.settings

    def update_settings(self, **changes: Any) -> settings_mod.Settings:
        return opening.update_settings(self._ctx, **changes)

    @property
    def location(self) -> str:
        return self._ctx.board.location

    def info(self) -> BoardInfo:
        return opening.info(self._ctx)

    def backup(self, dest: str | os.PathLike[str] | None = None) -> Path:
        """A consistent copy of the board (encrypted with the same key), openable on its own."""
        return opening.backup(self._ctx, dest)

    # -- articles ---------------------------------------------------------------------------

    def import_file(
        self,
        path: str | os.PathLike[str],
        *,
        detect: bool = True,
        progress: Callable[[int, int], None] | None = None,
    ) -> Outcome[ArticleRecord]:
        """Read an article file (txt, md, html, pdf, docx) and put it on the board;
        `progress(paragraphs done, total)` while its claims are sought."""
        return articles.import_file(self._ctx, path, detect=detect, progress=progress)

    def read_file(self, path: str | os.PathLike[str]) -> ImportedDocument:
        """Read an article file within the size limit of the settings; the board is not touched."""
        return articles.read_file(self._ctx, path)

    def import_text(
        self, text: str, *, title: str = "", source_format: str = "paste", detect: bool = True
    ) -> Outcome[ArticleRecord]:
        return articles.import_text(
            self._ctx, text, title=title, source_format=source_format, detect=detect
        )

    def find_duplicate(self, text: str) -> ArticleRecord | None:
        return articles.find_duplicate(self._ctx, text)

    def add_document(
        self,
        doc: ImportedDocument,
        *,
        detect: bool = True,
        candidates: Sequence[ClaimCandidate] | None = None,
    ) -> Outcome[ArticleRecord]:
        """Put an imported article on the board (see `articles.add_document`)."""
        return articles.add_document(self._ctx, doc, detect=detect, candidates=candidates)

    def add_detected_claims(
        self,
        article_id: str,
        candidates: Sequence[ClaimCandidate],
        *,
        earlier: Sequence[ClaimCandidate] = (),
    ) -> Outcome[list[ClaimRecord]]:
        """Store claims found after the import (see `articles.add_detected_claims`)."""
        return articles.add_detected_claims(self._ctx, article_id, candidates, earlier=earlier)

    def list_articles(
        self, *, after: ArticleSummary | None = None, limit: int | None = None
    ) -> list[ArticleSummary]:
        """Articles newest first; with `limit`, a page of them after `after` (the last one of
        the page before)."""
        return articles.list_articles(self._ctx, after=after, limit=limit)

    def board_counts(self) -> tuple[int, int]:
        """(articles, claims) on the board, read from counts kept on write."""
        return articles.board_counts(self._ctx)

    def article(self, article_id: str) -> ArticleRecord:
        return articles.article(self._ctx, article_id)

    def resolve_article(self, prefix: str) -> str:
        return articles.resolve_article(self._ctx, prefix)

    # -- claims -----------------------------------------------------------------------------

    def claims(
        self,
        article_id: str | None = None,
        *,
        status: ClaimStatus | None = None,
        include_dismissed: bool = False,
    ) -> list[ClaimRecord]:
        return claims.claims(
            self._ctx, article_id, status=status, include_dismissed=include_dismissed
        )

    def claims_page(
        self,
        article_id: str,
        *,
        after: ClaimRecord | None = None,
        through: ClaimRecord | None = None,
        limit: int = CLAIMS_PAGE,
        include_dismissed: bool = False,
    ) -> list[ClaimRecord]:
        """A page of an article's claims in the claims table's order, high priority first, after
        `after` (see `claims.claims_page`)."""
        return claims.claims_page(
            self._ctx,
            article_id,
            after=after,
            through=through,
            limit=limit,
            include_dismissed=include_dismissed,
        )

    def article_counts(self, article_id: str) -> tuple[int, int, int, int]:
        """(verified, disputed, unverified, dismissed) claims of an article."""
        return claims.article_counts(self._ctx, article_id)

    def claim(self, claim_id: str) -> ClaimRecord:
        return claims.claim(self._ctx, claim_id)

    def resolve_claim(self, prefix: str) -> str:
        return claims.resolve_claim(self._ctx, prefix)

    def mark_claim(
        self,
        article_id: str,
        start: int,
        end: int,
        *,
        claimant: str = "",
        kind: ClaimKind | None = None,
        score: float = 1.0,
    ) -> Outcome[ClaimRecord]:
        """Mark a span of the article as a claim by hand (outer whitespace is trimmed)."""
        return claims.mark_claim(
            self._ctx, article_id, start, end, claimant=claimant, kind=kind, score=score
        )

    def dismiss_claim(self, claim_id: str) -> Outcome[ClaimRecord]:
        return claims.dismiss_claim(self._ctx, claim_id)

    def restore_claim(self, claim_id: str) -> Outcome[ClaimRecord]:
        return claims.restore_claim(self._ctx, claim_id)

    def set_status(
        self,
        claim_id: str,
        status: ClaimStatus | str,
        explanation: str | None = None,
        *,
        with_repeats: bool = False,
    ) -> Outcome[ClaimRecord]:
        """Set a verdict; `with_repeats`: its repeats too, in the same undo step."""
        return claims.set_status(
            self._ctx, claim_id, status, explanation, with_repeats=with_repeats
        )

    def repeats(self, claim_id: str) -> list[ClaimRecord]:
        """The other claims of the article repeating the same quote or statement."""
        return claims.repeats(self._ctx, claim_id)

    def edit_claim(
        self,
        claim_id: str,
        *,
        claimant: str | None = None,
        explanation: str | None = None,
        rating: str | None = None,
        kind: ClaimKind | None = None,
    ) -> Outcome[ClaimRecord]:
        return claims.edit_claim(
            self._ctx,
            claim_id,
            claimant=claimant,
            explanation=explanation,
            rating=rating,
            kind=kind,
        )

    # -- evidence ---------------------------------------------------------------------------

    def attach_url(
        self,
        claim_id: str,
        url: str,
        *,
        quote: str = "",
        title: str = "",
        publisher: str = "",
        author: str = "",
        published: date | None = None,
        accessed: date | None = None,
        stance: Stance | str = Stance.UNSET,
        note: str = "",
    ) -> Outcome[EvidenceLinkRecord]:
        return evidence.attach_url(
            self._ctx,
            claim_id,
            url,
            quote=quote,
            title=title,
            publisher=publisher,
            author=author,
            published=published,
            accessed=accessed,
            stance=stance,
            note=note,
        )

    def attach_file(
        self,
        claim_id: str,
        path: str | os.PathLike[str],
        *,
        title: str = "",
        stance: Stance | str = Stance.UNSET,
        note: str = "",
    ) -> Outcome[EvidenceLinkRecord]:
        return evidence.attach_file(
            self._ctx, claim_id, path, title=title, stance=stance, note=note
        )

    def attach_bytes(
        self,
        claim_id: str,
        data: bytes,
        filename: str,
        *,
        media_type: str = "",
        title: str = "",
        stance: Stance | str = Stance.UNSET,
        note: str = "",
    ) -> Outcome[EvidenceLinkRecord]:
        return evidence.attach_bytes(
            self._ctx,
            claim_id,
            data,
            filename,
            media_type=media_type,
            title=title,
            stance=stance,
            note=note,
        )

    def attach_note(
        self, claim_id: str, text: str, *, stance: Stance | str = Stance.CONTEXT, title: str = ""
    ) -> Outcome[EvidenceLinkRecord]:
        return evidence.attach_note(self._ctx, claim_id, text, stance=stance, title=title)

    def link_evidence(
        self, claim_id: str, evidence_id: str, stance: Stance | str, note: str = ""
    ) -> Outcome[EvidenceLinkRecord]:
        """Let one source back another claim too."""
        return evidence.link_evidence(self._ctx, claim_id, evidence_id, stance, note)

    def set_stance(
        self, link_id: str, stance: Stance | str, note: str | None = None
    ) -> Outcome[EvidenceLinkRecord]:
        return evidence.set_stance(self._ctx, link_id, stance, note)

    def unlink_evidence(self, link_id: str) -> Outcome[None]:
        return evidence.unlink_evidence(self._ctx, link_id)

    def evidence(self, claim_id: str) -> list[EvidenceLinkRecord]:
        return evidence.evidence(self._ctx, claim_id)

    def attachment_data(self, attachment_id: str) -> bytes:
        return evidence.attachment_data(self._ctx, attachment_id)

    # -- fact-checks and matching (services/matching.py) -------------------------------------

    def import_factchecks(self, path: str | os.PathLike[str], progress: Any = None) -> Any:
        from factdesk.services import matching

        return matching.import_factchecks(self._ctx.board, Path(path), progress)

    def factcheck_collections(self) -> list[Any]:
        from factdesk.services import matching

        return matching.collections(self._ctx.board)

    def remove_factchecks(self, key: str) -> Any:
        from factdesk.services import matching

        return matching.remove_collection(self._ctx.board, key)

    def matcher(self, encoder: Any = None) -> Any:
        """The board's matching index (services.matching.Matcher), made once; refresh() it off
        the GUI thread before matching. `encoder`: compute its vectors with that from now on."""
        with self._ctx.lock:
            if self._matcher is None:
                from factdesk.services import matching

                self._matcher = matching.Matcher(self._ctx.board)
            if encoder is not None:
                self._matcher.use_encoder(encoder)
            return self._matcher

    # -- search, history, integrity ---------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        return history.search(self._ctx, query, limit)

    def history(
        self,
        *,
        claim_id: str | None = None,
        article_id: str | None = None,
        limit: int | None = None,
        between: tuple[int, int] | None = None,
    ) -> list[HistoryEventRecord]:
        """`between`: events FIRST..LAST by number (with `limit`: the first ones of them)."""
        return history.history(
            self._ctx, claim_id=claim_id, article_id=article_id, limit=limit, between=between
        )

    def verify(self, progress: Callable[[int, int], None] | None = None) -> VerifyReport:
        return history.verify(self._ctx, progress)

    # -- reports ----------------------------------------------------------------------------

    def report_data(
        self,
        article_id: str | None = None,
        *,
        include_history: bool = False,
        include_unverified: bool = False,
    ) -> Any:
        """A consistent snapshot for a report: one article, or the whole board (None)."""
        return reports.report_data(
            self._ctx,
            article_id,
            include_history=include_history,
            include_unverified=include_unverified,
        )

    def export(
        self,
        article_id: str | None,
        fmt: str,
        path: str | os.PathLike[str],
        *,
        include_history: bool = False,
        include_unverified: bool = False,
        paper: str = "a4",
    ) -> list[Path]:
        """Write a report (html, pdf, md, csv, claimreview); returns the files written."""
        return reports.export(
            self._ctx,
            article_id,
            fmt,
            path,
            include_history=include_history,
            include_unverified=include_unverified,
            paper=paper,
        )

    def export_warnings(self, fmt: str) -> list[str]:
        """What a report in `fmt` would lack that the settings could give it (ClaimReview urls)."""
        return reports.export_warnings(self._ctx, fmt)

    # -- sync with the team board (services/sync.py) ----------------------------------------------

    def sync(
        self,
        url: str | None = None,
        *,
        progress: Callable[[str, int, int], None] | None = None,
        passphrase: PassphraseProvider | None = None,
        fail_after_batches: int | None = None,
    ) -> SyncReport:
        """Exchange everything new with the team board (URL remembered after the first time)."""
        return sync_service.sync(
            self._ctx,
            url,
            progress=progress,
            passphrase=passphrase,
            fail_after_batches=fail_after_batches,
        )

    def sync_status(self, *, count_unsynced: bool = True) -> SyncStatus:
        return sync_service.status(self._ctx, count_unsynced=count_unsynced)

    def conflicts(self, claim_id: str | None = None) -> list[ConflictRecord]:
        return sync_service.conflicts(self._ctx, claim_id)

    def conflicted_claims(self) -> set[str]:
        return sync_service.conflicted_claims(self._ctx)

    def resolve_conflict(self, claim_id: str, keep: str) -> Outcome[ClaimRecord | None]:
        """keep: 'mine', 'theirs', or the merged explanation's text."""
        return sync_service.resolve(self._ctx, claim_id, keep)

    # -- undo -------------------------------------------------------------------------------

    def undo(self) -> Outcome[str]:
        return history.undo(self._ctx)

    def redo(self) -> Outcome[str]:
        return history.redo(self._ctx)

    def undo_status(self) -> UndoStatus:
        return history.undo_status(self._ctx)
