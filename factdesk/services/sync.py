"""Sync with the desk's team board: `sync` (the team URL remembered per laptop board, the password
from the keyring as for any team board), the board's sync status, and its conflicts and their
resolution (a normal, undoable change of this board that the next sync takes to the others).
"""

from __future__ import annotations

from collections.abc import Callable

from factdesk import store
from factdesk.domain import BoardError, Changes, ClaimRecord, InvalidInputError, Outcome
from factdesk.domain.sync import ConflictRecord, SyncReport, SyncStatus
from factdesk.services import integrity, opening
from factdesk.services.context import Context, outcome
from factdesk.services.opening import PassphraseProvider

Progress = Callable[[str, int, int], None]


def team_url(ctx: Context, url: str | None) -> str:
    """The URL given, else the one this board synced with last."""
    if ctx.board.backend != "sqlite":
        raise InvalidInputError(
            "Sync runs on a laptop board; this is the team board itself (use --board FILE)."
        )
    chosen = url or store.sync.remembered_url(ctx.board)
    if not chosen:
        raise InvalidInputError(
            "This board has not synced yet: give the team board's address once, "
            "e.g. factdesk sync postgresql://you@desk-server/factdesk"
        )
    if not store.is_server_url(chosen):
        raise InvalidInputError(f"{chosen} is not a team board address (postgresql://...).")
    return chosen


def sync(
    ctx: Context,
    url: str | None = None,
    *,
    progress: Progress | None = None,
    passphrase: PassphraseProvider | None = None,
    fail_after_batches: int | None = None,
) -> SyncReport:
    """Exchange everything new with the team board. Not under the context's lock: each batch is
    its own short transaction, so the window keeps working while a sync runs."""
    chosen = team_url(ctx, url)
    server = _open_team(chosen, passphrase)
    try:
        # remembered without a password: the keyring holds that
        shown = chosen if not store.url_has_password(chosen) else store.display_url(chosen)
        return store.sync.run(
            ctx.board,
            server,
            shown,
            progress,
            actor=ctx.actor,
            fail_after_batches=fail_after_batches,
        )
    finally:
        server.close()


def _open_team(url: str, passphrase: PassphraseProvider | None) -> store.Board:
    """The team board with its chain secret, if this keyring has it (the events sync writes
    there are sealed as any write is)."""
    board = _connect_team(url, passphrase)
    integrity.load_chain_secret(board, writable=True)
    return board


def _connect_team(url: str, passphrase: PassphraseProvider | None) -> store.Board:
    """The team board with the password from the URL, the keyring or the environment; the
    person is asked only when the server wants a password it was not given."""
    try:
        return opening._open_server(url, None)[0]
    except BoardError as exc:
        wants = ("password", "authentication")
        if passphrase is None or not any(w in str(exc).lower() for w in wants):
            raise
    return opening._open_server(url, passphrase)[0]


def status(ctx: Context, *, count_unsynced: bool = True) -> SyncStatus:
    """The board's sync state. `count_unsynced=False` skips counting a never-synced board's
    whole history as "to send" (a scan of every event: about 0.5-2 s at a million claims), for
    callers such as the window that show nothing until the board has a team board."""
    with ctx.lock:
        return store.sync.status(ctx.board, count_unsynced=count_unsynced)


def conflicts(ctx: Context, claim_id: str | None = None) -> list[ConflictRecord]:
    with ctx.lock:
        return store.sync.conflicts(ctx.board, claim_id)


def conflicted_claims(ctx: Context) -> set[str]:
    with ctx.lock:
        return store.sync.conflicted_claims(ctx.board)


def resolve(ctx: Context, claim_id: str, keep: str) -> Outcome[ClaimRecord | None]:
    """keep: 'mine', 'theirs', or any other text: the merged explanation. The value is None
    when the choice removed the claim (a claim removed on one side, changed on the other)."""
    choice, merged = (keep, None) if keep in ("mine", "theirs") else ("merged", keep.strip())
    if choice == "merged" and not merged:
        raise InvalidInputError("Give mine, theirs, or the merged explanation's text.")
    with ctx.lock, ctx.board.action("Resolve sync conflict", ctx.actor) as tx:
        rec = store.sync.resolve(tx, claim_id, choice, merged)
    # a claim removed: the views reload what they show rather than re-read that claim
    return outcome(rec, tx, Changes.BOARD if rec is None else Changes.NONE)
