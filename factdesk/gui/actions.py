"""Every command of the window, declared once as data: its text, keys, menu and handler.

The menus, the key map and the F1 sheet are all built from `ACTIONS`, so they cannot drift apart
(as napari declares its actions). A handler is named as "target.method": the window hands over
the objects (intake, claims, verdicts, ...) that carry out the journalist's intents.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# QtCore.Qt, not Qt: the frame takes its menus' titles from here before the `Qt` namespace is
# made (see frame.py)
from PySide6 import QtCore
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from factdesk.domain import ClaimStatus


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str
    handler: str  # "target.method", called with `args`
    keys: tuple[str, ...] = ()
    menu: str = ""  # the menu it sits in ("" for none); a new `group` starts after a separator
    group: int = 0
    section: str = ""  # its heading in the F1 sheet (default: the menu)
    tip: str = ""
    args: tuple[Any, ...] = ()
    enabled: bool = True  # at start; the window enables it when it applies


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("open", "&Open article…", "intake.choose_file", ("Ctrl+O",), "File"),
    ActionSpec("paste", "&Paste as new article", "intake.paste_article", ("Ctrl+Shift+V",), "File"),
    ActionSpec("sample", "Open the &sample article", "intake.open_sample", (), "File"),
    ActionSpec(
        "import_factchecks",
        "&Import fact-checks…",
        "factchecks.choose_files",
        (),
        "File",
        tip="ClaimReview JSON-LD, Fact Check Tools JSON or CSV/TSV: matched against every claim",
    ),
    ActionSpec("export", "&Export report…", "window.export_report", ("Ctrl+E",), "File", 1),
    ActionSpec(
        "sync",
        "S&ync with the team board",
        "sync.sync_now",
        ("Ctrl+Shift+S",),
        "File",
        1,
        tip="Send this board's changes to the desk's team board and bring back the others'",
    ),
    ActionSpec("settings", "Se&ttings…", "window.edit_settings", ("Ctrl+,",), "File", 2),
    ActionSpec("quit", "&Quit", "window.close", ("Ctrl+Q",), "File", 3),
    ActionSpec("undo", "&Undo", "verdicts.undo", ("Ctrl+Z",), "Edit", enabled=False),
    ActionSpec("redo", "&Redo", "verdicts.redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Edit", enabled=False),
    ActionSpec("find", "&Search the board", "articles.focus_search", ("Ctrl+F",), "Edit", 1),
    ActionSpec("next", "&Next claim", "claims.next_claim", ("J",), "Claim", section="Claims"),
    ActionSpec(
        "prev", "&Previous claim", "claims.previous_claim", ("K",), "Claim", section="Claims"
    ),
    *(
        ActionSpec(
            f"set_{status.value}",
            f"Set &{status.value}",
            "verdicts.set_status",
            (key,),
            "Claim",
            1,
            "Verdict",
            args=(status,),
        )
        for status, key in (
            (ClaimStatus.VERIFIED, "V"),
            (ClaimStatus.DISPUTED, "D"),
            (ClaimStatus.UNVERIFIED, "U"),
        )
    ),
    ActionSpec(
        "repeats",
        "Same verdict for its &repeats",
        "verdicts.apply_to_repeats",
        ("R",),
        "Claim",
        1,
        "Verdict",
        tip="Give every repeat of this quote in the article the verdict of this claim",
    ),
    ActionSpec(
        "explain", "&Edit explanation", "verdicts.edit_explanation", ("E",), "Claim", 2, "Claims"
    ),
    ActionSpec(
        "add_evidence", "&Add evidence", "verdicts.add_evidence", ("A",), "Claim", 2, "Claims"
    ),
    ActionSpec(
        "mark", "&Mark selection as claim", "verdicts.mark_selection", ("M",), "Claim", 2, "Claims"
    ),
    ActionSpec(
        "dismiss",
        "Dismiss / restore claim",
        "verdicts.toggle_dismissed",
        ("X",),
        "Claim",
        2,
        "Claims",
    ),
    ActionSpec(
        "resolve",
        "Resolve sync &conflict…",
        "sync.resolve_selected",
        ("Ctrl+Shift+R",),
        "Claim",
        2,
        tip="Mine and the team board's version side by side: keep one, or merge the explanation",
    ),
    ActionSpec(
        "find_claims",
        "&Find claims again",
        "intake.find_claims_again",
        (),
        "Claim",
        3,
        tip="Analyse the article again; claims already on the board are not added twice",
    ),
    ActionSpec(
        "stop", "S&top finding claims", "intake.stop_finding", (), "Claim", 3, enabled=False
    ),
    ActionSpec("shortcuts", "&Keyboard shortcuts", "window.show_shortcuts", ("F1", "?"), "Help"),
)

# keys that work without an action of their own (handled by the focused widget)
EXTRA_KEYS: tuple[tuple[str, str, str], ...] = (
    ("Claims", "Next / previous claim (article view and claims table)", "Down / Up"),
    ("Claims", "Save the explanation", "Ctrl+Return"),
    (
        "Claims",
        "Back to the claims from a field of the evidence board (what you typed is kept)",
        "Esc",
    ),
    ("Evidence", "Attach the link in the URL field", "Return"),
    (
        "Evidence",
        "Attach dropped files / fill the form from a dropped link or passage",
        "drag and drop",
    ),
)

SECTION_ORDER = ("Claims", "Verdict", "Evidence", "Edit", "File", "Help")


def menu_titles() -> list[str]:
    """The menu bar's menus, in order (the window's frame shows them before the commands)."""
    return list(dict.fromkeys(spec.menu for spec in ACTIONS if spec.menu))


def build_actions(window: QMainWindow, targets: Mapping[str, object]) -> dict[str, QAction]:
    """Create every QAction on `window` with its keys, and the menu bar from the same table."""
    actions: dict[str, QAction] = {}
    menus: dict[str, QMenu] = {}
    last_group: dict[str, int] = {}
    for spec in ACTIONS:
        target_name, method = spec.handler.split(".")
        handler: Callable[..., Any] = getattr(targets[target_name], method)
        act = QAction(spec.text, window)
        act.setObjectName(f"action_{spec.id}")
        act.setShortcuts([QKeySequence(k) for k in spec.keys])
        act.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
        act.setEnabled(spec.enabled)
        if spec.tip:
            act.setToolTip(spec.tip)
        act.triggered.connect(lambda _=False, h=handler, a=spec.args: h(*a))
        window.addAction(act)
        actions[spec.id] = act
        if spec.menu:
            if spec.menu not in menus:
                menus[spec.menu] = window.menuBar().addMenu(f"&{spec.menu}")
            elif last_group[spec.menu] != spec.group:
                menus[spec.menu].addSeparator()
            last_group[spec.menu] = spec.group
            menus[spec.menu].addAction(act)
    return actions


def shortcut_rows(actions: Mapping[str, QAction] | None = None) -> list[tuple[str, str, str]]:
    """(section, action, keys) for the F1 sheet, from the table (texts as the actions show
    them now, when given)."""
    rows: list[tuple[str, str, str]] = []
    for spec in ACTIONS:
        if not spec.keys:
            continue
        text = actions[spec.id].text() if actions is not None else spec.text
        keys = " / ".join(
            QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in spec.keys
        )
        rows.append((spec.section or spec.menu, text.replace("&", ""), keys))
    rows.extend(EXTRA_KEYS)
    rank = {name: i for i, name in enumerate(SECTION_ORDER)}
    rows.sort(key=lambda r: rank.get(r[0], len(rank)))
    return rows


def undo_texts(status: Any) -> tuple[str, str]:
    """The Undo and Redo menu texts for an UndoStatus (as Anki's aqt/undo.py renders them)."""
    undo = f"&Undo {status.undo_label}" if status.can_undo else "&Undo"
    redo = f"&Redo {status.redo_label}" if status.can_redo else "&Redo"
    return undo, redo
