"""Generated HR exports of the shapes found in the wild, for the import tests.

``org_chart_rows`` writes what web org-chart libraries and many HR tools
export: ``id``, ``parentId``, ``name``, a position and an ``area``, and no team
column. ``hr_schema_rows`` follows the classic employees table of database
sample schemas: first and last names, email, ``job_id``/``job_title``,
``manager_id`` and ``department_id``. Both are deterministic for a seed.
"""

from __future__ import annotations

import csv
import random

FIRST = ("Ana", "Ben", "Chen", "Dara", "Eli", "Fatma", "Gus", "Hana", "Ivo", "Jun", "Kofi", "Lea", "Mo", "Nia")
LAST = ("Silva", "Okafor", "Berg", "Tanaka", "Novak", "Haddad", "Moreau", "Quispe", "Ivanova", "Kaur")
AREAS = ("Payments", "Search", "Mobile", "Platform", "Growth", "Data")


def _name(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name not in taken:
            taken.add(name)
            return name
        name = f"{name} {len(taken)}"
        if name not in taken:
            taken.add(name)
            return name


def org_chart_rows(
    seed: int = 7, areas: int = 4, teams_per_area: int = 2, engineers: int = 6, sales: int = 0
) -> list[list[str]]:
    """A tech company as an id/parentId export: CPO and CTO under a CEO, per area a PM, a PO, engineering managers.

    Each engineering manager has ``engineers`` developers and testers; ``sales``
    account executives report to a sales head and belong to no product team.
    """
    rng = random.Random(seed)
    taken: set[str] = set()
    rows = [["id", "parentId", "name", "positionName", "area"]]
    counter = iter(range(1, 100_000))

    def add(parent: str, title: str, area: str) -> str:
        key = str(next(counter))
        rows.append([key, parent, _name(rng, taken), title, area])
        return key

    ceo = add("", "Chief Executive Officer", "")
    cpo = add(ceo, "Chief Product Officer", "")
    cto = add(ceo, "CTO", "")
    for area in AREAS[:areas]:
        add(cpo, "Senior Product Manager", area)
        po = add(cpo, "Product Owner", area)
        director = add(cto, "Director of Engineering", area)
        for _ in range(teams_per_area):
            manager = add(director, "Engineering Manager", area)
            for index in range(engineers):
                add(
                    manager,
                    "QA Engineer" if index == 0 else rng.choice(("Software Engineer", "Senior Developer")),
                    area,
                )
        del po
    if sales:
        head = add(ceo, "Head of Sales", "Sales")
        for _ in range(sales):
            add(head, "Account Executive", "Sales")
    return rows


def hr_schema_rows() -> list[list[str]]:
    """An employees table in the manner of the classic HR sample schema (job titles joined from the jobs table)."""
    people = [
        (100, "Steven", "King", "AD_PRES", "President", "", 90),
        (101, "Neena", "Kochhar", "AD_VP", "Administration Vice President", 100, 90),
        (102, "Lex", "De Haan", "AD_VP", "Administration Vice President", 100, 90),
        (103, "Alexander", "Hunold", "IT_PROG", "Programmer", 102, 60),
        (104, "Bruce", "Ernst", "IT_PROG", "Programmer", 103, 60),
        (105, "David", "Austin", "IT_PROG", "Programmer", 103, 60),
        (106, "Valli", "Pataballa", "IT_PROG", "Programmer", 103, 60),
        (107, "Diana", "Lorentz", "IT_PROG", "Programmer", 103, 60),
        (108, "Nancy", "Greenberg", "FI_MGR", "Finance Manager", 101, 100),
        (109, "Daniel", "Faviet", "FI_ACCOUNT", "Accountant", 108, 100),
        (110, "John", "Chen", "FI_ACCOUNT", "Accountant", 108, 100),
        (114, "Den", "Raphaely", "PU_MAN", "Purchasing Manager", 100, 30),
        (115, "Alexander", "Khoo", "PU_CLERK", "Purchasing Clerk", 114, 30),
        (145, "John", "Russell", "SA_MAN", "Sales Manager", 100, 80),
        (150, "Peter", "Tucker", "SA_REP", "Sales Representative", 145, 80),
        (151, "David", "Bernstein", "SA_REP", "Sales Representative", 145, 80),
    ]
    rows = [["EMPLOYEE_ID", "FIRST_NAME", "LAST_NAME", "EMAIL", "JOB_ID", "JOB_TITLE", "MANAGER_ID", "DEPARTMENT_ID"]]
    for key, first, last, job, title, manager, department in people:
        rows.append(
            [
                str(key),
                first,
                last,
                (first[0] + last).upper().replace(" ", ""),
                job,
                title,
                str(manager),
                str(department),
            ]
        )
    return rows


def email_pair_rows() -> list[list[str]]:
    """People keyed by email, each naming their manager's email."""
    return [
        ["Employee Number", "Name", "Email", "Title", "Manager Email", "Department"],
        ["1", "Ada Berg", "ada@example.com", "VP Engineering", "", "Engineering"],
        ["2", "Bo Chen", "bo@example.com", "Product Owner", "ada@example.com", "Checkout"],
        ["3", "Cy Diaz", "cy@example.com", "Engineering Manager", "ada@example.com", "Checkout"],
        ["4", "Di Egan", "di@example.com", "Software Engineer", "cy@example.com", "Checkout"],
        ["5", "Ed Fox", "ed@example.com", "Software Engineer", "cy@example.com", "Checkout"],
        ["6", "Flo Gray", "flo@example.com", "QA Engineer", "cy@example.com", "Checkout"],
    ]


def write(path, rows) -> str:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return str(path)
