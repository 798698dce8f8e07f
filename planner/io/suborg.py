"""A part of an org for an export: a person's reporting tree, or a product's people and teams.

Exports for READMEs and wikis (Mermaid above all) are readable for a few
dozen cards; :func:`sub_org` cuts a large org down to what one page is about.
Cards keep their ids, fields and positions; the links among the kept cards
come along.
"""

from __future__ import annotations

from collections.abc import Iterable

from planner.model.org import Org
from planner.model.vocabulary import (
    BUILDS,
    DEV_TEAM,
    ENGAGES,
    OWNS_BACKLOG,
    OWNS_STRATEGY,
    PERSON_KINDS,
    PRODUCT,
    REPORTS_TO,
    STAKEHOLDER_OF,
)


class SelectionError(ValueError):
    """A ``--select`` value names no card, or several."""


def find_node(org: Org, wanted: str) -> str:
    """The id of the card ``wanted`` names: its id, else its name (without regard to case) when only one has it."""
    if wanted in org:
        return wanted
    key = wanted.strip().casefold()
    matches = [node.id for node in org.nodes() if node.name.strip().casefold() == key]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise SelectionError(f"{wanted!r} names several cards ({', '.join(sorted(matches)[:5])}); give an id")
    raise SelectionError(f"no card has the id or name {wanted!r}")


def _sources(org: Org, target: str, kind: str) -> list[str]:
    return [link.source for link in org.links_of(target) if link.kind == kind and link.target == target]


def _targets(org: Org, source: str, kind: str) -> list[str]:
    return [link.target for link in org.links_of(source) if link.kind == kind and link.source == source]


def _reporting_tree(org: Org, root: str) -> set[str]:
    tree, stack = {root}, [root]
    while stack:
        for report in _sources(org, stack.pop(), REPORTS_TO):
            if report not in tree:
                tree.add(report)
                stack.append(report)
    return tree


def members(org: Org, node_id: str) -> set[str]:
    """The cards a selection of ``node_id`` keeps.

    A person: everyone reporting to them, directly or not, the teams whose
    backlogs and the products whose strategies those people own, what those
    teams build and the stakeholders they engage. A product: it, its strategy
    owners, the teams building it, their backlog owners and its stakeholders.
    A team: it, its backlog owners and the products it builds. A stakeholder:
    it, the products it has a stake in and the people engaging it.
    """
    kind = org.node(node_id).kind
    kept = {node_id}
    if kind in PERSON_KINDS:
        people = _reporting_tree(org, node_id)
        kept |= people
        for person in people:
            kept.update(_targets(org, person, OWNS_BACKLOG))
            kept.update(_targets(org, person, OWNS_STRATEGY))
            kept.update(_targets(org, person, ENGAGES))
        for team in [k for k in kept if org.node(k).kind == DEV_TEAM]:
            kept.update(_targets(org, team, BUILDS))
    elif kind == PRODUCT:
        kept.update(_sources(org, node_id, OWNS_STRATEGY))
        kept.update(_sources(org, node_id, STAKEHOLDER_OF))
        for team in _sources(org, node_id, BUILDS):
            kept.add(team)
            kept.update(_sources(org, team, OWNS_BACKLOG))
    elif kind == DEV_TEAM:
        kept.update(_sources(org, node_id, OWNS_BACKLOG))
        kept.update(_targets(org, node_id, BUILDS))
    else:
        kept.update(_targets(org, node_id, STAKEHOLDER_OF))
        kept.update(_sources(org, node_id, ENGAGES))
    return kept


def sub_org(org: Org, selections: Iterable[str]) -> Org:
    """The part of ``org`` the selected cards stand for (their union); :class:`SelectionError` for an unknown one."""
    kept: set[str] = set()
    for wanted in selections:
        kept |= members(org, find_node(org, wanted))
    part = Org(org.name, org.profile)
    part.set_profile_settings(org.profile_settings)  # checked with the same profile file as the whole
    part.add_many(
        [node for node in org.nodes() if node.id in kept],
        [link for link in org.links() if link.source in kept and link.target in kept],
    )
    return part
