"""Benchmark: time to text and peak memory of the importers on big inputs. Run on demand:

    python tests/benchmarks/bench_importers.py   (or: python -m pytest tests/benchmarks/bench_importers.py -s)

Inputs are generated: a 200-page PDF (word-processor layout, 5 paragraphs a page), a
~1 MB saved web page with navigation and boilerplate around the article, a ~1 MB Word file and a
~1 MB Windows-1252 text file. Each is read in a fresh subprocess; the figures are wall time of
read_file (parsers imported beforehand), peak RSS of the process (ru_maxrss) against the same
process before reading, and tracemalloc's peak of Python allocations during the read.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "importers"))

from _importer_makers import make_docx, make_pdf  # noqa: E402

WORDS = [
    "the",
    "ministry",
    "said",
    "forces",
    "town",
    "Soledar",
    "Ukraine",
    "Russia",
    "claimed",
    "control",
    "fighting",
    "heavy",
    "bombardment",
    "Thursday",
    "evening",
    "supply",
    "routes",
    "Bakhmut",
    "officials",
    "percent",
    "million",
    "troops",
    "according",
    "statement",
    "Kyiv",
    "denied",
    "reported",
    "week",
    "region",
    "attack",
    "defence",
]

CHILD = r"""
import json, resource, sys, time, tracemalloc
import trafilatura, pypdf, docx, charset_normalizer  # parser import cost is not reading cost
from factdesk.importers import read_file
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
started = time.perf_counter()
doc = read_file(sys.argv[1])
seconds = time.perf_counter() - started
_, traced = tracemalloc.get_traced_memory()
tracemalloc.stop()
# the same read again without tracemalloc's overhead, for the time figure
started = time.perf_counter()
read_file(sys.argv[1])
untraced = time.perf_counter() - started
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": untraced, "traced_seconds": seconds, "rss_before_mb": before / 1024,
                  "rss_peak_mb": after / 1024, "tracemalloc_peak_mb": traced / 2**20,
                  "chars": len(doc.text), "paragraphs": doc.text.count("\n") + 1}))
"""


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 24))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))


def big_pdf(pages: int = 200) -> bytes:
    rng = random.Random(1)
    return make_pdf([[paragraph(rng) for _ in range(5)] for _ in range(pages)])


def big_html(size: int = 1_000_000) -> bytes:
    rng = random.Random(2)
    nav = "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(60))
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Long read</title>",
        "<meta property='og:site_name' content='Bench Times'></head><body>",
        f"<nav><ul>{nav}</ul></nav><main><article><h1>Long read</h1>",
    ]
    total = sum(map(len, parts))
    while total < size:
        block = f"<p>{paragraph(rng)}</p>\n"
        if rng.random() < 0.05:
            block += f"<aside class='related'><a href='/r'>{sentence(rng)}</a></aside>\n"
        parts.append(block)
        total += len(block)
    parts.append("</article></main><footer>Copyright Bench Times</footer></body></html>")
    return "".join(parts).encode("utf-8")


def million_paragraph_html() -> bytes:
    """An 8 MB saved page of a million one-word paragraphs: past what trafilatura can weigh."""
    head = "<html><head><title>Every reading</title></head><body>"
    return (head + "<p>reading</p>" * 1_000_000 + "</body></html>").encode("utf-8")


def big_docx(size: int = 1_000_000) -> bytes:
    rng = random.Random(3)
    blocks: list[tuple[str, str]] = []
    total = 0
    while total < size:
        text = paragraph(rng)
        blocks.append(("Heading 1" if rng.random() < 0.05 else "Normal", text))
        total += len(text)
    return make_docx(blocks)


def big_txt(size: int = 1_000_000) -> bytes:
    rng = random.Random(4)
    lines: list[str] = []
    total = 0
    while total < size:
        line = paragraph(rng).replace("town", "café")
        lines.append(line)
        total += len(line)
    return "\r\n".join(lines).encode("cp1252")


def measure(name: str, data: bytes) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        result = subprocess.run(
            [sys.executable, "-c", CHILD, str(path)],
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        )
    figures: dict[str, float] = json.loads(result.stdout)
    figures["file_mb"] = len(data) / 2**20
    return figures


def run() -> dict[str, dict[str, float]]:
    inputs = {
        "200-page PDF": ("big.pdf", big_pdf()),
        "1 MB HTML page": ("big.html", big_html()),
        "1 MB DOCX text": ("big.docx", big_docx()),
        "1 MB cp1252 text": ("big.txt", big_txt()),
        "1M-paragraph page": ("many.html", million_paragraph_html()),
    }
    results = {}
    print(
        f"{'input':18} {'file MB':>8} {'seconds':>8} {'RSS before':>11} {'RSS peak':>9} "
        f"{'py peak':>8} {'chars':>9} {'paras':>6}"
    )
    for label, (name, data) in inputs.items():
        r = measure(name, data)
        results[label] = r
        print(
            f"{label:18} {r['file_mb']:8.2f} {r['seconds']:8.2f} {r['rss_before_mb']:9.0f}MB "
            f"{r['rss_peak_mb']:7.0f}MB {r['tracemalloc_peak_mb']:6.1f}MB {r['chars']:9.0f} "
            f"{r['paragraphs']:6.0f}"
        )
    return results


def test_importer_benchmark() -> None:
    results = run()
    pdf = results["200-page PDF"]
    assert pdf["paragraphs"] == 1000  # 5 paragraphs on each of 200 pages, none lost or merged
    assert results["1 MB HTML page"]["chars"] > 800_000


if __name__ == "__main__":
    run()
