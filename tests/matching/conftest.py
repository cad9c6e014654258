"""A board with two articles that repeat one claim, and a small imported fact-check collection."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from factdesk.services import Workspace

FIXTURES = Path(__file__).with_name("fixtures")

FIRST = (
    "Council budget row\n"
    "The mayor said water bills would rise by 18 percent from July, the largest increase in two decades.\n"
    "Residents queued at the town hall on Tuesday to complain about potholes."
)
SECOND = (
    "Opposition reacts\n"
    "Household water charges are going up 18% in July, the biggest rise in twenty years, the mayor claimed.\n"
    "The library will open on Sundays from next month."
)


@dataclass
class Desk:
    ws: Workspace
    first_claims: list[str]
    second_claims: list[str]
    second_article: str


def _claims_of(ws: Workspace, text: str) -> tuple[str, list[str]]:
    article = ws.import_text(text, detect=False).value
    ids = []
    offset = len(text.split("\n")[0]) + 1
    for line in text.split("\n")[1:]:
        ids.append(ws.mark_claim(article.id, offset, offset + len(line)).value.id)
        offset += len(line) + 1
    return article.id, ids


@pytest.fixture
def desk(factdesk_home: Path) -> Iterator[Desk]:
    ws = Workspace.open(home=factdesk_home, plaintext=True)
    _, first = _claims_of(ws, FIRST)
    second_article, second = _claims_of(ws, SECOND)
    ws.set_status(second[0], "disputed", "Council papers show 8 percent.")
    ws.import_factchecks(FIXTURES / "claimreview-feed.json")
    ws.import_factchecks(FIXTURES / "claims-search.json")
    yield Desk(ws, first, second, second_article)
    ws.close()
