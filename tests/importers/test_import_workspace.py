"""Importing through the Workspace: a good file lands with its original kept; bad input leaves
the board exactly as it was (no article, no attachment, no history event)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from _importer_makers import make_docx, make_pdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_import_bad_input import BAD_INPUTS

from factdesk.domain import Changes, ImportFailedError
from factdesk.importers import fetch_url
from factdesk.services import Workspace

ARTICLE = [
    "Russia said on Friday that its forces had taken control of the salt-mining town of Soledar.",
    "Kyiv said fighting was still going on.",
]


@pytest.fixture
def ws(factdesk_home: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(home=factdesk_home)
    yield workspace
    workspace.close()


def board_state(ws: Workspace) -> tuple[int, int, int, str]:
    info = ws.info()
    return info.n_articles, info.n_events, ws.verify().attachments_checked, info.head_hash


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_file_leaves_the_board_unchanged(ws: Workspace, tmp_path: Path, case: str) -> None:
    name, data, reason = BAD_INPUTS[case]
    path = tmp_path / name
    path.write_bytes(data)
    before = board_state(ws)
    with pytest.raises(ImportFailedError, match=f"(?i){reason}"):
        ws.import_file(path, detect=False)
    assert board_state(ws) == before
    assert ws.list_articles() == []
    assert ws.history() == []


def test_missing_file_and_folder_leave_the_board_unchanged(ws: Workspace, tmp_path: Path) -> None:
    before = board_state(ws)
    for target in (tmp_path / "gone.pdf", tmp_path):
        with pytest.raises(ImportFailedError):
            ws.import_file(target, detect=False)
    assert board_state(ws) == before


def test_size_limit_setting_is_applied(ws: Workspace, tmp_path: Path) -> None:
    ws.update_settings(max_import_mb=1)
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 300_000)
    with pytest.raises(ImportFailedError, match="over the 1 MB import limit"):
        ws.import_file(path, detect=False)
    assert ws.info().n_articles == 0


@pytest.mark.parametrize(
    ("name", "data", "media_type"),
    [
        ("report.pdf", make_pdf([ARTICLE]), "application/pdf"),
        (
            "draft.docx",
            make_docx([("Normal", p) for p in ARTICLE]),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("notes.txt", "\n".join(ARTICLE).encode("cp1252"), "text/plain"),
    ],
)
def test_good_file_is_stored_with_its_original_and_sha256(
    ws: Workspace, tmp_path: Path, name: str, data: bytes, media_type: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    outcome = ws.import_file(path, detect=False)
    article = outcome.value
    assert Changes.ARTICLES in outcome.changes
    assert article.text == "\n".join(ARTICLE)
    assert article.original_attachment_id is not None
    assert ws.attachment_data(article.original_attachment_id) == data
    created = [e for e in ws.history() if e.entity == "attachment" and e.op == "create"]
    assert [e.after["sha256"] for e in created] == [hashlib.sha256(data).hexdigest()]
    assert created[0].after["filename"] == name
    assert created[0].after["media_type"] == media_type
    report = ws.verify()
    assert report.ok and report.attachments_checked == 1


def test_importing_the_same_article_again_offers_the_existing_one(
    ws: Workspace, tmp_path: Path
) -> None:
    first = tmp_path / "a.txt"
    first.write_text("\n".join(ARTICLE), encoding="utf-8")
    again = tmp_path / "a.html"
    again.write_text("".join(f"<p>{p}</p>" for p in ARTICLE), encoding="utf-8")
    original = ws.import_file(first, detect=False).value
    events = ws.info().n_events
    duplicate = ws.import_file(again, detect=False)
    assert duplicate.value.id == original.id
    assert duplicate.changes == Changes.NONE
    assert ws.info().n_events == events


def test_refused_bytes_never_write_to_the_board(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "fuzz.bin"

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.binary(max_size=512), st.sampled_from([".txt", ".html", ".pdf", ".docx", ".md"]))
    def import_junk(data: bytes, suffix: str) -> None:
        target = path.with_suffix(suffix)
        target.write_bytes(data)
        before = board_state(ws)
        try:
            ws.import_file(target, detect=False)
        except ImportFailedError:
            assert board_state(ws) == before

    import_junk()


def test_fetched_page_is_stored_with_the_page_its_sha256_and_fetch_time(ws: Workspace) -> None:
    from test_import_url import Handler

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/news/soledar"
        doc = fetch_url(url)
    finally:
        httpd.shutdown()
        httpd.server_close()
    article = ws.add_document(doc, detect=False).value
    assert article.url == url
    assert article.source_format == "url"
    assert article.imported_at == doc.fetched_at
    assert article.original_attachment_id is not None
    assert ws.attachment_data(article.original_attachment_id) == doc.original_bytes
    created = [e for e in ws.history() if e.entity == "attachment"]
    assert created[0].after["sha256"] == hashlib.sha256(doc.original_bytes or b"").hexdigest()
