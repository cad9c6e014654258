"""Highlighting cost in the article view, run on demand: `python tests/benchmarks/bench_highlight.py`.

1. A 1.1 MB article with 7,000 claims: time from handing the text over to the first paint of the
   view, against a bare QPlainTextEdit given the same text (same font, size, wrapping) in the same
   run, alternating, median of RUNS; then how long until every claim is painted and the longest
   stall of the GUI thread on the way (target, issue 16: at most 40 ms more than bare).
2. 10,000 claims in one 500 kB paragraph (a paste without line breaks): re-colouring one claim
   (a verdict) until the view has painted it, median of PRESSES.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

RUNS = 7
PRESSES = 15
ROOT = Path(__file__).resolve().parents[2]


def claim(n: int, article: str, start: int, end: int, text: str, score: float, who: str = ""):
    from factdesk.domain import ClaimKind, ClaimOrigin, ClaimRecord, ClaimStatus

    now = datetime.now(UTC)
    name = text.find(who) if who else -1
    return ClaimRecord(
        id=f"c{n}",
        article_id=article,
        start=start,
        end=end,
        text=text,
        score=score,
        kind=ClaimKind.STATISTIC,
        claimant=who,
        origin=ClaimOrigin.DETECTED,
        status=ClaimStatus.UNVERIFIED,
        explanation="",
        rating="",
        dismissed=False,
        reviewer="",
        duplicate_of=None,
        entities=(),
        created_at=now,
        updated_at=now,
        claimant_start=start + name if name >= 0 else None,
        claimant_end=start + name + len(who) if name >= 0 else None,
    )


def big_article() -> tuple[str, list]:
    """~1.1 MB of paragraphs of three sentences, two of them claims (7,000 in all)."""
    paragraphs, claims, offset, n = [], [], 0, 0
    while n < 7000:
        first = f"Mayor Ana Ruiz said {n} pipes burst in district {n % 40} last winter."
        second = f"The water board counted {n * 3} complaints by March, {n % 9} of them urgent."
        filler = " ".join(
            f"Residents of street {n}-{k} waited for the crews all week." for k in range(3)
        )
        paragraph = f"{first} {second} {filler}"
        claims.append(claim(n, "a", offset, offset + len(first), first, 0.9, "Mayor Ana Ruiz"))
        at = offset + len(first) + 1
        claims.append(claim(n + 1, "a", at, at + len(second), second, 0.6))
        paragraphs.append(paragraph)
        offset += len(paragraph) + 1
        n += 2
    return "\n".join(paragraphs), claims


def wait_painted(app, view) -> float:
    """Seconds until the view has no highlighting left to do (0 if it never defers any)."""
    t = time.perf_counter()
    pending = getattr(view.highlighter, "pending", lambda: False)
    while pending():
        app.processEvents()
    return time.perf_counter() - t


def main() -> None:
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    from factdesk.domain import ClaimStatus
    from factdesk.gui.article_view import ArticleView
    from factdesk.gui.offsets import OffsetMap

    app = QApplication.instance() or QApplication([])
    text, claims = big_article()
    shown = OffsetMap(text, spaced=True).shown(text)
    view = ArticleView()
    bare = QPlainTextEdit()
    bare.setReadOnly(True)
    bare.setFont(view.font())
    bare.setWordWrapMode(view.wordWrapMode())
    bare.document().setDocumentMargin(view.document().documentMargin())
    for w in (view, bare):
        w.resize(900, 760)
        w.show()
    app.processEvents()
    print(
        f"article: {len(text) / 1e6:.2f} MB, {text.count(chr(10)) + 1} paragraphs, "
        f"{len(claims)} claims"
    )

    bare_times, view_times, rest_times, stalls = [], [], [], []
    for _ in range(RUNS):
        bare.setPlainText("")
        view.show_article("x", "", ())
        app.processEvents()
        t = time.perf_counter()
        bare.setPlainText(shown)
        bare.viewport().repaint()
        bare_times.append(time.perf_counter() - t)
        app.processEvents()

        t = time.perf_counter()
        view.show_article("a", text, claims)
        view.viewport().repaint()
        view_times.append(time.perf_counter() - t)
        # the rest, off a timer: how long, and the longest the GUI thread is held meanwhile
        clock = QElapsedTimer()
        clock.start()
        last, worst = [0], [0]

        def probe(last=last, worst=worst, clock=clock) -> None:
            now = clock.elapsed()
            worst[0] = max(worst[0], now - last[0])
            last[0] = now

        timer = QTimer()
        timer.timeout.connect(probe)
        timer.start(1)
        rest_times.append(wait_painted(app, view))
        timer.stop()
        stalls.append(worst[0])
    b, v = statistics.median(bare_times), statistics.median(view_times)
    print(f"bare setPlainText + first paint: median {b * 1000:.1f} ms")
    print(
        f"ArticleView with 7,000 highlights + first paint: median {v * 1000:.1f} ms "
        f"(+{(v - b) * 1000:.1f} ms; target +40 ms)"
    )
    print(
        f"  every claim painted {statistics.median(rest_times) * 1000:.0f} ms later (median), "
        f"longest GUI-thread stall meanwhile {max(stalls)} ms"
    )
    shown_claims = [c for c in claims if view.highlighter.qt_span(c.id) is not None]
    assert len(shown_claims) == len(claims)

    # one 500 kB paragraph of 10,000 claims: a verdict re-colours one of them
    sentences = [f"The council said {n} pipes burst in district {n % 40}." for n in range(10_000)]
    para = " ".join(sentences)
    many, offset = [], 0
    for n, s in enumerate(sentences):
        many.append(claim(n, "p", offset, offset + len(s), s, 0.3 + (n % 70) / 100))
        offset += len(s) + 1
    view.show_article("p", para, many)
    view.viewport().repaint()
    wait_painted(app, view)
    from dataclasses import replace

    costs = []
    for k in range(PRESSES):
        target = many[k * 37 % len(many)]
        view.scroll_to_claim(target.id)
        app.processEvents()
        status = ClaimStatus.VERIFIED if k % 2 == 0 else ClaimStatus.UNVERIFIED
        t = time.perf_counter()
        view.highlighter.update_claims([replace(target, status=status)])
        view.viewport().repaint()
        costs.append(time.perf_counter() - t)
    print(
        f"one 500 kB paragraph, 10,000 claims: re-colour one + paint: median "
        f"{statistics.median(costs) * 1000:.1f} ms, max {max(costs) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
