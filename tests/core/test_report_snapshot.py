"""A report is one snapshot of the board: every article, claim, link and event read together."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event

from factdesk.domain import ClaimStatus, Stance
from factdesk.importers import read_text
from tests.core.helpers import ARTICLE, board_with_article, candidates_for


def test_report_data_reads_the_board_in_one_transaction(factdesk_home: Path) -> None:
    ws, first_id, (claim_id, other_id) = board_with_article(factdesk_home)
    ws.set_status(claim_id, ClaimStatus.DISPUTED, "The utility says 14%.")
    ws.attach_url(claim_id, "https://example.org/r", quote="14 percent", stance=Stance.REFUTES)
    ws.attach_note(other_id, "Asked the press office.")
    second = ARTICLE.replace("18 percent", "19 percent").replace("Town", "City")
    doc = read_text(second, title="City council raises water bills")
    second_id = ws.add_document(doc, candidates=candidates_for(doc.text)).value.id
    ws.dismiss_claim(ws.claims(second_id)[0].id)

    # the transactions the report opens, counted where the store begins them
    engine = ws._ctx.board.engine
    begins: list[object] = []

    def began(conn: object) -> None:
        begins.append(conn)

    event.listen(engine, "begin", began)
    data = ws.report_data(include_history=True)
    event.remove(engine, "begin", began)

    assert len(begins) == 1
    assert [a.article.id for a in data.articles] == [first_id, second_id]
    assert data.head_hash == ws.info().head_hash
    first, later = data.articles
    assert [c.claim.id for c in first.claims] == [c.id for c in ws.claims(first_id)]
    assert len(later.claims) == 1, "the dismissed claim is left out"
    disputed = next(c for c in first.claims if c.claim.id == claim_id)
    assert [ln.stance for ln in disputed.links] == [Stance.REFUTES]
    assert [e.id for e in disputed.history] == [e.id for e in ws.history(claim_id=claim_id)]
    ws.close()


def test_report_of_one_article_holds_only_its_claims(factdesk_home: Path) -> None:
    ws, article_id, claim_ids = board_with_article(factdesk_home)
    other = ws.import_text(ARTICLE.replace("Town", "Village"), detect=False).value
    ws.mark_claim(other.id, 0, 20)
    data = ws.report_data(article_id)
    assert data.scope == "Article: Town council raises water bills"
    assert [c.claim.id for a in data.articles for c in a.claims] == claim_ids
    assert all(not c.history for a in data.articles for c in a.claims)
    ws.close()
