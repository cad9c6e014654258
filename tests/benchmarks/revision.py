"""A git revision's files unpacked into a folder, for benchmarks that run an earlier factdesk
beside this checkout (its folder first on PYTHONPATH)."""

from __future__ import annotations

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def extract(rev: str, into: Path, paths: tuple[str, ...] = ("factdesk",)) -> Path:
    """`paths` of `rev` (code, and the model files git keeps beside it) written into `into`."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", rev, *paths], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into
