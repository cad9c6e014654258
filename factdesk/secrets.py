"""Secrets in the OS keyring. Never falls back to plaintext: with no usable keyring, callers ask
for a passphrase instead.

Service name "factdesk"; one entry per board (named by the board's SQLCipher salt, which travels
with the file), plus entries for team-server passwords and API keys.
"""

from __future__ import annotations

import contextlib
import os
import threading

SERVICE = "factdesk"
PASSPHRASE_ENV = "FACTDESK_PASSPHRASE"

# keyring looks for its backend once per process, probing every one it knows (0.3-1 s); a
# second thread asking meanwhile waits for that search rather than starting its own
_finding = threading.Lock()


def warm_up() -> None:
    """Import keyring and find its backend now (the window does, on a worker thread, while it
    builds its panels: the board's opening then finds it ready)."""
    with _finding:
        import keyring

        keyring.get_keyring()


def backend_name() -> str:
    """A readable name of the keyring backend in use, e.g. 'SecretService Keyring'."""
    import keyring

    kr = keyring.get_keyring()
    name = getattr(kr, "name", "") or type(kr).__name__
    return str(name)


def available() -> bool:
    """False for keyring's fail and null backends (and anything with no positive priority)."""
    with _finding:
        import keyring
        from keyring.backends import chainer, fail, null

        kr = keyring.get_keyring()
    if isinstance(kr, fail.Keyring | null.Keyring):
        return False
    if isinstance(kr, chainer.ChainerBackend):
        return bool(kr.backends)
    try:
        return float(kr.priority) > 0
    except Exception:
        return True


def get(entry: str) -> str | None:
    if not available():
        return None
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE, entry)
    except KeyringError:
        return None


def put(entry: str, secret: str) -> None:
    """Store a secret; raises RuntimeError when no usable keyring exists (never writes to disk)."""
    if not available():
        raise RuntimeError("no usable keyring backend")
    import keyring

    keyring.set_password(SERVICE, entry, secret)


def delete(entry: str) -> None:
    if not available():
        return
    import keyring
    from keyring.errors import PasswordDeleteError

    with contextlib.suppress(PasswordDeleteError):
        keyring.delete_password(SERVICE, entry)


def board_entry(salt_hex: str) -> str:
    return f"board-{salt_hex}"


def passphrase_from_env() -> str | None:
    value = os.environ.get(PASSPHRASE_ENV)
    return value if value else None
