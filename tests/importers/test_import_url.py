"""Fetching a link: served by a real HTTP server on 127.0.0.1, never the internet."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from _importer_makers import make_pdf

from factdesk.domain import ImportFailedError
from factdesk.importers import fetch_url

PAGE = """<!DOCTYPE html><html><head><meta charset="koi8-r"><title>Соледар</title>
<meta property="og:site_name" content="Пример"></head><body>
<nav><a href="/">Главная</a> <a href="/login">Войти в личный кабинет</a></nav>
<article><h1>Соледар</h1><p>Министерство обороны России заявило в пятницу, что его силы взяли
под контроль город Соледар на востоке Украины.</p><p>Киев заявил, что бои продолжаются.</p>
</article><footer>Все права защищены.</footer></body></html>"""

ROUTES: dict[str, tuple[int, str, bytes]] = {
    "/news/soledar": (200, "text/html; charset=koi8-r", PAGE.encode("koi8-r")),
    "/report.pdf": (200, "application/pdf", make_pdf([["A report.", "Its second paragraph."]])),
    "/missing": (404, "text/html", b"<html><body>Not here</body></html>"),
    "/huge": (200, "text/html", b"<html><body><p>" + b"x" * 300_000 + b"</p></body></html>"),
    "/empty": (200, "text/html", b""),
    "/image": (200, "image/png", b"\x89PNG\r\n\x1a\n" + bytes(100)),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(2)
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/news/soledar")
            self.end_headers()
            return
        status, media_type, body = ROUTES.get(self.path, ROUTES["/missing"])
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        if self.path != "/huge":  # the size limit must hold without a Content-Length too
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # the client may have given up first: that is what the timeout test wants
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetched_page_is_read_like_a_saved_page_and_kept_as_the_original(server: str) -> None:
    before = datetime.now(UTC)
    doc = fetch_url(server + "/news/soledar")
    assert "Киев заявил, что бои продолжаются." in doc.text.split("\n")
    assert "Войти" not in doc.text
    assert doc.title == "Соледар"
    assert doc.source_format == "url"
    assert doc.url == server + "/news/soledar"
    assert doc.original_bytes == PAGE.encode("koi8-r")
    assert doc.original_media_type == "text/html"
    assert doc.original_name == "127.0.0.1-soledar.html"
    assert doc.fetched_at is not None and before <= doc.fetched_at <= datetime.now(UTC)


def test_redirect_is_followed_and_the_final_address_kept(server: str) -> None:
    assert fetch_url(server + "/moved").url == server + "/news/soledar"


def test_link_to_a_pdf_is_read_as_a_pdf(server: str) -> None:
    doc = fetch_url(server + "/report.pdf")
    assert doc.text == "A report.\nIts second paragraph."
    assert doc.original_media_type == "application/pdf"
    assert doc.original_name == "127.0.0.1-report.pdf"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing", "server answered 404"),
        ("/huge", "over the 195 KB import limit"),
        ("/empty", "empty page"),
        ("/image", "image"),
    ],
)
def test_bad_answers_are_refused_with_the_reason(server: str, path: str, reason: str) -> None:
    with pytest.raises(ImportFailedError, match=reason) as caught:
        fetch_url(server + path, max_bytes=200_000)
    assert caught.value.source == server + path


def test_a_silent_server_times_out(server: str) -> None:
    with pytest.raises(ImportFailedError, match=r"no answer within 0\.5 seconds"):
        fetch_url(server + "/slow", timeout=0.5)


def test_nothing_listening_reads_as_offline() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ImportFailedError, match="offline"):
        fetch_url(f"http://127.0.0.1:{port}/article")


class NoNetwork:
    """The transport of a laptop on a plane: name lookups fail."""

    def open(self, fullurl: urllib.request.Request, *, timeout: float) -> object:
        raise urllib.error.URLError(socket.gaierror(-3, "Temporary failure in name resolution"))


def test_no_name_lookup_says_you_may_be_offline() -> None:
    with pytest.raises(ImportFailedError, match="you may be offline") as caught:
        fetch_url("https://www.reuters.com/world/soledar", opener=NoNetwork())
    assert caught.value.source == "https://www.reuters.com/world/soledar"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a", "javascript:x", ""])
def test_only_web_links_are_fetched(url: str) -> None:
    with pytest.raises(ImportFailedError, match="only http"):
        fetch_url(url)
