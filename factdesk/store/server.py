"""How factdesk talks to a team board's PostgreSQL server: TLS settings from the URL, and no
password sent in clear beyond this machine unless the URL says the desk accepts it.

libpq reads `sslmode`, `sslrootcert`, `sslcert`, `sslkey` (and its other options) from the URL's
query, so `postgresql://ana@db.desk.example/board?sslmode=verify-full&sslrootcert=/etc/desk-ca.pem`
checks the server's certificate against the desk's own CA. A password (from the URL, the keyring or
typed) goes only over a connection that is encrypted for certain (sslmode require, verify-ca or
verify-full) or that stays on this machine (loopback address or Unix socket); otherwise the URL must
carry `factdesk_clear_password=yes`, which factdesk takes out before libpq sees the URL.
"""

from __future__ import annotations

import ipaddress

from sqlalchemy.engine import URL, make_url

from factdesk.domain import InsecureServerError

CLEAR_PASSWORD = "factdesk_clear_password"
ENCRYPTED_MODES = frozenset({"require", "verify-ca", "verify-full"})
_YES = frozenset({"yes", "true", "1", "on"})


def parse(url: str) -> tuple[URL, bool]:
    """(the URL libpq gets, with the psycopg driver; whether the user allows a clear password)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    query = dict(parsed.query)
    allowed = str(query.pop(CLEAR_PASSWORD, "")).strip().lower()
    if allowed and allowed not in _YES | {"no", "false", "0", "off"}:
        raise InsecureServerError(
            f"{CLEAR_PASSWORD}={allowed} in the team board's URL: write "
            f"{CLEAR_PASSWORD}=yes (or leave it out)."
        )
    return parsed.set(query=query), allowed in _YES


def hosts(parsed: URL) -> list[str]:
    """Where libpq will connect: the URL's host(s), or `host=` in its query; "" is the default
    Unix socket."""
    named = parsed.query.get("host")
    given = named if isinstance(named, str) else ",".join(named) if named else parsed.host or ""
    return [h.strip() for h in given.split(",")] if given else [""]


def is_local(host: str) -> bool:
    if host in ("", "localhost") or host.startswith("/") or host.startswith("@"):
        return True  # a Unix socket, or this machine by name
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def sends_clear(parsed: URL) -> bool:
    """True when a password could travel unencrypted beyond this machine."""
    mode = str(parsed.query.get("sslmode", "prefer")).lower()
    if mode in ENCRYPTED_MODES:
        return False
    return not all(is_local(h) for h in hosts(parsed))


def refusal(parsed: URL) -> InsecureServerError:
    where = ", ".join(h for h in hosts(parsed) if not is_local(h))
    return InsecureServerError(
        f"Refusing to send the team board's password unencrypted to {where}: add "
        f"sslmode=verify-full&sslrootcert=CA.pem (or sslmode=require) to the URL, or "
        f"{CLEAR_PASSWORD}=yes if this network is trusted."
    )


def check(url: str, password: str | None) -> URL:
    """The URL to connect with; raises InsecureServerError before anything is sent when the
    password would go in clear and the user did not allow it."""
    parsed, allowed = parse(url)
    if (password or parsed.password) and not allowed and sends_clear(parsed):
        raise refusal(parsed)
    return parsed


def needs_secure_password(url: str) -> bool:
    """True when a password must not be asked for or sent: connect without one and, if the
    server wants one, refuse (`refusal`)."""
    parsed, allowed = parse(url)
    return not allowed and sends_clear(parsed)
