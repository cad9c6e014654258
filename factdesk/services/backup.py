"""Restoring a board from a backup: the backup is verified first, the board as it was is moved
aside into the backups folder (never deleted), and the copy takes the board's name in one step."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from factdesk import paths as paths_mod
from factdesk import settings as settings_mod
from factdesk.domain import BoardDamagedError, InvalidInputError, NotFoundError
from factdesk.services.opening import PassphraseProvider
from factdesk.services.workspace import Workspace


@dataclass(frozen=True)
class Restored:
    board: Path
    backup: Path
    kept: Path | None  # where the board as it was now lies (None: there was no board)


def restore(
    backup: str | os.PathLike[str],
    target: str | os.PathLike[str] | None = None,
    *,
    home: str | os.PathLike[str] | None = None,
    passphrase: PassphraseProvider | None = None,
) -> Restored:
    p = paths_mod.resolve(home)
    settings = settings_mod.load(p.settings_file)
    src = Path(backup).expanduser().resolve()
    if not src.is_file():
        raise NotFoundError(f"There is no backup at {src}.")
    board = Path(target or settings.default_board or p.default_board).expanduser().resolve()
    if src == board:
        raise InvalidInputError("The backup is the board itself: name a backup file.")
    with Workspace.open(src, home=home, read_only=True, passphrase=passphrase) as ws:
        report = ws.verify()
    if not report.ok:
        first = report.problems[0]
        raise BoardDamagedError(
            f"The backup {src} does not verify ({first.where}: {first.what}); the board was "
            "left as it was."
        )
    kept: Path | None = None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    tmp = board.with_name(f".{board.name}.{os.getpid()}.partial")
    old_umask = os.umask(0o077)
    try:
        board.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, tmp)
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
        if board.exists():
            kept = (
                paths_mod.ensure(p.backups) / f"{board.stem}-before-restore-{stamp}{board.suffix}"
            )
            for suffix in ("", "-wal", "-shm"):
                old = Path(str(board) + suffix)
                if old.exists():
                    shutil.move(old, str(kept) + suffix)
        os.replace(tmp, board)
    finally:
        os.umask(old_umask)
        tmp.unlink(missing_ok=True)
    return Restored(board, src, kept)
