"""Schema 0006 on a real SQLCipher board written by schema 0004 (tests/fixtures/boards): a copy is
taken first, the claims stored before keep their claimant without a span (NULL: not known), the
history still verifies, and what is stored afterwards keeps where the claimant is named and the
dateline's place."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from factdesk.domain import ClaimCandidate, ClaimKind, ImportedDocument
from factdesk.services import Workspace
from factdesk.store import migrate

FIXTURE = Path(__file__).parents[1] / "fixtures" / "boards" / "schema-0004.fdb"
PASSPHRASE = "fixture board passphrase"

STORY = (
    "Port traffic falls\n"
    "HARWICK, March 14 (Reuters) - Mayor Ana Ruiz said container traffic fell "
    "by 33 percent in 2023."
)


def columns(path: Path, table: str) -> tuple[str, list[str]]:
    import sqlcipher3

    conn = sqlcipher3.connect(str(path))
    try:
        conn.execute("PRAGMA key = '" + PASSPHRASE.replace("'", "''") + "'")
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        names = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
    finally:
        conn.close()
    return revision, names


@pytest.fixture
def board_0004(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    board = tmp_path / "desk.fdb"
    shutil.copy(FIXTURE, board)
    monkeypatch.setenv("FACTDESK_PASSPHRASE", PASSPHRASE)
    return board


def test_fixture_is_schema_0004(board_0004: Path) -> None:
    revision, names = columns(board_0004, "claims")
    assert revision == "0004" and "claimant_start" not in names


def test_0004_board_upgrades_after_a_backup_and_keeps_its_claims(
    board_0004: Path, factdesk_home: Path
) -> None:
    with Workspace.open(board_0004, create=False) as ws:
        assert ws.info().schema_revision == migrate.HEAD
        [old] = ws.claims(ws.list_articles()[0].id)
        # stored before the span was kept: the name stays, its place is not guessed
        assert old.claimant == "the port authority"
        assert (old.claimant_start, old.claimant_end) == (None, None)
        assert old.explanation == "Customs data show a 21 percent fall."
        assert ws.verify().ok

        article = ws.import_text(STORY, detect=False).value
        sentence = STORY.split("\n")[1].split(" - ", 1)[1]
        start = STORY.index(sentence)
        name = STORY.index("Mayor Ana Ruiz")
        ws.add_detected_claims(
            article.id,
            [
                ClaimCandidate(
                    start,
                    start + len(sentence),
                    sentence,
                    0.9,
                    True,
                    ClaimKind.STATISTIC,
                    "Mayor Ana Ruiz",
                    claimant_start=name,
                    claimant_end=name + len("Mayor Ana Ruiz"),
                )
            ],
        )
        [new] = ws.claims(article.id)
        assert STORY[new.claimant_start : new.claimant_end] == "Mayor Ana Ruiz"
        assert ws.article(article.id).place == "Harwick"
        assert ws.verify().ok
        # the reports say where it was filed from
        for fmt in ("md", "html"):
            report = board_0004.with_name(f"report.{fmt}")
            ws.export(article.id, fmt, report)
            assert "Filed from" in report.read_text() and "Harwick" in report.read_text()
    assert columns(board_0004, "claims")[0] == migrate.HEAD
    [backup] = sorted(factdesk_home.rglob("desk-schema-0004-*.fdb"))
    revision, names = columns(backup, "claims")
    assert revision == "0004" and "claimant_start" not in names
    assert "place" not in columns(backup, "articles")[1]


def test_a_claimant_typed_by_hand_is_found_in_the_article(factdesk_home: Path) -> None:
    with Workspace.open(plaintext=True) as ws:
        article = ws.add_document(
            ImportedDocument(text=STORY, source_format="txt"), detect=False
        ).value
        sentence = STORY.split("\n")[1].split(" - ", 1)[1]
        start = STORY.index(sentence)
        claim = ws.mark_claim(
            article.id, start, start + len(sentence), claimant="Ana Ruiz", kind=ClaimKind.OTHER
        ).value
        assert STORY[claim.claimant_start : claim.claimant_end] == "Ana Ruiz"
        edited = ws.edit_claim(claim.id, claimant="the Harwick Herald").value
        assert (edited.claimant_start, edited.claimant_end) == (None, None)
        edited = ws.edit_claim(claim.id, claimant="Reuters").value
        assert STORY[edited.claimant_start : edited.claimant_end] == "Reuters"
        assert ws.verify().ok
