"""Evidence whose stance nobody chose says "not set"; it is never counted as support."""

from __future__ import annotations

import io
from pathlib import Path

from factdesk import cli
from factdesk.domain import ClaimStatus, Stance
from tests.core.helpers import board_with_article


def test_a_file_on_a_disputed_claim_is_not_printed_as_support(
    factdesk_home: Path, tmp_path: Path
) -> None:
    ws, article_id, (claim_id, _) = board_with_article(factdesk_home)
    ws.set_status(claim_id, ClaimStatus.DISPUTED, "The minutes say 14 percent.")
    minutes = tmp_path / "minutes.pdf"
    minutes.write_bytes(b"%PDF-1.4 council minutes")
    link = ws.attach_file(claim_id, minutes).value
    assert link.stance is Stance.UNSET
    web = ws.attach_url(claim_id, "https://example.org/minutes").value
    assert web.stance is Stance.UNSET
    ws.set_stance(web.id, Stance.REFUTES)
    for fmt in ("html", "md"):
        ws.export(article_id, fmt, tmp_path / f"r.{fmt}")
    ws.close()
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "SUPPORTS" not in html
    assert html.count(">NOT SET<") == 1 and html.count(">REFUTES<") == 1
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "— not set (file)" in md and "— refutes (web page)" in md
    assert "supports" not in md


def test_cli_attach_without_a_stance_says_not_set(factdesk_home: Path, tmp_path: Path) -> None:
    ws, _, (claim_id, _) = board_with_article(factdesk_home)
    ws.close()
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(["attach", claim_id[:8], "--url", "https://example.org/a"], out, err)
    assert code == 0 and "(stance: not set)" in out.getvalue()
    out = io.StringIO()
    cli.run(["attach", claim_id[:8], "--note", "Called the press office."], out, err)
    assert "(stance: context)" in out.getvalue()
