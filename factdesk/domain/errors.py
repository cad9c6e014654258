"""Errors a person can act on: each message says what was wrong and what to do."""

from __future__ import annotations

from pathlib import Path


class FactdeskError(Exception):
    """Base of every error factdesk reports to a person (CLI: message + non-zero exit; GUI: dialog)."""


class InvalidInputError(FactdeskError):
    """A value given by the user is not acceptable (empty explanation, offsets outside the text...)."""


class NotFoundError(FactdeskError):
    """No article, claim, evidence or attachment has that id."""


class NoBoardError(NotFoundError):
    """No board exists at the path, and the command may not create one."""


class AmbiguousIdError(FactdeskError):
    """An id prefix matches more than one row."""


class BoardError(FactdeskError):
    """The board cannot be opened or written."""


class BoardTooNewError(BoardError):
    """The board was written by a newer factdesk; this one refuses to touch it."""


class BoardLockedError(BoardError):
    """Another program holds the board's write lock for too long."""


class WrongKeyError(BoardError):
    """The key or passphrase does not open this board. The file is left untouched."""


class KeyUnavailableError(BoardError):
    """No key for this board in the keyring and no passphrase was given. `path`: the board
    file, where there is one (its recovery file can bring the key back)."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class ImportFailedError(FactdeskError):
    """An article could not be imported. `path` names the file (or URL), `reason` what was wrong."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"Cannot import {source}: {reason}")
        self.source = source
        self.reason = reason


class NetworkDisabledError(FactdeskError):
    """A network action was attempted without the user asking for it, or while offline."""


class BoardDamagedError(BoardError):
    """The board file's pages are damaged (not a wrong key): restore a backup."""
