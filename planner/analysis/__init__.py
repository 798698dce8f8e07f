"""The gap engine: the rule catalog, the profiles and :func:`analyze`. No Qt here.

Importing this package registers every rule of the catalog in
:data:`planner.analysis.rule.REGISTRY`.
"""

from planner.analysis.engine import AnalysisResult, UnknownRuleError, analyze, resolve_codes, select_rules
from planner.analysis.profiles import (
    PROFILE_TABLE,
    Profile,
    ProfileError,
    get_profile,
    load_profile,
    parse_profile,
    profile_for,
    resolve_profile,
)
from planner.analysis.rule import REGISTRY, SEVERITIES, Finding, Hit, Registry, RegistryError, Rule


def all_rules() -> list[Rule]:
    """Every rule of the catalog, in catalog order (OWN, STR, LOAD, ALN, RSK)."""
    return list(REGISTRY)


def get_rule(code_or_name: str) -> Rule | None:
    """The rule with that code (``OWN001``) or name (``team-without-backlog-owner``), or None."""
    return REGISTRY.get(code_or_name)


__all__ = [
    "PROFILE_TABLE",
    "REGISTRY",
    "SEVERITIES",
    "AnalysisResult",
    "Finding",
    "Hit",
    "Profile",
    "ProfileError",
    "Registry",
    "RegistryError",
    "Rule",
    "UnknownRuleError",
    "all_rules",
    "analyze",
    "get_profile",
    "get_rule",
    "load_profile",
    "parse_profile",
    "profile_for",
    "resolve_profile",
    "resolve_codes",
    "select_rules",
]
