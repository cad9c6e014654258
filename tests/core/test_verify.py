"""`board verify` names every direct edit of the board made with its key (each table, each field,
rows deleted and inserted, history reordered, cut or re-hashed), and never cries wolf on boards
written honestly through the services."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from factdesk.domain import FactdeskError
from factdesk.services import Workspace
from factdesk.store import BoardKey, history, salt_hex
from tests.conftest import MemoryKeyring
from tests.core.helpers import ARTICLE, board_with_article, candidates_for


@dataclass(frozen=True)
class Built:
    path: Path
    secrets: dict[tuple[str, str], str]
    ids: dict[str, str]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """One honest encrypted board with every kind of row, built once for the module."""
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    try:
        home = tmp_path_factory.mktemp("home")
        ws, article_id, (c1, c2) = board_with_article(home)
        ws.set_status(c1, "verified", "Minutes confirm it.")
        ws.edit_claim(c2, claimant="the mayor's office", rating="Mostly true")
        url = ws.attach_url(
            c1, "https://example.org/minutes", quote="18 percent", title="Minutes"
        ).value
        f = ws.attach_bytes(c1, b"minutes of the council meeting", "minutes.txt").value
        note = ws.attach_note(c2, "Called the council press office.").value
        ws.dismiss_claim(c2)
        assert ws.verify().ok
        path = Path(ws.info().location)
        ws.close()
        ids = {
            "article": article_id,
            "c1": c1,
            "c2": c2,
            "url_link": url.id,
            "url_ev": url.evidence.id,
            "file_ev": f.evidence.id,
            "att": f.evidence.attachment.id if f.evidence.attachment else "",
            "note_ev": note.evidence.id,
        }
        yield Built(path, dict(ring.secrets), ids)
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def board(built: Built, tmp_path: Path, memory_keyring: Any) -> tuple[Path, dict[str, str]]:
    """A fresh copy of the built board, its key and chain secret in this test's keyring."""
    dest = tmp_path / built.path.name
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(built.path) + suffix)
        if src.exists():
            shutil.copy(src, str(dest) + suffix)
    memory_keyring.secrets.update(built.secrets)
    return dest, built.ids


def _key(path: Path, ring: Any) -> BoardKey:
    return BoardKey(raw_hex=ring.secrets[("factdesk", f"board-{salt_hex(path)}")])


def _sql(path: Path, ring: Any, *statements: tuple[str, tuple[Any, ...]]) -> None:
    import sqlcipher3

    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = {_key(path, ring).pragma_value()}")
    for sql, params in statements:
        conn.execute(sql, params)
    conn.commit()
    conn.close()


def _problems(path: Path) -> list[str]:
    with Workspace.open(path, create=False) as ws:
        report = ws.verify()
    return [f"{p.where}: {p.what}" for p in report.problems]


def _rehash_from(conn: Any, first_seq: int) -> None:
    """What an editor with the key but without the chain secret can do: recompute every hash."""
    cols = ", ".join(history.HASHED_FIELDS)
    prev = conn.execute(
        "SELECT hash FROM history WHERE seq < ? ORDER BY seq DESC LIMIT 1", (first_seq,)
    ).fetchone()
    prev_hash = prev[0] if prev else ""
    rows = conn.execute(
        f"SELECT {cols} FROM history WHERE seq >= ? ORDER BY seq", (first_seq,)
    ).fetchall()
    for row in rows:
        fields = dict(zip(history.HASHED_FIELDS, row, strict=True))
        fields["prev_hash"] = prev_hash
        digest = history.event_hash(fields)
        conn.execute(
            "UPDATE history SET prev_hash = ?, hash = ? WHERE seq = ?",
            (prev_hash, digest, fields["seq"]),
        )
        prev_hash = digest
    last = conn.execute("SELECT max(seq) FROM history").fetchone()[0]
    conn.execute("UPDATE chain_head SET seq = ?, hash = ? WHERE id = 1", (last, prev_hash))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# (name, SQL statements with {placeholders} for ids, what verify must say)
EDITS: list[tuple[str, list[str], str]] = [
    (
        "claim status",
        ["UPDATE claims SET status = 'disputed' WHERE id = '{c1}'"],
        "claim {c1:.8}: status is 'disputed' in the board, history says 'verified'",
    ),
    (
        "claim explanation",
        ["UPDATE claims SET explanation = 'Confirmed by three sources.' WHERE id = '{c1}'"],
        "claim {c1:.8}: explanation is 'Confirmed by three sources.' in the board, history says "
        "'Minutes confirm it.'",
    ),
    (
        "claim rating",
        ["UPDATE claims SET rating = 'False' WHERE id = '{c2}'"],
        "claim {c2:.8}: rating is 'False' in the board, history says 'Mostly true'",
    ),
    (
        "claim claimant",
        ["UPDATE claims SET claimant = 'the opposition' WHERE id = '{c2}'"],
        "claim {c2:.8}: claimant is 'the opposition' in the board",
    ),
    (
        "claim offsets",
        ["UPDATE claims SET start = start + 4 WHERE id = '{c1}'"],
        "claim {c1:.8}: start is",
    ),
    (
        "claim dismissed",
        ["UPDATE claims SET dismissed = 0 WHERE id = '{c2}'"],
        "claim {c2:.8}: dismissed is False in the board, history says True",
    ),
    (
        "claim text",
        ["UPDATE claims SET text = 'The council said bills fall.' WHERE id = '{c1}'"],
        "claim {c1:.8}: its text was changed in the board",
    ),
    (
        "article text and its sha256",
        [
            "UPDATE articles SET text = replace(text, '18 percent', '8 percent'), sha256 = "
            f"'{_sha(ARTICLE.replace('18 percent', '8 percent'))}' WHERE id = '{{article}}'",
        ],
        "article {article:.8}: its text was changed in the board",
    ),
    (
        "article text against its own sha256",
        ["UPDATE articles SET text = replace(text, '18', '81') WHERE id = '{article}'"],
        "article {article:.8}: its text does not match its SHA-256",
    ),
    (
        "article title",
        ["UPDATE articles SET title = 'Council cuts bills' WHERE id = '{article}'"],
        "article {article:.8}: title is 'Council cuts bills' in the board",
    ),
    (
        "evidence url",
        ["UPDATE evidence SET url = 'https://forged.example/' WHERE id = '{url_ev}'"],
        "evidence {url_ev:.8}: url is 'https://forged.example/' in the board, history says "
        "'https://example.org/minutes'",
    ),
    (
        "evidence quote",
        ["UPDATE evidence SET quote = 'a fall of 18 percent' WHERE id = '{url_ev}'"],
        "evidence {url_ev:.8}: quote is 'a fall of 18 percent' in the board",
    ),
    (
        "evidence note",
        ["UPDATE evidence SET notes = 'Council denied it.' WHERE id = '{note_ev}'"],
        "evidence {note_ev:.8}: notes is 'Council denied it.' in the board",
    ),
    (
        "link stance",
        ["UPDATE claim_evidence SET stance = 'refutes' WHERE id = '{url_link}'"],
        "link {url_link:.8}: stance is 'refutes' in the board, history says 'unset'",
    ),
    (
        "attachment bytes and sha256",
        [
            f"UPDATE attachments SET data = X'666f72676564', sha256 = '{_sha('forged')}', "
            "size = 6 WHERE id = '{att}'",
        ],
        f"attachment {{att:.8}}: sha256 is '{_sha('forged')[:20]}",
    ),
    (
        "attachment bytes",
        ["UPDATE attachments SET data = X'666f72676564' WHERE id = '{att}'"],
        "its bytes do not match its SHA-256",
    ),
    (
        "attachment piece",
        ["UPDATE attachment_chunks SET data = X'666f72676564' WHERE attachment_id = '{att}'"],
        "its bytes do not match its SHA-256",
    ),
    (
        "deleted claim",
        [
            "DELETE FROM claim_evidence WHERE claim_id = '{c2}'",
            "DELETE FROM claims WHERE id = '{c2}'",
        ],
        "claim {c2:.8}: is gone from the board, its history says it exists (deleted directly)",
    ),
    (
        "inserted claim",
        [
            'INSERT INTO claims (id, created_at, updated_at, article_id, start, "end", text, '
            "score, kind, claimant, origin, status, explanation, rating, dismissed, reviewer, "
            "entities) SELECT '00000000-forged-claim', created_at, updated_at, article_id, "
            "start + 1, \"end\", text, score, kind, claimant, origin, 'verified', explanation, "
            "rating, dismissed, reviewer, entities FROM claims WHERE id = '{c1}'",
        ],
        "claim 00000000: is on the board but its history never created it (inserted directly)",
    ),
    (
        "deleted link",
        ["DELETE FROM claim_evidence WHERE id = '{url_link}'"],
        "link {url_link:.8}: is gone from the board",
    ),
    (
        "deleted history event",
        ["DELETE FROM history WHERE seq = 3"],
        "history before event 4: events 3..3 are missing (deleted?)",
    ),
    (
        "edited history event",
        ["UPDATE history SET after = replace(after, 'verified', 'disputed') WHERE op = 'update'"],
        "its content was changed after it was written",
    ),
    (
        "reordered history",
        [
            "UPDATE history SET seq = -1 WHERE seq = 2",
            "UPDATE history SET seq = 2 WHERE seq = 3",
            "UPDATE history SET seq = 3 WHERE seq = -1",
        ],
        "does not link to the event before it (chain broken)",
    ),
    (
        "sealed seal removed",
        ["DELETE FROM board_meta WHERE key = 'chain_seal'"],
        "keyed seal: this board's chain secret is known but the board carries no seal",
    ),
]


@pytest.mark.parametrize(("name", "statements", "expected"), EDITS, ids=[e[0] for e in EDITS])
def test_each_direct_edit_is_named(
    board: tuple[Path, dict[str, str]],
    memory_keyring: Any,
    name: str,
    statements: list[str],
    expected: str,
) -> None:
    path, ids = board
    _sql(path, memory_keyring, *((sql.format(**ids), ()) for sql in statements))
    problems = _problems(path)
    want = expected.format(**ids)
    assert any(want in p for p in problems), (name, problems)


def test_a_cut_tail_is_named_by_the_seal(
    board: tuple[Path, dict[str, str]], memory_keyring: Any
) -> None:
    """Cut the last events and fix the head: the hashes all link, only the seal knows."""
    path, _ = board
    import sqlcipher3

    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = {_key(path, memory_keyring).pragma_value()}")
    last = conn.execute("SELECT max(seq) FROM history").fetchone()[0]
    conn.execute("DELETE FROM history WHERE seq > ?", (last - 2,))
    digest = conn.execute("SELECT hash FROM history WHERE seq = ?", (last - 2,)).fetchone()[0]
    conn.execute("UPDATE chain_head SET seq = ?, hash = ? WHERE id = 1", (last - 2, digest))
    conn.commit()
    conn.close()
    problems = _problems(path)
    assert any(
        f"keyed seal: the seal covers events up to {last} but the log ends at {last - 2}" in p
        for p in problems
    ), problems


def test_a_rehashed_history_with_a_forged_verdict_is_named(
    board: tuple[Path, dict[str, str]], memory_keyring: Any
) -> None:
    """Change a verdict in the table and in its event, then re-hash every event after it: every
    link and hash checks out, and the live row matches the history; only the seal catches it."""
    path, ids = board
    import sqlcipher3

    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = {_key(path, memory_keyring).pragma_value()}")
    conn.execute("UPDATE claims SET status = 'disputed' WHERE id = ?", (ids["c1"],))
    seq = conn.execute(
        "SELECT seq FROM history WHERE entity_id = ? AND op = 'update' ORDER BY seq LIMIT 1",
        (ids["c1"],),
    ).fetchone()[0]
    conn.execute(
        "UPDATE history SET after = replace(after, '\"verified\"', '\"disputed\"') WHERE seq = ?",
        (seq,),
    )
    _rehash_from(conn, seq)
    conn.commit()
    conn.close()
    problems = _problems(path)
    assert problems == [
        "keyed seal: the history up to event "
        f"{_last_seq(path, memory_keyring)} is not the one the chain secret sealed "
        "(events re-hashed or rewritten)"
    ]


def _append_forged(path: Path, ring: Any, ids: dict[str, str]) -> int:
    """A forged verdict with a well-formed event appended to the chain. Returns its seq."""
    import sqlcipher3

    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = {_key(path, ring).pragma_value()}")
    last, head = conn.execute("SELECT seq, hash FROM chain_head").fetchone()
    conn.execute("UPDATE claims SET status = 'disputed' WHERE id = ?", (ids["c1"],))
    cols = ", ".join(history.HASHED_FIELDS)
    row = conn.execute(f"SELECT {cols} FROM history WHERE seq = ?", (last,)).fetchone()
    fields = dict(zip(history.HASHED_FIELDS, row, strict=True))
    fields.update(
        seq=last + 1,
        id="forged-event",
        op="update",
        entity="claim",
        entity_id=ids["c1"],
        before='{"status":"verified"}',
        after='{"status":"disputed"}',
        prev_hash=head,
    )
    digest = history.event_hash(fields)
    conn.execute(
        f"INSERT INTO history ({cols}, hash) VALUES ({', '.join('?' * (len(fields) + 1))})",
        (*fields.values(), digest),
    )
    conn.execute("UPDATE chain_head SET seq = ?, hash = ?", (last + 1, digest))
    conn.commit()
    conn.close()
    return int(last) + 1


def test_an_appended_forged_event_is_named_by_the_seal(
    board: tuple[Path, dict[str, str]], memory_keyring: Any
) -> None:
    """A forged verdict with a well-formed event appended to the chain: not under the seal."""
    path, ids = board
    forged = _append_forged(path, memory_keyring, ids)
    problems = _problems(path)
    assert len(problems) == 1, problems
    assert problems[0].startswith(
        f"keyed seal: events {forged}..{forged} are not covered by the seal (written "
        "without the chain secret: directly, or by a computer that lacks it; by "
    )
    assert f"`factdesk board accept {forged}-{forged}`" in problems[0]


def _seal_removed(path: Path, ring: Any, ids: dict[str, str]) -> None:
    _sql(path, ring, ("DELETE FROM board_meta WHERE key = 'chain_seal'", ()))


def _rehashed(path: Path, ring: Any, ids: dict[str, str]) -> None:
    import sqlcipher3

    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = {_key(path, ring).pragma_value()}")
    conn.execute("UPDATE claims SET status = 'disputed' WHERE id = ?", (ids["c1"],))
    conn.execute(
        "UPDATE history SET after = replace(after, '\"verified\"', '\"disputed\"') "
        "WHERE entity_id = ? AND op = 'update'",
        (ids["c1"],),
    )
    _rehash_from(conn, 1)
    conn.commit()
    conn.close()


def _tail_cut(path: Path, ring: Any, ids: dict[str, str]) -> None:
    import sqlcipher3

    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = {_key(path, ring).pragma_value()}")
    last = conn.execute("SELECT max(seq) FROM history").fetchone()[0]
    conn.execute("DELETE FROM history WHERE seq > ?", (last - 1,))
    digest = conn.execute("SELECT hash FROM history WHERE seq = ?", (last - 1,)).fetchone()[0]
    conn.execute("UPDATE chain_head SET seq = ?, hash = ? WHERE id = 1", (last - 1, digest))
    conn.commit()
    conn.close()


# (name, the edit made without the chain secret, what verify says after the owner's next write)
NOT_LAUNDERED: list[tuple[str, Any, str]] = [
    ("appended event", _append_forged, "were written without the chain secret (found when"),
    ("seal removed", _seal_removed, "the board carried no seal (found when"),
    ("history re-hashed", _rehashed, "the seal did not match the history (found when"),
    ("tail cut", _tail_cut, "the seal did not match the history (found when"),
]


@pytest.mark.parametrize(
    ("name", "edit", "expected"), NOT_LAUNDERED, ids=[n[0] for n in NOT_LAUNDERED]
)
def test_an_edit_stays_named_after_the_owners_next_write(
    board: tuple[Path, dict[str, str]], memory_keyring: Any, name: str, edit: Any, expected: str
) -> None:
    """The owner's next write (with the chain secret) moves the seal, but does not seal over
    what was written or rewritten without it: verify names it until the owner accepts it."""
    path, ids = board
    edit(path, memory_keyring, ids)
    assert _problems(path)  # named before the write, as ever
    with Workspace.open(path, create=False, actor="ana") as ws:
        ws.attach_note(ids["c1"], "Called the council again.")
        ws.set_status(ids["c2"], "unverified", "Reopened.")
    problems = _problems(path)
    assert any(
        p.startswith("keyed seal: ") and expected in p and "ana wrote" in p for p in problems
    ), (name, problems)

    gap = next(g for g in _unsealed(path) if not g.accepted_at)
    with Workspace.open(path, create=False, actor="ana") as ws:
        ws.accept_unsealed(f"{gap.first}-{gap.last}")
    assert not any(p.startswith("keyed seal") for p in _problems(path))
    with Workspace.open(path, create=False) as ws:
        notes = ws.verify().notes
    assert any(f"events {gap.first}..{gap.last}" in n and "accepted by ana" in n for n in notes)


def _unsealed(path: Path) -> list[Any]:
    with Workspace.open(path, create=False) as ws:
        return ws.unsealed()


def test_accept_on_the_command_line(
    board: tuple[Path, dict[str, str]], memory_keyring: Any
) -> None:
    """`board accept` lists what is not accepted and how to accept it, then accepts it; verify
    is then OK and says who accepted what."""
    import io

    from factdesk import cli

    path, ids = board
    forged = _append_forged(path, memory_keyring, ids)

    def run(*args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = cli.run(["--board", str(path), *args], out, err)
        return code, out.getvalue(), err.getvalue()

    code, out, _ = run("board", "info")
    assert "seal:       1 event written without the chain secret, not accepted" in out, out
    code, out, _ = run("board", "verify")
    assert code == 1 and f"factdesk board accept {forged}-{forged}" in out, out
    code, out, _ = run("board", "accept")
    assert code == 1 and f"events {forged}-{forged} by " in out and "NOT accepted" in out, out
    assert f"\n  #{forged}  " in out and "disputed" in out, out  # the events themselves
    code, out, err = run("board", "accept", "1-2")
    assert code == 1 and f"those not accepted: {forged}-{forged}" in err, err
    code, out, err = run("board", "accept", "sometime")
    assert code == 1 and "is not a range of events" in err, err
    code, out, err = run("board", "accept", f"{forged}-{forged}")
    assert code == 0 and f"Accepted events {forged}-{forged}" in out, (out, err)
    code, out, _ = run("board", "verify")
    assert code == 0 and out.startswith(f"note: events {forged}..{forged}"), out
    assert "accepted by" in out
    code, out, _ = run("board", "accept")
    assert code == 0 and "accepted by" in out, out
    code, out, _ = run("board", "info")
    assert "seal:       sealed; your changes seal the history" in out, out


def _last_seq(path: Path, ring: Any) -> int:
    import sqlcipher3

    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = {_key(path, ring).pragma_value()}")
    seq = conn.execute("SELECT seq FROM chain_head").fetchone()[0]
    conn.close()
    return int(seq)


def test_head_hash_checkable_without_the_chain_secret(
    board: tuple[Path, dict[str, str]], memory_keyring: Any
) -> None:
    """Someone with the board but not the chain secret still checks the chain and the rows."""
    path, _ = board
    with Workspace.open(path, create=False) as ws:
        head = ws.info().head_hash
    memory_keyring.secrets = {
        k: v for k, v in memory_keyring.secrets.items() if not k[1].startswith("chain-")
    }
    with Workspace.open(path, create=False) as ws:
        report = ws.verify()
    assert report.ok and report.head_hash == head
    assert any("could not be checked" in n for n in report.notes)


# -- honest sessions never raise an alarm ----------------------------------------------------


WORDS = st.text(st.sampled_from("abc xyz\u00e9\u202e\n\"'"), min_size=1, max_size=12)


class HonestSessions(RuleBasedStateMachine):
    """Random journalist sessions through the services; after each step verify is clean."""

    def __init__(self) -> None:
        super().__init__()
        import tempfile

        from factdesk.importers import read_text

        self.dir = tempfile.TemporaryDirectory()
        self.ws = Workspace.open(Path(self.dir.name) / "b.fdb")
        doc = read_text(ARTICLE, title="t")
        self.article = self.ws.add_document(doc, candidates=candidates_for(doc.text)).value.id
        self.links: list[str] = []

    def _claim(self, i: int) -> str | None:
        """The i-th claim (cyclically); None once undo has taken the article away."""
        ids = [c.id for c in self.ws.claims(self.article, include_dismissed=True)]
        return ids[i % len(ids)] if ids else None

    @rule(
        i=st.integers(0, 50),
        status=st.sampled_from(["verified", "disputed", "unverified"]),
        note=st.none() | WORDS,
    )
    def set_status(self, i: int, status: str, note: str | None) -> None:
        if (cid := self._claim(i)) is not None:
            self.ws.set_status(cid, status, note)

    @rule(i=st.integers(0, 50), claimant=WORDS, rating=WORDS)
    def edit(self, i: int, claimant: str, rating: str) -> None:
        if (cid := self._claim(i)) is not None:
            self.ws.edit_claim(cid, claimant=claimant, rating=rating)

    @rule(start=st.integers(0, 300), length=st.integers(1, 60))
    def mark(self, start: int, length: int) -> None:
        with contextlib.suppress(FactdeskError):  # outside the text, or already a claim
            self.ws.mark_claim(self.article, start, start + length)

    @rule(i=st.integers(0, 50), dismiss=st.booleans())
    def dismiss(self, i: int, dismiss: bool) -> None:
        if (cid := self._claim(i)) is None:
            return
        (self.ws.dismiss_claim if dismiss else self.ws.restore_claim)(cid)

    @rule(i=st.integers(0, 50), kind=st.sampled_from(["url", "note", "file"]), text=WORDS)
    def attach(self, i: int, kind: str, text: str) -> None:
        if (cid := self._claim(i)) is None:
            return
        if kind == "url":
            link = self.ws.attach_url(cid, "https://example.org/" + str(i), quote=text).value
        elif kind == "note":
            if not text.strip():
                return
            link = self.ws.attach_note(cid, text).value
        else:
            link = self.ws.attach_bytes(cid, text.encode(), "f.txt").value
        self.links.append(link.id)

    @precondition(lambda self: bool(self.links))
    @rule(
        i=st.integers(0, 50),
        stance=st.sampled_from(["supports", "refutes", "context"]),
        remove=st.booleans(),
    )
    def change_link(self, i: int, stance: str, remove: bool) -> None:
        link = self.links[i % len(self.links)]
        try:
            if remove:
                self.ws.unlink_evidence(link)
                self.links.remove(link)
            else:
                self.ws.set_stance(link, stance, note="n")
        except FactdeskError:
            self.links.remove(link)  # gone with an undo

    @rule(undo=st.booleans())
    def undo_redo(self, undo: bool) -> None:
        with contextlib.suppress(FactdeskError):  # nothing to undo or redo
            (self.ws.undo if undo else self.ws.redo)()

    @invariant()
    def verifies(self) -> None:
        """OK, and by the fast pass alone: the naming pass (twice the time) is for problems."""
        from unittest import mock

        from factdesk.store import verify

        with mock.patch.object(verify, "_naming", side_effect=AssertionError("naming pass")):
            report = self.ws.verify()
        assert report.ok, report.problems

    def teardown(self) -> None:
        self.ws.close()
        self.dir.cleanup()


TestHonestSessions = HonestSessions.TestCase
TestHonestSessions.settings = settings(
    max_examples=5,
    stateful_step_count=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


class SealGaps(RuleBasedStateMachine):
    """Writes with and without the chain secret in random order, and acceptances: verify names
    exactly the runs written without the secret that nobody accepted (a model of the seal keeps
    them), so no run vanishes under a later sealed write and no accepted run raises an alarm."""

    def __init__(self) -> None:
        super().__init__()
        import tempfile

        self.dir = tempfile.TemporaryDirectory()
        self.ws = Workspace.open(Path(self.dir.name) / "b.fdb", actor="ana")
        self.article = self.ws.import_text(ARTICLE, detect=False).value.id
        self.secret = self.ws._ctx.board.chain_secret
        assert self.secret is not None
        self.n = 0
        self.sealed = len(self.ws.history())  # the last event under the seal
        self.open: set[tuple[int, int]] = set()  # runs in the seal, not accepted

    def _write(self) -> None:
        """One honest change: a claim marked (offsets that move, so few are refused)."""
        self.ws.mark_claim(self.article, self.n % 200, self.n % 200 + 5 + self.n // 200)
        self.n += 1

    def _last(self) -> int:
        return self.ws.info().n_events

    @rule()
    def write_with_the_secret(self) -> None:
        start = self._last()
        with contextlib.suppress(FactdeskError):
            self._write()
        if self._last() > start:
            if start > self.sealed:
                self.open.add((self.sealed + 1, start))
            self.sealed = self._last()

    @rule()
    def write_without_the_secret(self) -> None:
        board = self.ws._ctx.board
        board.chain_secret = None  # as on a computer that lacks it
        try:
            with contextlib.suppress(FactdeskError):
                self._write()
        finally:
            board.chain_secret = self.secret

    @rule()
    def accept_all(self) -> None:
        try:
            self.ws.accept_unsealed("all")
        except FactdeskError:
            assert not self.open and self.sealed == self._last()
            return
        self.open.clear()
        self.sealed = self._last()

    @invariant()
    def names_exactly_the_open_runs(self) -> None:
        import re

        report = self.ws.verify()
        named = set()
        for p in report.problems:
            got = re.match(r"events (\d+)\.\.(\d+) ", p.what)
            assert p.where == "keyed seal" and got, p
            named.add((int(got[1]), int(got[2])))
        tail = {(self.sealed + 1, self._last())} if self._last() > self.sealed else set()
        assert named == self.open | tail, (named, self.open, tail)

    def teardown(self) -> None:
        self.ws.close()
        self.dir.cleanup()


TestSealGaps = SealGaps.TestCase
TestSealGaps.settings = settings(
    max_examples=8,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def test_an_honest_board_needs_no_row_replayed(
    board: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every honest row (created only, or updated, of every table) is matched by its digest or
    its create event's text: none takes the slow exact replay, which is what keeps verify fast,
    and a board file needs only the fast pass (the naming pass is for boards with problems)."""
    from factdesk.store import verify

    replayed: list[str] = []
    real = verify._replay_one
    monkeypatch.setattr(
        verify, "_replay_one", lambda conn, found, entity, entity_id, row: replayed.append(entity)
    )
    path, _ = board
    with Workspace.open(path, create=False) as ws:
        with ws._ctx.board.reading() as session:
            conn, secret = session.connection(), ws._ctx.board.chain_secret
            report = verify._naming(conn, secret, verify._Counter(None, 0))
        assert report.ok and replayed == []
        monkeypatch.setattr(verify, "_naming", _no_naming_pass)
        assert ws.verify().ok
    monkeypatch.setattr(verify, "_replay_one", real)


def _no_naming_pass(*args: Any) -> None:
    raise AssertionError("an honest board file needed the naming pass")
