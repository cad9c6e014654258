"""The board file: encrypted at rest, refused with the wrong key, tamper-evident, migratable."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from factdesk import secrets
from factdesk.domain import BoardTooNewError, KeyUnavailableError, WrongKeyError
from factdesk.services import Workspace
from factdesk.store import BoardKey, migrate, salt_hex
from tests.core.helpers import ARTICLE, board_with_article

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "boards"


def _file_bytes(path: Path) -> bytes:
    data = b""
    for suffix in ("", "-wal"):
        p = Path(str(path) + suffix)
        if p.exists():
            data += p.read_bytes()
    return data


def _raw(path: Path, key: BoardKey | None) -> Any:
    if key is None:
        return sqlite3.connect(path)
    import sqlcipher3

    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = {key.pragma_value()}")
    return conn


def test_new_board_is_encrypted_with_a_keyring_key(
    factdesk_home: Path, memory_keyring: Any
) -> None:
    ws, _, _ = board_with_article(factdesk_home)
    info = ws.info()
    path = Path(info.location)
    assert info.encrypted and info.key_source.startswith("keyring (memory keyring")
    ws.close()
    data = _file_bytes(path)
    assert not data.startswith(b"SQLite format 3")
    for phrase in ("litre in every three", "water bills", "the mayor"):
        assert phrase.encode() not in data and phrase.encode("utf-16-le") not in data
    entry = ("factdesk", secrets.board_entry(salt_hex(path)))
    assert len(memory_keyring.secrets[entry]) == 64  # 256-bit key, hex


def test_key_missing_from_keyring_asks_for_passphrase(
    factdesk_home: Path, memory_keyring: Any
) -> None:
    ws, _, _ = board_with_article(factdesk_home)
    ws.close()
    memory_keyring.secrets.clear()
    with pytest.raises(KeyUnavailableError, match="passphrase"):
        Workspace.open(home=factdesk_home)


def test_no_keyring_uses_a_passphrase_and_never_writes_the_key(
    factdesk_home: Path, no_keyring: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(KeyUnavailableError, match="no usable keyring"):
        Workspace.open(home=factdesk_home)
    assert not (factdesk_home / "data" / "boards" / "default.fdb").exists()

    asked: list[str] = []

    def prompt(text: str) -> str:
        asked.append(text)
        return "correct horse battery staple"

    ws, article_id, _ = board_with_article(factdesk_home, passphrase=prompt)
    assert ws.info().key_source == "passphrase" and "Choose a passphrase" in asked[0]
    path = Path(ws.info().location)
    ws.close()
    stored = b"".join(p.read_bytes() for p in factdesk_home.rglob("*") if p.is_file())
    assert b"correct horse" not in stored

    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(WrongKeyError, match="not changed"):
        Workspace.open(home=factdesk_home, passphrase=lambda _: "wrong")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before

    monkeypatch.setenv("FACTDESK_PASSPHRASE", "correct horse battery staple")
    with Workspace.open(home=factdesk_home) as again:
        assert again.article(article_id).text == ARTICLE


def test_plaintext_only_when_asked(factdesk_home: Path) -> None:
    ws, _, _ = board_with_article(factdesk_home, plaintext=True)
    info = ws.info()
    ws.close()
    assert not info.encrypted and info.key_source == "none (plaintext)"
    assert Path(info.location).read_bytes().startswith(b"SQLite format 3")


def test_verify_names_an_edited_and_a_deleted_history_event(factdesk_home: Path) -> None:
    ws, _, (claim_id, _) = board_with_article(factdesk_home, plaintext=True)
    ws.set_status(claim_id, "verified", "Minutes confirm it.")
    ws.attach_bytes(claim_id, b"minutes", "minutes.txt")
    assert ws.verify().ok
    path = Path(ws.info().location)
    ws.close()

    conn = _raw(path, None)
    seq = conn.execute("SELECT seq FROM history WHERE action LIKE 'Set status%'").fetchone()[0]
    conn.execute(
        "UPDATE history SET after = replace(after, 'verified', 'disputed') WHERE seq = ?", (seq,)
    )
    conn.commit()
    conn.close()
    with Workspace.open(path) as again:
        report = again.verify()
    assert not report.ok
    assert any(f"history event {seq}" in p.where and "changed" in p.what for p in report.problems)

    conn = _raw(path, None)
    conn.execute("DELETE FROM history WHERE seq = 2")
    conn.execute("UPDATE attachments SET data = ? WHERE filename = 'minutes.txt'", (b"forged",))
    conn.commit()
    conn.close()
    with Workspace.open(path) as again:
        problems = again.verify().problems
    assert any("missing" in p.what for p in problems)
    assert any("minutes.txt" in p.where and "SHA-256" in p.what for p in problems)


def test_backup_opens_on_its_own(factdesk_home: Path, tmp_path: Path) -> None:
    ws, article_id, _ = board_with_article(factdesk_home)
    dest = ws.backup(tmp_path / "copy.fdb")
    ws.close()
    with Workspace.open(dest, create=False) as copy:
        assert copy.article(article_id).text == ARTICLE
        assert copy.verify().ok


def test_board_from_a_newer_factdesk_is_refused_untouched(factdesk_home: Path) -> None:
    ws, _, _ = board_with_article(factdesk_home, plaintext=True)
    path = Path(ws.info().location)
    ws.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(BoardTooNewError, match="newer version of factdesk"):
        Workspace.open(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema-*.fdb")), ids=lambda p: p.stem)
def test_fixture_boards_of_released_schemas_open_and_verify(
    fixture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    board = tmp_path / fixture.name
    shutil.copy(fixture, board)
    monkeypatch.setenv("FACTDESK_PASSPHRASE", "fixture board passphrase")
    with Workspace.open(board, create=False) as ws:
        assert ws.info().schema_revision == migrate.head_revision()  # migrated to the newest
        # the port story every fixture holds (schema 0014's has a second, newer one)
        article = next(a for a in ws.list_articles() if a.title.startswith("Harbour traffic"))
        assert article.n_disputed == 1
        claim = ws.claims(article.id)[0]
        assert claim.explanation == "Customs data show a 21 percent fall."
        assert {ln.evidence.kind.value for ln in ws.evidence(claim.id)} == {"url", "file"}
        assert ws.verify().ok
