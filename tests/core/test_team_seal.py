"""The keyed seal on a team board (a real PostgreSQL server, as in test_postgres.py): the first
member's keyring makes the chain secret, every write of a member who holds it seals the history,
a member without it is named by verify until the secret is handed on (`board secret`), and a
history rewritten on the server (a database administrator's edit, every hash recomputed) is
named by the seal."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from factdesk import cli
from factdesk.services import Workspace
from factdesk.store import history
from tests.core.helpers import ARTICLE, candidates_for
from tests.core.test_postgres import (
    pg_url,  # noqa: F401  (the server fixture)
    pytestmark,  # noqa: F401  (skipped without the server)
)


@pytest.fixture
def team_url(pg_url: str) -> Iterator[str]:  # noqa: F811
    """A database of its own on the module's server (other tests' boards carry other seals)."""
    import psycopg

    base = pg_url.rsplit("/", 1)[0]
    host, port = base.split("@", 1)[1].split(":")
    with psycopg.connect(
        f"host={host} port={port} user=factdesk dbname=postgres", autocommit=True
    ) as conn:
        conn.execute("DROP DATABASE IF EXISTS team_seal")
        conn.execute("CREATE DATABASE team_seal")
    yield f"{base}/team_seal"


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(list(args), out, err)
    return code, out.getvalue(), err.getvalue()


def _problems(url: str) -> list[str]:
    with Workspace.open(url) as ws:
        report = ws.verify()
        assert not any("not sealed" in n or "could not be checked" in n for n in report.notes)
        return [f"{p.where}: {p.what}" for p in report.problems]


def _rewrite_on_the_server(url: str, claim_id: str) -> None:
    """A database administrator forges a verdict in the row and in its history event and
    recomputes every hash after it, so the plain chain links again."""
    import psycopg

    cols = ", ".join(f'"{c}"' for c in history.HASHED_FIELDS)
    with psycopg.connect(url) as conn:
        conn.execute(
            "UPDATE claims SET status = 'verified', explanation = 'Confirmed.' WHERE id = %s",
            (claim_id,),
        )
        conn.execute(
            "UPDATE history SET after = replace(replace(after, 'disputed', 'verified'), "
            "'Minutes say 14 percent.', 'Confirmed.') WHERE entity_id = %s AND op = 'update'",
            (claim_id,),
        )
        prev = ""
        rows = conn.execute(f"SELECT {cols} FROM history ORDER BY seq").fetchall()
        for row in rows:
            fields: dict[str, Any] = dict(zip(history.HASHED_FIELDS, row, strict=True))
            fields["prev_hash"] = prev
            digest = history.event_hash(fields)
            conn.execute(
                "UPDATE history SET prev_hash = %s, hash = %s WHERE seq = %s",
                (prev, digest, fields["seq"]),
            )
            prev = digest
        conn.execute("UPDATE chain_head SET seq = %s, hash = %s WHERE id = 1", (rows[-1][0], prev))


def test_team_board_sealed_handed_on_and_rewrite_named(
    team_url: str, memory_keyring: Any, tmp_path: Path
) -> None:
    from factdesk.importers import read_text

    with Workspace.open(team_url, actor="ana") as ws:
        doc = read_text(ARTICLE, title="Water bills")
        article = ws.add_document(doc, candidates=candidates_for(doc.text)).value
        claim, other = ws.claims(article.id)[:2]
        ws.set_status(claim.id, "disputed", "Minutes say 14 percent.")
    assert _problems(team_url) == []  # sealed: no note that the seal could not be checked

    # Ben's computer: his own keyring, without the secret. His verdict is outside the seal.
    ana_ring = dict(memory_keyring.secrets)
    memory_keyring.secrets.clear()
    with Workspace.open(team_url, actor="ben") as ws:
        ws.set_status(other.id, "verified", "Checked the budget.")
    ben_ring = dict(memory_keyring.secrets)
    memory_keyring.secrets.clear()
    memory_keyring.secrets.update(ana_ring)
    assert any("not covered by the seal" in p for p in _problems(team_url))

    # Ana hands the secret on; Ben imports it on his computer; his next write seals.
    secret_file = tmp_path / "team.factdesk-secret"
    code, out, err = run("--board", team_url, "board", "secret", "export", str(secret_file))
    assert code == 0 and "WARNING" in err, (out, err)
    assert oct(secret_file.stat().st_mode & 0o777) == "0o600"
    memory_keyring.secrets.clear()
    memory_keyring.secrets.update(ben_ring)
    code, out, err = run("--board", team_url, "board", "secret", "import", str(secret_file))
    assert code == 0, (out, err)
    with Workspace.open(team_url, actor="ben") as ws:
        ws.set_status(other.id, "disputed", "The budget says otherwise.")
    memory_keyring.secrets.clear()
    memory_keyring.secrets.update(ana_ring)
    assert _problems(team_url) == []

    _rewrite_on_the_server(team_url, claim.id)
    problems = _problems(team_url)
    assert any("is not the one the chain secret sealed" in p for p in problems), problems


def test_a_secret_file_of_another_board_is_refused(
    team_url: str, memory_keyring: Any, tmp_path: Path
) -> None:
    with Workspace.open(team_url, actor="ana") as ws:
        ws.import_text(ARTICLE, detect=False)
    secret_file = tmp_path / "wrong.factdesk-secret"
    secret_file.write_text(
        '{"kind": "factdesk chain secret", "board_id": "elsewhere", "chain_secret": "00"}'
    )
    code, _, err = run("--board", team_url, "board", "secret", "import", str(secret_file))
    assert code == 1 and "another board" in err
