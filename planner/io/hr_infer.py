"""What an HR export leaves unsaid: derived columns, email pairs, teams inferred from reporting lines, loud warnings.

Many exports have no team column: web org-chart libraries and HR tools give
each person an ``id`` and a ``parentId`` (or a manager's email), a job title
and at most a department or area. The people with engineering titles who
report to one manager are that manager's team; this module names such teams
(after their department when it tells them apart, else after the manager),
sizes them by their members and reports what it inferred. It also splits
nothing and guesses nothing silently: :func:`draft_warnings` says when a
draft is most likely wrong (no links, most rows not counted) and which
column it could not find. :mod:`planner.io.hr_import` calls into it; no Qt.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

#: Words of a job title that make someone a member of a development team (compared as whole words).
ENGINEERING_WORDS = frozenset(
    {
        "engineer",
        "engineers",
        "engineering",
        "developer",
        "developers",
        "dev",
        "devs",
        "programmer",
        "prog",
        "coder",
        "swe",
        "sde",
        "sdet",
        "qa",
        "tester",
        "test",
        "sre",
        "devops",
        "architect",
        "scientist",
        "designer",
        "ux",
        "ui",
        "frontend",
        "backend",
        "fullstack",
        "full stack",
        "mobile",
        "ios",
        "android",
        "software",
        "ml",
        "scrum",
    }
)

#: Headers of a column holding an email address (compared reduced, as :func:`normalise_header` does).
EMAIL_HEADERS = ("email", "emailaddress", "workemail", "mail", "businessemail", "officeemail", "emailid")
FIRST_NAME_HEADERS = ("firstname", "givenname", "forename", "first")
LAST_NAME_HEADERS = ("lastname", "surname", "familyname", "last")
#: The name of the column made by joining first and last names.
JOINED_NAME = "Name (first + last)"

#: Share of the rows that must be drawn or counted into a team for a draft to pass without a warning.
MIN_COUNTED_SHARE = 0.5


class Person(Protocol):
    """What inference reads and writes of a person drafted by :mod:`planner.io.hr_import`."""

    row: int
    key: str
    name: str
    title: str
    team: str
    department: str
    role: str | None
    boss: str | None


@dataclass(frozen=True)
class InferredTeam:
    """A team made from reporting lines: its name, members' rows, and the manager and department it came from."""

    name: str
    members: tuple[int, ...]
    manager: str | None = None
    manager_name: str = ""
    department: str = ""

    @property
    def size(self) -> int:
        return len(self.members)

    def describe(self) -> str:
        """``Payments: 6 people reporting to Ana Silva (department Payments)``."""
        people = f"{self.size} {'person' if self.size == 1 else 'people'}"
        source = f"reporting to {self.manager_name}" if self.manager_name else "of one department"
        where = f" (department {self.department})" if self.department and self.department != self.name else ""
        return f"{self.name}: {people} {source}{where}"


@dataclass
class Inference:
    """The teams inferred and a sentence saying how; empty when the file had a team column."""

    teams: list[InferredTeam] = field(default_factory=list)
    note: str = ""


# -- columns ------------------------------------------------------------------------------


def _reduced(header: str) -> str:
    return re.sub(r"[\s_\-.#/()]+", "", header.replace("\ufeff", "")).casefold()


def _find(headers: Sequence[str], names: Sequence[str]) -> int | None:
    reduced = [_reduced(h) for h in headers]
    for name in names:
        if name in reduced:
            return reduced.index(name)
    return None


def with_derived_columns(headers: Sequence[str], rows: Sequence[Any]) -> tuple[list[str], list[Any]]:
    """Add a joined name column when the file has first and last names but no whole name.

    Classic HR schemas store ``first_name`` and ``last_name``; the joined
    column is offered like any other and chosen by the guess. Rows are
    ``TableRow``-like tuples (``number``, ``cells``) and are rebuilt with
    the extra cell.
    """
    first, last = _find(headers, FIRST_NAME_HEADERS), _find(headers, LAST_NAME_HEADERS)
    bare_name = _find(headers, ("name",))
    whole_name = _find(headers, ("fullname", "employeename", "displayname", "preferredname")) is not None
    if last is None or whole_name or JOINED_NAME in headers:
        return list(headers), list(rows)
    if first is None and bare_name is not None and _first_names_only(rows, bare_name, last):
        # Org-chart exports often pair a "name" holding the given name with a "lastName".
        first = bare_name
    elif first is None or bare_name is not None:
        return list(headers), list(rows)
    joined = []
    for row in rows:
        text = " ".join(part for part in (row.cells[first].strip(), row.cells[last].strip()) if part)
        joined.append(row._replace(cells=(*row.cells, text)))
    return [*headers, JOINED_NAME], joined


def _first_names_only(rows: Sequence[Any], name: int, last: int, sample: int = 200) -> bool:
    """Whether a "name" column beside a last-name column holds given names only: most rows lack the surname."""
    pairs = []
    for row in rows:
        given, surname = row.cells[name].strip().casefold(), row.cells[last].strip().casefold()
        if given and surname:
            pairs.append(surname not in given)
            if len(pairs) == sample:
                break
    return sum(pairs) * 2 > len(pairs)


def refine_mapping(headers: Sequence[str], mapping: dict[str, str | None]) -> dict[str, str | None]:
    """Adjust a guessed mapping for exports that pair a manager's email with each person's email.

    When the manager column holds email addresses, people must be keyed by
    their own email for the two to meet, so the id comes from the email column.
    """
    manager = mapping.get("manager")
    if manager and "mail" in _reduced(manager):
        email = _find(headers, EMAIL_HEADERS)
        if email is not None:
            mapping["id"] = headers[email]
    if JOINED_NAME in headers and (mapping.get("name") is None or _reduced(mapping["name"]) == "name"):
        mapping["name"] = JOINED_NAME
    return mapping


# -- teams from reporting lines ---------------------------------------------------------------


def _words(title: str) -> set[str]:
    text = re.sub(r"[^a-z0-9]+", " ", title.casefold())
    words = set(text.split())
    return words | {" ".join(pair) for pair in zip(text.split(), text.split()[1:], strict=False)}


@functools.lru_cache(maxsize=4096)
def is_engineering_title(title: str) -> bool:
    """Whether a job title names a member of a development team: "Senior Software Engineer", "IT_PROG", "QA".

    Examples
    --------
    >>> is_engineering_title("Senior Backend Developer")
    True
    >>> is_engineering_title("Account Executive")
    False
    """
    return bool(_words(title) & ENGINEERING_WORDS)


def infer_teams(people: Mapping[str, Person], *, titles: bool, managers: bool, departments: bool) -> Inference:
    """Form teams from reporting lines (or departments) and write each member's team name into ``person.team``.

    Members are the people not drawn as cards who manage nobody: with a title
    column, those with an engineering title (:func:`is_engineering_title`),
    unless no title in the file is one, in which case everyone. With a
    manager column the members reporting to one manager form a team; without
    one, the members of one department do.
    """
    if not managers and not departments:
        return Inference()
    bosses = {p.boss for p in people.values() if p.boss is not None}
    candidates = [p for p in people.values() if p.role is None and p.key not in bosses]
    engineers = [p for p in candidates if is_engineering_title(p.title)] if titles else []
    by_title = bool(engineers)
    members = engineers if by_title else candidates

    groups: dict[str, list[Person]] = {}
    for person in members:
        if managers and person.boss is not None:
            groups.setdefault(f"m:{person.boss}", []).append(person)
        elif departments and person.department:
            groups.setdefault(f"d:{_key(person.department)}", []).append(person)
    if not groups:
        return Inference()

    departments_of = {key: _majority_department(group) for key, group in groups.items()}
    # A department id ("60") tells teams apart but makes a poor name.
    named = {key: name if re.search(r"[^\W\d_]", name) else "" for key, name in departments_of.items()}
    department_uses = Counter(_key(d) for d in named.values() if d)
    # Managers who share a name (two "John Smith"s) are told apart by their ids.
    manager_names = Counter(_key(people[key[2:]].name) for key in groups if key.startswith("m:"))
    teams: list[InferredTeam] = []
    taken: set[str] = set()
    for key, group in sorted(groups.items(), key=lambda item: min(p.row for p in item[1])):
        manager = people[key[2:]] if key.startswith("m:") else None
        department = named[key]
        who = ""
        if manager is not None:
            who = manager.name if manager_names[_key(manager.name)] == 1 else f"{manager.name}, {manager.key}"
        if department and department_uses[_key(department)] == 1:
            name = department
        elif department and manager is not None:
            name = f"{department} ({who})"
        elif manager is not None:
            name = f"Team {who}"
        else:
            name = f"Department {departments_of[key]}"
        base, counter = name, 2
        while _key(name) in taken:
            name, counter = f"{base} {counter}", counter + 1
        taken.add(_key(name))
        for person in group:
            person.team = name
        teams.append(
            InferredTeam(
                name,
                tuple(sorted(p.row for p in group)),
                manager.key if manager else None,
                manager.name if manager else "",
                departments_of[key],
            )
        )
    counted = sum(team.size for team in teams)
    how = "reporting to one manager" if managers else "in one department"
    who = "the people with engineering titles" if by_title else "the people who manage nobody"
    note = (
        f"No team column: {len(teams)} team{'s' if len(teams) != 1 else ''} inferred from "
        f"{'reporting lines' if managers else 'departments'} ({who} {how} form a team), holding {counted} "
        f"{'person' if counted == 1 else 'people'}."
    )
    return Inference(teams, note)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _majority_department(group: Sequence[Person]) -> str:
    counts = Counter(p.department.strip() for p in group if p.department.strip())
    if not counts:
        return ""
    return max(counts, key=lambda name: (counts[name], -min(p.row for p in group if p.department.strip() == name)))


def team_lines(
    people: Mapping[str, Person], inference: Inference, drawn_manager: Callable[[Person], str | None]
) -> list[tuple[str, str, str]]:
    """(team name, person key, link kind) for each inferred team: it reports to its nearest drawn manager.

    A product owner who line-manages the team owns its backlog; so does the
    only product owner of the team's department, when there is exactly one.
    """
    owners_by_department: dict[str, list[str]] = {}
    for person in people.values():
        if person.role == "product_owner" and person.department.strip():
            owners_by_department.setdefault(_key(person.department), []).append(person.key)
    lines = []
    for team in inference.teams:
        owner = None
        if team.manager is not None:
            manager = people[team.manager]
            target = team.manager if manager.role is not None else drawn_manager(manager)
            if target is not None:
                lines.append((team.name, target, "reports_to"))
            if manager.role == "product_owner":
                owner = team.manager
        same_department = owners_by_department.get(_key(team.department), []) if team.department else []
        if owner is None and len(same_department) == 1:
            owner = same_department[0]
        if owner is not None:
            lines.append((team.name, owner, "owns_backlog"))
    return lines


# -- loud warnings ---------------------------------------------------------------------------------


def draft_warnings(result: Any, synonyms: Mapping[str, Sequence[str]], labels: Mapping[str, str]) -> list[str]:
    """Why a drafted org is most likely not what the user wanted, one sentence each; empty when it looks sound.

    ``result`` is an :class:`~planner.io.hr_import.ImportResult`. A draft with
    no links, or one that draws or counts fewer than half of the rows, is
    worth a loud word naming the column that was missing.
    """
    org, mapping = result.org, result.mapping
    warnings: list[str] = []

    def missing(field_name: str) -> str:
        examples = ", ".join(synonyms[field_name][:6])
        return (
            f"no {labels[field_name].lower()} column was found (looked for {examples}...; set one with --map "
            f"{field_name}=COLUMN)"
        )

    people_drawn = sum(1 for node in org.nodes() if node.kind in ("leader", "product_manager", "product_owner"))
    counted = people_drawn + sum(node.size or 0 for node in org.nodes() if node.kind == "dev_team")
    if len(org) and org.number_of_links() == 0:
        if not mapping.get("manager"):
            why = missing("manager")
        elif not mapping.get("title"):
            why = missing("title")
        elif people_drawn == 0:
            why = (
                f"no job title in column {mapping['title']!r} names a product owner, product manager or leader "
                "(docs/importing.md lists the titles recognised)"
            )
        else:
            why = f"nobody's manager in column {mapping['manager']!r} matched another row's id"
        warnings.append(f"the draft has no links: {why}")
    elif not len(org):
        warnings.append("the draft is empty: no row names a product role, a team or a manager of a team")
    if result.people and counted < MIN_COUNTED_SHARE * result.people:
        if not mapping.get("team") and not mapping.get("manager") and not mapping.get("department"):
            why = missing("team")
        elif not mapping.get("title"):
            why = missing("title")
        else:
            why = "the others are neither product roles nor members of a team (see the rows listed)"
        warnings.append(f"only {counted} of {result.people} rows are drawn or counted into a team: {why}")
    return warnings
