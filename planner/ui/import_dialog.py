"""The "Import people" dialog: an HR export in, a drafted org out.

The user picks a CSV or XLSX file (one row per person); the dialog guesses
which column holds each field, shows the guess beside a preview of the rows,
and lets the user correct it. Every change redrafts the org at once, so the
summary (who is drawn, how many teams and products) and the list of rows that
need a look (with their spreadsheet row numbers) are always current. The
reading and drafting live in :mod:`planner.io.hr_import`; this module only
shows them. Use::

    dialog = ImportDialog(parent=window)          # or ImportDialog("people.csv", window)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        org = dialog.imported_org()               # laid out, ready to show
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.io.errors import LoadError
from planner.io.hr_import import (
    COLUMN_SYNONYMS,
    FIELD_LABELS,
    FIELDS,
    ImportResult,
    TableRow,
    build_org,
    guess_mapping,
    org_name_for,
    place_nodes,
    read_table,
)
from planner.io.hr_infer import draft_warnings, refine_mapping, with_derived_columns
from planner.model.org import Org
from planner.model.vocabulary import NODE_KINDS, NODE_LABELS
from planner.wording import plural

#: Rows shown in the preview; the whole file is still imported.
PREVIEW_ROWS = 1000
#: Inferred teams listed in the dialog; a large export's others are counted in a last row.
LISTED_TEAMS = 1000
NOT_IN_FILE = "(not in the file)"

FIELD_HINTS: dict[str, str] = {
    "id": "A unique key per person; managers are found by it. Without it, managers are matched by name.",
    "name": "The person's name, shown on their card. Required.",
    "title": "The job title decides who is drawn: product owners, product managers and leaders.",
    "manager": "The id (or the name) of the person's manager; gives the reporting lines.",
    "team": "Everyone not drawn is counted into the size of their team; a product owner owns their team's backlog.",
    "product": "A product manager owns this product's strategy; a team builds the product most of its members name.",
    "department": "With no team column, teams are inferred from reporting lines and named after their department.",
}


class ImportDialog(QDialog):
    """Choose an HR export, check the column mapping against a preview, read the row problems, import."""

    def __init__(self, path: str | Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import people from an HR export")
        self.resize(1000, 720)
        self._path: Path | None = None
        self._headers: list[str] = []
        self._rows: list[TableRow] = []
        self._result: ImportResult | None = None

        self.file_edit = QLineEdit(self)
        self.file_edit.setObjectName("import_file")
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText("A CSV or XLSX file with one row per person")
        browse = QPushButton("Choose…", self)
        browse.setObjectName("import_browse")
        browse.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(QLabel("File:", self))
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(browse)

        self.column_boxes: dict[str, QComboBox] = {}
        columns = QGroupBox("Which column holds what", self)
        form = QFormLayout(columns)
        for field_name in FIELDS:
            box = QComboBox(columns)
            box.setObjectName(f"column_{field_name}")
            box.setToolTip(FIELD_HINTS[field_name])
            # Wide enough for a column name such as "positionName" or "(not in the file)" to show whole.
            box.setMinimumContentsLength(16)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.currentIndexChanged.connect(self._redraft)
            self.column_boxes[field_name] = box
            form.addRow(f"{FIELD_LABELS[field_name]}:", box)

        self.preview = QTableWidget(self)
        self.preview.setObjectName("import_preview")
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview.setWordWrap(False)
        self.preview.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)

        self.summary = QLabel(self)
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.inferred = QTableWidget(0, 4, self)
        self.inferred.setObjectName("import_inferred_teams")
        self.inferred.setHorizontalHeaderLabels(["Inferred team", "People", "Reports to", "Department"])
        self.inferred.verticalHeader().setVisible(False)
        self.inferred.horizontalHeader().setStretchLastSection(True)
        self.inferred.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.inferred.setToolTip("The file has no team column: these teams were made from reporting lines.")
        self.inferred.setVisible(False)

        self.problems = QTableWidget(0, 2, self)
        self.problems.setObjectName("import_problems")
        self.problems.setHorizontalHeaderLabels(["Row", "What needs a look"])
        self.problems.verticalHeader().setVisible(False)
        self.problems.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problems.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.problems.setToolTip("Rows that could not be used as they are. Select one to find it in the preview.")
        self.problems.currentCellChanged.connect(self._show_problem_row)

        top = QWidget(self)
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(columns)
        top_layout.addWidget(self.preview, 1)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.summary)
        lists = QHBoxLayout()
        lists.addWidget(self.inferred, 1)
        lists.addWidget(self.problems, 1)
        bottom_layout.addLayout(lists, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("import_accept")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)

        self._show_state("Choose an HR export: a CSV or XLSX file with a header row and one row per person.")
        if path is not None:
            self.load_file(path)

    # -- public API -------------------------------------------------------------

    def choose_file(self) -> None:
        start = str(self._path.parent) if self._path else ""
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose an HR export", start, "HR exports (*.csv *.tsv *.txt *.xlsx);;All files (*)"
        )
        if path:
            self.load_file(path)

    def load_file(self, path: str | Path) -> bool:
        """Read a file and guess its columns; on failure show why and keep Import disabled."""
        path = Path(path)
        self.file_edit.setText(str(path))
        try:
            headers, rows = with_derived_columns(*read_table(path))
        except LoadError as exc:
            self._path, self._headers, self._rows, self._result = None, [], [], None
            self._fill_boxes({})
            self._fill_preview()
            self._show_state(f"This file cannot be read. {exc.details()}", error=True)
            return False
        self._path, self._headers, self._rows = path, headers, rows
        self._fill_boxes(refine_mapping(headers, guess_mapping(headers)))
        self._fill_preview()
        self._redraft()
        return True

    def mapping(self) -> dict[str, str | None]:
        """The column chosen for each field (None: not in the file)."""
        chosen: dict[str, str | None] = {}
        for field_name, box in self.column_boxes.items():
            chosen[field_name] = box.currentData()
        return chosen

    def set_column(self, field_name: str, column: str | None) -> None:
        """Choose the column of a field, as the user would in its drop-down."""
        box = self.column_boxes[field_name]
        box.setCurrentIndex(max(0, box.findData(column)) if column is not None else 0)

    def import_result(self) -> ImportResult | None:
        """The current draft and its row problems, or None when nothing usable is loaded."""
        return self._result

    def imported_org(self) -> Org | None:
        """The drafted org, laid out (after the dialog was accepted), or None."""
        return self._result.org if self._result is not None else None

    def accept(self) -> None:
        if self._result is None:
            return
        place_nodes(self._result.org)
        super().accept()

    # -- drawing ------------------------------------------------------------------

    def _fill_boxes(self, guess: dict[str, str | None]) -> None:
        for field_name, box in self.column_boxes.items():
            box.blockSignals(True)
            box.clear()
            box.addItem(NOT_IN_FILE, None)
            for header in self._headers:
                box.addItem(header or "(untitled column)", header)
            column = guess.get(field_name)
            box.setCurrentIndex(box.findData(column) if column is not None else 0)
            box.blockSignals(False)

    def _fill_preview(self) -> None:
        shown = self._rows[:PREVIEW_ROWS]
        self.preview.clear()
        self.preview.setColumnCount(len(self._headers))
        self.preview.setRowCount(len(shown))
        self.preview.setVerticalHeaderLabels([str(row.number) for row in shown])
        for r, row in enumerate(shown):
            for c, value in enumerate(row.cells):
                self.preview.setItem(r, c, QTableWidgetItem(value))
        self._label_preview_columns()

    def _label_preview_columns(self) -> None:
        fields_by_column = {column: field_name for field_name, column in self.mapping().items() if column is not None}
        labels = []
        for header in self._headers:
            field_name = fields_by_column.get(header)
            labels.append(f"{header}\n→ {FIELD_LABELS[field_name].lower()}" if field_name else f"{header}\n(not used)")
        self.preview.setHorizontalHeaderLabels(labels)

    def _redraft(self) -> None:
        if self._path is None:
            return
        self._label_preview_columns()
        try:
            self._result = build_org(self._headers, self._rows, self.mapping(), name=org_name_for(self._path))
        except ValueError as exc:
            self._result = None
            self._fill_problems([])
            self._fill_inferred(None)
            self._show_state(f"{str(exc)[:1].upper()}{str(exc)[1:]}.", error=True)
            return
        self._fill_problems(self._result.problems)
        self._fill_inferred(self._result)
        warnings = draft_warnings(self._result, COLUMN_SYNONYMS, FIELD_LABELS)
        text = self._summary_text(self._result)
        if warnings:
            # Still importable: the user may want to fix the draft in the editor; but never silently.
            text += " Look before importing: " + " ".join(f"{w[:1].upper()}{w[1:]}." for w in warnings)
        self._show_state(text, warning=bool(warnings))

    def _summary_text(self, result: ImportResult) -> str:
        counts = {kind: 0 for kind in NODE_KINDS}
        for node in result.org.nodes():
            counts[node.kind] += 1
        drawn = ", ".join(
            f"{counts[k]} {NODE_LABELS[k].lower()}{'s' if counts[k] != 1 else ''}"
            for k in ("leader", "product_manager", "product_owner")
        )
        counted = sum(node.size or 0 for node in result.org.nodes() if node.kind == "dev_team")
        text = (
            f"{result.people} rows read. Drawn: {drawn}. {counts['dev_team']} teams holding {counted} people, "
            f"{counts['product']} products, {result.org.number_of_links()} links."
        )
        if result.inference.note:
            text += f" {result.inference.note}"
        if result.problems:
            text += f" {len(result.problems)} rows need a look: each is listed below with what was done about it."
        else:
            text += " Every row was used."
        return text

    def _fill_problems(self, problems) -> None:
        self.problems.setRowCount(len(problems))
        for r, problem in enumerate(problems):
            row_item = QTableWidgetItem(str(problem.row))
            row_item.setData(Qt.ItemDataRole.UserRole, problem.row)
            self.problems.setItem(r, 0, row_item)
            self.problems.setItem(r, 1, QTableWidgetItem(problem.message))
        self.problems.resizeColumnToContents(0)

    def _fill_inferred(self, result: ImportResult | None) -> None:
        teams = result.inference.teams if result is not None else []
        self.inferred.setVisible(bool(teams))
        shown = teams[:LISTED_TEAMS]
        more = len(teams) - len(shown)
        self.inferred.clearSpans()
        self.inferred.setRowCount(len(shown) + (1 if more else 0))
        for r, team in enumerate(shown):
            for c, value in enumerate((team.name, str(team.size), team.manager_name, team.department)):
                item = QTableWidgetItem(value)
                item.setToolTip(team.describe())
                self.inferred.setItem(r, c, item)
        if more:
            # A table of tens of thousands of teams helps nobody read and takes seconds to fill.
            self.inferred.setItem(len(shown), 0, QTableWidgetItem(f"… and {plural(more, 'more team')}"))
            self.inferred.setSpan(len(shown), 0, 1, 4)
        self.inferred.resizeColumnsToContents()

    def _show_state(self, text: str, error: bool = False, warning: bool = False) -> None:
        self.summary.setText(text)
        self.summary.setStyleSheet("color: #B3261E;" if error else "color: #8A5300;" if warning else "")
        self.import_button.setEnabled(self._result is not None and not error)

    def _show_problem_row(self, current_row: int, *_ignored: int) -> None:
        item = self.problems.item(current_row, 0)
        if item is None:
            return
        number = item.data(Qt.ItemDataRole.UserRole)
        for r, row in enumerate(self._rows[:PREVIEW_ROWS]):
            if row.number == number:
                self.preview.selectRow(r)
                self.preview.scrollTo(self.preview.model().index(r, 0))
                return
