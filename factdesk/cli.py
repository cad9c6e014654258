"""The headless command line: every subcommand is a thin layer over the Workspace.

Errors print one readable line to stderr and exit 1; usage errors exit 2. Ids may be given as
unique prefixes, as in git.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, TextIO

from factdesk.args import base_parser
from factdesk.domain import ClaimStatus, FactdeskError, Stance
from factdesk.domain.formats import REPORT_FORMATS, SUPPORTED_ARTICLES
from factdesk.domain.seal_text import seal_text
from factdesk.domain.text import claimant_text, visible

STATUS_MARK = {"verified": "✔", "disputed": "✘", "unverified": "?"}
# Work that takes longer than this shows its progress on stderr (when a person watches it).
PROGRESS_AFTER_S = 1.0


def build_parser() -> argparse.ArgumentParser:
    parser, sub = base_parser()

    p = sub.add_parser("add", help=f"import article files ({SUPPORTED_ARTICLES})")
    p.add_argument("files", nargs="*", metavar="FILE")
    p.add_argument("--url", action="append", default=[], help="fetch an article from the web")
    p.add_argument("--no-detect", action="store_true", help="do not run claim detection")

    p = sub.add_parser("list", help="the articles on the board")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("claims", help="the claims of an article")
    p.add_argument("article")
    p.add_argument("--status", choices=[s.value for s in ClaimStatus])
    p.add_argument("--all", action="store_true", help="include dismissed claims")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("set", help="set a claim's status")
    p.add_argument("claim")
    p.add_argument("status", choices=[s.value for s in ClaimStatus])
    p.add_argument("--note", help="the explanation of the verdict")
    p.add_argument(
        "--with-repeats", action="store_true", help="the same verdict for its repeated quotes"
    )

    p = sub.add_parser("edit", help="change a claim's claimant, explanation or rating")
    p.add_argument("claim")
    p.add_argument("--claimant")
    p.add_argument("--explanation")
    p.add_argument("--rating")

    for name, text in (
        ("dismiss", "dismiss a detected claim"),
        ("restore", "restore a dismissed claim"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("claim")

    p = sub.add_parser("mark", help="mark characters START..END of an article as a claim")
    p.add_argument("article")
    p.add_argument("start", type=int)
    p.add_argument("end", type=int)
    p.add_argument("--claimant", default="")

    p = sub.add_parser("attach", help="attach evidence to a claim")
    p.add_argument("claim")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--url")
    src.add_argument("--file")
    src.add_argument("--note")
    p.add_argument("--quote", default="", help="the passage of the source that bears on the claim")
    p.add_argument("--title", default="")
    p.add_argument("--publisher", default="")
    p.add_argument(
        "--stance",
        choices=[s.value for s in Stance],
        help="how it bears on the claim (default: unset, shown as 'not set'; a note: context)",
    )

    p = sub.add_parser(
        "search", help="full-text search across the board (word* matches longer words too)"
    )
    p.add_argument("query", nargs="+")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("history", help="everything that happened to a claim")
    p.add_argument("claim")
    p.add_argument("--json", action="store_true")

    sub.add_parser("undo", help="undo your last action")
    sub.add_parser("redo", help="redo what you last undid")

    p = sub.add_parser("board", help="board info, integrity check, backup")
    bsub = p.add_subparsers(
        dest="board_command",
        metavar="info|verify|backup|restore|recover|rekey|secret|accept",
        required=True,
    )
    b = bsub.add_parser("info", help="where the board is, how it is encrypted, its size")
    b.add_argument("--json", action="store_true")
    bsub.add_parser("verify", help="check the history chain and every attachment's hash")
    b = bsub.add_parser("backup", help="write a consistent copy of the board")
    b.add_argument("path", nargs="?")
    b = bsub.add_parser("restore", help="put a backup in the board's place (verified first)")
    b.add_argument("backup")
    bsub.add_parser("rekey", help="change the board's key (writes a new recovery file)")
    b = bsub.add_parser(
        "recover", help="bring a board's key back into the keyring from its recovery file"
    )
    b.add_argument("file", metavar="RECOVERY-FILE")
    b = bsub.add_parser(
        "secret",
        help="hand the chain secret that seals the history to a colleague (team boards): "
        "export FILE here, import FILE on their computer",
    )
    b.add_argument("direction", choices=["export", "import"])
    b.add_argument("file", metavar="SECRET-FILE")
    b = bsub.add_parser(
        "accept",
        help="vouch for history events written without the chain secret (as `board verify` "
        "names them): FIRST-LAST, one event, or all; without it, list them",
    )
    b.add_argument("span", nargs="?", metavar="FIRST-LAST")

    p = sub.add_parser("analyze", help="find the claims of an article file (no board needed)")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.add_argument("--all", action="store_true", help="include sentences below the threshold")

    sub.add_parser(
        "score", help="read sentences on stdin, write SCORE<TAB>0|1 per line (check-worthiness)"
    )

    p = sub.add_parser("factchecks", help="import, list and remove fact-check collections")
    fsub = p.add_subparsers(dest="fc_command", metavar="import|list|remove", required=True)
    f = fsub.add_parser("import", help="ClaimReview JSON-LD, Fact Check Tools JSON, CSV/TSV")
    f.add_argument("files", nargs="+", metavar="FILE")
    f = fsub.add_parser("list", help="the collections on the board")
    f.add_argument("--json", action="store_true")
    f = fsub.add_parser("remove", help="remove a collection (by name or id) and its fact-checks")
    f.add_argument("collection")

    p = sub.add_parser(
        "match", help="earlier verdicts and fact-checks like a claim (no CLAIM: one query a line)"
    )
    p.add_argument("claim", nargs="?", help="a claim id (prefix) or the text of a claim")
    p.add_argument("--top", type=int, default=5, metavar="K")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("config", help="show or change your settings (reviewer, organisation, ...)")
    p.add_argument("action", choices=["get", "set"])
    p.add_argument(
        "key", nargs="?", help="reviewer, organisation, organisation-url, review-url, ..."
    )
    p.add_argument("value", nargs="?", help="the new value ('' clears it)")

    p = sub.add_parser("export", help="write a verdict report or ClaimReview JSON-LD")
    p.add_argument("article", nargs="?")
    p.add_argument("--all", action="store_true", help="the whole board")
    p.add_argument("--format", required=True, choices=REPORT_FORMATS)
    p.add_argument("-o", "--output", required=True, metavar="PATH")
    p.add_argument("--history", action="store_true", help="include each claim's history")
    p.add_argument(
        "--include-unverified", action="store_true", help="ClaimReview for unverified claims too"
    )
    p.add_argument("--paper", choices=["a4", "letter"], default="a4")

    sub.add_parser("doctor", help="check this install: window, claim detection, keyring, board")

    p = sub.add_parser("sync", help="exchange changes with the desk's team board")
    p.add_argument("url", nargs="?", metavar="TEAM_URL", help="postgresql://... (remembered)")
    p = sub.add_parser("conflicts", help="claims changed both here and on the team board")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("resolve", help="settle a sync conflict of a claim")
    p.add_argument("claim")
    p.add_argument("--keep", required=True, metavar="mine|theirs|TEXT")
    return parser


# -- output helpers -------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _json(value: Any, out: TextIO) -> None:
    json.dump(_plain(value), out, ensure_ascii=False, indent=2)
    out.write("\n")


def _event_line(e: Any) -> str:
    """One history event: its number, time, who, the action and what it changed."""
    changes = ", ".join(
        f"{k}: {_one_line(str(e.before.get(k, '')), 30)!r} -> {_one_line(str(v), 30)!r}"
        for k, v in e.after.items()
        if k not in ("updated_at", "created_at", "id")
    )
    if e.op != "update":
        changes = f"{e.op} {e.entity}"
    return visible(f"#{e.seq}  {e.at:%Y-%m-%d %H:%M:%S}  {e.actor}  {e.action}  [{changes}]")


def _minute(at: str) -> str:
    """An ISO time as '2026-12-02 06:27 UTC'."""
    return at[:16].replace("T", " ") + " UTC" if at else "?"


def _one_line(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _prompt_passphrase(prompt: str) -> str | None:
    if not sys.stdin.isatty():
        return None
    first = getpass.getpass(prompt + " ")
    confirming = "Choose a passphrase" in prompt and first
    if confirming and getpass.getpass("Repeat the passphrase: ") != first:
        raise FactdeskError("The two passphrases differ; nothing was created.")
    return first or None


# -- commands -------------------------------------------------------------------------------


class Cli:
    def __init__(self, args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
        self.args = args
        self.out = out
        self.err = err

    def workspace(self, *, create: bool = False, read_only: bool = False) -> Any:
        """The board; only `add` may create it, and reading commands open it read-only."""
        from factdesk.services import Workspace

        ws = Workspace.open(
            self.args.board,
            home=self.args.home,
            plaintext=self.args.plaintext,
            passphrase=_prompt_passphrase,
            create=create,
            read_only=read_only,
        )
        if ws.recovery_file is not None:
            print(
                f"factdesk: WARNING: the new board's key is in this computer's keyring. A "
                f"recovery file that opens the board without it was written to "
                f"{ws.recovery_file}. Anyone with that file can read the board: keep it "
                "somewhere safe and offline (a USB stick, a password manager), then delete it "
                "here. Without the keyring entry and that file, the board cannot be opened.",
                file=self.err,
            )
        return ws

    def say(self, text: str = "") -> None:
        print(visible(text), file=self.out)

    def run(self) -> int:
        handler: Callable[[], int] = getattr(self, "cmd_" + self.args.command.replace("-", "_"))
        return handler()

    def cmd_add(self) -> int:
        from factdesk import importers

        if not self.args.files and not self.args.url:
            raise FactdeskError("Give at least one file (or --url URL) to import.")
        failures = 0
        with self.workspace(create=True) as ws:
            for path in self.args.files:
                try:
                    outcome = ws.import_file(
                        path,
                        detect=not self.args.no_detect,
                        progress=self._progress(f"finding claims in {os.path.basename(path)}"),
                    )
                except FactdeskError as exc:
                    failures += 1
                    print(visible(f"factdesk: {exc}"), file=self.err)
                    continue
                self._report_import(ws, path, outcome)
            for url in self.args.url:
                try:
                    doc = importers.fetch_url(url)
                    outcome = ws.add_document(doc, detect=not self.args.no_detect)
                except FactdeskError as exc:
                    failures += 1
                    print(visible(f"factdesk: {exc}"), file=self.err)
                    continue
                self._report_import(ws, url, outcome)
        return 1 if failures else 0

    def _report_import(self, ws: Any, source: str, outcome: Any) -> None:
        article = outcome.value
        if not outcome.changes:
            self.say(f"{source}: already on the board as {article.id[:8]} “{article.title}”")
            return
        n = len(ws.claims(article.id))
        self.say(f"{source}: added {article.id[:8]} “{article.title}” with {n} claims")

    def cmd_list(self) -> int:
        with self.workspace(read_only=True) as ws:
            articles = ws.list_articles()
        if self.args.json:
            _json(articles, self.out)
            return 0
        if not articles:
            self.say("The board has no articles yet. Add one with: factdesk add FILE")
            return 0
        for a in articles:
            twins = ", ".join(i[:8] for i in a.same_text_as)
            self.say(
                f"{a.id[:8]}  {a.imported_at:%Y-%m-%d}  ✔{a.n_verified} ✘{a.n_disputed} "
                f"?{a.n_unverified}  {_one_line(a.title, 70)}"
                + (f"  (same text as {twins})" if twins else "")
            )
        return 0

    def cmd_claims(self) -> int:
        with self.workspace(read_only=True) as ws:
            article_id = ws.resolve_article(self.args.article)
            status = ClaimStatus(self.args.status) if self.args.status else None
            claims = ws.claims(article_id, status=status, include_dismissed=self.args.all)
            conflicted = ws.conflicted_claims()
        if self.args.json:
            from factdesk import nlp

            _json([nlp.claim_dict(_plain(c), c) for c in claims], self.out)
            return 0
        for c in claims:
            flag = " (dismissed)" if c.dismissed else ""
            if c.id in conflicted:
                flag += " (sync conflict: factdesk conflicts)"
            who = claimant_text(c.claimant)
            self.say(
                f"{c.id[:8]}  {STATUS_MARK[c.status.value]} {c.status.value:<10} {c.score:.2f} "
                f"{c.priority.value:<6}  {c.kind.value:<18} {who}: "
                f"{_one_line(c.text, 80)}{flag}"
            )
        if not claims:
            self.say("No claims match.")
        return 0

    def cmd_set(self) -> int:
        with self.workspace() as ws:
            claim_id = ws.resolve_claim(self.args.claim)
            outcome = ws.set_status(
                claim_id,
                ClaimStatus(self.args.status),
                self.args.note,
                with_repeats=self.args.with_repeats,
            )
        c = outcome.value
        self.say(f"{c.id[:8]} is now {c.status.value}: {_one_line(c.text, 70)}")
        if len(outcome.claim_ids) > 1:
            n = len(outcome.claim_ids) - 1
            self.say(f"and {n} repeat{'s' if n > 1 else ''} of it")
        return 0

    def cmd_edit(self) -> int:
        with self.workspace() as ws:
            claim_id = ws.resolve_claim(self.args.claim)
            c = ws.edit_claim(
                claim_id,
                claimant=self.args.claimant,
                explanation=self.args.explanation,
                rating=self.args.rating,
            ).value
        self.say(f"{c.id[:8]} updated")
        return 0

    def cmd_dismiss(self) -> int:
        with self.workspace() as ws:
            c = ws.dismiss_claim(ws.resolve_claim(self.args.claim)).value
        self.say(f"{c.id[:8]} dismissed")
        return 0

    def cmd_restore(self) -> int:
        with self.workspace() as ws:
            c = ws.restore_claim(ws.resolve_claim(self.args.claim)).value
        self.say(f"{c.id[:8]} restored")
        return 0

    def cmd_mark(self) -> int:
        with self.workspace() as ws:
            article_id = ws.resolve_article(self.args.article)
            c = ws.mark_claim(
                article_id, self.args.start, self.args.end, claimant=self.args.claimant
            ).value
        self.say(f"{c.id[:8]} marked: {_one_line(c.text, 80)}")
        return 0

    def cmd_attach(self) -> int:
        a = self.args
        with self.workspace() as ws:
            claim_id = ws.resolve_claim(a.claim)
            if a.url:
                link = ws.attach_url(
                    claim_id,
                    a.url,
                    quote=a.quote,
                    title=a.title,
                    publisher=a.publisher,
                    stance=Stance(a.stance or Stance.UNSET),
                ).value
            elif a.file:
                link = ws.attach_file(
                    claim_id, a.file, title=a.title, stance=Stance(a.stance or Stance.UNSET)
                ).value
            else:
                link = ws.attach_note(
                    claim_id, a.note, stance=Stance(a.stance or Stance.CONTEXT)
                ).value
        ev = link.evidence
        what = ev.url or (ev.attachment.filename if ev.attachment else "note")
        extra = f" sha256 {ev.attachment.sha256}" if ev.attachment else ""
        self.say(
            f"attached {ev.kind.value} {what} (stance: {link.stance.label}) to {claim_id[:8]}{extra}"
        )
        return 0

    def cmd_search(self) -> int:
        query = " ".join(self.args.query)
        with self.workspace(read_only=True) as ws:
            hits = ws.search(query)
        if self.args.json:
            _json(hits, self.out)
            return 0
        for h in hits:
            ref = (h.claim_id or h.article_id or h.id)[:8]
            self.say(f"{h.kind:<8} {ref}  {_one_line(h.snippet, 100)}")
        if not hits:
            self.say(f"Nothing on the board matches “{query}”.")
        return 0

    def cmd_history(self) -> int:
        with self.workspace(read_only=True) as ws:
            claim_id = ws.resolve_claim(self.args.claim)
            events = ws.history(claim_id=claim_id)
        if self.args.json:
            _json(events, self.out)
            return 0
        for e in events:
            self.say(_event_line(e))
        return 0

    def cmd_undo(self) -> int:
        with self.workspace() as ws:
            label = ws.undo().value
        self.say(f"Undone: {label}")
        return 0

    def cmd_redo(self) -> int:
        with self.workspace() as ws:
            label = ws.redo().value
        self.say(f"Redone: {label}")
        return 0

    def cmd_board(self) -> int:
        cmd = self.args.board_command
        if cmd == "restore":
            return self._restore()
        if cmd == "recover":
            return self._recover()
        if cmd == "secret":
            return self._secret()
        if cmd == "accept":
            return self._accept()
        if cmd == "rekey":
            with self.workspace() as ws:
                written = ws.rekey()
            self.say("The board has a new key, in this computer's keyring; the old key and old")
            self.say("recovery files no longer open it (close any window that has it open).")
            print(
                f"factdesk: WARNING: new recovery file {written}: keep it somewhere safe and "
                "offline, then delete it here.",
                file=self.err,
            )
            return 0
        with self.workspace(read_only=True) as ws:
            if cmd == "info":
                info = ws.info()
                if self.args.json:
                    _json(info, self.out)
                    return 0
                size = f"{info.file_size / 1024:.0f} KiB" if info.file_size is not None else "-"
                self.say(f"board:      {info.location}")
                self.say(f"backend:    {info.backend}")
                self.say(f"encrypted:  {'yes (SQLCipher)' if info.encrypted else 'no'}")
                self.say(f"key:        {info.key_source}")
                self.say(f"schema:     {info.schema_revision}")
                self.say(f"articles:   {info.n_articles}")
                self.say(f"claims:     {info.n_claims}")
                self.say(f"history:    {info.n_events} events, head {info.head_hash[:16]}")
                self.say(f"seal:       {seal_text(info)}")
                self.say(f"size:       {size}")
                return 0
            if cmd == "verify":
                report = ws.verify(self._progress("verifying"))
                for p in report.problems:
                    print(visible(f"PROBLEM {p.where}: {p.what}"), file=self.out)
                for note in report.notes:
                    print(f"note: {note}", file=self.out)
                verdict = "OK" if report.ok else f"FAILED ({len(report.problems)} problems)"
                self.say(
                    f"{verdict}: {report.events_checked} history events, "
                    f"{report.attachments_checked} attachments checked; head {report.head_hash}"
                )
                return 0 if report.ok else 1
            dest = ws.backup(self.args.path)
            self.say(f"Backed up to {dest} (every page checked)")
            return 0

    def _secret(self) -> int:
        with self.workspace() as ws:
            if self.args.direction == "export":
                written = ws.export_chain_secret(self.args.file)
                self.say(f"The chain secret is in {written}.")
                print(
                    "factdesk: WARNING: anyone with that file and the board can seal a rewritten "
                    "history: hand it over in person, import it, then delete it.",
                    file=self.err,
                )
                return 0
            ws.import_chain_secret(self.args.file)
        self.say("The chain secret is in this computer's keyring: your writes seal the history.")
        return 0

    def _accept(self) -> int:
        shown = 20  # events listed per run
        with self.workspace(read_only=self.args.span is None) as ws:
            if self.args.span is None:
                gaps = ws.unsealed()
                for g in gaps:
                    state = (
                        f"accepted by {g.accepted_by} at {_minute(g.accepted_at)}"
                        if g.accepted_at
                        else "NOT accepted"
                    )
                    when = _minute(g.since)
                    if _minute(g.until) != when:
                        when += f" to {_minute(g.until)}"
                    self.say(
                        visible(
                            f"events {g.first}-{g.last} by {', '.join(g.actors) or '?'}, "
                            f"{when}: {state}"
                        )
                    )
                    if g.accepted_at:
                        continue
                    for e in ws.history(between=(g.first, g.last), limit=shown):
                        self.say("  " + _event_line(e))
                    if g.last - g.first + 1 > shown:
                        self.say(f"  ... and {g.last - g.first + 1 - shown:,} more")
                if not any(not g.accepted_at for g in gaps):
                    self.say(
                        "Every event on the board was written with the chain secret or accepted."
                    )
                    return 0
                self.say(
                    "If these are your team's work, `factdesk board accept FIRST-LAST` vouches "
                    "for them (on a computer that holds the chain secret); if not, restore a "
                    "backup (`factdesk board restore BACKUP`)."
                )
                return 1
            done = ws.accept_unsealed(self.args.span)
        for g in done:
            self.say(
                visible(
                    f"Accepted events {g.first}-{g.last} (by {', '.join(g.actors) or '?'}), "
                    f"as {g.accepted_by or 'you'}: `factdesk board verify` lists them as accepted."
                )
            )
        return 0

    def _recover(self) -> int:
        from pathlib import Path

        from factdesk import paths, settings
        from factdesk.services import recovery

        p = paths.resolve(self.args.home)
        board = Path(
            self.args.board or settings.load(p.settings_file).default_board or p.default_board
        )
        recovery.recover(board.expanduser().resolve(), Path(self.args.file).expanduser())
        self.say(f"The key of {board} is in this computer's keyring again; the board opens.")
        return 0

    def _restore(self) -> int:
        from factdesk.services import backup

        result = backup.restore(
            self.args.backup,
            self.args.board,
            home=self.args.home,
            passphrase=_prompt_passphrase,
        )
        self.say(f"Restored {result.board} from {result.backup} (verified first).")
        if result.kept is not None:
            self.say(f"The board as it was is kept at {result.kept}.")
        return 0

    def _progress(self, what: str) -> Callable[[int, int], None] | None:
        """Progress on stderr for long work, only when a person watches the terminal."""
        if not self.err.isatty():
            return None
        started = time.monotonic()

        def show(done: int, total: int) -> None:
            if time.monotonic() - started < PROGRESS_AFTER_S:
                return
            end = "\n" if done >= total else ""
            print(f"\r{what}: {100 * done // max(total, 1)}%", end=end, file=self.err, flush=True)

        return show

    def cmd_analyze(self) -> int:
        from factdesk import nlp
        from factdesk.services import read_article_file

        doc = read_article_file(self.args.file, home=self.args.home)
        text = doc.text
        progress = self._progress("finding claims")
        if progress is None:
            cands = nlp.detect_claims(text)
        else:
            cands = []
            for step in nlp.iter_detect(text):  # the same claims, a batch of paragraphs at a time
                cands.extend(step.candidates)
                progress(step.done, step.total)
            cands = nlp.with_tiers(cands)  # the tiers rank the whole article's claims
        if not self.args.all:
            cands = [c for c in cands if c.is_check_worthy]
        if self.args.json:
            _json([nlp.candidate_dict(c) for c in cands], self.out)
            return 0
        for c in cands:
            who = claimant_text(c.claimant or "")
            dup = f" [repeats #{c.duplicate_of}]" if c.duplicate_of is not None else ""
            self.say(
                f"{c.start:>6}-{c.end:<6} {c.score:.2f} {c.priority or '':<6} {c.kind.value:<18} {who}: "
                f"{_one_line(c.text, 80)}{dup}"
            )
        return 0

    def cmd_score(self) -> int:
        from factdesk import nlp

        raw = sys.stdin.buffer.read().decode("utf-8", errors="replace")
        lines = raw.split("\n")
        if lines and lines[-1] == "":
            lines.pop()  # the newline that ends the last line does not start another
        write = self.out.write
        for row in nlp.score_lines(lines):
            write(row + "\n")
        return 0

    def cmd_config(self) -> int:
        from factdesk import paths, settings

        a = self.args
        file = paths.resolve(a.home).settings_file
        current = settings.load(file)
        if a.action == "get":
            if a.value is not None:
                raise FactdeskError("config get takes a key only; to change it, use config set.")
            items = [settings.editable(a.key)] if a.key else settings.EDITABLE
            for item in items:
                value = settings.shown(current, item.key)
                self.say(value if a.key else f"{item.key} = {value}")
            return 0
        if a.key is None or a.value is None:
            keys = ", ".join(item.key for item in settings.EDITABLE)
            raise FactdeskError(f"Give a key and a value: factdesk config set KEY VALUE ({keys}).")
        name, value = settings.parse(a.key, a.value)
        settings.save(file, current.with_(**{name: value}))
        self.say(f"{settings.editable(a.key).key} = {value}")
        return 0

    def cmd_factchecks(self) -> int:
        from factdesk import cli_match

        return cli_match.factchecks(self)

    def cmd_match(self) -> int:
        from factdesk import cli_match

        return cli_match.match(self)

    def cmd_sync(self) -> int:
        from factdesk import cli_sync

        return cli_sync.sync(self, _prompt_passphrase)

    def cmd_conflicts(self) -> int:
        from factdesk import cli_sync

        return cli_sync.conflicts(self)

    def cmd_resolve(self) -> int:
        from factdesk import cli_sync

        return cli_sync.resolve(self)

    def cmd_export(self) -> int:
        a = self.args
        if bool(a.article) == bool(a.all):
            raise FactdeskError("Name one article, or give --all for the whole board.")
        with self.workspace(read_only=True) as ws:
            article_id = ws.resolve_article(a.article) if a.article else None
            written = ws.export(
                article_id,
                a.format,
                a.output,
                include_history=a.history,
                include_unverified=a.include_unverified,
                paper=a.paper,
            )
            for warning in ws.export_warnings(a.format):
                print(f"factdesk: warning: {warning}", file=self.err)
        for path in written:
            self.say(f"wrote {path}")
        return 0


def run(argv: Sequence[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run a headless command. Returns the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    args = parser.parse_args(list(argv))
    from factdesk import log, paths

    log.configure(paths.resolve(args.home).log_file if args.command else None, args.verbose)
    try:
        code = Cli(args, out, err).run()
        out.flush()  # inside the try: a closed pipe is met here, not at the interpreter's exit
        return code
    except FactdeskError as exc:
        print(visible(f"factdesk: {exc}"), file=err)
        return 1
    except KeyboardInterrupt:
        print("factdesk: interrupted", file=err)
        return 130
    except BrokenPipeError:
        # the reader went away (`factdesk claims A | head -1`): stop quietly, as cat does;
        # stdout goes to devnull so that the interpreter's last flush does not fail again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
