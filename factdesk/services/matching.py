"""Seen before: import fact-check collections and match claims against them and the board's claims.

Matching fuses two retrievers over one index (store.factchecks.match_docs): the on-device sentence
encoder's cosine similarity (vectors on the board, int8, stamped with their encoder, computed
incrementally and held in memory once per process: services/vectors.py) and BM25 over the same
texts (computed in Python from counts SQLite's FTS5 and PostgreSQL's tsvector index alike, so a
team board ranks as a laptop board: store/terms.py). Each query takes the best `dense` docs by
cosine and the best `lexical` by BM25 and ranks their union as services/fusion.py says, with the
parameters of fusion.json, fitted on the CheckThat! 2020 task 2 train pairs only by one command
(`python tests/benchmarks/fit_match.py --write`); see the README's matching section.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from factdesk.domain import ClaimRecord, InvalidInputError
from factdesk.domain.factchecks import (
    FactCheckCollectionRecord,
    FactCheckImportSummary,
    MatchRecord,
)
from factdesk.services.fusion import Candidates, Fusion, needed_texts, rank, shipped
from factdesk.services.vectors import VectorIndex
from factdesk.store import Board
from factdesk.store import factchecks as fc

Progress = Callable[[str, int, int], None]

EMBED_CHUNK = 256

_URL = re.compile(r"(?:https?://|pic\.twitter\.com/|www\.)\S+", re.IGNORECASE)


def encoder_version() -> str:
    """The stamp of the shipped encoder's vectors (read without loading the model)."""
    from factdesk.nlp.encoder import encoder_version as version

    return version()


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


@dataclass
class _Loaded:
    """One board's vectors of one encoder, shared by every Matcher of this process."""

    index: VectorIndex
    generation: int = -1
    epoch: int = -1
    lock: threading.Lock = field(default_factory=threading.Lock)


_loaded: dict[tuple[str, str], _Loaded] = {}
_loaded_lock = threading.Lock()


def _shared(board: Board, version: str) -> _Loaded:
    key = (f"{board.engine.url}#{board.meta('board_id') or ''}", version)
    with _loaded_lock:
        if key not in _loaded:
            _loaded[key] = _Loaded(VectorIndex())
        return _loaded[key]


class Matcher:
    """The matching index of one board, brought up to date on demand.

    `refresh()` adds the board's new claims and computes every missing vector (the slow part: run
    it off the GUI thread); every search first reads the index's generation (one query) and loads
    only the vectors written since, so a process keeps one copy of them however many Matchers it
    makes. Vectors are stamped with the encoder that made them; another encoder's are recomputed
    by `refresh()`, never compared with this one's.
    """

    def __init__(self, board: Board, encoder: Any | None = None) -> None:
        self._board = board
        self._encoder = encoder
        self._lock = threading.Lock()
        self._seq = -1  # the history's last event when the board's claims were last indexed
        self._shared: tuple[str, _Loaded] | None = None
        self._watchers: list[Progress] = []

    @property
    def encoder(self) -> Any:
        if self._encoder is None:
            from factdesk.nlp.encoder import load_encoder

            self._encoder = load_encoder()
        return self._encoder

    def watch(self, progress: Progress) -> None:
        """Tell `progress` how every refresh of this Matcher goes, whichever thread runs it."""
        self._watchers.append(progress)

    def use_encoder(self, encoder: Any) -> None:
        """Compute vectors with `encoder` from now on (the window's: its detection worker)."""
        self._encoder = encoder

    @property
    def version(self) -> str:
        """The stamp of the encoder's vectors (read without loading the model)."""
        if self._encoder is not None:
            return str(self._encoder.version)
        return encoder_version()

    def pending(self) -> int:
        """How many texts still wait for a vector (after bringing new claims in)."""
        seq = fc.board_seq(self._board)
        if seq != self._seq:
            fc.sync_claim_docs(self._board)
            self._seq = seq
        return fc.count_missing_vectors(self._board, self.version)

    def refresh(self, progress: Progress | None = None) -> int:
        """Compute what is missing, then load it. Returns the number of vectors computed: 0 at
        once when another thread is already doing it (matching then uses what is loaded so far,
        as the window wants; the CLI refreshes in its only thread)."""
        if not self._lock.acquire(blocking=False):
            return 0
        try:
            total = self.pending()
            done = 0
            version = self.version
            while total:
                todo = fc.missing_vectors(self._board, EMBED_CHUNK, version)
                if not todo:
                    break
                vectors = self.encoder.embed([t for _, _, t in todo])
                packed = [
                    (doc, sha, blob)
                    for (doc, sha, _), blob in zip(todo, fc.pack_vectors(vectors), strict=True)
                ]
                fc.put_vectors(self._board, packed, version)
                done += len(todo)
                for told in (progress, *self._watchers):
                    if told is not None:
                        told("computing sentence vectors", min(done, total), max(total, done))
            self._load()
            return done
        finally:
            self._lock.release()

    def _load(self) -> VectorIndex:
        """The shared index, with whatever vectors were written since it was last read."""
        if self._shared is None or self._shared[0] != self.version:
            self._shared = (self.version, _shared(self._board, self.version))
        shared = self._shared[1]
        with shared.lock:
            gen, epoch = fc.generation(self._board)
            if gen == shared.generation:
                return shared.index
            if epoch != shared.epoch:  # docs went or changed: start again
                shared.index = VectorIndex()
                since = 0
            else:
                since = shared.generation
            for part in fc.load_vectors(self._board, self.version, since):
                shared.index.upsert(part.docs, part.ints, part.scales)
            shared.generation, shared.epoch = gen, epoch
            return shared.index

    @property
    def size(self) -> int:
        return len(self._load())

    def candidates(self, text: str, fusion: Fusion | None = None) -> Candidates | None:
        """Every doc the query finds by cosine (fusion.dense best) or BM25 (fusion.lexical
        best), with both scores; None for a query with nothing to search by."""
        fusion = fusion or shipped()
        query = clean_query(text)
        if not query:
            return None
        index = self._load()
        # BM25 runs beside the encoder: both release the GIL (sqlite3, onnxruntime), so on two
        # cores a query costs the slower of the two, not their sum
        lexical: list[fc.LexicalResult] = []
        failed: list[BaseException] = []

        def lexical_search() -> None:
            try:
                lexical.append(fc.lexical_hits(self._board, query, fusion.lexical))
            except BaseException as exc:  # raised again in the caller's thread below
                failed.append(exc)

        beside = threading.Thread(target=lexical_search, name="factdesk-bm25", daemon=True)
        beside.start()
        try:
            q = self.encoder.embed_one(query)
            docs, cos = index.search(q, fusion.dense)
        finally:
            beside.join()
        if failed:
            raise failed[0]
        lex = lexical[0]
        found: dict[int, float] = dict(zip(docs.tolist(), cos.tolist(), strict=True))
        bm25 = {h.doc: h.score for h in lex.hits}
        found.update(index.cosines([d for d in bm25 if d not in found], q))
        ids = np.fromiter(found, dtype=np.int64, count=len(found))
        return Candidates(
            query,
            ids,
            np.fromiter(found.values(), dtype=np.float64, count=len(found)),
            np.array([bm25.get(int(d), 0.0) for d in ids], dtype=np.float64),
            float(sum(lex.idf)),
        )

    def search(
        self, text: str, top: int, *, exclude: frozenset[int] = frozenset()
    ) -> list[tuple[int, float, float]]:
        """(doc, score, cosine) of the best `top` docs for `text`, best first."""
        if top <= 0:
            return []
        fusion = shipped()
        c = self.candidates(text, fusion)
        if c is None or not len(c.docs):
            return []
        if exclude:
            keep = np.array([int(d) not in exclude for d in c.docs], dtype=bool)
            c = Candidates(c.query, c.docs[keep], c.cos[keep], c.bm25[keep], c.idf_sum)
        texts = None
        wanted = needed_texts(c, fusion)
        if wanted:
            texts = fc.doc_texts(self._board, wanted)
        best, scores = rank(c, fusion, texts)
        return [
            (int(c.docs[i]), float(s), float(c.cos[i]))
            for i, s in zip(best[:top], scores[:top], strict=True)
        ]

    def match_text(
        self, text: str, top: int = 5, *, exclude: frozenset[int] = frozenset()
    ) -> list[MatchRecord]:
        hits = self.search(text, top, exclude=exclude)
        info = fc.doc_info(self._board, [d for d, _, _ in hits])
        return [_record(info[doc], score, cos) for doc, score, cos in hits if doc in info]

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
        self, claim_ids: Sequence[str], threshold: float | None = None
    ) -> dict[str, MatchRecord]:
        """The best match of each claim whose cosine reaches `threshold` (a fact-check or a claim
        of another article), from the claims' stored vectors: no encoder run, one cosine search
        per claim and one look-up for all. Claims without a vector yet are left out. The
        threshold defaults to the seen-before cut fitted for the shipped encoder."""
        if threshold is None:
            threshold = shipped().strong
        index = self._load()
        near: dict[str, list[tuple[int, float]]] = {}
        own = fc.docs_of_claims(self._board, claim_ids)
        for claim_id, (doc, _article) in own.items():
            vector = index.vector(doc)
            if vector is None:
                continue
            docs, cos = index.search(vector, 12)
            near[claim_id] = [
                (int(d), float(c))
                for d, c in zip(docs, cos, strict=True)
                if d != doc and c >= threshold
            ]
        info = fc.doc_info(self._board, sorted({d for hits in near.values() for d, _ in hits}))
        out: dict[str, MatchRecord] = {}
        for claim_id, hits in near.items():
            article = own[claim_id][1]
            for d, c in hits:
                i = info.get(d)
                if i is not None and i.article_id != article:
                    out[claim_id] = _record(i, c, c)
                    break
        return out


def _record(i: fc.DocInfo, score: float, cos: float) -> MatchRecord:
    return MatchRecord(
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


def strong_matches(
    matcher: Matcher,
    claims: Sequence[ClaimRecord],
    threshold: float | None = None,
    *,
    stop: Callable[[], bool] | None = None,
) -> dict[str, MatchRecord]:
    """Each claim's best match when its similarity reaches `threshold` (the window's "seen
    before" mark in the claims table and the article), from the claims' stored vectors (no
    encoder run: about a millisecond a claim); claims whose vector is not computed yet are left
    out. Run it off the GUI thread; `stop()` true ends it early (the journalist moved on to
    another article)."""
    found: dict[str, MatchRecord] = {}
    for at in range(0, len(claims), 32):
        if stop is not None and stop():
            break
        found.update(matcher.strong_matches([c.id for c in claims[at : at + 32]], threshold))
    return found
