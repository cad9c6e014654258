"""The words lexical matching indexes and scores, made in Python so that SQLite and PostgreSQL see
exactly the same ones: lower case, accents folded, stopwords left out, Porter's stemmer.

A doc's words (ASCII letters and digits), each counted up to MAX_TF, are stored two ways that
hold the same counts: for SQLite's FTS5 (plain `unicode61` tokenizer) each word repeated as often
as it counts (`body`), so FTS5's own bm25() sees these term frequencies and lengths; for
PostgreSQL, cast to a tsvector as it is (no parser, which keeps each word once), each word once
plus a marker word per extra occurrence (`pg_body`: `2tf<word>`, `3tf<word>`), whose words number
as many as the FTS5 body's. Both find the same docs for a word and count the same document
frequencies and lengths, and BM25 is the same number on both (store/factchecks.py).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_ASCII = re.compile(r"[a-z0-9]+")
MAX_WORD = 40  # longer runs are noise (hashes, glued words); PostgreSQL caps a lexeme anyway

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "he",
        "her",
        "his",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "she",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "who",
        "will",
        "with",
        "you",
        "your",
        "not",
        "no",
        "do",
        "does",
        "did",
        "just",
        "about",
        "after",
        "all",
        "can",
        "more",
    ]
)


MAX_TF = 3  # a word's count in a doc, up to this (train MAP@5 of BM25 alone: 3 as uncapped)


def words(text: str) -> list[str]:
    """The index words of `text` in order, repeats kept."""
    out = []
    for raw in _WORD.findall(text.lower()):
        if raw in STOPWORDS or len(raw) < 2:
            continue
        word = _word(raw)
        if word:
            out.append(word)
    return out


def terms(text: str) -> list[str]:
    """The distinct index words of `text` (a query's), in order of first appearance."""
    return list(dict.fromkeys(words(text)))


def counts(text: str) -> dict[str, int]:
    """Each distinct index word of `text` with its count, up to MAX_TF."""
    out: dict[str, int] = {}
    for word in words(text):
        out[word] = min(out.get(word, 0) + 1, MAX_TF)
    return out


def marker(word: str, occurrence: int) -> str:
    """The body word that says `word` occurs at least `occurrence` (2..MAX_TF) times."""
    return f"{occurrence}tf{word}"


def body(text: str) -> str:
    """What SQLite's FTS5 index stores for `text`: each word as often as it counts."""
    return " ".join(w for w, n in counts(text).items() for _ in range(n))


def pg_body(text: str) -> str:
    """What PostgreSQL's tsvector holds for `text`: each word once, then its markers."""
    found = counts(text)
    extra = [marker(w, k) for w, n in found.items() for k in range(2, n + 1)]
    return " ".join([*found, *extra])


def length(indexed: str) -> int:
    """The BM25 length of a stored body (either form): its number of words."""
    return len(indexed.split())


@lru_cache(maxsize=65536)
def _word(raw: str) -> str:
    """One word as indexed: ASCII letters and digits only (accents folded; any other script
    becomes a stable hex name, which both backends tokenize as one word), then stemmed."""
    if not raw.isascii():
        folded = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
        if _ASCII.fullmatch(folded) and len(folded) >= len(raw) // 2:
            raw = folded
        else:
            return "u" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:15]
    if len(raw) > MAX_WORD:
        return ""
    return stem(raw) if raw.isalpha() else raw


# -- Porter's stemmer (M. F. Porter, "An algorithm for suffix stripping", 1980) -----------------


def _cons(w: str, i: int) -> bool:
    c = w[i]
    if c in "aeiou":
        return False
    if c == "y":
        return i == 0 or not _cons(w, i - 1)
    return True


def _measure(stem_: str) -> int:
    """m in [C](VC){m}[V]."""
    m = 0
    i, n = 0, len(stem_)
    while i < n and _cons(stem_, i):
        i += 1
    while i < n:
        while i < n and not _cons(stem_, i):
            i += 1
        if i >= n:
            break
        while i < n and _cons(stem_, i):
            i += 1
        m += 1
    return m


def _has_vowel(stem_: str) -> bool:
    return any(not _cons(stem_, i) for i in range(len(stem_)))


def _double_cons(w: str) -> bool:
    return len(w) >= 2 and w[-1] == w[-2] and _cons(w, len(w) - 1)


def _cvc(w: str) -> bool:
    n = len(w)
    return (
        n >= 3
        and _cons(w, n - 3)
        and not _cons(w, n - 2)
        and _cons(w, n - 1)
        and w[-1] not in "wxy"
    )


_STEP2 = (
    ("ational", "ate"),
    ("tional", "tion"),
    ("enci", "ence"),
    ("anci", "ance"),
    ("izer", "ize"),
    ("bli", "ble"),
    ("alli", "al"),
    ("entli", "ent"),
    ("eli", "e"),
    ("ousli", "ous"),
    ("ization", "ize"),
    ("ation", "ate"),
    ("ator", "ate"),
    ("alism", "al"),
    ("iveness", "ive"),
    ("fulness", "ful"),
    ("ousness", "ous"),
    ("aliti", "al"),
    ("iviti", "ive"),
    ("biliti", "ble"),
    ("logi", "log"),
)
_STEP3 = (
    ("icate", "ic"),
    ("ative", ""),
    ("alize", "al"),
    ("iciti", "ic"),
    ("ical", "ic"),
    ("ful", ""),
    ("ness", ""),
)
_STEP4 = [
    "al",
    "ance",
    "ence",
    "er",
    "ic",
    "able",
    "ible",
    "ant",
    "ement",
    "ment",
    "ent",
    "ion",
    "ou",
    "ism",
    "ate",
    "iti",
    "ous",
    "ive",
    "ize",
]


def _replace(w: str, rules: tuple[tuple[str, str], ...], least: int) -> str:
    for suffix, to in rules:
        if w.endswith(suffix):
            base = w[: -len(suffix)]
            return base + to if _measure(base) > least else w
    return w


def stem(w: str) -> str:
    """Porter's stem of a lower-case ASCII word."""
    if len(w) <= 2:
        return w
    # step 1a
    if w.endswith("sses") or w.endswith("ies"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    # step 1b
    again = False
    if w.endswith("eed"):
        if _measure(w[:-3]) > 0:
            w = w[:-1]
    elif w.endswith("ed") and _has_vowel(w[:-2]):
        w, again = w[:-2], True
    elif w.endswith("ing") and _has_vowel(w[:-3]):
        w, again = w[:-3], True
    if again:
        if w.endswith(("at", "bl", "iz")):
            w += "e"
        elif _double_cons(w) and w[-1] not in "lsz":
            w = w[:-1]
        elif _measure(w) == 1 and _cvc(w):
            w += "e"
    # step 1c
    if w.endswith("y") and _has_vowel(w[:-1]):
        w = w[:-1] + "i"
    w = _replace(w, _STEP2, 0)
    w = _replace(w, _STEP3, 0)
    # step 4
    for suffix in _STEP4:
        if w.endswith(suffix):
            base = w[: -len(suffix)]
            if _measure(base) > 1 and (suffix != "ion" or base.endswith(("s", "t"))):
                w = base
            break
    # step 5
    if w.endswith("e"):
        base = w[:-1]
        m = _measure(base)
        if m > 1 or (m == 1 and not _cvc(base)):
            w = base
    if _measure(w) > 1 and _double_cons(w) and w.endswith("l"):
        w = w[:-1]
    return w
