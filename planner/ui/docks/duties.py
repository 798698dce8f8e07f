"""The Responsibilities panel: the duties of the selected product, down, and its people, across (RACI).

A view of the model (:meth:`planner.model.org.Org.duty_matrix`): each cell holds
R, A, C, I or nothing. Double-clicking a cell (or pressing Space) steps it
through those five; the keys R, A, C and I set it and Delete clears it; the
right-click menu offers all five. Every change is one undoable command through
the :class:`~planner.ui.document.Document`. A product with no matrix of its own
shows the one its links imply; the first change gives it its own, and "Follow
the chart" gives that up again. Cells (and duty names) that break a DUT rule in
the live analysis are tinted in the finding's colour and say why on hover.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.analysis import AnalysisResult, Finding
from planner.chart.theme import current_theme
from planner.model.duties import ACCOUNTABLE, DUTY_LIST, RACI, RACI_LABELS, STRATEGY_DUTIES, accountable
from planner.model.org import Org
from planner.model.vocabulary import BUILDS, DEV_TEAM, NODE_LABELS, PERSON_KINDS, PRODUCT
from planner.ui.document import Document, EditRefused

#: The order a double-click steps a cell through.
CYCLE: tuple[str | None, ...] = (None, *RACI)


def next_letter(letter: str | None) -> str | None:
    return CYCLE[(CYCLE.index(letter) + 1) % len(CYCLE)]


class _DutyTable(QTableWidget):
    """The grid; letters typed on a cell set it, Delete clears it, Space steps it."""

    letter_typed = Signal(int, int, object)

    _KEYS = (
        Qt.Key.Key_Delete,
        Qt.Key.Key_Backspace,
        Qt.Key.Key_Space,
        Qt.Key.Key_R,
        Qt.Key.Key_A,
        Qt.Key.Key_C,
        Qt.Key.Key_I,
    )

    def event(self, event) -> bool:
        # The window's Delete (and any single-letter shortcut) would act on the chart's selection: the
        # product card itself. Inside the grid these keys are the grid's.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and event.key() in self._KEYS
            and not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        item = self.currentItem()
        text = event.text().upper()
        if item is not None and item.column() >= 0:
            if text in RACI:
                self.letter_typed.emit(item.row(), item.column(), text)
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.letter_typed.emit(item.row(), item.column(), None)
                return
            if event.key() == Qt.Key.Key_Space:
                self.letter_typed.emit(item.row(), item.column(), next_letter(item.text() or None))
                return
        super().keyPressEvent(event)


class ResponsibilitiesWidget(QWidget):
    """Who is responsible, accountable, consulted and informed for each duty of one product."""

    message = Signal(str)

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.product: str | None = None
        self.result: AnalysisResult | None = None
        #: People shown although the matrix does not name them yet (added with "Add person").
        self.extra_people: list[str] = []
        self.people: list[str] = []
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.timeout.connect(self.refresh)

        self.title = QLabel(self)
        self.title.setObjectName("duties_title")
        self.title.setWordWrap(True)
        self.title.setContentsMargins(8, 6, 8, 2)
        self.source = QLabel(self)
        self.source.setObjectName("duties_source")
        self.source.setWordWrap(True)
        self.source.setContentsMargins(8, 0, 8, 4)

        self.table = _DutyTable(0, 0, self)
        self.table.setObjectName("duties")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.cellDoubleClicked.connect(self._on_double_clicked)
        self.table.letter_typed.connect(self._set_cell)
        self.table.customContextMenuRequested.connect(self._on_context_menu)

        self.add_person = QComboBox(self)
        self.add_person.setObjectName("duties_add_person")
        self.add_person.setToolTip("Add a column for someone the matrix does not name yet")
        self.add_person.activated.connect(self._on_add_person)
        self.follow = QPushButton("Follow the chart", self)
        self.follow.setObjectName("duties_follow")
        self.follow.setToolTip(
            "Drop this product's own matrix: its strategy owners become accountable for the "
            "strategy duties and its backlog owners for the execution duties again"
        )
        self.follow.clicked.connect(self._on_follow)

        self.legend = QLabel(
            "R responsible · A accountable (one per duty) · C consulted · I informed. "
            "Double-click a cell, or type R, A, C or I; Delete clears it.",
            self,
        )
        self.legend.setObjectName("duties_legend")
        self.legend.setWordWrap(True)
        self.legend.setContentsMargins(8, 4, 8, 0)
        self.legend.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(8, 4, 8, 6)
        buttons.addWidget(self.add_person, 1)
        buttons.addWidget(self.follow)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(self.source)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.legend)
        layout.addLayout(buttons)

        # Every edit goes through the undo stack: following it (a Qt signal) rather than the org's own leaves no
        # connection behind when the panel goes away.
        document.org_replaced.connect(self._on_org_replaced)
        document.undo_stack.indexChanged.connect(self._schedule)
        self._on_org_replaced(document.org)

    # -- following the document ------------------------------------------------------------------------

    def _on_org_replaced(self, org: Org) -> None:
        self.product = None
        self.extra_people = []
        self.refresh()

    def detach(self) -> None:
        """Stop following the document (before the window goes away); once is enough."""
        if getattr(self, "_detached", False):
            return
        self._detached = True
        self.document.org_replaced.disconnect(self._on_org_replaced)
        self.document.undo_stack.indexChanged.disconnect(self._schedule)
        self._refresh_timer.stop()

    def _schedule(self, *_ignored) -> None:
        self._refresh_timer.start(0)

    def set_product(self, product: str | None) -> None:
        """Show the duties of ``product`` (None: say how to pick one)."""
        if product != self.product:
            self.product = product
            self.extra_people = []
        self.refresh()

    def show_selection(self, node_ids: list[str]) -> None:
        """Follow the chart's selection: a product, or the product a selected team builds."""
        org = self.document.org
        for node_id in node_ids:
            node = org.get(node_id)
            if node is None:
                continue
            if node.kind == PRODUCT:
                self.set_product(node_id)
                return
            if node.kind == DEV_TEAM:
                products = [t for t, keys in org.graph.succ[node_id].items() if BUILDS in keys]
                if products:
                    self.set_product(products[0])
                    return

    def set_result(self, result: AnalysisResult | None) -> None:
        self.result = result
        self.refresh()

    # -- drawing ---------------------------------------------------------------------------------------

    def refresh(self) -> None:
        org = self.document.org
        if self.product is not None and not org.is_product(self.product):
            self.product = None
        current = (self.table.currentRow(), self.table.currentColumn())
        self.table.clear()
        if self.product is None:
            self.title.setText("Select a product (or one of its teams) to see who answers for its duties.")
            self.source.setText("")
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            self.add_person.setEnabled(False)
            self.follow.setEnabled(False)
            return
        matrix = org.duty_matrix(self.product)
        strategy, backlog = org.link_owners(self.product)
        people = list(
            dict.fromkeys(
                [p for row in matrix.values() for p in row]
                + strategy
                + backlog
                + [p for p in self.extra_people if org.is_person(p)]
            )
        )
        self.people = people
        follows = org.follows_links(self.product)
        self.title.setText(f"<b>{_escape(org.node(self.product).label)}</b>: who answers for each duty")
        self.source.setText(
            "Follows the chart: the strategy owners are accountable for the strategy duties, the "
            "backlog owners of its teams for the execution duties. Change a cell to give it a "
            "matrix of its own."
            if follows
            else "Its own responsibility matrix."
        )
        self.follow.setEnabled(not follows)
        self.table.setRowCount(len(DUTY_LIST))
        self.table.setColumnCount(len(people))
        self.table.setHorizontalHeaderLabels([org.node(p).label for p in people])
        for column, person in enumerate(people):
            header = self.table.horizontalHeaderItem(column)
            header.setToolTip(f"{org.node(person).label} ({NODE_LABELS[org.node(person).kind].lower()})")
        self.table.setVerticalHeaderLabels([duty.label for duty in DUTY_LIST])
        for row, duty in enumerate(DUTY_LIST):
            self.table.verticalHeaderItem(row).setToolTip(f"{duty.horizon.capitalize()}: {duty.description}")
            cells = matrix.get(duty.id, {})
            for column, person in enumerate(people):
                letter = cells.get(person)
                item = QTableWidgetItem(letter or "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setToolTip(RACI_LABELS[letter] if letter else "Double-click, or type R, A, C or I")
                self.table.setItem(row, column, item)
        self._mark(matrix, strategy, backlog)
        self._fill_add_person(people)
        if 0 <= current[0] < self.table.rowCount() and 0 <= current[1] < self.table.columnCount():
            self.table.setCurrentCell(*current)

    def _fill_add_person(self, shown: list[str]) -> None:
        org = self.document.org
        self.add_person.clear()
        self.add_person.addItem("Add person…", None)
        others = sorted(
            (n for n in org.nodes() if n.kind in PERSON_KINDS and n.id not in shown), key=lambda n: n.label.casefold()
        )
        for node in others[:500]:
            self.add_person.addItem(f"{node.label} ({NODE_LABELS[node.kind].lower()})", node.id)
        self.add_person.setEnabled(bool(others))

    def marks(self) -> dict[tuple[int, int], Finding]:
        """The cells (row, column; column -1 for a duty's name) that break a rule, with the finding."""
        return dict(getattr(self, "_marks", {}))

    def _mark(self, matrix, strategy: list[str], backlog: list[str]) -> None:
        """Tint what the live analysis found wrong with this product's matrix."""
        self._marks: dict[tuple[int, int], Finding] = {}
        if self.result is None or self.product is None:
            return
        column_of = {person: column for column, person in enumerate(self.people)}
        profile = self.result.profile
        org = self.document.org
        for finding in self.result.findings:
            if finding.code == "DUT005":
                if finding.subject not in column_of:
                    continue
            elif not finding.code.startswith("DUT") or finding.subject != self.product:
                continue
            for row, duty in enumerate(DUTY_LIST):
                holders = accountable(matrix, duty.id)
                for cell in _cells_broken(finding, duty.id, holders, profile, org, strategy, backlog):
                    # Findings come worst first: a cell shows the first rule it breaks.
                    if cell is None:
                        self._marks.setdefault((row, -1), finding)
                    elif cell in column_of:
                        self._marks.setdefault((row, column_of[cell]), finding)
        for (row, column), finding in self._marks.items():
            tint = QColor(current_theme().severity_color(finding.severity))
            tint.setAlpha(70)
            item = self.table.verticalHeaderItem(row) if column < 0 else self.table.item(row, column)
            item.setBackground(QBrush(tint))
            item.setToolTip(f"{finding.code}: {finding.message}")

    # -- editing ---------------------------------------------------------------------------------------

    def _set_cell(self, row: int, column: int, letter: str | None) -> None:
        if self.product is None or not 0 <= row < len(DUTY_LIST) or not 0 <= column < len(self.people):
            return
        try:
            self.document.set_duty(self.product, DUTY_LIST[row].id, self.people[column], letter)
        except EditRefused as exc:
            self.message.emit(str(exc))

    def set_cell(self, duty: str, person: str, letter: str | None) -> None:
        """Set one cell by duty id and person id, as a click or a key would."""
        if person not in self.people:
            self.extra_people.append(person)
            self.refresh()
        row = [d.id for d in DUTY_LIST].index(duty)
        self._set_cell(row, self.people.index(person), letter)

    def _on_double_clicked(self, row: int, column: int) -> None:
        item = self.table.item(row, column)
        self._set_cell(row, column, next_letter((item.text() if item else "") or None))

    def _on_context_menu(self, pos) -> None:
        item = self.table.itemAt(pos)
        if item is None:
            return
        menu = QMenu(self)
        row, column = item.row(), item.column()
        for letter in (*RACI, None):
            label = f"{letter} — {RACI_LABELS[letter]}" if letter else "None"
            menu.addAction(label, lambda _=False, x=letter: self._set_cell(row, column, x))
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def _on_add_person(self, index: int) -> None:
        person = self.add_person.itemData(index)
        if person:
            self.extra_people.append(person)
            self.refresh()
        self.add_person.setCurrentIndex(0)

    def _on_follow(self) -> None:
        if self.product is not None:
            self.document.follow_links(self.product)


def _cells_broken(finding: Finding, duty: str, holders: list[str], profile, org: Org, strategy, backlog):
    """The people (None: the duty itself) of one duty's row that ``finding`` is about."""
    code = finding.code
    if code == "DUT001":
        return [None] if not holders else []
    if code == "DUT002":
        return holders if len(holders) > 1 else []
    if code == "DUT003":
        fits = profile.holders(duty)
        off = holders and not any(org.node(p).kind in fits for p in holders)
        return [p for p in holders if p in finding.nodes] if off else []
    if code == "DUT004":
        person = finding.nodes[1] if len(finding.nodes) > 1 else None
        owners = strategy if duty in STRATEGY_DUTIES else backlog
        return [person] if person in holders and person not in owners else []
    if code == "DUT005":
        return [finding.subject] if finding.subject in holders else []
    return []


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def install_duties_dock(window) -> ResponsibilitiesWidget:
    """Add the Responsibilities panel to ``window`` as a tab beside its inspector, following the selection."""
    widget = ResponsibilitiesWidget(window.document, window)
    widget.setAccessibleName("Responsibilities")
    dock = QDockWidget("Responsibilities", window)
    dock.setObjectName("duties_dock")
    dock.setWidget(widget)
    dock.setFeatures(window.inspector_dock.features())
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.tabifyDockWidget(window.inspector_dock, dock)
    QTimer.singleShot(0, window.inspector_dock.raise_)
    window.scene.selectionChanged.connect(lambda: widget.show_selection(window.scene.selected_node_ids()))
    window.analysis.updated.connect(widget.set_result)
    widget.message.connect(window.show_status)
    widget.dock = dock
    return widget


def open_duties(window, product: str) -> None:
    """Show the Responsibilities panel on ``product``."""
    panel = window.duties_panel
    panel.set_product(product)
    panel.dock.show()
    panel.dock.raise_()


def add_assign_duty_menu(menu: QMenu, document: Document, person: str) -> QMenu | None:
    """An "Assign Duty" submenu for a person's card: their products, then each duty (ticked where accountable)."""
    org = document.org
    if not org.is_person(person):
        return None
    products = related_products(org, person) or [n.id for n in org.nodes() if n.kind == PRODUCT][:15]
    if not products:
        return None
    submenu = menu.addMenu("Assign &Duty")
    for product in products:
        product_menu = submenu.addMenu(org.node(product).label)
        matrix = org.duty_matrix(product)
        for index, duty in enumerate(DUTY_LIST):
            if index == len(STRATEGY_DUTIES):
                product_menu.addSeparator()
            action = product_menu.addAction(duty.label)
            action.setCheckable(True)
            action.setChecked(matrix.get(duty.id, {}).get(person) == ACCOUNTABLE)
            action.setToolTip(duty.description)
            action.triggered.connect(lambda _=False, p=product, d=duty.id: document.assign_duty(p, d, person))
    return submenu


def related_products(org: Org, person: str) -> list[str]:
    """The products whose strategy ``person`` owns, whose teams' backlogs they own, or whose matrix names them."""
    found: dict[str, None] = {}
    succ = org.graph.succ
    for target, keys in succ[person].items():
        if "owns_strategy" in keys and org.is_product(target):
            found[target] = None
        if "owns_backlog" in keys:
            found.update(
                (p, None) for p, team_keys in succ[target].items() if BUILDS in team_keys and org.is_product(p)
            )
    for product in org.own_duties:
        matrix = org.duties_of(product)
        if matrix and any(person in row for row in matrix.values()):
            found[product] = None
    return list(found)
