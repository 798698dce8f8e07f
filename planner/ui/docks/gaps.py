"""The gaps panel: the findings of the current profile, sortable, filterable, linked to the chart.

It shows the :class:`~planner.analysis.AnalysisResult` that
:class:`~planner.ui.live_analysis.LiveAnalysis` publishes after each burst of
edits: one row per finding (severity, code, node, message), sortable by any
column, with a toggle per severity. Selecting a row asks the window to select
and centre the finding's cards (``nodes_requested``); a double-click asks for
the rule's explanation (``explanation_requested``); the context menu can also
accept the finding as a known risk of its node (``accept_requested``).
"""

from __future__ import annotations

from operator import attrgetter

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QIcon, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from planner.analysis import SEVERITIES, AnalysisResult, Finding
from planner.analysis.rule import SEVERITY_RANK
from planner.chart.plaintext import tooltip
from planner.chart.theme import Theme, current_theme, severity_icon
from planner.model.org import Org
from planner.wording import plural

FINDING_ROLE = Qt.ItemDataRole.UserRole + 1
_ROOT = QModelIndex()

COLUMNS = ("Severity", "Code", "Node", "Message")
SEVERITY_LABELS = {"error": "Error", "warning": "Warning", "info": "Info"}
#: What makes two findings the same row: everything shown of them.
_IDENTITY = attrgetter("code", "severity", "message", "nodes", "name")
#: Above this many rows coming or going at once, the table is rebuilt rather than edited row by row.
_RESET_ABOVE = 200


PLURALS = {"error": "errors", "warning": "warnings", "info": "infos"}


class _Row:
    """One finding as the table shows it: the node's label and the sort key of each column, worked out once."""

    __slots__ = ("finding", "label", "keys", "tip")

    def __init__(self, finding: Finding, label: str) -> None:
        self.finding = finding
        self.label = label
        rank = SEVERITY_RANK[finding.severity]
        lowered = label.lower()
        self.keys = (
            (rank, finding.code, lowered, finding.nodes),
            (finding.code, rank, lowered, finding.nodes),
            (lowered, rank, finding.code, finding.nodes),
            (finding.message.lower(), rank, finding.code, finding.nodes),
        )
        self.tip = ""


class FindingsModel(QAbstractTableModel):
    """The findings of one analysis as a table (severity, code, node, message), filtered by severity and sorted.

    A new analysis is merged in place (:meth:`set_findings`): rows of findings
    that are gone are removed, rows of new ones inserted where the sort order
    puts them, and the rest stay, so that the selection and the scroll position
    survive an edit. Sorting and filtering happen here, on keys worked out once
    per finding, rather than in a proxy that would ask for every cell's data
    at each comparison.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.shown = set(SEVERITIES)
        self.icons: dict[str, QIcon] = {}
        self._column = 0
        self._order = Qt.SortOrder.AscendingOrder
        #: Every finding's row, shown or filtered out, by the finding's identity (see :data:`_IDENTITY`).
        self._all: dict[tuple, _Row] = {}
        #: The rows shown, in display order.
        self._rows: list[_Row] = []

    # -- Qt's model interface ------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        finding = row.finding
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (SEVERITY_LABELS[finding.severity], finding.code, row.label, finding.message)[column]
        if role == FINDING_ROLE:
            return finding
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return self.icons.get(finding.severity)
        if role == Qt.ItemDataRole.ToolTipRole:
            if not row.tip:
                row.tip = tooltip(f"{finding.code} {finding.name}: {finding.message}")
            return row.tip
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._column, self._order = column, order
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        held = [(self._rows[index.row()], index.column()) for index in before]
        self._rows.sort(key=self._key, reverse=self._reversed())
        position = {id(row): number for number, row in enumerate(self._rows)}
        self.changePersistentIndexList(before, [self.index(position[id(row)], column) for row, column in held])
        self.layoutChanged.emit()

    # -- content ----------------------------------------------------------------------------

    def _key(self, row: _Row) -> tuple:
        return row.keys[self._column]

    def _reversed(self) -> bool:
        return self._order == Qt.SortOrder.DescendingOrder

    def _position(self, row: _Row) -> int:
        """Where ``row`` goes among the shown rows in the current order."""
        key, reverse = self._key(row), self._reversed()
        low, high = 0, len(self._rows)
        while low < high:
            middle = (low + high) // 2
            other = self._key(self._rows[middle])
            if (other > key) if reverse else (other < key):
                low = middle + 1
            else:
                high = middle
        return low

    def set_findings(self, findings: list[Finding], label_of) -> None:
        """Show ``findings``, keeping the rows of those already shown; ``label_of`` names a finding's node."""
        # Compared by tuples of their fields, in C: a finding's own hash and equality run in Python, and a check
        # of a 100,000-card org has thousands of them.
        new = dict(zip(map(_IDENTITY, findings), findings, strict=True))
        gone = self._all.keys() - new.keys()
        added = [key for key in new if key not in self._all]
        gone_rows = {id(self._all.pop(key)) for key in gone}
        rows = [_Row(new[key], label_of(new[key])) for key in added]
        self._all.update(zip(added, rows, strict=True))
        shown = [row for row in rows if row.finding.severity in self.shown]
        if len(gone) + len(shown) > _RESET_ABOVE:
            self._rebuild()
            return
        if gone:
            numbers = [number for number, row in enumerate(self._rows) if id(row) in gone_rows]
            for first, last in reversed(_runs(numbers)):
                self.beginRemoveRows(_ROOT, first, last)
                del self._rows[first:last + 1]
                self.endRemoveRows()
        for row in shown:
            number = self._position(row)
            self.beginInsertRows(_ROOT, number, number)
            self._rows.insert(number, row)
            self.endInsertRows()

    def set_shown(self, severities) -> None:
        """Show only the findings of these severities."""
        self.shown = set(severities)
        self._rebuild()

    def set_icons(self, icons: dict[str, QIcon]) -> None:
        self.icons = icons
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0),
                                  [Qt.ItemDataRole.DecorationRole])

    def _rebuild(self) -> None:
        self.beginResetModel()
        self._rows = [row for row in self._all.values() if row.finding.severity in self.shown]
        self._rows.sort(key=self._key, reverse=self._reversed())
        self.endResetModel()

    def finding_at(self, row: int) -> Finding | None:
        return self._rows[row].finding if 0 <= row < len(self._rows) else None

    def row_of(self, finding: Finding) -> int | None:
        for number, row in enumerate(self._rows):
            if row.finding == finding:
                return number
        return None


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as (first, last) runs of consecutive numbers."""
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and runs[-1][1] == number - 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


class GapsWidget(QWidget):
    """A table of findings with severity toggles and a one-line summary."""

    nodes_requested = Signal(tuple)
    explanation_requested = Signal(str)
    accept_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme: Theme = current_theme()
        self.org: Org | None = None
        self.result: AnalysisResult | None = None
        self._refreshing = False

        self.model = FindingsModel(self)
        #: The table's model as the view sees it (it filters and sorts itself; the name stays for callers).
        self.proxy = self.model

        self.view = QTreeView(self)
        self.view.setObjectName("gaps")
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.view.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 90)
        header.resizeSection(1, 70)
        header.resizeSection(2, 170)
        # Selection, not the current index: a view that merely gets the focus makes its first row current.
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.view.doubleClicked.connect(self._on_double_clicked)
        self.view.customContextMenuRequested.connect(self._on_context_menu)

        self.filter_buttons: dict[str, QToolButton] = {}
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 2)
        bar.setSpacing(4)
        for severity in SEVERITIES:
            button = QToolButton(self)
            button.setCheckable(True)
            button.setChecked(True)
            # A framed button that looks pressed while its findings show, as toggle buttons do.
            button.setAutoRaise(False)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.toggled.connect(self._on_filter_toggled)
            self.filter_buttons[severity] = button
            bar.addWidget(button)
        bar.addStretch(1)
        self.summary = QLabel(self)
        self.summary.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        bar.addWidget(self.summary)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        self.set_theme(self.theme)
        self.set_result(None, None)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        # One dot per severity, drawn once: drawing it for each row was a third of an update on 10,000 nodes.
        self.model.set_icons({severity: severity_icon(severity, theme) for severity in SEVERITIES})
        self._mark_filters()

    # -- content ----------------------------------------------------------------------

    def set_result(self, org: Org | None, result: AnalysisResult | None) -> None:
        """Show ``result`` (findings of ``org``): rows come and go in place, the selected finding stays selected."""
        self.org, self.result = org, result
        selected = self.current_finding()
        self._refreshing = True
        try:
            findings = result.findings if result is not None else []
            self.model.set_findings(findings, self._label_of)
            if selected is not None and self.current_finding() != selected:
                self._select(selected)
        finally:
            self._refreshing = False
        counts = result.counts if result is not None else dict.fromkeys(SEVERITIES, 0)
        for severity, button in self.filter_buttons.items():
            button.setText(plural(counts[severity], severity))
        accepted = len(result.accepted) if result is not None else 0
        profile = result.profile.title if result is not None else ""
        parts = [f"Profile: {profile}"] if profile else []
        if accepted:
            parts.append(f"{plural(accepted, 'accepted risk')} hidden")
        if result is not None and not findings:
            parts.insert(0, "No gaps found")
        self.summary.setText(" · ".join(parts))

    def _label_of(self, finding: Finding) -> str:
        """The Node column: the subject's label, and how many other cards the finding is about."""
        label = self._node_label(finding.subject)
        others = len(dict.fromkeys(finding.nodes)) - 1
        return f"{label} (+{others})" if others > 0 else label

    def _node_label(self, node_id: str | None) -> str:
        if node_id is None:
            return "—"
        node = self.org.get(node_id) if self.org is not None else None
        return node.label if node is not None else node_id

    def current_finding(self) -> Finding | None:
        index = self.view.currentIndex()
        return index.data(FINDING_ROLE) if index.isValid() else None

    def visible_findings(self) -> list[Finding]:
        return [self.model.finding_at(row) for row in range(self.model.rowCount())]

    def _select(self, finding: Finding) -> None:
        row = self.model.row_of(finding)
        if row is not None:
            self.view.setCurrentIndex(self.model.index(row, 0))

    def select_row(self, row: int) -> None:
        self.view.setCurrentIndex(self.model.index(row, 0))

    # -- reactions ----------------------------------------------------------------------

    def _on_filter_toggled(self) -> None:
        selected = self.current_finding()
        self._refreshing = True
        try:
            self.model.set_shown(s for s, b in self.filter_buttons.items() if b.isChecked())
            if selected is not None:
                self._select(selected)
        finally:
            self._refreshing = False
        self._mark_filters()

    def _mark_filters(self) -> None:
        """On: the severity's dot, pressed. Off: a faded dot and struck-through text, so the state reads at once."""
        for severity, button in self.filter_buttons.items():
            on = button.isChecked()
            icon = severity_icon(severity, self.theme)
            button.setIcon(icon if on else QIcon(icon.pixmap(16, 16, QIcon.Mode.Disabled)))
            font = button.font()
            font.setStrikeOut(not on)
            button.setFont(font)
            button.setToolTip(f"The {PLURALS[severity]} are listed: click to hide them" if on
                              else f"The {PLURALS[severity]} are hidden: click to list them")

    def _on_selection_changed(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if self._refreshing or not rows:
            return
        finding = rows[0].data(FINDING_ROLE)
        if finding is not None and finding.nodes:
            self.nodes_requested.emit(tuple(dict.fromkeys(finding.nodes)))

    def _on_double_clicked(self, index: QModelIndex) -> None:
        finding = index.data(FINDING_ROLE)
        if finding is not None:
            self.explanation_requested.emit(finding.code)

    def _on_context_menu(self, pos) -> None:
        index = self.view.indexAt(pos)
        finding = index.data(FINDING_ROLE) if index.isValid() else None
        if finding is None:
            return
        menu = QMenu(self)
        menu.addAction(f"Explain {finding.code}…", lambda: self.explanation_requested.emit(finding.code))
        menu.addAction("Show on chart", lambda: self.nodes_requested.emit(tuple(dict.fromkeys(finding.nodes))))
        if finding.subject is not None:
            label = self._node_label(finding.subject)
            menu.addSeparator()
            menu.addAction(f"Accept as a known risk of {label}",
                           lambda: self.accept_requested.emit(finding.subject, finding.code))
        menu.exec(self.view.viewport().mapToGlobal(pos))
