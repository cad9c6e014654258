"""Restoring a board from a backup: the backup is verified first, the board as it was is kept in
the backups folder (never deleted), and the copy takes the board's name in one step.

Killed at any moment, the board's name holds a whole board, the old one or the restored one, and
every earlier backup is untouched: each copy is made under a hidden partial name and renamed, and
the old board's write-ahead log is folded into it first, so no log of the old board can ever be
read against the restored file. What a kill leaves (a hidden partial) the next restore removes."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from factdesk import paths as paths_mod
from factdesk import settings as settings_mod
from factdesk import store
from factdesk.domain import BoardDamagedError, BoardError, InvalidInputError, NotFoundError
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
    old_umask = os.umask(0o077)
    try:
        board.parent.mkdir(parents=True, exist_ok=True)
        store.remove_stale_partials(board.parent)
        tmp = board.with_name(f".{board.name}.{os.getpid()}{store.PARTIAL}")
        _copy_synced(src, tmp)
        try:
            if board.exists():
                _fold_log(board, home, passphrase)
                backups = paths_mod.ensure(p.backups)
                store.remove_stale_partials(backups)
                kept = backups / f"{board.stem}-before-restore-{stamp}{board.suffix}"
                _copy_synced(board, kept.with_name(f".{kept.name}.{os.getpid()}{store.PARTIAL}"))
                os.replace(kept.with_name(f".{kept.name}.{os.getpid()}{store.PARTIAL}"), kept)
                for suffix in ("-wal", "-shm"):
                    old = Path(str(board) + suffix)
                    if old.exists():
                        # kept beside the copy: a log that could not be folded (a damaged
                        # board) still opens with it
                        shutil.copy2(old, str(kept) + suffix)
            os.replace(tmp, board)
        finally:
            tmp.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(str(board) + suffix).unlink(missing_ok=True)
    finally:
        os.umask(old_umask)
    return Restored(board, src, kept)


def _copy_synced(src: Path, dest: Path) -> None:
    shutil.copyfile(src, dest)
    with dest.open("rb+") as f:
        os.fsync(f.fileno())


def _fold_log(
    board: Path, home: str | os.PathLike[str] | None, passphrase: PassphraseProvider | None
) -> None:
    """Fold the board's write-ahead log into its file (SQLite does as the last connection
    closes), so that replacing the file can never pair the old log with the new file. A board
    that does not open (damaged, no key) keeps its log, copied aside with it; one that another
    program has open is refused."""
    from factdesk.domain import FactdeskError

    try:
        Workspace.open(board, home=home, read_only=True, passphrase=passphrase).close()
    except FactdeskError:
        return
    log = Path(str(board) + "-wal")
    if log.exists() and log.stat().st_size > 0:
        raise BoardError(
            f"{board} is open in another program (a factdesk window?): close it, then restore."
        )
