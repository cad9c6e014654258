"""Reading commands open the board read-only: they never create one, never wait for a writer,
and a write that waits too long says so in one line."""

from __future__ import annotations

import io
import sqlite3
import time
from pathlib import Path

import pytest

from factdesk import cli
from factdesk.store import engine
from tests.core.helpers import board_with_article


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(list(args), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["board", "verify"],
        ["board", "info"],
        ["claims", "abc"],
        ["search", "water"],
        ["history", "abc"],
        ["export", "--all", "--format", "md", "-o", "x.md"],
        ["undo"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_reading_commands_never_create_a_board(
    command: list[str], factdesk_home: Path, tmp_path: Path
) -> None:
    mistyped = tmp_path / "boards" / "deafult.fdb"
    code, _, err = run("--board", str(mistyped), *command)
    assert code == 1
    assert f"There is no board at {mistyped}" in err and "Check the path" in err
    assert not mistyped.exists() and not mistyped.parent.exists()
    code, _, err = run(*command)  # a new home: no default board is made either
    assert code == 1 and "There is no board" in err
    assert not (factdesk_home / "data").exists() or not any((factdesk_home / "data").rglob("*.fdb"))


def test_reads_go_on_while_another_program_writes(
    factdesk_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, article_id, (claim_id, _) = board_with_article(factdesk_home, plaintext=True)
    path = Path(ws.info().location)
    ws.close()
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 300)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another program in the middle of a long write
    try:
        t = time.perf_counter()
        code, out, err = run("list")
        assert code == 0 and article_id[:8] in out, err
        code, out, err = run("board", "verify")
        assert code == 0 and out.startswith("OK"), out + err
        assert time.perf_counter() - t < 5
        code, out, err = run("set", claim_id[:8], "verified")
        assert code == 1
        assert err.strip() == (
            "factdesk: Another program is writing to this board; try again in a moment."
        )
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_board_being_created_is_never_seen_half_made(tmp_path: Path) -> None:
    """While one program creates a board, another opening the same path finds no board or the
    whole board, never a file without its schema; and creating leaves no debris."""
    import threading

    from factdesk.domain import NotFoundError
    from factdesk.services import Workspace

    seen: list[str] = []
    stop = threading.Event()
    targets = [tmp_path / f"b{i}.fdb" for i in range(3)]

    def poll() -> None:
        while not stop.is_set():
            for target in targets:
                try:
                    Workspace.open(target, create=False, read_only=True, plaintext=True).close()
                    seen.append("board")
                except NotFoundError:
                    seen.append("none")
                except Exception as exc:
                    seen.append(f"{type(exc).__name__}: {exc}")
            time.sleep(0.005)

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        for target in targets:
            Workspace.open(target, plaintext=True).close()
    finally:
        stop.set()
        poller.join()
    assert set(seen) <= {"board", "none"}, {s for s in seen if s not in ("board", "none")}
    (tmp_path / ".b9.fdb.999999999.creating").write_bytes(b"killed half-way")
    Workspace.open(tmp_path / "b9.fdb", plaintext=True).close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
