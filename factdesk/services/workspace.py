"""The Workspace: the one core API that the CLI, the window and the tests use.

One public method per user intent. Each mutation is one transaction and one undo step, and returns
an Outcome (the record plus which kinds of things changed). No Qt here, no SQL here.
"""

from __future__ import annotations

import getpass
import hashlib
import mimetypes
import os
import threading
import unicodedata
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from factdesk import paths as paths_mod
from factdesk import secrets, store
from factdesk import settings as settings_mod
from factdesk.domain import (
    ArticleRecord,
    ArticleSummary,
    BoardError,
    BoardInfo,
    Changes,
    ClaimCandidate,
    ClaimKind,
    ClaimOrigin,
    ClaimRecord,
    ClaimStatus,
    EvidenceKind,
    EvidenceLinkRecord,
    HistoryEventRecord,
    ImportedDocument,
    InvalidInputError,
    KeyUnavailableError,
    NotFoundError,
    Outcome,
    SearchHit,
    Stance,
    UndoStatus,
    VerifyReport,
)
from factdesk.store import repo
from factdesk.store import schema as store_schema
from factdesk.store.board import Tx
from factdesk.store.convert import entities_json

PassphraseProvider = Callable[[str], str | None]

MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024


def _now() -> datetime:
    return datetime.now(UTC)


def _outcome(value: Any, tx: Tx, extra: Changes = Changes.NONE) -> Outcome[Any]:
    return Outcome(value, tx.changes | extra, frozenset(tx.article_ids), frozenset(tx.claim_ids))


def normalise_text(text: str) -> str:
    """The form in which article text is stored: NFC, `\\n` line endings."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


class Workspace:
    """An open evidence board plus the user's settings. Safe to call from several threads."""

    def __init__(
        self,
        board: store.Board,
        *,
        paths: paths_mod.Paths,
        settings: settings_mod.Settings,
        key: store.BoardKey | None,
        key_source: str,
        actor: str,
    ) -> None:
        self._board = board
        self.paths = paths
        self._settings = settings
        self._key = key
        self.key_source = key_source
        self.actor = actor
        self._lock = threading.RLock()
        self._matcher: Any = None

    # -- opening ----------------------------------------------------------------------------

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
    ) -> Workspace:
        """Open the board at `target` (a file, or a postgresql:// URL); default: the user's board."""
        p = paths_mod.resolve(home)
        settings = settings_mod.load(p.settings_file)
        if target is None:
            target = settings.default_board or p.default_board
        who = actor or settings.author_name or _os_user()
        target_s = os.fspath(target)
        if store.is_server_url(target_s):
            board, key_source = _open_server(target_s, passphrase)
            return cls(
                board, paths=p, settings=settings, key=None, key_source=key_source, actor=who
            )
        path = Path(target_s).expanduser().resolve()
        board, key, key_source = _open_file(path, p, create, plaintext, passphrase)
        return cls(board, paths=p, settings=settings, key=key, key_source=key_source, actor=who)

    def close(self) -> None:
        with self._lock:
            self._board.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- settings and info ------------------------------------------------------------------

    @property
    def settings(self) -> settings_mod.Settings:
        return self._settings

    def update_settings(self, **changes: Any) -> settings_mod.Settings:
        self._settings = self._settings.with_(**changes)
        settings_mod.save(self.paths.settings_file, self._settings)
        if changes.get("author_name"):
            self.actor = changes["author_name"]
        return self._settings

    @property
    def location(self) -> str:
        return self._board.location

    def info(self) -> BoardInfo:
        with self._lock:
            n_articles, n_claims, n_events = self._board.counts()
            size = None
            if self._board.path is not None and self._board.path.exists():
                size = self._board.path.stat().st_size
                wal = Path(str(self._board.path) + "-wal")
                if wal.exists():
                    size += wal.stat().st_size
            return BoardInfo(
                location=self._board.location,
                backend=self._board.backend,
                encrypted=self._board.encrypted,
                key_source=self.key_source,
                schema_revision=store.migrate.current_revision(self._board.engine) or "",
                board_id=self._board.meta("board_id") or "",
                n_articles=n_articles,
                n_claims=n_claims,
                n_events=n_events,
                head_hash=self._board.head_hash(),
                file_size=size,
            )

    # -- articles ---------------------------------------------------------------------------

    def import_file(
        self, path: str | os.PathLike[str], *, detect: bool = True
    ) -> Outcome[ArticleRecord]:
        """Read an article file (txt, md, html, pdf, docx) and put it on the board."""
        return self.add_document(self.read_file(path), detect=detect)

    def read_file(self, path: str | os.PathLike[str]) -> ImportedDocument:
        """Read an article file within the size limit of the settings; the board is not touched."""
        from factdesk import importers

        return importers.read_file(path, max_bytes=self._settings.max_import_bytes)

    def import_text(
        self, text: str, *, title: str = "", source_format: str = "paste", detect: bool = True
    ) -> Outcome[ArticleRecord]:
        from factdesk import importers

        doc = importers.read_text(text, title=title, source_format=source_format)
        return self.add_document(doc, detect=detect)

    def find_duplicate(self, text: str) -> ArticleRecord | None:
        sha = hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()
        with self._lock:
            return repo.find_article_by_sha(self._board, sha)

    def add_document(
        self,
        doc: ImportedDocument,
        *,
        detect: bool = True,
        candidates: Sequence[ClaimCandidate] | None = None,
    ) -> Outcome[ArticleRecord]:
        """Put an imported article on the board, its original kept as an attachment.

        The same text already on the board is offered instead: the Outcome then has no changes.
        With `detect`, claims are found first (outside the transaction), then stored with it.
        """
        text = normalise_text(doc.text)
        if not text.strip():
            raise InvalidInputError("The article is empty: there is no text to check.")
        existing = self.find_duplicate(text)
        if existing is not None:
            return Outcome(existing, Changes.NONE, frozenset({existing.id}))
        if candidates is None and detect:
            from factdesk import nlp

            candidates = nlp.detect_claims(text)
        title = doc.title.strip() or _title_from(text)
        with self._lock, self._board.action(f"Import article “{_short(title)}”", self.actor) as tx:
            attachment_id = None
            if doc.original_bytes:
                att = repo.put_attachment(
                    tx,
                    doc.original_bytes,
                    doc.original_name or "original",
                    doc.original_media_type or "application/octet-stream",
                )
                attachment_id = att.id
            article = repo.create_article(
                tx,
                text=text,
                title=title,
                outlet=doc.outlet,
                authors=doc.authors,
                published=doc.published,
                url=doc.url,
                language=doc.language or "en",
                source_format=doc.source_format,
                imported_at=doc.fetched_at or _now(),
                attachment_id=attachment_id,
            )
            if candidates:
                self._store_candidates(tx, article.id, text, candidates)
        return _outcome(article, tx)

    def add_detected_claims(
        self,
        article_id: str,
        candidates: Sequence[ClaimCandidate],
        *,
        earlier: Sequence[ClaimCandidate] = (),
    ) -> Outcome[list[ClaimRecord]]:
        """Store claims found after the import (the window streams them in as analysis runs).

        `earlier` are the candidates of the same analysis already passed in earlier calls: a
        candidate's `duplicate_of` counts from the start of the analysis, so a repeat of a claim
        stored by an earlier call is linked to it. They join the import's undo step, so undoing
        the import takes them away too.
        """
        created = repo.creating_action(self._board, article_id)
        if created is None or created[1] not in ("done", "system"):
            raise NotFoundError("That article is no longer on the board.")
        with (
            self._lock,
            self._board.action("Detect claims", self.actor, join_action_id=created[0]) as tx,
        ):
            text = repo.article_text(tx, article_id)
            records = self._store_candidates(tx, article_id, text, candidates, earlier)
        return _outcome(records, tx)

    def _store_candidates(
        self,
        tx: Tx,
        article_id: str,
        text: str,
        candidates: Sequence[ClaimCandidate],
        earlier: Sequence[ClaimCandidate] = (),
    ) -> list[ClaimRecord]:
        first = len(earlier)
        # only the spans this call can touch: its own and those its duplicates point back to
        wanted = {(c.start, c.end) for c in candidates}
        wanted |= {
            (earlier[c.duplicate_of].start, earlier[c.duplicate_of].end)
            for c in candidates
            if c.duplicate_of is not None and 0 <= c.duplicate_of < first
        }
        on_board = repo.claim_ids_at(tx, article_id, wanted)
        taken = set(on_board)
        ids: dict[int, str] = {}
        out: list[ClaimRecord] = []
        for i, cand in enumerate(candidates, start=first):
            # A quote put in a named person's mouth always needs checking (was it said, and is
            # it so), even when its wording scores low as a factual claim.
            attributed_quote = cand.kind is ClaimKind.QUOTATION and bool(cand.claimant)
            if not (cand.is_check_worthy or attributed_quote):
                continue
            if text[cand.start : cand.end] != cand.text or not cand.text.strip():
                raise BoardError(
                    f"Claim detection returned offsets that do not match the text "
                    f"({cand.start}-{cand.end}); nothing was stored."
                )
            if (cand.start, cand.end) in taken:
                # on the board already (found before, or marked by hand): a later repeat of it
                # in this call is linked to that claim
                if (cand.start, cand.end) in on_board:
                    ids[i] = on_board[(cand.start, cand.end)]
                continue
            taken.add((cand.start, cand.end))
            duplicate_of = None
            if cand.duplicate_of is not None:
                if cand.duplicate_of >= first:
                    duplicate_of = ids.get(cand.duplicate_of)
                elif cand.duplicate_of >= 0:
                    prior = earlier[cand.duplicate_of]
                    duplicate_of = on_board.get((prior.start, prior.end))
            rec = repo.create_claim(
                tx,
                id=store_schema.new_id(),
                article_id=article_id,
                start=cand.start,
                end=cand.end,
                text=cand.text,
                score=round(float(cand.score), 4),
                kind=cand.kind.value,
                claimant=cand.claimant or "",
                origin=ClaimOrigin.DETECTED.value,
                duplicate_of=duplicate_of,
                entities=entities_json(cand.entities),
            )
            ids[i] = rec.id
            out.append(rec)
        return out

    def list_articles(self) -> list[ArticleSummary]:
        with self._lock:
            return repo.list_articles(self._board)

    def article(self, article_id: str) -> ArticleRecord:
        with self._lock:
            return repo.get_article(self._board, article_id)

    def resolve_article(self, prefix: str) -> str:
        with self._lock:
            return self._board.resolve(store_schema.Article, prefix, "article")

    def resolve_claim(self, prefix: str) -> str:
        with self._lock:
            return self._board.resolve(store_schema.Claim, prefix, "claim")

    # -- claims -----------------------------------------------------------------------------

    def claims(
        self,
        article_id: str | None = None,
        *,
        status: ClaimStatus | None = None,
        include_dismissed: bool = False,
    ) -> list[ClaimRecord]:
        with self._lock:
            return repo.list_claims(
                self._board, article_id, status=status, include_dismissed=include_dismissed
            )

    def claim(self, claim_id: str) -> ClaimRecord:
        with self._lock:
            return repo.get_claim(self._board, claim_id)

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
        article = self.article(article_id)
        text = article.text
        if not (0 <= start < end <= len(text)):
            raise InvalidInputError(
                f"The selection {start}-{end} is outside the article (0-{len(text)})."
            )
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            raise InvalidInputError("Select some words of the article to mark them as a claim.")
        existing = [
            c
            for c in self.claims(article_id, include_dismissed=True)
            if (c.start, c.end) == (start, end)
        ]
        if existing:
            if existing[0].dismissed:
                return self.restore_claim(existing[0].id)
            raise InvalidInputError("That passage is already a claim.")
        with (
            self._lock,
            self._board.action(f"Mark claim “{_short(text[start:end])}”", self.actor) as tx,
        ):
            rec = repo.create_claim(
                tx,
                article_id=article_id,
                start=start,
                end=end,
                text=text[start:end],
                score=score,
                kind=(kind or ClaimKind.OTHER).value,
                claimant=claimant,
                origin=ClaimOrigin.MANUAL.value,
                reviewer=self.actor,
            )
        return _outcome(rec, tx)

    def dismiss_claim(self, claim_id: str) -> Outcome[ClaimRecord]:
        return self._update_claim(claim_id, "Dismiss claim", dismissed=True)

    def restore_claim(self, claim_id: str) -> Outcome[ClaimRecord]:
        return self._update_claim(claim_id, "Restore claim", dismissed=False)

    def set_status(
        self, claim_id: str, status: ClaimStatus | str, explanation: str | None = None
    ) -> Outcome[ClaimRecord]:
        status = ClaimStatus(status)
        values: dict[str, Any] = {"status": status.value, "reviewer": self.actor}
        if explanation is not None:
            values["explanation"] = explanation.strip()
        return self._update_claim(claim_id, f"Set status to {status.value}", **values)

    def edit_claim(
        self,
        claim_id: str,
        *,
        claimant: str | None = None,
        explanation: str | None = None,
        rating: str | None = None,
        kind: ClaimKind | None = None,
    ) -> Outcome[ClaimRecord]:
        values: dict[str, Any] = {}
        labels = []
        if claimant is not None:
            values["claimant"] = claimant.strip()
            labels.append("claimant")
        if explanation is not None:
            values["explanation"] = explanation.strip()
            labels.append("explanation")
        if rating is not None:
            values["rating"] = rating.strip()
            labels.append("rating")
        if kind is not None:
            values["kind"] = ClaimKind(kind).value
            labels.append("kind")
        if not values:
            raise InvalidInputError("Nothing to change.")
        return self._update_claim(claim_id, "Edit " + ", ".join(labels), **values)

    def _update_claim(self, claim_id: str, label: str, **values: Any) -> Outcome[ClaimRecord]:
        with self._lock, self._board.action(label, self.actor) as tx:
            rec = repo.update_claim(tx, claim_id, **values)
        return _outcome(rec, tx)

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
        stance: Stance | str = Stance.SUPPORTS,
        note: str = "",
    ) -> Outcome[EvidenceLinkRecord]:
        url = url.strip()
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise InvalidInputError(
                f"'{url}' is not a web address: give the full URL, starting with https://."
            )
        return self._attach(
            claim_id,
            f"Attach source {parsed.netloc}",
            {
                "kind": EvidenceKind.URL.value,
                "url": url,
                "title": title.strip(),
                "publisher": publisher.strip() or parsed.netloc,
                "author": author.strip(),
                "published": published,
                "accessed": accessed or _now().date(),
                "quote": quote.strip(),
            },
            stance,
            note,
        )

    def attach_file(
        self,
        claim_id: str,
        path: str | os.PathLike[str],
        *,
        title: str = "",
        stance: Stance | str = Stance.SUPPORTS,
        note: str = "",
    ) -> Outcome[EvidenceLinkRecord]:
        p = Path(path)
        try:
            if p.is_dir():
                raise InvalidInputError(f"{p} is a folder: attach a file.")
            size = p.stat().st_size
            if size > MAX_ATTACHMENT_BYTES:
                raise InvalidInputError(
                    f"{p.name} is {size // (1024 * 1024)} MB; files over "
                    f"{MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB cannot be attached."
                )
            data = p.read_bytes()
        except FileNotFoundError as exc:
            raise InvalidInputError(f"Cannot attach {p}: there is no such file.") from exc
        except PermissionError as exc:
            raise InvalidInputError(f"Cannot attach {p}: permission denied.") from exc
        except OSError as exc:
            raise InvalidInputError(f"Cannot attach {p}: {exc.strerror or exc}.") from exc
        return self.attach_bytes(claim_id, data, p.name, title=title, stance=stance, note=note)

    def attach_bytes(
        self,
        claim_id: str,
        data: bytes,
        filename: str,
        *,
        media_type: str = "",
        title: str = "",
        stance: Stance | str = Stance.SUPPORTS,
        note: str = "",
    ) -> Outcome[EvidenceLinkRecord]:
        if not data:
            raise InvalidInputError(f"{filename} is empty: there is nothing to keep as evidence.")
        media = media_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        return self._attach(
            claim_id,
            f"Attach file {filename}",
            {
                "kind": EvidenceKind.FILE.value,
                "title": title.strip() or filename,
                "accessed": _now().date(),
            },
            stance,
            note,
            file=(data, filename, media),
        )

    def attach_note(
        self, claim_id: str, text: str, *, stance: Stance | str = Stance.CONTEXT, title: str = ""
    ) -> Outcome[EvidenceLinkRecord]:
        if not text.strip():
            raise InvalidInputError("The note is empty.")
        return self._attach(
            claim_id,
            "Add note",
            {"kind": EvidenceKind.NOTE.value, "notes": text.strip(), "title": title.strip()},
            stance,
            "",
        )

    def _attach(
        self,
        claim_id: str,
        label: str,
        values: dict[str, Any],
        stance: Stance | str,
        note: str,
        file: tuple[bytes, str, str] | None = None,
    ) -> Outcome[EvidenceLinkRecord]:
        stance = Stance(stance)
        self.claim(claim_id)  # a clear "no such claim" before anything is written
        with self._lock, self._board.action(label, self.actor) as tx:
            if file is not None:
                att = repo.put_attachment(tx, *file)
                values["attachment_id"] = att.id
            ev = repo.create_evidence(tx, claim_id=claim_id, **values)
            link = repo.link_evidence(tx, claim_id, ev.id, stance.value, note.strip())
        return _outcome(link, tx)

    def link_evidence(
        self, claim_id: str, evidence_id: str, stance: Stance | str, note: str = ""
    ) -> Outcome[EvidenceLinkRecord]:
        """Let one source back another claim too."""
        with self._lock, self._board.action("Link evidence", self.actor) as tx:
            link = repo.link_evidence(tx, claim_id, evidence_id, Stance(stance).value, note.strip())
        return _outcome(link, tx)

    def set_stance(
        self, link_id: str, stance: Stance | str, note: str | None = None
    ) -> Outcome[EvidenceLinkRecord]:
        values: dict[str, Any] = {"stance": Stance(stance).value}
        if note is not None:
            values["note"] = note.strip()
        with (
            self._lock,
            self._board.action(f"Set stance to {Stance(stance).value}", self.actor) as tx,
        ):
            link = repo.update_link(tx, link_id, **values)
        return _outcome(link, tx)

    def unlink_evidence(self, link_id: str) -> Outcome[None]:
        with self._lock, self._board.action("Remove evidence", self.actor) as tx:
            repo.delete_link(tx, link_id)
        return _outcome(None, tx)

    def evidence(self, claim_id: str) -> list[EvidenceLinkRecord]:
        with self._lock:
            return repo.evidence_for(self._board, claim_id)

    def attachment_data(self, attachment_id: str) -> bytes:
        with self._lock:
            return repo.attachment_data(self._board, attachment_id)

    # -- fact-checks and matching (services/matching.py) -------------------------------------

    def import_factchecks(self, path: str | os.PathLike[str], progress: Any = None) -> Any:
        from factdesk.services import matching

        return matching.import_factchecks(self._board, Path(path), progress)

    def factcheck_collections(self) -> list[Any]:
        from factdesk.services import matching

        return matching.collections(self._board)

    def remove_factchecks(self, key: str) -> Any:
        from factdesk.services import matching

        return matching.remove_collection(self._board, key)

    def matcher(self) -> Any:
        """The board's matching index (services.matching.Matcher), made once; refresh() it off
        the GUI thread before matching."""
        with self._lock:
            if self._matcher is None:
                from factdesk.services import matching

                self._matcher = matching.Matcher(self._board)
            return self._matcher

    # -- search, history, integrity ---------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        with self._lock:
            return self._board.search(query, limit)

    def history(
        self,
        *,
        claim_id: str | None = None,
        article_id: str | None = None,
        limit: int | None = None,
    ) -> list[HistoryEventRecord]:
        with self._lock:
            return self._board.history(claim_id=claim_id, article_id=article_id, limit=limit)

    def verify(self) -> VerifyReport:
        with self._lock:
            return self._board.verify()

    def backup(self, dest: str | os.PathLike[str] | None = None) -> Path:
        """A consistent copy of the board (encrypted with the same key), openable on its own."""
        if self._board.path is None:
            raise BoardError("Back up a team board with the server's own tools (pg_dump).")
        if dest is None:
            stamp = _now().strftime("%Y%m%dT%H%M%SZ")
            dest = paths_mod.ensure(self.paths.backups) / f"{self._board.path.stem}-{stamp}.fdb"
        target = Path(dest).expanduser().resolve()
        if target == self._board.path:
            raise InvalidInputError("Choose a backup file other than the board itself.")
        if target.exists():
            raise InvalidInputError(f"{target} exists already; choose a new file name.")
        with self._lock:
            self._board.backup_to(target, self._key.pragma_value() if self._key else None)
        if self._key is not None and self._key.raw_hex:
            secrets.put(secrets.board_entry(store.salt_hex(target)), self._key.raw_hex)
        return target

    # -- reports ----------------------------------------------------------------------------

    def report_data(
        self,
        article_id: str | None = None,
        *,
        include_history: bool = False,
        include_unverified: bool = False,
    ) -> Any:
        """A consistent snapshot for a report: one article, or the whole board (None)."""
        from factdesk import reports

        with self._lock:
            head = self._board.head_hash()
            if article_id is not None:
                articles = [self.article(article_id)]
                scope = f"Article: {articles[0].title}"
            else:
                articles = [self.article(a.id) for a in reversed(self.list_articles())]
                scope = "Whole board"
            parts = []
            for article in articles:
                claims = []
                for claim in self.claims(article.id):
                    events = self.history(claim_id=claim.id) if include_history else []
                    claims.append(
                        reports.ClaimReport(claim, tuple(self.evidence(claim.id)), tuple(events))
                    )
                parts.append(reports.ArticleReport(article, tuple(claims)))
        return reports.ReportData(
            generated_at=_now(),
            reviewer=self._settings.author_name or self.actor,
            organisation=self._settings.organisation,
            organisation_url=self._settings.organisation_url,
            head_hash=head,
            scope=scope,
            articles=tuple(parts),
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
        from factdesk import reports

        if fmt not in reports.FORMATS:
            raise InvalidInputError(
                f"Unknown report format {fmt!r}: use one of {', '.join(reports.FORMATS)}."
            )
        data = self.report_data(
            article_id, include_history=include_history, include_unverified=include_unverified
        )
        return reports.write(data, fmt, Path(path).expanduser(), paper=paper)

    # -- undo -------------------------------------------------------------------------------

    def undo(self) -> Outcome[str]:
        with self._lock:
            label, tx = self._board.undo(self.actor)
        return _outcome(label, tx, Changes.UNDO)

    def redo(self) -> Outcome[str]:
        with self._lock:
            label, tx = self._board.redo(self.actor)
        return _outcome(label, tx, Changes.UNDO)

    def undo_status(self) -> UndoStatus:
        with self._lock:
            last, nxt = self._board.undo_state(self.actor)
        return UndoStatus(last is not None, last or "", nxt is not None, nxt or "")


# -- helpers --------------------------------------------------------------------------------


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "reviewer"


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _title_from(text: str) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "Untitled")
    return _short(first, 80)


def _open_file(
    path: Path,
    p: paths_mod.Paths,
    create: bool,
    plaintext: bool,
    passphrase: PassphraseProvider | None,
) -> tuple[store.Board, store.BoardKey | None, str]:
    kind = store.file_kind(path)
    backups = p.backups
    if kind == "plain":
        return store.open_file(path, None, backups=backups, create=False), None, "none (plaintext)"
    if kind == "encrypted":
        raw = secrets.get(secrets.board_entry(store.salt_hex(path)))
        if raw:
            key = store.BoardKey(raw_hex=raw)
            board = store.open_file(path, key, backups=backups, create=False)
            return board, key, f"keyring ({secrets.backend_name()})"
        phrase = secrets.passphrase_from_env() or (
            passphrase(f"Passphrase for the board {path.name}:") if passphrase else None
        )
        if not phrase:
            raise KeyUnavailableError(
                f"{path} is encrypted and its key is not in this computer's keyring. "
                f"Give its passphrase (set {secrets.PASSPHRASE_ENV}, or enter it when asked)."
            )
        key = store.BoardKey(passphrase=phrase)
        return store.open_file(path, key, backups=backups, create=False), key, "passphrase"
    if not create:
        raise NotFoundError(f"There is no board at {path}.")
    if plaintext:
        board = store.open_file(path, None, backups=backups, create=True)
        return board, None, "none (plaintext)"
    if secrets.available():
        key = store.new_raw_key()
        board = store.open_file(path, key, backups=backups, create=True)
        try:
            board.checkpoint()
            secrets.put(secrets.board_entry(store.salt_hex(path)), key.raw_hex)
        except Exception as exc:
            board.close()
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            raise BoardError(
                f"The new board's key could not be stored in the keyring ({exc}); "
                "no board was created."
            ) from exc
        return board, key, f"keyring ({secrets.backend_name()})"
    phrase = secrets.passphrase_from_env() or (
        passphrase(
            f"There is no keyring on this computer. Choose a passphrase for the new board "
            f"{path.name} (you will need it every time you open it):"
        )
        if passphrase
        else None
    )
    if not phrase:
        raise KeyUnavailableError(
            "There is no usable keyring on this computer to hold the board's key. Choose a "
            f"passphrase (set {secrets.PASSPHRASE_ENV}, or enter it when asked), or create an "
            "unencrypted board with --plaintext."
        )
    key = store.BoardKey(passphrase=phrase)
    return store.open_file(path, key, backups=backups, create=True), key, "passphrase"


def _open_server(url: str, passphrase: PassphraseProvider | None) -> tuple[store.Board, str]:
    """A team board on PostgreSQL. The password comes from the URL, the keyring, or the user."""
    entry = "server-" + store.display_url(url)
    if store.url_has_password(url):
        return store.open_server(url, None), "server (password in URL)"
    password = secrets.get(entry)
    source = f"server (password in keyring, {secrets.backend_name()})"
    if password is None:
        password = os.environ.get("FACTDESK_DB_PASSWORD") or (
            passphrase(f"Password for the team board {store.display_url(url)}:")
            if passphrase
            else None
        )
        source = "server (password entered)"
    board = store.open_server(url, password)
    if password and secrets.available() and source == "server (password entered)":
        secrets.put(entry, password)
    return board, source
