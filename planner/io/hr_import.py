"""Turn an HR export (one row per person) into a first draft of the product org.

The file is a CSV or an XLSX sheet with a header row. Its columns are matched
to six fields (employee id, name, job title, manager id, team, product) by
:func:`guess_mapping`, which the user can correct. Job titles decide who is
drawn (:func:`role_for_title`: product owners, product managers and leaders);
everyone else is counted into the ``size`` of their team. Reporting lines
are kept between drawn people, skipping the undrawn managers in between;
product owners own their team's backlog, product managers their product's
strategy, and a team builds the product most of its members name. Every row
that cannot be used is reported with its spreadsheet row number (the header
is row 1); nothing is left out without a word. docs/importing.md describes
the column synonyms and the title table for users.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from planner.collector import collector_paused
from planner.io.errors import LoadError, Problem
from planner.io.hr_infer import Inference, infer_teams, refine_mapping, team_lines, with_derived_columns
from planner.io.hr_table import MAX_SHEET_ROWS, MAX_TABLE_BYTES, TableRow, _xlsx_text, read_table  # noqa: F401 (still importable from here)
from planner.io.hr_titles import role_for_title
from planner.layout import layered_layout
from planner.model.org import Link, Node, Org
from planner.model.vocabulary import (
    BUILDS,
    DEV_TEAM,
    OWNS_BACKLOG,
    OWNS_STRATEGY,
    PRODUCT,
    PRODUCT_MANAGER,
    PRODUCT_OWNER,
    REPORTS_TO,
)

#: The fields an HR row can fill, in the order the dialog shows them.
FIELDS: tuple[str, ...] = ("id", "name", "title", "manager", "team", "product", "department")

FIELD_LABELS: dict[str, str] = {
    "id": "Employee id",
    "name": "Name",
    "title": "Job title",
    "manager": "Manager id",
    "team": "Team",
    "product": "Product",
    "department": "Department",
}

#: Header names recognised for each field, compared without case, spaces, underscores, dashes or dots.
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": (
        "employeeid",
        "id",
        "empid",
        "employeenumber",
        "employeeno",
        "empno",
        "personid",
        "personnelnumber",
        "staffid",
        "workerid",
        "userid",
        "badgeid",
        "key",
        "nodeid",
    ),
    "name": ("fullname", "name", "employeename", "displayname", "employee", "person", "preferredname", "staffname"),
    "title": (
        "jobtitle",
        "title",
        "position",
        "positiontitle",
        "positionname",
        "role",
        "jobrole",
        "designation",
        "jobname",
        "job",
        "jobid",
    ),
    "manager": (
        "managerid",
        "manageremployeeid",
        "reportsto",
        "reportstoid",
        "supervisorid",
        "linemanagerid",
        "managernumber",
        "managerno",
        "manager",
        "supervisor",
        "linemanager",
        "reportingto",
        "directmanager",
        # org-chart libraries and HR tools that store a tree
        "parentid",
        "parent",
        "pid",
        "parentkey",
        "parentnodeid",
        "parentemployeeid",
        "manageremail",
        "supervisoremail",
        "linemanageremail",
        "reportstoemail",
    ),
    "team": ("team", "teamname", "squad", "squadname", "scrumteam", "devteam", "crew", "pod"),
    "product": ("product", "productname", "productline", "productarea", "products"),
    "department": (
        "department",
        "departmentname",
        "dept",
        "deptname",
        "area",
        "division",
        "unit",
        "businessunit",
        "orgunit",
        "function",
        "departmentid",
        "deptid",
    ),
}

# -- columns -------------------------------------------------------------------


def normalise_header(header: str) -> str:
    """A column name reduced for comparison: no case, spaces, underscores, dashes, dots or byte-order mark."""
    return re.sub(r"[\s_\-.#/()]+", "", header.replace("\ufeff", "")).casefold()


def guess_mapping(headers: Sequence[str]) -> dict[str, str | None]:
    """The column each field most likely comes from (None when no column fits); each column is used once.

    Exact synonyms win; then a header that contains a long synonym
    ("Employee ID (HR)") is taken for a field still without a column.
    """
    normalised = [normalise_header(h) for h in headers]
    mapping: dict[str, str | None] = dict.fromkeys(FIELDS)
    used: set[int] = set()
    for field_name in FIELDS:
        for synonym in COLUMN_SYNONYMS[field_name]:
            position = next((i for i, h in enumerate(normalised) if h == synonym and i not in used), None)
            if position is not None:
                mapping[field_name] = headers[position]
                used.add(position)
                break
    for field_name in FIELDS:
        if mapping[field_name] is not None:
            continue
        for synonym in (s for s in COLUMN_SYNONYMS[field_name] if len(s) >= 6):
            position = next((i for i, h in enumerate(normalised) if synonym in h and i not in used), None)
            if position is not None:
                mapping[field_name] = headers[position]
                used.add(position)
                break
    return mapping


def resolve_column(headers: Sequence[str], wanted: str) -> str | None:
    """The header a user meant by ``wanted``: exactly, else ignoring case, spaces and underscores."""
    if wanted in headers:
        return wanted
    key = normalise_header(wanted)
    return next((h for h in headers if normalise_header(h) == key), None)


# -- building the org ---------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    """A row that could not be used as it stands, and what was done about it."""

    row: int
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


@dataclass
class ImportResult:
    """The drafted org, every row problem (sorted by row), the mapping used and the number of people read."""

    org: Org
    problems: list[RowProblem] = field(default_factory=list)
    mapping: dict[str, str | None] = field(default_factory=dict)
    people: int = 0
    #: Teams made from reporting lines or departments when the file has no team column.
    inference: Inference = field(default_factory=Inference)


@dataclass(slots=True)
class _Person:
    row: int
    key: str
    name: str
    title: str
    manager: str
    team: str
    product: str
    role: str | None = None
    boss: str | None = None  # key of the resolved manager
    department: str = ""


def _canonical_id(text: str) -> str:
    text = text.strip()
    # Spreadsheets turn numeric ids into floats on the way out: 1001 → "1001.0".
    # (str.isdecimal is what re's \d matches: Unicode decimal digits; "" is not decimal.)
    return text[:-2] if text.endswith(".0") and text[:-2].isdecimal() else text


def _squeezed(text: str) -> str:
    """Runs of whitespace made one space, none at the ends (what ``re.sub(r"\\s+", " ", text).strip()`` gives)."""
    return " ".join(text.split())


def _group_key(text: str) -> str:
    return _squeezed(text).casefold()


_NAME_SEPARATORS = re.compile(r"[;|]")


def _split_names(text: str) -> list[str]:
    if ";" not in text and "|" not in text:
        text = text.strip()
        return [text] if text else []
    return [part.strip() for part in _NAME_SEPARATORS.split(text) if part.strip()]


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(text: str) -> str:
    return _NOT_SLUG.sub("-", text.casefold()).strip("-") or "unnamed"


def _check_mapping(headers: Sequence[str], mapping: Mapping[str, str | None]) -> dict[str, int | None]:
    positions: dict[str, int | None] = {}
    for field_name in FIELDS:
        column = mapping.get(field_name)
        if column is None or column == "":
            positions[field_name] = None
            continue
        if column not in headers:
            raise ValueError(f"there is no column {column!r} for the {FIELD_LABELS[field_name].lower()}")
        positions[field_name] = list(headers).index(column)
    unknown = set(mapping) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown field {sorted(unknown)[0]!r} (expected one of {', '.join(FIELDS)})")
    if positions["name"] is None:
        raise ValueError("choose the column that holds people's names")
    return positions


def build_org(
    headers: Sequence[str], rows: Sequence[TableRow], mapping: Mapping[str, str | None], name: str = "Imported org"
) -> ImportResult:
    """Draft the org from rows already read; raise ValueError when the mapping names no usable name column."""
    positions = _check_mapping(headers, mapping)
    problems: list[RowProblem] = []

    people: dict[str, _Person] = {}
    skipped_ids: dict[str, int] = {}
    pick = _cell_picker(positions)
    roles: dict[str, str | None] = {}  # each title's role, worked out once
    by_id = positions["id"] is not None
    for row in rows:
        person_name, raw_id, title, manager, team, product, department = map(str.strip, pick(row.cells))
        # _canonical_id of cells already stripped, written out: it runs twice for each of 300,000 rows.
        if not by_id:
            person_id = f"row-{row.number}"
        elif raw_id.endswith(".0") and raw_id[:-2].isdecimal():
            person_id = raw_id[:-2]
        else:
            person_id = raw_id
        if not person_id:
            problems.append(RowProblem(row.number, "empty employee id; row skipped"))
            continue
        if not person_name:
            problems.append(RowProblem(row.number, f"empty name for id {person_id!r}; row skipped"))
            skipped_ids.setdefault(person_id, row.number)
            continue
        if person_id in people:
            first = people[person_id]
            message = f"duplicate id {person_id!r} (already {first.name} on row {first.row}); row skipped"
            problems.append(RowProblem(row.number, message))
            continue
        role = roles[title] if title in roles else roles.setdefault(title, role_for_title(title))
        if manager.endswith(".0") and manager[:-2].isdecimal():
            manager = manager[:-2]
        people[person_id] = _Person(
            row.number, person_id, person_name, title, manager, team, product, role, department=department
        )

    _resolve_managers(people, skipped_ids, problems, by_id=positions["id"] is not None)
    _break_cycles(people, problems)
    inference = Inference()
    if positions["team"] is None:
        inference = infer_teams(
            people,
            titles=positions["title"] is not None,
            managers=positions["manager"] is not None,
            departments=positions["department"] is not None,
        )
    org = Org(name)
    _add_nodes_and_links(org, people, problems)
    _link_inferred_teams(org, people, inference)
    problems.sort(key=lambda p: p.row)
    return ImportResult(org, problems, dict(mapping), len(rows), inference)


def _cell_picker(positions: dict[str, int | None]):
    """A row's cells → its name, id, title, manager, team, product and department cells, in C ("" for no column)."""
    picks = [positions[name] for name in ("name", "id", "title", "manager", "team", "product", "department")]
    if None not in picks:
        return itemgetter(*picks)
    getter = itemgetter(*(-1 if position is None else position for position in picks))
    return lambda cells: getter((*cells, ""))


def _link_inferred_teams(org: Org, people: dict[str, _Person], inference: Inference) -> None:
    team_ids = {node.name: node.id for node in org.nodes() if node.kind == DEV_TEAM}
    for team, target, kind in team_lines(people, inference, lambda person: _drawn_manager(people, person)):
        if team in team_ids and target in org:
            candidate = Link(team_ids[team], target, kind) if kind == REPORTS_TO else Link(target, team_ids[team], kind)
            if not org.has_link(candidate):
                org.add_link(candidate)


def _resolve_managers(
    people: dict[str, _Person], skipped_ids: dict[str, int], problems: list[RowProblem], by_id: bool
) -> None:
    by_name: dict[str, list[_Person]] | None = None  # made when a manager is not found by id
    for person in people.values():
        wanted = person.manager
        if not wanted:
            continue
        if wanted in people:
            boss = people[wanted]
        else:
            # Some exports give the manager's name rather than an id.
            if by_name is None:
                by_name = _people_by_name(people)
            namesakes = by_name.get(_group_key(wanted), [])
            if len(namesakes) == 1:
                boss = namesakes[0]
            elif len(namesakes) > 1:
                rows = ", ".join(str(p.row) for p in namesakes)
                message = f"manager {wanted!r} matches several people (rows {rows}); imported without a manager"
                problems.append(RowProblem(person.row, message))
                continue
            elif wanted in skipped_ids:
                problems.append(
                    RowProblem(
                        person.row,
                        f"manager id {wanted!r} is on row {skipped_ids[wanted]}, which was skipped; "
                        "imported without a manager",
                    )
                )
                continue
            else:
                what = "manager id" if by_id else "manager: nobody named"
                problems.append(RowProblem(person.row, f"unknown {what} {wanted!r}; imported without a manager"))
                continue
        if boss is person:
            problems.append(RowProblem(person.row, "is their own manager; imported without a manager"))
            continue
        person.boss = boss.key


def _people_by_name(people: dict[str, _Person]) -> dict[str, list[_Person]]:
    by_name: dict[str, list[_Person]] = {}
    for person in people.values():
        by_name.setdefault(_group_key(person.name), []).append(person)
    return by_name


def _break_cycles(people: dict[str, _Person], problems: list[RowProblem]) -> None:
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = done
    for start in people:
        if start in state:
            continue
        walk: list[str] = []
        key: str | None = start
        while key is not None and key not in state:
            state[key] = 1
            walk.append(key)
            key = people[key].boss
        if key is not None and state[key] == 1:
            cycle = walk[walk.index(key) :]
            names = " → ".join(people[k].name for k in cycle + [cycle[0]])
            # Drop the manager of the earliest row: a rule anyone can follow by hand.
            breaker = min(cycle, key=lambda k: people[k].row)
            for member in cycle:
                note = "; its manager was dropped to break the cycle" if member == breaker else ""
                problems.append(RowProblem(people[member].row, f"reporting cycle {names}{note}"))
            people[breaker].boss = None
        state.update(dict.fromkeys(walk, 2))


def _drawn_manager(people: dict[str, _Person], person: _Person) -> str | None:
    key = person.boss
    while key is not None:
        boss = people[key]
        if boss.role is not None:
            return key
        key = boss.boss
    return None


class _Groups:
    """Teams or products met in the file, merged by name without case or extra spaces."""

    def __init__(self, prefix: str, taken: set[str]) -> None:
        self.prefix, self.taken = prefix, taken
        self.names: dict[str, str] = {}
        self.ids: dict[str, str] = {}
        #: Each text met to its key: a company names a few hundred teams for a hundred thousand people.
        self.keys: dict[str, str] = {}

    def key(self, text: str) -> str:
        key = self.keys.get(text)
        if key is None:
            key = self.keys[text] = _group_key(text)
            self.names.setdefault(key, _squeezed(text))
        return key

    def node_id(self, key: str) -> str:
        if key not in self.ids:
            base = candidate = f"{self.prefix}-{_slug(self.names[key])}"
            counter = 2
            while candidate in self.taken:
                candidate, counter = f"{base}-{counter}", counter + 1
            self.taken.add(candidate)
            self.ids[key] = candidate
        return self.ids[key]


@dataclass
class _Draft:
    """What the rows say before any node is made: the teams and products met, their sizes and owners."""

    teams: _Groups
    products: _Groups
    team_size: Counter[str] = field(default_factory=Counter)
    team_votes: dict[str, Counter[str]] = field(default_factory=dict)
    backlog_owners: list[tuple[str, str]] = field(default_factory=list)
    strategy_owners: list[tuple[str, str]] = field(default_factory=list)


def _add_nodes_and_links(org: Org, people: dict[str, _Person], problems: list[RowProblem]) -> None:
    taken = set(people)
    draft = _Draft(_Groups("team", taken), _Groups("product", taken))
    managers = {p.boss for p in people.values() if p.boss is not None}
    # An undrawn person counts into their team's size and votes for the product they name; written out here,
    # with each text's key looked up first, as it runs for most of 300,000 people.
    teams, products, sizes, all_votes = draft.teams, draft.products, draft.team_size, draft.team_votes
    team_keys, product_keys = teams.keys, products.keys
    for person in people.values():
        if person.role is not None:
            _note_ownership(draft, person)
        elif person.team:
            team = team_keys.get(person.team) or teams.key(person.team)
            sizes[team] += 1
            votes = all_votes.get(team)
            if votes is None:
                votes = all_votes[team] = Counter()
            if person.product:
                votes[product_keys.get(person.product) or products.key(person.product)] += 1
        elif person.key not in managers:
            what = f"{person.name} ({person.title or 'no title'}) has no team; not counted"
            problems.append(RowProblem(person.row, what))
    built = _add_nodes(org, people, draft)
    _add_links(org, people, draft, built)


def _note_ownership(draft: _Draft, person: _Person) -> None:
    """A product owner owns their teams' backlogs; a product manager their products' strategy."""
    if person.role == PRODUCT_OWNER:
        for team_name in _split_names(person.team):
            team = draft.teams.key(team_name)
            draft.backlog_owners.append((person.key, team))
            votes = draft.team_votes.get(team)
            if votes is None:
                votes = draft.team_votes[team] = Counter()
            if person.product:
                votes[draft.products.key(_split_names(person.product)[0])] += 1
    elif person.role == PRODUCT_MANAGER:
        for product_name in _split_names(person.product):
            draft.strategy_owners.append((person.key, draft.products.key(product_name)))


def _add_nodes(org: Org, people: dict[str, _Person], draft: _Draft) -> dict[str, str | None]:
    """Add the drawn people, the teams and the products; return the product each team builds (or None)."""
    teams, products = draft.teams, draft.products
    nodes = [
        Node(person.key, person.role, person.name, title=person.title)
        for person in people.values()
        if person.role is not None
    ]
    for team in draft.team_votes:
        nodes.append(Node(teams.node_id(team), DEV_TEAM, teams.names[team], size=draft.team_size.get(team) or None))
    order = {key: position for position, key in enumerate(products.names)}
    built = {team: _majority(votes, order) for team, votes in draft.team_votes.items()}
    wanted_products = {product for _, product in draft.strategy_owners} | {p for p in built.values() if p is not None}
    for product in sorted(wanted_products, key=order.__getitem__):
        nodes.append(Node(products.node_id(product), PRODUCT, products.names[product]))
    org.add_many(nodes)  # in bulk, in this order: what add_node one by one would make
    return built


def _add_links(org: Org, people: dict[str, _Person], draft: _Draft, built: dict[str, str | None]) -> None:
    """Reporting lines between drawn people, ownership links, and each team to the product it builds."""
    teams, products = draft.teams, draft.products
    # Each link once, in the order first met (a dict keeps it), then all added in bulk.
    links: dict[tuple[str, str, str], None] = {}
    for person in people.values():
        if person.role is not None:
            boss = _drawn_manager(people, person)
            if boss is not None:
                links[person.key, boss, REPORTS_TO] = None
    for owner, team in draft.backlog_owners:
        links[owner, teams.node_id(team), OWNS_BACKLOG] = None
    for owner, product in draft.strategy_owners:
        links[owner, products.node_id(product), OWNS_STRATEGY] = None
    for team, product in built.items():
        if product is not None:
            links[teams.node_id(team), products.node_id(product), BUILDS] = None
    org.add_many((), links)


def _majority(votes: Counter[str], order: dict[str, int]) -> str | None:
    if not votes:
        return None
    # Ties go to the product named first in the file, so the result never depends on hashing.
    return max(votes, key=lambda product: (votes[product], -order[product]))


def place_nodes(org: Org) -> None:
    """Lay the drafted org out with the planner's layered layout."""
    org.move_nodes(layered_layout(org))


def org_name_for(path: str | Path) -> str:
    """The name a drafted org gets from its file: ``acme_people.csv`` → ``acme people``."""
    return Path(path).stem.replace("_", " ").replace("-", " ").strip() or "Imported org"


def import_people(path: str | Path, mapping: Mapping[str, str | None] | None = None) -> ImportResult:
    """Read an HR export and draft a laid-out org from it.

    ``mapping`` (field → column) overrides the guessed columns for the fields
    it names. Raises :class:`LoadError` when the file cannot be read, or when
    no column holds people's names.
    """
    path = Path(path)
    # Reading and drafting make hundreds of thousands of objects and free few: the collector would scan
    # them again and again (see planner.collector); they make no reference cycles.
    with collector_paused():
        headers, rows = with_derived_columns(*read_table(path))
        chosen = refine_mapping(headers, guess_mapping(headers))
        for field_name, column in (mapping or {}).items():
            chosen[field_name] = column or None
        try:
            result = build_org(headers, rows, chosen, name=org_name_for(path))
        except ValueError as exc:
            raise LoadError(path, Problem(str(exc), where="header row")) from None
        del rows  # the cells of every row: let them go before the layout needs its memory
        place_nodes(result.org)
    return result
