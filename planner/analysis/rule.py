"""What a rule is, what it finds, and the registry that holds the catalog.

A rule is one small unit in the manner of ruff and pylint: a stable code, a
kebab-case name, a severity (overridable per profile), a message template with
no trailing period, a fix suggestion, an explanation in three fixed
sections and the sources it rests on (a framework's guide, a seed article, or
the planner's own default with its reasoning). Its ``check`` is a pure
function of an :class:`~planner.analysis.index.OrgIndex` and a
:class:`~planner.analysis.profiles.Profile` yielding :class:`Hit` records.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from planner.model.vocabulary import RULE_CODE

if TYPE_CHECKING:
    from planner.analysis.index import OrgIndex
    from planner.analysis.profiles import Profile

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
OFF = "off"
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}

_CODE_RE = RULE_CODE
_NAME_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Hit:
    """One place a rule fired: the nodes involved (subject first) and the message's values."""

    nodes: tuple[str, ...]
    params: Mapping[str, Any] = field(default_factory=dict)
    severity: str | None = None  # None: the rule's severity in the profile


@dataclass(frozen=True)
class Finding:
    """A gap found in an org, ready to show: code, name, severity, message and node ids."""

    code: str
    name: str
    severity: str
    message: str
    nodes: tuple[str, ...]

    @property
    def subject(self) -> str | None:
        """The node the finding is about; its ``ignore`` codes can accept the finding."""
        return self.nodes[0] if self.nodes else None

    def sort_key(self) -> tuple[int, str, tuple[str, ...]]:
        return (SEVERITY_RANK[self.severity], self.code, self.nodes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "nodes": list(self.nodes),
        }


Check = Callable[["OrgIndex", "Profile"], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    """One entry of the rule catalog."""

    code: str
    name: str
    title: str
    severity: str
    message: str
    detects: str
    why: str
    fix: str
    check: Check
    severity_by_profile: Mapping[str, str] = field(default_factory=dict)
    severity_note: str = ""
    #: Where the rule and its figures come from, one line each: a guide and section, a seed article by
    #: title, or "Planner default: ..." with the reasoning when no outside source gives the figure.
    sources: tuple[str, ...] = ()

    def severity_for(self, profile: str) -> str:
        """The severity in a built-in profile, or ``"off"`` when the rule does not report there."""
        return self.severity_by_profile.get(profile, self.severity)

    def severity_in(self, profile: Profile) -> str | None:
        """The severity a profile file sets for this rule (``"off"`` included), or None when it sets none."""
        return profile.severity.get(self.code)

    def severity_summary(self) -> str:
        """A short text of the severity per profile, e.g. ``warning (less: error, safe: off)``."""
        if self.severity_note:
            return self.severity_note
        extra = ", ".join(f"{p}: {s}" for p, s in self.severity_by_profile.items())
        return f"{self.severity} ({extra})" if extra else self.severity

    def run(self, index: OrgIndex, profile: Profile) -> Iterator[Finding]:
        # A severity the profile file sets wins over the rule's own, the per-hit one included.
        chosen = self.severity_in(profile)
        base = chosen or self.severity_for(profile.extends)
        if base == OFF:
            return
        for hit in self.check(index, profile):
            severity = chosen or hit.severity or base
            yield Finding(self.code, self.name, severity, self.message.format(**hit.params), hit.nodes)

    def source_lines(self) -> list[str]:
        """``Source: ...`` lines, one per source, as ``planner rules CODE`` prints them."""
        return [f"Source: {source}" for source in self.sources]

    def explanation(self) -> str:
        """The rule's explanation as plain text with its three sections and its sources."""
        sources = "".join(f"{line}\n" for line in self.source_lines())
        return (
            f"{self.code} {self.name}: {self.title}\n"
            f"Severity: {self.severity_summary()}\n\n"
            f"What it detects\n{self.detects}\n\n"
            f"Why it matters\n{self.why}\n\n"
            f"How to fix\n{self.fix}\n" + (f"\n{sources}" if sources else "")
        )


#: The order remedies run in: remove wrong links, give unowned work an owner, split teams, relieve overloaded
#: people, put each product's teams under one owner where the limits allow, narrow spans, then draw the links
#: that are still missing.
REMEDY_STAGES: tuple[str, ...] = ("clean", "own", "split", "load", "consolidate", "span", "link")

RemedyFunction = Callable[[Any, list[Finding]], Iterable[Any]]


@dataclass(frozen=True)
class Remedy:
    """How the staffing plan acts on one rule's findings."""

    code: str
    stage: str
    function: RemedyFunction


class RegistryError(ValueError):
    """A rule was registered twice, or with a malformed code, name or severity."""


class Registry:
    """The rule catalog: refuses duplicate codes and names; iterates in registration (catalog) order."""

    def __init__(self) -> None:
        self._by_code: dict[str, Rule] = {}
        self._by_name: dict[str, Rule] = {}

    def register(self, rule: Rule) -> Rule:
        if not _CODE_RE.match(rule.code):
            raise RegistryError(f"malformed rule code {rule.code!r}")
        if not _NAME_RE.match(rule.name):
            raise RegistryError(f"rule name {rule.name!r} is not kebab-case")
        if rule.code in self._by_code:
            raise RegistryError(f"duplicate rule code {rule.code}")
        if rule.name in self._by_name:
            raise RegistryError(f"duplicate rule name {rule.name}")
        for severity in (rule.severity, *rule.severity_by_profile.values()):
            if severity not in SEVERITIES and severity != OFF:
                raise RegistryError(f"{rule.code}: unknown severity {severity!r}")
        if rule.message.endswith("."):
            raise RegistryError(f"{rule.code}: messages carry no trailing period")
        if isinstance(rule.sources, str):
            raise RegistryError(f"{rule.code}: sources is a tuple of lines, not one string")
        self._by_code[rule.code] = rule
        self._by_name[rule.name] = rule
        return rule

    def rule(self, **fields: Any) -> Callable[[Check], Rule]:
        """Decorator: register the decorated check function as a rule with these fields."""

        def wrap(check: Check) -> Rule:
            return self.register(Rule(check=check, **fields))

        return wrap

    @property
    def remedies(self) -> dict[str, Remedy]:
        """The remedies declared with :meth:`remedy_for`, by rule code."""
        return self.__dict__.setdefault("_remedies", {})

    def remedy_for(self, code: str, stage: str = "own") -> Callable[[RemedyFunction], RemedyFunction]:
        """Decorator: declare how the staffing plan fixes the findings of rule ``code``.

        The function takes a :class:`~planner.analysis.remedy.PlanContext` and the rule's open findings and
        yields the steps it wrote with the context's helpers (see :mod:`planner.analysis.plan`). Remedies run
        stage by stage (:data:`REMEDY_STAGES`), so that links are cleaned before work is handed out and work
        is handed out before alignment links are drawn.
        """
        if stage not in REMEDY_STAGES:
            raise RegistryError(f"{code}: unknown remedy stage {stage!r}")

        def wrap(function: RemedyFunction) -> RemedyFunction:
            if code in self.remedies:
                raise RegistryError(f"duplicate remedy for {code}")
            self.remedies[code] = Remedy(code, stage, function)
            return function

        return wrap

    def get(self, code_or_name: str) -> Rule | None:
        key = code_or_name.strip()
        return self._by_code.get(key.upper()) or self._by_name.get(key.lower())

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code


#: The planner's catalog; the modules in planner.analysis.rules fill it.
REGISTRY = Registry()
