"""SQLCipher specifics: telling encrypted files from plain SQLite, the file's salt, the key pragma.

The only module (with search.py) that knows SQLite-only details.
"""

from __future__ import annotations

import secrets as _random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class BoardKey:
    """Either a raw 256-bit key (hex) kept in the keyring, or a passphrase SQLCipher derives from."""

    raw_hex: str = ""
    passphrase: str = ""

    def secret(self) -> str:
        """What SQLAlchemy's pysqlcipher dialect takes as the URL password."""
        return f"x'{self.raw_hex}'" if self.raw_hex else self.passphrase

    def pragma_value(self) -> str:
        """The value for `PRAGMA key = ...`, quoted exactly as the pysqlcipher dialect quotes it."""
        return '"' + self.secret().replace('"', '""') + '"'


def new_raw_key() -> BoardKey:
    return BoardKey(raw_hex=_random.token_hex(32))


def file_kind(path: Path) -> str:
    """'missing', 'empty', 'plain' (SQLite) or 'encrypted' (anything else: SQLCipher)."""
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except FileNotFoundError:
        return "missing"
    if not head:
        return "empty"
    return "plain" if head == SQLITE_HEADER else "encrypted"


def salt_hex(path: Path) -> str:
    """SQLCipher's random 16-byte salt opens the file; it names the board's keyring entry."""
    with path.open("rb") as f:
        return f.read(16).hex()


def damage_report(dbapi_conn: Any, encrypted: bool) -> list[str]:
    """Damaged pages of a SQLite/SQLCipher file, one line each ([] when sound).

    SQLite's quick_check reads every page of every table and index (and SQLCipher checks each
    page's HMAC as it is read): 1.1 s on a 200 MB board where integrity_check took 8 s and
    cipher_integrity_check 6 s. Only when it finds something does cipher_integrity_check run,
    to name the pages. Pages on the free list are not read. Give it a fresh connection: FTS5
    (SQLite 3.53) reports a false "checksum mismatch" on a connection that cached the index
    before another connection changed it.
    """
    try:
        lines = [str(r[0]) for r in dbapi_conn.execute("PRAGMA quick_check") if r[0] != "ok"]
    except Exception as exc:  # a page that cannot be read at all stops the check
        lines = [str(exc)]
    if lines and encrypted:
        pages = [str(r[0]) for r in dbapi_conn.execute("PRAGMA cipher_integrity_check")]
        lines = pages or lines
    return lines


BOARD_TABLES = {"history", "board_meta", "chain_head"}


def refuse_foreign(path: Path) -> None:
    """Refuse a plain SQLite file that is not a factdesk board, before anything writes to it
    (opening a board switches it to WAL, which would already change a foreign file)."""
    import sqlite3

    from factdesk.domain import BoardError

    try:
        conn = sqlite3.connect(path.as_uri() + "?mode=ro", uri=True)
        try:
            names = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BoardError(
            f"{path} cannot be read as a board ({exc}); it was left untouched."
        ) from exc
    if not names >= BOARD_TABLES:
        shown = ", ".join(sorted(names)[:5]) or "no tables"
        raise BoardError(
            f"{path} is an SQLite database but not a factdesk board ({shown}); factdesk leaves "
            "it untouched. Give the path of a board (--board), or a new file name to start one."
        )
