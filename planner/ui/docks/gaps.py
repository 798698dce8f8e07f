"""The gaps panel: the findings of the current profile, grouped by rule, sortable, filterable, linked to the chart.

It shows the :class:`~planner.analysis.AnalysisResult` that
:class:`~planner.ui.live_analysis.LiveAnalysis` publishes after each burst of
edits: one group per rule (its worst severity, its code, how many findings,
its name), and under it one row per finding (severity, code, node, message),
sortable by any column, with a toggle per severity. A new analysis changes
the rows in place, so open groups, the selection and the scroll position
stay. Selecting a finding asks the window to select and centre its cards
(``nodes_requested``); a double-click asks for the rule's explanation
(``explanation_requested``); the context menu can also accept the finding as
a known risk of its node (``accept_requested``).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
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
from planner.analysis.changes import ResultChanges
from planner.chart.theme import Theme, current_theme, severity_icon
from planner.model.org import Org
from planner.ui.docks.findings_model import (
    FINDING_ROLE,
    GROUP_ROLE,
    OPEN_GROUPS_UP_TO,
    FindingsModel,
)
from planner.wording import plural

_ROOT = QModelIndex()
#: How the severity toggles name what they hide.
PLURALS = {"error": "errors", "warning": "warnings", "info": "infos"}


class GapsWidget(QWidget):
    """Findings grouped by rule, with severity toggles and a one-line summary."""

    nodes_requested = Signal(tuple)
    explanation_requested = Signal(str)
    accept_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme: Theme = current_theme()
        self.org: Org | None = None
        self.result: AnalysisResult | None = None
        self._refreshing = False
        #: The rules whose groups the user opened (kept through a rebuild of the rows).
        self._open: set[str] = set()

        self.model = FindingsModel(self)
        #: The table's model as the view sees it (it filters and sorts itself; the name stays for callers).
        self.proxy = self.model

        self.view = QTreeView(self)
        self.view.setObjectName("gaps")
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(True)
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
        header.resizeSection(0, 130)  # a finding sits one indent and one arrow further in than its group
        header.resizeSection(1, 70)
        header.resizeSection(2, 170)
        # Selection, not the current index: a view that merely gets the focus makes its first row current.
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.view.doubleClicked.connect(self._on_double_clicked)
        self.view.customContextMenuRequested.connect(self._on_context_menu)
        self.view.expanded.connect(lambda index: self._open.add(index.data(GROUP_ROLE)))
        self.view.collapsed.connect(lambda index: self._open.discard(index.data(GROUP_ROLE)))

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

    def set_result(self, org: Org | None, result: AnalysisResult | None, changes: ResultChanges | None = None) -> None:
        """Show ``result`` (findings of ``org``): rows come and go in place, the selected finding stays selected."""
        self.org, self.result = org, result
        selected = self.current_finding()
        self._refreshing = True
        try:
            findings = result.findings if result is not None else []
            self.model.set_findings(findings, self._label_of, changes)
            self._open_arrived()
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
        """The findings listed (whether their group is open or not), in display order."""
        return self.model.findings()

    def _select(self, finding: Finding) -> None:
        self._make_current(self.model.index_of(finding))

    def select_row(self, row: int) -> None:
        """Select the ``row``-th finding listed, counted through the groups; its group opens."""
        self._make_current(self.model.index_at(row))

    def select_next(self) -> bool:
        """Select the finding after the current one (the first after the last); False when none is listed."""
        count = self.model.finding_count()
        if not count:
            return False
        number = self.model.number_of(self.view.currentIndex())
        self.select_row((number + 1) % count if number is not None else 0)
        return True

    def _make_current(self, index: QModelIndex) -> None:
        if index.isValid():
            self.view.expand(index.parent())
            self.view.setCurrentIndex(index)

    def _open_arrived(self) -> None:
        """The groups the last change brought open when the list is short, or when they were open before."""
        few = self.model.finding_count() <= OPEN_GROUPS_UP_TO
        for code in self.model.arrived:
            if few or code in self._open:
                self.view.expand(self.model.group_index(code))

    # -- reactions ----------------------------------------------------------------------

    def _on_filter_toggled(self) -> None:
        selected = self.current_finding()
        self._refreshing = True
        try:
            self.model.set_shown(s for s, b in self.filter_buttons.items() if b.isChecked())
            self._open_arrived()
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
            button.setToolTip(
                f"The {PLURALS[severity]} are listed: click to hide them"
                if on
                else f"The {PLURALS[severity]} are hidden: click to list them"
            )

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
        if not index.isValid():
            return
        finding = index.data(FINDING_ROLE)
        menu = QMenu(self)
        if finding is None:
            code = index.data(GROUP_ROLE)
            menu.addAction(f"Explain {code}…", lambda: self.explanation_requested.emit(code))
            menu.exec(self.view.viewport().mapToGlobal(pos))
            return
        menu.addAction(f"Explain {finding.code}…", lambda: self.explanation_requested.emit(finding.code))
        menu.addAction("Show on chart", lambda: self.nodes_requested.emit(tuple(dict.fromkeys(finding.nodes))))
        if finding.subject is not None:
            label = self._node_label(finding.subject)
            menu.addSeparator()
            menu.addAction(
                f"Accept as a known risk of {label}", lambda: self.accept_requested.emit(finding.subject, finding.code)
            )
        menu.exec(self.view.viewport().mapToGlobal(pos))
