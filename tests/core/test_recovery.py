"""A lost keyring entry is not a lost board: the recovery file written when the board was made
brings its key (and chain secret) back, and the message says exactly that."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

from factdesk import cli
from tests.core.helpers import ARTICLE


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(list(args), out, err)
    return code, out.getvalue(), err.getvalue()


def test_recovery_file_opens_the_board_after_the_keyring_is_lost(
    tmp_path: Path, memory_keyring: Any
) -> None:
    article = tmp_path / "water.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    code, _, err = run("add", "--no-detect", str(article))
    assert code == 0
    found = re.search(r"written to (\S+\.factdesk-recovery)", err)
    assert found and "WARNING" in err and "keep it somewhere safe" in err
    recovery = Path(found.group(1))
    assert oct(recovery.stat().st_mode & 0o777) == "0o600"
    assert len(json.loads(recovery.read_text())["code"].split("-")) == 16
    code, _, err = run("add", "--no-detect", str(article))  # written once, not on every open
    assert "WARNING" not in err

    memory_keyring.secrets.clear()  # a new laptop, a wiped keyring
    code, _, err = run("list")
    assert code == 1 and "factdesk board recover RECOVERY-FILE" in err

    code, out, err = run("board", "recover", str(recovery))
    assert code == 0, err
    code, out, _ = run("list")
    assert code == 0 and "Town council" in out
    code, out, _ = run("board", "verify")
    assert code == 0 and out.startswith("OK") and "could not be checked" not in out


def test_recovery_file_of_another_board_is_refused(tmp_path: Path) -> None:
    article = tmp_path / "water.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    _, _, err = run("--board", str(tmp_path / "a.fdb"), "add", "--no-detect", str(article))
    other = re.search(r"written to (\S+\.factdesk-recovery)", err)
    assert other
    run("--board", str(tmp_path / "b.fdb"), "add", "--no-detect", str(article))
    code, _, err = run("--board", str(tmp_path / "b.fdb"), "board", "recover", other.group(1))
    assert code == 1 and "belongs to another board" in err


def test_rekey_changes_the_key_and_writes_a_new_recovery_file(
    tmp_path: Path, memory_keyring: Any
) -> None:
    import sqlcipher3

    from factdesk.services import Workspace
    from factdesk.store import BoardKey, salt_hex

    article = tmp_path / "water.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    _, _, err = run("add", "--no-detect", str(article))
    first = re.search(r"written to (\S+\.factdesk-recovery)", err)
    assert first
    with Workspace.open() as ws:
        board = Path(ws.info().location)
        head = ws.info().head_hash
    entry = ("factdesk", f"board-{salt_hex(board)}")
    old_key = BoardKey(raw_hex=memory_keyring.secrets[entry])

    code, out, err = run("board", "rekey")
    assert code == 0, err
    second = re.search(r"new recovery file (\S+\.factdesk-recovery)", err)
    assert second and second.group(1) != first.group(1)
    assert memory_keyring.secrets[entry] != old_key.raw_hex
    conn = sqlcipher3.connect(str(board))
    conn.execute(f"PRAGMA key = {old_key.pragma_value()}")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
        opened_with_old_key = True
    except sqlcipher3.DatabaseError:
        opened_with_old_key = False
    finally:
        conn.close()
    assert not opened_with_old_key
    code, out, _ = run("board", "verify")
    assert code == 0 and head in out  # the same history, under a new key

    memory_keyring.secrets.clear()
    assert run("board", "recover", first.group(1))[0] == 1  # the old file no longer opens it
    assert run("board", "recover", second.group(1))[0] == 0
    assert run("list")[0] == 0
