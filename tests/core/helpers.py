"""Small builders shared by the core tests."""

from __future__ import annotations

from pathlib import Path

from factdesk.domain import ClaimCandidate, ClaimKind
from factdesk.services import Workspace

ARTICLE = (
    "Town council raises water bills\n"
    "The council said household water bills would rise by 18 percent from July, the largest "
    "increase in two decades.\n"
    '"We are losing one litre in every three before it reaches a tap, and the drought has made '
    'it an emergency," the mayor said.\n'
    "Residents who spoke to the paper on Tuesday were unhappy about the timing of the increase."
)


def candidates_for(text: str) -> list[ClaimCandidate]:
    """Claims at sentence boundaries of ARTICLE-like texts (the detector is tested in tests/nlp)."""
    out = []
    for line in text.split("\n")[1:]:
        if "said" in line:
            start = text.index(line)
            out.append(
                ClaimCandidate(
                    start=start,
                    end=start + len(line),
                    text=line,
                    score=0.9,
                    is_check_worthy=True,
                    kind=ClaimKind.REPORTED,
                    claimant="the council" if "council" in line else "the mayor",
                )
            )
    return out


def board_with_article(home: Path, **open_args: object) -> tuple[Workspace, str, list[str]]:
    from factdesk.importers import read_text

    ws = Workspace.open(home=home, **open_args)  # type: ignore[arg-type]
    doc = read_text(ARTICLE, title="Town council raises water bills")
    article = ws.add_document(doc, candidates=candidates_for(doc.text)).value
    claim_ids = [c.id for c in ws.claims(article.id)]
    return ws, article.id, claim_ids
