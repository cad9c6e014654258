"""What the board's keyed seal means for the person at this computer, in words (the window's
status bar and `factdesk board info` say the same): whether their writes seal the history, and
what to do about events written without the chain secret."""

from __future__ import annotations

from factdesk.domain.records import BoardInfo


def seal_text(info: BoardInfo) -> str:
    """One line: the state, then what to do."""
    if info.chain_secret_here is None:
        return "not sealed (no chain secret made for this board yet)"
    parts = []
    if not info.chain_secret_here:
        parts.append(
            "this computer lacks the board's chain secret, so your changes are not sealed: "
            "ask a colleague who has it for a secret file (`factdesk board secret export "
            "FILE`), then `factdesk board secret import FILE` here"
        )
    if info.unsealed_events:
        n = info.unsealed_events
        parts.append(
            f"{n:,} event{'' if n == 1 else 's'} written without the chain secret, not "
            "accepted: see `factdesk board verify`; if they are your team's work, someone who "
            "holds the secret accepts them with `factdesk board accept FIRST-LAST`"
        )
    return "; ".join(parts) if parts else "sealed; your changes seal the history"


def seal_warning(info: BoardInfo) -> tuple[str, str]:
    """(a few words for the status bar, the full text for its tooltip); ('', '') when all is
    well."""
    if info.chain_secret_here is None or (info.chain_secret_here and not info.unsealed_events):
        return "", ""
    if not info.chain_secret_here:
        short = "Your changes are not sealed"  # a count would go stale with each change
    else:
        n = info.unsealed_events
        short = f"{n:,} event{'' if n == 1 else 's'} not sealed"
    full = seal_text(info)
    return short, full[0].upper() + full[1:]
