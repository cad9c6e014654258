"""Services: the core API (one method per user intent) shared by the CLI, the window and tests.

`Workspace` is the facade; the modules behind it are sectioned by subject (opening, articles,
claims, evidence, history, reports) and reach the board only through `factdesk.store`'s face.
"""

from factdesk.services.articles import normalise_text, read_article_file
from factdesk.services.opening import PassphraseProvider
from factdesk.services.workspace import Workspace

__all__ = ["PassphraseProvider", "Workspace", "normalise_text", "read_article_file"]
