"""Run code in a fresh Python: for tests of what importing or starting something loads."""

from __future__ import annotations

import subprocess
import sys


def run_python(code: str, *, timeout: float = 120, env: dict[str, str] | None = None) -> str:
    """What `code` printed, run by this interpreter in a new process; its errors fail the test."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, env=env
    )
    if done.returncode != 0:
        raise AssertionError(f"the child exited with {done.returncode}:\n{done.stderr[-3000:]}")
    return done.stdout
