"""Claim detection over a whole article: sentences, scores, kinds, claimants, duplicates.

Paragraphs stream through `nlp.pipe`, so memory stays bounded on long texts and results can be shown
as they come; the state that spans paragraphs (the last claimant, for "It said ..."; the sentences
seen, for duplicates) lives in one `Detector` per article.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from factdesk.domain import (
    ClaimCandidate,
    ClaimKind,
    EntitySpan,
    FactdeskError,
    InvalidInputError,
)
from factdesk.domain.spans import trim_span
from factdesk.nlp.attribution import (
    TITLES,
    Mention,
    claim_kind,
    claimant_mention,
    nested_split,
    person_name,
    quote_spans,
    quoted_words,
    titled_name,
)
from factdesk.nlp.decide import is_claim, with_tiers
from factdesk.nlp.encoder import load_encoder
from factdesk.nlp.features import sentence_features
from factdesk.nlp.layout import MAX_CHUNK, Chunk, chunks, count_paragraphs, lines
from factdesk.nlp.model import LinearModel, shipped_model
from factdesk.nlp.pipeline import load_pipeline

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

SHOWN_ENTITIES = frozenset(
    [
        "PERSON",
        "NORP",
        "ORG",
        "GPE",
        "LOC",
        "FAC",
        "EVENT",
        "DATE",
        "TIME",
        "CARDINAL",
        "MONEY",
        "PERCENT",
        "QUANTITY",
    ]
)
PIPE_BATCH = 32
PIPE_CHARS = 40_000
FIRST_CHUNKS = 3  # pieces of prose in the first streamed batch: the opening paragraphs
_WORD = re.compile(r"\w+")
_SHINGLE = 3
_DUPLICATE_SHARE = 0.8


@dataclass(frozen=True)
class DetectProgress:
    """One step of `iter_detect`: paragraphs done of total, and the candidates found in this step."""

    done: int
    total: int
    candidates: tuple[ClaimCandidate, ...]


def _looks_like_claim(sent: Span) -> bool:
    words = 0
    verb = False
    for tok in sent:
        if tok.is_alpha or tok.like_num:
            words += 1
        if tok.tag_.startswith("VB") or tok.tag_ == "MD":
            verb = True
    return verb and words >= 3


@dataclass(frozen=True)
class _Speaker:
    """A claimant met in the article: the name as written, where, and what it was called."""

    name: str
    start: int
    end: int
    person: bool
    titles: frozenset[str] = frozenset()


class Detector:
    """Turns the parsed paragraphs of one article into candidates, in order.

    It remembers the speakers met so far, so that a later "he", "It said" or "the mayor said"
    resolves to the full name met earlier in the article.
    """

    def __init__(self, model: LinearModel) -> None:
        self.model = model
        self.count = 0
        self.last: _Speaker | None = None
        self.last_person: _Speaker | None = None
        self.last_other: _Speaker | None = None
        self.people: list[_Speaker] = []
        self.claimants: list[_Speaker | None] = []
        self.exact: dict[tuple[str, ...], int] = {}
        self.vectors: dict[str, np.ndarray] = {}
        self.shingles: dict[tuple[str, ...], int] = {}

    def add(self, chunk: Chunk, doc: Doc) -> list[ClaimCandidate]:
        found = []
        text = chunk.text
        for sent in doc.sents:
            s, e = trim_span(text, sent.start_char, sent.end_char)
            if s == e or not _looks_like_claim(sent):
                continue
            nested = nested_split(sent)
            if nested is not None:
                cut, mention = nested
                first = trim_span(text, s, cut)
                second = trim_span(text, cut, e)
                head = doc.char_span(*first, alignment_mode="expand")
                tail = doc.char_span(*second, alignment_mode="expand")
                if head is not None and tail is not None and _looks_like_claim(tail):
                    found.append(self.candidate(chunk, head, *first))
                    found.append(self.candidate(chunk, tail, *second, mention=mention))
                    self._meet_people(chunk, sent)
                    continue
            found.append(self.candidate(chunk, sent, s, e))
            self._meet_people(chunk, sent)
        return self._quote_speakers(chunk, found)

    def _quote_speakers(self, chunk: Chunk, found: list[ClaimCandidate]) -> list[ClaimCandidate]:
        """Sentences of a quotation take the speaker it is attributed to in the same paragraph.

        A quote running over several sentences names its speaker once ("... I finished it,"
        Trump said.), and a paragraph of quotes is one speaker's, by newspaper convention.
        """
        spans = quote_spans(chunk.text)
        if not spans:
            return found
        base = chunk.start

        def quoted_share(c: ClaimCandidate) -> float:
            inside = sum(max(0, min(e, c.end - base) - max(s, c.start - base)) for s, e in spans)
            return inside / max(1, c.end - c.start)

        shares = [quoted_share(c) for c in found]
        speakers = [i for i, c in enumerate(found) if c.claimant and shares[i] > 0.0]
        first = self.count - len(found)
        out = list(found)
        for i, c in enumerate(found):
            if c.claimant or shares[i] < 0.5 or not speakers:
                continue
            j = next((k for k in speakers if k > i), speakers[-1])
            source = found[j]
            kind = ClaimKind.REPORTED if c.kind in (ClaimKind.EVENT, ClaimKind.OTHER) else c.kind
            out[i] = replace(
                c,
                claimant=source.claimant,
                claimant_start=source.claimant_start,
                claimant_end=source.claimant_end,
                kind=kind,
                is_check_worthy=is_claim(c.score, kind, source.claimant),
            )
            self.claimants[first + i] = self.claimants[first + j]
        return out

    def candidate(
        self, chunk: Chunk, sent: Span, s: int, e: int, mention: Mention | None = None
    ) -> ClaimCandidate:
        sentence = chunk.text[s:e]
        score = self.model.score(sentence_features(sent), lambda: self._embedding(sentence))
        base = chunk.start
        speaker = self._resolve(mention or claimant_mention(sent), base)
        quoted = quoted_words(sentence)
        duplicate = self._duplicate(quoted if len(quoted) >= 6 else _WORD.findall(sentence))
        if speaker is None and duplicate is not None:
            speaker = self.claimants[duplicate]
        entities = tuple(
            EntitySpan(base + ent.start_char, base + ent.end_char, ent.label_, ent.text)
            for ent in sent.ents
            if ent.label_ in SHOWN_ENTITIES
        )
        self.claimants.append(speaker)
        self.count += 1
        claimant = speaker.name if speaker else None
        kind = claim_kind(sent, len(quoted), claimant is not None)
        return ClaimCandidate(
            start=base + s,
            end=base + e,
            text=sentence,
            score=score,
            is_check_worthy=is_claim(score, kind, claimant),
            kind=kind,
            claimant=claimant,
            entities=entities,
            duplicate_of=duplicate,
            paragraph=chunk.paragraph,
            claimant_start=speaker.start if speaker else None,
            claimant_end=speaker.end if speaker else None,
        )

    def _embedding(self, sentence: str) -> np.ndarray:
        """What the model's head reads of a sentence from the encoder (a repeat costs nothing)."""
        vector = self.vectors.get(sentence)
        if vector is None:
            vector = self.vectors[sentence] = self.model.encoder_inputs([sentence])[0]
        return vector

    def _resolve(self, mention: Mention | None, base: int) -> _Speaker | None:
        """The speaker a mention means: a pronoun or "the mayor" names someone met earlier."""
        if mention is None:
            return None
        if mention.pronoun is not None:
            if mention.pronoun in ("he", "she"):
                return self.last_person or self.last
            return self.last_other or self.last
        found: _Speaker | None = None
        if mention.description is not None:
            found = next(
                (p for p in reversed(self.people) if mention.description in p.titles), None
            )
        elif mention.person and " " not in mention.text:
            # a surname on its own: the full name met earlier
            found = next(
                (p for p in reversed(self.people) if p.name.split()[-1] == mention.text), None
            )
        if found is None:
            found = _Speaker(
                mention.text, base + mention.start, base + mention.end, person=mention.person
            )
        self.last = found
        if found.person:
            self.last_person = found
        else:
            self.last_other = found
        return found

    def _meet_people(self, chunk: Chunk, sent: Span) -> None:
        """Remember the people this sentence names, with the titles and roles it gives them."""
        doc = sent.doc
        names = [person_name(ent) for ent in sent.ents if ent.label_ == "PERSON"]
        names += [r for tok in sent if (r := titled_name(tok)) is not None]
        for lo, hi in sorted(set(names)):
            ent = doc[lo:hi]
            if hi - lo < 2 and any(p.name.split()[-1] == ent.text for p in self.people):
                continue  # a surname on its own adds nobody new
            root = ent.root
            titles = {
                t.lower_.rstrip(".")
                for t in doc[lo:hi]
                if t.i < root.i and (t.ent_type_ != "PERSON" or t.lower_.rstrip(".") in TITLES)
            }
            # a job just before the name counts when it is part of the name's phrase
            # ("spokesman John Kirby"), not a noun the name follows ("the network's ... Putin")
            titles.update(
                c.lower_
                for c in doc[max(0, lo - 3) : lo]
                if c.tag_ in ("NN", "NNS") and (lo <= c.head.i < hi or lo <= c.head.head.i < hi)
            )
            titles.update(c.lower_ for c in root.children if c.dep_ == "appos")
            if root.dep_ == "appos":
                titles.add(root.head.lower_)
            s, e = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1].text)
            self.people.append(
                _Speaker(
                    doc.text[s:e],
                    chunk.start + s,
                    chunk.start + e,
                    person=True,
                    titles=frozenset(titles),
                )
            )

    def _duplicate(self, words: Sequence[str]) -> int | None:
        """The first earlier candidate saying the same words (or most of the same 3-word runs)."""
        key = tuple(w.lower() for w in _WORD.findall(" ".join(words)))
        index = self.count
        if not key:
            return None
        earlier = self.exact.setdefault(key, index)
        if earlier != index:
            return earlier
        grams = {key[i : i + _SHINGLE] for i in range(len(key) - _SHINGLE + 1)}
        hits: dict[int, int] = {}
        for gram in grams:
            owner = self.shingles.setdefault(gram, index)
            if owner != index:
                hits[owner] = hits.get(owner, 0) + 1
        if len(grams) >= 4 and hits:
            best = min(hits, key=lambda i: (-hits[i], i))
            if hits[best] >= _DUPLICATE_SHARE * len(grams):
                return best
        return None


def _pipe(pieces: Iterable[Chunk]) -> Iterator[tuple[Doc, Chunk]]:
    nlp = load_pipeline()
    for group in _batches(pieces):
        yield from nlp.pipe(((c.text, c) for c in group), as_tuples=True, batch_size=len(group))


def _batches(pieces: Iterable[Chunk]) -> Iterator[list[Chunk]]:
    """PIPE_BATCH pieces at a time, or fewer while they hold over PIPE_CHARS of text: spaCy's
    memory grows with the text of a batch (32 pieces of 20,000 characters, a 650 kB paragraph
    without a full stop, peaked at 1.9 GB)."""
    group: list[Chunk] = []
    size = 0
    for piece in pieces:
        if group and (len(group) == PIPE_BATCH or size + len(piece.text) > PIPE_CHARS):
            yield group
            group, size = [], 0
        group.append(piece)
        size += len(piece.text)
    if group:
        yield group


def iter_detect(
    text: str, batch_paragraphs: int = 16, first_chunks: int = FIRST_CHUNKS
) -> Iterator[DetectProgress]:
    """Detect claims paragraph batch by paragraph batch; the batches add up to `detect_claims`,
    without the tiers (`priority` None), which need the whole article: the board ranks the
    claims as it stores them (or pass all the batches' candidates to `decide.with_tiers`).

    The first batch holds only the opening `first_chunks` pieces of prose, parsed on their own
    (in one stream spaCy takes in PIPE_BATCH pieces before the first comes out): the top of the
    article, which the journalist sees first, is highlighted first.
    """
    if batch_paragraphs < 1:
        raise InvalidInputError("batch_paragraphs must be at least 1")
    detector = Detector(shipped_model())
    if detector.model.uses_encoder:
        load_encoder()  # a damaged encoder file is named now, not only at the first unsure sentence
    total = count_paragraphs(text)
    pieces = chunks(text)
    head = list(itertools.islice(pieces, first_chunks))
    pending: list[ClaimCandidate] = []
    for doc, chunk in _pipe(head):
        pending.extend(detector.add(chunk, doc))
    boundary = batch_paragraphs
    if head:
        done = head[-1].paragraph  # every line before the last piece's is complete
        yield DetectProgress(done, total, tuple(pending))
        pending = []
        boundary = done + batch_paragraphs
    for doc, chunk in _pipe(pieces):
        while chunk.paragraph >= boundary:
            yield DetectProgress(boundary, total, tuple(pending))
            pending = []
            boundary += batch_paragraphs
        pending.extend(detector.add(chunk, doc))
    while boundary < total:
        yield DetectProgress(boundary, total, tuple(pending))
        pending = []
        boundary += batch_paragraphs
    yield DetectProgress(total, total, tuple(pending))


def preload() -> None:
    """Load what detection needs now (spaCy, the model, the encoder if the model weighs it).

    The encoder loads on a thread beside spaCy: both are mostly native code, so on two cores the
    encoder adds little to the time before the first highlights.
    """
    import threading

    def load_quietly() -> None:
        # a failure is raised again by the call below, where the caller can report it
        with contextlib.suppress(FactdeskError):
            load_encoder()

    model = shipped_model()
    loader = threading.Thread(target=load_quietly, daemon=True) if model.uses_encoder else None
    if loader is not None:
        loader.start()
    load_pipeline()
    if loader is not None:
        loader.join()
        load_encoder()  # raises here, in the caller, if the encoder's files are bad


def detect_claims(text: str) -> list[ClaimCandidate]:
    """Every sentence of the article that reads as a claim, with score, kind, claimant, entities,
    and its priority tier among the article's claims."""
    detector = Detector(shipped_model())
    found: list[ClaimCandidate] = []
    for doc, chunk in _pipe(chunks(text)):
        found.extend(detector.add(chunk, doc))
    return with_tiers(found)


def detect_many(texts: Sequence[str], processes: int = 2) -> list[list[ClaimCandidate]]:
    """`detect_claims` for many articles, on this process and `processes - 1` worker processes.

    Every process takes the next article when it is free: the caller, whose pipeline is usually
    loaded already, starts at once, and the workers join when they have started up.
    """
    if processes <= 1 or len(texts) <= 1:
        return [detect_claims(t) for t in texts]
    import multiprocessing
    import threading
    from concurrent.futures import Future, ProcessPoolExecutor

    lock = threading.Lock()
    order = iter(range(len(texts)))
    futures: dict[int, Future[list[ClaimCandidate]]] = {}
    results: dict[int, list[ClaimCandidate]] = {}

    def take() -> int | None:
        with lock:
            return next(order, None)

    # spawn: a fork of a process running Qt or holding database connections is not safe
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=processes - 1, mp_context=context) as pool:

        def feed(_done: object = None) -> None:
            with lock:
                i = next(order, None)
                if i is None:
                    return
                future = futures[i] = pool.submit(detect_claims, texts[i])
            future.add_done_callback(feed)

        for _ in range(processes - 1):
            feed()
        while (i := take()) is not None:
            results[i] = detect_claims(texts[i])
        with lock:
            pending = dict(futures)
        results.update((i, f.result()) for i, f in pending.items())
    return [results[i] for i in range(len(texts))]


def classify_sentences(sentences: Sequence[str]) -> list[tuple[float, bool]]:
    """(score, is a claim) of each sentence read on its own, by the rule detection uses.

    An empty or blank sentence scores 0 and is no claim.
    """
    model = shipped_model()
    out = [(0.0, False)] * len(sentences)
    todo = [(s.strip()[:MAX_CHUNK], i) for i, s in enumerate(sentences) if s.strip()]
    for start in range(0, len(todo), 512):  # in chunks: a long input never holds every parse
        part = todo[start : start + 512]
        parsed = list(load_pipeline().pipe(part, as_tuples=True, batch_size=256))
        features = [sentence_features(doc) for doc, _ in parsed]
        # the encoder runs only on the sentences the cascade cannot decide from tf-idf alone
        ask = [r for r, f in enumerate(features) if model.needs_encoder(model.margin(f))]
        rows = dict(zip(ask, model.encoder_inputs([part[r][0] for r in ask]), strict=True))
        for r, (doc, i) in enumerate(parsed):
            score = model.score(features[r], rows.get(r))
            mention = claimant_mention(doc[:])
            claimant = mention.text if mention is not None and mention.pronoun is None else None
            kind = claim_kind(doc[:], len(quoted_words(doc.text)), claimant is not None)
            out[i] = (score, is_claim(score, kind, claimant))
    return out


def score_sentences(sentences: Sequence[str]) -> list[float]:
    """The check-worthiness of each sentence, in order; an empty or blank one scores 0."""
    return [score for score, _ in classify_sentences(sentences)]


def describe_span(text: str, start: int, end: int) -> ClaimCandidate:
    """A candidate for a span the journalist marked: its score, kind and claimant.

    The span is trimmed of outer whitespace; it must not be empty. The preceding paragraphs are read
    too, so that "It said ..." resolves to the speaker before it.
    """
    if not 0 <= start < end <= len(text):
        raise InvalidInputError(f"The span {start}..{end} is not inside the text.")
    start, end = trim_span(text, start, end)
    if start == end:
        raise InvalidInputError("The marked span holds only white space.")
    spans = list(lines(text))
    paragraph = next(i for i, (s, e) in enumerate(spans) if s <= start <= e)
    context_start = spans[max(0, paragraph - 3)][0]
    detector = Detector(shipped_model())
    for doc, chunk in load_pipeline().pipe(
        ((c.text, c) for c in chunks(text[context_start:start])), as_tuples=True
    ):
        detector.add(chunk, doc)
    doc = load_pipeline()(text[start:end])
    chunk = Chunk(paragraph, start, text[start:end])
    found = detector.candidate(chunk, doc[:], 0, end - start)
    # the earlier candidates were context only: an index into them means nothing to the caller
    return replace(found, duplicate_of=None)
