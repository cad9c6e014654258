"""Board benchmark (on demand): a 10,000-claim encrypted board — build, open, list, search, verify —
and the size of a board holding the bundled sample. Prints figures; asserts nothing.

    python tests/benchmarks/bench_board.py
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    import keyring
    from keyring.backends import fail

    from factdesk.domain import ClaimCandidate, ClaimKind
    from factdesk.importers import read_text
    from factdesk.paths import sample_article
    from factdesk.services import Workspace

    keyring.set_keyring(fail.Keyring())
    os.environ["FACTDESK_PASSPHRASE"] = "benchmark passphrase"
    home = Path(tempfile.mkdtemp())
    sentence = (
        "The ministry said exports rose by {n} percent in the year to March, the fastest rise."
    )
    board = home / "big.fdb"
    t = time.perf_counter()
    with Workspace.open(board, home=home) as ws:
        for a in range(20):
            lines = [sentence.format(n=a * 1000 + i) for i in range(500)]
            text = f"Article {a}\n" + "\n".join(lines)
            cands, pos = [], len(f"Article {a}\n")
            for line in lines:
                cands.append(
                    ClaimCandidate(
                        pos, pos + len(line), line, 0.9, True, ClaimKind.STATISTIC, "the ministry"
                    )
                )
                pos += len(line) + 1
            ws.add_document(read_text(text, title=f"Article {a}"), candidates=cands)
    print(f"build 10,000 claims in 20 articles: {time.perf_counter() - t:.1f} s")

    t = time.perf_counter()
    ws = Workspace.open(board, home=home)
    opened = time.perf_counter() - t
    t = time.perf_counter()
    articles = ws.list_articles()
    claims = ws.claims()
    listed = time.perf_counter() - t
    print(f"open 10,000-claim board (passphrase KDF included): {opened * 1000:.0f} ms")
    print(f"list {len(articles)} articles + {len(claims)} claims: {listed * 1000:.0f} ms")
    t = time.perf_counter()
    ws.set_status(claims[5000].id, "verified", "benchmark")
    print(f"one status change (one transaction): {(time.perf_counter() - t) * 1000:.1f} ms")
    t = time.perf_counter()
    hits = ws.search("exports 12345")
    print(f"search: {(time.perf_counter() - t) * 1000:.1f} ms ({len(hits)} hits)")
    t = time.perf_counter()
    report = ws.verify()
    print(
        f"verify {report.events_checked} events: {(time.perf_counter() - t) * 1000:.0f} ms, ok={report.ok}"
    )
    print(f"board file: {ws.info().file_size / 1e6:.1f} MB")
    ws.close()

    small = home / "sample.fdb"
    with Workspace.open(small, home=home) as ws:
        t = time.perf_counter()
        ws.import_file(sample_article())
        print(
            f"import + detect the bundled sample: {time.perf_counter() - t:.1f} s, {len(ws.claims())} claims"
        )
    size = small.stat().st_size
    print(f"board file holding the sample: {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
