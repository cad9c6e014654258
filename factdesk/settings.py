"""Typed user settings, declared once with their defaults, stored as JSON with a schema version.

`EDITABLE` declares the settings a person sets (by `factdesk config` or the Settings dialog):
their key, label and help, and `parse` turns typed text into a checked value, so the command
line and the dialog accept and refuse the same things with the same messages.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from factdesk.domain.errors import InvalidInputError

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Settings:
    author_name: str = ""  # the reviewer named in history and reports
    organisation: str = ""  # the publisher named in reports and ClaimReview
    organisation_url: str = ""
    # where the desk publishes each fact-check; {claim_id} (and {article_id}) are filled in
    review_url_template: str = ""
    default_board: str = ""  # empty: the default board under the data directory
    max_import_mb: int = 50  # files above this size are refused on import
    claim_threshold: float = 0.0  # 0: the detector's shipped threshold
    window_state: str = ""  # base64 of Qt's saveState/saveGeometry, owned by the GUI
    # boards made encrypted here: a plaintext file in one's place is refused (it was swapped)
    encrypted_boards: list[str] = field(default_factory=list)
    max_attachment_mb: int = 500  # files above this size are refused as evidence

    @property
    def max_import_bytes(self) -> int:
        return self.max_import_mb * 1024 * 1024

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)


@dataclass(frozen=True)
class Editable:
    """A setting a person sets: `key` on the command line, `name` in `Settings`."""

    key: str
    name: str
    label: str
    help: str
    example: str = ""


EDITABLE: tuple[Editable, ...] = (
    Editable(
        "reviewer",
        "author_name",
        "Reviewer name",
        "who reviews: named in reports, ClaimReview, each verdict and the history",
        "Ana Example",
    ),
    Editable(
        "organisation",
        "organisation",
        "Organisation",
        "the publisher named in reports and as the ClaimReview author",
        "Example Fact Check",
    ),
    Editable(
        "organisation-url",
        "organisation_url",
        "Organisation URL",
        "the organisation's web address",
        "https://desk.example/",
    ),
    Editable(
        "review-url",
        "review_url_template",
        "Fact-check URL pattern",
        "where each published fact-check lives, with {claim_id}: ClaimReview's url",
        "https://desk.example/checks/{claim_id}",
    ),
    Editable(
        "max-import-mb",
        "max_import_mb",
        "Import size limit (MB)",
        "article files above this size are refused",
        "50",
    ),
)


def editable(key: str) -> Editable:
    """The editable setting named `key` (its command-line key or its field name)."""
    for item in EDITABLE:
        if key in (item.key, item.name):
            return item
    known = ", ".join(item.key for item in EDITABLE)
    raise InvalidInputError(f"There is no setting '{key}': the settings are {known}.")


def parse(key: str, text: str) -> tuple[str, Any]:
    """(field name, value) for `text` typed for setting `key`; a clear error when it cannot be."""
    item = editable(key)
    text = text.strip()
    if item.name == "max_import_mb":
        if not text.isdigit() or not 1 <= int(text) <= 2048:
            raise InvalidInputError(
                f"{item.label}: give a whole number of megabytes from 1 to 2048, not '{text}'."
            )
        return item.name, int(text)
    if item.name in ("organisation_url", "review_url_template") and text:
        parts = urlsplit(text.replace("{claim_id}", "x").replace("{article_id}", "x"))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InvalidInputError(
                f"{item.label}: '{text}' is not a web address; give the full URL, "
                f"e.g. {item.example}."
            )
        if item.name == "review_url_template" and "{claim_id}" not in text:
            raise InvalidInputError(
                f"{item.label}: put {{claim_id}} where each claim's id goes, "
                f"e.g. {item.example}; every fact-check needs its own address."
            )
    return item.name, text


def shown(settings: Settings, key: str) -> str:
    """The value of an editable setting as text."""
    return str(getattr(settings, editable(key).name))


def load(path: Path) -> Settings:
    """Read settings; a missing file gives defaults, unknown keys are ignored, bad types dropped."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError):
        return Settings()
    if not isinstance(raw, dict):
        return Settings()
    values = raw.get("settings", {})
    defaults = Settings()
    kept: dict[str, Any] = {}
    for f in fields(Settings):
        if f.name in values:
            value = values[f.name]
            default = getattr(defaults, f.name)
            if isinstance(default, float) and isinstance(value, int):
                value = float(value)
            if type(value) is type(default):
                kept[f.name] = value
    return Settings(**kept)


def save(path: Path, settings: Settings) -> None:
    """Write atomically: a crash leaves the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"schema_version": SCHEMA_VERSION, "settings": asdict(settings)}
    fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(payload, f, indent=2, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
