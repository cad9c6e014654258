"""A missing or damaged detection model is reported by the detection worker, naming the file;
the worker itself stays up and answers the next request."""

from __future__ import annotations

import queue
from pathlib import Path
from typing import Any

import pytest


def _messages(handle: Any, job_id: str, timeout: float = 120.0) -> list[Any]:
    out: list[Any] = []
    while True:
        try:
            message = handle.results.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"the worker went quiet; so far {out}")
        out.append(message)
        if message[0] in ("done", "error") and message[1] == job_id:
            return out


def test_a_bad_model_file_is_an_error_naming_it_not_a_dead_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(A missing file takes the same path: tests/nlp/test_model.py checks both messages.)"""
    from factdesk.gui import detect_worker

    bad = tmp_path / "checkworthiness.npz"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    monkeypatch.setenv("FACTDESK_DETECTOR_MODEL", str(bad))
    handle = detect_worker.start()  # a spawned child: it reads the variable set above
    try:
        handle.jobs.put(("detect", "one", "The council said rents rose 8 percent last year.\n"))
        first = _messages(handle, "one")
        handle.jobs.put(("detect", "two", "The mayor said taxes fell 2 percent.\n"))
        second = _messages(handle, "two")
        assert handle.process.is_alive()
    finally:
        handle.jobs.put(None)
        handle.process.join(10)
    for messages in (first, second):
        error = messages[-1]
        assert error[0] == "error", messages
        assert str(bad) in error[2] and "damaged" in error[2]


def test_a_damaged_encoder_file_is_an_error_naming_it_not_a_dead_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shipped detector reads the fine-tuned encoder: its damaged ONNX file is named too."""
    import shutil

    from factdesk.gui import detect_worker
    from factdesk.nlp.encoder import MODEL_FILE, encoder_dir

    folder = tmp_path / "encoder_model"
    shutil.copytree(encoder_dir(), folder)
    data = (folder / MODEL_FILE).read_bytes()
    (folder / MODEL_FILE).write_bytes(data[: len(data) // 2])
    monkeypatch.setenv("FACTDESK_ENCODER_DIR", str(folder))
    handle = detect_worker.start()
    try:
        handle.jobs.put(("detect", "one", "The council said rents rose 8 percent last year.\n"))
        first = _messages(handle, "one")
        handle.jobs.put(("detect", "two", "The mayor said taxes fell 2 percent.\n"))
        second = _messages(handle, "two")
        assert handle.process.is_alive()
    finally:
        handle.jobs.put(None)
        handle.process.join(10)
    for messages in (first, second):
        error = messages[-1]
        assert error[0] == "error", messages
        assert str(folder / MODEL_FILE) in error[2] and "damaged" in error[2]
