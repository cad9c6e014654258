"""The matching index kept in memory: encoder stamps, generations, the Hamming prefilter, and the
upgrade of a board whose vectors predate the stamps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import text

from factdesk.nlp.encoder import encoder_version, load_encoder
from factdesk.services import Workspace, matching
from factdesk.services.vectors import VectorIndex
from factdesk.store import factchecks as store_fc
from tests.matching.conftest import Desk

# the shipped encoder when revision 0004 was the newest (0009's migration names it)
FIRST_ENCODER = "f43dece63fd9a979"


class PermutedEncoder:
    """Another model as far as stored vectors go: the real encoder's dimensions in another order
    (its vectors are as good among themselves, and meaningless next to the original's)."""

    version = "test-permuted-01"

    def __init__(self) -> None:
        self.inner = load_encoder()
        self.order = np.random.default_rng(3).permutation(384)

    def embed(self, texts: list[str], **kw: Any) -> np.ndarray:
        return self.inner.embed(texts, **kw)[:, self.order]

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


def _stamps(ws: Workspace) -> dict[str | None, int]:
    with ws._ctx.board.engine.connect() as conn:
        rows = conn.execute(text("SELECT encoder, count(*) FROM match_docs GROUP BY encoder"))
        return {e: int(n) for e, n in rows}


def test_a_new_encoder_recomputes_every_vector_and_never_mixes_the_two(desk: Desk) -> None:
    ws = desk.ws
    old = ws.matcher()
    assert old.refresh() == 8
    assert _stamps(ws) == {encoder_version(): 8}

    new = matching.Matcher(ws._ctx.board, PermutedEncoder())
    assert new.pending() == 8  # the other model's vectors do not count as computed
    assert new.refresh() == 8
    assert _stamps(ws) == {"test-permuted-01": 8}
    claim = ws.claim(desk.first_claims[0])
    [best, *_] = new.match_claim(claim.id, claim.text, claim.article_id, top=1)
    assert best.url == f"factdesk:claim/{desk.second_claims[0]}"
    assert best.similarity > 0.6  # compared with its own model's vectors only

    # the shipped encoder again: its vectors are gone, so they are computed again before matching
    assert old.pending() == 8
    assert old.refresh() == 8
    [best, *_] = old.match_claim(claim.id, claim.text, claim.article_id, top=1)
    assert best.url == f"factdesk:claim/{desk.second_claims[0]}"


def test_vectors_written_elsewhere_are_seen_without_a_refresh(
    desk: Desk, factdesk_home: Path
) -> None:
    reader = desk.ws.matcher()
    assert reader.size == 0
    # another process (the detection worker, the CLI) computes the vectors
    with Workspace.open(home=factdesk_home, plaintext=True) as other:
        other.matcher().refresh()
    assert reader.size == 8
    urls = [m.url for m in reader.match_text("tracking chips inside the covid jabs", 1)]
    assert urls == ["https://checks.example.net/vaccine-microchips"]
    # a removed collection leaves the shared index at once (an epoch: the rows are reloaded)
    desk.ws.remove_factchecks("claims-search.json")
    assert reader.size == 8 - 2


def test_the_prefilter_finds_what_the_exact_search_finds() -> None:
    rng = np.random.default_rng(11)
    # clustered like sentence vectors: a shared direction, topics, and noise
    common = rng.normal(size=384)
    topics = rng.normal(size=(40, 384))
    raw = common + topics[rng.integers(0, 40, 6000)] + 0.8 * rng.normal(size=(6000, 384))
    raw /= np.linalg.norm(raw, axis=1, keepdims=True)
    blobs = [store_fc.pack_vector(v.astype(np.float32)) for v in raw]
    ints, scales = store_fc.unpack_raw(blobs)
    docs = np.arange(1, 6001, dtype=np.int64)
    exact, approx = VectorIndex(), VectorIndex(exact_max=1000)
    for at in range(0, 6000, 1500):  # in parts, as the board delivers them
        exact.upsert(docs[at : at + 1500], ints[at : at + 1500], scales[at : at + 1500])
        approx.upsert(docs[at : at + 1500], ints[at : at + 1500], scales[at : at + 1500])
    assert approx._exact is None and approx._bits is not None  # the prefilter is in use
    queries = raw[rng.integers(0, 6000, 50)] + 0.5 * rng.normal(size=(50, 384)) / 20
    for q in queries.astype(np.float32):
        e_docs, e_cos = exact.search(q, 10)
        a_docs, a_cos = approx.search(q, 10)
        assert a_docs[0] == e_docs[0]
        assert len(set(a_docs) & set(e_docs)) >= 9
        assert a_cos[0] == pytest.approx(e_cos[0], abs=1e-5)
    # a replaced vector is found under its new value on both paths
    moved = ints[:1].copy(), scales[:1].copy()
    for index in (exact, approx):
        index.upsert(np.array([5999]), *moved)
        assert index.search(raw[0].astype(np.float32), 2)[0].tolist() == [1, 5999]
    assert len(exact) == len(approx) == 6000


def test_a_board_of_the_previous_schema_keeps_its_vectors(tmp_path: Path) -> None:
    """Revision 0009 stamps the vectors of the one encoder before it: nothing is recomputed."""
    from alembic import command
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    from factdesk.store import migrate

    before = ScriptDirectory.from_config(migrate._config()).get_revision("0009").down_revision
    path = tmp_path / "old.fdb"
    engine = create_engine(f"sqlite:///{path}")
    texts = ["Vaccines contain tracking microchips.", "Water bills rise 18 percent in July."]
    vectors = load_encoder().embed(texts)
    with engine.begin() as conn:
        command.upgrade(migrate._config(conn), str(before))
        # as the program of that schema left its index: vectors, no stamps
        conn.exec_driver_sql(
            "INSERT INTO factcheck_collections VALUES ('old', '', 'csv', 'c1', "
            "'2025-01-01 00:00:00', '2025-01-01 00:00:00')"
        )
        for i, (body, v) in enumerate(zip(texts, vectors, strict=True), 1):
            conn.exec_driver_sql(
                "INSERT INTO factchecks VALUES ('c1', ?, ?, 'False', '', '', '', '', '', '', "
                "'{}', ?, '2025-01-01 00:00:00', '2025-01-01 00:00:00')",
                (f"https://old.example/{i}", body, f"f{i}"),
            )
            conn.exec_driver_sql(
                "INSERT INTO match_docs (doc, kind, ref_id, text_sha, vector) "
                "VALUES (?, 'factcheck', ?, 'x', ?)",
                (i, f"f{i}", store_fc.pack_vector(v)),
            )
            conn.exec_driver_sql("INSERT INTO match_fts (rowid, body) VALUES (?, ?)", (i, body))
    engine.dispose()
    with Workspace.open(path, home=tmp_path / "home", plaintext=True) as ws:
        assert ws._ctx.board.schema_revision() == migrate.HEAD
        assert _stamps(ws) == {FIRST_ENCODER: 2}
        computed = ws.matcher().refresh()
        assert computed == (0 if encoder_version() == FIRST_ENCODER else 2)
        [best] = ws.matcher().match_text("do covid jabs have microchips in them", 1)
        assert best.url == "https://old.example/1"
    assert list((tmp_path / "home").rglob(f"old-schema-{before}-*.fdb"))  # backed up first


def test_vectors_packed_together_are_packed_as_one_by_one() -> None:
    rng = np.random.default_rng(1)
    v = rng.normal(size=(50, 384)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    v[3] = 0.0  # a blank text's vector
    assert store_fc.pack_vectors(v) == [store_fc.pack_vector(x) for x in v]
