"""Run the window on a board, for looking at it: `python -m factdesk.gui.demo [--dark] [FILE]`.

Uses the board under `$FACTDESK_HOME` (unencrypted with `--plaintext`); `--select N` selects the
N-th claim once the article is analysed, `--evidence URL` attaches a link to it, `--shortcuts`
opens the shortcuts sheet. The application's own entry point is `factdesk.gui.run`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from factdesk.gui import create_window, use_dark_palette

if TYPE_CHECKING:
    from factdesk.services import Workspace


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m factdesk.gui.demo")
    parser.add_argument("file", nargs="?")
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--plaintext", action="store_true")
    parser.add_argument("--select", type=int, default=-1)
    parser.add_argument("--evidence", default="", help="URL to attach to the selected claim")
    parser.add_argument("--title", default="", help="the attached page's title")
    parser.add_argument("--publisher", default="")
    parser.add_argument("--quote", default="", help="the passage quoted from it")
    parser.add_argument("--stance", default="supports", choices=("supports", "refutes", "context"))
    parser.add_argument("--shortcuts", action="store_true")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    from factdesk.domain import Stance

    app = QApplication(sys.argv[:1])
    app.setApplicationName("factdesk")
    if args.dark:
        use_dark_palette(app)

    def open_workspace(passphrase: Callable[[str], str | None]) -> Workspace:
        from factdesk.services import Workspace

        return Workspace.open(plaintext=args.plaintext, passphrase=passphrase)

    window = create_window(open_workspace, open_path=args.file)

    def ready(article_id: str) -> None:
        if args.select >= 0:
            window.selection.set_claim(window.claims.model.record(args.select).id)
            if args.evidence:
                window.verdicts.attach_url(
                    {
                        "url": args.evidence,
                        "title": args.title,
                        "publisher": args.publisher,
                        "quote": args.quote,
                        "stance": Stance(args.stance),
                    }
                )

    window.detection_finished.connect(ready)
    window.article_shown.connect(
        lambda _a: ready(_a) if window.claims.model.rowCount() and args.select >= 0 else None
    )
    window.show()
    if args.shortcuts:
        window.show_shortcuts()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
