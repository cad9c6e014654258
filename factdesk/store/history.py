"""The hash-chained history: each event's hash covers its content and the previous event's hash,
so an edited, inserted or deleted event breaks the chain at a place `verify` can name."""

from __future__ import annotations

import hashlib
import json
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


# One encoder for every call: json.dumps with options builds a new one each time.
_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def canonical_json(value: Any) -> str:
    return _ENCODE(value)


def event_hash(fields: dict[str, Any]) -> str:
    """SHA-256 over the canonical JSON of the hashed fields (before/after as their stored JSON)."""
    payload = {name: fields[name] for name in HASHED_FIELDS}
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def event_hash_of_row(values: tuple[Any, ...]) -> str:
    """event_hash of a row holding the HASHED_FIELDS in their order (verify's fast path)."""
    payload = dict(zip(HASHED_FIELDS, values, strict=True))
    return hashlib.sha256(_ENCODE(payload).encode("utf-8")).hexdigest()
