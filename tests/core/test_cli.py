"""The command line as a journalist uses it: readable output, clear errors, non-zero exits."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from factdesk import __version__, cli
from tests.core.helpers import ARTICLE


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(list(args), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    path = tmp_path / "water.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_add_claims_set_attach_history_verify(article_file: Path, tmp_path: Path) -> None:
    code, out, _ = run("add", "--no-detect", str(article_file))
    assert code == 0 and "added" in out
    code, out, _ = run("list", "--json")
    article_id = json.loads(out)[0]["id"]
    text = ARTICLE.split("\n")[1]
    start = ARTICLE.index(text)
    code, out, _ = run(
        "mark", article_id[:6], str(start), str(start + len(text)), "--claimant", "the council"
    )
    assert code == 0
    code, out, _ = run("claims", article_id[:6], "--json")
    claim_id = json.loads(out)[0]["id"]
    assert json.loads(out)[0]["claimant"] == "the council"

    code, out, _ = run("set", claim_id[:8], "disputed", "--note", "Minutes say 14 percent.")
    assert code == 0 and "is now disputed" in out
    code, out, _ = run(
        "attach",
        claim_id[:8],
        "--url",
        "https://example.org/minutes",
        "--quote",
        "14 percent",
        "--stance",
        "refutes",
    )
    assert code == 0 and "refutes" in out
    evidence = tmp_path / "minutes.pdf"
    evidence.write_bytes(b"%PDF-1.4 minutes")
    code, out, _ = run("attach", claim_id[:8], "--file", str(evidence))
    assert code == 0 and "sha256" in out

    code, out, _ = run("history", claim_id[:8])
    assert "Set status to disputed" in out and "'unverified' -> 'disputed'" in out
    assert "Attach source example.org" in out and "Attach file minutes.pdf" in out
    code, out, _ = run("claims", article_id[:6], "--status", "disputed")
    assert "disputed" in out and "the council" in out
    code, out, _ = run("search", "minutes")
    assert code == 0 and claim_id[:8] in out
    code, out, _ = run("board", "verify")
    assert code == 0 and out.startswith("OK:")
    code, out, _ = run("board", "info")
    assert "encrypted:  yes" in out and "keyring (memory keyring" in out

    code, out, _ = run("undo")
    assert out.strip() == "Undone: Attach file minutes.pdf"
    code, out, _ = run("redo")
    assert code == 0 and "Redone" in out


def test_errors_are_one_readable_line_and_exit_1(article_file: Path, tmp_path: Path) -> None:
    code, _, err = run("add", str(tmp_path / "nope.txt"))
    assert code == 1 and "nope.txt" in err
    run("add", "--no-detect", str(article_file))
    code, _, err = run("claims", "zzzz")
    assert code == 1 and err.startswith("factdesk: No article has an id starting with 'zzzz'")
    code, _, err = run("undo")
    code, _, err = run("undo")
    assert code == 1 and err.strip() == "factdesk: Nothing to undo."
    code, _, err = run("set", "x", "verified")
    assert code == 1


def test_ambiguous_prefix_is_refused(tmp_path: Path) -> None:
    for i in range(20):
        p = tmp_path / f"a{i}.txt"
        p.write_text(
            f"Article number {i} says the harbour handled {i} million tonnes last year.",
            encoding="utf-8",
        )
        run("add", "--no-detect", str(p))
    ids = [a["id"] for a in json.loads(run("list", "--json")[1])]
    first = {}
    for i in ids:
        first.setdefault(i[0], []).append(i)
    shared = next(k for k, v in first.items() if len(v) > 1)
    code, _, err = run("claims", shared)
    assert code == 1 and "several" in err


def test_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as exc:
        run("set")
    assert exc.value.code == 2


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        FACTDESK_HOME=str(home),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        FACTDESK_PASSPHRASE="test passphrase",
    )
    return env


def test_module_entry_point_and_version(factdesk_home: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "factdesk", "--version"],
        capture_output=True,
        text=True,
        env=_env(factdesk_home),
        check=False,
    )
    assert done.returncode == 0 and done.stdout.strip() == f"factdesk {__version__}"


@pytest.mark.slow
def test_add_detects_claims_of_the_shared_sample(factdesk_home: Path, shared_sample: Path) -> None:
    env = _env(factdesk_home)
    done = subprocess.run(
        [sys.executable, "-m", "factdesk", "add", str(shared_sample)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "factdesk", "list", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    article_id = json.loads(listed.stdout)[0]["id"]
    claims = subprocess.run(
        [sys.executable, "-m", "factdesk", "claims", article_id[:8], "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    claimants = {c["claimant"] for c in json.loads(claims.stdout)}
    assert "John Kirby" in claimants and len(json.loads(claims.stdout)) >= 8


def test_score_keeps_one_line_per_input_line(factdesk_home: Path) -> None:
    lines = "The unemployment rate fell to 3.5 percent in May.\n\nThank you very much.\n   \n"
    done = subprocess.run(
        [sys.executable, "-m", "factdesk", "score"],
        input=lines,
        capture_output=True,
        text=True,
        env=_env(factdesk_home),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = done.stdout.splitlines()
    assert len(rows) == 4
    scores = [float(r.split("\t")[0]) for r in rows]
    flags = [r.split("\t")[1] for r in rows]
    assert flags[0] == "1" and flags[1] == "0" and flags[2] == "0"
    assert scores[0] > scores[2]


def test_output_into_a_closed_pipe_ends_quietly(article_file: Path, tmp_path: Path) -> None:
    """`factdesk list | head -1` with the reader gone: no BrokenPipeError traceback."""
    # plaintext: the child process has the OS keyring, not this test's
    assert run("--plaintext", "add", "--no-detect", str(article_file))[0] == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "factdesk", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ},
    )
    assert proc.stdout is not None
    proc.stdout.close()  # the reader is gone before anything is written
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 141, err
    assert b"Traceback" not in err and b"BrokenPipeError" not in err, err


def test_percent_and_underscore_in_a_prefix_are_literal(article_file: Path) -> None:
    run("add", "--no-detect", str(article_file))
    for prefix in ("%", "_", "________"):
        code, _, err = run("claims", prefix)
        assert code == 1 and "No article has an id starting with" in err, (prefix, err)


def test_an_empty_selection_says_so(article_file: Path) -> None:
    run("add", "--no-detect", str(article_file))
    _, out, _ = run("list", "--json")
    article_id = json.loads(out)[0]["id"]
    code, _, err = run("mark", article_id[:8], "5", "5")
    assert code == 1 and "The selection 5-5 is empty" in err


def test_exports_respect_the_umask(article_file: Path, tmp_path: Path) -> None:
    run("add", "--no-detect", str(article_file))
    old = os.umask(0o077)
    try:
        code, _, err = run("export", "--all", "--format", "md", "-o", str(tmp_path / "r.md"))
    finally:
        os.umask(old)
    assert code == 0, err
    assert oct((tmp_path / "r.md").stat().st_mode & 0o777) == "0o600"


def test_hidden_characters_are_shown_not_obeyed(article_file: Path, tmp_path: Path) -> None:
    """A claimant carrying a terminal escape and a right-to-left override: the terminal and the
    reports show the characters, and a javascript: address never reaches the ClaimReview."""
    from factdesk.services import Workspace

    run("add", "--no-detect", str(article_file))
    with Workspace.open() as ws:
        article = ws.list_articles()[0]
        claim = ws.mark_claim(article.id, 32, 100).value
        ws.edit_claim(claim.id, claimant="the \x1b[2Jmayor\u202e")
        ws.set_status(claim.id, "disputed", "Minutes say 14 percent.")
        ws.update_settings(organisation="Desk", organisation_url="javascript:alert(1)")
        article_id = article.id
    code, out, _ = run("claims", article_id[:8])
    assert code == 0
    assert "\x1b" not in out and "\u202e" not in out
    assert "the <U+001B>[2Jmayor<U+202E>" in out
    md = tmp_path / "r.md"
    assert run("export", "--all", "--format", "md", "-o", str(md))[0] == 0
    assert "<U+202E>" in md.read_text() and "\u202e" not in md.read_text()
    cr = tmp_path / "r.json"
    assert run("export", "--all", "--format", "claimreview", "-o", str(cr))[0] == 0
    assert "javascript" not in cr.read_text()


def test_analyze_reports_the_claims_the_board_stores(factdesk_home: Path, tmp_path: Path) -> None:
    bundled = Path(__file__).resolve().parents[2] / "resources" / "sample-article.txt"
    # the bundled sample is claim-dense (each sentence may be a claim): a closing pleasantry gives
    # `--all` a sentence that is no claim
    sample = tmp_path / "sample-article.txt"
    sample.write_text(
        bundled.read_text(encoding="utf-8").rstrip("\n") + "\nThank you all, and good night.\n",
        encoding="utf-8",
    )
    code, out, err = run("analyze", str(sample), "--json")
    assert code == 0, err
    analyzed = json.loads(out)
    code, out, err = run("add", str(sample))
    assert code == 0, err
    article_id = json.loads(run("list", "--json")[1])[0]["id"]
    code, out, err = run("claims", article_id[:8], "--json")
    stored = json.loads(out)
    keys = ("start", "end", "text", "kind", "claimant", "priority", "claimant_start")
    assert [tuple(c[k] for k in keys) for c in analyzed] == [
        tuple(c[k] for k in keys) for c in stored
    ]
    assert [round(c["score"], 4) for c in analyzed] == [c["score"] for c in stored]
    # the quotes put in the mayor's mouth are there, whatever their score
    quotes = [c for c in analyzed if c["kind"] == "quotation"]
    assert quotes and all(c["claimant"] == "Mayor Daniel Osei" for c in quotes)
    text = sample.read_text(encoding="utf-8")
    for c in stored:
        assert c["priority"] in ("high", "normal", "low")
        if c["claimant_start"] is not None:
            assert text[c["claimant_start"] : c["claimant_end"]] == c["claimant"]
    everything = json.loads(run("analyze", str(sample), "--json", "--all")[1])
    assert len(everything) > len(analyzed)
    assert all(not c["is_check_worthy"] for c in everything if c not in analyzed)


class Terminal(io.StringIO):
    """stderr as a person watching a terminal has it."""

    def isatty(self) -> bool:
        return True


def test_a_long_analysis_shows_its_progress_on_a_terminal(
    article_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 50 MB article takes a long while: the terminal shows how far it got (here every
    analysis counts as long), and the claims found are the same as without."""
    pytest.importorskip("spacy")
    _, quiet, _ = run("analyze", str(article_file))
    monkeypatch.setattr(cli, "PROGRESS_AFTER_S", 0.0)
    out, err = io.StringIO(), Terminal()
    assert cli.run(["analyze", str(article_file)], out, err) == 0
    assert out.getvalue() == quiet
    assert err.getvalue().endswith("finding claims: 100%\n")
    err = Terminal()
    assert cli.run(["add", str(article_file)], io.StringIO(), err) == 0
    assert err.getvalue().endswith(f"finding claims in {article_file.name}: 100%\n")
