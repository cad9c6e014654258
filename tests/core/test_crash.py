"""A process killed with SIGKILL in the middle of 1,000 status changes loses nothing it reported
committed, and leaves a board that opens and verifies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from factdesk.services import Workspace
from tests.core.helpers import ARTICLE

CHILD = textwrap.dedent(
    """
    import sys
    from factdesk.services import Workspace
    ws = Workspace.open(sys.argv[1], plaintext=True)
    article = ws.import_text(sys.argv[2], detect=False).value
    text = article.text
    claim = ws.mark_claim(article.id, 0, text.index("\\n")).value
    print("claim", claim.id, flush=True)
    for i in range(1000):
        ws.set_status(claim.id, ("verified", "disputed")[i % 2], f"change {i}")
        print("committed", i, flush=True)
    """
)


def test_sigkill_mid_run_loses_nothing_committed(tmp_path: Path) -> None:
    board = tmp_path / "crash.fdb"
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(board), ARTICLE],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "FACTDESK_HOME": str(tmp_path / "home")},
    )
    assert proc.stdout is not None
    claim_id = proc.stdout.readline().split()[1]
    last = -1
    for line in proc.stdout:
        last = int(line.split()[1])
        if last >= 300:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Workspace.open(board, create=False) as ws:
        assert ws.verify().ok
        claim = ws.claim(claim_id)
        done = int(claim.explanation.split()[1])
        assert done >= last
        assert claim.status.value == ("verified", "disputed")[done % 2]
        changes = [e for e in ws.history(claim_id=claim_id) if e.op == "update"]
        assert len(changes) == done + 1
