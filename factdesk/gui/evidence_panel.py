"""The evidence board for the selected claim: verdict, explanation, claimant, evidence, history.

The panel only shows records and emits what the journalist asked for; the window runs the action.
Files, URLs and text dragged onto the panel become evidence (files at once, URLs and passages
fill the add-URL form so the quoted passage can be checked before attaching).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from factdesk.domain import (
    ClaimKind,
    ClaimRecord,
    ClaimStatus,
    EvidenceLinkRecord,
    HistoryEventRecord,
    Stance,
)
from factdesk.gui.colors import NO_CLAIMANT, STATUS_COLORS, STATUS_LABELS
from factdesk.gui.columns import ColumnFitter
from factdesk.gui.models import EvidenceModel, HistoryModel, RecordRole
from factdesk.gui.typing_combo import TypingComboBox


class _SavingTextEdit(QPlainTextEdit):
    """A plain-text editor that reports its text when it loses focus or on Ctrl+Return."""

    committed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self._saved = ""
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(self.commit)

    def load(self, text: str) -> None:
        self._saved = text
        self.setPlainText(text)

    def commit(self) -> None:
        text = self.toPlainText().strip()
        if text != self._saved:
            self._saved = text
            self.committed.emit(text)

    def focusOutEvent(self, e: QFocusEvent) -> None:
        self.commit()
        super().focusOutEvent(e)


class _Table(QTableView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        self.setShowGrid(False)


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _stance_combo() -> QComboBox:
    box = TypingComboBox()
    for stance in Stance:
        box.addItem(stance.label, stance)
    return box


class EvidencePanel(QWidget):
    """The claim and its verdict buttons stay at the top; the rest scrolls below them, so
    pressing A or E on a small screen never scrolls the verdict out of view."""

    status_chosen = Signal(object)  # ClaimStatus
    explanation_saved = Signal(str)
    claimant_saved = Signal(str)
    rating_saved = Signal(str)
    kind_saved = Signal(object)  # ClaimKind
    url_submitted = Signal(dict)  # url, title, publisher, quote, stance
    files_chosen = Signal(list, object)  # paths, Stance
    note_submitted = Signal(str, object)  # text, Stance
    unlink_requested = Signal(str)  # evidence link id
    # Escape in one of the panel's fields: the keyboard goes back to the claims (J / V / D ...);
    # what was typed is saved as on leaving the field, since the focus leaves it
    editing_left = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(300)
        self.setAcceptDrops(True)
        self.claim: ClaimRecord | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.header = QWidget()
        head = QVBoxLayout(self.header)
        head.setContentsMargins(10, 8, 10, 4)
        outer.addWidget(self.header)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        # content wraps to the panel's width; a sideways scroll bar would hide half of it
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(self.scroller, 1)
        body = QWidget()
        self.scroller.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(10, 4, 10, 8)

        self.placeholder = QLabel(
            "Select a claim in the article or the table (J / K move between claims)."
        )
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.placeholder)

        self.content = QWidget()
        layout.addWidget(self.content)
        col = QVBoxLayout(self.content)
        col.setContentsMargins(0, 0, 0, 0)

        self.claim_text = QLabel()
        self.claim_text.setWordWrap(True)
        self.claim_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.claim_text.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.claim_text.setFont(font)
        head.addWidget(self.claim_text)
        self.claim_meta = QLabel()
        self.claim_meta.setWordWrap(True)
        head.addWidget(self.claim_meta)

        verdict = QHBoxLayout()
        self.status_group = QButtonGroup(self)
        self.status_group.setExclusive(True)
        self.status_buttons: dict[ClaimStatus, QPushButton] = {}
        # "Unverified (U)", or just "Unverified" when the panel is too narrow for the keys
        self._verdict_labels: dict[QPushButton, tuple[str, str]] = {}
        for status, key in (
            (ClaimStatus.VERIFIED, "V"),
            (ClaimStatus.DISPUTED, "D"),
            (ClaimStatus.UNVERIFIED, "U"),
        ):
            button = QPushButton(f"{STATUS_LABELS[status]} ({key})")
            button.setMinimumWidth(60)
            button.setCheckable(True)
            button.setToolTip(f"Set the claim to {status.value} ({key})")
            color = STATUS_COLORS[status]
            button.setStyleSheet(
                f"QPushButton:checked {{ background: {color}; color: white; font-weight: bold;"
                f" border: 1px solid {color}; border-radius: 4px; padding: 4px 8px; }}"
            )
            button.clicked.connect(lambda _=False, s=status: self.status_chosen.emit(s))
            self.status_group.addButton(button)
            self.status_buttons[status] = button
            self._verdict_labels[button] = (button.text(), STATUS_LABELS[status])
            verdict.addWidget(button)
        head.addLayout(verdict)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.claimant = QLineEdit()
        self.claimant.setPlaceholderText(NO_CLAIMANT)
        self.claimant.setToolTip("Who makes the claim; leave it empty when the article itself does")
        self.claimant.editingFinished.connect(self._claimant_edited)
        form.addRow("Claimant", self.claimant)
        self.kind = TypingComboBox()
        for kind in ClaimKind:
            self.kind.addItem(kind.label, kind)
        self.kind.activated.connect(lambda _i: self.kind_saved.emit(self.kind.currentData()))
        form.addRow("Kind", self.kind)
        self.rating = QLineEdit()
        self.rating.setPlaceholderText("e.g. False, Misleading, Mostly true")
        self.rating.editingFinished.connect(self._rating_edited)
        form.addRow("Rating", self.rating)
        col.addLayout(form)

        col.addWidget(
            _caption("Explanation (E) · saved when you leave the field or press Ctrl+Return")
        )
        self.explanation = _SavingTextEdit()
        self.explanation.setPlaceholderText("Why this verdict: what the evidence shows.")
        self.explanation.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.explanation.committed.connect(self.explanation_saved)
        col.addWidget(self.explanation)

        col.addWidget(_caption("Evidence · drop files, links or passages here"))
        self.evidence_model = EvidenceModel(self)
        self.evidence_view = _Table()
        self.evidence_view.setModel(self.evidence_model)
        self.evidence_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.evidence_view.setColumnWidth(1, 170)
        self.evidence_columns = ColumnFitter(self.evidence_view, (1,), share=0.45)
        self.evidence_view.setMinimumHeight(110)
        self.evidence_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.evidence_view.customContextMenuRequested.connect(self._evidence_menu)
        col.addWidget(self.evidence_view)

        self.add_box = QGroupBox("Add evidence  (A)")
        add = QFormLayout(self.add_box)
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://…")
        add.addRow("URL", self.url)
        self.url_title = QLineEdit()
        add.addRow("Title", self.url_title)
        self.publisher = QLineEdit()
        add.addRow("Publisher", self.publisher)
        self.quote = QPlainTextEdit()
        self.quote.setTabChangesFocus(True)
        self.quote.setPlaceholderText("the passage that supports or refutes the claim")
        self.quote.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        add.addRow("Quoted passage", self.quote)
        self.stance = _stance_combo()
        add.addRow("Stance", self.stance)
        buttons = QHBoxLayout()
        self.attach_url_button = QPushButton("Attach link")
        self.attach_url_button.clicked.connect(self._submit_url)
        self.url.returnPressed.connect(self._submit_url)
        buttons.addWidget(self.attach_url_button)
        self.attach_file_button = QPushButton("File…")
        self.attach_file_button.setToolTip("Attach files (PDF, screenshot, document) as evidence")
        self.attach_file_button.clicked.connect(self._choose_files)
        buttons.addWidget(self.attach_file_button)
        self.add_note_button = QPushButton("As note")
        self.add_note_button.setToolTip("Keep the quoted passage box as a note")
        self.add_note_button.clicked.connect(self._submit_note)
        buttons.addWidget(self.add_note_button)
        add.addRow(buttons)
        col.addWidget(self.add_box)

        col.addWidget(_caption("History"))
        self.history_model = HistoryModel(self)
        self.history_view = _Table()
        self.history_view.setModel(self.history_model)
        self.history_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.history_view.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        self.history_view.setMinimumHeight(100)
        col.addWidget(self.history_view)
        col.addStretch(1)
        for field in (
            self.claimant,
            self.kind,
            self.rating,
            self.explanation,
            self.url,
            self.url_title,
            self.publisher,
            self.quote,
            self.stance,
        ):
            field.installEventFilter(self)
        self.show_claim(None)

    def add_section(self, title: str, widget: QWidget, *, first: bool = False) -> None:
        """Another section of the selected claim's board: below its history, or `first`, right
        under the verdict buttons (Seen before: visible without scrolling)."""
        col = self.content.layout()
        assert isinstance(col, QVBoxLayout)
        at = 0 if first else col.count() - 1
        col.insertWidget(at, _caption(title))
        col.insertWidget(at + 1, widget)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            self.editing_left.emit()
            return True
        return super().eventFilter(watched, event)

    # showing
    def resizeEvent(self, e: QResizeEvent) -> None:
        super().resizeEvent(e)
        bold = QFont(self.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        # each button needs its bold label plus padding and frame; the panel has margins
        needed = sum(
            metrics.horizontalAdvance(full) + 36 for full, _ in self._verdict_labels.values()
        )
        keep_keys = needed <= e.size().width() - 24  # the header spans the panel
        for button, (full, short) in self._verdict_labels.items():
            button.setText(full if keep_keys else short)

    def show_claim(self, claim: ClaimRecord | None) -> None:
        changed_claim = claim is None or self.claim is None or claim.id != self.claim.id
        self.claim = claim
        self.placeholder.setVisible(claim is None)
        self.content.setVisible(claim is not None)
        self.header.setVisible(claim is not None)
        if claim is None:
            self.evidence_model.set_records(())
            self.history_model.set_records(())
            return
        self.claim_text.setText(f"“{claim.text}”")
        meta = [claim.kind.label, f"check-worthiness {claim.score:.2f}", claim.origin.value]
        if claim.dismissed:
            meta.insert(0, "DISMISSED (X restores)")
        if claim.reviewer:
            meta.append(f"reviewed by {claim.reviewer}")
        self.claim_meta.setText(" · ".join(meta))
        self.status_buttons[claim.status].setChecked(True)
        if changed_claim or not self.claimant.hasFocus():
            self.claimant.setText(claim.claimant)
        if changed_claim or not self.rating.hasFocus():
            self.rating.setText(claim.rating)
        self.kind.setCurrentIndex(max(0, self.kind.findData(claim.kind)))
        if changed_claim or not self.explanation.hasFocus():
            self.explanation.load(claim.explanation)
        if changed_claim:
            self.clear_form()

    def set_evidence(self, links: Sequence[EvidenceLinkRecord]) -> None:
        self.evidence_model.set_records(links)
        self.evidence_view.resizeRowsToContents()

    def set_history(self, events: Sequence[HistoryEventRecord]) -> None:
        self.history_model.set_records(sorted(events, key=lambda e: -e.seq))

    def clear_form(self) -> None:
        for field in (self.url, self.url_title, self.publisher):
            field.clear()
        self.quote.clear()
        self.stance.setCurrentIndex(0)

    def focus_explanation(self) -> None:
        self.scroller.ensureWidgetVisible(self.explanation)
        self.explanation.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_add_evidence(self) -> None:
        self.scroller.ensureWidgetVisible(self.add_box)
        self.url.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # actions
    def _claimant_edited(self) -> None:
        if self.claim is not None and self.claimant.text().strip() != self.claim.claimant:
            self.claimant_saved.emit(self.claimant.text().strip())

    def _rating_edited(self) -> None:
        if self.claim is not None and self.rating.text().strip() != self.claim.rating:
            self.rating_saved.emit(self.rating.text().strip())

    def _submit_url(self) -> None:
        url = self.url.text().strip()
        if not url:
            self.url.setFocus()
            return
        self.url_submitted.emit(
            {
                "url": url,
                "title": self.url_title.text().strip(),
                "publisher": self.publisher.text().strip(),
                "quote": self.quote.toPlainText().strip(),
                "stance": self.stance.currentData(),
            }
        )

    def _submit_note(self) -> None:
        text = self.quote.toPlainText().strip()
        if text:
            self.note_submitted.emit(text, self.stance.currentData())
        else:
            self.quote.setFocus()

    def _choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Attach files as evidence")
        if paths:
            self.files_chosen.emit(paths, self.stance.currentData())

    def _evidence_menu(self, point: QPoint) -> None:
        # scroll areas report the position in viewport coordinates
        index = self.evidence_view.indexAt(point)
        if not index.isValid():
            return
        link = self.evidence_model.data(index, RecordRole)
        menu = QMenu(self)
        remove = menu.addAction("Remove from this claim")
        if menu.exec(self.evidence_view.viewport().mapToGlobal(point)) is remove:
            self.unlink_requested.emit(link.id)

    # drag and drop
    def dragEnterEvent(self, e: QDragEnterEvent) -> None:
        mime = e.mimeData()
        if self.claim is not None and (mime.hasUrls() or mime.hasText()):
            e.acceptProposedAction()

    def dragMoveEvent(self, e: QDragMoveEvent) -> None:
        e.acceptProposedAction()

    def dropEvent(self, e: QDropEvent) -> None:
        if self.accept_mime(e.mimeData()):
            e.acceptProposedAction()

    def accept_mime(self, mime: QMimeData) -> bool:
        """Turn dropped data into evidence: files attach at once, links and text fill the form."""
        if self.claim is None:
            return False
        files = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
        files = [f for f in files if Path(f).is_file()]
        if files:
            self.files_chosen.emit(files, self.stance.currentData())
            return True
        links = [u.toString() for u in mime.urls() if u.scheme() in ("http", "https")]
        text = mime.text().strip() if mime.hasText() else ""
        if links:
            self.focus_add_evidence()
            self.url.setText(links[0])
            if text and text != links[0]:
                self.quote.setPlainText(text)
            return True
        if text.startswith(("http://", "https://")) and "\n" not in text:
            self.focus_add_evidence()
            self.url.setText(text)
            return True
        if text:
            self.scroller.ensureWidgetVisible(self.add_box)
            self.quote.setPlainText(text)
            self.url.setFocus()
            return True
        return False
