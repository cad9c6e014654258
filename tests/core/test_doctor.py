"""`factdesk doctor` on a broken install names each failure with its fix; on a good one it passes.

The broken install is real: a copy of the package without its model file, keyring's own failing
backend, no display, and a home that cannot be created.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import factdesk
from factdesk import display, doctor

PACKAGE = Path(factdesk.__file__).resolve().parent


def _env_without_display(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "PYTHON_KEYRING_BACKEND")
    }
    env.update(extra)
    return env


def test_doctor_names_every_failure_of_a_broken_install_with_its_fix(tmp_path: Path) -> None:
    broken = tmp_path / "install"
    shutil.copytree(PACKAGE, broken / "factdesk", ignore=shutil.ignore_patterns("__pycache__"))
    (broken / "factdesk" / "nlp" / "model" / "checkworthiness.npz").unlink()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the home folder should go", encoding="utf-8")
    env = _env_without_display(
        PYTHONPATH=str(broken),
        FACTDESK_HOME=str(blocker / "home"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    done = subprocess.run(
        [sys.executable, "-m", "factdesk", "doctor"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    out = done.stdout
    assert done.returncode == 1, out + done.stderr
    assert str(broken) in out  # the copy ran, not the checkout
    rows = {
        name: next(line for line in out.splitlines() if f"  {name} " in line)
        for name in ("data folder", "window", "claim detection", "keyring")
    }
    for name, line in rows.items():
        assert line.startswith("FAIL"), line
        assert " -> " in line, f"{name} names no fix: {line}"
    assert "not a folder" in rows["data folder"] and "FACTDESK_HOME" in rows["data folder"]
    assert "no display" in rows["window"] and "desktop session" in rows["window"]
    assert "checkworthiness.npz is missing" in rows["claim detection"]
    assert "reinstall factdesk" in rows["claim detection"]
    assert "cannot be stored" in rows["keyring"] and "passphrase" in rows["keyring"]
    assert out.rstrip().endswith("then run factdesk doctor again.")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_doctor_fails_on_a_read_only_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o555)
    try:
        report = list(doctor._folders(str(home)))
    finally:
        home.chmod(0o755)
    assert all(c.status == doctor.FAIL and "not writable" in c.detail for c in report)


def test_doctor_passes_on_a_working_install_with_an_encrypted_board(tmp_path: Path) -> None:
    from factdesk.services import Workspace

    with Workspace.open() as ws:  # the default board, its key in the (test) keyring
        ws.import_text("The port handled 4.2 million containers in 2023.", detect=False)
    out = io.StringIO()
    code = doctor.run(argparse.Namespace(home=None, board=None), out)
    text = out.getvalue()
    assert code == 0, text
    board = next(line for line in text.splitlines() if "  board " in line)
    assert board.startswith("ok") and "encrypted (SQLCipher)" in board
    assert "history verified (1 event)" in board and "1 article, 0 claims" in board
    assert "a test claim found" in text
    assert "stores and returns a key" in text
    assert "platform plugin offscreen" in text  # the suite's Qt platform
    # doctor wrote nothing: its keyring probe is gone and no folder was made for it
    assert not (tmp_path / "home" / "logs").exists()


def test_doctor_fails_on_a_tampered_board(tmp_path: Path) -> None:
    import sqlite3

    from factdesk.services import Workspace

    board = tmp_path / "plain.fdb"
    with Workspace.open(board, plaintext=True) as ws:
        ws.import_text("The port handled 4.2 million containers in 2023.", detect=False)
    with sqlite3.connect(board) as db:
        db.execute("UPDATE history SET actor = 'someone else' WHERE seq = 1")
    check = doctor._board(str(board), None)
    assert check.status == doctor.FAIL, check
    assert "history check FAILED" in check.detail and "board verify" in check.fix


def test_doctor_says_how_to_accept_events_written_without_the_chain_secret(
    tmp_path: Path, memory_keyring: Any
) -> None:
    """A colleague without the chain secret wrote to the board: not damage, so doctor's fix is
    to look at those events and accept them, not to restore a backup."""
    from factdesk.services import Workspace

    board = tmp_path / "plain.fdb"
    with Workspace.open(board, plaintext=True) as ws:
        ws.import_text("The port handled 4.2 million containers in 2023.", detect=False)
    mine = dict(memory_keyring.secrets)
    memory_keyring.secrets = {k: v for k, v in mine.items() if not k[1].startswith("chain-")}
    with Workspace.open(board, create=False) as ws:  # the colleague's computer
        ws.import_text("Exports rose by 3 percent in the year to March.", detect=False)
    memory_keyring.secrets = mine
    check = doctor._board(str(board), None)
    assert check.status == doctor.FAIL, check
    assert "factdesk board accept FIRST-LAST" in check.fix, check
    assert "restore a backup" not in check.fix.split("otherwise")[0], check


def _open_fails_in_one_line(env: dict[str, str], cwd: Path) -> str:
    """`factdesk open --sample` where no window can be shown: exit 1 and one line on stderr."""
    done = subprocess.run(
        [sys.executable, "-m", "factdesk", "open", "--sample"],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_open_without_a_display_says_so_in_one_line(tmp_path: Path) -> None:
    line = _open_fails_in_one_line(_env_without_display(), tmp_path)
    assert "cannot open the window" in line and "DISPLAY" in line


def test_open_on_an_unreachable_x_display_says_so_in_one_line(tmp_path: Path) -> None:
    env = dict(_env_without_display(), DISPLAY=":4243", QT_QPA_PLATFORM="xcb")
    line = _open_fails_in_one_line(env, tmp_path)
    assert ":4243" in line and "DISPLAY must name a running X server" in line, line
    assert "libxcb-cursor0" not in line, "the fix for a missing library, not for this"


def test_an_unreachable_x_display_is_named() -> None:
    reason = display.problem({"DISPLAY": ":4243"}, "linux")
    assert reason == "the X display :4243 cannot be reached"
    assert display.problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display.problem({}, "darwin") is None


def test_doctor_checks_the_postgres_client_and_names_an_unreachable_team_board() -> None:
    pytest.importorskip("psycopg")
    url = "postgresql://factdesk@127.0.0.1:1/team"  # nothing listens on port 1
    client = doctor._postgres()
    assert client.status == doctor.OK
    assert "psycopg" in client.detail and "libpq" in client.detail
    team = doctor._board(url, None)
    assert team.name == "team board" and team.status == doctor.FAIL, team
    assert "Cannot reach" in team.detail and "server" in team.fix
