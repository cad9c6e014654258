"""The hash-chained history: each event's hash covers its content and the previous event's hash,
so an edited, inserted or deleted event breaks the chain at a place `verify` can name."""

from __future__ import annotations

import hashlib
import json
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

HASHED_FIELDS = (
    "seq",
    "id",
    "at",
    "actor",
    "action_id",
    "action",
    "op",
    "entity",
    "entity_id",
    "claim_id",
    "article_id",
    "before",
    "after",
    "prev_hash",
)


# One encoder for every call: json.dumps with options builds a new one each time, and so does
# JSONEncoder.encode inside (its C encoder); where there is one, it is made once here.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_C_ENCODE = (
    None
    if c_make_encoder is None
    else c_make_encoder(
        None, _ENCODER.default, encode_basestring, None, ":", ",", True, False, True
    )
)


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, text as is: the same text as json.dumps with those options."""
    if _C_ENCODE is None:
        return _ENCODER.encode(value)
    return "".join(_C_ENCODE(value, 0))


_ENCODE = canonical_json


def event_hash(fields: dict[str, Any]) -> str:
    """SHA-256 over the canonical JSON of the hashed fields (before/after as their stored JSON)."""
    payload = {name: fields[name] for name in HASHED_FIELDS}
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


# The canonical JSON of the hashed fields written out: the keys are fixed, only the values vary.
_SORTED = sorted(HASHED_FIELDS)
_ORDER = tuple(HASHED_FIELDS.index(name) for name in _SORTED)
_TEMPLATE = "{" + ",".join(f"{_ENCODE(name)}:%s" for name in _SORTED) + "}"
# Most events: every field text but seq, which sorts last (an int written as %d writes as JSON does)
assert _SORTED[-1] == "seq"
_TEXT_ORDER = _ORDER[:-1]
_SEQ = HASHED_FIELDS.index("seq")
_TEMPLATE_D = _TEMPLATE[: _TEMPLATE.rindex("%s")] + "%d}"


def _value(v: Any) -> str:
    """One value as the encoder writes it."""
    if v.__class__ is str:
        return encode_basestring(v)
    return _ENCODE(v)


def event_hash_of_row(values: tuple[Any, ...]) -> str:
    """event_hash of a row holding the HASHED_FIELDS in their order, then anything (verify's
    fast path: the same bytes as canonical_json of the fields, without building a dict)."""
    seq = values[_SEQ]
    try:
        if seq.__class__ is not int:
            raise TypeError
        # encode_basestring refuses anything but text (a claim_id of None, say)
        text = _TEMPLATE_D % (*map(encode_basestring, map(values.__getitem__, _TEXT_ORDER)), seq)
    except TypeError:
        text = _TEMPLATE % tuple(map(_value, map(values.__getitem__, _ORDER)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
