"""Reads and writes of the board in domain terms. Reads take a Board and return records; writes take
the Tx of the user action they belong to, so history and undo see every change."""

from __future__ import annotations

import hashlib
import json
from collections import namedtuple
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    String,
    func,
    insert,
    literal,
    select,
    tuple_,
    type_coerce,
)
from sqlalchemy.orm import Session

from factdesk.domain import (
    ArticleRecord,
    ArticleSummary,
    ClaimOrigin,
    ClaimRecord,
    ClaimStatus,
    EntitySpan,
    EvidenceLinkRecord,
    HistoryEventRecord,
    NotFoundError,
    article_tiers,
)
from factdesk.store import convert
from factdesk.store import schema as s
from factdesk.store.board import Board, Tx

# -- reads ----------------------------------------------------------------------------------


def list_articles(
    board: Board, *, after: tuple[datetime, str] | None = None, limit: int | None = None
) -> list[ArticleSummary]:
    """Articles newest first, with their claim counts (kept on write: nothing is counted);
    `after` (the imported_at and id of the last one listed) and `limit` page through them by
    key on ix_articles_listing, so a page costs the same on any board."""
    n = s.ArticleCounts
    q = (
        select(
            s.Article.id,
            s.Article.title,
            s.Article.outlet,
            s.Article.source_format,
            s.Article.imported_at,
            func.coalesce(n.n_verified, 0),
            func.coalesce(n.n_disputed, 0),
            func.coalesce(n.n_unverified, 0),
            func.coalesce(n.n_dismissed, 0),
            s.Article.sha256,
        )
        .outerjoin(n, n.article_id == s.Article.id)
        .order_by(s.Article.imported_at.desc(), s.Article.id.desc())
    )
    if after is not None:
        q = q.where(tuple_(s.Article.imported_at, s.Article.id) < tuple_(*after))
    if limit is not None:
        q = q.limit(limit)
    with board.reading() as session:
        rows = list(session.execute(q))
        twins = _same_text(session, {r[9] for r in rows})
        return [
            ArticleSummary(
                id=r[0],
                title=r[1],
                outlet=r[2],
                source_format=r[3],
                imported_at=convert.aware(r[4]),
                n_verified=int(r[5]),
                n_disputed=int(r[6]),
                n_unverified=int(r[7]),
                n_dismissed=int(r[8]),
                same_text_as=tuple(i for i in twins.get(r[9], ()) if i != r[0]),
            )
            for r in rows
        ]


def _same_text(session: Session, shas: set[str]) -> dict[str, list[str]]:
    """Text sha256 -> the ids of the articles holding it, for the shas two or more hold (the
    same story imported on two laptops stays two articles after a sync)."""
    if not shas:
        return {}
    a = s.Article
    dup = (
        select(a.sha256)
        .where(a.sha256.in_(shas))
        .group_by(a.sha256)
        .having(func.count() > 1)
        .scalar_subquery()
    )
    out: dict[str, list[str]] = {}
    for article_id, sha in session.execute(
        select(a.id, a.sha256).where(a.sha256.in_(dup)).order_by(a.imported_at, a.id)
    ):
        out.setdefault(sha, []).append(article_id)
    return out


def article_counts(board: Board, article_id: str) -> tuple[int, int, int, int]:
    """(verified, disputed, unverified, dismissed) claims of one article."""
    n = s.ArticleCounts
    with board.reading() as session:
        row = session.execute(
            select(n.n_verified, n.n_disputed, n.n_unverified, n.n_dismissed).where(
                n.article_id == article_id
            )
        ).first()
    if row is None:
        raise NotFoundError(f"No article with id {article_id} on this board.")
    return (int(row[0]), int(row[1]), int(row[2]), int(row[3]))


def get_article(board: Board, article_id: str) -> ArticleRecord:
    with board.reading() as session:
        a = session.get(s.Article, article_id)
        if a is None:
            raise NotFoundError(f"No article with id {article_id} on this board.")
        return convert.article(a)


def find_article_by_sha(board: Board, sha256: str) -> ArticleRecord | None:
    with board.reading() as session:
        a = session.scalars(select(s.Article).where(s.Article.sha256 == sha256).limit(1)).first()
        return convert.article(a) if a else None


def _n_evidence() -> Any:
    # one indexed count per claim listed, not a count of every link on the board
    return (
        select(func.count())
        .where(s.ClaimEvidence.claim_id == s.Claim.id)
        .correlate(s.Claim)
        .scalar_subquery()
        .label("n_evidence")
    )


ClaimKey = tuple[int, int, str]
# where a claim sits in the claims table: (priority tier, start, end, id)
PriorityKey = tuple[int, int, int, str]


def list_claims(
    board: Board,
    article_id: str | None = None,
    *,
    status: ClaimStatus | None = None,
    include_dismissed: bool = False,
    after: ClaimKey | None = None,
    limit: int | None = None,
) -> list[ClaimRecord]:
    """Claims in text order (article, start, end, id); `after` and `limit` page through them by
    key, so the thousandth page costs what the first does."""
    # plain columns, not ORM objects: loading 10,000 claims as entities took 0.3 s more
    q = select(*_claim_columns(board), _n_evidence())
    if article_id is not None:
        q = q.where(s.Claim.article_id == article_id)
    if status is not None:
        q = q.where(s.Claim.status == status.value)
    if not include_dismissed:
        q = q.where(s.Claim.dismissed.is_(False))
    if after is not None:
        q = q.where(tuple_(s.Claim.start, s.Claim.end, s.Claim.id) > tuple_(*after))
    if article_id is None:
        q = q.order_by(s.Claim.article_id)
    q = q.order_by(s.Claim.start, s.Claim.end, s.Claim.id)
    if limit is not None:
        q = q.limit(limit)
    return _claim_rows(board, q)


def claims_by_priority(
    board: Board,
    article_id: str,
    *,
    include_dismissed: bool = False,
    after: PriorityKey | None = None,
    through: PriorityKey | None = None,
    limit: int | None = None,
) -> list[ClaimRecord]:
    """An article's claims in the claims table's order (high priority first, text order within a
    tier), read by seeks on ix_claims_priority: those after `after`, up to `through` and at most
    `limit` of them."""
    key = tuple_(s.Claim.priority, s.Claim.start, s.Claim.end, s.Claim.id)
    q = select(*_claim_columns(board), _n_evidence()).where(s.Claim.article_id == article_id)
    if not include_dismissed:
        q = q.where(s.Claim.dismissed.is_(False))
    if after is not None:
        q = q.where(key > tuple_(*(literal(v) for v in after)))
    if through is not None:
        q = q.where(key <= tuple_(*(literal(v) for v in through)))
    q = q.order_by(s.Claim.priority, s.Claim.start, s.Claim.end, s.Claim.id)
    if limit is not None:
        q = q.limit(limit)
    return _claim_rows(board, q)


def _claim_rows(board: Board, q: Any) -> list[ClaimRecord]:
    with board.reading() as session:
        # a namedtuple's fields read faster than a Row's attributes (10,000 claims: 0.15 s less);
        # Core rows, not the ORM's, for the same reason
        make = _ClaimRow._make
        return [convert.claim(make(row), row[-1]) for row in session.connection().execute(q)]


def _claim_columns(board: Board) -> list[Any]:
    """The claim columns, times as SQLite stores them (text): one C call each to read them
    (convert.when) instead of SQLAlchemy's regular expression and a tzinfo replace."""
    cols = list(s.Claim.__table__.c)
    if board.backend != "sqlite":
        return cols
    return [
        type_coerce(c, String).label(c.key) if c.key in ("created_at", "updated_at") else c
        for c in cols
    ]


_ClaimRow = namedtuple(  # type: ignore[misc]
    "_ClaimRow", [*s.Claim.__table__.c.keys(), "n_evidence"]
)


def get_claim(board: Board, claim_id: str) -> ClaimRecord:
    with board.reading() as session:
        return _claim_record(session, claim_id)


def _claim_record(session: Any, claim_id: str) -> ClaimRecord:
    c = session.get(s.Claim, claim_id)
    if c is None:
        raise NotFoundError(f"No claim with id {claim_id} on this board.")
    n = session.scalar(
        select(func.count())
        .select_from(s.ClaimEvidence)
        .where(s.ClaimEvidence.claim_id == claim_id)
    )
    return convert.claim(c, int(n or 0))


def evidence_for(board: Board, claim_id: str) -> list[EvidenceLinkRecord]:
    with board.reading() as session:
        return _links(session, claim_id)


def _links(session: Any, claim_id: str) -> list[EvidenceLinkRecord]:
    q = (
        select(s.ClaimEvidence, s.Evidence, s.Attachment)
        .join(s.Evidence, s.Evidence.id == s.ClaimEvidence.evidence_id)
        .outerjoin(s.Attachment, s.Attachment.id == s.Evidence.attachment_id)
        .where(s.ClaimEvidence.claim_id == claim_id)
        .order_by(s.ClaimEvidence.created_at, s.ClaimEvidence.id)
    )
    return [convert.link(ln, convert.evidence(ev, att)) for ln, ev, att in session.execute(q)]


def attachment_data(board: Board, attachment_id: str) -> bytes:
    with board.reading() as session:
        found = session.scalar(select(s.Attachment.id).where(s.Attachment.id == attachment_id))
        if found is None:
            raise NotFoundError(f"No attachment with id {attachment_id} on this board.")
        return b"".join(attachment_pieces(session.connection(), attachment_id))


def resolve_article(board: Board, prefix: str) -> str:
    """The id of the one article whose id starts with `prefix`."""
    return board.resolve(s.Article, prefix, "article")


def resolve_claim(board: Board, prefix: str) -> str:
    """The id of the one claim whose id starts with `prefix`."""
    return board.resolve(s.Claim, prefix, "claim")


def _repeat_ids(session: Any, claim_id: str) -> list[str]:
    c = session.get(s.Claim, claim_id)
    if c is None:
        raise NotFoundError(f"No claim with id {claim_id} on this board.")
    original = c.duplicate_of or c.id
    q = (
        select(s.Claim.id)
        .where(
            s.Claim.article_id == c.article_id,
            (s.Claim.duplicate_of == original) | (s.Claim.id == original),
            s.Claim.id != claim_id,
            s.Claim.dismissed.is_(False),
        )
        .order_by(s.Claim.start, s.Claim.end)
    )
    return list(session.scalars(q))


def repeats_of(board: Board, claim_id: str) -> list[ClaimRecord]:
    """The other live claims saying the same thing: the original a repeat repeats, and every
    repeat of that original, in article order."""
    with board.reading() as session:
        return [_claim_record(session, i) for i in _repeat_ids(session, claim_id)]


ClaimSnapshot = tuple[ClaimRecord, tuple[EvidenceLinkRecord, ...], tuple[HistoryEventRecord, ...]]


def report_snapshot(
    board: Board, article_id: str | None, *, with_history: bool
) -> tuple[str, list[tuple[ArticleRecord, list[ClaimSnapshot]]]]:
    """The head hash and every article (oldest first, or just `article_id`) with its live claims,
    their evidence and (with `with_history`) their history, all read in one transaction, so a
    report never mixes states even while someone else writes."""
    with board.snapshot() as session:
        head = session.get(s.ChainHead, 1)
        q = select(s.Article).order_by(s.Article.imported_at, s.Article.id)
        if article_id is not None:
            q = q.where(s.Article.id == article_id)
        articles = [convert.article(a) for a in session.scalars(q)]
        if article_id is not None and not articles:
            raise NotFoundError(f"No article with id {article_id} on this board.")
        wanted = [a.id for a in articles]
        cq = (
            select(*s.Claim.__table__.c, _n_evidence())
            .where(s.Claim.dismissed.is_(False))
            .order_by(s.Claim.article_id, s.Claim.start, s.Claim.end)
        )
        if article_id is not None:
            cq = cq.where(s.Claim.article_id == article_id)
        claims = [convert.claim(_ClaimRow._make(row), row[-1]) for row in session.execute(cq)]
        links: dict[str, list[EvidenceLinkRecord]] = {}
        lq = (
            select(s.ClaimEvidence, s.Evidence, s.Attachment)
            .join(s.Evidence, s.Evidence.id == s.ClaimEvidence.evidence_id)
            .outerjoin(s.Attachment, s.Attachment.id == s.Evidence.attachment_id)
            .order_by(s.ClaimEvidence.created_at, s.ClaimEvidence.id)
        )
        if article_id is not None:
            lq = lq.join(s.Claim, s.Claim.id == s.ClaimEvidence.claim_id).where(
                s.Claim.article_id == article_id
            )
        for ln, ev, att in session.execute(lq):
            links.setdefault(ln.claim_id, []).append(convert.link(ln, convert.evidence(ev, att)))
        events: dict[str, list[HistoryEventRecord]] = {}
        if with_history:
            hq = (
                select(s.HistoryEvent)
                .where(s.HistoryEvent.claim_id.is_not(None))
                .order_by(s.HistoryEvent.seq)
            )
            if article_id is not None:
                hq = hq.where(s.HistoryEvent.article_id == article_id)
            for h in session.scalars(hq):
                events.setdefault(h.claim_id or "", []).append(convert.event(h))
    by_article: dict[str, list[ClaimSnapshot]] = {a: [] for a in wanted}
    for c in claims:
        if c.article_id in by_article:
            by_article[c.article_id].append(
                (c, tuple(links.get(c.id, ())), tuple(events.get(c.id, ())))
            )
    return (head.hash if head else ""), [(a, by_article[a.id]) for a in articles]


def creating_action(board: Board, article_id: str) -> tuple[str, str] | None:
    """The action that created an article and its state (done/undone/...), if it exists."""
    with board.reading() as session:
        row = session.execute(
            select(s.Action.id, s.Action.state)
            .join(s.HistoryEvent, s.HistoryEvent.action_id == s.Action.id)
            .where(
                s.HistoryEvent.entity == "article",
                s.HistoryEvent.entity_id == article_id,
                s.HistoryEvent.op == "create",
            )
            .order_by(s.HistoryEvent.seq.desc())
            .limit(1)
        ).first()
        return (row[0], row[1]) if row else None


# -- writes ---------------------------------------------------------------------------------


CHUNK = 1024 * 1024


def put_attachment(tx: Tx, data: bytes, filename: str, media_type: str) -> str:
    """Store bytes once (identical content already on the board is reused); returns its id."""
    sha = hashlib.sha256(data).hexdigest()
    view = memoryview(data)
    pieces = (bytes(view[i : i + CHUNK]) for i in range(0, len(data), CHUNK))
    return put_attachment_pieces(tx, sha, len(data), pieces, filename, media_type)


def put_attachment_pieces(
    tx: Tx, sha: str, size: int, pieces: Iterable[bytes], filename: str, media_type: str
) -> str:
    """Store content of known SHA-256 and size from its pieces, one in memory at a time
    (content already on the board is reused, its pieces not read). Whatever `pieces` raises
    (the file changed while read) undoes the whole action. Returns the attachment's id."""
    existing = tx.session.scalar(select(s.Attachment.id).where(s.Attachment.sha256 == sha))
    if existing is not None:
        return existing
    att = tx.create(
        s.Attachment(sha256=sha, size=size, media_type=media_type, filename=filename, data=b"")
    )
    for n, piece in enumerate(pieces):
        tx.session.execute(insert(s.AttachmentChunk).values(attachment_id=att.id, n=n, data=piece))
    return att.id


def attachment_pieces(conn: Connection, attachment_id: str) -> Iterator[bytes]:
    """An attachment's bytes a piece at a time (old attachments: all of attachments.data)."""
    whole = conn.scalar(select(s.Attachment.data).where(s.Attachment.id == attachment_id))
    if whole:
        yield bytes(whole)
    table = s.AttachmentChunk.__table__
    rows = conn.execute(
        select(table.c.data).where(table.c.attachment_id == attachment_id).order_by(table.c.n),
        execution_options={"stream_results": True, "yield_per": 1},
    )
    for (piece,) in rows:
        yield bytes(piece)


def create_article(
    tx: Tx,
    *,
    text: str,
    title: str,
    outlet: str,
    authors: Sequence[str],
    published: date | None,
    url: str,
    language: str,
    source_format: str,
    imported_at: datetime,
    attachment_id: str | None,
    place: str = "",
) -> ArticleRecord:
    a = tx.create(
        s.Article(
            title=title,
            outlet=outlet,
            authors=json.dumps(list(authors), ensure_ascii=False),
            published=published,
            url=url,
            language=language,
            text=text,
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            source_format=source_format,
            imported_at=imported_at,
            original_attachment_id=attachment_id,
            place=place,
        )
    )
    return convert.article(a)


def create_claim(tx: Tx, *, entities: Sequence[EntitySpan] = (), **values: Any) -> ClaimRecord:
    c = tx.create(s.Claim(entities=convert.entities_json(tuple(entities)), **values))
    return convert.claim(c)


def create_claims(tx: Tx, rows: Sequence[dict[str, Any]]) -> list[ClaimRecord]:
    """Create many claims in one flush; each row as create_claim's arguments."""
    claims = [
        s.Claim(**{**values, "entities": convert.entities_json(tuple(values.get("entities", ())))})
        for values in rows
    ]
    return [convert.claim(c) for c in tx.create_many(claims)]


def rank_detected(tx: Tx, article_id: str, rows: Sequence[dict[str, Any]]) -> list[ClaimRecord]:
    """Give each new detected claim in `rows` (create_claims' rows, not yet created) its tier
    among all the article's detected claims, those on the board and these (domain.priority:
    the same rule as detection's over the whole article), and re-tier the stored ones the
    new ones outrank or make room for (an article streamed in batches), returned as records."""
    c = s.Claim
    # Core rows, not the ORM's: a streamed 1 MB article reads its 6,500 claims at every flush
    stored = (
        tx.session.connection()
        .execute(
            select(c.id, c.score, c.start, c.priority).where(
                c.article_id == article_id, c.origin == ClaimOrigin.DETECTED.value
            )
        )
        .all()
    )
    tiers = article_tiers(
        [(score, start) for _, score, start, _ in stored]
        + [(row["score"], row["start"]) for row in rows]
    )
    for row, tier in zip(rows, tiers[len(stored) :], strict=True):
        row["priority"] = tier.rank
    moved = {
        claim_id: tier.rank
        for (claim_id, _, _, was), tier in zip(stored, tiers, strict=False)
        if tier.rank != was
    }
    changed: list[s.Claim] = []
    ids = list(moved)
    for i in range(0, len(ids), 500):
        for claim in tx.session.scalars(select(c).where(c.id.in_(ids[i : i + 500]))):
            changed.append(tx.update(claim, priority=moved[claim.id]))
    n_evidence: dict[str, int] = {}
    ids = [claim.id for claim in changed]
    for i in range(0, len(ids), 500):
        e = s.ClaimEvidence
        n_evidence.update(
            tx.session.execute(
                select(e.claim_id, func.count())
                .where(e.claim_id.in_(ids[i : i + 500]))
                .group_by(e.claim_id)
            ).all()
        )
    return [convert.claim(claim, n_evidence.get(claim.id, 0)) for claim in changed]


def article_text(tx: Tx, article_id: str) -> str:
    text = tx.session.scalar(select(s.Article.text).where(s.Article.id == article_id))
    if text is None:
        raise NotFoundError(f"No article with id {article_id} on this board.")
    return text


def claim_ids_at(
    tx: Tx, article_id: str, spans: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], str]:
    """The claims of an article at exactly these spans (start, end) -> id.

    Reads only the claims starting at those offsets (index on article and start), so a window
    streaming claims in small batches does not re-read the whole article's claims each time.
    """
    wanted = set(spans)
    starts = sorted({a for a, _ in wanted})
    found: dict[tuple[int, int], str] = {}
    for i in range(0, len(starts), 500):  # well under every database's limit of bound values
        rows = tx.session.execute(
            select(s.Claim.start, s.Claim.end, s.Claim.id).where(
                s.Claim.article_id == article_id, s.Claim.start.in_(starts[i : i + 500])
            )
        )
        found.update(((a, b), c) for a, b, c in rows if (a, b) in wanted)
    return found


def update_claim(tx: Tx, claim_id: str, **values: Any) -> ClaimRecord:
    c = tx.session.get(s.Claim, claim_id)
    if c is None:
        raise NotFoundError(f"No claim with id {claim_id} on this board.")
    tx.update(c, **values)
    return _claim_record(tx.session, claim_id)


def create_evidence(tx: Tx, *, claim_id: str, **values: Any) -> str:
    """A new source for a claim; returns its id (link it with `link_evidence`)."""
    ev = tx.create(s.Evidence(**values), claim_id=claim_id)
    return ev.id


def link_evidence(
    tx: Tx, claim_id: str, evidence_id: str, stance: str, note: str
) -> EvidenceLinkRecord:
    if tx.session.get(s.Claim, claim_id) is None:
        raise NotFoundError(f"No claim with id {claim_id} on this board.")
    ev = tx.session.get(s.Evidence, evidence_id)
    if ev is None:
        raise NotFoundError(f"No evidence with id {evidence_id} on this board.")
    ln = tx.session.scalars(
        select(s.ClaimEvidence).where(
            s.ClaimEvidence.claim_id == claim_id, s.ClaimEvidence.evidence_id == evidence_id
        )
    ).first()
    if ln is None:
        ln = tx.create(
            s.ClaimEvidence(claim_id=claim_id, evidence_id=evidence_id, stance=stance, note=note)
        )
    else:
        tx.update(ln, stance=stance, note=note)
    att = tx.session.get(s.Attachment, ev.attachment_id) if ev.attachment_id else None
    return convert.link(ln, convert.evidence(ev, att))


def update_link(tx: Tx, link_id: str, **values: Any) -> EvidenceLinkRecord:
    ln = tx.session.get(s.ClaimEvidence, link_id)
    if ln is None:
        raise NotFoundError(f"No evidence link with id {link_id} on this board.")
    tx.update(ln, **values)
    ev = tx.session.get(s.Evidence, ln.evidence_id)
    assert ev is not None
    att = tx.session.get(s.Attachment, ev.attachment_id) if ev.attachment_id else None
    return convert.link(ln, convert.evidence(ev, att))


def delete_link(tx: Tx, link_id: str) -> str:
    """Remove a link; the evidence goes too when no other claim uses it. Returns the claim id."""
    ln = tx.session.get(s.ClaimEvidence, link_id)
    if ln is None:
        raise NotFoundError(f"No evidence link with id {link_id} on this board.")
    claim_id, evidence_id = ln.claim_id, ln.evidence_id
    tx.delete(ln)
    others = tx.session.scalar(
        select(func.count())
        .select_from(s.ClaimEvidence)
        .where(s.ClaimEvidence.evidence_id == evidence_id)
    )
    if not others:
        ev = tx.session.get(s.Evidence, evidence_id)
        if ev is not None:
            tx.delete(ev, claim_id=claim_id)
    return claim_id
