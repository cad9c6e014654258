"""Matching claims against the board's other articles and imported fact-checks."""

from __future__ import annotations

import io
import socket
import sys
from pathlib import Path
from typing import Any

import pytest

from factdesk import cli
from factdesk.services import Workspace
from factdesk.store import factchecks as store_fc
from tests.matching.conftest import Desk


def test_the_same_claim_in_another_article_comes_first(desk: Desk) -> None:
    matcher = desk.ws.matcher()
    assert matcher.refresh() == 4 + 4  # 4 board claims + 4 fact-checks get vectors
    claim = desk.ws.claim(desk.first_claims[0])
    [best, *rest] = matcher.match_claim(claim.id, claim.text, claim.article_id, top=3)
    assert best.url == f"factdesk:claim/{desk.second_claims[0]}"
    assert best.kind == "claim" and best.rating.startswith("disputed")
    assert best.similarity > 0.6
    # never the claim itself nor another claim of its own article
    assert all(r.ref_id not in desk.first_claims for r in [best, *rest])
    # nothing new: a second refresh computes nothing
    assert matcher.refresh() == 0


def test_a_fact_check_matches_a_paraphrase(desk: Desk) -> None:
    matcher = desk.ws.matcher()
    matcher.refresh()
    [best, *_] = matcher.match_text("Do the new 5G phone masts spread covid?", 3)
    assert best.url in ("https://fullexample.org/5g-coronavirus", "https://other.example/5g")
    assert best.publisher in ("Full Example", "Other Checker") and best.rating
    [best, *_] = matcher.match_text("there are tracking chips inside the covid jabs", 3)
    assert best.url == "https://checks.example.net/vaccine-microchips"
    assert best.rating == "Pants on fire"


def test_new_claims_and_removed_collections_reach_the_index(desk: Desk) -> None:
    matcher = desk.ws.matcher()
    matcher.refresh()
    desk.ws.remove_factchecks("claims-search.json")
    article = desk.ws.import_text(
        "Third\nMobile phone masts using 5G are spreading the coronavirus, a post said.",
        detect=False,
    ).value
    new = desk.ws.mark_claim(article.id, 6, 6 + 69).value
    assert matcher.refresh() == 1
    urls = [m.url for m in matcher.match_text("5G masts spread coronavirus", 5)]
    assert urls[0] == f"factdesk:claim/{new.id}"
    assert not any(u.startswith("https://fullexample.org") for u in urls)


def test_vectors_are_stored_compactly() -> None:
    import numpy as np

    rng = np.random.default_rng(7)
    v = rng.normal(size=384).astype(np.float32)
    v /= np.linalg.norm(v)
    blob = store_fc.pack_vector(v)
    assert len(blob) == 4 + 384
    back = store_fc.unpack_vectors([blob])[0]
    assert float(back @ v) > 0.9999


def _run_stdin(text: str, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    class Stdin:
        buffer = io.BytesIO(text.encode("utf-8"))

    monkeypatch.setattr(sys, "stdin", Stdin)
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(["match", *args], out, err)
    return code, out.getvalue(), err.getvalue()


def test_stdin_gives_one_line_per_input_line_and_opens_no_socket(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Any] = []
    real_socket = socket.socket

    class Watched(real_socket):  # type: ignore[misc, valid-type]
        def __init__(self, family: int = -1, *a: Any, **k: Any) -> None:
            if family not in (socket.AF_UNIX,):
                opened.append(family)
            super().__init__(family, *a, **k)

    monkeypatch.setattr(socket, "socket", Watched)
    lines = [
        "Water bills will go up 18 percent in July, said the mayor",
        "",
        "Vaccines have microchips in them",
        "   ",
        "zzzz qqqq",
    ]
    code, out, err = _run_stdin("\n".join(lines) + "\n", monkeypatch, "--top", "2")
    assert code == 0, err
    rows = out.split("\n")
    assert rows[-1] == "" and len(rows) == len(lines) + 1
    rows = rows[:-1]
    first = rows[0].split("\t")
    assert len(first) == 2
    assert set(first) == {
        f"factdesk:claim/{desk.first_claims[0]}",
        f"factdesk:claim/{desk.second_claims[0]}",
    }
    assert rows[1] == "" and rows[3] == ""
    assert rows[2].split("\t")[0] == "https://checks.example.net/vaccine-microchips"
    assert "computing sentence vectors" in err  # the index was completed first
    assert opened == []


def test_match_cli_for_a_claim_id_and_json(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    out, err = io.StringIO(), io.StringIO()
    code = cli.run(["match", desk.first_claims[0][:8], "--top", "1", "--json"], out, err)
    assert code == 0, err
    [row] = json.loads(out.getvalue())
    assert row["url"] == f"factdesk:claim/{desk.second_claims[0]}"
    assert row["rating"].startswith("disputed")
    code = cli.run(["match", "--top", "0", "x"], io.StringIO(), err)
    assert code == 1 and "--top" in err.getvalue()


def test_a_board_without_fact_checks_answers_empty_lines(
    factdesk_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Workspace.open(home=factdesk_home, plaintext=True).close()
    code, out, err = _run_stdin("anything at all\n\n", monkeypatch)
    assert code == 0, err
    assert out == "\n\n"


def test_no_board_yet_still_answers_one_empty_line_per_query(
    factdesk_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    board = factdesk_home / "data" / "boards" / "default.fdb"
    assert not board.exists()
    code, out, err = _run_stdin("first query\n\nthird query\n", monkeypatch, "--top", "3")
    assert code == 0, err
    assert out == "\n\n\n"
    assert "no board" in err.lower()
    assert not board.exists()  # a reading command never creates a board
    out2, err2 = io.StringIO(), io.StringIO()
    assert cli.run(["match", "some claim"], out2, err2) == 1
    assert "no board" in err2.getvalue().lower()


def test_seen_before_marks_exactly_the_claims_whose_best_match_reaches_the_fitted_cut(
    desk: Desk,
) -> None:
    from factdesk.services import fusion

    matcher = desk.ws.matcher()
    matcher.refresh()
    ids = desk.first_claims + desk.second_claims
    best = {}
    for claim_id in ids:
        claim = desk.ws.claim(claim_id)
        hits = matcher.match_claim(claim.id, claim.text, claim.article_id, top=1)
        best[claim_id] = hits[0].similarity if hits else -1.0
    cut = fusion.shipped().strong
    marked = matcher.strong_matches(ids)
    assert set(marked) == {c for c, s in best.items() if s >= cut}
    # the repeated water-bill claim is one of them, both ways round
    assert {desk.first_claims[0], desk.second_claims[0]} <= set(marked)
    assert matcher.strong_matches(ids, threshold=1.01) == {}
