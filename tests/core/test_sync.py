"""Laptop boards (real SQLCipher files) syncing with a team board on a real PostgreSQL server:
offline work on both laptops meets on the server, conflicts are kept and resolved, an interrupted
sync resumes without duplicates, files travel once, and every chain still verifies."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from factdesk import cli
from factdesk.services import Workspace
from tests.core.helpers import ARTICLE, candidates_for
from tests.core.test_postgres import pg_url, pytestmark  # noqa: F401  (the server fixture)

_n = itertools.count()


@pytest.fixture
def team(pg_url: str) -> str:  # noqa: F811
    """A team board of its own for each test (an empty database on the module's server)."""
    import psycopg

    server = pg_url.rsplit("/", 1)[0]
    host, port = server.rsplit("@", 1)[1].split(":")
    name = f"team_{next(_n)}"
    with psycopg.connect(
        f"host={host} port={port} user=factdesk dbname=postgres", autocommit=True
    ) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"


@pytest.fixture
def laptops(tmp_path: Path, factdesk_home: Path) -> Iterator[tuple[Path, Path]]:
    yield tmp_path / "ana.fdb", tmp_path / "ben.fdb"


def _open(path: Path, actor: str) -> Workspace:
    return Workspace.open(path, actor=actor)


def _first_article(ws: Workspace) -> tuple[str, list[str]]:
    from factdesk.importers import read_text

    doc = read_text(ARTICLE, title="Town council raises water bills")
    article = ws.add_document(doc, candidates=candidates_for(doc.text)).value
    return article.id, [c.id for c in ws.claims(article.id)]


def _state(ws: Workspace) -> dict[str, object]:
    """What a person sees on a board: every claim's verdict and its evidence."""
    out: dict[str, object] = {}
    for art in ws.list_articles():
        for c in ws.claims(art.id, include_dismissed=True):
            ev = sorted(
                (e.evidence.kind.value, e.evidence.url, e.evidence.notes) for e in ws.evidence(c.id)
            )
            out[c.id] = (c.status.value, c.explanation, c.rating, c.claimant, c.dismissed, ev)
    return out


def _verified(*boards: Workspace) -> None:
    for ws in boards:
        report = ws.verify()
        assert report.ok, (ws.location, report.problems)


def test_offline_work_on_two_laptops_meets_on_the_team_board(
    team: str, laptops: tuple[Path, Path]
) -> None:
    a_path, b_path = laptops
    with _open(a_path, "ana") as ana:
        _article, (c1, c2) = _first_article(ana)
        ana.set_status(c1, "disputed", "Minutes say 14 percent.")
        # before a first sync the window skips counting the whole history (it shows nothing)
        assert ana.sync_status(count_unsynced=False).to_send == 0 < ana.sync_status().to_send
        first = ana.sync(team)
        assert first.pushed > 0 and first.pulled == 0
    with _open(b_path, "ben") as ben:
        got = ben.sync(team)
        assert got.pulled == first.pushed
        assert ben.claim(c1).explanation == "Minutes say 14 percent."
        assert ben.sync_status().url == team  # remembered for the next time
        # offline on both laptops
        ben.attach_url(c2, "https://example.org/drought", quote="an emergency")
        ben.set_status(c2, "verified", "The drought order of May.")
    with _open(a_path, "ana") as ana:
        ana.attach_note(c1, "Rang the utility's press office")
        ana.edit_claim(c1, rating="Exaggerated")
        assert ana.sync_status().to_send == ana.sync_status(count_unsynced=False).to_send == 2
        ana.sync()  # the URL remembered
    with _open(b_path, "ben") as ben:
        ben.sync()
    with _open(a_path, "ana") as ana, _open(b_path, "ben") as ben, Workspace.open(team) as server:
        ana.sync()
        assert ana.claim(c2).explanation == "The drought order of May."
        assert ben.claim(c1).rating == "Exaggerated"
        assert _state(ana) == _state(ben) == _state(server)
        assert len(ben.evidence(c1)) == 1 and len(ana.evidence(c2)) == 1
        # the received work is recorded as who did it, on which board
        events = [e for e in ben.history(claim_id=c1) if e.op == "update"]
        assert {e.actor for e in events} == {"ana"}
        # nothing left to exchange, and a sync says so and moves nothing
        heads = (ana.info().head_hash, ben.info().head_hash, server.info().head_hash)
        again = ana.sync()
        assert not again.moved and ana.sync_status().to_send == 0
        assert not ben.sync().moved
        assert (ana.info().head_hash, ben.info().head_hash, server.info().head_hash) == heads
        _verified(ana, ben, server)


def test_the_same_verdict_changed_on_both_sides_is_a_conflict_resolved_from_the_cli(
    team: str, laptops: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    a_path, b_path = laptops
    with _open(a_path, "ana") as ana:
        article_id, (c1, c2) = _first_article(ana)
        ana.sync(team)
    with _open(b_path, "ben") as ben:
        ben.sync(team)
        ben.set_status(c1, "verified", "Ben: the council's own figure.")
        ben.sync()
    with _open(a_path, "ana") as ana:
        ana.set_status(c1, "disputed", "Ana: the minutes say 14 percent.")
        ana.set_status(c2, "verified", "Ana: drought order.")
        report = ana.sync()
        assert report.conflicts == 2  # status and explanation
        # mine is still shown here; theirs is kept beside it
        assert ana.claim(c1).explanation == "Ana: the minutes say 14 percent."
        assert ana.conflicted_claims() == {c1}
        found = {c.field: (c.mine, c.theirs) for c in ana.conflicts()}
        assert found == {
            "status": ("disputed", "verified"),
            "explanation": ("Ana: the minutes say 14 percent.", "Ben: the council's own figure."),
        }
    with Workspace.open(team) as server:
        # the team board keeps Ben's version until Ana resolves; her other claim went through
        assert server.claim(c1).explanation == "Ben: the council's own figure."
        assert server.claim(c2).explanation == "Ana: drought order."

    assert cli.run(["--board", str(a_path), "conflicts"]) == 0
    shown = capsys.readouterr().out
    assert "conflict in explanation" in shown and "Ben: the council's own figure." in shown
    assert cli.run(["--board", str(a_path), "claims", article_id[:8]]) == 0
    marked = [line for line in capsys.readouterr().out.splitlines() if "sync conflict" in line]
    assert len(marked) == 1 and marked[0].startswith(c1[:8])
    merged = "Both: the council says 18, the minutes 14 percent."
    assert cli.run(["--board", str(a_path), "resolve", c1[:8], "--keep", merged]) == 0
    assert cli.run(["--board", str(a_path), "conflicts"]) == 0
    assert "No conflicts." in capsys.readouterr().out

    with _open(a_path, "ana") as ana, _open(b_path, "ben") as ben, Workspace.open(team) as server:
        ana.sync()
        ben.sync()
        for ws in (ana, ben, server):
            claim = ws.claim(c1)
            # explanation merged, status kept as Ana's (mine, for the other field)
            assert (claim.status.value, claim.explanation) == ("disputed", merged)
        assert not ben.conflicts()
        _verified(ana, ben, server)


def test_keep_mine_reaches_the_team_board_and_dismiss_against_edit_conflicts(
    team: str, laptops: tuple[Path, Path]
) -> None:
    a_path, b_path = laptops
    with _open(a_path, "ana") as ana:
        _article, (c1, c2) = _first_article(ana)
        ana.sync(team)
    with _open(b_path, "ben") as ben:
        ben.sync(team)
        ben.edit_claim(c1, claimant="the water board")
        ben.dismiss_claim(c2)
        ben.sync()
    with _open(a_path, "ana") as ana:
        ana.edit_claim(c1, claimant="the council's spokesman")
        ana.set_status(c2, "disputed", "Worth checking after all.")
        ana.sync()
        assert ana.conflicted_claims() == {c1, c2}
        assert {c.field for c in ana.conflicts(c2)} == {"dismissed"}
        assert not ana.claim(c2).dismissed  # mine: not dismissed, edited
        ana.resolve_conflict(c1, "mine")
        ana.resolve_conflict(c2, "theirs")
        assert ana.claim(c2).dismissed
        ana.sync()
    with _open(b_path, "ben") as ben, Workspace.open(team) as server:
        ben.sync()
        for ws in (ben, server):
            assert ws.claim(c1).claimant == "the council's spokesman"
            assert ws.claim(c2).dismissed
        _verified(ben, server)


def test_undoing_a_synced_change_is_a_change_that_syncs(
    team: str, laptops: tuple[Path, Path]
) -> None:
    a_path, b_path = laptops
    with _open(a_path, "ana") as ana:
        _article, (c1, _c2) = _first_article(ana)
        ana.sync(team)
    with _open(b_path, "ben") as ben:
        ben.sync(team)
        assert not ben.undo_status().can_undo  # Ana's work is not on Ben's undo stack
    with _open(a_path, "ana") as ana:
        ana.set_status(c1, "disputed", "Too early.")
        ana.sync()
        assert ana.undo().value.startswith("Set status")
        assert ana.sync_status().to_send == 1
        ana.sync()
    with _open(b_path, "ben") as ben:
        ben.sync()
        assert ben.claim(c1).status.value == "unverified" and ben.claim(c1).explanation == ""
        _verified(ben)


def test_an_interrupted_sync_resumes_to_the_same_result(
    team: str, laptops: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from factdesk.store import sync as store_sync

    monkeypatch.setattr(store_sync, "BATCH", 3)  # many batches, so there are places to stop
    a_path, b_path = laptops
    with _open(a_path, "ana") as ana:
        _article, (c1, c2) = _first_article(ana)
        for i in range(4):
            ana.set_status(c1, ("disputed", "verified")[i % 2], f"round {i}")
        ana.attach_bytes(c2, b"%PDF-1.4 the minutes", "minutes.pdf")
        # stopped after 1, 2, ... batches, then resumed: never a duplicate, never a gap
        for stop in (1, 2, 3):
            with pytest.raises(ConnectionError):
                ana.sync(team, fail_after_batches=stop)
            _verified(ana)
        ana.sync(team)
        assert not ana.sync().moved
    with _open(b_path, "ben") as ben:
        for stop in (1, 1, 1):
            with pytest.raises(ConnectionError):
                ben.sync(team, fail_after_batches=stop)
        ben.sync(team)
    with _open(a_path, "ana") as ana, _open(b_path, "ben") as ben, Workspace.open(team) as server:
        assert _state(ana) == _state(ben) == _state(server)
        history = [e for e in server.history(claim_id=c1) if e.op == "update"]
        assert len(history) == 4  # each round once
        assert ben.attachment_data(ben.evidence(c2)[0].evidence.attachment.id) == (  # type: ignore[union-attr]
            b"%PDF-1.4 the minutes"
        )
        _verified(ana, ben, server)


def test_a_file_the_team_board_has_is_not_sent_again(team: str, laptops: tuple[Path, Path]) -> None:
    a_path, b_path = laptops
    pdf = b"%PDF-1.4 " + bytes(range(256)) * 400
    with _open(a_path, "ana") as ana:
        _article, (c1, c2) = _first_article(ana)
        ana.attach_bytes(c1, pdf, "minutes.pdf")
        assert ana.sync(team).blobs_sent == 1
    with _open(b_path, "ben") as ben:
        got = ben.sync(team)
        assert got.blobs_received == 1
        # Ben attaches the same file again to the other claim: the server has its bytes
        ben.attach_bytes(c2, pdf, "minutes-copy.pdf")
        sent = ben.sync()
        assert sent.pushed > 0 and sent.blobs_sent == 0 and sent.bytes_sent == 0
    with _open(a_path, "ana") as ana, Workspace.open(team) as server:
        ana.sync()
        for ws in (ana, server):
            assert ws.attachment_data(ws.evidence(c2)[0].evidence.attachment.id) == pdf  # type: ignore[union-attr]
        _verified(ana, server)
    # both laptops attach the same new file offline, each under its own id: one copy travels
    scan = b"PNG scan " * 5000
    with _open(a_path, "ana") as ana, _open(b_path, "ben") as ben:
        ana.attach_bytes(c1, scan, "scan.png")
        ben.attach_bytes(c2, scan, "scan-ben.png")
        assert ana.sync().blobs_sent == 1
        assert ben.sync().blobs_sent == 0
        ana.sync()
        with Workspace.open(team) as server:
            for ws in (ana, ben, server):
                files = [
                    e.evidence.attachment
                    for c in (c1, c2)
                    for e in ws.evidence(c)
                    if e.evidence.attachment and e.evidence.attachment.sha256 != ""
                ]
                scans = [f for f in files if ws.attachment_data(f.id) == scan]
                assert len(scans) == 2 and len({f.id for f in scans}) == 1, ws.location
            _verified(ana, ben, server)


def test_an_encrypted_laptop_board_stays_encrypted(team: str, laptops: tuple[Path, Path]) -> None:
    a_path, b_path = laptops
    secret = "Confidential source: the deputy treasurer"
    with _open(a_path, "ana") as ana:
        _article, (c1, _c2) = _first_article(ana)
        ana.set_status(c1, "disputed", secret)
        ana.attach_bytes(c1, secret.encode() * 10, "source.txt")
        ana.sync(team)
    with _open(b_path, "ben") as ben:
        assert ben.info().encrypted
        ben.sync(team)
        assert ben.claim(c1).explanation == secret
    for path in b_path.parent.glob("ben.fdb*"):
        assert secret.encode() not in path.read_bytes(), path
        assert b"SQLite format 3" not in path.read_bytes()[:16]


def test_sync_from_the_cli_remembers_the_url_and_says_when_nothing_moved(
    team: str, laptops: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    a_path, _b = laptops
    with _open(a_path, "ana") as ana:
        _first_article(ana)
    assert cli.run(["--board", str(a_path), "sync"]) == 1
    assert "give the team board's address once" in capsys.readouterr().err
    assert cli.run(["--board", str(a_path), "sync", team]) == 0
    out, err = capsys.readouterr()
    assert "Synced with" in out and "sending" in err
    assert cli.run(["--board", str(a_path), "sync"]) == 0
    assert "Already in sync" in capsys.readouterr().out
    assert cli.run(["--board", team, "sync", team]) == 1
    assert "laptop board" in capsys.readouterr().err


def test_a_board_of_the_oldest_schema_is_upgraded_and_syncs(
    team: str, tmp_path: Path, factdesk_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from factdesk.store import migrate
    from tests.core.test_migrations import FIXTURE, PASSPHRASE

    old = tmp_path / "desk.fdb"
    shutil.copy(FIXTURE, old)
    monkeypatch.setenv("FACTDESK_PASSPHRASE", PASSPHRASE)
    with Workspace.open(old, create=False, actor="ana") as ws:
        assert ws.info().schema_revision == migrate.HEAD  # the newest, whatever it is
        assert ws.sync_status().to_send > 0  # its whole history is new to the team board
        ws.sync(team)
        mine = _state(ws)
        _verified(ws)
    assert sorted(factdesk_home.rglob("desk-schema-0001-*.fdb"))  # copied before the upgrade
    with Workspace.open(team) as server:
        assert _state(server) == mine and mine
        _verified(server)


KILLED_CHILD = """
import sys
from factdesk.store import sync
sync.BATCH = 4  # many small batches, so that a kill lands between and inside them
from factdesk import cli
sys.exit(cli.run(sys.argv[1:]))
"""


def _sync_killed_after(board: Path, url: str, lines: int, *args: str) -> bool:
    """Run `factdesk sync` in a child and SIGKILL it once it printed `lines` progress lines;
    False when it finished first."""
    import os
    import signal
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_CHILD, "--board", str(board), *args, "sync", url],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        # no keyring in the child (the test's keyring lives in this process): boards unsealed
        env={**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
    )
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if len(seen) >= lines:
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait()
    assert proc.returncode in (0, -signal.SIGKILL), seen
    return proc.returncode == -signal.SIGKILL


def test_a_sync_killed_with_sigkill_resumes_without_duplicates(
    team: str, tmp_path: Path, factdesk_home: Path
) -> None:
    from factdesk.importers import read_text

    a_path, b_path = tmp_path / "ana.fdb", tmp_path / "ben.fdb"
    with Workspace.open(a_path, plaintext=True, actor="ana") as ana:
        claims = []
        for n in range(6):
            doc = read_text(ARTICLE + f"\nEdition {n}.", title=f"Water bills {n}")
            article = ana.add_document(doc, candidates=candidates_for(doc.text)).value
            claims += ana.claims(article.id)
        for i, c in enumerate(claims[:8]):
            ana.set_status(c.id, "disputed", f"check {i}")
        for i, c in enumerate(claims[8:11]):
            ana.attach_bytes(c.id, f"file {i} ".encode() * 1000, f"f{i}.txt")
        native = ana.sync_status().to_send
    killed = [_sync_killed_after(a_path, team, n) for n in (1, 2, 3)]
    assert all(killed[:2])
    with Workspace.open(a_path, actor="ana") as ana:
        _verified(ana)
        ana.sync(team)
        assert not ana.sync().moved
    # a new laptop: its first sync makes its board
    killed = [_sync_killed_after(b_path, team, n, "--plaintext") for n in (2, 3)]
    assert killed[0]
    with _open(a_path, "ana") as ana, _open(b_path, "ben") as ben, Workspace.open(team) as server:
        _verified(ben)
        ben.sync(team)
        assert _state(ana) == _state(ben) == _state(server)
        assert len(_state(ben)) == 12
        # every change of Ana's is on the team board once, and on Ben's board once
        for ws in (server, ben):
            updates = [e for e in ws.history() if e.op == "update"]
            assert len(updates) == 8
        assert native == 17  # 6 imports, 8 verdicts, 3 files
        _verified(ana, ben, server)


def test_two_laptops_syncing_at_the_same_moment_serialise(
    team: str, laptops: tuple[Path, Path]
) -> None:
    import threading

    a_path, b_path = laptops
    with _open(a_path, "ana") as ana:
        _article, (c1, c2) = _first_article(ana)
        ana.sync(team)
    with _open(b_path, "ben") as ben:
        ben.sync(team)
    with _open(a_path, "ana") as ana, _open(b_path, "ben") as ben:
        for i in range(5):
            ana.set_status(c1, ("disputed", "verified")[i % 2], f"ana {i}")
            ben.attach_note(c2, f"ben's note {i}")
        errors: list[BaseException] = []

        def run(ws: Workspace) -> None:
            try:
                ws.sync()
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(ws,)) for ws in (ana, ben)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        ana.sync()  # whoever went first gets the other's work now
        ben.sync()
        with Workspace.open(team) as server:
            assert _state(ana) == _state(ben) == _state(server)
            assert len(ana.evidence(c2)) == 5 and ana.claim(c1).explanation == "ana 4"
            _verified(ana, ben, server)


def test_the_journalist_keeps_working_while_a_sync_runs(
    team: str, laptops: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from factdesk.store import sync as store_sync

    monkeypatch.setattr(store_sync, "BATCH", 2)  # a long sync, many transactions
    a_path, b_path = laptops
    with _open(a_path, "ana") as ana:
        _article, (c1, c2) = _first_article(ana)
        for i in range(10):
            ana.attach_note(c2, f"note {i}")
        done: list[object] = []
        worker = threading.Thread(target=lambda: done.append(ana.sync(team)))
        worker.start()
        for i in range(10):  # verdicts typed meanwhile, on the same board
            ana.set_status(c1, ("disputed", "verified")[i % 2], f"while syncing {i}")
        worker.join()
        assert done and ana.claim(c1).explanation == "while syncing 9"
        ana.sync()
        assert not ana.sync().moved
        _verified(ana)
    with _open(b_path, "ben") as ben:
        ben.sync(team)
        assert ben.claim(c1).explanation == "while syncing 9"
        assert len(ben.evidence(c2)) == 10
        _verified(ben)


def _marked_claim(ws: Workspace, article_id: str) -> str:
    text = ws.article(article_id).text
    start = text.index("water")
    return ws.mark_claim(article_id, start, start + 20).value.id


@pytest.mark.parametrize("first", ["remover", "editor"])
def test_a_claim_removed_on_one_laptop_and_changed_on_the_other_is_a_conflict(
    team: str, laptops: tuple[Path, Path], capsys: pytest.CaptureFixture[str], first: str
) -> None:
    a_path, b_path = laptops
    with _open(a_path, "ana") as ana:
        article_id, _claims = _first_article(ana)
        marked = _marked_claim(ana, article_id)
        ana.sync(team)
    with _open(b_path, "ben") as ben:
        ben.sync(team)
        ben.set_status(marked, "disputed", "Ben: the utility denies it.")
        ben.attach_note(marked, "Ben rang the utility")
    with _open(a_path, "ana") as ana:
        assert ana.undo().value.startswith("Mark claim")  # removes the claim Ana marked
    order = [(a_path, "ana"), (b_path, "ben")]
    if first == "editor":
        order.reverse()
    for path, actor in order + order:
        with _open(path, actor) as ws:
            ws.sync()
    with _open(a_path, "ana") as ana, _open(b_path, "ben") as ben, Workspace.open(team) as server:
        # nothing lost: the claim is on every board with Ben's work, marked in conflict
        for ws in (ana, ben, server):
            claim = ws.claim(marked)
            assert (claim.status.value, claim.explanation) == (
                "disputed",
                "Ben: the utility denies it.",
            ), ws.location
            assert [e.evidence.notes for e in ws.evidence(marked)] == ["Ben rang the utility"]
            assert ws.conflicted_claims() == {marked}, ws.location
        assert [(c.field, c.mine, c.theirs, c.their_actor) for c in ana.conflicts()] == [
            ("removed", True, False, "ben")
        ]
        assert [(c.field, c.mine, c.theirs, c.their_actor) for c in ben.conflicts()] == [
            ("removed", False, True, "ana")
        ]
        _verified(ana, ben, server)
    assert cli.run(["--board", str(a_path), "conflicts"]) == 0
    shown = capsys.readouterr().out
    assert "removed on one side, changed on the other" in shown
    assert "mine:   removed" in shown and "theirs: kept, with the changes made to it" in shown
    # Ana keeps her removal: the claim and Ben's note on it go, on every board
    assert cli.run(["--board", str(a_path), "resolve", marked[:8], "--keep", "mine"]) == 0
    assert "removed" in capsys.readouterr().out
    for path, actor in [(a_path, "ana"), (b_path, "ben"), (a_path, "ana")]:
        with _open(path, actor) as ws:
            ws.sync()
    with _open(a_path, "ana") as ana, _open(b_path, "ben") as ben, Workspace.open(team) as server:
        for ws in (ana, ben, server):
            assert marked not in _state(ws), ws.location
            assert not ws.conflicts() and not ws.conflicted_claims()
        assert _state(ana) == _state(ben) == _state(server)
        _verified(ana, ben, server)


def test_keeping_a_claim_removed_elsewhere_keeps_it_everywhere(
    team: str, laptops: tuple[Path, Path]
) -> None:
    a_path, b_path = laptops
    with _open(a_path, "ana") as ana:
        article_id, _claims = _first_article(ana)
        marked = _marked_claim(ana, article_id)
        ana.sync(team)
    with _open(b_path, "ben") as ben:
        ben.sync(team)
        ben.edit_claim(marked, claimant="the utility's spokesman")
    with _open(a_path, "ana") as ana:
        ana.undo()
        ana.sync()
    with _open(b_path, "ben") as ben:
        assert ben.sync().conflicts == 1
        assert ben.resolve_conflict(marked, "mine").value is not None  # kept, as Ben sees it
        ben.sync()
    with _open(a_path, "ana") as ana, _open(b_path, "ben") as ben, Workspace.open(team) as server:
        ana.sync()
        for ws in (ana, ben, server):
            assert ws.claim(marked).claimant == "the utility's spokesman"
            assert not ws.conflicts()
        assert _state(ana) == _state(ben) == _state(server)
        _verified(ana, ben, server)


def test_a_conflict_reaches_the_laptop_that_synced_first_and_a_resolution_there_ends_it(
    team: str, laptops: tuple[Path, Path]
) -> None:
    a_path, b_path = laptops
    with _open(a_path, "ana") as ana:
        _article, (c1, _c2) = _first_article(ana)
        ana.sync(team)
    with _open(b_path, "ben") as ben:
        ben.sync(team)
        ben.set_status(c1, "verified", "Ben: the council's own figure.")
        ben.sync()  # first: the team board takes Ben's verdict
    with _open(a_path, "ana") as ana:
        ana.set_status(c1, "disputed", "Ana: the minutes say 14 percent.")
        assert ana.sync().conflicts == 2
    with _open(b_path, "ben") as ben, Workspace.open(team) as server:
        ben.sync()
        # Ben learns of it too, with his own version as "mine" (the one the team board shows)
        assert ben.conflicted_claims() == {c1} == server.conflicted_claims()
        seen = {c.field: (c.mine, c.theirs, c.their_actor) for c in ben.conflicts()}
        assert seen == {
            "status": ("verified", "disputed", "ana"),
            "explanation": (
                "Ben: the council's own figure.",
                "Ana: the minutes say 14 percent.",
                "ana",
            ),
        }
        # Ben takes Ana's version: resolved on his board, then on every board
        ben.resolve_conflict(c1, "theirs")
        assert not ben.conflicts()
        ben.sync()
        assert not server.conflicts()
    with _open(a_path, "ana") as ana, _open(b_path, "ben") as ben, Workspace.open(team) as server:
        ana.sync()
        assert not ana.conflicts() and ana.sync_status().open_conflicts == 0
        for ws in (ana, ben, server):
            claim = ws.claim(c1)
            assert (claim.status.value, claim.explanation) == (
                "disputed",
                "Ana: the minutes say 14 percent.",
            ), ws.location
        assert not ana.sync().moved and not ben.sync().moved
        _verified(ana, ben, server)


def test_a_conflict_kept_before_schema_0011_is_still_shown_and_resolved(
    tmp_path: Path, factdesk_home: Path
) -> None:
    """Revision 0011 lets conflicts travel (who found one, whose version is "mine"); a board
    upgraded with a conflict open keeps showing it as found here, and resolves it."""
    from alembic import command
    from sqlalchemy import create_engine

    from factdesk.store import migrate

    path = tmp_path / "old.fdb"
    with Workspace.open(path, home=factdesk_home, plaintext=True, actor="ana") as ws:
        _article, (c1, _c2) = _first_article(ws)
        ws.set_status(c1, "disputed", "Ana: the minutes say 14 percent.")
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.downgrade(migrate._config(conn), "0010")
        conn.exec_driver_sql(
            "INSERT INTO sync_conflicts (id, claim_id, field, mine, theirs, base, their_actor, "
            "their_board, detected_seq, detected_at, resolved_at, resolution) VALUES ('k1', ?, "
            "'explanation', '\"Ana: the minutes say 14 percent.\"', '\"Ben: 18 percent.\"', "
            "'\"\"', 'ben', 'team', 3, '2026-01-01T00:00:00+00:00', '', '')",
            (c1,),
        )
    engine.dispose()
    with Workspace.open(path, home=factdesk_home, plaintext=True, actor="ana") as ws:
        assert ws.info().schema_revision == migrate.HEAD
        assert [(c.field, c.mine, c.theirs, c.their_actor) for c in ws.conflicts()] == [
            ("explanation", "Ana: the minutes say 14 percent.", "Ben: 18 percent.", "ben")
        ]
        ws.resolve_conflict(c1, "theirs")
        assert ws.claim(c1).explanation == "Ben: 18 percent." and not ws.conflicts()
        _verified(ws)
    assert list(factdesk_home.rglob("old-schema-0010-*.fdb"))  # backed up first


def test_an_article_sent_back_names_its_file_as_the_team_board_knows_it(
    team: str, laptops: tuple[Path, Path]
) -> None:
    """Ben held the article's original file under his own id when he first pulled the article
    (the same bytes, attached earlier): when he sends the article back to the team board (Ana
    removed it while he checked one of its claims), the team board knows that file under
    Ana's id, and the article names it so there."""
    from dataclasses import replace

    from factdesk.importers import read_text

    minutes = b"%PDF-1.4 the council's minutes " * 200
    a_path, b_path = laptops
    with _open(a_path, "ana") as ana:
        doc = replace(
            read_text(ARTICLE, title="Town council raises water bills"),
            original_bytes=minutes,
            original_name="minutes.pdf",
            original_media_type="application/pdf",
        )
        article = ana.add_document(doc, candidates=candidates_for(doc.text)).value
        c1 = ana.claims(article.id)[0].id
        ana.sync(team)
    with _open(b_path, "ben") as ben:
        # before his first sync, Ben attached the same file to a claim of his own article
        own = read_text(ARTICLE.replace("water", "gas"), title="Gas bills")
        own_article = ben.add_document(own, candidates=candidates_for(own.text)).value
        ben.attach_bytes(ben.claims(own_article.id)[0].id, minutes, "minutes-ben.pdf")
        ben.sync(team)
        assert ben.article(article.id).original_attachment_id != article.original_attachment_id
        ben.set_status(c1, "disputed", "Ben: the minutes say 14 percent.")
    with _open(a_path, "ana") as ana:
        assert ana.undo().value.startswith("Import article")
        ana.sync()
    with _open(b_path, "ben") as ben:
        assert ben.sync().conflicts == 1  # Ben's claim kept, and sent back with its article
    with _open(a_path, "ana") as ana, _open(b_path, "ben") as ben, Workspace.open(team) as server:
        ana.sync()
        for ws in (ana, ben, server):
            claim = ws.claim(c1)
            assert claim.explanation == "Ben: the minutes say 14 percent.", ws.location
            assert ws.conflicted_claims() == {c1}, ws.location
            original = ws.article(article.id).original_attachment_id
            assert original is not None and ws.attachment_data(original) == minutes
        assert _state(ana) == _state(ben) == _state(server)
        _verified(ana, ben, server)


@pytest.mark.parametrize("first", ["remover", "editor"])
def test_an_article_removed_on_one_laptop_while_the_other_added_a_claim_to_it_is_a_conflict(
    team: str, laptops: tuple[Path, Path], capsys: pytest.CaptureFixture[str], first: str
) -> None:
    a_path, b_path = laptops
    with _open(a_path, "ana") as ana:
        article_id, (c1, c2) = _first_article(ana)
        ana.sync(team)
    with _open(b_path, "ben") as ben:
        ben.sync(team)
        added = _marked_claim(ben, article_id)  # a claim of Ben's own in Ana's article
        ben.set_status(c1, "disputed", "Ben: the utility denies it.")
    with _open(a_path, "ana") as ana:
        assert ana.undo().value.startswith("Import article")  # the article and its claims go
    order = [(a_path, "ana"), (b_path, "ben")]
    if first == "editor":
        order.reverse()
    for path, actor in order + order:
        with _open(path, actor) as ws:
            ws.sync()
    with _open(a_path, "ana") as ana, _open(b_path, "ben") as ben, Workspace.open(team) as server:
        # the article is back on every board with Ben's work in it (the claim nobody touched
        # stays removed), and both of Ben's claims are marked in conflict
        for ws in (ana, ben, server):
            assert [a.id for a in ws.list_articles()] == [article_id], ws.location
            assert set(_state(ws)) == {c1, added}, ws.location
            assert ws.claim(c1).explanation == "Ben: the utility denies it."
            assert ws.conflicted_claims() == {c1, added}, ws.location
        assert {
            (c.claim_id, c.field, c.mine, c.theirs, c.their_actor) for c in ana.conflicts()
        } == {
            (c1, "removed", True, False, "ben"),
            (added, "removed", True, False, "ben"),
        }
        assert {(c.claim_id, c.field, c.mine, c.theirs) for c in ben.conflicts()} == {
            (c1, "removed", False, True),
            (added, "removed", False, True),
        }
        assert _state(ana) == _state(ben) == _state(server)
        _verified(ana, ben, server)
    assert c2  # removed with the article: nobody changed it
    assert cli.run(["--board", str(a_path), "conflicts"]) == 0
    shown = capsys.readouterr().out
    assert shown.count("removed on one side, changed on the other") == 2
    assert "its whole article was removed on the other side" in shown
    # Ana keeps her removal of both: the claims go, and the article with the last of them
    for claim_id in (c1, added):
        assert cli.run(["--board", str(a_path), "resolve", claim_id[:8], "--keep", "mine"]) == 0
    capsys.readouterr()
    for path, actor in [(a_path, "ana"), (b_path, "ben"), (a_path, "ana")]:
        with _open(path, actor) as ws:
            ws.sync()
    with _open(a_path, "ana") as ana, _open(b_path, "ben") as ben, Workspace.open(team) as server:
        for ws in (ana, ben, server):
            assert ws.list_articles() == [] and _state(ws) == {}, ws.location
            assert not ws.conflicts() and not ws.conflicted_claims()
        _verified(ana, ben, server)


def test_the_same_article_imported_on_two_laptops_is_said_to_be_the_same_text(
    team: str, laptops: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Both imported the story before syncing: two articles (each with its own claims and
    verdicts) meet on every board, and each board says they hold the same text."""
    a_path, b_path = laptops
    with _open(a_path, "ana") as ana:
        a_article, (a1, _a2) = _first_article(ana)
        ana.set_status(a1, "disputed", "Ana: the minutes say 14 percent.")
        assert ana.sync(team).same_text == 0
    with _open(b_path, "ben") as ben:
        b_article, (b1, _b2) = _first_article(ben)  # the same text, imported offline
        assert b_article != a_article
        assert ben.sync(team).same_text == 1
    with _open(a_path, "ana") as ana:
        assert ana.sync().same_text == 1
    with _open(a_path, "ana") as ana, _open(b_path, "ben") as ben, Workspace.open(team) as server:
        for ws in (ana, ben, server):
            listed = {a.id: a.same_text_as for a in ws.list_articles()}
            assert listed == {a_article: (b_article,), b_article: (a_article,)}, ws.location
            assert ws.claim(a1).explanation == "Ana: the minutes say 14 percent."
            assert ws.claim(b1).status.value == "unverified"
        assert not ana.sync().moved
        _verified(ana, ben, server)
    assert cli.run(["--board", str(b_path), "list"]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert f"{a_article[:8]}" in next(line for line in shown if line.startswith(b_article[:8]))
    assert all("same text as" in line for line in shown)
