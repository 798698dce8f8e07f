"""The gaps panel's model: the findings of one analysis, a group per rule and a row per finding, merged in place.

:class:`FindingsModel` is what :class:`~planner.ui.docks.gaps.GapsWidget` shows in its tree view.
"""

from __future__ import annotations

from operator import attrgetter

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QFont, QIcon

from planner.analysis import SEVERITIES, Finding, get_rule
from planner.analysis.changes import FINDING_IDENTITY, ResultChanges
from planner.analysis.rule import SEVERITY_RANK
from planner.chart.plaintext import tooltip
from planner.wording import plural

FINDING_ROLE = Qt.ItemDataRole.UserRole + 1
#: The rule code of a group's row (None on a finding's row).
GROUP_ROLE = Qt.ItemDataRole.UserRole + 2
_ROOT = QModelIndex()

COLUMNS = ("Severity", "Code", "Node", "Message")
SEVERITY_LABELS = {"error": "Error", "warning": "Warning", "info": "Info"}
#: Above this many rows coming or going at once, the table is rebuilt rather than edited row by row.
_RESET_ABOVE = 200
#: A rule's group opens by itself when the panel lists at most this many findings; above, the groups start closed.
OPEN_GROUPS_UP_TO = 50


_ROW_RANK = attrgetter("rank")


class _Row:
    """One finding as the table shows it: the node's label and the sort key of each column, worked out once."""

    __slots__ = ("finding", "label", "keys", "tip", "rank")

    def __init__(self, finding: Finding, label: str) -> None:
        self.finding = finding
        self.label = label
        rank = self.rank = SEVERITY_RANK[finding.severity]
        lowered = label.lower()
        self.keys = (
            (rank, finding.code, lowered, finding.nodes),
            (finding.code, rank, lowered, finding.nodes),
            (lowered, rank, finding.code, finding.nodes),
            (finding.message.lower(), rank, finding.code, finding.nodes),
        )
        self.tip = ""


class _Group:
    """The shown findings of one rule, in display order; ``number`` tells its rows' indexes which group they are in."""

    __slots__ = ("code", "name", "number", "rank", "rows")

    def __init__(self, code: str, name: str, number: int) -> None:
        self.code, self.name, self.number = code, name, number
        self.rank = len(SEVERITIES)
        self.rows: list[_Row] = []

    def rerank(self) -> None:
        # A sweep in C: a rule with thousands of findings (team sizes on a large org) is re-ranked after each edit.
        self.rank = min(map(_ROW_RANK, self.rows), default=len(SEVERITIES))

    @property
    def severity(self) -> str:
        return SEVERITIES[min(self.rank, len(SEVERITIES) - 1)]


class FindingsModel(QAbstractItemModel):
    """The findings of one analysis as a tree: a group per rule, a row per finding; filtered by severity and sorted.

    A new analysis is merged in place (:meth:`set_findings`): rows of findings
    that are gone are removed (and a rule's group with its last one), rows of
    new ones inserted where the sort order puts them (in a new group if their
    rule had none), and the rest stay, so that the selection, the open groups
    and the scroll position survive an edit. Sorting and filtering happen here,
    on keys worked out once per finding, rather than in a proxy that would ask
    for every cell's data at each comparison. A group's index has the internal
    id 0; a finding's index has its group's ``number``.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.shown = set(SEVERITIES)
        self.icons: dict[str, QIcon] = {}
        self._column = 0
        self._order = Qt.SortOrder.AscendingOrder
        #: Every finding's row, shown or filtered out, by its identity (planner.analysis.changes.FINDING_IDENTITY).
        self._all: dict[tuple, _Row] = {}
        #: The groups shown, in display order, and the same by rule code and by number.
        self._groups: list[_Group] = []
        self._by_code: dict[str, _Group] = {}
        self._by_number: dict[int, _Group] = {}
        self._numbers = 0
        #: The rules whose groups the last change brought (for the view to open them or not).
        self.arrived: list[str] = []
        #: The findings list merged last (a result's own), to know whether given changes start from it.
        self._source: list[Finding] | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    # -- Qt's model interface ------------------------------------------------------------

    def index(self, row: int, column: int, parent: QModelIndex = _ROOT) -> QModelIndex:
        if not parent.isValid():
            return self.createIndex(row, column, 0) if 0 <= row < len(self._groups) else QModelIndex()
        if parent.internalId() != 0 or not 0 <= parent.row() < len(self._groups):
            return QModelIndex()
        group = self._groups[parent.row()]
        return self.createIndex(row, column, group.number) if 0 <= row < len(group.rows) else QModelIndex()

    def parent(self, index: QModelIndex = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        group = self._by_number.get(index.internalId())
        return self.createIndex(self._groups.index(group), 0, 0) if group is not None else QModelIndex()

    def rowCount(self, parent: QModelIndex = _ROOT) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._groups[parent.row()].rows)
        return 0

    def columnCount(self, parent: QModelIndex = _ROOT) -> int:
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._group_data(self._groups[index.row()], index.column(), role)
        row = self._by_number[index.internalId()].rows[index.row()]
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

    def _group_data(self, group: _Group, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            count = plural(len(group.rows), "finding")
            return (SEVERITY_LABELS[group.severity], group.code, count, group.name)[column]
        if role == GROUP_ROLE:
            return group.code
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return self.icons.get(group.severity)
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(f"{group.code} {group.name}: {plural(len(group.rows), 'finding')}")
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._column, self._order = column, order
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        held = [self._held(index) for index in before]
        for group in self._groups:
            group.rows.sort(key=self._key, reverse=self._reversed())
        self._groups.sort(key=self._group_key, reverse=self._reversed())
        self.changePersistentIndexList(before, [self._index_of_held(item) for item in held])
        self.layoutChanged.emit()

    # -- content ----------------------------------------------------------------------------

    def _key(self, row: _Row) -> tuple:
        return row.keys[self._column]

    def _group_key(self, group: _Group) -> tuple:
        return (group.code, group.rank) if self._column == 1 else (group.rank, group.code)

    def _reversed(self) -> bool:
        return self._order == Qt.SortOrder.DescendingOrder

    def _held(self, index: QModelIndex) -> tuple:
        """What a persistent index points at, to find again after the rows moved."""
        if index.internalId() == 0:
            return (self._groups[index.row()], None, index.column())
        group = self._by_number[index.internalId()]
        return (group, group.rows[index.row()], index.column())

    def _index_of_held(self, held: tuple) -> QModelIndex:
        group, row, column = held
        if group.code not in self._by_code:
            return QModelIndex()
        number = self._groups.index(group)
        if row is None:
            return self.createIndex(number, column, 0)
        return self.createIndex(group.rows.index(row), column, group.number)

    def _bisect(self, items: list, item, key) -> int:
        """Where ``item`` goes among ``items`` (sorted by ``key`` in the current order)."""
        wanted, reverse = key(item), self._reversed()
        low, high = 0, len(items)
        while low < high:
            middle = (low + high) // 2
            other = key(items[middle])
            if (other > wanted) if reverse else (other < wanted):
                low = middle + 1
            else:
                high = middle
        return low

    def _group_index(self, group: _Group) -> QModelIndex:
        return self.createIndex(self._groups.index(group), 0, 0)

    def group_index(self, code: str) -> QModelIndex:
        """The index of the group of rule ``code`` (invalid when none of its findings is shown)."""
        group = self._by_code.get(code)
        return self._group_index(group) if group is not None else QModelIndex()

    def set_findings(self, findings: list[Finding], label_of, changes: ResultChanges | None = None) -> None:
        """Show ``findings``, keeping the rows of those already shown; ``label_of`` names a finding's node.

        ``changes``, when they lead from the findings shown now to these, save comparing the two lists.
        """
        self.arrived = []
        if changes is not None and changes.previous.findings is self._source and changes.current.findings is findings:
            gone_keys, added = changes.gone_findings, changes.added_findings
        else:
            # Compared by tuples of their fields, in C: a finding's own hash and equality run in Python, and a
            # check of a 100,000-card org has thousands of them.
            new = dict(zip(map(FINDING_IDENTITY, findings), findings, strict=True))
            gone_keys = self._all.keys() - new.keys()
            added = [(key, finding) for key, finding in new.items() if key not in self._all]
        self._source = findings
        gone = [self._all.pop(key) for key in gone_keys]
        rows = [_Row(finding, label_of(finding)) for _, finding in added]
        self._all.update(zip([key for key, _ in added], rows, strict=True))
        gone = [row for row in gone if row.finding.severity in self.shown]
        shown = [row for row in rows if row.finding.severity in self.shown]
        if len(gone) + len(shown) > _RESET_ABOVE:
            self._rebuild()
            return
        touched = self._remove_rows(gone)
        for row in shown:
            touched.add(self._insert_row(row))
        self._refresh_groups(touched)

    def _remove_rows(self, gone: list[_Row]) -> set[str]:
        by_code: dict[str, set[int]] = {}
        for row in gone:
            by_code.setdefault(row.finding.code, set()).add(id(row))
        for code, ids in by_code.items():
            group = self._by_code[code]
            if len(ids) == len(group.rows):
                number = self._groups.index(group)
                self.beginRemoveRows(_ROOT, number, number)
                del self._groups[number], self._by_code[code], self._by_number[group.number]
                self.endRemoveRows()
                continue
            parent = self._group_index(group)
            numbers = [number for number, row in enumerate(group.rows) if id(row) in ids]
            for first, last in reversed(_runs(numbers)):
                self.beginRemoveRows(parent, first, last)
                del group.rows[first : last + 1]
                self.endRemoveRows()
        return {code for code in by_code if code in self._by_code}

    def _insert_row(self, row: _Row) -> str:
        code = row.finding.code
        group = self._by_code.get(code)
        if group is None:
            group = self._new_group(row.finding)
            group.rows.append(row)
            group.rerank()
            number = self._bisect(self._groups, group, self._group_key)
            self.beginInsertRows(_ROOT, number, number)
            self._groups.insert(number, group)
            self._by_code[code] = group
            self.endInsertRows()
            self.arrived.append(code)
            return code
        number = self._bisect(group.rows, row, self._key)
        self.beginInsertRows(self._group_index(group), number, number)
        group.rows.insert(number, row)
        self.endInsertRows()
        return code

    def _new_group(self, finding: Finding) -> _Group:
        self._numbers += 1
        group = _Group(finding.code, _rule_title(finding), self._numbers)
        self._by_number[group.number] = group
        return group

    def _refresh_groups(self, codes: set[str]) -> None:
        """The groups whose rows changed say so; when a group's worst severity changed, the groups are re-sorted."""
        moved = False
        for code in codes:
            group = self._by_code[code]
            rank = group.rank
            group.rerank()
            moved = moved or rank != group.rank
            number = self._groups.index(group)
            self.dataChanged.emit(self.createIndex(number, 0, 0), self.createIndex(number, len(COLUMNS) - 1, 0))
        if moved:
            self.sort(self._column, self._order)

    def set_shown(self, severities) -> None:
        """Show only the findings of these severities."""
        self.shown = set(severities)
        self._rebuild()

    def set_icons(self, icons: dict[str, QIcon]) -> None:
        self.icons = icons
        for number, group in enumerate(self._groups):
            self.dataChanged.emit(
                self.createIndex(number, 0, 0), self.createIndex(number, 0, 0), [Qt.ItemDataRole.DecorationRole]
            )
            if group.rows:
                self.dataChanged.emit(
                    self.createIndex(0, 0, group.number),
                    self.createIndex(len(group.rows) - 1, 0, group.number),
                    [Qt.ItemDataRole.DecorationRole],
                )

    def _rebuild(self) -> None:
        self.beginResetModel()
        self._groups, self._by_code, self._by_number = [], {}, {}
        for row in self._all.values():
            if row.finding.severity not in self.shown:
                continue
            group = self._by_code.get(row.finding.code)
            if group is None:
                group = self._by_code[row.finding.code] = self._new_group(row.finding)
                self._groups.append(group)
            group.rows.append(row)
        for group in self._groups:
            group.rows.sort(key=self._key, reverse=self._reversed())
            group.rerank()
        self._groups.sort(key=self._group_key, reverse=self._reversed())
        self.arrived = list(self._by_code)
        self.endResetModel()

    # -- findings in display order ---------------------------------------------------------

    def finding_count(self) -> int:
        return sum(len(group.rows) for group in self._groups)

    def findings(self) -> list[Finding]:
        """The shown findings, group after group, in display order."""
        return [row.finding for group in self._groups for row in group.rows]

    def finding_at(self, number: int) -> Finding | None:
        index = self.index_at(number)
        return index.data(FINDING_ROLE) if index.isValid() else None

    def index_at(self, number: int, column: int = 0) -> QModelIndex:
        """The index of the ``number``-th shown finding, counted through the groups in display order."""
        if number < 0:
            return QModelIndex()
        for group in self._groups:
            if number < len(group.rows):
                return self.createIndex(number, column, group.number)
            number -= len(group.rows)
        return QModelIndex()

    def number_of(self, index: QModelIndex) -> int | None:
        """The inverse of :meth:`index_at`; a group's row counts as just before its first finding."""
        if not index.isValid():
            return None
        group = self._groups[index.row()] if index.internalId() == 0 else self._by_number[index.internalId()]
        before = 0
        for other in self._groups:
            if other is group:
                break
            before += len(other.rows)
        return before - 1 if index.internalId() == 0 else before + index.row()

    def row_of(self, finding: Finding) -> int | None:
        index = self.index_of(finding)
        return self.number_of(index) if index.isValid() else None

    def index_of(self, finding: Finding, column: int = 0) -> QModelIndex:
        group = self._by_code.get(finding.code)
        if group is not None:
            for number, row in enumerate(group.rows):
                if row.finding == finding:
                    return self.createIndex(number, column, group.number)
        return QModelIndex()


def _rule_title(finding: Finding) -> str:
    """A group's heading: the rule's title as the catalog words it ("Team without a backlog owner")."""
    rule = get_rule(finding.code)
    return rule.title if rule is not None else finding.name


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as (first, last) runs of consecutive numbers."""
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and runs[-1][1] == number - 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs
