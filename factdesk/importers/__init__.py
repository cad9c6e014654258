"""Article import: files, bytes, pasted text, the clipboard and links to one ImportedDocument.

Every failure is an ImportFailedError naming the source and a reason a person can act on.
Parsers (trafilatura, pypdf, python-docx) are imported only when a file needs them.
"""

from __future__ import annotations

from factdesk.importers._text import normalize
from factdesk.importers.reader import (
    DEFAULT_MAX_BYTES,
    SUPPORTED,
    read_bytes,
    read_clipboard,
    read_file,
    read_text,
)
from factdesk.importers.url import fetch_url

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED",
    "fetch_url",
    "normalize",
    "read_bytes",
    "read_clipboard",
    "read_file",
    "read_text",
]
