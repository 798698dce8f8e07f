"""Profiles: the thresholds of Scrum, SAFe, LeSS and a small startup.

A profile sets the numbers the load rules compare against; per-profile
severities live with each rule. Sources are listed in the README's rule table
and in DOMAIN.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.model.vocabulary import DEFAULT_PROFILE, PROFILES


@dataclass(frozen=True)
class Profile:
    """Thresholds for one way of working."""

    name: str
    title: str
    description: str
    #: LOAD001: teams one backlog owner may serve (Scrum/Nexus 9, SAFe 2, LeSS 8, startup 2).
    max_teams_per_backlog_owner: int
    #: LOAD002: products one strategy owner may hold.
    max_products_per_strategy_owner: int = 3
    #: LOAD003: direct reports before a span of control is too wide.
    max_direct_reports: int = 10
    #: LOAD004: team size range (Scrum: 10 or fewer; below 3 is hardly a team).
    max_team_size: int = 10
    min_team_size: int = 3
    #: RSK001: teams left without an owner when one person is absent.
    key_person_teams: int = 5


PROFILE_TABLE: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile(
            "scrum",
            "Scrum",
            "Scrum Guide 2020 with Nexus scaling: one product owner per product, up to nine teams.",
            max_teams_per_backlog_owner=9,
        ),
        Profile(
            "safe",
            "SAFe",
            "Scaled Agile Framework: a product owner serves one team, two at most.",
            max_teams_per_backlog_owner=2,
        ),
        Profile(
            "less",
            "LeSS",
            "Large-Scale Scrum: one product owner and one backlog for up to eight teams of a product.",
            max_teams_per_backlog_owner=8,
        ),
        Profile(
            "startup",
            "Startup",
            "A young company before product-market fit: dual-hatting is expected, loads stay small.",
            max_teams_per_backlog_owner=2,
        ),
    )
}


def get_profile(name: str | None) -> Profile:
    """The profile of that name (the default, ``scrum``, for None)."""
    try:
        return PROFILE_TABLE[name or DEFAULT_PROFILE]
    except KeyError:
        raise ValueError(f"unknown profile {name!r} (expected one of {', '.join(PROFILES)})") from None
