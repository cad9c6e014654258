"""The Workspace as the CLI and the window use it: each action stored at once, undoable, in history."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from factdesk.domain import (
    Changes,
    ClaimStatus,
    EvidenceKind,
    InvalidInputError,
    NotFoundError,
    Stance,
)
from factdesk.services import Workspace
from tests.core.helpers import ARTICLE, board_with_article


def test_import_stores_text_claims_and_offsets(factdesk_home: Path) -> None:
    ws, article_id, _claim_ids = board_with_article(factdesk_home)
    article = ws.article(article_id)
    assert article.text == ARTICLE
    assert article.sha256 == hashlib.sha256(ARTICLE.encode()).hexdigest()
    claims = ws.claims(article_id)
    assert len(claims) == 2
    for c in claims:
        assert article.text[c.start : c.end] == c.text
        assert c.status is ClaimStatus.UNVERIFIED
    assert {c.claimant for c in claims} == {"the council", "the mayor"}
    summary = ws.list_articles()[0]
    assert (summary.n_unverified, summary.n_verified, summary.n_disputed) == (2, 0, 0)


def test_same_text_again_offers_existing_article(factdesk_home: Path) -> None:
    ws, article_id, _ = board_with_article(factdesk_home)
    again = ws.import_text(ARTICLE.replace("\n", "\r\n"), detect=False)
    assert again.changes == Changes.NONE
    assert again.value.id == article_id
    assert len(ws.list_articles()) == 1


def test_status_evidence_and_history(factdesk_home: Path, tmp_path: Path) -> None:
    ws, _, (claim_id, _) = board_with_article(factdesk_home)
    out = ws.set_status(claim_id, ClaimStatus.DISPUTED, "The utility's report says 14%.")
    assert Changes.CLAIMS in out.changes and claim_id in out.claim_ids
    ws.attach_url(
        claim_id,
        "https://example.org/report",
        quote="Bills rise 14 percent",
        stance=Stance.REFUTES,
    )
    doc = tmp_path / "minutes.pdf"
    doc.write_bytes(b"%PDF-1.4 council minutes")
    ws.attach_file(claim_id, doc, stance=Stance.CONTEXT)
    ws.attach_note(claim_id, "Called the press office; no answer.")

    claim = ws.claim(claim_id)
    assert claim.status is ClaimStatus.DISPUTED
    assert claim.explanation == "The utility's report says 14%."
    assert claim.n_evidence == 3
    links = ws.evidence(claim_id)
    kinds = [ln.evidence.kind for ln in links]
    assert kinds == [EvidenceKind.URL, EvidenceKind.FILE, EvidenceKind.NOTE]
    assert links[0].stance is Stance.REFUTES and links[0].evidence.quote == "Bills rise 14 percent"
    att = links[1].evidence.attachment
    assert att is not None
    assert att.sha256 == hashlib.sha256(b"%PDF-1.4 council minutes").hexdigest()
    assert ws.attachment_data(att.id) == b"%PDF-1.4 council minutes"

    actions = [e.action for e in ws.history(claim_id=claim_id)]
    assert "Set status to disputed" in actions
    assert any(a.startswith("Attach source") for a in actions)
    status_event = next(e for e in ws.history(claim_id=claim_id) if e.op == "update")
    assert status_event.before["status"] == "unverified"
    assert status_event.after["status"] == "disputed"


def test_identical_files_are_stored_once(factdesk_home: Path, tmp_path: Path) -> None:
    ws, _, (a, b) = board_with_article(factdesk_home)
    f = tmp_path / "same.png"
    f.write_bytes(b"\x89PNG same bytes")
    one = ws.attach_file(a, f).value.evidence.attachment
    two = ws.attach_file(b, f).value.evidence.attachment
    assert one is not None and two is not None and one.id == two.id


def test_undo_and_redo_walk_back_and_forth(factdesk_home: Path) -> None:
    ws, article_id, (claim_id, _) = board_with_article(factdesk_home)
    ws.set_status(claim_id, "verified", "ok")
    ws.attach_url(claim_id, "https://example.org/a")
    assert ws.undo_status().undo_label.startswith("Attach source")

    assert ws.undo().value.startswith("Attach source")
    assert ws.evidence(claim_id) == []
    assert ws.undo().value == "Set status to verified"
    assert ws.claim(claim_id).status is ClaimStatus.UNVERIFIED
    assert ws.undo_status().redo_label == "Set status to verified"

    ws.redo()
    assert ws.claim(claim_id).status is ClaimStatus.VERIFIED
    ws.redo()
    assert len(ws.evidence(claim_id)) == 1
    with pytest.raises(InvalidInputError, match="Nothing to redo"):
        ws.redo()

    # undoing the import removes the article and its claims; redo brings them back intact
    ws.undo()
    ws.undo()
    ws.undo()
    assert ws.list_articles() == []
    ws.redo()
    assert next(c.id for c in ws.claims(article_id)) == claim_id
    assert ws.verify().ok


def test_new_action_clears_redo(factdesk_home: Path) -> None:
    ws, _, (claim_id, other) = board_with_article(factdesk_home)
    ws.set_status(claim_id, "verified")
    ws.undo()
    ws.set_status(other, "disputed")
    assert not ws.undo_status().can_redo


def test_undo_stack_survives_reopening(factdesk_home: Path) -> None:
    ws, _, (claim_id, _) = board_with_article(factdesk_home)
    ws.set_status(claim_id, "verified")
    ws.close()
    with Workspace.open(home=factdesk_home) as again:
        assert again.undo().value == "Set status to verified"
        assert again.claim(claim_id).status is ClaimStatus.UNVERIFIED


def test_manual_claim_trims_whitespace_and_can_be_dismissed(factdesk_home: Path) -> None:
    ws, article_id, _ = board_with_article(factdesk_home)
    text = ws.article(article_id).text
    start = text.index("Residents") - 1  # include the newline before it
    out = ws.mark_claim(article_id, start, len(text), claimant="reporter")
    claim = out.value
    assert claim.text.startswith("Residents who spoke") and claim.text.endswith("increase.")
    assert claim.origin.value == "manual"
    with pytest.raises(InvalidInputError, match="already a claim"):
        ws.mark_claim(article_id, claim.start, claim.end)
    ws.dismiss_claim(claim.id)
    assert claim.id not in [c.id for c in ws.claims(article_id)]
    assert ws.claim(claim.id).dismissed
    ws.undo()
    assert not ws.claim(claim.id).dismissed


@pytest.mark.parametrize(("start", "end"), [(-1, 4), (5, 5), (0, 10_000), (31, 32)])
def test_bad_manual_spans_are_refused(factdesk_home: Path, start: int, end: int) -> None:
    ws, article_id, _ = board_with_article(factdesk_home)
    events = len(ws.history())
    with pytest.raises(InvalidInputError):
        ws.mark_claim(article_id, start, end)
    assert len(ws.history()) == events


def test_bad_evidence_is_refused_without_writing(factdesk_home: Path, tmp_path: Path) -> None:
    ws, _, (claim_id, _) = board_with_article(factdesk_home)
    events = len(ws.history())
    with pytest.raises(InvalidInputError, match="not a web address"):
        ws.attach_url(claim_id, "javascript:alert(1)")
    with pytest.raises(InvalidInputError, match="no such file"):
        ws.attach_file(claim_id, tmp_path / "missing.pdf")
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(InvalidInputError, match="empty"):
        ws.attach_file(claim_id, tmp_path / "empty.txt")
    with pytest.raises(NotFoundError):
        ws.attach_note("no-such-claim", "text")
    assert len(ws.history()) == events


def test_search_finds_claims_claimants_evidence_and_notes(factdesk_home: Path) -> None:
    ws, article_id, (claim_id, other) = board_with_article(factdesk_home)
    ws.attach_url(claim_id, "https://example.org/r", quote="reservoir levels at 41 percent")
    ws.attach_note(other, "Spoke to the hydrologist")
    assert {h.kind for h in ws.search("litre")} == {"claim", "article"}
    ev_hits = ws.search("reservoir")
    assert ev_hits and ev_hits[0].claim_id == claim_id and ev_hits[0].article_id == article_id
    assert ws.search("hydrologist")[0].claim_id == other
    assert ws.search("mayor")  # claimant
    assert ws.search("") == [] and ws.search("zzzz") == []


def test_search_survives_fts_syntax(factdesk_home: Path) -> None:
    ws, _, _ = board_with_article(factdesk_home)
    for query in ['"unbalanced', "AND OR NOT", "bills*", "col:umn", "(", "NEAR(a b)"]:
        ws.search(query)  # must not raise
    assert ws.search("bills*")


def test_export_is_offered_for_every_format(factdesk_home: Path, tmp_path: Path) -> None:
    ws, article_id, (claim_id, _) = board_with_article(factdesk_home)
    ws.set_status(claim_id, "verified", "Minutes confirm it.")
    written = ws.export(article_id, "md", tmp_path / "report.md")
    text = written[0].read_text(encoding="utf-8")
    assert "Minutes confirm it." in text
    assert ws.verify().head_hash in text


def test_claims_streamed_in_small_batches_match_a_one_shot_import(factdesk_home: Path) -> None:
    """The window stores detected claims a few at a time; a repeat of an earlier claim must still
    be linked to it, exactly as when the whole article is analysed and stored at once."""
    from factdesk.nlp import detect_claims
    from factdesk.paths import sample_article

    text = sample_article().read_text(encoding="utf-8")
    with Workspace.open(plaintext=True) as ws:
        whole = ws.import_text(text, title="whole").value
        once = {(c.start, c.end): c for c in ws.claims(whole.id)}
    assert any(c.duplicate_of for c in once.values()), "the sample repeats a claim"

    with Workspace.open(home=factdesk_home / "streamed", plaintext=True) as ws:
        article = ws.import_text(text, title="streamed", detect=False).value
        candidates = detect_claims(article.text)
        for n in range(0, len(candidates), 2):
            ws.add_detected_claims(article.id, candidates[n : n + 2], earlier=candidates[:n])
        streamed = {(c.start, c.end): c for c in ws.claims(article.id)}
        by_id = {c.id: c for c in streamed.values()}
        # the whole stream is one undoable step with the import
        ws.undo()
        assert ws.list_articles() == [] and ws.claims() == []

    assert streamed.keys() == once.keys()
    once_by_id = {c.id: c for c in once.values()}
    for span, claim in once.items():
        twin = streamed[span]
        assert (twin.claimant, twin.kind, twin.score) == (claim.claimant, claim.kind, claim.score)
        original = once_by_id[claim.duplicate_of] if claim.duplicate_of else None
        linked = by_id[twin.duplicate_of] if twin.duplicate_of else None
        want = (original.start, original.end) if original else None
        got = (linked.start, linked.end) if linked else None
        assert got == want, claim.text


def test_finding_claims_again_after_a_stop_adds_the_rest_linked_as_at_once(
    factdesk_home: Path,
) -> None:
    """The window's Stop, then Find claims again: the second analysis starts from the top, so
    the claims stored before the stop come round again. They are not added twice, and a later
    repeat of one of them is still linked to it."""
    from factdesk.nlp import detect_claims
    from factdesk.paths import sample_article

    text = sample_article().read_text(encoding="utf-8")
    with Workspace.open(plaintext=True) as ws:
        whole = ws.import_text(text, title="whole").value
        once = {(c.start, c.end): c for c in ws.claims(whole.id)}
    repeats = [c for c in once.values() if c.duplicate_of]
    assert repeats, "the sample repeats a claim"
    first_repeat = min(c.start for c in repeats)

    with Workspace.open(home=factdesk_home / "again", plaintext=True) as ws:
        article = ws.import_text(text, title="again", detect=False).value
        candidates = detect_claims(article.text)
        # stopped before the first repeat was reached
        before_stop = [c for c in candidates if c.end <= first_repeat]
        ws.add_detected_claims(article.id, before_stop)
        ws.add_detected_claims(article.id, candidates)  # found again, from the top
        again = {(c.start, c.end): c for c in ws.claims(article.id)}
        by_id = {c.id: c for c in again.values()}

    assert again.keys() == once.keys()
    once_by_id = {c.id: c for c in once.values()}
    for span, claim in once.items():
        original = once_by_id[claim.duplicate_of] if claim.duplicate_of else None
        linked = by_id[again[span].duplicate_of] if again[span].duplicate_of else None
        want = (original.start, original.end) if original else None
        got = (linked.start, linked.end) if linked else None
        assert got == want, claim.text


def test_each_outcome_says_whether_it_moved_the_undo_stack_or_applied_an_undo(
    factdesk_home: Path,
) -> None:
    """The window renders Undo / Redo from the outcome and reloads everything only after an
    undo or redo, never after a plain action."""
    ws, _, (claim_id, _other) = board_with_article(factdesk_home)
    done = ws.set_status(claim_id, "verified")
    assert done.changes & Changes.UNDO_STACK and not done.changes & Changes.UNDO_APPLIED
    assert done.undo == ws.undo_status()
    assert done.undo is not None and done.undo.undo_label == "Set status to verified"

    undone = ws.undo()
    assert undone.changes & Changes.UNDO_APPLIED and undone.changes & Changes.UNDO_STACK
    assert undone.undo == ws.undo_status()
    assert undone.undo is not None and undone.undo.redo_label == "Set status to verified"
    assert ws.claim(claim_id).status is ClaimStatus.UNVERIFIED


def test_a_plain_text_article_keeps_its_masthead_as_metadata(factdesk_home: Path) -> None:
    text = (
        "Harbour dredging to cost 40 million\n"
        "By Ana Ruiz and Tom Hale, Reuters\n"
        "PORTSMOUTH, May 2, 2025 (Reuters) - The port authority said dredging would cost "
        "40 million pounds.\n"
    )
    with Workspace.open(home=factdesk_home, plaintext=True) as ws:
        article = ws.import_text(text, detect=False).value
        stored = ws.article(article.id)
    assert stored.title == "Harbour dredging to cost 40 million"
    assert stored.authors == ("Ana Ruiz", "Tom Hale")
    assert stored.outlet == "Reuters"
    assert stored.published is not None and stored.published.isoformat() == "2025-05-02"
