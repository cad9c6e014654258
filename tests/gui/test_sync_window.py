"""The window's Sync: the status bar says when it last synced and what waits to be sent, a sync
runs from the menu key, a claim changed on both sides is marked "Conflict" in the claims table,
and the side-by-side dialog resolves it with a merged explanation that then syncs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from factdesk.services import Workspace
from tests.core.test_postgres import pg_url, pytestmark  # noqa: F401  (the server fixture)
from tests.core.test_sync import _first_article, team  # noqa: F401
from tests.gui.driver import Desk


def test_sync_from_the_window_marks_and_resolves_a_conflict(
    team: str,  # noqa: F811
    factdesk_home: Path,
    tmp_path: Path,
    make_window: Any,
    qtbot: Any,
) -> None:
    with Workspace.open(home=factdesk_home, actor="ana") as mine:
        _article, (c1, _c2) = _first_article(mine)
        mine.sync(team)
        claim_text = mine.claim(c1).text
    with Workspace.open(tmp_path / "ben.fdb", actor="ben") as ben:
        ben.sync(team)
        ben.set_status(c1, "verified", "Ben: the council's own figure.")
        ben.sync()
    with Workspace.open(home=factdesk_home, actor="ana") as mine:
        mine.set_status(c1, "disputed", "Ana: the minutes say 14 percent.")

    window = make_window()
    desk = Desk(window, qtbot)
    qtbot.waitUntil(lambda: bool(desk.shown_claims()))
    qtbot.waitUntil(lambda: "1 change to send" in desk.sync_status_shown())
    assert desk.sync_status_shown().startswith("synced just now")

    desk.sync()
    row = next(r for r in desk.shown_claims() if r.claim_text == claim_text)
    assert row.status == "Conflict"
    assert "1 conflict" in desk.sync_status_shown()

    desk.select_claim(claim_text[:20])
    assert "Ctrl+Shift+R" in window.status.currentMessage()
    window.commands["resolve"].trigger()
    assert (
        "explanation",
        "Ana: the minutes say 14 percent.",
        "Ben: the council's own figure.",
    ) in (desk.conflict_shown())
    window.sync.dialog.reject()
    window.sync.dialog = None
    merged = "The council says 18 percent; the minutes say 14."
    desk.resolve_conflict(merged)
    qtbot.waitUntil(
        lambda: (
            next(r for r in desk.shown_claims() if r.claim_text == claim_text).status == "Disputed"
        )
    )
    assert desk.explanation_shown() == merged
    assert "1 change to send" in desk.sync_status_shown()
    desk.sync()
    assert "nothing to send" in desk.sync_status_shown()
    # fact-checks imported in the window wait to be sent too
    checks = tmp_path / "desk-checks.csv"
    checks.write_text(
        "claim,rating,url\nWater bills rose 18 percent.,False,https://checks.example/bills\n",
        encoding="utf-8",
    )
    window.factchecks.run([str(checks)])
    qtbot.waitUntil(lambda: "1 fact-check to send" in desk.sync_status_shown())
    window.factchecks.summary.accept()  # the import's summary, read
    desk.sync()
    qtbot.waitUntil(lambda: "nothing to send" in desk.sync_status_shown())
    with Workspace.open(team) as server:
        assert server.claim(c1).explanation == merged


def test_a_claim_removed_here_and_changed_on_another_laptop_comes_back_in_conflict(
    team: str,  # noqa: F811
    factdesk_home: Path,
    tmp_path: Path,
    make_window: Any,
    qtbot: Any,
) -> None:
    with Workspace.open(home=factdesk_home, actor="ana") as mine:
        article_id, _claims = _first_article(mine)
        text = mine.article(article_id).text
        start = text.index("water")
        marked = mine.mark_claim(article_id, start, start + 20).value
        mine.sync(team)
    with Workspace.open(tmp_path / "ben.fdb", actor="ben") as ben:
        ben.sync(team)
        ben.set_status(marked.id, "disputed", "Ben: the utility denies it.")
        ben.sync()
    with Workspace.open(home=factdesk_home, actor="ana") as mine:
        mine.undo()  # Ana removes the claim she marked, not knowing Ben worked on it

    shown_as = " ".join(marked.text.split())  # the table shows a line break as a space
    window = make_window()
    desk = Desk(window, qtbot)
    qtbot.waitUntil(lambda: bool(desk.shown_claims()))
    assert shown_as not in [r.claim_text for r in desk.shown_claims()]
    desk.sync()
    qtbot.waitUntil(lambda: shown_as in [r.claim_text for r in desk.shown_claims()])
    row = next(r for r in desk.shown_claims() if r.claim_text == shown_as)
    assert row.status == "Conflict"
    desk.select_claim(shown_as)
    window.commands["resolve"].trigger()
    qtbot.waitUntil(lambda: getattr(window.sync, "dialog", None) is not None)
    assert desk.conflict_shown() == [("removed", "Removed", "Kept, with the changes made to it")]
    window.sync.dialog.reject()
    window.sync.dialog = None
    desk.resolve_conflict("mine")  # removed after all
    qtbot.waitUntil(lambda: shown_as not in [r.claim_text for r in desk.shown_claims()])
    desk.sync()
    with Workspace.open(team) as server:
        assert marked.id not in {c.id for c in server.claims(article_id, include_dismissed=True)}
        assert not server.conflicts()


def test_an_article_removed_here_while_another_laptop_added_a_claim_comes_back_in_conflict(
    team: str,  # noqa: F811
    factdesk_home: Path,
    tmp_path: Path,
    make_window: Any,
    qtbot: Any,
) -> None:
    with Workspace.open(home=factdesk_home, actor="ana") as mine:
        article_id, _claims = _first_article(mine)
        title = mine.article(article_id).title
        mine.sync(team)
    with Workspace.open(tmp_path / "ben.fdb", actor="ben") as ben:
        ben.sync(team)
        text = ben.article(article_id).text
        start = text.index("water")
        added = ben.mark_claim(article_id, start, start + 20).value  # Ben's claim in it
        ben.sync()
    with Workspace.open(home=factdesk_home, actor="ana") as mine:
        mine.undo()  # Ana removes the article, not knowing Ben added a claim to it
        assert mine.list_articles() == []

    shown_as = " ".join(added.text.split())
    window = make_window()
    desk = Desk(window, qtbot)
    qtbot.waitUntil(lambda: "change" in desk.sync_status_shown())
    assert desk.shown_articles() == []
    desk.sync()
    qtbot.waitUntil(lambda: desk.shown_articles() == [title])
    assert "1 conflict" in desk.sync_status_shown()
    desk.select_article(title)
    qtbot.waitUntil(lambda: [r.claim_text for r in desk.shown_claims()] == [shown_as])
    assert desk.shown_claims()[0].status == "Conflict"
    desk.select_claim(shown_as)
    window.commands["resolve"].trigger()
    qtbot.waitUntil(lambda: getattr(window.sync, "dialog", None) is not None)
    assert desk.conflict_shown() == [
        ("removed", "Removed, with its whole article", "Kept, with the changes made to it")
    ]
    window.sync.dialog.reject()
    window.sync.dialog = None
    desk.resolve_conflict("mine")  # removed after all: the claim, and the article with it
    qtbot.waitUntil(lambda: desk.shown_articles() == [])
    desk.sync()
    with Workspace.open(team) as server:
        assert server.list_articles() == [] and not server.conflicts()


def test_the_same_story_imported_on_another_laptop_is_marked_in_the_articles_list(
    team: str,  # noqa: F811
    factdesk_home: Path,
    tmp_path: Path,
    make_window: Any,
    qtbot: Any,
) -> None:
    with Workspace.open(home=factdesk_home, actor="ana") as mine:
        article_id, _claims = _first_article(mine)
        title = mine.article(article_id).title
        mine.sync(team)
    with Workspace.open(tmp_path / "ben.fdb", actor="ben") as ben:
        _first_article(ben)  # the same text, imported on Ben's laptop before he synced
        ben.sync(team)

    window = make_window()
    desk = Desk(window, qtbot)
    qtbot.waitUntil(lambda: desk.shown_articles() == [title])
    desk.sync()
    marked = f"(same text) {title}"
    qtbot.waitUntil(lambda: desk.shown_articles() == [marked, marked])
