"""Qt item models over the frozen records the services hand out (the claims table's are in
`factdesk.gui.claims_model`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
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


# asks the board for `limit` articles (or more) after this one (older), calls done(page, more)
ArticlePages = Callable[
    [ArticleSummary, int, Callable[[Sequence[ArticleSummary], bool], None]], None
]
LOADING = "…"  # the title of a row whose article is still being read


def same_text_note(record: ArticleSummary) -> str:
    """What the articles list puts before an article whose text another article also has (in
    front, as the claims table's "(seen before)": a long title is elided at its end)."""
    return "(same text) " if record.same_text_as else ""


class ArticlesModel(RecordTableModel[ArticleSummary]):
    """The articles newest first, a row for each article on the board from the start (so the
    scroll bar shows the whole list); the first page is read at once, a later row's article when
    the view first shows that row (with the rows before it: the pages follow one another)."""

    headers = ("Article", "Checked")
    header_tips = ("", "claims with a verdict (verified or disputed), of those not dismissed")
    rows_loaded = Signal()  # rows shown as loading have their articles now

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._request: ArticlePages | None = None
        self._pending = False
        self._total = 0  # the board's count of articles: rows beyond those read are loading
        self._wanted = -1  # the furthest row the view has asked for

    def rowCount(self, parent: Index = _ROOT) -> int:
        if parent.isValid():
            return 0
        return len(self._rows) if self._request is None else max(self._total, len(self._rows))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if index.isValid() and len(self._rows) <= row < self.rowCount():
            self._want(row)
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return LOADING
            return None
        return super().data(index, role)

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

    def loaded(self) -> int:
        """How many rows have their article (the first rows: pages are read in order)."""
        return len(self._rows)

    def loaded_record(self, row: int) -> ArticleSummary | None:
        """The article of `row`, or None while it is being read."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # ------------------------------------------------------------ read a page at a time
    def set_page(
        self, records: Sequence[ArticleSummary], more: ArticlePages | None, total: int = 0
    ) -> None:
        """Show these newest articles and, with `more` (which reads older ones), rows up to
        `total` (the board's count of articles) whose articles are read when they are shown."""
        self.beginResetModel()
        self._rows = list(records)
        self._request = more if records else None
        self._total = total
        self._pending = False
        self._wanted = -1
        self.endResetModel()

    def canFetchMore(self, parent: Index = _ROOT) -> bool:
        """Every counted row is read and the board may hold more (its count ran behind): the
        view asks for them once scrolled to the end, as for any list read a page at a time."""
        return (
            not parent.isValid()
            and self._request is not None
            and not self._pending
            and len(self._rows) >= self._total
        )

    def fetchMore(self, parent: Index = _ROOT) -> None:
        if self.canFetchMore(parent):
            self._want(len(self._rows))

    def _want(self, row: int) -> None:
        if row > self._wanted:
            self._wanted = row
            if not self._pending:
                # not from within data(): the answer may change the model at once (tests' tasks)
                QTimer.singleShot(0, self._fetch)

    def _fetch(self) -> None:
        request = self._request
        if request is None or self._pending or self._wanted < len(self._rows):
            return
        self._pending = True
        request(
            self._rows[-1],
            self._wanted + 1 - len(self._rows),
            lambda page, more: self._page_in(request, page, more),
        )

    def _page_in(self, request: ArticlePages, page: Sequence[ArticleSummary], more: bool) -> None:
        if request is not self._request:
            return  # the list was reloaded meanwhile
        self._pending = False
        known = {r.id for r in self._rows}
        new = [r for r in page if r.id not in known]
        shown, first = self.rowCount(), len(self._rows)
        filled = min(len(new), shown - first)  # rows shown as loading
        self._rows.extend(new[:filled])
        if filled:
            self.dataChanged.emit(
                self.index(first, 0), self.index(first + filled - 1, len(self.headers) - 1)
            )
        if len(new) > filled:  # articles the count did not know yet
            self.beginInsertRows(_ROOT, shown, shown + len(new) - filled - 1)
            self._rows.extend(new[filled:])
            self.endInsertRows()
        if not more:
            if len(self._rows) < shown:  # counted, yet not on the board (the count ran ahead)
                self.beginRemoveRows(_ROOT, len(self._rows), shown - 1)
                self._request = None
                self.endRemoveRows()
            self._request = None
        elif self._wanted >= len(self._rows):
            QTimer.singleShot(0, self._fetch)
        self.rows_loaded.emit()


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
