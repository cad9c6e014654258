"""Benchmark (on demand): storing streamed detection flushes for a 1 MB article, with the article's
text read from the board on every flush (before) and remembered by the services (now).

    python tests/benchmarks/bench_services.py
"""

from __future__ import annotations

import tempfile
import time

from factdesk.domain import ClaimCandidate, ClaimKind
from factdesk.services import Workspace

SENTENCE = "The council said household water bills would rise by 18 percent from July."


def main() -> None:
    paragraphs = [f"{SENTENCE} Item {i}." for i in range(12_000)]
    text = "\n".join(paragraphs)
    print(f"a {len(text) / 1e6:.1f} MB article, 2 x 100 flushes of 5 claims, alternating")
    with tempfile.TemporaryDirectory() as home:
        ws = Workspace.open(home=home, plaintext=True)
        article = ws.import_text(text, detect=False).value
        starts = [0]
        for p in paragraphs[:-1]:
            starts.append(starts[-1] + len(p) + 1)
        cands = [
            ClaimCandidate(
                s, s + len(SENTENCE), SENTENCE, 0.9, True, ClaimKind.STATISTIC, "the council"
            )
            for s in starts
        ]
        totals = {"before": 0.0, "now": 0.0}
        for flush in range(200):
            name = "before" if flush % 2 == 0 else "now"
            batch = cands[flush * 5 : flush * 5 + 5]
            if name == "before":
                ws._ctx._texts.clear()  # forget the text: read it from the board, as before
            started = time.perf_counter()
            ws.add_detected_claims(article.id, batch)
            totals[name] += time.perf_counter() - started
        ws.close()
    for name, seconds in totals.items():
        print(f"  {name:6s} {seconds / 100 * 1000:6.1f} ms per flush")


if __name__ == "__main__":
    main()
