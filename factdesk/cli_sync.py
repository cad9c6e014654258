"""The `factdesk sync`, `factdesk conflicts` and `factdesk resolve` commands (called from cli.py)."""

from __future__ import annotations

import json
from typing import Any

from factdesk.domain.text import visible


def _progress(err: Any) -> Any:
    last: dict[str, int] = {}

    def report(what: str, done: int, total: int) -> None:
        pct = 100 * done // max(total, 1)
        if last.get(what, -1) // 10 != pct // 10 or done == total:
            last[what] = pct
            print(f"factdesk: {what} {done}/{total} changes ({pct}%)", file=err, flush=True)

    return report


def _fmt(value: Any, field: str = "") -> str:
    if field == "removed":
        return "removed" if value else "kept, with the changes made to it"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value)


def sync(cli: Any, passphrase: Any) -> int:
    # a laptop joining the desk: its first sync makes its board (encrypted, as `add` does)
    with cli.workspace(create=True) as ws:
        report = ws.sync(cli.args.url, progress=_progress(cli.err), passphrase=passphrase)
        status = ws.sync_status()
    if not report.moved:
        cli.say(f"Already in sync with {status.url}.")
    else:
        parts = [
            f"received {report.pulled} change{'s' if report.pulled != 1 else ''}",
            f"sent {report.pushed}",
        ]
        fc = report.factchecks_sent + report.factchecks_received
        if fc:
            parts.append(
                f"fact-checks: {report.factchecks_received} received, {report.factchecks_sent} sent"
            )
        if report.collections_removed:
            n = report.collections_removed
            parts.append(f"{n} fact-check collection{'s' if n != 1 else ''} removed")
        if report.blobs_sent:
            parts.append(
                f"{report.blobs_sent} file{'s' if report.blobs_sent != 1 else ''} uploaded"
            )
        cli.say(f"Synced with {status.url}: " + ", ".join(parts) + ".")
    if report.same_text:
        n = report.same_text
        cli.say(
            f"{n} article{'s' if n != 1 else ''} received {'have' if n != 1 else 'has'} the same "
            "text as one already here (the same story imported on two laptops): both are kept, "
            "each with its own claims; `factdesk list` marks them."
        )
    if status.open_conflicts:
        n = status.open_conflicts
        cli.say(
            f"{n} claim{'s are' if n != 1 else ' is'} in conflict: see `factdesk conflicts`, "
            "then `factdesk resolve CLAIM --keep mine|theirs|TEXT`."
        )
    return 0


def conflicts(cli: Any) -> int:
    with cli.workspace(read_only=True) as ws:
        found = ws.conflicts()
        if cli.args.json:
            json.dump([c.__dict__ for c in found], cli.out, ensure_ascii=False, indent=2)
            cli.out.write("\n")
            return 0
        if not found:
            cli.say("No conflicts.")
            return 0
        for c in found:
            claim = ws.claim(c.claim_id)
            what = (
                "removed on one side, changed on the other"
                if c.field == "removed"
                else f"conflict in {c.field}"
            )
            if c.with_article:
                what += " (its whole article was removed on the other side; keeping the removal of its last claim removes the article)"
            cli.say(f"{c.claim_id[:8]}  {what}: {visible(claim.text[:70])}")
            cli.say(f"    mine:   {_fmt(c.mine, c.field)}")
            cli.say(f"    theirs: {_fmt(c.theirs, c.field)}  ({c.their_actor})")
    return 0


def resolve(cli: Any) -> int:
    with cli.workspace() as ws:
        claim_id = ws.resolve_claim(cli.args.claim)
        rec = ws.resolve_conflict(claim_id, cli.args.keep).value
    if rec is None:
        cli.say(f"{claim_id[:8]} resolved: removed (on every board after their next sync).")
    else:
        cli.say(f"{rec.id[:8]} resolved: {rec.status.value}, {_fmt(rec.explanation)}")
    return 0
