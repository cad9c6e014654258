"""The claim-detection worker process: Qt-free, so the child imports only what detection needs.

Requests arrive on one queue: ("detect", job_id, text), ("cancel", job_id), ("embed", key, texts)
or None to end the process. Batches go back on another as plain tuples: ("ready", pid) once, then
per job ("batch", job_id, done, total, candidates) ... ("done", job_id), or ("error", job_id,
message); per embed request ("vectors", key, float32 array) or ("embed_error", key, message).
The newest job goes first; older ones carry on from where they stopped when it is done. A
cancelled job stops after its current batch and sends nothing more. The sentence encoder (for
matching) is loaded here on the first embed request, so the window's process never loads it; one
embed request (a few dozen sentences, ~0.2 s) runs between two detection batches.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import queue
import threading
from collections import deque
from collections.abc import Iterator
from multiprocessing.queues import Queue
from typing import Any, NamedTuple

log = logging.getLogger(__name__)


class WorkerHandle(NamedTuple):
    process: Any
    jobs: Queue[Any]
    results: Queue[Any]


def start() -> WorkerHandle:
    """Start the worker process (it loads spaCy at once, at a lower priority than the window)."""
    ctx = multiprocessing.get_context("spawn")
    jobs: Queue[Any] = ctx.Queue()
    results: Queue[Any] = ctx.Queue()
    process = ctx.Process(target=serve, args=(jobs, results), name="factdesk-detect", daemon=True)
    process.start()
    return WorkerHandle(process, jobs, results)


def serve(jobs: Queue[Any], results: Queue[Any]) -> None:
    _exit_with_parent()
    # background work: on a two-core laptop the window's thread must win the CPU when both want it
    if hasattr(os, "nice"):
        os.nice(10)
    results.put(("ready", os.getpid()))
    try:
        # load spaCy now, not with the first job: the journalist is still looking at the window
        from factdesk.nlp import preload

        preload()
    except Exception:
        log.debug("preloading the pipeline failed; the first job reports why", exc_info=True)
    pending: deque[tuple[str, str]] = deque()
    embeds: deque[tuple[Any, list[str]]] = deque()
    cancelled: set[str] = set()
    # jobs under way, newest last: the article the journalist opened last gets its batches first
    # (while a long one waits), then the older ones carry on where they stopped
    running: list[tuple[str, Iterator[Any]]] = []
    while True:
        if not _receive(jobs, pending, cancelled, embeds, block=not (pending or running or embeds)):
            return
        if embeds:
            _embed(results, *embeds.popleft())
        running = [(job_id, batches) for job_id, batches in running if job_id not in cancelled]
        while pending:
            job_id, text = pending.popleft()
            if job_id not in cancelled:
                from factdesk.nlp import iter_detect

                running.append((job_id, iter_detect(text)))
        if not running:
            continue
        job_id, batches = running[-1]
        try:
            batch = next(batches, None)
        except Exception as exc:
            running.pop()
            results.put(("error", job_id, f"{type(exc).__name__}: {exc}"))
            continue
        if batch is None:
            running.pop()
            results.put(("done", job_id))
        else:
            results.put(("batch", job_id, batch.done, batch.total, tuple(batch.candidates)))


def _embed(results: Queue[Any], key: Any, texts: list[str]) -> None:
    try:
        from factdesk.nlp.encoder import load_encoder

        results.put(("vectors", key, load_encoder().embed(texts)))
    except Exception as exc:
        results.put(("embed_error", key, f"{type(exc).__name__}: {exc}"))


def _receive(
    jobs: Queue[Any],
    pending: deque[tuple[str, str]],
    cancelled: set[str],
    embeds: deque[tuple[Any, list[str]]],
    *,
    block: bool,
) -> bool:
    """Move the queued requests into `pending` and `cancelled` (waiting for one when `block`);
    False once the window asked the process to end."""
    while True:
        try:
            message = jobs.get(block=block)
        except queue.Empty:
            return True
        block = False
        if message is None:
            return False
        if message[0] == "cancel":
            cancelled.add(message[1])
        elif message[0] == "embed":
            embeds.append((message[1], message[2]))
        else:
            pending.append((message[1], message[2]))


def _exit_with_parent() -> None:
    """End this process when the window's process ends, however it ends (a crash or a kill
    never sends the None job): otherwise a 200 MB spaCy process would be left behind."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="factdesk-parent-watch", daemon=True).start()
