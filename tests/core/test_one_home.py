"""Rules written once and kept everywhere: the import size limit, claim spans, the formats."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from factdesk import cli, paths, settings
from factdesk.domain import ClaimKind, ClaimOrigin, ImportFailedError
from factdesk.domain.formats import ARTICLE_EXTENSIONS
from factdesk.importers import read_bytes
from factdesk.services import Workspace
from tests.core.helpers import ARTICLE


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(list(args), out, err)
    return code, out.getvalue(), err.getvalue()


def test_analyze_keeps_the_users_import_size_limit(factdesk_home: Path, tmp_path: Path) -> None:
    settings.save(paths.resolve(None).settings_file, settings.Settings(max_import_mb=1))
    big = tmp_path / "long.txt"
    big.write_text((ARTICLE + "\n") * 5000, encoding="utf-8")  # about 1.6 MB
    code, out, err = run("analyze", str(big))
    assert code == 1 and out == ""
    assert "over the 1 MB import limit" in err
    code, _, err = run("add", "--no-detect", str(big))
    assert code == 1 and "over the 1 MB import limit" in err


def test_a_passage_marked_by_hand_gets_its_kind_and_claimant(factdesk_home: Path) -> None:
    with Workspace.open() as ws:
        article = ws.import_text(ARTICLE, detect=False).value
        line = ARTICLE.split("\n")[1]
        start = ARTICLE.index(line)
        claim = ws.mark_claim(article.id, start - 1, start + len(line)).value
        assert (claim.start, claim.end) == (start, start + len(line)), "outer space trimmed"
        assert claim.origin is ClaimOrigin.MANUAL
        assert claim.kind is not ClaimKind.OTHER
        assert claim.claimant.casefold() == "the council"
        # what the journalist gives wins over what the detector reads
        quote = ARTICLE.split("\n")[2]
        q = ARTICLE.index(quote)
        given = ws.mark_claim(
            article.id, q, q + len(quote), claimant="the mayor's office", kind=ClaimKind.CAUSAL
        ).value
        assert (given.claimant, given.kind) == ("the mayor's office", ClaimKind.CAUSAL)


@pytest.mark.parametrize("name", ["notes.rtf2", "notes.odt"])
def test_an_unknown_file_type_is_refused_naming_every_readable_type(name: str) -> None:
    with pytest.raises(ImportFailedError) as info:
        read_bytes(b"plain words", name)
    for ext in (".txt", ".md", ".html", ".pdf", ".docx"):
        assert ext in str(info.value) and ext in ARTICLE_EXTENSIONS
