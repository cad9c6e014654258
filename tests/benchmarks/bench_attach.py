"""Attach benchmark (on demand): peak memory (RSS) of attaching one large file to an encrypted
board, in a fresh process. Prints figures.

    python tests/benchmarks/bench_attach.py [SIZE_MB] [--baseline SRC]

`--baseline SRC` also runs another source tree (e.g. `git archive main factdesk | tar -x -C
/tmp/base`), alternating with this one, so before/after come from one run.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def child(work: Path, file: Path) -> None:
    import keyring

    sys.path.append(str(ROOT))  # after SRC on PYTHONPATH: only its tests package comes from here
    from tests.benchmarks.bench_verify import FileKeyring
    from tests.core.helpers import board_with_article

    keyring.set_keyring(FileKeyring(work / "keyring.json"))
    ws, _, claim_ids = board_with_article(work / "home")
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    ws.attach_file(claim_ids[0], file)
    took = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ok = ws.verify().ok
    ws.close()
    print(
        json.dumps(
            {"before_mb": round(base), "peak_mb": round(peak), "s": round(took, 1), "ok": ok}
        )
    )


def main(argv: list[str]) -> None:
    if argv and argv[0] == "--child":
        child(Path(argv[1]), Path(argv[2]))
        return
    baseline = ""
    if "--baseline" in argv:
        i = argv.index("--baseline")
        baseline = argv[i + 1]
        del argv[i : i + 2]
    size_mb = int(argv[0]) if argv else 200
    tmp = Path(tempfile.mkdtemp(prefix="factdesk-bench-attach-"))
    try:
        file = tmp / "scan.pdf"
        with file.open("wb") as f:
            for _ in range(size_mb):
                f.write(os.urandom(1024 * 1024))
        trees = {"baseline": baseline, "this tree": ""} if baseline else {"this tree": ""}
        for name, src in trees.items():
            work = tmp / name.replace(" ", "-")
            work.mkdir()
            env = dict(os.environ, FACTDESK_HOME=str(work / "home"))
            if src:
                env["PYTHONPATH"] = src  # its factdesk package before the installed one
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(work), str(file)],
                capture_output=True,
                text=True,
                check=True,
                cwd=src or ROOT,
                env=env,
            ).stdout
            got = json.loads(out.strip().splitlines()[-1])
            print(
                f"{name}: attach a {size_mb} MB file: peak RSS {got['peak_mb']} MB (before the "
                f"attach {got['before_mb']} MB), {got['s']} s, verify ok: {got['ok']}"
            )
            shutil.rmtree(work)
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main(sys.argv[1:])
