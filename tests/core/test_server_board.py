"""A team board as a real server board: TLS settings come from the URL, and a password never goes
unencrypted beyond this machine unless the URL allows it (factdesk_clear_password=yes).

The server is Debian's PostgreSQL (as in test_postgres.py) with TLS on (a CA and a server
certificate made by openssl here) and password (SCRAM) login on this machine's own non-loopback
address, which is what a laptop on the desk's network meets."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from factdesk.domain import BoardError, InsecureServerError
from factdesk.services import Workspace
from factdesk.store import server
from tests.core.test_postgres import PG_BIN, _free_port

PASSWORD = "desk secret 7"


def test_a_password_is_refused_before_anything_is_sent() -> None:
    for url in (
        "postgresql://ana:pw@db.desk.example/board",
        "postgresql://ana:pw@db.desk.example/board?sslmode=prefer",
        "postgresql://ana:pw@10.1.2.3:5432/board?sslmode=disable",
        "postgresql://ana:pw@localhost,db.desk.example/board",
    ):
        with pytest.raises(InsecureServerError) as caught:
            Workspace.open(url)
        message = str(caught.value)
        assert "\n" not in message
        assert "factdesk_clear_password=yes" in message and "sslmode=verify-full" in message
        assert "db.desk.example" in message or "10.1.2.3" in message
    # encrypted for certain, or on this machine: the password may go
    for url in (
        "postgresql://ana:pw@db.desk.example/board?sslmode=verify-full&sslrootcert=/ca.pem",
        "postgresql://ana:pw@db.desk.example/board?sslmode=require",
        "postgresql://ana:pw@127.0.0.1:5432/board",
        "postgresql://ana:pw@[::1]:5432/board",
        "postgresql://ana:pw@/board?host=/run/postgresql",
    ):
        assert server.check(url, None).password == "pw"
    # the user asked: allowed, and the flag is factdesk's own (libpq never sees it)
    allowed = server.check(
        "postgresql://ana@db.desk.example/board?sslmode=disable&factdesk_clear_password=yes", "pw"
    )
    assert dict(allowed.query) == {"sslmode": "disable"}
    with pytest.raises(InsecureServerError, match="factdesk_clear_password=perhaps"):
        server.check("postgresql://ana@db.desk.example/b?factdesk_clear_password=perhaps", None)


def _own_address() -> str | None:
    """This machine's first non-loopback IPv4 address (none on a machine with only loopback)."""
    try:
        out = subprocess.run(["hostname", "-I"], capture_output=True, text=True, check=False)
    except OSError:
        return None
    for address in out.stdout.split():
        if "." in address and not address.startswith("127."):
            return address
    return None


@dataclass
class TlsServer:
    address: str
    port: int
    ca: Path
    other_ca: Path

    def url(self, query: str = "", password: str | None = None) -> str:
        user = "factdesk" + (f":{password}" if password else "")
        return f"postgresql://{user}@{self.address}:{self.port}/board" + (
            f"?{query}" if query else ""
        )


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def _certificates(folder: Path, address: str) -> None:
    for name in ("ca", "other-ca"):
        _openssl(
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", f"/CN=factdesk test {name}", "-keyout", f"{name}.key", "-out", f"{name}.pem",
            cwd=folder,
        )  # fmt: skip
    (folder / "san.cnf").write_text(
        f"subjectAltName = IP:{address}, DNS:localhost\n", encoding="utf-8"
    )
    _openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={address}",
        "-keyout", "server.key", "-out", "server.csr", cwd=folder,
    )  # fmt: skip
    _openssl(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "2", "-extfile", "san.cnf", "-out", "server.crt", cwd=folder,
    )  # fmt: skip


@pytest.fixture(scope="module")
def tls_server() -> Iterator[TlsServer]:
    address = _own_address()
    if not Path(PG_BIN, "pg_ctl").exists() or shutil.which("openssl") is None:
        pytest.skip("PostgreSQL server binaries or openssl not found")
    if address is None:
        pytest.skip("this machine has no non-loopback address to serve on")
    root = Path(tempfile.mkdtemp(prefix="factdesk-pgtls-"))
    data, certs = root / "data", root / "certs"
    data.mkdir()
    certs.mkdir()
    _certificates(certs, address)
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        root.chmod(0o755)
        for p in (data, certs, *certs.iterdir()):
            shutil.chown(p, "nobody")
        as_user = ["runuser", "-u", "nobody", "--"]
    (certs / "server.key").chmod(0o600)
    port = _free_port()
    pwfile = certs / "pw"
    pwfile.write_text(PASSWORD + "\n", encoding="utf-8")
    if as_user:
        shutil.chown(pwfile, "nobody")
    subprocess.run(
        [*as_user, f"{PG_BIN}/initdb", "-D", str(data), "-A", "trust", "-U", "factdesk",
         "--no-sync", "-E", "UTF8", f"--pwfile={pwfile}"],
        check=True, capture_output=True,
    )  # fmt: skip
    # loopback and the socket: trusted (the test sets the board up); the network: a password
    (data / "pg_hba.conf").write_text(
        "local all all trust\n"
        "host all all 127.0.0.1/32 trust\n"
        f"host all all {address}/32 scram-sha-256\n",
        encoding="utf-8",
    )
    opts = (
        f"-p {port} -k {data} -c listen_addresses=127.0.0.1,{address} -c fsync=off "
        f"-c ssl=on -c ssl_cert_file={certs / 'server.crt'} -c ssl_key_file={certs / 'server.key'}"
    )
    subprocess.run(
        [*as_user, f"{PG_BIN}/pg_ctl", "-D", str(data), "-o", opts, "-l", str(data / "log"),
         "-w", "start"],
        check=True, capture_output=True,
    )  # fmt: skip
    try:
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={port} user=factdesk dbname=postgres", autocommit=True
        ) as conn:
            conn.execute("CREATE DATABASE board")
        yield TlsServer(address, port, certs / "ca.pem", certs / "other-ca.pem")
    finally:
        subprocess.run(
            [*as_user, f"{PG_BIN}/pg_ctl", "-D", str(data), "-m", "immediate", "stop"],
            check=False,
            capture_output=True,
        )


def _encrypted(ws: Workspace) -> bool:
    with ws._ctx.board.engine.connect() as conn:
        return bool(
            conn.exec_driver_sql(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
            ).scalar()
        )


@pytest.mark.postgres
def test_a_laptop_reaches_the_desk_server_over_verified_tls(
    tls_server: TlsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FACTDESK_DB_PASSWORD", PASSWORD)
    verified = f"sslmode=verify-full&sslrootcert={tls_server.ca}"
    with Workspace.open(tls_server.url(verified), actor="ana") as ws:
        assert _encrypted(ws)
        ws.import_text("Desk\nThe port said harbour fees doubled.", detect=False)
    # a server certificate the desk's CA did not sign is refused
    with pytest.raises(BoardError, match="certificate"):
        Workspace.open(tls_server.url(f"sslmode=verify-full&sslrootcert={tls_server.other_ca}"))

    # no sslmode (libpq's "prefer" may fall back to clear text): the password is neither looked
    # up nor sent, and the server's demand for one ends in the one-line refusal
    with pytest.raises(InsecureServerError) as caught:
        Workspace.open(tls_server.url())
    assert tls_server.address in str(caught.value) and "\n" not in str(caught.value)
    with pytest.raises(InsecureServerError):
        Workspace.open(tls_server.url("sslmode=disable", password=PASSWORD))

    # the desk said its network is trusted: the password goes, unencrypted, as asked
    with Workspace.open(
        tls_server.url("sslmode=disable&factdesk_clear_password=yes"), actor="ben"
    ) as ws:
        assert not _encrypted(ws)
        assert [a.title for a in ws.list_articles()] == ["Desk"]
