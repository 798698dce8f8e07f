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

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QIcon, QPalette, QStandardItem, QStandardItemModel
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
from planner.model.org import Org
from planner.ui.plaintext import tooltip
from planner.ui.theme import Theme, current_theme, severity_icon

FINDING_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMNS = ("Severity", "Code", "Node", "Message")
SEVERITY_LABELS = {"error": "Error", "warning": "Warning", "info": "Info"}
PLURALS = {"error": "errors", "warning": "warnings", "info": "infos"}


class SeverityFilter(QSortFilterProxyModel):
    """Hides the rows of severities switched off; sorts on each column's sort key."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.shown = set(SEVERITIES)
        self.setSortRole(SORT_ROLE)

    def set_shown(self, severities) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 and later
            self.beginFilterChange()
            self.shown = set(severities)
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.shown = set(severities)
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:
        finding = self.sourceModel().index(row, 0, parent).data(FINDING_ROLE)
        return finding is None or finding.severity in self.shown


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

        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.proxy = SeverityFilter(self)
        self.proxy.setSourceModel(self.model)

        self.view = QTreeView(self)
        self.view.setObjectName("gaps")
        self.view.setModel(self.proxy)
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
        self._mark_filters()
        if self.result is not None:
            self.set_result(self.org, self.result)

    # -- content ----------------------------------------------------------------------

    def set_result(self, org: Org | None, result: AnalysisResult | None) -> None:
        """Show ``result`` (findings of ``org``), keeping the selected finding when it is still there."""
        self.org, self.result = org, result
        selected = self.current_finding()
        self._refreshing = True
        try:
            self.view.setSortingEnabled(False)
            self.model.removeRows(0, self.model.rowCount())
            findings = result.findings if result is not None else []
            # One dot per severity, drawn once: drawing it for each row was a third of an update on 10,000 nodes.
            icons = {severity: severity_icon(severity, self.theme) for severity in SEVERITIES}
            for finding in findings:
                self.model.appendRow(self._row(finding, icons[finding.severity]))
            self.view.setSortingEnabled(True)
            if selected is not None:
                self._select(selected)
        finally:
            self._refreshing = False
        counts = result.counts if result is not None else dict.fromkeys(SEVERITIES, 0)
        for severity, button in self.filter_buttons.items():
            count = counts[severity]
            word = PLURALS[severity] if count != 1 else severity
            button.setText(f"{count} {word}")
        accepted = len(result.accepted) if result is not None else 0
        profile = result.profile.title if result is not None else ""
        parts = [f"Profile: {profile}"] if profile else []
        if accepted:
            parts.append(f"{accepted} accepted risk{'s' if accepted != 1 else ''} hidden")
        if result is not None and not findings:
            parts.insert(0, "No gaps found")
        self.summary.setText(" · ".join(parts))

    def _row(self, finding: Finding, icon: QIcon) -> list[QStandardItem]:
        node_label = self._node_label(finding.subject)
        others = len(dict.fromkeys(finding.nodes)) - 1
        if others > 0:
            node_label += f" (+{others})"
        items = [
            QStandardItem(icon, SEVERITY_LABELS[finding.severity]),
            QStandardItem(finding.code),
            QStandardItem(node_label),
            QStandardItem(finding.message),
        ]
        keys = (
            (SEVERITY_RANK[finding.severity], finding.code, node_label.lower()),
            (finding.code, SEVERITY_RANK[finding.severity]),
            (node_label.lower(), SEVERITY_RANK[finding.severity], finding.code),
            (finding.message.lower(),),
        )
        tip = tooltip(f"{finding.code} {finding.name}: {finding.message}")
        for item, key in zip(items, keys, strict=True):
            item.setData(finding, FINDING_ROLE)
            item.setData("\x1f".join(str(part) for part in key), SORT_ROLE)
            item.setToolTip(tip)
        return items

    def _node_label(self, node_id: str | None) -> str:
        if node_id is None:
            return "—"
        node = self.org.get(node_id) if self.org is not None else None
        return node.label if node is not None else node_id

    def current_finding(self) -> Finding | None:
        index = self.view.currentIndex()
        return index.data(FINDING_ROLE) if index.isValid() else None

    def visible_findings(self) -> list[Finding]:
        return [self.proxy.index(row, 0).data(FINDING_ROLE) for row in range(self.proxy.rowCount())]

    def _select(self, finding: Finding) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(FINDING_ROLE) == finding:
                self.view.setCurrentIndex(index)
                return

    def select_row(self, row: int) -> None:
        self.view.setCurrentIndex(self.proxy.index(row, 0))

    # -- reactions ----------------------------------------------------------------------

    def _on_filter_toggled(self) -> None:
        self.proxy.set_shown(s for s, b in self.filter_buttons.items() if b.isChecked())
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
