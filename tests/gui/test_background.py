"""Work happens off the GUI thread: the board on its own thread, claim detection in another
process, the passphrase dialog marshalled to the GUI thread; and the PySide6 none_dealloc guard."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from factdesk.domain import FactdeskError
from factdesk.gui import create_window
from factdesk.gui.passphrase_dialog import PassphraseDialog
from tests.gui.conftest import board_ready, long_article, needs_nlp, open_default_board


@needs_nlp
def test_detection_runs_in_a_worker_process(sample_path: Path, qtbot: Any) -> None:
    board_threads: list[threading.Thread] = []

    def open_board(passphrase: Any) -> Any:
        from factdesk.services import Workspace

        board_threads.append(threading.current_thread())
        return Workspace.open(passphrase=passphrase)

    window = create_window(open_board, open_path=str(sample_path))
    qtbot.addWidget(window)
    window.show()
    assert window.selection.article is None, "the window shows before the board is opened"
    with qtbot.waitSignal(window.detection_finished, timeout=120_000):
        pass
    assert board_threads and board_threads[0] is not threading.main_thread()
    assert window.detector is not None and window.detector.pid not in (None, os.getpid())
    qtbot.waitUntil(lambda: window.claims.model.rowCount() > 0, timeout=10_000)
    assert window.article.view.highlighter.claim(window.claims.model.record(0).id) is not None
    window.close()
    assert not window.board.is_open


@needs_nlp
def test_claims_are_sought_while_the_board_opens(sample_path: Path, qtbot: Any) -> None:
    """`factdesk open FILE`: the text shows and the worker analyses it before the board is even
    open (SQLAlchemy, the key, a migration); the claims found then land on the stored article."""
    seen_before_open: list[str] = []
    text_shown, claims_found = threading.Event(), threading.Event()

    def open_board(passphrase: Any) -> Any:
        from factdesk.services import Workspace

        if text_shown.wait(30):
            seen_before_open.append("text")
        if claims_found.wait(90):
            seen_before_open.append("claims")
        return Workspace.open(passphrase=passphrase)

    window = create_window(open_board, open_path=str(sample_path))
    qtbot.addWidget(window)
    window.text_shown.connect(text_shown.set)
    assert window.detector is not None
    window.detector.batch_ready.connect(lambda *_a: claims_found.set())
    with qtbot.waitSignal(window.detection_finished, timeout=120_000) as finished:
        window.show()  # the board opens, the sample is read, analysed and stored from here
    assert seen_before_open == ["text", "claims"]
    assert window.selection.article is not None and finished.args == [window.selection.article.id]
    stored = window.board.tasks.db_sync(
        lambda: window.board._ws().claims(window.selection.article.id, include_dismissed=True)
    )
    assert len(stored) >= 10
    assert len({(c.start, c.end) for c in stored}) == len(stored), "each claim stored once"
    qtbot.waitUntil(lambda: window.claims.model.rowCount() == len(stored), timeout=10_000)
    window.close()


def test_an_article_already_on_the_board_is_not_analysed_twice(
    make_window: Any, sample_path: Path, qtbot: Any
) -> None:
    window = make_window(detector="inline")
    window.intake.import_path(str(sample_path))
    qtbot.waitUntil(lambda: window.claims.model.rowCount() > 0)
    before = window.claims.model.rowCount()
    window.intake.import_path(str(sample_path))  # found again while being stored: then dropped
    qtbot.waitUntil(lambda: window.selection.article is not None and not window.intake.busy)
    assert window.articles.model.rowCount() == 1
    assert window.claims.model.rowCount() == before
    assert window.findChild(QMessageBox, "error_box") is None


def read_until(handle: Any, messages: list[Any], last: Callable[[Any], bool]) -> None:
    """Collect the detection worker's messages up to the first for which `last` holds."""
    while not messages or not last(messages[-1]):
        messages.append(handle.results.get(timeout=120))


@needs_nlp
def test_a_cancelled_detection_stops_and_the_next_one_runs() -> None:
    """The worker gives up an article no longer wanted (say, one already on the board) after
    the batch at hand, and goes on with the next."""
    from factdesk.gui import detect_worker

    long = "\n".join(
        f"The council said {n} percent of the pipes were replaced last year." for n in range(3000)
    )
    handle = detect_worker.start()
    try:
        handle.jobs.put(("detect", "long", long))
        messages: list[Any] = []
        read_until(handle, messages, lambda m: m[:2] == ("batch", "long"))
        handle.jobs.put(("cancel", "long"))
        handle.jobs.put(("detect", "short", "Officials said 40 percent of pipes leak."))
        read_until(handle, messages, lambda m: m == ("done", "short"))
        short_done = len(messages)
        # had the long article not been dropped, it would carry on now, before this one arrives
        handle.jobs.put(("detect", "probe", "The mayor said rates rose 3 percent."))
        read_until(handle, messages, lambda m: m == ("done", "probe"))
    finally:
        handle.jobs.put(None)
        handle.process.join(10)
    long_batches = [m for m in messages if m[:2] == ("batch", "long")]
    done, total = long_batches[-1][2:4]
    assert done < total, "the cancelled article was not analysed to its end"
    assert not [m for m in messages[short_done:] if m[1] == "long"], "nothing more of it"
    assert [m[0] for m in messages if m[1:2] == ("short",)][-2:] == ["batch", "done"]


@needs_nlp
def test_the_article_opened_last_is_analysed_first() -> None:
    """A long article under analysis waits while the one just opened gets its highlights; then
    it carries on where it stopped, and nothing of it is lost or repeated."""
    from factdesk.gui import detect_worker
    from factdesk.nlp import detect_claims, with_tiers

    long = "\n".join(
        f"The council said {n} percent of the {n % 7} pipes were replaced in {1990 + n % 30}."
        for n in range(400)
    )
    short = "Officials said 40 percent of pipes leak."
    handle = detect_worker.start()
    try:
        handle.jobs.put(("detect", "long", long))
        messages: list[Any] = []
        read_until(handle, messages, lambda m: m[:2] == ("batch", "long"))
        handle.jobs.put(("detect", "short", short))
        read_until(handle, messages, lambda m: m == ("done", "long"))
    finally:
        handle.jobs.put(None)
        handle.process.join(10)
    ends = [m for m in messages if m[0] == "done"]
    assert ends == [("done", "short"), ("done", "long")]
    streamed = [c for m in messages if m[:2] == ("batch", "long") for c in m[4]]
    assert with_tiers(streamed) == detect_claims(long)  # tiers need the whole article


@needs_nlp
def test_finding_claims_can_be_stopped_and_taken_up_again(qtbot: Any, tmp_path: Path) -> None:
    from factdesk.domain import ClaimKind
    from factdesk.nlp import detect_claims

    article = long_article(tmp_path)
    window = create_window(open_default_board)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.info is not None, timeout=15_000)

    def on_board() -> list[Any]:
        assert window.selection.article is not None
        article_id = window.selection.article.id
        return window.board.tasks.db_sync(
            lambda: window.board._ws().claims(article_id, include_dismissed=True)
        )

    window.intake.import_path(str(article))
    qtbot.waitUntil(lambda: window.claims.model.rowCount() > 0, timeout=120_000)
    assert window.status.stop_button.isVisible() and window.commands["stop"].isEnabled()
    with qtbot.waitSignal(window.detection_finished, timeout=10_000):
        qtbot.mouseClick(window.status.stop_button, Qt.MouseButton.LeftButton)
    assert not window.status.progress.isVisible() and not window.commands["stop"].isEnabled()
    found = len(on_board())
    qtbot.wait(1500)
    assert window.selection.article is not None
    expected = {
        (c.start, c.end)
        for c in detect_claims(window.selection.article.text)
        if c.is_check_worthy or (c.kind is ClaimKind.QUOTATION and c.claimant)
    }
    assert len(on_board()) == found < len(expected), "nothing more after the stop"

    with qtbot.waitSignal(window.detection_finished, timeout=120_000):
        window.commands["find_claims"].trigger()
    stored = on_board()
    assert {(c.start, c.end) for c in stored} == expected
    assert len(stored) == len(expected), "claims found before the stop are not added twice"
    window.close()


def test_a_file_opened_at_start_is_held_to_the_users_size_limit(qtbot: Any, tmp_path: Path) -> None:
    """The file named on the command line is read before the board opens, under the limit in
    the user's settings (in the --home given), and the window keeps its state there too."""
    from factdesk import paths, settings

    home = tmp_path / "home"
    settings.save(paths.resolve(home).settings_file, settings.Settings(max_import_mb=1))
    big = tmp_path / "big.txt"
    big.write_text("Officials said 40 percent of pipes leak.\n" * 60_000, encoding="utf-8")

    def open_board(passphrase: Any) -> Any:
        from factdesk.services import Workspace

        return Workspace.open(home=home, passphrase=passphrase)

    window = create_window(open_board, open_path=str(big), detector=False, home=str(home))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "error_box") is not None)
    assert "over the 1 MB import limit" in window.findChild(QMessageBox, "error_box").text()
    qtbot.waitUntil(lambda: window.info is not None, timeout=15_000)
    assert window.articles.model.rowCount() == 0
    window.close()
    assert (paths.resolve(home).config / "window.ini").is_file()


def test_article_text_shows_while_the_board_is_busy(
    sample_path: Path, qtbot: Any, tmp_path: Path
) -> None:
    """Opening a long article shows its text at once, even with the board still writing."""
    window = create_window(open_default_board, detector=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.info is not None, timeout=15_000)
    article = tmp_path / "long.txt"
    article.write_text(sample_path.read_text(encoding="utf-8") * 20, encoding="utf-8")

    busy, release = threading.Event(), threading.Event()
    window.board.read(lambda ws: (busy.set(), release.wait(30)), lambda _r: None)
    assert busy.wait(10), "the database thread took the blocking job"
    window.intake.import_path(str(article))
    try:
        qtbot.waitUntil(
            lambda: window.article.view.toPlainText().startswith("Harwick"), timeout=10_000
        )
        assert window.selection.article is None, "not on the board yet: the board thread is blocked"
        assert window.commands["mark"].isEnabled()
        window.verdicts.mark_selection()  # nothing to mark against yet: a no-op, not a crash
    finally:
        release.set()
    with qtbot.waitSignal(window.article_shown, timeout=15_000) as shown:
        pass
    assert window.selection.article is not None and window.selection.article.id == shown.args[0]
    assert window.article.view.article_id == window.selection.article.id
    assert window.article.view.shown_text() == window.selection.article.text
    assert window.articles.model.row_of(window.selection.article.id) >= 0
    window.close()


def test_a_file_that_cannot_be_stored_leaves_the_screen_as_it_was(
    make_window: Any, sample_path: Path, qtbot: Any, tmp_path: Path
) -> None:
    window = make_window()
    window.intake.import_path(str(sample_path))
    qtbot.waitUntil(lambda: window.selection.article is not None)
    shown = window.selection.article.text

    def refuse(*_a: Any, **_k: Any) -> Any:
        raise FactdeskError("The board refused the article.")

    other = tmp_path / "other.txt"
    other.write_text("Officials said 40 percent of the pipes were replaced.\n", encoding="utf-8")
    window.board.ws.add_document = refuse  # type: ignore[method-assign]
    window.intake.import_path(str(other))
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "error_box") is not None)
    assert "refused" in window.findChild(QMessageBox, "error_box").text()
    qtbot.waitUntil(lambda: window.article.view.shown_text() == shown)
    assert window.articles.model.rowCount() == 1


def test_passphrase_is_asked_on_the_gui_thread(no_keyring: None, qtbot: Any) -> None:
    asked_on: list[threading.Thread] = []

    def answer() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, PassphraseDialog) and widget.isVisible():
                asked_on.append(threading.current_thread())
                widget.passphrase.setText("correct horse battery staple")
                widget.repeat.setText("correct horse battery staple")
                widget.accept()
                return
        QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)

    def open_board(passphrase: Any) -> Any:
        from factdesk.services import Workspace

        return Workspace.open(passphrase=passphrase)

    window = create_window(open_board, detector=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.info is not None, timeout=15_000)
    assert asked_on == [threading.main_thread()]
    assert window.info.encrypted and window.info.key_source == "passphrase"
    assert "passphrase" in window.status.lock_label.text()
    window.close()


def test_a_board_that_does_not_open_says_why_and_can_be_tried_again(
    no_keyring: None, sample_path: Path, qtbot: Any
) -> None:
    """`factdesk open FILE`, then Cancel at the passphrase prompt: the text shown meanwhile goes,
    one message says why, the window offers to try again, and the second time the board opens."""
    answers = [None, "correct horse battery staple"]

    def answer() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, PassphraseDialog) and widget.isVisible():
                given = answers.pop(0)
                if given is None:
                    widget.reject()
                else:
                    widget.passphrase.setText(given)
                    widget.repeat.setText(given)
                    widget.accept()
                return
        QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)
    window = create_window(open_default_board, open_path=str(sample_path), detector=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.article.retry_button.isVisible(), timeout=15_000)
    qtbot.wait(200)  # the file's store, queued behind the failed open, has failed too by now
    assert window.findChild(QMessageBox, "error_box") is None, "said once, on the page"
    assert not window.board.is_open and window.selection.article is None
    assert window.article.currentWidget() is window.article.welcome
    assert "not open" in window.article.welcome_label.text()
    assert window.article.retry_button.isVisible() and not window.article.open_button.isVisible()

    QTimer.singleShot(20, answer)
    qtbot.mouseClick(window.article.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.info is not None, timeout=15_000)
    assert answers == [] and window.info.encrypted
    qtbot.waitUntil(lambda: window.article.open_button.isVisible())
    assert (
        "empty" in window.article.welcome_label.text()
        and not window.article.retry_button.isVisible()
    )
    window.close()


def test_many_void_qt_calls_do_not_abort() -> None:
    # PySide6 6.12.0 on CPython 3.11 dropped a reference to None on every call returning void and
    # aborted with "none_dealloc" after a few thousand; run in a child so an abort is a failure
    code = (
        "import os; os.environ['QT_QPA_PLATFORM']='offscreen'\n"
        "from PySide6.QtWidgets import QApplication, QLabel\n"
        "app = QApplication([]); label = QLabel()\n"
        "for i in range(100_000): label.setText('x'); label.setObjectName('y')\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok"


def test_detection_worker_ends_when_the_window_process_dies() -> None:
    """A crash never sends the worker its stop message: it must notice and exit on its own."""
    code = (
        "import os, sys, time\n"
        "from factdesk.gui.detection import DetectionProcess\n"
        "if __name__ == '__main__':\n"
        "    d = DetectionProcess()\n"
        "    d.warm_up()\n"
        "    while d.pid is None:\n"
        "        time.sleep(0.05)\n"
        "    print(d.pid, flush=True)\n"
        "    os._exit(1)  # as a crash would: no cleanup, no stop message\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    worker = int(out.stdout.split()[0])
    deadline = time.monotonic() + 15
    while running(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = running(worker)
    if alive:
        os.kill(worker, 9)
    assert not alive, "the detection worker outlived the window's process"


def running(pid: int) -> bool:
    """The process exists and is not a zombie waiting to be reaped (Linux /proc)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(errors="replace")
    except OSError:
        return False
    return "State:\tZ" not in status


@needs_nlp
def test_factdesk_open_sample_through_the_real_entry_point(tmp_path: Path) -> None:
    """`factdesk open --sample` as a journalist runs it: the window process stores the sample and
    its claims (found by the worker it started before Qt); killing it takes the worker along."""
    from factdesk.services import Workspace

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    app = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "factdesk",
            "--home",
            str(tmp_path),
            "--plaintext",
            "open",
            "--sample",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        claims = 0
        while time.monotonic() < deadline and claims < 10:
            time.sleep(0.5)
            if not board_ready(tmp_path / "data" / "boards" / "default.fdb"):
                continue  # the window is creating it this very moment
            with Workspace.open(home=tmp_path, plaintext=True, create=False) as ws:
                articles = ws.list_articles()
                claims = articles[0].n_unverified if articles else 0
        assert claims >= 10, "the sample's claims reached the board"
        children = [
            int(p.name)
            for p in Path("/proc").iterdir()
            if p.name.isdigit() and f"PPid:\t{app.pid}\n" in _status(p)
        ]
        assert children, "the detection worker runs as a child of the window's process"
    finally:
        app.kill()
        app.wait(10)
    deadline = time.monotonic() + 15
    while any(running(c) for c in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(running(c) for c in children)


def _status(proc: Path) -> str:
    try:
        return (proc / "status").read_text(errors="replace")
    except OSError:
        return ""
