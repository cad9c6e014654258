"""What the journalist is looking at: the article on screen and the selected claim.

Panels read the selection and listen to its signals instead of reaching into the window, so that
each can be built and tested on its own (the shape TagStudio moves towards).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal

from factdesk.domain import ArticleRecord, ClaimRecord, ImportedDocument


class Selection(QObject):
    # the article on the board now on screen, with its claims as loaded: all of them, or (a full
    # page, Workspace.claims_page) the first of them in the claims table's order
    article_changed = Signal(object, object)  # ArticleRecord, Sequence[ClaimRecord]
    # a document on screen before it is stored (its claims come once the board has it)
    document_shown = Signal(object)  # ImportedDocument
    claim_changed = Signal(object)  # str | None: the selected claim's id

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._article: ArticleRecord | None = None
        self._claim_id: str | None = None

    @property
    def article(self) -> ArticleRecord | None:
        return self._article

    @property
    def article_id(self) -> str | None:
        return self._article.id if self._article is not None else None

    @property
    def claim_id(self) -> str | None:
        return self._claim_id

    def set_article(self, article: ArticleRecord, claims: Sequence[ClaimRecord]) -> None:
        """Show `article` with its claims; no claim is selected."""
        self._claim_id = None
        self._article = article
        self.article_changed.emit(article, tuple(claims))

    def set_document(self, doc: ImportedDocument) -> None:
        """Show a document that is being stored: no article on the board is on screen."""
        self._claim_id = None
        self._article = None
        self.document_shown.emit(doc)

    def set_claim(self, claim_id: str | None) -> None:
        """Select a claim; emitted even when it is the same one, so every view follows it."""
        self._claim_id = claim_id
        self.claim_changed.emit(claim_id)
