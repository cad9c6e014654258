"""The cost of one verdict keystroke on a big board, run on demand:
`python tests/benchmarks/bench_verdict.py` (prints figures).

V (and U back) on a board of 10,000 claims, in the real window with the real database thread:
how many board jobs each keystroke queues (writes, reads), how many SQL statements they run,
the time from the key to the reply on the GUI thread, and from the write's end on the database
thread to the article view's and the claims table's next paint (a frame is 16.7 ms at 60 Hz).
BENCH_PROFILE=1 adds a profile of one keystroke.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

N = 10_000
PRESSES = 30


def build_board(sep: str) -> None:
    from factdesk.domain import ClaimCandidate, ClaimKind
    from factdesk.services import Workspace

    os.environ["FACTDESK_HOME"] = tempfile.mkdtemp(prefix="factdesk-bench-verdict-")
    lines = [f"The council said {n} pipes burst in district {n % 40}." for n in range(N)]
    ws = Workspace.open(plaintext=True)
    article = ws.import_text(sep.join(lines), title="Ten thousand claims", detect=False).value
    text, offset, candidates = article.text, 0, []
    for n, line in enumerate(lines):
        offset = text.index(line, offset)
        score = 0.3 + (n % 70) / 100
        candidates.append(
            ClaimCandidate(
                offset, offset + len(line), line, score, True, list(ClaimKind)[n % 8], ""
            )
        )
        offset += len(line)
    ws.add_detected_claims(article.id, candidates)
    ws.close()


def main() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    # one claim per paragraph, as in an article; then all in one 500 kB paragraph (a paste
    # without line breaks), where re-colouring a claim re-highlights the whole paragraph
    for sep, label in (("\n\n", "one claim per paragraph"), (" ", "all in one paragraph")):
        run(app, sep, label)


def run(app: Any, sep: str, label: str) -> None:
    from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
    from PySide6.QtTest import QTest
    from sqlalchemy import event

    from factdesk.gui import create_window
    from factdesk.services import Workspace

    build_board(sep)
    window = create_window(lambda p: Workspace.open(passphrase=p), detector=False)
    window.resize(1366, 740)
    window.show()
    deadline = time.monotonic() + 60
    while window.claims.model.rowCount() < N and time.monotonic() < deadline:
        app.processEvents()
    assert window.claims.model.rowCount() == N, "the board's claims are listed"

    board = window.board
    counts = {"write": 0, "read": 0, "pending": 0}
    real_read, real_mutate = board.read, board.mutate

    inside: list[float] = []  # time each write took on the database thread
    started: list[float] = []
    ended: list[float] = []

    def counted(kind: str, real: Any) -> Any:
        def call(fn: Any, then: Any = None, *args: Any, **kwargs: Any) -> Any:
            counts[kind] += 1
            counts["pending"] += 1
            if kind == "write":
                work = fn

                def fn(ws: Any) -> Any:
                    t = time.perf_counter()
                    started.append(t)
                    try:
                        return work(ws)
                    finally:
                        ended.append(time.perf_counter())
                        inside.append(ended[-1] - t)

            def done(result: Any) -> None:
                counts["pending"] -= 1
                if then is not None:
                    then(result)

            return real(fn, done, *args, **kwargs)

        return call

    board.read = counted("read", real_read)  # type: ignore[method-assign]
    board.mutate = counted("write", real_mutate)  # type: ignore[method-assign]
    statements = [0]
    engine = board.ws._ctx.board.engine  # type: ignore[union-attr]
    event.listen(
        engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1)
    )

    painted: dict[str, float] = {}

    class Paints(QObject):
        def eventFilter(self, watched: QObject, e: QEvent) -> bool:
            if e.type() == QEvent.Type.Paint:
                painted.setdefault(watched.objectName(), time.perf_counter())
            return False

    paints = Paints()
    for name, widget in (
        ("article", window.article.view.viewport()),
        ("table", window.claims.view.viewport()),
    ):
        widget.setObjectName(name)
        widget.installEventFilter(paints)
    replied: list[float] = []
    board.changes_applied.connect(lambda *_a: replied.append(time.perf_counter()))

    # wait for events instead of spinning: a spinning GUI thread starves the database thread
    # of the GIL and the figures would measure that
    ticker = QTimer()
    ticker.start(5)
    wait = QEventLoop.ProcessEventsFlag.WaitForMoreEvents

    def settle() -> None:
        end = time.monotonic() + 10
        while (counts["pending"] or time.monotonic() < end - 9.8) and time.monotonic() < end:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents | wait)

    rows: list[dict[str, float]] = []
    window.claims.view.setFocus()
    window.claims.next_claim()
    settle()
    for n in range(PRESSES):
        # a claim in the middle of the board, then V; every other press U sets it back
        window.selection.set_claim(window.claims.model.record(N // 2 + n // 2).id)
        settle()
        for kind in ("write", "read"):
            counts[kind] = 0
        statements[0] = 0
        painted.clear()
        replied.clear()
        inside.clear()
        started.clear()
        ended.clear()
        key = Qt.Key.Key_V if n % 2 == 0 else Qt.Key.Key_U
        t0 = time.perf_counter()
        QTest.keyClick(window.claims.view, key)
        settle()
        assert replied, "the verdict was written"
        rows.append(
            {
                "writes": counts["write"],
                "reads": counts["read"],
                "sql": statements[0],
                "reply_ms": 1000 * (replied[0] - t0),
                "write_ms": 1000 * inside[0],
                "queued_ms": 1000 * (started[0] - t0),
                # from the write's end on the database thread: delivery, every panel's
                # handler, then the paint
                "article_paint_ms": 1000 * (painted.get("article", float("nan")) - ended[0]),
                "table_paint_ms": 1000 * (painted.get("table", float("nan")) - ended[0]),
            }
        )
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        window.selection.set_claim(window.claims.model.record(N // 3).id)
        settle()
        profile = cProfile.Profile()
        profile.enable()
        QTest.keyClick(window.claims.view, Qt.Key.Key_V)
        settle()
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    window.close()

    def figure(key: str) -> str:
        values = [r[key] for r in rows]
        return f"median {statistics.median(values):.1f}, max {max(values):.1f}"

    print(f"V / U on a board of {N:,} claims, {label}, {PRESSES} presses (database thread):")
    print(
        f"  board jobs per keystroke: writes {sorted({r['writes'] for r in rows})}, "
        f"reads {sorted({r['reads'] for r in rows})}"
    )
    print(f"  SQL statements per keystroke: {figure('sql')}")
    print(f"  key -> reply on the GUI thread: {figure('reply_ms')} ms")
    print(f"    of which the write on the database thread: {figure('write_ms')} ms")
    print(f"    key -> the write starts: {figure('queued_ms')} ms")
    print(f"  write done -> article view painted: {figure('article_paint_ms')} ms")
    print(f"  write done -> claims table painted: {figure('table_paint_ms')} ms")


if __name__ == "__main__":
    main()
