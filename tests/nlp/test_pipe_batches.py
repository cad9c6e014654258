"""Long paragraphs go through spaCy a few at a time: a batch holds at most PIPE_CHARS of text
(a 650 kB paragraph without a full stop, 33 pieces of 20,000 characters in one batch of 32,
peaked at 1.9 GB; in batches of 40,000 characters, 293 MB)."""

from __future__ import annotations

from factdesk.nlp.detect import PIPE_BATCH, PIPE_CHARS, _batches
from factdesk.nlp.layout import MAX_CHUNK, chunks


def test_a_long_paragraph_is_parsed_in_small_batches() -> None:
    line = "the council said water bills would rise by {i} percent from July"
    text = " ".join(line.format(i=i) for i in range(10_000))  # one paragraph, no full stop
    pieces = list(chunks(text))
    assert len(pieces) > PIPE_BATCH and max(len(p.text) for p in pieces) <= MAX_CHUNK
    batches = list(_batches(iter(pieces)))
    assert [p for b in batches for p in b] == pieces, "every piece, once, in order"
    assert all(sum(len(p.text) for p in b) <= PIPE_CHARS for b in batches)


def test_short_paragraphs_still_go_in_full_batches() -> None:
    text = "\n".join(f"The council said bills rose {i} percent." for i in range(100))
    batches = list(_batches(chunks(text)))
    assert [len(b) for b in batches] == [PIPE_BATCH] * 3 + [100 - 3 * PIPE_BATCH]
