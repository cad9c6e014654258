"""Every per-user directory factdesk uses, in one place. `FACTDESK_HOME` (or `--home`) moves them all.

Nothing is created at import; `ensure()` creates a directory when it is about to be written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "factdesk"
HOME_ENV = "FACTDESK_HOME"


@dataclass(frozen=True)
class Paths:
    data: Path  # boards and their backups
    config: Path  # settings.json
    cache: Path  # anything that can be rebuilt
    logs: Path

    @property
    def default_board(self) -> Path:
        return self.data / "boards" / "default.fdb"

    @property
    def backups(self) -> Path:
        return self.data / "backups"

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.json"

    @property
    def log_file(self) -> Path:
        return self.logs / "factdesk.log"


def resolve(home: str | os.PathLike[str] | None = None) -> Paths:
    """The paths for `home` if given, else `$FACTDESK_HOME`, else the platform's per-user dirs."""
    root = home if home is not None else os.environ.get(HOME_ENV) or None
    if root:
        base = Path(root).expanduser().resolve()
        return Paths(base / "data", base / "config", base / "cache", base / "logs")
    return Paths(
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
    )


def ensure(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def resources_dir() -> Path:
    """The bundled resources: inside the package when installed from a wheel, else the checkout's."""
    here = Path(__file__).resolve().parent
    packaged = here / "resources"
    return packaged if packaged.is_dir() else here.parent / "resources"


def sample_article() -> Path:
    return resources_dir() / "sample-article.txt"
