"""The domain: frozen records, enums, Changes and errors shared by every layer. No I/O here.

Each name is imported from its module when first used (PEP 562): the window's frame needs an
enum or two, not the records (a dozen frozen dataclasses, 10-15 ms to create at start-up).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from factdesk.domain.changes import Changes, Outcome
    from factdesk.domain.enums import ClaimKind, ClaimOrigin, ClaimStatus, EvidenceKind, Stance
    from factdesk.domain.errors import (
        AmbiguousIdError,
        BoardDamagedError,
        BoardError,
        BoardLockedError,
        BoardTooNewError,
        FactdeskError,
        ImportFailedError,
        InsecureServerError,
        InvalidInputError,
        KeyUnavailableError,
        NetworkDisabledError,
        NoBoardError,
        NotFoundError,
        WrongKeyError,
    )
    from factdesk.domain.priority import Priority, article_tiers
    from factdesk.domain.records import (
        ArticleRecord,
        ArticleSummary,
        AttachmentRecord,
        BoardInfo,
        ClaimCandidate,
        ClaimRecord,
        EntitySpan,
        EvidenceLinkRecord,
        EvidenceRecord,
        HistoryEventRecord,
        ImportedDocument,
        SearchHit,
        UndoStatus,
        UnsealedRecord,
        VerifyProblem,
        VerifyReport,
    )

_MODULE_OF = {
    "AmbiguousIdError": "errors",
    "article_tiers": "priority",
    "ArticleRecord": "records",
    "ArticleSummary": "records",
    "AttachmentRecord": "records",
    "BoardDamagedError": "errors",
    "BoardError": "errors",
    "BoardInfo": "records",
    "BoardLockedError": "errors",
    "BoardTooNewError": "errors",
    "Changes": "changes",
    "ClaimCandidate": "records",
    "ClaimKind": "enums",
    "ClaimOrigin": "enums",
    "ClaimRecord": "records",
    "ClaimStatus": "enums",
    "EntitySpan": "records",
    "EvidenceKind": "enums",
    "EvidenceLinkRecord": "records",
    "EvidenceRecord": "records",
    "FactdeskError": "errors",
    "HistoryEventRecord": "records",
    "ImportedDocument": "records",
    "ImportFailedError": "errors",
    "InsecureServerError": "errors",
    "InvalidInputError": "errors",
    "KeyUnavailableError": "errors",
    "NetworkDisabledError": "errors",
    "NoBoardError": "errors",
    "NotFoundError": "errors",
    "Outcome": "changes",
    "Priority": "priority",
    "SearchHit": "records",
    "Stance": "enums",
    "UndoStatus": "records",
    "UnsealedRecord": "records",
    "VerifyProblem": "records",
    "VerifyReport": "records",
    "WrongKeyError": "errors",
}

__all__ = [
    "AmbiguousIdError",
    "ArticleRecord",
    "ArticleSummary",
    "AttachmentRecord",
    "BoardDamagedError",
    "BoardError",
    "BoardInfo",
    "BoardLockedError",
    "BoardTooNewError",
    "Changes",
    "ClaimCandidate",
    "ClaimKind",
    "ClaimOrigin",
    "ClaimRecord",
    "ClaimStatus",
    "EntitySpan",
    "EvidenceKind",
    "EvidenceLinkRecord",
    "EvidenceRecord",
    "FactdeskError",
    "HistoryEventRecord",
    "ImportFailedError",
    "ImportedDocument",
    "InsecureServerError",
    "InvalidInputError",
    "KeyUnavailableError",
    "NetworkDisabledError",
    "NoBoardError",
    "NotFoundError",
    "Outcome",
    "Priority",
    "SearchHit",
    "Stance",
    "UndoStatus",
    "UnsealedRecord",
    "VerifyProblem",
    "VerifyReport",
    "WrongKeyError",
    "article_tiers",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # once: the next use is a plain lookup
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_MODULE_OF])
