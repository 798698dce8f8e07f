"""The Plan panel: the staffing plan of the current analysis, a tab beside the gaps panel.

It shows :func:`planner.analysis.plan.build_plan` of the result that
:class:`~planner.ui.live_analysis.LiveAnalysis` publishes: the ask in one
sentence, then the steps grouped by kind (hires, hand-overs, splits, spans,
links) and the decisions left to leadership, each with what it clears.
Clicking a step asks the window to select its cards (``nodes_requested``); a
double-click asks for the explanation of the rule behind it (``explanation_requested``).
The plan is only worked out while the tab is showing: a hidden tab marks
itself stale and catches up when it is raised.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QLabel,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from planner.analysis import AnalysisResult
from planner.analysis.plan import StaffingPlan, build_plan
from planner.chart.plaintext import tooltip
from planner.model.org import Org

NODES_ROLE = Qt.ItemDataRole.UserRole + 1
CODES_ROLE = Qt.ItemDataRole.UserRole + 2

#: Group titles, in the plan's order of action kinds.
GROUPS = {
    "hire": "Hire",
    "hand_over": "Hand over",
    "split_team": "Split teams",
    "narrow_span": "Narrow spans of control",
    "add_link": "Add missing links",
    "remove_link": "Remove or redraw links",
    "assign_duty": "Settle duties",
    "accept": "Accept as known risks",
}
COLUMNS = ("Step", "Clears")


def counts_text(counts: dict[str, int]) -> str:
    """``2 errors, 1 warning`` (severities with none left out)."""
    words = {"error": ("error", "errors"), "warning": ("warning", "warnings"), "info": ("info", "infos")}
    return ", ".join(f"{counts[s]} {words[s][counts[s] != 1]}" for s in ("error", "warning", "info") if counts.get(s))


def clears_text(findings) -> str:
    """``2 errors, 1 warning`` for the findings a step clears."""
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
    return counts_text(counts)


class PlanWidget(QWidget):
    """The ask, then the plan's steps and decisions in a tree; a click selects the step's cards."""

    nodes_requested = Signal(tuple)
    explanation_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.org: Org | None = None
        self.result: AnalysisResult | None = None
        self.plan: StaffingPlan | None = None
        self._stale = False
        #: Whether the panel is in front: a tab behind the gaps stays "visible" to Qt, so its dock tells.
        self.shown = False

        self.ask = QLabel(self)
        self.ask.setObjectName("plan_ask")
        self.ask.setWordWrap(True)
        self.ask.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ask.setContentsMargins(8, 6, 8, 4)

        self.after = QLabel(self)
        self.after.setObjectName("plan_after")
        self.after.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.after.setContentsMargins(8, 0, 8, 4)

        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.view = QTreeView(self)
        self.view.setObjectName("plan")
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.view.doubleClicked.connect(self._on_double_clicked)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.ask)
        layout.addWidget(self.after)
        layout.addWidget(self.view)
        self.set_result(None, None)

    # -- following the analysis ---------------------------------------------------------

    def set_result(self, org: Org | None, result: AnalysisResult | None) -> None:
        """Show the plan of ``result``; worked out now when the panel shows, else when it is next shown."""
        self.org, self.result = org, result
        if self.shown or org is None or result is None:
            self.refresh()
        else:
            self._stale = True

    def set_shown(self, shown: bool) -> None:
        self.shown = shown
        if shown and self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        if self.org is None or self.result is None:
            self.plan = None
            self.ask.setText("")
            self.after.setText("")
            self.model.removeRows(0, self.model.rowCount())
            return
        self.plan = build_plan(self.org, self.result)
        self._fill(self.plan)

    def _fill(self, plan: StaffingPlan) -> None:
        self.ask.setText(plan.ask())
        left = counts_text(plan.after)
        self.after.setText(f"Once it is carried out: {left or 'no findings left'}." if plan.actions else "")
        self.model.removeRows(0, self.model.rowCount())
        root = self.model.invisibleRootItem()
        for kind, title in GROUPS.items():
            actions = plan.of_kind(kind)
            if not actions:
                continue
            group = self._row(root, f"{title} ({len(actions)})", "", ())
            for action in actions:
                nodes = tuple(dict.fromkeys((*action.subjects, *(n for n in (action.giver, action.taker) if n))))
                item = self._row(group, action.headline, clears_text(action.clears), nodes)
                item.setData(tuple(dict.fromkeys(f.code for f in action.clears)), CODES_ROLE)
                if action.detail:
                    item.setToolTip(tooltip(action.detail))
        if plan.decisions:
            group = self._row(root, f"Decisions for leadership ({len(plan.decisions)})", "", ())
            for decision in plan.decisions:
                item = self._row(group, decision.question, decision.finding.severity, decision.finding.nodes)
                item.setData((decision.finding.code,), CODES_ROLE)
                item.setToolTip(tooltip(decision.finding.message))
        self.view.expandAll()

    def _row(self, parent: QStandardItem, text: str, clears: str, nodes) -> QStandardItem:
        item = QStandardItem(text)
        item.setData(tuple(nodes), NODES_ROLE)
        second = QStandardItem(clears)
        second.setForeground(self.palette().brush(QPalette.ColorRole.PlaceholderText))
        parent.appendRow([item, second])
        return item

    # -- leading to the cards -----------------------------------------------------------

    def visible_headlines(self) -> list[str]:
        """Every step and decision shown, group by group (for tests and accessibility)."""
        lines = []
        for row in range(self.model.rowCount()):
            group = self.model.item(row)
            lines += [group.child(i).text() for i in range(group.rowCount())]
        return lines

    def select_headline(self, text: str) -> None:
        for row in range(self.model.rowCount()):
            group = self.model.item(row)
            for i in range(group.rowCount()):
                if group.child(i).text() == text:
                    self.view.setCurrentIndex(group.child(i).index())
                    return
        raise KeyError(text)

    def _on_double_clicked(self, index) -> None:
        """The rule behind a step or a decision, explained (the first rule a step clears)."""
        codes = index.siblingAtColumn(0).data(CODES_ROLE)
        if codes:
            self.explanation_requested.emit(codes[0])

    def _on_selection_changed(self, *_ignored) -> None:
        index = self.view.currentIndex()
        nodes = index.siblingAtColumn(0).data(NODES_ROLE) if index.isValid() else None
        if nodes and self.org is not None:
            present = tuple(n for n in nodes if n in self.org)
            if present:
                self.nodes_requested.emit(present)


def install_plan_dock(window) -> PlanWidget:
    """Add the Plan panel to ``window`` as a tab beside its gaps panel, following its live analysis."""
    widget = PlanWidget(window)
    widget.setAccessibleName("Staffing plan")
    dock = QDockWidget("Plan", window)
    dock.setObjectName("plan_dock")
    dock.setWidget(widget)
    dock.setFeatures(window.gaps_dock.features())
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    window.tabifyDockWidget(window.gaps_dock, dock)
    # Gaps stays the tab in front: raised once the window has laid its docks out (before that it does not stick).
    QTimer.singleShot(0, window.gaps_dock.raise_)
    dock.visibilityChanged.connect(widget.set_shown)
    window.analysis.updated.connect(lambda result: widget.set_result(window.analysis.org, result))
    widget.nodes_requested.connect(window.focus_nodes)
    widget.explanation_requested.connect(window.show_rule)
    widget.dock = dock
    return widget
