"""The claims table's model (`ClaimsModel`, paged from the board) and its filter proxy."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from factdesk.domain import ClaimKind, ClaimRecord, ClaimStatus, Priority
from factdesk.domain.text import claimant_text
from factdesk.gui.colors import STATUS_LABELS, status_color
from factdesk.gui.models import Index, RecordTableModel, SortRole

_ROOT = QModelIndex()


def claim_order(claim: ClaimRecord) -> tuple[int, int, int, str]:
    """Where a journalist starts: high priority first, then normal, then low; text order within
    (the key the services page by: `Workspace.claims_page`)."""
    return claim.priority.rank, claim.start, claim.end, claim.id


# asks the board for the claims after `after` in the table's order (all up to the claim with id
# `through` when given) and calls `done(page, more)`; `more` False: there are no more after them
PageRequest = Callable[
    [ClaimRecord, "str | None", Callable[[Sequence[ClaimRecord], bool], None]], None
]


class ClaimsModel(RecordTableModel[ClaimRecord]):
    """The claims of one article, high priority first and in text order within a tier (the
    model's own order, so a board of 10,000 claims is never sorted through Python per filter);
    rows are updated in place when claims change.

    The rows may be only the first of the article's claims: given a `PageRequest`, the model
    fetches the next page when the view scrolls to the end (Qt's canFetchMore / fetchMore) or
    when a claim further on is chosen (`fetch_through`). The article's whole claim list, when
    the panel has it (read right after the first page: the article view paints every claim),
    becomes the rows, so the scroll bar spans the article and its end shows the last claim; it
    also numbers the repeats and finds them.
    """

    headers = ("Status", "Priority", "Claim", "Claimant", "Kind", "Evidence")
    STATUS, PRIORITY, TEXT, CLAIMANT, KIND, EVIDENCE = range(6)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._row_of: dict[str, int] = {}
        # a claim's number as reports give it (live claims in text order), for "repeat of claim
        # N"; made when a repeat is first shown, dropped when claims come, go or are dismissed
        self._numbers: dict[str, int] | None = None
        # claims a sync found changed on both sides (shown "Conflict" until resolved)
        self.conflicted: frozenset[str] = frozenset()
        self._request: PageRequest | None = None  # None: every claim is in the rows
        self._pending = False
        self._generation = 0  # pages asked for before the last reset are dropped
        self._waiting: list[Callable[[], None]] = []  # to run when the page in flight is in
        self._article: dict[str, ClaimRecord] | None = None  # every claim of the article
        self._seen: Mapping[str, str] = {}  # claim id -> what its strong match says

    def set_seen(self, seen: Mapping[str, str]) -> None:
        """Claims seen before (a strong match), with the match's description: marked in the
        claim's text as "(seen before)"."""
        changed = set(self._seen) ^ set(seen)
        self._seen = dict(seen)
        for claim_id in changed:
            row = self._row_of.get(claim_id, -1)
            if row >= 0:
                cell = self.index(row, self.TEXT)
                self.dataChanged.emit(cell, cell)

    @classmethod
    def column_values(cls) -> dict[int, list[str]]:
        """The values the short columns can show, with their headers: to size them once."""
        return {
            cls.STATUS: [cls.headers[cls.STATUS], "Dismissed", *STATUS_LABELS.values()],
            cls.PRIORITY: [cls.headers[cls.PRIORITY], *(p.value.capitalize() for p in Priority)],
            cls.KIND: [cls.headers[cls.KIND], *(k.label for k in ClaimKind)],
            cls.EVIDENCE: [cls.headers[cls.EVIDENCE], "000"],
        }

    def set_records(self, records: Sequence[ClaimRecord], more: PageRequest | None = None) -> None:
        """Show these claims: all of the article's, or with `more` the first of them in the
        table's order (more are asked of `more` as they are needed)."""
        self.beginResetModel()
        self._rows = sorted(records, key=claim_order)
        self._row_of = {c.id: i for i, c in enumerate(self._rows)}
        self._numbers = None
        self._request = more if self._rows else None
        self._pending = False
        self._generation += 1
        self._waiting = []
        self._article = None if more is not None else {c.id: c for c in self._rows}
        self.endResetModel()

    def set_article_claims(self, records: Sequence[ClaimRecord]) -> None:
        """Every claim of the article (the rows may still be a first page): the table takes
        them all, so its scroll bar spans the whole list and its end is the article's last
        claim; the rows already shown stay as they are (no reset: selection and scroll kept)."""
        self._article = {c.id: c for c in records}
        self._numbers = None
        if self._rows:  # repeats show their original's number now
            last = len(self._rows) - 1
            self.dataChanged.emit(self.index(0, self.TEXT), self.index(last, self.TEXT))
        if self._request is None:
            return
        # the rows are the table's first claims up to the last fetched (kept so by upsert):
        # the rest follow it in the table's order, in one block
        self._request = None
        end = claim_order(self._rows[-1]) if self._rows else None
        rest = sorted(
            (
                c
                for c in records
                if c.id not in self._row_of and (end is None or claim_order(c) > end)
            ),
            key=claim_order,
        )
        if rest:
            first = len(self._rows)
            self.beginInsertRows(_ROOT, first, first + len(rest) - 1)
            self._rows.extend(rest)
            for i, record in enumerate(rest, first):
                self._row_of[record.id] = i
            self.endInsertRows()
        # a page still on its way finds its claims in the rows; who waits for it runs now
        self._generation += 1
        self._pending = False
        waiting, self._waiting = self._waiting, []
        for then in waiting:
            then()

    def knows_all(self) -> bool:
        """The article's whole claim list is known (in the rows or beside them)."""
        return self._article is not None

    def article_claims(self) -> list[ClaimRecord]:
        """Every claim of the article, as far as the model knows them."""
        return list(self._article.values()) if self._article is not None else self.records()

    def row_of(self, claim_id: str) -> int:
        return self._row_of.get(claim_id, -1)

    def set_conflicted(self, claim_ids: set[str] | frozenset[str]) -> None:
        changed = self.conflicted ^ frozenset(claim_ids)
        self.conflicted = frozenset(claim_ids)
        for claim_id in changed:
            row = self._row_of.get(claim_id, -1)
            if row >= 0:
                self.dataChanged.emit(self.index(row, 0), self.index(row, 0))

    # ------------------------------------------------------------ fetching pages
    def has_more(self) -> bool:
        """Claims after the rows are still on the board only."""
        return self._request is not None

    def last_tier(self) -> Priority | None:
        """The tier of the last row (pages come tier by tier)."""
        return self._rows[-1].priority if self._rows else None

    def canFetchMore(self, parent: Index = _ROOT) -> bool:
        return not parent.isValid() and self._request is not None and not self._pending

    def fetchMore(self, parent: Index = _ROOT) -> None:
        if self.canFetchMore(parent):
            self._fetch(None)

    def fetch_more(self, then: Callable[[], None]) -> None:
        """Fetch the next page, then call `then` (at once when there is none to fetch)."""
        self._after_page(then, None)

    def fetch_through(self, claim_id: str, then: Callable[[], None]) -> None:
        """Fetch every claim up to `claim_id` (chosen in the article, say), then call `then`."""
        self._after_page(then, claim_id)

    def _after_page(self, then: Callable[[], None], through: str | None) -> None:
        if self._request is None:
            then()
            return
        self._waiting.append(then)
        if not self._pending:
            self._fetch(through)

    def _fetch(self, through: str | None) -> None:
        assert self._request is not None
        self._pending = True
        generation = self._generation
        self._request(
            self._rows[-1], through, lambda page, more: self._page_in(generation, page, more)
        )

    def _page_in(self, generation: int, page: Sequence[ClaimRecord], more: bool) -> None:
        if generation != self._generation:
            return  # the article changed meanwhile
        # a claim added while the page was on its way is in the rows already
        new = [c for c in page if c.id not in self._row_of]
        if not more:
            self._request = None
        if new:
            first = len(self._rows)
            self.beginInsertRows(_ROOT, first, first + len(new) - 1)
            self._rows.extend(new)
            for i, record in enumerate(new, first):
                self._row_of[record.id] = i
            self.endInsertRows()
        # only now: a view asks for the next page from its rowsInserted handler
        self._pending = False
        waiting, self._waiting = self._waiting, []
        for then in waiting:
            then()

    # ------------------------------------------------------------ following changes
    def upsert(self, records: Sequence[ClaimRecord]) -> None:
        """Update changed rows in place and insert new ones in the table's order (a new claim
        beyond the last page fetched comes with its page)."""
        new: list[ClaimRecord] = []
        moved: list[ClaimRecord] = []
        for record in records:
            if self._article is not None:
                if self._article.get(record.id, record).dismissed != record.dismissed:
                    self._numbers = None
                self._article[record.id] = record
            row = self._row_of.get(record.id, -1)
            if row < 0:
                if self._request is None or claim_order(record) < claim_order(self._rows[-1]):
                    new.append(record)
                continue
            if self._rows[row].dismissed != record.dismissed:
                self._numbers = None
            if claim_order(self._rows[row]) != claim_order(record):
                # its tier changed (a streamed analysis re-ranks the article): it moves
                moved.append(record)
                continue
            self._rows[row] = record
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.headers) - 1))
        if moved:  # out in one go, back below in their new places
            self.remove([record.id for record in moved], keep_known=True)
            for record in moved:
                if (
                    self._request is None
                    or not self._rows
                    or claim_order(record) < claim_order(self._rows[-1])
                ):
                    new.append(record)
        if not new:
            return
        self._numbers = None
        new.sort(key=claim_order)
        if not self._rows or claim_order(new[0]) >= claim_order(self._rows[-1]):
            # claims after every one shown: one block insert, no reset and re-sort
            first = len(self._rows)
            self.beginInsertRows(_ROOT, first, first + len(new) - 1)
            self._rows.extend(new)
            for i, record in enumerate(new, first):
                self._row_of[record.id] = i
            self.endInsertRows()
            return
        if len(new) > 50:
            self.beginResetModel()
            self._rows = sorted(self._rows + new, key=claim_order)
            self._row_of = {c.id: i for i, c in enumerate(self._rows)}
            self.endResetModel()
            return
        for record in new:
            row = self._insertion_row(record)
            self.beginInsertRows(_ROOT, row, row)
            self._rows.insert(row, record)
            self.endInsertRows()
        self._row_of = {c.id: i for i, c in enumerate(self._rows)}

    def remove(self, claim_ids: Sequence[str], *, keep_known: bool = False) -> None:
        rows = []
        for claim_id in claim_ids:
            if self._article is not None and not keep_known:
                self._article.pop(claim_id, None)
            row = self._row_of.get(claim_id, -1)
            if row >= 0:
                rows.append(row)
        if not rows:
            return
        self._numbers = None
        for row in sorted(set(rows), reverse=True):  # the rows above keep their numbers
            self.beginRemoveRows(_ROOT, row, row)
            del self._rows[row]
            self.endRemoveRows()
        self._row_of = {c.id: i for i, c in enumerate(self._rows)}  # once, not once per row

    def repeats_of(self, record: ClaimRecord) -> list[ClaimRecord]:
        """The other live claims saying the same: its original and that original's repeats."""
        original = record.duplicate_of or record.id
        return [
            c
            for c in self.article_claims()
            if c.id != record.id
            and not c.dismissed
            and (c.id == original or c.duplicate_of == original)
        ]

    def _number_of(self, claim_id: str) -> int | None:
        if self._article is None:
            return None  # numbered once the article's claims are all known
        if self._numbers is None:
            live = sorted(
                (c for c in self.article_claims() if not c.dismissed),
                key=lambda c: (c.start, c.end),
            )
            self._numbers = {c.id: n for n, c in enumerate(live, start=1)}
        return self._numbers.get(claim_id)

    def _insertion_row(self, record: ClaimRecord) -> int:
        lo, hi = 0, len(self._rows)
        key = claim_order(record)
        while lo < hi:
            mid = (lo + hi) // 2
            if claim_order(self._rows[mid]) < key:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def cell(self, record: ClaimRecord, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.STATUS:
                if record.id in self.conflicted:
                    return "Conflict"
                return "Dismissed" if record.dismissed else STATUS_LABELS[record.status]
            if column == self.PRIORITY:
                return record.priority.value.capitalize()
            if column == self.TEXT:
                text = record.text.replace("\n", " ")
                original = self._number_of(record.duplicate_of) if record.duplicate_of else None
                if original:
                    text = f"(repeat of claim {original}) {text}"
                return f"(seen before) {text}" if record.id in self._seen else text
            if column == self.CLAIMANT:
                return claimant_text(record.claimant)
            if column == self.KIND:
                return record.kind.label
            if column == self.EVIDENCE:
                return record.n_evidence
        if role == SortRole:
            # only the asked column: the proxy calls this O(n log n) times when sorting
            if column == self.STATUS:
                return f"{int(record.dismissed)}{record.status.value}"
            if column == self.PRIORITY:
                # one number (Qt compares numbers, not tuples): the tier, then text order
                return record.priority.rank * 1_000_000_000 + record.start
            if column == self.TEXT:
                return record.start
            if column == self.CLAIMANT:
                return record.claimant.casefold()
            if column == self.KIND:
                return record.kind.value
            return record.n_evidence
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.STATUS and record.id in self.conflicted:
                return QBrush(QColor(200, 90, 0))
            if record.dismissed:
                return QBrush(QColor(128, 128, 128))
            if column == self.STATUS:
                return QBrush(status_color(record.status))
        tip = role == Qt.ItemDataRole.ToolTipRole
        if tip and column == self.STATUS and record.id in self.conflicted:
            return "Changed here and on the team board: Claim → Resolve sync conflict"
        if role == Qt.ItemDataRole.ToolTipRole and column == self.TEXT:
            seen = self._seen.get(record.id)
            return f"{record.text}\n\n{seen}" if seen else record.text
        if role == Qt.ItemDataRole.ToolTipRole and column == self.PRIORITY:
            return f"check-worthiness {record.score:.2f}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.EVIDENCE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ClaimsFilterModel(QSortFilterProxyModel):
    """Filters claims by status, kind, minimum score, claimant and words of the claim."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self._statuses: frozenset[ClaimStatus] = frozenset(ClaimStatus)
        self._kind: ClaimKind | None = None
        self._min_score = 0.0
        self._claimant = ""
        self._words = ""
        self._show_dismissed = False
        self._min_priority = Priority.LOW

    def set_filter(
        self,
        *,
        statuses: frozenset[ClaimStatus] | None = None,
        kind: ClaimKind | str | None = "",
        min_score: float | None = None,
        claimant: str | None = None,
        words: str | None = None,
        show_dismissed: bool | None = None,
        min_priority: Priority | None = None,
    ) -> None:
        """Change any subset of the criteria (kind "" leaves it; None clears it), then refilter."""
        # Qt 6.10 replaced invalidateRowsFilter with begin/endFilterChange
        begin = getattr(self, "beginFilterChange", None)
        if begin is not None:
            begin()
        if statuses is not None:
            self._statuses = statuses
        if kind != "":
            self._kind = kind if isinstance(kind, ClaimKind) or kind is None else ClaimKind(kind)
        if min_score is not None:
            self._min_score = min_score
        if claimant is not None:
            self._claimant = claimant.strip().casefold()
        if words is not None:
            self._words = words.strip().casefold()
        if show_dismissed is not None:
            self._show_dismissed = show_dismissed
        if min_priority is not None:
            self._min_priority = min_priority
        if begin is not None:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def canFetchMore(self, parent: Index = _ROOT) -> bool:
        # pages come tier by tier: past the lowest tier shown, every further row is filtered out
        model = self.sourceModel()
        if isinstance(model, ClaimsModel):
            tier = model.last_tier()
            if tier is not None and tier.rank > self._min_priority.rank:
                return False
        return super().canFetchMore(parent)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, ClaimsModel):
            return True
        c = model.record(source_row)
        if c.dismissed and not self._show_dismissed:
            return False
        if c.status not in self._statuses or c.score < self._min_score:
            return False
        if c.priority.rank > self._min_priority.rank:
            return False
        if self._kind is not None and c.kind is not self._kind:
            return False
        if self._claimant and self._claimant not in c.claimant.casefold():
            return False
        return not (self._words and self._words not in c.text.casefold())
