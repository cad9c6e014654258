"""Frozen records handed out by the services. Views hold these, never ORM objects or sessions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from factdesk.domain.enums import ClaimKind, ClaimOrigin, ClaimStatus, EvidenceKind, Stance
from factdesk.domain.priority import Priority


@dataclass(frozen=True)
class EntitySpan:
    """A named entity inside a claim, with offsets into the article text."""

    start: int
    end: int
    label: str  # PERSON, ORG, GPE, LOC, NORP, DATE, TIME, CARDINAL, MONEY, PERCENT, QUANTITY...
    text: str


@dataclass(frozen=True)
class ClaimCandidate:
    """A claim found by the detector. `text == article_text[start:end]`, no outer whitespace."""

    start: int
    end: int
    text: str
    score: float  # calibrated check-worthiness in [0, 1] (0.8: about 80 % of such are)
    is_check_worthy: bool  # a claim by the detector's one rule (factdesk.nlp.decide.is_claim)
    kind: ClaimKind
    claimant: str | None  # None: the article's own author/outlet asserts it
    entities: tuple[EntitySpan, ...] = ()
    duplicate_of: int | None = None  # index of an earlier candidate saying the same thing
    paragraph: int = 0  # index of the paragraph (line) holding it
    # where the claimant is named in the article (`text[claimant_start:claimant_end] == claimant`):
    # in the sentence, or the earlier mention that "he" / "the mayor" resolved to; None if nowhere
    claimant_start: int | None = None
    claimant_end: int | None = None
    # where to start checking, ranked among the article's claims (domain.priority.article_tiers)
    # once the whole article is read: None while it is not (a batch streamed from iter_detect;
    # the board ranks those when it stores them). A candidate that is no claim is low.
    priority: Priority | None = None


@dataclass(frozen=True)
class ImportedDocument:
    """An article as read by an importer, before it is on the board.

    `text` is exactly what will be displayed and stored: Unicode NFC, `\\n` line endings,
    one paragraph per line (blank lines between paragraphs are allowed).
    """

    text: str
    source_format: str  # txt, md, html, pdf, docx, clipboard, url, paste
    title: str = ""
    outlet: str = ""
    authors: tuple[str, ...] = ()
    published: date | None = None
    url: str = ""
    language: str = "en"
    original_name: str = ""  # file name of the original, kept as an attachment
    original_bytes: bytes | None = None
    original_media_type: str = ""
    fetched_at: datetime | None = None  # for URL imports
    place: str = ""  # where the story was filed, as its dateline says ("Kyiv")


@dataclass(frozen=True)
class ArticleRecord:
    id: str
    title: str
    outlet: str
    authors: tuple[str, ...]
    published: date | None
    url: str
    language: str
    text: str
    sha256: str
    source_format: str
    imported_at: datetime
    original_attachment_id: str | None
    created_at: datetime
    updated_at: datetime
    place: str = ""  # where the story was filed, as its dateline says ("Kyiv")


@dataclass(frozen=True)
class ArticleSummary:
    """An article without its text, with counts for the articles panel."""

    id: str
    title: str
    outlet: str
    source_format: str
    imported_at: datetime
    n_verified: int
    n_disputed: int
    n_unverified: int
    n_dismissed: int
    # other articles on the board with exactly this text (the same story imported on two
    # laptops, met at a sync): kept apart, each with its own claims, and said so
    same_text_as: tuple[str, ...] = ()

    @property
    def n_claims(self) -> int:
        return self.n_verified + self.n_disputed + self.n_unverified


@dataclass(frozen=True)
class ClaimRecord:
    id: str
    article_id: str
    start: int
    end: int
    text: str
    score: float
    kind: ClaimKind
    claimant: str
    origin: ClaimOrigin
    status: ClaimStatus
    explanation: str
    rating: str
    dismissed: bool
    reviewer: str
    duplicate_of: str | None
    entities: tuple[EntitySpan, ...]
    created_at: datetime
    updated_at: datetime
    n_evidence: int = 0
    # where the claimant is named in the article (`text[claimant_start:claimant_end]`), as the
    # detector found it; None when it is named nowhere, or for claims stored before it was kept
    claimant_start: int | None = None
    claimant_end: int | None = None
    # the tier stored with the claim when it was detected (or marked): every reader shows this
    priority: Priority = Priority.NORMAL


@dataclass(frozen=True)
class AttachmentRecord:
    id: str
    sha256: str
    size: int
    media_type: str
    filename: str
    created_at: datetime


@dataclass(frozen=True)
class EvidenceRecord:
    id: str
    kind: EvidenceKind
    url: str
    title: str
    publisher: str
    author: str
    published: date | None
    accessed: date | None
    quote: str
    notes: str
    attachment: AttachmentRecord | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class EvidenceLinkRecord:
    """One piece of evidence as it bears on one claim."""

    id: str
    claim_id: str
    stance: Stance
    note: str
    evidence: EvidenceRecord
    created_at: datetime


@dataclass(frozen=True)
class HistoryEventRecord:
    """One entry of the append-only, hash-chained history."""

    seq: int
    id: str
    at: datetime
    actor: str
    action_id: str  # events of one user action share it
    action: str  # human label of the action ("Set status to verified")
    op: str  # create | update | delete
    entity: str  # article | claim | evidence | link | attachment
    entity_id: str
    claim_id: str | None
    article_id: str | None
    before: dict[str, Any]
    after: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class SearchHit:
    kind: str  # article | claim | evidence
    id: str
    article_id: str | None
    claim_id: str | None
    title: str
    snippet: str  # plain text; the matched terms wrapped in [ and ]
    rank: float


@dataclass(frozen=True)
class UndoStatus:
    can_undo: bool
    undo_label: str
    can_redo: bool
    redo_label: str


@dataclass(frozen=True)
class VerifyProblem:
    where: str  # "history event 17", "attachment 3f2a... (report.pdf)"
    what: str


@dataclass(frozen=True)
class VerifyReport:
    events_checked: int
    attachments_checked: int
    head_hash: str
    problems: tuple[VerifyProblem, ...] = field(default_factory=tuple)
    notes: tuple[str, ...] = ()  # what could not be checked here, and why (not a failure)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class UnsealedRecord:
    """A run of history events written without the board's chain secret (store/seal.py)."""

    first: int
    last: int
    actors: tuple[str, ...]  # as the events name them
    since: str
    until: str
    accepted_by: str = ""
    accepted_at: str = ""


@dataclass(frozen=True)
class BoardInfo:
    location: str  # file path, or a PostgreSQL URL without password
    backend: str  # sqlite | postgresql
    encrypted: bool
    key_source: str  # "keyring (SecretService Keyring)", "passphrase", "none (plaintext)", "server"
    schema_revision: str
    board_id: str
    n_articles: int
    n_claims: int
    n_events: int
    head_hash: str
    file_size: int | None
    # The keyed seal as the board states it (checked by verify): None when the board is not
    # sealed; whether this computer holds the chain secret (its writes seal the history);
    # events written without the secret and not accepted by someone who holds it.
    chain_secret_here: bool | None = None
    unsealed_events: int = 0
