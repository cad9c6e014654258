"""Logging set-up: a rotating file under the logs directory, warnings to stderr."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path


def configure(log_file: Path | None, verbose: bool = False) -> None:
    root = logging.getLogger("factdesk")
    if root.handlers:
        return
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    stderr = logging.StreamHandler()
    stderr.setLevel(logging.DEBUG if verbose else logging.WARNING)
    stderr.setFormatter(logging.Formatter("factdesk: %(message)s"))
    root.addHandler(stderr)
    if log_file is not None:
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.handlers.RotatingFileHandler(
                log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
            )
        except OSError:
            return
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
