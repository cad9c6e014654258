"""The one on-device sentence encoder: all-MiniLM-L6-v2 as int8 ONNX, run by onnxruntime + tokenizers.

`load_encoder()` returns the process-wide encoder (loaded on first call, never at import);
`Encoder.embed(texts)` returns float32 unit vectors (mean-pooled, L2-normalised, 384 dimensions), so a
dot product is the cosine similarity. The model files live in factdesk/nlp/encoder_model/ and are made
by `python -m factdesk.nlp.export_encoder`. A missing or damaged file raises EncoderError naming it.
`encoder_version()` names the model (without loading it): stored vectors carry it, so vectors of two
models are never compared.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from factdesk.domain import FactdeskError

MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
INFO_FILE = "encoder.json"
DIM = 384
CHECK_OUTPUT = "checkworthiness"  # the fine-tuned graph's second output: the detector's logit
CHECK_TOKENS = 64  # the head was trained on sentences cut to 64 tokens


class EncoderError(FactdeskError):
    """The sentence encoder's model files are missing or cannot be read (reinstall factdesk)."""


def encoder_dir() -> Path:
    """The folder inside the package that holds the encoder's ONNX model and tokenizer."""
    return Path(str(resources.files("factdesk.nlp") / "encoder_model"))


def encoder_path() -> Path:
    """The encoder in use: FACTDESK_ENCODER_DIR (to try a retrained one), else the shipped one."""
    override = os.environ.get("FACTDESK_ENCODER_DIR", "").strip()
    return Path(override) if override else encoder_dir()


class Encoder:
    """A loaded sentence encoder. Thread-safe for `embed` (onnxruntime sessions are)."""

    MAX_TOKENS = 256  # what all-MiniLM-L6-v2 was trained with; longer text is truncated
    DIM = DIM

    def __init__(self, directory: Path | None = None, *, threads: int | None = None) -> None:
        folder = directory if directory is not None else encoder_path()
        model_path = folder / MODEL_FILE
        tokenizer_path = folder / TOKENIZER_FILE
        self.threads = threads if threads is not None else default_threads()
        self._tokenizer = _load_tokenizer(tokenizer_path, self.MAX_TOKENS)
        self._session = _load_session(model_path, self.threads)
        self.has_checkworthiness = CHECK_OUTPUT in {o.name for o in self._session.get_outputs()}
        self.model_path = model_path
        self.version = encoder_version(folder)

    def embed(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = 1,
        progress: Callable[[int, int], None] | None = None,
    ) -> np.ndarray:
        """Unit vectors, shape (len(texts), 384), float32, in the order of `texts`.

        The int8 model quantises activations with one scale per run, so a vector computed in a
        batch shifts a little with its batch-mates (cosine ~0.99 to itself alone). With the default
        batch_size=1 a vector depends on its sentence only, and int8 runs almost as fast unbatched;
        larger batches (sorted by length, little padding) are for throughput where exactness does
        not matter. `progress(done, total)` is called about every 32 texts and at the end.
        """
        total = len(texts)
        out = np.zeros((total, DIM), dtype=np.float32)
        if total == 0:
            return out
        encodings = self._tokenizer.encode_batch([t if t.strip() else " " for t in texts])
        order = sorted(range(total), key=lambda i: len(encodings[i].ids))
        step = max(1, batch_size)
        done = reported = 0
        for start in range(0, total, step):
            idx = order[start : start + step]
            width = max(len(encodings[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            vectors = self._session.run(["embedding"], {"input_ids": ids, "attention_mask": mask})
            out[idx] = vectors[0]
            done += len(idx)
            if progress is not None and (done - reported >= 32 or done == total):
                reported = done
                progress(done, total)
        return out

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]

    def checkworthiness(self, texts: Sequence[str]) -> np.ndarray:
        """The check-worthiness head's logit of each text, shape (len(texts),), float32.

        One sentence per run (as `embed`, so a score never depends on its neighbours), cut to the
        64 tokens the head was trained on. EncoderError when this model has no such head.
        """
        if not self.has_checkworthiness:
            raise EncoderError(
                f"The encoder's model file has no check-worthiness output: {self.model_path}. "
                "Reinstall factdesk."
            )
        out = np.zeros(len(texts), dtype=np.float32)
        for i, enc in enumerate(
            self._tokenizer.encode_batch([t if t.strip() else " " for t in texts])
        ):
            ids = enc.ids
            if len(ids) > CHECK_TOKENS:
                ids = ids[: CHECK_TOKENS - 1] + ids[-1:]  # keep [SEP], as training truncated
            feed = np.array([ids], dtype=np.int64)
            got = self._session.run(
                [CHECK_OUTPUT], {"input_ids": feed, "attention_mask": np.ones_like(feed)}
            )
            out[i] = got[0][0]
        return out


def encoder_version(directory: Path | None = None) -> str:
    """16 hex digits naming the model: the start of the model file's SHA-256 as the export wrote
    it in encoder.json (read in microseconds), else hashed from the file itself. Without
    `directory`: the encoder in use (`encoder_path`, so FACTDESK_ENCODER_DIR's vectors are stamped
    as that model's, not as the shipped one's)."""
    folder = directory if directory is not None else encoder_path()
    try:
        info = json.loads((folder / INFO_FILE).read_text(encoding="utf-8"))
        digest = str(info.get("model_sha256", ""))
    except (OSError, ValueError, AttributeError):
        digest = ""
    if len(digest) < 16:
        try:
            digest = hashlib.sha256((folder / MODEL_FILE).read_bytes()).hexdigest()
        except OSError as exc:
            raise EncoderError(
                f"The encoder's model file is missing: {folder / MODEL_FILE}. Reinstall factdesk."
            ) from exc
    return digest[:16].lower()


def default_threads() -> int:
    """Intra-op threads: FACTDESK_ENCODER_THREADS, else one. Sentences run one at a time (see
    `embed`), and one small sentence gains nothing from a second thread: measured on the 2-core
    machine under load, one thread embedded 178 sentences/s and a query in 9.8 ms, two threads
    57/s and 37.7 ms (19.5 ms without spinning)."""
    env = os.environ.get("FACTDESK_ENCODER_THREADS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return 1


def _load_tokenizer(path: Path, max_tokens: int) -> Any:
    from tokenizers import Tokenizer

    if not path.is_file():
        raise EncoderError(f"The encoder's tokenizer file is missing: {path}. Reinstall factdesk.")
    try:
        tokenizer = Tokenizer.from_file(str(path))
    except Exception as exc:
        raise EncoderError(
            f"The encoder's tokenizer file is damaged: {path} ({exc}). Reinstall factdesk."
        ) from exc
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_tokens)
    return tokenizer


def _load_session(path: Path, threads: int) -> Any:
    import onnxruntime as ort

    if not path.is_file():
        raise EncoderError(f"The encoder's model file is missing: {path}. Reinstall factdesk.")
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # idle threads that spin take the CPU the window and the other threads need
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    try:
        session = ort.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:
        raise EncoderError(
            f"The encoder's model file is damaged: {path} ({str(exc).splitlines()[0]}). "
            "Reinstall factdesk."
        ) from exc
    names = {i.name for i in session.get_inputs()}
    if names != {"input_ids", "attention_mask"} or session.get_outputs()[0].name != "embedding":
        raise EncoderError(
            f"The encoder's model file is not a factdesk sentence encoder: {path}. Reinstall factdesk."
        )
    return session


_lock = threading.Lock()
_encoder: Encoder | None = None


def load_encoder() -> Encoder:
    """The process-wide encoder, loaded on first use (about 0.3 s) and kept."""
    global _encoder
    with _lock:
        if _encoder is None:
            _encoder = Encoder()
        return _encoder
