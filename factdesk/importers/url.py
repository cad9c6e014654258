"""Fetching an article from a link, only when the user asks: timeout, size limit, clear errors."""

from __future__ import annotations

import re
import socket
import ssl
import urllib.error
import urllib.request
from dataclasses import replace
from datetime import UTC, datetime
from email.message import Message
from http.client import HTTPException
from typing import Any, Protocol
from urllib.parse import urlsplit

from factdesk import __version__
from factdesk.domain import ImportedDocument, ImportFailedError
from factdesk.domain.formats import ARTICLE_EXTENSIONS, ARTICLE_FORMATS
from factdesk.importers import reader

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_KNOWN_SUFFIXES = tuple(ARTICLE_EXTENSIONS)


class Opener(Protocol):
    """What fetch_url needs from urllib's OpenerDirector; tests pass their own."""

    def open(self, fullurl: urllib.request.Request, *, timeout: float) -> Any: ...


def _file_name(url: str, media_type: str) -> str:
    """A readable attachment name: host and last path segment, with an extension."""
    parts = urlsplit(url)
    segment = parts.path.rstrip("/").rsplit("/", 1)[-1]
    stem = _UNSAFE_NAME.sub("-", f"{parts.hostname or 'page'}-{segment}".strip("-")).strip("-.")
    stem = stem[:120] or "page"
    if stem.lower().endswith(_KNOWN_SUFFIXES):
        return stem
    usual = {f.media_type: f.extensions[0] for f in ARTICLE_FORMATS}
    return stem + usual.get(media_type, ".html")


def _reason(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"the server answered {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        exc = exc.reason if isinstance(exc.reason, BaseException) else exc
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return (
            f"no answer within {timeout:g} seconds; try again later or save the page from a browser"
        )
    if isinstance(exc, socket.gaierror):
        return (
            "the site's name cannot be looked up; you may be offline (save the page from a browser)"
        )
    if isinstance(exc, ConnectionRefusedError):
        return "the site refused the connection; you may be offline or the address is wrong"
    if isinstance(exc, ssl.SSLError):
        return f"the secure connection failed ({exc.reason or exc})"
    if isinstance(exc, OSError):
        return f"the site cannot be reached ({exc.strerror or exc}); you may be offline"
    return f"the download failed ({type(exc).__name__})"


def fetch_url(
    url: str,
    *,
    timeout: float = 20.0,
    max_bytes: int = 10 * 1024 * 1024,
    opener: Opener | None = None,
) -> ImportedDocument:
    """Download `url` and read it like a saved page (or PDF/DOCX); the download is the original.

    Only http and https are fetched. Nothing here runs unless the user asked for this link.
    """
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ImportFailedError(url or "the link", "only http:// and https:// links can be fetched")
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": f"factdesk/{__version__} (fact-check workstation)",
            "Accept": "text/html,application/xhtml+xml,application/pdf,text/plain;q=0.9,*/*;q=0.5",
        },
    )
    transport = opener if opener is not None else urllib.request.build_opener()
    fetched_at = datetime.now(UTC)
    try:
        response = transport.open(request, timeout=timeout)
        with response:
            final_url = response.geturl() or url
            headers: Message = response.headers
            length = headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise ImportFailedError(url, reader.too_big(int(length), max_bytes))
            data = response.read(max_bytes + 1)
    except ImportFailedError:
        raise
    except (OSError, HTTPException, ValueError) as exc:
        raise ImportFailedError(url, _reason(exc, timeout)) from None
    if len(data) > max_bytes:
        raise ImportFailedError(url, reader.too_big(len(data), max_bytes))
    media_type = headers.get_content_type()
    charset = headers.get_content_charset()
    document = reader.read_download(
        data,
        _file_name(final_url, media_type),
        url,
        url=final_url,
        media_type=media_type,
        charset=charset,
    )
    return replace(
        document, source_format="url", url=document.url or final_url, fetched_at=fetched_at
    )
