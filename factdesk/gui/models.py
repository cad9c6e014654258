"""Qt item models over the frozen records the services hand out (the claims table's are in
`factdesk.gui.claims_model`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from factdesk.domain import (
    ArticleSummary,
    EvidenceKind,
    EvidenceLinkRecord,
    HistoryEventRecord,
    SearchHit,
)
from factdesk.gui.colors import STANCE_COLORS

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex
RecordRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2

_ROOT = QModelIndex()


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """A flat table of records; subclasses name the columns and say how a record shows."""

    headers: ClassVar[tuple[str, ...]] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []

    # Qt API
    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        if role == RecordRole:
            return record
        return self.cell(record, index.column(), role)

    def cell(self, record: R, column: int, role: int) -> Any:
        raise NotImplementedError

    # record API
    def records(self) -> list[R]:
        return list(self._rows)

    def record(self, row: int) -> R:
        return self._rows[row]

    def set_records(self, records: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(records)
        self.endResetModel()


# asks the board for the articles after this one (older) and calls done(page, more)
ArticlePages = Callable[[ArticleSummary, Callable[[Sequence[ArticleSummary], bool], None]], None]


def same_text_note(record: ArticleSummary) -> str:
    """What the articles list puts before an article whose text another article also has (in
    front, as the claims table's "(seen before)": a long title is elided at its end)."""
    return "(same text) " if record.same_text_as else ""


class ArticlesModel(RecordTableModel[ArticleSummary]):
    """The articles newest first: the first page of them, older ones fetched as the list is
    scrolled (a board of years holds thousands)."""

    headers = ("Article", "Checked")
    header_tips = ("", "claims with a verdict (verified or disputed), of those not dismissed")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._request: ArticlePages | None = None
        self._pending = False

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.ToolTipRole
            and 0 <= section < len(self.header_tips)
        ):
            return self.header_tips[section] or None
        return super().headerData(section, orientation, role)

    def cell(self, record: ArticleSummary, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return same_text_note(record) + (record.title or "(untitled)")
            return f"{record.n_verified + record.n_disputed} of {record.n_claims}"
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [record.title or "(untitled)"]
            if record.outlet:
                parts.append(record.outlet)
            parts.append(
                f"{record.n_verified} verified · {record.n_disputed} disputed · "
                f"{record.n_unverified} unverified"
            )
            if record.same_text_as:
                parts.append(
                    "(same text) another article on the board has exactly this text (the "
                    "same story imported on another laptop): each keeps its own claims and "
                    "verdicts."
                )
            return "\n".join(parts)
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def row_of(self, article_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == article_id), -1)

    # ------------------------------------------------------------ fetched a page at a time
    def set_page(self, records: Sequence[ArticleSummary], more: ArticlePages | None) -> None:
        """Show these newest articles; with `more`, older ones are asked of it as the list is
        scrolled to its end (Qt's canFetchMore / fetchMore)."""
        self.set_records(records)
        self._request = more if records else None
        self._pending = False

    def canFetchMore(self, parent: Index = _ROOT) -> bool:
        return not parent.isValid() and self._request is not None and not self._pending

    def fetchMore(self, parent: Index = _ROOT) -> None:
        request = self._request
        if request is None or not self.canFetchMore(parent):
            return
        self._pending = True
        request(self._rows[-1], lambda page, more: self._page_in(request, page, more))

    def _page_in(self, request: ArticlePages, page: Sequence[ArticleSummary], more: bool) -> None:
        if request is not self._request:
            return  # the list was reloaded meanwhile
        self._pending = False
        known = {r.id for r in self._rows}
        new = [r for r in page if r.id not in known]
        if not more:
            self._request = None
        if new:
            self.beginInsertRows(_ROOT, len(self._rows), len(self._rows) + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()


class EvidenceModel(RecordTableModel[EvidenceLinkRecord]):
    headers = ("Stance", "Evidence", "Passage or note")

    def cell(self, record: EvidenceLinkRecord, column: int, role: int) -> Any:
        ev = record.evidence
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return record.stance.label
            if column == 1:
                return describe_evidence(record)
            if column == 2:
                text = ev.quote or ev.notes or record.note
                return f"“{text}”" if ev.quote else text
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return QBrush(QColor(STANCE_COLORS[record.stance]))
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [describe_evidence(record)]
            if ev.url:
                lines.append(ev.url)
            if ev.publisher:
                lines.append(ev.publisher)
            if ev.attachment is not None:
                lines.append(f"SHA-256 {ev.attachment.sha256}")
            if ev.quote:
                lines.append(f"“{ev.quote}”")
            if record.note:
                lines.append(record.note)
            return "\n".join(lines)
        return None


def describe_evidence(link: EvidenceLinkRecord) -> str:
    ev = link.evidence
    if ev.kind is EvidenceKind.URL:
        return ev.title or ev.url
    if ev.kind is EvidenceKind.FILE:
        name = ev.attachment.filename if ev.attachment is not None else ""
        return ev.title or name or "file"
    return "Note"


class HistoryModel(RecordTableModel[HistoryEventRecord]):
    headers = ("When", "Who", "What")

    def cell(self, record: HistoryEventRecord, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return record.at.astimezone().strftime("%Y-%m-%d %H:%M")
            if column == 1:
                return record.actor
            if column == 2:
                return record.action
        if role == Qt.ItemDataRole.ToolTipRole:
            changed = sorted(set(record.before) | set(record.after))
            return f"{record.action} ({record.op} {record.entity})\n" + ", ".join(changed)
        return None


class SearchResultsModel(RecordTableModel[SearchHit]):
    headers = ("Found in", "Match")

    def cell(self, record: SearchHit, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return record.kind if column == 0 else record.snippet.replace("\n", " ")
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{record.title}\n{record.snippet}"
        return None
