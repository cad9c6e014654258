"""The board's sentence vectors in memory, searched by cosine similarity (numpy only).

Vectors arrive as stored (int8 components and a float32 scale per row). Up to EXACT_MAX rows every
query is scored against all of them with one float32 matrix-vector product (2-4 ms at 10,000). Above
that, a float32 copy would not fit a laptop's memory (1.5 GB at a million) and one product over it
takes longer than a query may: each row also keeps its sign pattern around the collection's mean
(384 bits), the PREFILTER rows nearest by Hamming distance are found first (about 20 ms at a
million) and only those are scored exactly. Measured on the CheckThat! dev queries against the
exact ranking: see tests/benchmarks/bench_match.py (--prefilter).
"""

from __future__ import annotations

import threading

import numpy as np

DIM = 384
EXACT_MAX = 50_000
PREFILTER = 2_000
_WORDS = DIM // 64


class VectorIndex:
    """Rows of (doc id, vector); `upsert` adds or replaces, `search` answers the nearest docs.

    Thread-safe: readers see a consistent set of rows (arrays grow by copy, rows are replaced in
    place under the lock)."""

    def __init__(self, exact_max: int | None = None) -> None:
        self.exact_max = EXACT_MAX if exact_max is None else exact_max
        self._lock = threading.Lock()
        self._row: dict[int, int] = {}
        self._n = 0
        self._docs = np.zeros(0, dtype=np.int64)
        self._ints = np.zeros((0, DIM), dtype=np.int8)
        self._scales = np.zeros(0, dtype=np.float32)
        self._exact: np.ndarray | None = None  # (n, DIM) float32 while n <= exact_max
        self._center: np.ndarray | None = None
        self._bits: np.ndarray | None = None  # (_WORDS, n) uint64 once n > exact_max

    def __len__(self) -> int:
        return self._n

    def upsert(self, docs: np.ndarray, ints: np.ndarray, scales: np.ndarray) -> None:
        """Add these rows, replacing the vector of a doc already held."""
        if not len(docs):
            return
        with self._lock:
            rows = np.fromiter((self._row.get(int(d), -1) for d in docs), np.int64, len(docs))
            old = rows >= 0
            if old.any():
                self._replace(rows[old], ints[old], scales[old])
            new = ~old
            if new.any():
                self._append(docs[new], ints[new], scales[new])

    def _replace(self, rows: np.ndarray, ints: np.ndarray, scales: np.ndarray) -> None:
        self._ints[rows] = ints
        self._scales[rows] = scales
        if self._exact is not None:
            self._exact[rows] = ints.astype(np.float32) * scales[:, None]
        if self._bits is not None and self._center is not None:
            self._bits[:, rows] = self._signs(ints, scales)

    def _append(self, docs: np.ndarray, ints: np.ndarray, scales: np.ndarray) -> None:
        start, end = self._n, self._n + len(docs)
        if end > len(self._docs):
            size = max(end, 2 * len(self._docs), 1024)
            self._docs = _grown(self._docs, size, start)
            self._ints = _grown(self._ints, size, start)
            self._scales = _grown(self._scales, size, start)
            if self._exact is not None:
                self._exact = _grown(self._exact, size, start)
            if self._bits is not None:
                self._bits = _grown(self._bits.T, size, start).T.copy()
        self._docs[start:end] = docs
        self._ints[start:end] = ints
        self._scales[start:end] = scales
        self._row.update((int(d), start + i) for i, d in enumerate(docs))
        self._n = end
        if end <= self.exact_max:
            if self._exact is None:
                self._exact = np.zeros((len(self._docs), DIM), dtype=np.float32)
                self._exact[:start] = (
                    self._ints[:start].astype(np.float32) * self._scales[:start, None]
                )
            self._exact[start:end] = ints.astype(np.float32) * scales[:, None]
            return
        self._exact = None
        if self._center is None or self._bits is None:
            # the sign pattern around the mean: the raw vectors share one direction, which would
            # leave most bits the same for every row
            held = self._ints[:end].astype(np.float32) * self._scales[:end, None]
            self._center = held.mean(axis=0)
            self._bits = np.zeros((_WORDS, len(self._docs)), dtype=np.uint64)
            for at in range(0, end, 65536):
                stop = min(end, at + 65536)
                self._bits[:, at:stop] = self._signs(self._ints[at:stop], self._scales[at:stop])
        else:
            self._bits[:, start:end] = self._signs(ints, scales)

    def _signs(self, ints: np.ndarray, scales: np.ndarray) -> np.ndarray:
        assert self._center is not None
        above = (ints.astype(np.float32) * scales[:, None]) > self._center
        return np.packbits(above, axis=1).view(np.uint64).T

    def search(self, query: np.ndarray, top: int) -> tuple[np.ndarray, np.ndarray]:
        """(docs, cosines) of the `top` nearest rows, best first."""
        with self._lock:
            n, docs = self._n, self._docs
            exact, bits, ints, scales, center = (
                self._exact,
                self._bits,
                self._ints,
                self._scales,
                self._center,
            )
        k = min(top, n)
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        q = np.ascontiguousarray(query, dtype=np.float32)
        if exact is not None:
            rows = np.arange(n)
            cos = _dot(exact[:n], q)
        else:
            assert bits is not None and center is not None
            signs = np.packbits(q > center).view(np.uint64)
            dist = np.zeros(n, dtype=np.uint16)  # up to 384: more than a uint8 holds
            differ = np.empty(n, dtype=np.uint64)
            ones = np.empty(n, dtype=np.uint8)
            for w in range(_WORDS):
                np.bitwise_xor(bits[w, :n], signs[w], out=differ)
                dist += np.bitwise_count(differ, out=ones)
            # the nearest PREFILTER rows (and any tied with the last): a count per distance
            # instead of a partition of a million rows (2 ms instead of 20)
            m = min(max(PREFILTER, k), n)
            reach = int(np.searchsorted(np.cumsum(np.bincount(dist, minlength=DIM + 1)), m))
            rows = np.flatnonzero(dist <= reach)
            cos = _dot(ints[rows].astype(np.float32), q) * scales[rows]
        best = np.argpartition(-cos, k - 1)[:k] if k < len(cos) else np.arange(len(cos))
        best = best[np.lexsort((docs[rows[best]], -cos[best]))]
        return docs[rows[best]].copy(), cos[best].astype(np.float32)

    def vector(self, doc: int) -> np.ndarray | None:
        """The float32 vector held for `doc` (None: not held)."""
        with self._lock:
            row = self._row.get(doc)
            if row is None:
                return None
            return self._ints[row].astype(np.float32) * self._scales[row]

    def cosines(self, wanted: list[int], query: np.ndarray) -> dict[int, float]:
        """The cosine of each held doc of `wanted` to `query`."""
        with self._lock:
            found = [(d, self._row[d]) for d in wanted if d in self._row]
            ints, scales = self._ints, self._scales
        if not found:
            return {}
        rows = np.array([r for _, r in found], dtype=np.int64)
        cos = _dot(ints[rows].astype(np.float32), np.asarray(query, np.float32)) * scales[rows]
        return {d: float(c) for (d, _), c in zip(found, cos, strict=True)}


def _dot(matrix: np.ndarray, q: np.ndarray) -> np.ndarray:
    """matrix @ q without BLAS: OpenBLAS spreads one product over every core and its threads
    then spin, which on a busy two-core laptop made 10,000 rows take 13-20 ms instead of 2-3 and
    slowed the encoder running next to it (measured in one run)."""
    return np.einsum("ij,j->i", matrix, q)


def _grown(a: np.ndarray, size: int, keep: int) -> np.ndarray:
    out = np.zeros((size, *a.shape[1:]), dtype=a.dtype)
    out[:keep] = a[:keep]
    return out
