"""What the gap report says, as data: its headings and limits, the records :func:`~planner.report.content.build_report`
gathers (findings, risks, tables, health, the comparison with a baseline) and the words they are told in.

The CSV, JSON and XLSX writers read these records; :mod:`planner.report.content` re-exports them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath

from planner.analysis import AnalysisResult, Profile
from planner.analysis.coverage import ProductDuties
from planner.analysis.plan import StaffingPlan
from planner.analysis.rule import SEVERITIES, SEVERITY_RANK
from planner.diff import OrgDiff
from planner.model.vocabulary import (
    DEV_TEAM,
    LEADER,
    NODE_LABELS,
    PRODUCT_MANAGER,
    PRODUCT_OWNER,
)
from planner.report.model import Document, natural_key
from planner.wording import plural as counted

REPORT_TITLE = "Product organisation gap report"
AUTHOR = "Team Structure Planner"

#: Section headings of the findings, one per severity.
SEVERITY_HEADINGS = {"error": "Errors", "warning": "Warnings", "info": "Infos"}
#: Impact = severity weight × (teams + products + people affected).
SEVERITY_WEIGHT = {"error": 9, "warning": 3, "info": 1}
#: Rule code prefix → area of the findings-by-area picture.
AREAS = {"OWN": "ownership", "STR": "structure", "LOAD": "load", "ALN": "alignment", "RSK": "risk", "DUT": "duties"}

#: The widest a figure is drawn, in points: fits the text frame of A4 and of Letter.
FIGURE_WIDTH = 480.0
#: The tallest a figure may be (a whole page's frame, less its caption).
FIGURE_HEIGHT = 600.0
#: A figure on a page turned sideways: the text frame of A4 and of Letter in landscape, less a caption.
LANDSCAPE_WIDTH = 690.0
LANDSCAPE_HEIGHT = 450.0
TOP_RISKS = 5
EXAMPLES = 5
#: Rows a table of the report shows at most; the rest is in the CSV and JSON.
TABLE_ROWS = 25
#: A gaps table longer than this is folded in the HTML (a click opens it).
FOLD_ROWS = 8
#: Steps of one kind the plan section lists at most, and the length of a step's explanation there.
PLAN_STEPS = 12
#: Steps of one kind explained in full; the others show their headline only.
PLAN_DETAILS = 3
DETAIL_CHARACTERS = 320
#: Products whose responsibility matrix the report shows at most (those with gaps), and people columns per matrix.
DUTY_PRODUCTS = 6
DUTY_PEOPLE = 6

#: What leadership reads about a rule that fired several times: ``{n}`` places, worded without codes.
RISK_PLURALS = {
    "OWN001": "{n} teams have nobody ordering their backlog",
    "OWN002": "{n} products have nobody owning their strategy",
    "OWN003": "{n} teams take priorities from several backlog owners",
    "OWN004": "{n} products have several strategy owners pulling in different directions",
    "OWN005": "{n} products split their teams' work across several backlog owners",
    "STR001": "{n} products have no team building them",
    "STR002": "{n} teams build no product",
    "STR003": "{n} reporting lines loop back on themselves",
    "STR004": "{n} people, teams or products are connected to nobody",
    "STR005": "{n} relationships are drawn between roles that cannot hold them",
    "STR006": "{n} people report to several managers",
    "LOAD001": "{n} backlog owners hold more teams than the limit",
    "LOAD002": "{n} strategy owners hold more products than the limit",
    "LOAD003": "{n} managers have more direct reports than the limit",
    "LOAD004": "{n} teams are too large or too small",
    "ALN001": "{n} product owners have no working line to their product's strategy owner",
    "ALN002": "{n} stakeholders are engaged by nobody",
    "ALN003": "{n} products have no stakeholder",
    "ALN004": "{n} product managers report to a product owner",
    "RSK001": "{n} people are single points of failure for many teams",
    "RSK002": "{n} people wear both hats, strategy and backlog",
    "RSK003": "{n} ownerships wait for planned hires",
    "OWN006": "{n} product owners own no team's backlog",
    "OWN007": "{n} people hold product strategies with no product manager",
    "STR007": "{n} reporting lines never reach a leader",
    "LOAD005": "{n} product owners order work for products whose strategies different people hold",
    "ALN005": "{n} product managers have no product owner working with them",
    "DUT001": "{n} products have duties nobody is accountable for",
    "DUT002": "{n} products have duties several people are accountable for",
    "DUT003": "{n} times duties sit with a role the agreed split does not give them",
    "DUT004": "{n} people are accountable for work the chart gives someone else",
    "DUT005": "{n} people are accountable for more duties than the limit",
}

#: Headings of the plan's steps, per action kind.
ACTION_HEADINGS = {
    "hire": "Hires",
    "hand_over": "Hand-overs",
    "split_team": "Teams to split",
    "narrow_span": "Spans of control to narrow",
    "add_link": "Working relationships to set up",
    "remove_link": "Reporting and ownership lines to correct",
    "assign_duty": "Duties to settle",
    "accept": "Risks to accept knowingly",
}
_ROLE_PLURALS = {
    PRODUCT_OWNER: ("product owner", "product owners"),
    PRODUCT_MANAGER: ("product manager", "product managers"),
    LEADER: ("leader", "leaders"),
    DEV_TEAM: ("team", "teams"),
}

#: Words of the graph, not of the org: kept off page 1.
JARGON = re.compile(r"\b(links?|nodes?|edges?)\b", re.IGNORECASE)
_PLAIN_WORDS = {
    "link": "relationship",
    "links": "relationships",
    "node": "card",
    "nodes": "cards",
    "edge": "relationship",
    "edges": "relationships",
}


def _plain(text: str) -> str:
    """The text with the graph's words (links, nodes) in everyday ones."""
    return JARGON.sub(lambda m: _PLAIN_WORDS.get(m.group(0).lower(), m.group(0)), text)


CHROME = {
    "page": "Page {page} of {pages}",
    "contents": "Contents",
    "sort": "Click a column heading to sort the table.",
}


# -- the data -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingEntry:
    """One finding as the report shows it: the rule, the message, the nodes by name, where it hits and how hard."""

    code: str
    name: str
    title: str
    severity: str
    message: str
    node_ids: tuple[str, ...]
    node_names: tuple[str, ...]
    why: str
    fix: str
    #: The products the finding's nodes build, own or hold, by name (naturally sorted).
    products: tuple[str, ...] = ()
    teams_affected: int = 0
    products_affected: int = 0
    people_affected: int = 0
    #: The headline of the plan's step that clears it ("" when none does).
    action: str = ""
    #: The kind of that step (``hire``, ``hand_over``...), from :data:`planner.analysis.plan.ACTION_KINDS`.
    action_kind: str = ""
    #: The question leadership must settle when no step clears it ("" when one does, or for infos).
    decision: str = ""

    @property
    def area(self) -> str:
        return _area(self.code)

    @property
    def impact(self) -> int:
        reach = self.teams_affected + self.products_affected + self.people_affected
        return SEVERITY_WEIGHT[self.severity] * max(1, reach)


@dataclass(frozen=True)
class Risk:
    """One of the top risks of page 1: a rule's findings in words, with their combined impact."""

    code: str
    severity: str
    sentence: str
    impact: int
    teams: int
    products: int
    people: int
    action: str
    action_kind: str
    #: How many of its findings no step of the plan clears: leadership decides.
    decisions: int
    findings: tuple[FindingEntry, ...]


@dataclass(frozen=True)
class DataTable:
    """A full table for the CSV and JSON output; ``flagged`` marks the rows that break a limit."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str | int, ...], ...]
    note: str = ""
    flagged: tuple[bool, ...] = ()

    def is_flagged(self, index: int) -> bool:
        return index < len(self.flagged) and self.flagged[index]

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "columns": list(self.columns),
            "rows": [dict(zip(self.columns, row, strict=True)) for row in self.rows],
        }


@dataclass(frozen=True)
class RuleEntry:
    """A rule of the appendix: its explanation in the catalog's three sections."""

    code: str
    name: str
    title: str
    severity: str
    detects: str
    why: str
    fix: str
    #: The rule's ``Source:`` lines (a guide, a seed article, or the planner's own default with its reasoning).
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Census:
    """How big the org is, in the words of page 1."""

    people: int
    team_members: int
    named_roles: int
    open_roles: int
    teams: int
    teams_without_size: int
    products: int
    stakeholders: int


@dataclass(frozen=True)
class Health:
    """The summary figures."""

    teams: int
    teams_with_one_owner: int
    products: int
    products_with_strategy_owner: int
    counts: dict[str, int]
    accepted: int

    @property
    def gaps(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class NodeEntry:
    """A node the proposal adds or removes, as the comparison lists it."""

    id: str
    kind: str
    name: str
    title: str
    vacant: bool

    def describe(self) -> str:
        """``Ravi Shah (product owner, vacant) — Product Owner, API``."""
        role = NODE_LABELS.get(self.kind, self.kind).lower()
        # A planned hire's name often says so already ("PO (to hire)"); saying it twice reads as a typo.
        if self.vacant and not any(word in self.name.casefold() for word in ("hire", "vacan")):
            role += ", vacant"
        return f"{self.name} ({role})" + (f" — {self.title}" if self.title else "")


@dataclass(frozen=True)
class ChangeEntry:
    """A node in both orgs whose attributes differ: its name in the proposal and each change in words."""

    id: str
    name: str
    changes: tuple[str, ...]

    def describe(self) -> str:
        return f"{self.name}: {'; '.join(self.changes)}"


@dataclass(frozen=True)
class HealthChange:
    """One figure before and after; ``trend`` is better, worse, same, or (infos) more and fewer."""

    label: str
    before: str
    after: str
    trend: str

    @property
    def tone(self) -> str | None:
        return {"better": "ok", "worse": "error", "more": "info", "fewer": "info"}.get(self.trend)


@dataclass
class Comparison:
    """The proposal against its baseline."""

    baseline_name: str
    baseline_source: str
    summary: str
    health_before: Health
    health_after: Health
    fixed: list[FindingEntry]
    introduced: list[FindingEntry]
    remaining: list[FindingEntry]
    added: list[NodeEntry]
    removed: list[NodeEntry]
    changed: list[ChangeEntry]
    links_added: list[str]
    links_removed: list[str]
    diff: OrgDiff
    #: Duties that change hands, one sentence per product and change.
    duties: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.diff.is_empty

    @property
    def worse(self) -> bool:
        """Whether errors or warnings rise: the only way a proposal is called worse."""
        before, after = self.health_before.counts, self.health_after.counts
        return after["error"] > before["error"] or after["warning"] > before["warning"]

    @property
    def mixed(self) -> bool:
        """Whether errors fall while warnings rise: a trade, not plainly worse (more errors are always worse)."""
        before, after = self.health_before.counts, self.health_after.counts
        return after["error"] < before["error"] and after["warning"] > before["warning"]

    @property
    def better(self) -> bool:
        before, after = self.health_before.counts, self.health_after.counts
        serious = ("error", "warning")
        return not self.worse and any(after[s] < before[s] for s in serious)

    def health_rows(self) -> list[HealthChange]:
        return _health_changes(self.health_before, self.health_after)

    def introduction(self) -> str:
        """What the report is compared with, and the one-line summary."""
        baseline = f"Compared with the baseline '{self.baseline_name}'" + (
            f" ({PurePath(self.baseline_source).name})" if self.baseline_source else ""
        )
        if self.is_empty:
            moved = " (only cards moved on the chart)" if self.diff.moved else ""
            return f"{baseline}: no change, the two orgs are the same{moved}."
        return f"{baseline}, this proposal {_plain(self.summary)}."

    def headline(self) -> str:
        """Page 1's before/after sentence: errors and warnings before and after, in words."""
        before, after = self.health_before.counts, self.health_after.counts
        b = before["error"] + before["warning"]
        a = after["error"] + after["warning"]
        if self.is_empty:
            return "The proposal changes nothing against today's org."
        if self.mixed:
            return (
                f"Against today's org this proposal trades errors for warnings: errors and warnings go from {b} to "
                f"{a} ({_count(before['error'], 'error')} → {after['error']}, "
                f"{_count(before['warning'], 'warning')} → {after['warning']}); leadership must accept the new "
                "warnings or change the proposal."
            )
        verdict = "better" if self.better else "worse" if self.worse else "no better and no worse"
        return (
            f"Against today's org this proposal is {verdict}: errors and warnings go from {b} to {a} "
            f"({_count(before['error'], 'error')} → {after['error']}, "
            f"{_count(before['warning'], 'warning')} → {after['warning']})."
        )

    def remaining_sentence(self) -> str:
        count = len(self.remaining)
        if not count:
            return "No gap of the baseline remains."
        verb = "remains" if count == 1 else "remain"
        return f"{count} {_plural(count, 'gap')} of the baseline {verb}; the findings sections cover them."


@dataclass
class Report:
    """Everything the gap report says about one org: the data, and the document made of it."""

    title: str
    org_name: str
    date: str
    profile: Profile
    source: str
    nodes: int
    links: int
    census: Census
    health: Health
    plan: StaffingPlan
    findings: list[FindingEntry]
    risks: list[Risk]
    coverage: list[DataTable]
    load: list[DataTable]
    accepted: list[FindingEntry]
    appendix: list[RuleEntry]
    #: Node id → the worst severity of its open findings.
    highlight: dict[str, str] = field(default_factory=dict)
    #: Every product's duties: who is accountable, and what is left open.
    duties: list[ProductDuties] = field(default_factory=list)
    result: AnalysisResult | None = None
    comparison: Comparison | None = None
    document: Document | None = None

    @property
    def file_name(self) -> str:
        return PurePath(self.source).name if self.source else ""

    def summary_sentence(self) -> str:
        counts = self.health.counts
        return (
            f"{_count(counts['error'], 'error')}, {_count(counts['warning'], 'warning')} and "
            f"{_count(counts['info'], 'info')}"
        )


# -- words ----------------------------------------------------------------------------------------


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def _count(count: int, word: str, plural: str | None = None) -> str:
    return counted(count, word, many=plural)


def _listed(items: list[str]) -> str:
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _area(code: str) -> str:
    return AREAS.get(code.rstrip("0123456789"), "structure")


def _role(kind: str, count: int) -> str:
    singular, plural = _ROLE_PLURALS.get(kind, (NODE_LABELS.get(kind, kind).lower(),) * 2)
    return _count(count, singular, plural)


def _by_rule(entries: Iterable[FindingEntry]) -> dict[str, list[FindingEntry]]:
    groups: dict[str, list[FindingEntry]] = {}
    for entry in entries:
        groups.setdefault(entry.code, []).append(entry)
    return groups


def _worst_first(entries: Iterable[FindingEntry]) -> list[FindingEntry]:
    return sorted(entries, key=lambda e: (SEVERITY_RANK[e.severity], -e.impact, natural_key(e.message)))


def _health_changes(before: Health, after: Health) -> list[HealthChange]:
    def trend(gaps_before: int, gaps_after: int) -> str:
        return "better" if gaps_after < gaps_before else "worse" if gaps_after > gaps_before else "same"

    rows = [
        HealthChange(
            "Teams with exactly one backlog owner",
            f"{before.teams_with_one_owner} of {before.teams}",
            f"{after.teams_with_one_owner} of {after.teams}",
            trend(before.teams - before.teams_with_one_owner, after.teams - after.teams_with_one_owner),
        ),
        HealthChange(
            "Products with a strategy owner",
            f"{before.products_with_strategy_owner} of {before.products}",
            f"{after.products_with_strategy_owner} of {after.products}",
            trend(
                before.products - before.products_with_strategy_owner,
                after.products - after.products_with_strategy_owner,
            ),
        ),
    ]
    for severity in SEVERITIES:
        b, a = before.counts[severity], after.counts[severity]
        if severity == "info":
            # An info is worth knowing, never a reason to call a proposal worse.
            change = "fewer" if a < b else "more" if a > b else "same"
        else:
            change = trend(b, a)
        rows.append(HealthChange(SEVERITY_HEADINGS[severity], str(b), str(a), change))
    return rows
