"""The `factdesk factchecks` and `factdesk match` commands (called from cli.py).

`factdesk match --top K` with no CLAIM is the measured interface: for each stdin line, in order,
the review URLs of its top K matches (board claims as factdesk:claim/<id>), tab-separated, best
first; an empty line when there is none. The index is completed first (progress on stderr).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import asdict
from datetime import datetime
from typing import Any

from factdesk.domain import FactdeskError, NoBoardError, NotFoundError

_ID = re.compile(r"^[0-9a-f][0-9a-f-]{3,35}$")


def _json(rows: list[Any], out: Any) -> None:
    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, datetime) else value

    records = [{k: plain(v) for k, v in asdict(r).items()} for r in rows]
    json.dump(records, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _progress(err: Any) -> Any:
    last = [-1]

    def report(what: str, done: int, total: int) -> None:
        if total <= 0:
            print(f"factdesk: {what}…", file=err)
            return
        pct = 100 * done // total
        if pct != last[0] and (pct % 10 == 0 or done == total):
            last[0] = pct
            print(f"factdesk: {what}: {done}/{total} ({pct} %)", file=err)
        if done == total:
            last[0] = -1

    return report


def factchecks(cli: Any) -> int:
    a = cli.args
    # importing may start a board, as adding an article does; listing only reads
    with cli.workspace(create=a.fc_command == "import", read_only=a.fc_command == "list") as ws:
        if a.fc_command == "list":
            rows = ws.factcheck_collections()
            if a.json:
                _json(rows, cli.out)
                return 0
            if not rows:
                cli.say("No fact-check collections on this board: factdesk factchecks import FILE")
            for c in rows:
                cli.say(f"{c.id[:8]}  {c.items:>7} fact-checks  {c.format:<14} {c.name}")
            return 0
        if a.fc_command == "remove":
            coll, n = ws.remove_factchecks(a.collection)
            cli.say(f"removed {coll.name} ({n} fact-checks)")
            return 0
        failures = 0
        for path in a.files:
            try:
                summary = ws.import_factchecks(path, _progress(cli.err))
            except FactdeskError as exc:
                failures += 1
                print(f"factdesk: {exc}", file=cli.err)
                continue
            cli.say(
                f"{path}: {summary.format}, {summary.added} added, {summary.updated} updated, "
                f"{summary.unchanged} unchanged, {len(summary.skipped)} skipped"
            )
            for s in summary.skipped[:20]:
                print(f"  skipped {s.where}: {s.reason}", file=cli.err)
            if len(summary.skipped) > 20:
                print(f"  … and {len(summary.skipped) - 20} more skipped", file=cli.err)
        return 1 if failures else 0


def match(cli: Any) -> int:
    a = cli.args
    if a.top < 1:
        raise FactdeskError("--top must be at least 1.")
    try:
        opened = cli.workspace()
    except NoBoardError as exc:
        if a.claim is not None:
            raise
        # nothing on this computer to match against: still one (empty) line per query line
        print(f"factdesk: {exc} Nothing to match against: every line is empty.", file=cli.err)
        return _match_stdin(None, a.top, cli.out)
    with opened as ws:
        matcher = ws.matcher()
        matcher.refresh(_progress(cli.err))
        if a.claim is None:
            return _match_stdin(matcher, a.top, cli.out)
        claim = _claim_of(ws, a.claim)
        if claim is not None:
            results = matcher.match_claim(claim.id, claim.text, claim.article_id, a.top)
        else:
            results = matcher.match_text(a.claim, a.top)
    if a.json:
        _json(results, cli.out)
        return 0
    if not results:
        cli.say("No matches.")
    for r in results:
        what = r.rating or "no rating"
        by = " · ".join(x for x in (r.publisher, r.date) if x)
        cli.say(f"{r.similarity:5.2f}  {what}  {by}  {r.url}")
        cli.say(f"       {' '.join(r.text.split())[:110]}")
    return 0


def _claim_of(ws: Any, arg: str) -> Any:
    if not _ID.match(arg.strip().lower()):
        return None
    try:
        return ws.claim(ws.resolve_claim(arg))
    except NotFoundError:
        return None


def _match_stdin(matcher: Any, top: int, out: Any) -> int:
    raw = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    lines = raw.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline ending the last line does not start another
    write = out.write
    for line in lines:
        hits = matcher.match_text(line.rstrip("\r"), top) if matcher and line.strip() else []
        write("\t".join(h.url for h in hits) + "\n")
    out.flush()
    return 0
