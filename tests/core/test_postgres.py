"""A team board on a real PostgreSQL server (Debian's binaries; initdb/pg_ctl in a temp dir on a
loopback port): the same services, history chain and undo as on a laptop file."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from factdesk.services import Workspace
from tests.core.helpers import ARTICLE, candidates_for

PG_BIN = next(
    (
        p
        for p in [
            "/usr/lib/postgresql/15/bin",
            "/usr/lib/postgresql/16/bin",
            "/usr/lib/postgresql/17/bin",
        ]
        if Path(p, "initdb").exists()
    ),
    str(Path(shutil.which("initdb") or "/nonexistent").parent),
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not Path(PG_BIN, "pg_ctl").exists(),
        reason="PostgreSQL server binaries (initdb, pg_ctl) not found",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    # not under pytest's tmp dir: that is private to root, and the server runs as another user
    root = Path(tempfile.mkdtemp(prefix="factdesk-pg-"))
    data = root / "data"
    data.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        root.chmod(0o755)
        shutil.chown(data, "nobody")
        as_user = ["runuser", "-u", "nobody", "--"]
    port = _free_port()
    subprocess.run(
        [
            *as_user,
            f"{PG_BIN}/initdb",
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "factdesk",
            "--no-sync",
            "-E",
            "UTF8",
        ],
        check=True,
        capture_output=True,
    )
    opts = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        [
            *as_user,
            f"{PG_BIN}/pg_ctl",
            "-D",
            str(data),
            "-o",
            opts,
            "-l",
            str(data / "log"),
            "-w",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={port} user=factdesk dbname=postgres", autocommit=True
        ) as conn:
            conn.execute("CREATE DATABASE board")
        yield f"postgresql://factdesk@127.0.0.1:{port}/board"
    finally:
        subprocess.run(
            [*as_user, f"{PG_BIN}/pg_ctl", "-D", str(data), "-m", "immediate", "stop"],
            check=False,
            capture_output=True,
        )


def test_team_board_keeps_claims_history_and_undo(pg_url: str, factdesk_home: Path) -> None:
    from factdesk.importers import read_text

    with Workspace.open(pg_url, actor="ana") as ws:
        assert ws.info().backend == "postgresql"
        doc = read_text(ARTICLE, title="Water bills")
        article = ws.add_document(doc, candidates=candidates_for(doc.text)).value
        claim = ws.claims(article.id)[0]
        # the window's pages: the same claims, high priority first, read by the same key
        everything = ws.claims(article.id)
        first = ws.claims_page(article.id, limit=2)
        rest = ws.claims_page(article.id, after=first[-1])
        paged = first + rest
        assert sorted(c.id for c in paged) == sorted(c.id for c in everything)
        assert [c.score >= 0.8 for c in paged] == sorted(
            (c.score >= 0.8 for c in paged), reverse=True
        )
        assert ws.claims_page(article.id, through=paged[-1]) == paged
        ws.set_status(claim.id, "disputed", "Minutes say 14 percent.")
        ws.attach_url(claim.id, "https://example.org/minutes", quote="14 percent")
        ws.attach_bytes(claim.id, b"minutes", "minutes.txt")
        assert ws.search("minutes")
        assert ws.undo().value == "Attach file minutes.txt"
        assert len(ws.evidence(claim.id)) == 1

    # a colleague sees the work; her undo stack is her own
    with Workspace.open(pg_url, actor="ben") as other:
        assert other.claim(claim.id).explanation == "Minutes say 14 percent."
        assert not other.undo_status().can_undo
        assert other.verify().ok


def test_two_writers_at_once_keep_one_unbroken_chain(pg_url: str, factdesk_home: Path) -> None:
    with Workspace.open(pg_url, actor="setup") as ws:
        article = ws.import_text(
            ARTICLE + "\nA second copy for the concurrency test.", detect=False
        ).value
        text = article.text
        line = text.split("\n")[1]
        claim_id = ws.mark_claim(
            article.id, text.index(line), text.index(line) + len(line)
        ).value.id

    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            with Workspace.open(pg_url, actor=name) as w:
                for i in range(15):
                    w.set_status(claim_id, ("verified", "disputed")[i % 2], f"{name} {i}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("ana", "ben")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Workspace.open(pg_url) as ws:
        report = ws.verify()
        assert report.ok, report.problems
        updates = [e for e in ws.history(claim_id=claim_id) if e.op == "update"]
        assert len(updates) == 30


def _described_hits(ws: Workspace, query: str) -> set[tuple[str, str]]:
    """Each hit as what it points at (ids differ between two boards of the same work)."""
    out = set()
    for h in ws.search(query, limit=500):
        if h.kind == "article":
            out.add((h.kind, ws.article(h.id).title))
        else:
            out.add((h.kind, ws.claim(h.claim_id).text if h.claim_id else h.title))
    return out


def test_team_board_search_finds_what_a_laptop_board_finds(
    pg_url: str, factdesk_home: Path
) -> None:
    from factdesk.importers import read_text

    def fill(ws: Workspace) -> None:
        for n, line in enumerate(
            ["Harbour fees doubled, the port said.", "Co-op rents rose 3.5 percent in 2023."]
        ):
            text = ARTICLE + "\n" + line
            doc = read_text(text, title=f"Water bills {n}")
            article = ws.add_document(doc, candidates=candidates_for(doc.text)).value
            claims = ws.claims(article.id)
            ws.set_status(claims[0].id, "disputed", f"Minutes say 14 percent (case {n}).")
            ws.attach_url(
                claims[-1].id, "https://example.org/minutes", quote="fourteen percent rise"
            )
            ws.attach_note(claims[0].id, "Rang the utility's press office")

    import psycopg

    # a database of its own: the other tests' work is on the module's board
    server = pg_url.rsplit("/", 1)[0]
    host, port = server.rsplit("@", 1)[1].split(":")
    with psycopg.connect(
        f"host={host} port={port} user=factdesk dbname=postgres", autocommit=True
    ) as conn:
        conn.execute("CREATE DATABASE search_board")
    team_url = server + "/search_board"
    with Workspace.open(team_url, actor="ana") as team, Workspace.open(home=factdesk_home) as mine:
        fill(team)
        fill(mine)
        queries = [
            "minutes",
            "percent said",
            "mayor",
            "example",
            "press office",
            "harbour",
            "rent*",
            "3",
            "co op",
            "fourteen",
            "utility",
            "nothingmatches",
        ]
        for query in queries:
            assert _described_hits(team, query) == _described_hits(mine, query), query
        assert _described_hits(team, "minutes")
        notes = team.search("utility")
        assert len(notes) == 2 and all("[utility]" in h.snippet for h in notes)
