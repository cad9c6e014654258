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
