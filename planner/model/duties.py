"""The duty catalog and the responsibility matrix (RACI) of a product, with no Qt.

The links say who owns a product's strategy and who owns its teams' backlogs;
behind each of those two bundles sit concrete duties (the roadmap, pricing,
ordering the backlog, accepting the work...). This module names them, with
stable ids that are part of the published vocabulary, and defines the shape
of a product's matrix: ``{duty id: {person id: "R" | "A" | "C" | "I"}}``.

A product with no matrix of its own follows its links (:func:`derived_matrix`):
its strategy owners are accountable for the strategy duties and the backlog
owners of the teams that build it for the execution duties. A matrix written
by hand (in the editor, or in the file) is stored on the
:class:`~planner.model.org.Org` and checked against the links by the DUT rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

STRATEGY = "strategy"
EXECUTION = "execution"
HORIZONS: tuple[str, ...] = (STRATEGY, EXECUTION)

#: The RACI letters, in the order a cell cycles through them.
RESPONSIBLE, ACCOUNTABLE, CONSULTED, INFORMED = "R", "A", "C", "I"
RACI: tuple[str, ...] = (RESPONSIBLE, ACCOUNTABLE, CONSULTED, INFORMED)
RACI_LABELS: dict[str, str] = {
    RESPONSIBLE: "Responsible",
    ACCOUNTABLE: "Accountable",
    CONSULTED: "Consulted",
    INFORMED: "Informed",
}

#: A product's matrix: duty id → person id → RACI letter.
Matrix = dict[str, dict[str, str]]


@dataclass(frozen=True)
class Duty:
    """One duty of a product: a stable id, its horizon (strategy or execution), a label and what it means."""

    id: str
    horizon: str
    label: str
    description: str


DUTY_LIST: tuple[Duty, ...] = (
    Duty(
        "vision",
        STRATEGY,
        "Vision",
        "Says why the product exists, whom it serves and what it should become in a few years.",
    ),
    Duty(
        "market_research",
        STRATEGY,
        "Market and competitor research",
        "Studies customers, the market and the competition, and brings what it learns back to the product.",
    ),
    Duty(
        "roadmap",
        STRATEGY,
        "Roadmap",
        "Lays out the big steps over the coming quarters and years, and keeps that plan current.",
    ),
    Duty(
        "pricing",
        STRATEGY,
        "Pricing and positioning",
        "Decides what the product costs and how it is placed against the alternatives.",
    ),
    Duty(
        "go_to_market",
        STRATEGY,
        "Go-to-market and launch",
        "Plans launches with marketing and sales so that what is built reaches its buyers.",
    ),
    Duty(
        "business_results",
        STRATEGY,
        "Business results",
        "Answers for revenue, adoption, retention and satisfaction, and acts when they slip.",
    ),
    Duty(
        "external_stakeholders",
        STRATEGY,
        "External stakeholders",
        "Keeps customers, executives and partners aligned with where the product is going.",
    ),
    Duty(
        "backlog",
        EXECUTION,
        "Backlog ordering and refinement",
        "Keeps one ordered product backlog, fills it, refines it and decides what comes next.",
    ),
    Duty(
        "sprint_goals",
        EXECUTION,
        "Sprint goals",
        "Agrees with the team, sprint by sprint, what the next increment is meant to achieve.",
    ),
    Duty(
        "acceptance_criteria",
        EXECUTION,
        "User stories and acceptance criteria",
        "Writes the stories and says, before the work starts, how everyone will know it is done.",
    ),
    Duty(
        "accept_work",
        EXECUTION,
        "Accepting delivered work",
        "Looks at what the team delivered and accepts it, or sends it back.",
    ),
    Duty(
        "internal_stakeholders",
        EXECUTION,
        "Internal stakeholders",
        "Represents sales, support, legal and the other departments to the team, and the team to them.",
    ),
    Duty(
        "team_questions",
        EXECUTION,
        "Clarifying requirements with the team",
        "Is there for the team's questions during the sprint, so that work does not stall or drift.",
    ),
)

#: The catalog by id, in catalog order (strategy duties first).
DUTIES: dict[str, Duty] = {duty.id: duty for duty in DUTY_LIST}
STRATEGY_DUTIES: tuple[str, ...] = tuple(d.id for d in DUTY_LIST if d.horizon == STRATEGY)
EXECUTION_DUTIES: tuple[str, ...] = tuple(d.id for d in DUTY_LIST if d.horizon == EXECUTION)


def duties_phrase(duties: Iterable[str], limit: int = 4) -> str:
    """Duties in words: ``every duty``, ``the strategy duties``, ``pricing and positioning and roadmap``..."""
    chosen = [d for d in DUTIES if d in set(duties)]
    if len(chosen) == len(DUTIES):
        return "every duty"
    for horizon, ids in ((STRATEGY, STRATEGY_DUTIES), (EXECUTION, EXECUTION_DUTIES)):
        if tuple(chosen) == ids:
            return f"the {horizon} duties"
    labels = [DUTIES[d].label.lower() for d in chosen]
    if len(labels) <= 1:
        return "".join(labels)
    if len(labels) > limit:
        return ", ".join(labels[: limit - 1]) + f" and {len(labels) - limit + 1} more"
    return ", ".join(labels[:-1]) + " and " + labels[-1]


class DutyError(ValueError):
    """A matrix that names an unknown duty, a letter that is not R, A, C or I, or a malformed shape."""


def derived_matrix(strategy_owners: Iterable[str], backlog_owners: Iterable[str]) -> Matrix:
    """The matrix the links imply: strategy owners accountable for strategy, backlog owners for execution.

    >>> derived_matrix(["pm"], ["po"])["roadmap"], derived_matrix(["pm"], ["po"])["backlog"]
    ({'pm': 'A'}, {'po': 'A'})
    """
    strategy = dict.fromkeys(strategy_owners, ACCOUNTABLE)
    execution = dict.fromkeys(backlog_owners, ACCOUNTABLE)
    return {duty: dict(strategy if duty in STRATEGY_DUTIES else execution) for duty in DUTIES}


def accountable(matrix: Mapping[str, Mapping[str, str]], duty: str) -> list[str]:
    """The people accountable for ``duty`` in ``matrix``, in the matrix's order."""
    return [person for person, letter in matrix.get(duty, {}).items() if letter == ACCOUNTABLE]


def clean_matrix(matrix: Any, is_person: Any = None) -> Matrix:
    """Check a product's matrix and return a normalised copy: duties in catalog order, empty rows dropped.

    ``is_person``, when given, is called with each person id and must say whether it names a person of the org.
    Raises :class:`DutyError` naming the duty or the person at fault.
    """
    if not isinstance(matrix, Mapping):
        raise DutyError("a product's duties must be an object of duty id → {person id: R, A, C or I}")
    for duty in matrix:
        if duty not in DUTIES:
            raise DutyError(f"unknown duty {duty!r} (expected one of {', '.join(DUTIES)})")
    clean: Matrix = {}
    for duty in DUTIES:
        row = matrix.get(duty)
        if row is None:
            continue
        if not isinstance(row, Mapping):
            raise DutyError(f"{duty}: must be an object of person id → R, A, C or I")
        cells: dict[str, str] = {}
        for person, letter in row.items():
            if not isinstance(person, str) or not person.strip():
                raise DutyError(f"{duty}: a person id must be text, not {person!r}")
            if letter not in RACI:
                raise DutyError(f"{duty}.{person}: must be one of R, A, C, I, not {letter!r}")
            if is_person is not None and not is_person(person):
                raise DutyError(f"{duty}.{person}: no person (product manager, product owner or leader) has that id")
            cells[person] = letter
        if cells:
            clean[duty] = dict(sorted(cells.items()))
    return clean


def with_cell(matrix: Mapping[str, Mapping[str, str]], duty: str, person: str, letter: str | None) -> Matrix:
    """A copy of ``matrix`` with one cell set (``letter`` None empties it)."""
    if duty not in DUTIES:
        raise DutyError(f"unknown duty {duty!r}")
    if letter is not None and letter not in RACI:
        raise DutyError(f"a cell holds R, A, C or I, not {letter!r}")
    copy = {d: dict(row) for d, row in matrix.items()}
    row = copy.setdefault(duty, {})
    if letter is None:
        row.pop(person, None)
    else:
        row[person] = letter
    return {d: dict(sorted(r.items())) for d, r in copy.items() if r}
