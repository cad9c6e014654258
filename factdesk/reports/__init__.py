"""Verdict reports: HTML, PDF, Markdown, CSV and ClaimReview JSON-LD from a `ReportData` snapshot.

The services build `ReportData` from the board; this package only turns it into bytes and files.
It imports neither the services nor the store; Qt is loaded only when a PDF is rendered.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from factdesk.domain.errors import FactdeskError, InvalidInputError
from factdesk.domain.formats import REPORT_FORMATS, REPORT_SUFFIXES
from factdesk.domain.text import visible
from factdesk.reports.claimreview import render_claimreview
from factdesk.reports.csvout import render_csv_claims, render_csv_links
from factdesk.reports.html import render_html, render_qt_html
from factdesk.reports.markdown import render_markdown
from factdesk.reports.model import ArticleReport, ClaimReport, ReportData, claim_context

FORMATS = REPORT_FORMATS
SUFFIXES = REPORT_SUFFIXES


class ReportWriteError(FactdeskError):
    """A report could not be written where asked; nothing was left half-written."""


def render(data: ReportData, fmt: str, *, paper: str = "a4") -> bytes:
    """The report in one format (`csv`: the per-claim file). `paper` (a4 | letter) is for PDF."""
    # hidden characters (escapes, NUL, direction overrides) are shown as <U+XXXX> in every text
    if fmt == "html":
        return visible(render_html(data)).encode("utf-8")
    if fmt == "md":
        return visible(render_markdown(data)).encode("utf-8")
    if fmt == "csv":
        return _visible_bytes(render_csv_claims(data))
    if fmt == "claimreview":
        return _visible_bytes(render_claimreview(data))
    if fmt == "pdf":
        from factdesk.reports.pdf import render_pdf  # loads Qt: only when asked for

        return render_pdf(data, paper=paper)
    raise InvalidInputError(f"Unknown report format {fmt!r}: use one of {', '.join(FORMATS)}.")


def _visible_bytes(content: bytes) -> bytes:
    bom = b"\xef\xbb\xbf" if content.startswith(b"\xef\xbb\xbf") else b""
    return bom + visible(content[len(bom) :].decode("utf-8"), keep="\t\n\r").encode("utf-8")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_atomic(path: Path, content: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # as a new file under the user's umask (077: 0600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write(
    data: ReportData, fmt: str, path: str | os.PathLike[str], *, paper: str = "a4"
) -> list[Path]:
    """Render and save the report; returns the files written.

    Every file is rendered completely before anything is written, then replaced atomically, so a
    failure leaves the old files or none. For `csv` the per-claim file goes to `path` and the
    per-link file to `<stem>-evidence.csv` beside it.
    """
    target = Path(path)
    outputs = [(target, render(data, fmt, paper=paper))]
    if fmt == "csv":
        links = _visible_bytes(render_csv_links(data))
        outputs.append((target.with_name(f"{target.stem}-evidence.csv"), links))
    if not target.parent.is_dir():
        raise ReportWriteError(
            f"Cannot write the report to {target}: the folder {target.parent} does not exist."
        )
    written: list[Path] = []
    for file, content in outputs:
        try:
            _write_atomic(file, content)
        except OSError as exc:
            raise ReportWriteError(
                f"Cannot write the report to {file}: {exc.strerror or exc}. "
                "Choose another folder or free some space."
            ) from exc
        written.append(file)
    return written


__all__ = [
    "FORMATS",
    "SUFFIXES",
    "ArticleReport",
    "ClaimReport",
    "ReportData",
    "ReportWriteError",
    "claim_context",
    "render",
    "render_csv_links",
    "render_qt_html",
    "write",
]
