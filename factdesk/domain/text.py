"""Text shown to a person: control characters (terminal escapes, NUL, C1) and the invisible
direction overrides that reorder what a reader sees (U+202A-U+202E, U+2066-U+2069) are made
visible as <U+XXXX>, so a claimant or file name cannot rewrite a terminal or hide in a report."""

from __future__ import annotations

import re
from functools import cache

# C1 controls, DEL, the direction marks, embeddings, overrides and isolates, line separators
_ALWAYS = "\\x7f-\\x9f\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069\\u2028\\u2029"


@cache
def _pattern(keep: str) -> re.Pattern[str]:
    c0 = "".join(f"\\x{i:02x}" for i in range(0x20) if chr(i) not in keep)
    return re.compile(f"[{c0}{_ALWAYS}]")


def _mark(m: re.Match[str]) -> str:
    return f"<U+{ord(m.group()):04X}>"


def visible(text: str, *, keep: str = "\t\n") -> str:
    """`text` with hidden characters shown as <U+XXXX>, except the layout characters in `keep`
    (a CSV keeps its \\r\\n)."""
    return _pattern(keep).sub(_mark, text)


NO_CLAIMANT = "the article (no claimant named)"


def claimant_text(claimant: str) -> str:
    """Who makes a claim, in the one wording the window, the reports and the terminal use when
    nobody is named."""
    return claimant or NO_CLAIMANT
