"""The chain's fast encoders write the very bytes of the JSON they stand for: an event hashed by
verify's fast path is the hash the board wrote, for any text (quotes, backslashes, control and
non-ASCII characters), number or missing value."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from factdesk.store import history

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(JSON)
def test_canonical_json_is_sorted_compact_json(value: Any) -> None:
    expected = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert history.canonical_json(value) == expected


@given(
    st.fixed_dictionaries(
        {
            name: st.text() | st.none() | st.integers() | st.booleans()
            for name in history.HASHED_FIELDS
        }
    )
)
def test_an_event_row_hashes_like_the_event(fields: dict[str, Any]) -> None:
    row = (*(fields[name] for name in history.HASHED_FIELDS), "the stored hash")
    assert history.event_hash_of_row(row) == history.event_hash(fields)
