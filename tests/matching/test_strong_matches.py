"""The window's "seen before" mark: which claims of an article have a strong match elsewhere."""

from __future__ import annotations

from factdesk.services.matching import strong_matches
from tests.matching.conftest import Desk


def test_only_the_claim_repeated_elsewhere_is_marked(desk: Desk) -> None:
    matcher = desk.ws.matcher()
    matcher.refresh()
    claims = [desk.ws.claim(cid) for cid in desk.second_claims]
    found = strong_matches(matcher, claims)
    # the water-bill claim was made in the first article too; the library one nowhere
    assert set(found) == {desk.second_claims[0]}
    assert found[desk.second_claims[0]].similarity >= 0.75
    # asked to stop (another article was opened): nothing more is looked up
    assert strong_matches(matcher, claims, stop=lambda: True) == {}
