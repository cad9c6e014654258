"""Evidence: web sources with their quoted passage, files kept on the board with their SHA-256,
and notes, each linked to a claim with a stance."""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from factdesk import store
from factdesk.domain import (
    EvidenceKind,
    EvidenceLinkRecord,
    InvalidInputError,
    Outcome,
    Stance,
)
from factdesk.services import claims, evidence_file
from factdesk.services.context import Context, now, outcome


def attach_url(
    ctx: Context,
    claim_id: str,
    url: str,
    *,
    quote: str = "",
    title: str = "",
    publisher: str = "",
    author: str = "",
    published: date | None = None,
    accessed: date | None = None,
    stance: Stance | str = Stance.UNSET,
    note: str = "",
) -> Outcome[EvidenceLinkRecord]:
    url = url.strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InvalidInputError(
            f"'{url}' is not a web address: give the full URL, starting with https://."
        )
    return _attach(
        ctx,
        claim_id,
        f"Attach source {parsed.netloc}",
        {
            "kind": EvidenceKind.URL.value,
            "url": url,
            "title": title.strip(),
            "publisher": publisher.strip() or parsed.netloc,
            "author": author.strip(),
            "published": published,
            "accessed": accessed or now().date(),
            "quote": quote.strip(),
        },
        stance,
        note,
    )


def attach_file(
    ctx: Context,
    claim_id: str,
    path: str | os.PathLike[str],
    *,
    title: str = "",
    stance: Stance | str = Stance.UNSET,
    note: str = "",
) -> Outcome[EvidenceLinkRecord]:
    """Attach a file's bytes, read and stored a piece at a time (see evidence_file.py)."""
    p = Path(path)
    try:
        if p.is_dir():
            raise InvalidInputError(f"{p} is a folder: attach a file.")
        file = evidence_file.check_evidence_file(p, ctx.settings.max_attachment_mb * 1024 * 1024)
    except FileNotFoundError as exc:
        raise InvalidInputError(f"Cannot attach {p}: there is no such file.") from exc
    except PermissionError as exc:
        raise InvalidInputError(f"Cannot attach {p}: permission denied.") from exc
    except OSError as exc:
        raise InvalidInputError(f"Cannot attach {p}: {exc.strerror or exc}.") from exc
    if file.size == 0:
        raise InvalidInputError(f"{p.name} is empty: there is nothing to keep as evidence.")
    media = mimetypes.guess_type(p.name)[0] or "application/octet-stream"
    return _attach(
        ctx,
        claim_id,
        f"Attach file {p.name}",
        _file_values(p.name, title),
        stance,
        note,
        put=lambda tx: store.put_attachment_pieces(
            tx, file.sha256, file.size, evidence_file.pieces(file), p.name, media
        ),
    )


def _file_values(filename: str, title: str) -> dict[str, Any]:
    return {
        "kind": EvidenceKind.FILE.value,
        "title": title.strip() or filename,
        "accessed": now().date(),
    }


def attach_bytes(
    ctx: Context,
    claim_id: str,
    data: bytes,
    filename: str,
    *,
    media_type: str = "",
    title: str = "",
    stance: Stance | str = Stance.UNSET,
    note: str = "",
) -> Outcome[EvidenceLinkRecord]:
    if not data:
        raise InvalidInputError(f"{filename} is empty: there is nothing to keep as evidence.")
    media = media_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return _attach(
        ctx,
        claim_id,
        f"Attach file {filename}",
        _file_values(filename, title),
        stance,
        note,
        put=lambda tx: store.put_attachment(tx, data, filename, media),
    )


def attach_note(
    ctx: Context,
    claim_id: str,
    text: str,
    *,
    stance: Stance | str = Stance.CONTEXT,
    title: str = "",
) -> Outcome[EvidenceLinkRecord]:
    if not text.strip():
        raise InvalidInputError("The note is empty.")
    return _attach(
        ctx,
        claim_id,
        "Add note",
        {"kind": EvidenceKind.NOTE.value, "notes": text.strip(), "title": title.strip()},
        stance,
        "",
    )


def _attach(
    ctx: Context,
    claim_id: str,
    label: str,
    values: dict[str, Any],
    stance: Stance | str,
    note: str,
    put: Callable[[Any], str] | None = None,
) -> Outcome[EvidenceLinkRecord]:
    """`put(tx)`: store the file's bytes in the action, returning the attachment's id."""
    stance = Stance(stance)
    claims.claim(ctx, claim_id)  # a clear "no such claim" before anything is written
    with ctx.lock, ctx.board.action(label, ctx.actor) as tx:
        if put is not None:
            values["attachment_id"] = put(tx)
        evidence_id = store.create_evidence(tx, claim_id=claim_id, **values)
        link = store.link_evidence(tx, claim_id, evidence_id, stance.value, note.strip())
    return outcome(link, tx)


def link_evidence(
    ctx: Context, claim_id: str, evidence_id: str, stance: Stance | str, note: str = ""
) -> Outcome[EvidenceLinkRecord]:
    """Let one source back another claim too."""
    with ctx.lock, ctx.board.action("Link evidence", ctx.actor) as tx:
        link = store.link_evidence(tx, claim_id, evidence_id, Stance(stance).value, note.strip())
    return outcome(link, tx)


def set_stance(
    ctx: Context, link_id: str, stance: Stance | str, note: str | None = None
) -> Outcome[EvidenceLinkRecord]:
    values: dict[str, Any] = {"stance": Stance(stance).value}
    if note is not None:
        values["note"] = note.strip()
    with (
        ctx.lock,
        ctx.board.action(f"Set stance to {Stance(stance).value}", ctx.actor) as tx,
    ):
        link = store.update_link(tx, link_id, **values)
    return outcome(link, tx)


def unlink_evidence(ctx: Context, link_id: str) -> Outcome[None]:
    with ctx.lock, ctx.board.action("Remove evidence", ctx.actor) as tx:
        store.delete_link(tx, link_id)
    return outcome(None, tx)


def evidence(ctx: Context, claim_id: str) -> list[EvidenceLinkRecord]:
    with ctx.lock:
        return store.evidence_for(ctx.board, claim_id)


def attachment_data(ctx: Context, attachment_id: str) -> bytes:
    with ctx.lock:
        return store.attachment_data(ctx.board, attachment_id)
