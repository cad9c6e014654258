"""The keyed seal on a team board (a real PostgreSQL server, as in test_postgres.py): the first
member's keyring makes the chain secret, every write of a member who holds it seals the history,
a member without it is named by verify, and stays named after the next sealed write, until
someone who holds the secret accepts those events (`board accept`); once the secret is handed on
(`board secret`) the colleague's writes seal. A history rewritten or appended to on the server (a
database administrator's edit, every hash recomputed) is named by the seal, and is still named
after a member's next honest write: the seal does not launder it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from factdesk import cli
from factdesk.domain import FactdeskError
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


def _report(url: str) -> tuple[list[str], list[str]]:
    with Workspace.open(url) as ws:
        report = ws.verify()
        assert not any("not sealed" in n or "could not be checked" in n for n in report.notes)
        return [f"{p.where}: {p.what}" for p in report.problems], list(report.notes)


def _problems(url: str) -> list[str]:
    return _report(url)[0]


def _append_on_the_server(url: str, claim_id: str) -> int:
    """A database administrator appends a well-formed forged verdict to the chain (as the
    program would write it, under a colleague's name). Returns its seq."""
    import json

    import psycopg

    cols = ", ".join(f'"{c}"' for c in history.HASHED_FIELDS)
    with psycopg.connect(url) as conn:
        last, head = conn.execute("SELECT seq, hash FROM chain_head WHERE id = 1").fetchone()
        status, updated = conn.execute(
            "SELECT status, updated_at FROM claims WHERE id = %s", (claim_id,)
        ).fetchone()
        now = "2026-12-02T06:00:00+00:00"
        row = conn.execute(f"SELECT {cols} FROM history WHERE seq = %s", (last,)).fetchone()
        fields: dict[str, Any] = dict(zip(history.HASHED_FIELDS, row, strict=True))
        fields.update(
            seq=last + 1,
            id="forged-event",
            actor="carla",
            op="update",
            entity="claim",
            entity_id=claim_id,
            claim_id=claim_id,
            before=history.canonical_json({"status": status, "updated_at": updated.isoformat()}),
            after=json.dumps(
                {"status": "verified", "updated_at": now}, sort_keys=True, separators=(",", ":")
            ),
            prev_hash=head,
        )
        digest = history.event_hash(fields)
        conn.execute(
            f"INSERT INTO history ({cols}, hash) VALUES ({', '.join(['%s'] * len(fields))}, %s)",
            (*fields.values(), digest),
        )
        conn.execute(
            "UPDATE claims SET status = 'verified', updated_at = %s WHERE id = %s",
            (now, claim_id),
        )
        conn.execute("UPDATE chain_head SET seq = %s, hash = %s WHERE id = 1", (last + 1, digest))
    return int(last) + 1


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
        bens = ws.history(claim_id=other.id)[-1]
    ben_ring = dict(memory_keyring.secrets)
    memory_keyring.secrets.clear()
    memory_keyring.secrets.update(ana_ring)
    gap = f"events {bens.seq}..{bens.seq}"
    assert any(
        f"{gap} are not covered by the seal" in p and "by ben" in p for p in _problems(team_url)
    )

    # Ana's next write seals the board again, but not over Ben's event: it stays named.
    with Workspace.open(team_url, actor="ana") as ws:
        ws.edit_claim(claim.id, rating="Mostly false")
    problems = _problems(team_url)
    assert len(problems) == 1, problems
    assert f"{gap} (by ben," in problems[0] and "written without the chain secret" in problems[0]
    assert "nobody has accepted them" in problems[0]
    assert f"factdesk board accept {bens.seq}-{bens.seq}" in problems[0]

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
    problems = _problems(team_url)
    assert len(problems) == 1 and f"{gap} (by ben," in problems[0], problems  # no new alarm

    # Ana looks at them and vouches for them; verify then lists them as accepted.
    code, out, _ = run("--board", team_url, "board", "accept")
    assert code == 1 and f"events {bens.seq}-{bens.seq} by ben" in out and "NOT accepted" in out
    with Workspace.open(team_url, actor="ana") as ws:
        done = ws.accept_unsealed(f"{bens.seq}-{bens.seq}")
    assert [(g.first, g.last, g.accepted_by) for g in done] == [(bens.seq, bens.seq, "ana")]
    problems, notes = _report(team_url)
    assert problems == []
    assert any(f"{gap} (by ben," in n and "accepted by ana" in n for n in notes), notes

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


def test_a_forgery_on_the_server_is_not_laundered_by_the_next_honest_write(
    team_url: str, memory_keyring: Any
) -> None:
    """A database administrator appends a forged verdict (then, on another day, rewrites the
    history under the seal); Ana, who holds the secret, goes on working: her writes seal, but
    the forged event, and the rewrite, stay named until someone accepts them."""
    from factdesk.importers import read_text

    with Workspace.open(team_url, actor="ana") as ws:
        doc = read_text(ARTICLE, title="Water bills")
        article = ws.add_document(doc, candidates=candidates_for(doc.text)).value
        claim, other = ws.claims(article.id)[:2]
        ws.set_status(claim.id, "disputed", "Minutes say 14 percent.")
    forged = _append_on_the_server(team_url, other.id)
    with Workspace.open(team_url, actor="ana") as ws:
        ws.attach_note(claim.id, "Called the council.")
        ws.edit_claim(claim.id, rating="False")
    problems = _problems(team_url)
    assert len(problems) == 1, problems
    assert f"events {forged}..{forged} (by carla," in problems[0]
    assert "found when ana wrote" in problems[0] and "nobody has accepted them" in problems[0]

    # accepting needs the secret; a range with nothing in it is refused and says what is open
    with (
        Workspace.open(team_url, actor="ana") as ws,
        pytest.raises(FactdeskError, match=f"those not accepted: {forged}-{forged}"),
    ):
        ws.accept_unsealed("1-2")
    ana_ring = dict(memory_keyring.secrets)
    memory_keyring.secrets.clear()
    with (
        Workspace.open(team_url, actor="ben") as ws,
        pytest.raises(FactdeskError, match="does not hold the board's chain secret"),
    ):
        ws.accept_unsealed("all")
    memory_keyring.secrets.clear()
    memory_keyring.secrets.update(ana_ring)

    _rewrite_on_the_server(team_url, claim.id)
    with Workspace.open(team_url, actor="ana") as ws:
        ws.set_status(other.id, "unverified", "Not checked yet.")
    problems = _problems(team_url)
    assert len(problems) == 1, problems
    assert problems[0].startswith(
        "keyed seal: the seal did not match the history (found when ana wrote"
    ), problems
    assert "may have been rewritten or cut" in problems[0]
    assert f"factdesk board accept 1-{forged + 3}" in problems[0]
