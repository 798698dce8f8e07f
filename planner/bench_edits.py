"""The benchmark's edits: one of each kind the editor makes, and the editor's re-analysis after each.

The window's background check keeps its analysis from edit to edit
(:class:`planner.analysis.incremental.LiveCheck`) and brings it up to date
after each burst of edits. :func:`reanalysis_after_edits` times that update
after each kind of edit below, made on the org itself (its mirror's copy
caught up first, as the window does, untimed); :func:`gaps_after_edits` times
the gaps panel showing each result, told what changed as the window tells it.
No Qt here but in the latter's import.
"""

from __future__ import annotations

import gc
import itertools
import time
from collections.abc import Callable

from planner.model.org import Link, Node, Org

_ROUNDS = itertools.count(1)

#: name → edit(org, number): each call a change of its own (number counts the calls of one kind).
Edit = Callable[[Org, int], object]


def _first(org: Org, kind: str, skip: int = 0) -> str:
    """The ``skip``-th node of this kind (counting round when the org has fewer)."""
    ids = [node.id for node in org.nodes() if node.kind == kind]
    return ids[skip % len(ids)]


def _free_pair(org: Org, source_kind: str, target_kind: str, kind: str, number: int) -> tuple[str, str]:
    """A source and a target of these kinds not joined by a link of ``kind`` (a different pair per number)."""
    sources = [node.id for node in org.nodes() if node.kind == source_kind][:60]
    targets = [node.id for node in org.nodes() if node.kind == target_kind][:60]
    free = [(s, t) for s in sources for t in targets if s != t and not org.has_link((s, t, kind))]
    return free[number * 7 % len(free)]


def edits(org: Org) -> list[tuple[str, Callable[[int], object]]]:
    """The edits timed, in order, each bound to ``org`` (adding a card comes before removing it, and so on)."""
    team, other_team = _first(org, "dev_team", 5), _first(org, "dev_team", 6)
    owner = _first(org, "product_owner", 4)
    backlog = [_free_pair(org, "product_owner", "dev_team", "owns_backlog", n) for n in range(10)]
    reports = [_free_pair(org, "product_owner", "product_manager", "reports_to", n) for n in range(10)]
    strategy = [_free_pair(org, "product_manager", "product", "owns_strategy", n) for n in range(10)]
    product = _first(org, "product", 3)
    person = _first(org, "product_manager", 3)
    removed = [node.id for node in org.nodes() if node.kind == "dev_team"][-10:]  # none of the teams above
    fresh = f"bench-new-{next(_ROUNDS)}"  # new ids each time the edits are made on one org
    return [
        ("rename a card", lambda n: org.update_node(team, name=f"Renamed team {n}")),
        ("change a team's size", lambda n: org.update_node(other_team, size=3 + n % 20)),
        ("mark a role vacant", lambda n: org.update_node(owner, vacant=n % 2 == 0)),
        ("change a card's kind", lambda n: org.update_node(owner, kind=("product_manager", "product_owner")[n % 2])),
        ("add a card", lambda n: org.add_node(Node(f"{fresh}-{n}", "dev_team", f"New team {n}"))),
        ("remove a card with its links", lambda n: org.remove_node(removed[n])),
        ("add a backlog link", lambda n: org.add_link(Link(*backlog[n], "owns_backlog"))),
        ("remove a backlog link", lambda n: org.remove_link(Link(*backlog[n], "owns_backlog"))),
        ("add a reporting line", lambda n: org.add_link(Link(*reports[n], "reports_to"))),
        ("remove a reporting line", lambda n: org.remove_link(Link(*reports[n], "reports_to"))),
        ("add a strategy link", lambda n: org.add_link(Link(*strategy[n], "owns_strategy"))),
        ("set a duty", lambda n: org.set_duty(product, "pricing", person, ("A", "R")[n % 2])),
    ]


def reanalysis_after_edits(org: Org, repeat: int) -> dict[str, float]:
    """Edit kind → the best of ``repeat`` times the editor's kept check took to catch up with one such edit."""
    from planner.analysis.incremental import LiveCheck
    from planner.model.mirror import OrgMirror

    mirror = OrgMirror(org)
    check = LiveCheck(mirror.catch_up())
    times: dict[str, float] = {}
    for name, edit in edits(org):
        best = float("inf")
        for number in range(repeat):
            edit(number)
            mirror.catch_up()
            changes = mirror.take_changes()
            gc.collect()
            start = time.perf_counter()
            check.update(changes)
            best = min(best, time.perf_counter() - start)
        times[name] = best
    mirror.close()
    return times


def gaps_after_edits(org: Org, repeat: int) -> dict[str, float]:
    """Edit kind → the best of ``repeat`` times the gaps panel took to show the analysis after one such edit."""
    from planner.analysis.incremental import LiveCheck
    from planner.model.mirror import OrgMirror
    from planner.ui.docks.gaps import GapsWidget

    panel = GapsWidget()
    panel.resize(900, 300)
    panel.show()
    mirror = OrgMirror(org)
    check = LiveCheck(mirror.catch_up())
    panel.set_result(org, check.result)
    times: dict[str, float] = {}
    for name, edit in edits(org):
        best = float("inf")
        for number in range(repeat):
            edit(number)
            mirror.catch_up()
            result = check.update(mirror.take_changes())
            gc.collect()
            start = time.perf_counter()
            panel.set_result(org, result, check.changes)  # what changed, as the window hands it over
            best = min(best, time.perf_counter() - start)
        times[name] = best
    mirror.close()
    panel.close()
    panel.deleteLater()
    return times
