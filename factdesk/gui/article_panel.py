"""The middle top: the article on screen with its highlighted claims, or the welcome page (an
empty board, a board that did not open). It paints the claims the claims table holds and follows
the selection."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from factdesk.domain import ArticleRecord, ClaimRecord, ClaimStatus, ImportedDocument, Priority
from factdesk.gui.article_view import ArticleView
from factdesk.gui.selection import Selection


class ArticlePanel(QStackedWidget):
    text_shown = Signal()  # article text is on screen (perhaps before it is stored)
    title_changed = Signal(str)

    def __init__(
        self,
        selection: Selection,
        *,
        open_sample: Callable[[], None],
        choose_file: Callable[[], None],
        paste_article: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.selection = selection
        self.view = ArticleView()
        self.view.claim_clicked.connect(selection.set_claim)
        self.title = QLabel()
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setContentsMargins(18, 10, 18, 0)
        self._byline = ""
        self.legend = QLabel(legend_html())
        self.legend.setContentsMargins(18, 6, 18, 4)
        self.legend.setWordWrap(True)  # on a narrow screen it takes two lines, not the width
        page = QWidget()
        al = QVBoxLayout(page)
        al.setContentsMargins(0, 0, 0, 0)
        al.setSpacing(2)
        al.addWidget(self.title)
        al.addWidget(self.legend)
        al.addWidget(self.view)

        self.welcome = QWidget()
        wl = QVBoxLayout(self.welcome)
        wl.addStretch(1)
        self.welcome_label = QLabel("Opening the board…")
        self.welcome_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.welcome_label.setWordWrap(True)
        wl.addWidget(self.welcome_label)
        # one above the other: a row of three would set the width of the whole window
        row = QVBoxLayout()
        row.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.sample_button = QPushButton("Open the sample article")
        self.sample_button.clicked.connect(open_sample)
        self.open_button = QPushButton("Open an article…  (Ctrl+O)")
        self.open_button.clicked.connect(choose_file)
        self.paste_button = QPushButton("Paste an article  (Ctrl+Shift+V)")
        self.paste_button.clicked.connect(paste_article)
        self.retry_button = QPushButton("Try again")
        self.retry_button.clicked.connect(self._retry)
        for button in (self.sample_button, self.open_button, self.paste_button, self.retry_button):
            button.hide()
            row.addWidget(button)
        wl.addLayout(row)
        wl.addStretch(2)
        self.addWidget(self.welcome)
        self.addWidget(page)
        #: opens the board again (after a cancelled passphrase, say); set by the window
        self.reopen: Callable[[], None] | None = None
        selection.document_shown.connect(self._document_shown)
        selection.article_changed.connect(self._article_changed)
        selection.claim_changed.connect(self._claim_changed)

    # ---------------------------------------------------------------- following the selection
    def _document_shown(self, doc: ImportedDocument) -> None:
        self._show_header(doc.title, doc.text, (doc.outlet, ", ".join(doc.authors), doc.place))
        self._show_text(None, doc.text, ())

    def _article_changed(self, article: ArticleRecord, claims: Sequence[ClaimRecord]) -> None:
        # stored, the article has what its masthead says (authors, outlet, the dateline's place)
        self._show_header(
            article.title, article.text, (article.outlet, ", ".join(article.authors), article.place)
        )
        if self.view.article_id is None and self.view.shows_text(article.text):
            # the text went up while it was being stored: only the claims are new
            self.view.attach(article.id, claims)
        else:
            self._show_text(article.id, article.text, claims)

    def _claim_changed(self, claim_id: str | None) -> None:
        self.view.highlighter.select(claim_id)
        if claim_id is not None:
            self.view.scroll_to_claim(claim_id)

    def show_tiers_from(self, tier: Priority) -> None:
        """Paint only claims of `tier` and above (the priority switch of the toolbar)."""
        self.view.highlighter.set_min_priority(tier)

    def paint_claims(self, claims: Sequence[ClaimRecord]) -> None:
        """Paint all the claims of the article (the claims table was reloaded)."""
        self.view.highlighter.set_claims(claims)

    def repaint_claims(self, claims: Sequence[ClaimRecord]) -> None:
        """Re-colour these claims (or add them): only their paragraphs are highlighted again."""
        self.view.highlighter.update_claims(claims)

    def _show_header(self, title: str, text: str, facts: Sequence[str]) -> None:
        """The headline (unless the text opens with it) over outlet · authors · place."""
        byline = " · ".join(p for p in facts if p)
        title = title or "(untitled article)"
        # most articles open with their headline: do not show it twice
        repeated = text.lstrip().startswith(title.rstrip("…"))
        parts = [] if repeated else [html.escape(title)]
        if byline:
            parts.append(
                f"<span style='font-size:small; font-weight:normal'>{html.escape(byline)}</span>"
            )
        self._byline = byline
        self.title.setVisible(bool(parts))
        self.title.setText("<br>".join(parts))
        self.title_changed.emit(title)

    def byline(self) -> str:
        """Outlet, authors and place as the header above the article shows them."""
        return self._byline

    def _show_text(self, article_id: str | None, text: str, claims: Sequence[ClaimRecord]) -> None:
        self.setCurrentIndex(1)
        self.view.show_article(article_id, text, claims)
        self.view.setFocus()
        self.text_shown.emit()

    # ---------------------------------------------------------------- welcome pages
    def show_not_open(self, why: str) -> None:
        """The board did not open: say why, and offer to try again."""
        self.setCurrentWidget(self.welcome)
        self.welcome_label.setText(f"<h2>The board is not open</h2><p>{html.escape(why)}</p>")
        for button in (self.sample_button, self.open_button, self.paste_button):
            button.hide()
        self.retry_button.setVisible(self.reopen is not None)
        self.retry_button.setFocus()

    def show_welcome(self, *, empty_board: bool) -> None:
        self.retry_button.hide()
        self.setCurrentWidget(self.welcome)
        if empty_board:
            self.welcome_label.setText(
                "<h2>This board is empty</h2><p>Open an article to check, paste one from the "
                "clipboard, drop a file on this window, or start with the sample article.</p>"
            )
        from factdesk.paths import sample_article

        self.sample_button.setVisible(sample_article().is_file())
        self.open_button.show()
        self.paste_button.show()
        (self.sample_button if self.sample_button.isVisible() else self.open_button).setFocus()

    def _retry(self) -> None:
        if self.reopen is not None:
            self.retry_button.hide()
            self.welcome_label.setText("Opening the board…")
            self.reopen()


def legend_html() -> str:
    from factdesk.gui.colors import STATUS_COLORS

    parts = [
        f"<span style='background:{STATUS_COLORS[s]}; color:white'>&nbsp;{s.value}&nbsp;</span>"
        for s in (ClaimStatus.UNVERIFIED, ClaimStatus.VERIFIED, ClaimStatus.DISPUTED)
    ]
    return (
        "<small>" + " ".join(parts) + " &nbsp; strong: high priority · light: normal · dashed"
        " underline: low · <b>bold underlined</b>: who claims it · line above: seen before ·"
        " hover for details</small>"
    )
