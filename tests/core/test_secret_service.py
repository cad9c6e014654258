"""The board key in a real Secret Service (gnome-keyring inside a private D-Bus session)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

CHILD = textwrap.dedent(
    """
    import sys
    from factdesk import secrets
    from factdesk.services import Workspace
    board = sys.argv[1]
    with Workspace.open(board) as ws:
        ws.import_text("The port handled 4.2 million containers in 2023, the authority said.", detect=False)
        print("source", ws.info().key_source)
    with Workspace.open(board, create=False) as ws:
        print("articles", len(ws.list_articles()))
    print("backend", secrets.backend_name())
    """
)


@pytest.mark.secret_service
@pytest.mark.skipif(
    not (shutil.which("gnome-keyring-daemon") and shutil.which("dbus-run-session")),
    reason="needs Debian's gnome-keyring and dbus (installed by .ci/run)",
)
def test_board_key_lives_in_a_real_secret_service(tmp_path: Path) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    shell = (
        "printf 'ci-login' | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; "
        f"exec {sys.executable} {script} {tmp_path / 'board.fdb'}"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHON_KEYRING_BACKEND", "FACTDESK_PASSPHRASE")
    }
    env["FACTDESK_HOME"] = str(tmp_path / "home")
    env["HOME"] = str(tmp_path)  # gnome-keyring keeps its login keyring under $HOME
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    done = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", shell],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "source keyring (SecretService Keyring)" in done.stdout
    assert "articles 1" in done.stdout
    # the key went to the keyring, not to disk beside the board
    on_disk = b"".join(p.read_bytes() for p in (tmp_path / "home").rglob("*") if p.is_file())
    assert b"x'" not in on_disk
