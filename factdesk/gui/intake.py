"""Articles coming in: open a file, paste, the sample; store the article; stream the claims the
detection worker finds onto the board; stop, resume, and carry on when the worker dies.

An article's text shows at once and its claims are sought while it is being stored: a detection
job is named at once and learns its article's id once the board has it. Only what is new goes
to the board at each flush (a few times a second), never every candidate found before.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from factdesk.domain import (
    ArticleRecord,
    ClaimCandidate,
    ClaimRecord,
    FactdeskError,
    ImportedDocument,
    Outcome,
)
from factdesk.domain.formats import article_file_filter
from factdesk.gui.board import BoardClient
from factdesk.gui.selection import Selection

if TYPE_CHECKING:
    from factdesk.gui.detection import DetectionProcess
    from factdesk.services import Workspace

OPEN_FILTER = article_file_filter()

# how often a running worker is looked at, to notice one that died (killed, out of memory)
WATCH_MS = 1000


class EarlierCandidates(Sequence[ClaimCandidate]):
    """The candidates of an analysis already stored, as `add_detected_claims` counts them, but
    holding only those the new batch points back to (its repeats): a flush sends what is new."""

    def __init__(self, count: int, picked: dict[int, ClaimCandidate]) -> None:
        self._count = count
        self._picked = picked

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> ClaimCandidate: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[ClaimCandidate]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            raise TypeError("earlier candidates are looked up one by one")
        try:
            return self._picked[index]
        except KeyError:
            raise IndexError(index) from None

    def __iter__(self) -> Iterator[ClaimCandidate]:
        return iter(self._picked[i] for i in sorted(self._picked))


def _add_found(
    ws: Workspace, *, article_id: str, new: Sequence[ClaimCandidate], earlier: EarlierCandidates
) -> Outcome[Any]:
    return ws.add_detected_claims(article_id, new, earlier=earlier)


class Intake(QObject):
    document_opened = Signal(object)  # ImportedDocument: its text goes up before it is stored
    article_stored = Signal(object, object)  # ArticleRecord, its claims: now on the board
    store_failed = Signal(object, object)  # previous ArticleRecord | None, the exception
    analysing = Signal(bool)  # whether claims are being found
    progress = Signal(int, int)  # paragraphs done, of
    detection_finished = Signal(str)  # article id, once its last claims are written
    message = Signal(str, int)  # status-bar text, milliseconds
    error = Signal(object)

    def __init__(
        self,
        board: BoardClient,
        selection: Selection,
        detector: DetectionProcess | None,
        parent_widget: QWidget,
    ) -> None:
        super().__init__(parent_widget)
        self.board = board
        self.selection = selection
        self.detector = detector
        self._widget = parent_widget
        self._job_ids = (f"job-{n}" for n in itertools.count(1))
        self._jobs: dict[str, str | None] = {}  # job -> its article's id (None until stored)
        self._job_texts: dict[str, str] = {}  # job -> the text analysed, until stored
        self._ended: set[str] = set()  # jobs the worker finished before their article was stored
        self._found: dict[str, list[ClaimCandidate]] = {}  # per job: every candidate so far
        self._sent: dict[str, int] = {}  # per job: how many of them went to the board
        self.storing = 0  # documents shown and on their way to the board
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(300)
        self._flush_timer.timeout.connect(self._flush_found)
        self._watch = QTimer(self)
        self._watch.setInterval(WATCH_MS)
        self._watch.timeout.connect(self._check_worker)
        if detector is not None:
            detector.batch_ready.connect(self._detected_batch)
            detector.finished.connect(self._detection_done)
            detector.failed.connect(self._detection_failed)

    @property
    def busy(self) -> bool:
        """Claims are being found (for some article)."""
        return bool(self._jobs)

    # ---------------------------------------------------------------- opening
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self._widget, "Open an article", "", OPEN_FILTER)
        if path:
            self.import_path(path)

    def open_sample(self) -> None:
        from factdesk.paths import sample_article

        self.import_path(str(sample_article()))

    def import_path(self, path: str) -> None:
        self.message.emit(f"Importing {Path(path).name}…", 3000)
        self.board.read_file(path, self.add_document)

    def paste_article(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        html = mime.html() if mime is not None and mime.hasHtml() else None
        text = mime.text() if mime is not None and mime.hasText() else None
        if not (html or text):
            self.error.emit(FactdeskError("The clipboard holds no text to import."))
            return

        from factdesk.importers import read_clipboard

        # a pasted web page goes through trafilatura: not on the GUI thread
        self.board.tasks.io(lambda: read_clipboard(html, text), self.add_document, self.error.emit)

    def add_document(self, doc: ImportedDocument) -> None:
        """Show an imported document at once and start finding its claims, then store it (one
        action); the claims found go to the board once it has the article."""
        previous = self.selection.article
        self.document_opened.emit(doc)
        job = self._start_job(doc.text)
        self.storing += 1

        def failed(exc: BaseException) -> None:
            # nothing was stored: the window goes back to what was on screen and says why
            self.storing -= 1
            if job is not None:
                self._drop_job(job)
            self.store_failed.emit(previous, exc)

        self.board.mutate(
            lambda ws: ws.add_document(doc, detect=False),
            partial(self._imported, job=job),
            failed,
            initiator=self,
        )

    def _imported(self, outcome: Outcome[ArticleRecord], job: str | None) -> None:
        article = outcome.value

        def show(claims: list[ClaimRecord]) -> None:
            self.storing -= 1
            self.article_stored.emit(article, claims)
            if job is not None and not claims and self._job_texts.get(job) == article.text:
                self._adopt(job, article.id)
                return
            if job is not None:
                self._drop_job(job)  # the board already had this article, with its claims
            if not claims:
                self.detect(article)

        self.board.read(lambda ws: ws.claims(article.id, include_dismissed=True), show)

    # ---------------------------------------------------------------- detection
    def detect(self, article: ArticleRecord) -> None:
        """Find the claims of an article on the board."""
        job = self._start_job(article.text)
        if job is not None:
            self._adopt(job, article.id)

    def find_claims_again(self) -> None:
        """Analyse the article on screen again (after a stop, say); claims already on the
        board are not added twice, dismissed ones stay dismissed."""
        article = self.selection.article
        if article is None:
            return
        if article.id in self._jobs.values():
            self.message.emit("Claims are being found in this article already.", 4000)
            return
        self.detect(article)

    def stop_finding(self) -> None:
        """Stop every analysis under way; the claims found so far are stored and kept."""
        stopped = [job for job in self._jobs if job not in self._ended]
        if not stopped:
            return
        for job in stopped:
            if self.detector is not None:
                self.detector.cancel(job)
            self._finish(job)  # what was found is stored (once its article is, if not yet)
        self.message.emit(
            "Stopped finding claims; those found so far are kept. "
            "Claim → Find claims again carries on.",
            8000,
        )

    def _start_job(self, text: str) -> str | None:
        if self.detector is None:
            self.message.emit("Claim detection is not available; mark claims with M.", 0)
            return None
        job = next(self._job_ids)
        self._jobs[job] = None
        self._job_texts[job] = text
        self.analysing.emit(True)
        self.detector.submit(job, text)
        if not self._watch.isActive():
            self._watch.start()
        return job

    def _adopt(self, job: str, article_id: str) -> None:
        """`job` analyses the article `article_id` on the board: what it finds is stored there."""
        if job not in self._jobs:
            return
        self._jobs[job] = article_id
        self._job_texts.pop(job, None)
        self._flush_found()
        if job in self._ended:
            self._finish(job)

    def _drop_job(self, job: str, *, cancel: bool = True) -> None:
        """Forget a job; with `cancel`, its claims are not wanted and the worker stops on it."""
        if cancel and job in self._jobs and job not in self._ended and self.detector is not None:
            self.detector.cancel(job)
        for table in (self._jobs, self._job_texts, self._found, self._sent):
            table.pop(job, None)
        self._ended.discard(job)
        if not self._jobs:
            self._watch.stop()
            self.analysing.emit(False)

    @Slot(str, int, int, object)
    def _detected_batch(self, job: str, done: int, total: int, candidates: Any) -> None:
        if job not in self._jobs:
            return
        self.progress.emit(done, total)
        if candidates:
            self._found.setdefault(job, []).extend(candidates)
            if not self._sent.get(job):
                self._flush_found()  # the first highlights at once
            # later batches arrive every ~0.1 s: writing and painting them a few times a second
            # keeps the board's thread from competing with this one for every small batch
            elif not self._flush_timer.isActive():
                self._flush_timer.start()

    def _flush_found(self) -> None:
        """Store the claims found since the last flush (one write per article): the new ones,
        with only those earlier ones their repeats point back to."""
        self._flush_timer.stop()
        for job, found in self._found.items():
            article_id = self._jobs.get(job)
            sent = self._sent.get(job, 0)
            if article_id is None or sent == len(found):
                continue  # not on the board yet: stored once it is
            new = tuple(found[sent:])
            picked = {
                c.duplicate_of: found[c.duplicate_of]
                for c in new
                if c.duplicate_of is not None and 0 <= c.duplicate_of < sent
            }
            self._sent[job] = len(found)
            self.board.mutate(
                partial(
                    _add_found,
                    article_id=article_id,
                    new=new,
                    earlier=EarlierCandidates(sent, picked),
                ),
                initiator=self,
            )

    def _finish(self, job: str) -> None:
        """The worker is done with `job`: store the rest of what it found, then let go of it."""
        article_id = self._jobs.get(job)
        if article_id is None:
            self._ended.add(job)  # finished before its article was stored: _adopt finishes it
            return
        self._flush_found()
        self._drop_job(job, cancel=False)
        # emitted once the last batch has been written: the database thread runs in order
        self.board.read(lambda ws: None, lambda _r: self.detection_finished.emit(article_id))

    @Slot(str)
    def _detection_done(self, job: str) -> None:
        if job in self._jobs:
            self._finish(job)

    @Slot(str, str)
    def _detection_failed(self, job: str, message: str) -> None:
        if job not in self._jobs:
            return
        self._finish(job)  # what was found before the failure is kept
        self.error.emit(FactdeskError(f"Claim detection failed: {message}"))

    def _check_worker(self) -> None:
        """A worker that died (killed, out of memory) sends nothing more: keep what it found,
        say so, and let the next analysis start a new one."""
        if self.detector is None or self.detector.is_alive():
            return
        self.detector.forget_dead_worker()
        for job in [j for j in self._jobs if j not in self._ended]:
            self._finish(job)
        self.error.emit(
            FactdeskError(
                "Claim detection stopped unexpectedly; the claims found so far are kept. "
                "Claim → Find claims again starts it anew."
            )
        )
