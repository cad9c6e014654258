"""Typed user settings, declared once with their defaults, stored as JSON with a schema version."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Settings:
    author_name: str = ""  # the reviewer named in history and reports
    organisation: str = ""  # the publisher named in reports and ClaimReview
    organisation_url: str = ""
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
