"""Seen before: import fact-check collections and match claims against them and the board's claims.

Matching fuses two retrievers over one index (store.factchecks.match_docs): the on-device sentence
encoder's cosine similarity (vectors on the board, int8, computed incrementally) and BM25 over the
same texts (SQLite FTS5). Each query takes the best DENSE_CANDIDATES by cosine and the best
LEXICAL_CANDIDATES by BM25, and ranks their union by W_DENSE * cosine + W_LEXICAL * bm25 / (the
query's best bm25). The weights were fitted on the CheckThat! 2020 task 2 train pairs only
(cross-validated, tests/benchmarks/fit_match.py); see the README's matching section.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from factdesk.domain import ClaimRecord, InvalidInputError
from factdesk.domain.factchecks import (
    FactCheckCollectionRecord,
    FactCheckImportSummary,
    MatchRecord,
)
from factdesk.store import Board
from factdesk.store import factchecks as fc

Progress = Callable[[str, int, int], None]

DENSE_CANDIDATES = 100
LEXICAL_CANDIDATES = 100
W_DENSE = 1.0
W_LEXICAL = 0.15
EMBED_CHUNK = 256
STRONG_MATCH = 0.75  # cosine at which a match is shown as "seen before" with confidence

_URL = re.compile(r"(?:https?://|pic\.twitter\.com/|www\.)\S+", re.IGNORECASE)


def clean_query(text: str) -> str:
    """The words of a query that carry its claim: links and picture addresses left out. A pasted
    tweet's closing "— Name (@handle) date" stays: removing it lowered train MAP@5 (0.85 -> 0.82),
    since who said it often appears in the checked claim."""
    return " ".join(_URL.sub(" ", text).split())


# -- collections -----------------------------------------------------------------------------


def import_factchecks(
    board: Board, path: str | Path, progress: Progress | None = None
) -> FactCheckImportSummary:
    """Read one file and store its fact-checks in one transaction (nothing when it is refused)."""
    from factdesk.importers.factchecks import parse_factchecks

    p = Path(path)
    if progress is not None:
        progress(f"reading {p.name}", 0, 0)
    parsed = parse_factchecks(p)
    if not parsed.items and parsed.skipped:
        first = parsed.skipped[0]
        raise InvalidInputError(
            f"{p}: none of its {len(parsed.skipped)} items could be read "
            f"({first.where}: {first.reason}); nothing was imported."
        )

    def stored(done: int, total: int) -> None:
        if progress is not None:
            progress(f"storing {p.name}", done, total)

    counts = fc.import_items(board, p.name, str(p), parsed.format, parsed.items, stored)
    return FactCheckImportSummary(
        counts.collection_id,
        p.name,
        parsed.format,
        counts.added,
        counts.updated,
        counts.unchanged,
        parsed.skipped,
    )


def collections(board: Board) -> list[FactCheckCollectionRecord]:
    return fc.list_collections(board)


def remove_collection(board: Board, key: str) -> tuple[FactCheckCollectionRecord, int]:
    coll = fc.resolve_collection(board, key)
    return coll, fc.remove_collection(board, coll.id)


# -- the index -------------------------------------------------------------------------------


class Matcher:
    """The matching index of one board, kept in memory and brought up to date on demand.

    `refresh()` adds the board's new claims, computes every missing vector (the slow part: run it
    off the GUI thread) and loads what is new; `match_*` then answer from a complete index.
    """

    def __init__(self, board: Board, encoder: Any | None = None) -> None:
        self._board = board
        self._encoder = encoder
        self._lock = threading.RLock()
        self._docs = np.zeros(0, dtype=np.int64)
        self._matrix = np.zeros((0, 384), dtype=np.float32)
        self._kinds: list[str] = []
        self._state: tuple[int, int] | None = None

    @property
    def encoder(self) -> Any:
        if self._encoder is None:
            from factdesk.nlp.encoder import load_encoder

            self._encoder = load_encoder()
        return self._encoder

    def pending(self) -> int:
        """How many texts still wait for a vector (after bringing new claims in)."""
        fc.sync_claim_docs(self._board)
        return fc.count_missing_vectors(self._board)

    def refresh(self, progress: Progress | None = None) -> int:
        """Compute what is missing, then load it. Returns the number of vectors computed."""
        with self._lock:
            total = self.pending()
            done = 0
            while True:
                todo = fc.missing_vectors(self._board, EMBED_CHUNK)
                if not todo:
                    break
                vectors = self.encoder.embed([t for _, _, t in todo])
                fc.put_vectors(
                    self._board,
                    [
                        (doc, sha, fc.pack_vector(v))
                        for (doc, sha, _), v in zip(todo, vectors, strict=True)
                    ],
                )
                done += len(todo)
                if progress is not None:
                    progress("computing sentence vectors", min(done, total), max(total, done))
            self._load()
            return done

    def _load(self) -> None:
        state = fc.index_state(self._board)
        if state == self._state:
            return
        top = int(self._docs[-1]) if len(self._docs) else 0
        if self._state is not None and state[0] >= self._state[0] and len(self._docs):
            docs, matrix, kinds = fc.load_vectors(self._board, after=top)
            # docs that were re-embedded or removed below `top` need a full reload
            if len(self._docs) + len(docs) == self._count_vectors():
                self._docs = np.concatenate([self._docs, docs])
                self._matrix = np.vstack([self._matrix, matrix])
                self._kinds += kinds
                self._state = state
                return
        self._docs, self._matrix, self._kinds = fc.load_vectors(self._board)
        self._state = state

    def _count_vectors(self) -> int:
        n, _ = fc.index_state(self._board)
        return n - fc.count_missing_vectors(self._board)

    @property
    def size(self) -> int:
        return len(self._docs)

    def search(
        self, text: str, top: int, *, exclude: frozenset[int] = frozenset()
    ) -> list[tuple[int, float, float]]:
        """(doc, fused score, cosine) of the best `top` docs for `text`, best first."""
        query = clean_query(text)
        if not query or top <= 0:
            return []
        with self._lock:
            docs, matrix = self._docs, self._matrix
        q = self.encoder.embed_one(query)
        cos = matrix @ q if len(docs) else np.zeros(0, dtype=np.float32)
        k = min(DENSE_CANDIDATES, len(docs))
        dense = np.argpartition(-cos, k - 1)[:k] if k else np.zeros(0, dtype=np.int64)
        candidates: dict[int, float] = {int(docs[i]): float(cos[i]) for i in dense}
        lex = fc.lexical(self._board, query, LEXICAL_CANDIDATES)
        best_lex = max((score for _, score in lex), default=0.0) or 1.0
        lex_norm = {doc: score / best_lex for doc, score in lex}
        missing = [d for d in lex_norm if d not in candidates]
        if missing:
            rows = np.searchsorted(docs, missing)
            for d, r in zip(missing, rows, strict=True):
                if r < len(docs) and docs[r] == d:
                    candidates[d] = float(cos[r])
        scored = [
            (doc, W_DENSE * c + W_LEXICAL * lex_norm.get(doc, 0.0), c)
            for doc, c in candidates.items()
            if doc not in exclude
        ]
        scored.sort(key=lambda t: (-t[1], t[0]))
        return scored[:top]

    def match_text(
        self, text: str, top: int = 5, *, exclude: frozenset[int] = frozenset()
    ) -> list[MatchRecord]:
        hits = self.search(text, top, exclude=exclude)
        info = fc.doc_info(self._board, [d for d, _, _ in hits])
        out: list[MatchRecord] = []
        for doc, score, cos in hits:
            i = info.get(doc)
            if i is None:  # removed since the index was loaded
                continue
            out.append(
                MatchRecord(
                    kind=i.kind,
                    ref_id=i.ref_id,
                    url=i.url,
                    text=i.text,
                    rating=i.rating,
                    publisher=i.publisher,
                    date=i.date,
                    claimant=i.claimant,
                    similarity=round(cos, 4),
                    score=round(score, 4),
                    title=i.title,
                    article_id=i.article_id,
                )
            )
        return out

    def match_claim(
        self, claim_id: str, text: str, article_id: str, top: int = 5
    ) -> list[MatchRecord]:
        """Matches for a board claim: fact-checks and claims of *other* articles."""
        exclude = set()
        own = fc.doc_of_claim(self._board, claim_id)
        if own is not None:
            exclude.add(own)
        results = self.match_text(text, top + 10, exclude=frozenset(exclude))
        return [r for r in results if r.article_id != article_id][:top]


def strong_matches(
    matcher: Matcher,
    claims: Sequence[ClaimRecord],
    threshold: float = STRONG_MATCH,
    *,
    stop: Callable[[], bool] | None = None,
) -> dict[str, MatchRecord]:
    """Each claim's best match when its similarity reaches `threshold` (the window's "seen
    before" mark in the claims table and the article). Slow (the encoder, per claim): run it
    off the GUI thread, after `matcher.refresh()`; `stop()` true ends it early (the journalist
    moved on to another article)."""
    found: dict[str, MatchRecord] = {}
    for claim in claims:
        if stop is not None and stop():
            break
        best = matcher.match_claim(claim.id, claim.text, claim.article_id, 1)
        if best and best[0].similarity >= threshold:
            found[claim.id] = best[0]
    return found
