"""A quote said twice in one article: one verdict for both, and every report says which repeats which."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from factdesk.domain import ClaimCandidate, ClaimKind, ClaimStatus
from factdesk.importers import read_text
from factdesk.services import Workspace

QUOTE = '"We lose one litre in every three before it reaches a tap," the mayor said.'
TEXT = (
    "Water bills to rise\n"
    f"{QUOTE}\n"
    "The council said household bills would rise by 18 percent from July.\n"
    f"Asked again on Friday, the mayor repeated it. {QUOTE}"
)


def _candidates() -> list[ClaimCandidate]:
    first = TEXT.index(QUOTE)
    council = TEXT.split("\n")[2]
    c_start = TEXT.index(council)
    second = TEXT.rindex(QUOTE)

    def cand(start: int, text: str, claimant: str, dup: int | None = None) -> ClaimCandidate:
        return ClaimCandidate(
            start=start,
            end=start + len(text),
            text=text,
            score=0.9,
            is_check_worthy=True,
            kind=ClaimKind.QUOTATION,
            claimant=claimant,
            duplicate_of=dup,
        )

    return [
        cand(first, QUOTE, "the mayor"),
        cand(c_start, council, "the council"),
        cand(second, QUOTE, "the mayor", dup=0),
    ]


@pytest.fixture
def board(factdesk_home: Path) -> tuple[Workspace, str, list[str]]:
    ws = Workspace.open()
    doc = read_text(TEXT, title="Water bills to rise")
    article = ws.add_document(doc, candidates=_candidates()).value
    return ws, article.id, [c.id for c in ws.claims(article.id)]


def test_a_verdict_goes_to_the_repeats_in_one_undo_step(
    board: tuple[Workspace, str, list[str]],
) -> None:
    ws, _, (original, council, repeat) = board
    assert [c.id for c in ws.repeats(original)] == [repeat]
    assert [c.id for c in ws.repeats(repeat)] == [original]
    assert ws.repeats(council) == []

    out = ws.set_status(
        repeat, ClaimStatus.VERIFIED, "Said at the council meeting.", with_repeats=True
    )
    assert {original, repeat} <= out.claim_ids
    for claim_id in (original, repeat):
        claim = ws.claim(claim_id)
        assert claim.status is ClaimStatus.VERIFIED
        assert claim.explanation == "Said at the council meeting."
    assert ws.claim(council).status is ClaimStatus.UNVERIFIED
    assert ws.undo_status().undo_label == "Set status to verified (and 1 repeat)"

    ws.undo()
    assert all(ws.claim(c).status is ClaimStatus.UNVERIFIED for c in (original, repeat))
    ws.set_status(original, ClaimStatus.DISPUTED)
    assert ws.claim(repeat).status is ClaimStatus.UNVERIFIED, "only when asked"
    ws.close()


def test_every_report_says_repeat_of_claim_n(
    board: tuple[Workspace, str, list[str]], tmp_path: Path
) -> None:
    ws, article_id, _ = board
    for fmt in ("html", "md", "csv"):
        ws.export(article_id, fmt, tmp_path / f"r.{fmt}")
    ws.close()
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert html.count("repeat of claim 1") == 1
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "### Claim 3 — Unverified (repeat of claim 1)" in md
    assert md.count("repeat of claim") == 1
    rows = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text(encoding="utf-8-sig"))))
    assert [r["repeat_of"] for r in rows] == ["", "", "1"]


def test_cli_set_with_repeats(board: tuple[Workspace, str, list[str]]) -> None:
    from factdesk import cli

    ws, _, (original, _council, repeat) = board
    ws.close()
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(["set", original[:8], "disputed", "--with-repeats"], out, err)
    assert code == 0 and "and 1 repeat of it" in out.getvalue()
    with Workspace.open() as again:
        assert again.claim(repeat).status is ClaimStatus.DISPUTED
