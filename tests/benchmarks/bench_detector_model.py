"""Benchmark: what the shipped detector costs against today's, A/B in one run. Run on demand:

    OMP_NUM_THREADS=1 FACTDESK_ENCODER_THREADS=1 python tests/benchmarks/bench_detector_model.py

"Before" is the tf-idf model on branch `main` when this checkout has it (git show), else the
shipped model without its encoder head. Both run here, interleaved, in CPU seconds on one core:
`classify_sentences` (what `factdesk score` runs) on the ClaimBuster groundtruth sentences
(target >= 150 sentences/s), `detect_claims` on news prose (the PolNeAR dev articles joined:
distinct sentences, ~400 kB) and on the 1 MB article of bench_nlp (the Soledar sample repeated:
repeats reuse their encoder row, so it hides the encoder's cost; both printed, target <= 1.5x).
Then, in fresh processes: the peak memory of detection on 1 MB (target < 600 MB) and the bundled
sample's first highlights from a cold start (`factdesk open --sample`, target <= 2 s).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from factdesk.nlp import detect as detect_module
from factdesk.nlp.model import LinearModel, shipped_model
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


def main_model(folder: Path) -> Path | None:
    """Branch main's model file, written into `folder`, or None without git or main."""
    out = folder / "checkworthiness.npz"
    got = subprocess.run(
        ["git", "-C", str(ROOT), "show", "main:factdesk/nlp/model/checkworthiness.npz"],
        capture_output=True,
    )
    if got.returncode != 0:
        return None
    out.write_bytes(got.stdout)
    return out


def fresh(code: str, env: dict[str, str]) -> str:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env},
    ).stdout


def main() -> int:
    if not GROUNDTRUTH.exists():
        print(f"skipped: {GROUNDTRUTH} is not here")
        return 0
    shipped = shipped_model()
    folder = Path(tempfile.mkdtemp(prefix="factdesk-before-"))
    path = main_model(folder)
    before = LinearModel.load(path) if path else replace(shipped, head=np.zeros(0, np.float32))
    print(f"before: {'main' + chr(39) + 's model' if path else 'the shipped model, no head'}")
    before_env = {"FACTDESK_DETECTOR_MODEL": str(path)} if path else {}
    if shipped.uses_encoder:
        from factdesk.nlp.encoder import load_encoder

        started = time.perf_counter()
        encoder = load_encoder()
        print(f"encoder load: {time.perf_counter() - started:.2f} s, {encoder.threads} thread(s)")
    detect_module.load_pipeline()
    lines = read_tsv(GROUNDTRUTH).texts
    for name, model in (("before", before), ("shipped", shipped), ("before", before)):
        s = with_model(model, detect_module.classify_sentences, lines)
        print(f"score, {name}: {len(lines) / s:,.0f} sentences per CPU second")
    margins = [
        shipped.margin(detect_module.sentence_features(d))
        for d in detect_module.load_pipeline().pipe(lines)
    ]
    share = np.mean([shipped.needs_encoder(m) for m in margins])
    print(f"the encoder runs on {share:.0%} of the groundtruth sentences (the cascade)")
    news = "\n".join(p.read_text(encoding="utf-8") for p in sorted(NEWS.glob("*.txt")))
    repeated = SAMPLE.read_text(encoding="utf-8") * (1_000_000 // len(SAMPLE.read_text()) + 1)
    for label, text in (
        ("news, distinct sentences", news),
        ("1 MB, the sample repeated", repeated),
    ):
        a = with_model(before, detect_module.detect_claims, text)
        b = with_model(shipped, detect_module.detect_claims, text)
        print(
            f"detect_claims on {label} ({len(text):,} chars): before {a:.1f} s, "
            f"shipped {b:.1f} s = {b / a:.2f}x (target <= 1.5)"
        )
    code = (
        "import resource; from factdesk.nlp import detect_claims; "
        f"detect_claims(open({str(SAMPLE)!r}).read() * 450); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    for name, env in (("before", before_env), ("shipped", {})):
        print(f"peak memory, detect_claims on 1 MB, {name}: {float(fresh(code, env)):.0f} MB")
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_gui import cold_sample

    for name, env in (("before", before_env), ("shipped", {}), ("before", before_env)):
        saved = dict(os.environ)
        os.environ.update(env)
        try:
            runs = [r[2] for r in cold_sample(3)]
        finally:
            os.environ.clear()
            os.environ.update(saved)
        print(
            f"first highlights of the sample from a cold start, {name}: median "
            f"{statistics.median(runs):.2f} s (range {min(runs):.2f}-{max(runs):.2f}; target <= 2)"
        )
    return 0


def test_detector_model_benchmark() -> None:
    assert main() == 0


if __name__ == "__main__":
    sys.exit(main())
