"""The status bar: which board is open and how it is locked, the board's counts, how far the
article on screen is checked ("7 of 14 checked"), and the progress of finding claims."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar, QWidget

if TYPE_CHECKING:
    from factdesk.domain import BoardInfo


def count(n: int, noun: str) -> str:
    """The count with its noun: 1 article, 2 articles, 1,024 claims."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def checked_text(checked: int, total: int) -> str:
    return f"{checked:,} of {total:,} checked" if total else "no claims yet"


class StatusBar(QStatusBar):
    def __init__(self, stop: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.board_label = QLabel("Opening the board…")
        self.lock_label = QLabel()
        self.seal_label = QLabel()
        self.seal_label.hide()
        self.counts_label = QLabel()
        self.checked_label = QLabel()
        self.checked_label.setToolTip(
            "Claims of this article with a verdict (verified or disputed), of those not dismissed"
        )
        self.checked_label.hide()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setMinimumWidth(
            self.fontMetrics().horizontalAdvance("Finding claims 100%") + 24
        )
        self.progress.setFormat("Finding claims %p%")
        self.progress.hide()
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("Stop finding claims; those found so far are kept")
        self.stop_button.setFlat(True)
        self.stop_button.clicked.connect(stop)
        self.stop_button.hide()
        self.addWidget(self.board_label, 1)
        # a message covers the board's name: Qt hides it, but shows it again under the message
        # when the bar is laid out anew (the window growing as its panels come, say)
        self.messageChanged.connect(lambda text: self.board_label.setVisible(not text))
        self.addPermanentWidget(self.checked_label)
        self.addPermanentWidget(self.progress)
        self.addPermanentWidget(self.stop_button)
        self.addPermanentWidget(self.counts_label)
        self.addPermanentWidget(self.lock_label)
        self.addPermanentWidget(self.seal_label)

    def show_info(self, info: BoardInfo) -> None:
        self.board_label.setText(f"Board: {info.location}")
        self.board_label.setToolTip(f"{info.location}\nschema {info.schema_revision}")
        lock = "Encrypted (SQLCipher)" if info.encrypted else "Not encrypted"
        self.lock_label.setText(f"{lock} · key: {info.key_source}")
        self.lock_label.setToolTip(
            "The board is encrypted with SQLCipher; its key is held by " + info.key_source
            if info.encrypted
            else "This board file is not encrypted."
        )
        self.show_counts(info.n_articles, info.n_claims)
        # here, not at import: seal_text brings the domain's records, which the frame (shown
        # before the board is open) does without
        from factdesk.domain.seal_text import seal_warning

        short, full = seal_warning(info)
        self.seal_label.setText(f"<b>⚠ {short}</b>" if short else "")
        self.seal_label.setToolTip(full)
        self.seal_label.setVisible(bool(short))

    def show_counts(self, articles: int, claims: int) -> None:
        self.counts_label.setText(f"{count(articles, 'article')} · {count(claims, 'claim')}")

    def show_checked(self, checked: int, total: int, shown: bool = True) -> None:
        self.checked_label.setText(checked_text(checked, total))
        self.checked_label.setVisible(shown)

    def show_progress(self, shown: bool) -> None:
        if shown and not self.progress.isVisible():
            self.progress.setRange(0, 0)
        self.progress.setVisible(shown)
        self.stop_button.setVisible(shown)

    def set_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
