"""The file formats factdesk reads (articles) and writes (reports): one list of each, used by the
importers, the reports, the command line and the window's file dialogs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ArticleFormat:
    """A kind of article file: its short name (stored as the article's source format), its media
    type and its file name extensions, the usual one first."""

    name: str
    media_type: str
    extensions: tuple[str, ...]


ARTICLE_FORMATS: tuple[ArticleFormat, ...] = (
    ArticleFormat("txt", "text/plain", (".txt", ".text")),
    ArticleFormat("md", "text/markdown", (".md", ".markdown")),
    ArticleFormat("html", "text/html", (".html", ".htm", ".xhtml", ".shtml")),
    ArticleFormat("pdf", "application/pdf", (".pdf",)),
    ArticleFormat(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
    ),
)

#: File name extension (lower case, with the dot) -> article format name.
ARTICLE_EXTENSIONS: dict[str, str] = {ext: f.name for f in ARTICLE_FORMATS for ext in f.extensions}

#: Article format name -> media type.
ARTICLE_MEDIA_TYPES: dict[str, str] = {f.name: f.media_type for f in ARTICLE_FORMATS}

#: The formats as a person reads them in a message: ".txt, .md, .html, .pdf, .docx".
SUPPORTED_ARTICLES = ", ".join(f.extensions[0] for f in ARTICLE_FORMATS)


def article_file_filter() -> str:
    """A file dialog's filter for article files (then every file)."""
    patterns = " ".join(f"*{ext}" for ext in ARTICLE_EXTENSIONS)
    return f"Articles ({patterns});;All files (*)"


#: Report formats, in the order they are offered.
REPORT_FORMATS: tuple[str, ...] = ("html", "pdf", "md", "csv", "claimreview")

#: The usual file suffix of each report format, for save dialogs and default names.
REPORT_SUFFIXES: dict[str, str] = {
    "html": ".html",
    "pdf": ".pdf",
    "md": ".md",
    "csv": ".csv",
    "claimreview": ".jsonld",
}
