"""Status colours, chosen to read on light and dark palettes alike.

Claim highlights are translucent tints of these over the view's own background, so the text keeps
the palette's text colour and stays readable in both themes.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

from factdesk.domain import ClaimStatus, Stance

STATUS_COLORS: dict[ClaimStatus, str] = {
    ClaimStatus.UNVERIFIED: "#e69a00",  # amber
    ClaimStatus.VERIFIED: "#2e9e44",  # green
    ClaimStatus.DISPUTED: "#d93636",  # red
}

STANCE_COLORS: dict[Stance, str] = {
    Stance.SUPPORTS: "#2e9e44",
    Stance.REFUTES: "#d93636",
    Stance.CONTEXT: "#6c7a89",
    Stance.UNSET: "#9a6700",
}

STATUS_LABELS: dict[ClaimStatus, str] = {
    ClaimStatus.UNVERIFIED: "Unverified",
    ClaimStatus.VERIFIED: "Verified",
    ClaimStatus.DISPUTED: "Disputed",
}


def status_color(status: ClaimStatus) -> QColor:
    return QColor(STATUS_COLORS[status])


def tint(status: ClaimStatus, score: float, *, selected: bool = False) -> QColor:
    """The highlight of a claim: stronger for more check-worthy claims, strongest when selected."""
    color = status_color(status)
    if selected:
        color.setAlpha(255)
    else:
        color.setAlpha(int(35 + 80 * max(0.0, min(1.0, score))))
    return color
