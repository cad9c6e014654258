"""Logging set-up: a rotating file under the logs directory, warnings to stderr."""

from __future__ import annotations

import logging
from pathlib import Path


def configure(log_file: Path | None, verbose: bool = False) -> None:
    """Warnings to stderr and, when `log_file` is given, everything from INFO (DEBUG when
    `verbose`) to that file. Once per process: later calls change nothing."""
    root = logging.getLogger("factdesk")
    if root.handlers:
        return
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    stderr = logging.StreamHandler()
    stderr.setLevel(logging.DEBUG if verbose else logging.WARNING)
    stderr.setFormatter(logging.Formatter("factdesk: %(message)s"))
    root.addHandler(stderr)
    if log_file is not None:
        add_file(log_file)


def add_file(log_file: Path) -> None:
    """Log to `log_file` too (rotated at 1 MB, three kept), unless a file is logged to already.

    The window calls this once its frame is on the screen: logging.handlers imports socket,
    pickle and queue, 8-13 ms that the frame need not wait for (nothing logs before it).
    """
    import logging.handlers

    root = logging.getLogger("factdesk")
    if any(isinstance(h, logging.FileHandler) for h in root.handlers):
        return
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
