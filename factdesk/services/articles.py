"""Articles: reading article files, putting articles on the board (with the claims detected in
them), and listing them."""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from factdesk import paths as paths_mod
from factdesk import settings as settings_mod
from factdesk import store
from factdesk.domain import (
    ArticleRecord,
    ArticleSummary,
    BoardError,
    Changes,
    ClaimCandidate,
    ClaimOrigin,
    ClaimRecord,
    ImportedDocument,
    InvalidInputError,
    NotFoundError,
    Outcome,
)
from factdesk.services.context import Context, now, outcome, short


def normalise_text(text: str) -> str:
    """The form in which article text is stored: NFC, `\\n` line endings."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def read_article_file(
    path: str | os.PathLike[str],
    *,
    settings: settings_mod.Settings | None = None,
    home: str | os.PathLike[str] | None = None,
) -> ImportedDocument:
    """Read an article file under the user's import size limit: that of `settings`, else of the
    settings file under `home` (no board needed, so the window can read while a board opens)."""
    from factdesk import importers

    if settings is None:
        settings = settings_mod.load(paths_mod.resolve(home).settings_file)
    return importers.read_file(path, max_bytes=settings.max_import_bytes)


def read_file(ctx: Context, path: str | os.PathLike[str]) -> ImportedDocument:
    """Read an article file within the size limit of the settings; the board is not touched."""
    return read_article_file(path, settings=ctx.settings)


def import_file(
    ctx: Context,
    path: str | os.PathLike[str],
    *,
    detect: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Outcome[ArticleRecord]:
    """Read an article file (txt, md, html, pdf, docx) and put it on the board;
    `progress(paragraphs done, total)` while its claims are sought."""
    return add_document(ctx, read_file(ctx, path), detect=detect, progress=progress)


def import_text(
    ctx: Context, text: str, *, title: str = "", source_format: str = "paste", detect: bool = True
) -> Outcome[ArticleRecord]:
    from factdesk import importers

    doc = importers.read_text(text, title=title, source_format=source_format)
    return add_document(ctx, doc, detect=detect)


def _detect(text: str, progress: Callable[[int, int], None] | None) -> list[ClaimCandidate]:
    from factdesk import nlp

    if progress is None:
        return nlp.detect_claims(text)
    found: list[ClaimCandidate] = []
    for step in nlp.iter_detect(text):  # the same claims, a batch of paragraphs at a time
        found.extend(step.candidates)
        progress(step.done, step.total)
    return nlp.with_tiers(found)


def find_duplicate(ctx: Context, text: str) -> ArticleRecord | None:
    sha = hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()
    with ctx.lock:
        return store.find_article_by_sha(ctx.board, sha)


def add_document(
    ctx: Context,
    doc: ImportedDocument,
    *,
    detect: bool = True,
    candidates: Sequence[ClaimCandidate] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Outcome[ArticleRecord]:
    """Put an imported article on the board, its original kept as an attachment.

    The same text already on the board is offered instead: the Outcome then has no changes.
    With `detect`, claims are found first (outside the transaction), then stored with it.
    """
    text = normalise_text(doc.text)
    if not text.strip():
        raise InvalidInputError("The article is empty: there is no text to check.")
    from factdesk import nlp  # the masthead reads lines only: no spaCy yet

    doc = nlp.with_masthead(doc)
    existing = find_duplicate(ctx, text)
    if existing is not None:
        return Outcome(existing, Changes.NONE, frozenset({existing.id}))
    if candidates is None and detect:
        candidates = _detect(text, progress)
    title = doc.title.strip() or _title_from(text)
    with ctx.lock, ctx.board.action(f"Import article “{short(title)}”", ctx.actor) as tx:
        attachment_id = None
        if doc.original_bytes:
            attachment_id = store.put_attachment(
                tx,
                doc.original_bytes,
                doc.original_name or "original",
                doc.original_media_type or "application/octet-stream",
            )
        article = store.create_article(
            tx,
            text=text,
            title=title,
            outlet=doc.outlet,
            authors=doc.authors,
            published=doc.published,
            url=doc.url,
            language=doc.language or "en",
            source_format=doc.source_format,
            imported_at=doc.fetched_at or now(),
            attachment_id=attachment_id,
            place=doc.place,
        )
        if candidates:
            _store_candidates(tx, article.id, text, candidates)
    ctx.remember_text(article.id, text)
    return outcome(article, tx)


def add_detected_claims(
    ctx: Context,
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
    created = store.creating_action(ctx.board, article_id)
    if created is None or created[1] not in ("done", "system"):
        raise NotFoundError("That article is no longer on the board.")
    with (
        ctx.lock,
        ctx.board.action("Detect claims", ctx.actor, join_action_id=created[0]) as tx,
    ):
        text = ctx.known_text(article_id)
        if text is None:
            text = store.article_text(tx, article_id)
        records = _store_candidates(tx, article_id, text, candidates, earlier)
    ctx.remember_text(article_id, text)
    return outcome(records, tx)


def _store_candidates(
    tx: store.Tx,
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
    on_board = store.claim_ids_at(tx, article_id, wanted)
    taken = set(on_board)
    ids: dict[int, str] = {}
    rows: list[dict[str, Any]] = []
    for i, cand in enumerate(candidates, start=first):
        if not cand.is_check_worthy:  # the detector's one rule (factdesk.nlp.decide)
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
        ids[i] = store.new_id()
        rows.append(
            {
                "id": ids[i],
                "article_id": article_id,
                "start": cand.start,
                "end": cand.end,
                "text": cand.text,
                "score": round(float(cand.score), 4),
                "kind": cand.kind.value,
                "claimant": cand.claimant or "",
                "origin": ClaimOrigin.DETECTED.value,
                "duplicate_of": duplicate_of,
                "entities": cand.entities,
                "claimant_start": cand.claimant_start if cand.claimant else None,
                "claimant_end": cand.claimant_end if cand.claimant else None,
            }
        )
    # each claim's tier is its rank among all the article's detected claims: the new ones get
    # theirs, and the claims stored by earlier batches of a streamed analysis that they outrank
    # (or make room for) change tier, in the history like any change
    retiered = store.rank_detected(tx, article_id, rows)
    # one batched write for the lot: a claim at a time was most of an import's cost
    return store.create_claims(tx, rows) + retiered


def list_articles(
    ctx: Context, *, after: ArticleSummary | None = None, limit: int | None = None
) -> list[ArticleSummary]:
    """Articles newest first; with `limit`, a page of them after `after` (None: the newest)."""
    key = None if after is None else (after.imported_at, after.id)
    with ctx.lock:
        return store.list_articles(ctx.board, after=key, limit=limit)


def board_counts(ctx: Context) -> tuple[int, int]:
    """(articles, claims) on the board, from the counts kept on write (nothing is counted)."""
    with ctx.lock:
        n_articles, n_claims, _events = ctx.board.counts()
    return n_articles, n_claims


def article(ctx: Context, article_id: str) -> ArticleRecord:
    with ctx.lock:
        return store.get_article(ctx.board, article_id)


def resolve_article(ctx: Context, prefix: str) -> str:
    with ctx.lock:
        return store.resolve_article(ctx.board, prefix)


def _title_from(text: str) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "Untitled")
    return short(first, 80)
