"""Benchmark: what the stacked encoder head costs, A/B in one run. Run on demand:

    OMP_NUM_THREADS=1 FACTDESK_ENCODER_THREADS=1 python tests/benchmarks/bench_detector_model.py

Compares the shipped model (tf-idf + encoder head) with the same tf-idf model alone (the detector
before the head), in CPU seconds on one core: `classify_sentences` (what `factdesk score` runs) on
the ClaimBuster groundtruth sentences (target >= 150 sentences/s), and `detect_claims` on news
prose: the PolNeAR dev articles joined (distinct sentences, ~400 kB) and the 1 MB article of
bench_nlp (the Soledar sample repeated: repeats reuse their vector, so it hides the encoder's
cost; both are printed). Then the encoder's load time and the peak memory of detection on 1 MB in
a fresh process (target < 600 MB).
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from factdesk.nlp import detect as detect_module
from factdesk.nlp.model import shipped_model
from factdesk.nlp.train import read_tsv

ROOT = Path(__file__).resolve().parents[2]
SHARED = next(
    (p / "shared" for p in ROOT.parents if (p / "shared" / "eval").is_dir()), ROOT / "shared"
)
GROUNDTRUTH = SHARED / "eval" / "claimbuster_groundtruth.tsv"
NEWS = SHARED / "eval" / "attribution_dev" / "articles"
SAMPLE = SHARED / "samples" / "soledar-reuters.txt"


def cpu(fn, *args) -> float:  # type: ignore[no-untyped-def]
    started = time.process_time()
    fn(*args)
    return time.process_time() - started


def with_model(model, fn, *args) -> float:  # type: ignore[no-untyped-def]
    real = detect_module.shipped_model
    detect_module.shipped_model = lambda: model  # type: ignore[assignment]
    try:
        return cpu(fn, *args)
    finally:
        detect_module.shipped_model = real


def main() -> int:
    if not GROUNDTRUTH.exists():
        print(f"skipped: {GROUNDTRUTH} is not here")
        return 0
    stacked = shipped_model()
    if not stacked.uses_encoder:
        print("the shipped model has no encoder head: nothing to compare")
        return 0
    alone = replace(stacked, head=np.zeros(0, np.float32))
    started = time.perf_counter()
    from factdesk.nlp.encoder import load_encoder

    encoder = load_encoder()
    print(f"encoder load: {time.perf_counter() - started:.2f} s, {encoder.threads} thread(s)")
    detect_module.load_pipeline()
    lines = read_tsv(GROUNDTRUTH).texts
    for name, model in (("tf-idf alone", alone), ("tf-idf + encoder head", stacked)):
        s = with_model(model, detect_module.classify_sentences, lines)
        print(f"score, {name}: {len(lines) / s:,.0f} sentences per CPU second")
    news = "\n".join(p.read_text(encoding="utf-8") for p in sorted(NEWS.glob("*.txt")))
    repeated = SAMPLE.read_text(encoding="utf-8") * (1_000_000 // len(SAMPLE.read_text()) + 1)
    for label, text in (
        ("news, distinct sentences", news),
        ("1 MB, the sample repeated", repeated),
    ):
        a = with_model(alone, detect_module.detect_claims, text)
        b = with_model(stacked, detect_module.detect_claims, text)
        print(
            f"detect_claims on {label} ({len(text):,} chars): tf-idf alone {a:.1f} s, "
            f"with the head {b:.1f} s = {b / a:.2f}x (target <= 1.5)"
        )
    code = (
        "import resource; from factdesk.nlp import detect_claims; "
        f"detect_claims(open({str(SAMPLE)!r}).read() * 450); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    print(f"peak memory, detect_claims on 1 MB with the encoder: {float(out.stdout):.0f} MB")
    return 0


def test_detector_model_benchmark() -> None:
    assert main() == 0


if __name__ == "__main__":
    sys.exit(main())
