"""Whether this session has a screen for the window, asked without Qt (which aborts without one).

On Linux the window needs an X11 or Wayland display; macOS and Windows always have one. A
QT_QPA_PLATFORM naming a platform that needs no display (offscreen, vnc, ...) is taken at its word.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

# Qt platforms that draw without an X11 or Wayland server
HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay")


def problem(
    environ: Mapping[str, str] | None = None, platform: str | None = None, *, reach: bool = True
) -> str | None:
    """Why the window cannot be shown in this session, or None when a display is there.

    `reach`: also connect to the X server named (10-20 ms: `factdesk doctor` does; the window
    leaves that to Qt, whose failure platform_check turns into one line)."""
    env = os.environ if environ is None else environ
    if not (platform or sys.platform).startswith("linux"):
        return None
    qpa = env.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip()
    if qpa in HEADLESS_PLATFORMS:
        return None
    wayland = env.get("WAYLAND_DISPLAY", "")
    if wayland and qpa != "xcb" and _wayland_socket(wayland, env).exists():
        return None
    display = env.get("DISPLAY", "")
    if not display:
        if qpa.startswith("wayland") and wayland:
            return f"the Wayland display {wayland} cannot be reached"
        return "there is no display: DISPLAY and WAYLAND_DISPLAY are not set"
    if reach and not _x11_reachable(display):
        return f"the X display {display} cannot be reached"
    return None


def _wayland_socket(name: str, env: Mapping[str, str]) -> Path:
    path = Path(name)
    return path if path.is_absolute() else Path(env.get("XDG_RUNTIME_DIR", "/nonexistent")) / name


def _x11_reachable(display: str) -> bool:
    """Connect to the X server with libxcb, as Qt's xcb plugin will (a few milliseconds).

    Without libxcb (it comes with every X11 desktop) the question is left to Qt.
    """
    import ctypes

    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return True
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        return xcb.xcb_connection_has_error(connection) == 0
    finally:
        xcb.xcb_disconnect(connection)


def no_window_message(reason: str) -> str:
    """The one line `factdesk open` prints when there is no display."""
    return (
        f"factdesk: cannot open the window: {reason}. Start factdesk from a desktop session, "
        "or use its command line (factdesk --help); `factdesk doctor` checks this install."
    )
