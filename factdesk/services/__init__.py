"""Services: the core API (one method per user intent) shared by the CLI, the window and tests."""

from factdesk.services.workspace import PassphraseProvider, Workspace, normalise_text

__all__ = ["PassphraseProvider", "Workspace", "normalise_text"]
