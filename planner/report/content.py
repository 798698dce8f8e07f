"""The gap report's content: the facts, worded once, as a :class:`~planner.report.model.Document`. No Qt here.

:func:`build_report` runs the analysis and the staffing plan
(:func:`planner.analysis.plan.build_plan`) and gathers what leadership reads,
answer first: page 1 is a brief (the org in one line, a verdict, the ask, the
top risks ranked by impact and, against a baseline, the before/after
headline); then the plan in full, the pictures, the findings grouped by rule
and by product with their worst examples, the loads and coverage that break a
limit, the accepted risks, and an appendix explaining each rule that fired.
Full detail (every finding, every coverage and load row, the plan) goes to
the CSV and JSON writers, which read the :class:`Report` data directly.

Every sentence of every format is written here; the writers only lay out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath

from planner.analysis import AnalysisResult, Finding, Profile, all_rules, analyze, get_rule, profile_for
from planner.analysis.coverage import ProductDuties, duty_coverage
from planner.analysis.index import OrgIndex
from planner.analysis.plan import ACTION_KINDS, StaffingPlan, build_plan
from planner.analysis.rule import SEVERITIES, SEVERITY_RANK
from planner.diff import OrgDiff, link_sentence
from planner.model.duties import DUTIES, DUTY_LIST, RACI, RACI_LABELS
from planner.model.org import Node, Org
from planner.model.vocabulary import (
    BUILDS,
    DEV_TEAM,
    LEADER,
    NODE_LABELS,
    OWNS_BACKLOG,
    OWNS_STRATEGY,
    PERSON_KINDS,
    PRODUCT,
    PRODUCT_MANAGER,
    PRODUCT_OWNER,
    REPORTS_TO,
    STAKEHOLDER,
    STAKEHOLDER_OF,
)
from planner.report import figures
from planner.report.model import (
    BulletList,
    Callout,
    Column,
    Details,
    Document,
    Figure,
    Inline,
    KeyFigure,
    KeyFigures,
    Paragraph,
    Row,
    Section,
    Table,
    natural_key,
    natural_sorted,
    runs,
    strong,
)

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
TOP_RISKS = 5
EXAMPLES = 5
#: Rows a table of the report shows at most; the rest is in the CSV and JSON.
TABLE_ROWS = 25
#: Steps of one kind the plan section lists at most, and the length of a step's explanation there.
PLAN_STEPS = 12
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
    "remove_link": "Relationships to undo",
    "assign_duty": "Duties to settle",
    "accept": "Risks to accept knowingly",
}
_ACTION_TOTALS = {
    "hand_over": ("hand over work in {n} step", "hand over work in {n} steps"),
    "split_team": ("split {n} team", "split {n} teams"),
    "narrow_span": ("narrow {n} span of control", "narrow {n} spans of control"),
    "add_link": ("set up {n} missing working relationship", "set up {n} missing working relationships"),
    "remove_link": ("undo {n} relationship", "undo {n} relationships"),
    "assign_duty": ("settle the duties of {n} product", "settle the duties of {n} products"),
}
_ROLE_PLURALS = {
    PRODUCT_OWNER: ("product owner", "product owners"),
    PRODUCT_MANAGER: ("product manager", "product managers"),
    LEADER: ("leader", "leaders"),
    DEV_TEAM: ("team", "teams"),
}

#: Words of the graph, not of the org: kept off page 1.
JARGON = re.compile(r"\b(links?|nodes?|edges?)\b", re.IGNORECASE)
_PLAIN_WORDS = {"link": "relationship", "links": "relationships", "node": "card", "nodes": "cards",
                "edge": "relationship", "edges": "relationships"}

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
        return f"{baseline}, this proposal {self.summary}."

    def headline(self) -> str:
        """Page 1's before/after sentence: errors and warnings before and after, in words."""
        before, after = self.health_before.counts, self.health_after.counts
        b = before["error"] + before["warning"]
        a = after["error"] + after["warning"]
        if self.is_empty:
            return "The proposal changes nothing against today's org."
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
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


def _listed(items: list[str]) -> str:
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _area(code: str) -> str:
    return AREAS.get(code.rstrip("0123456789"), "structure")


def _role(kind: str, count: int) -> str:
    singular, plural = _ROLE_PLURALS.get(kind, (NODE_LABELS.get(kind, kind).lower(),) * 2)
    return _count(count, singular, plural)


# -- building the data ----------------------------------------------------------------------------


def build_report(
    org: Org,
    profile: str | Profile | None = None,
    source: str = "",
    today: date | None = None,
    diff: OrgDiff | None = None,
    baseline_source: str = "",
) -> Report:
    """Analyse ``org``, plan the remedies and gather the gap report, its document included.

    Parameters
    ----------
    org : Org
        The org to report on.
    profile : str or Profile, optional
        Thresholds to apply; the org's own profile when omitted.
    source : str, optional
        The file the org came from; only its name is shown.
    today : date, optional
        The report's date (today when omitted); fixed in tests and samples.
    diff : OrgDiff, optional
        The comparison of a baseline (``diff.current``) with ``org`` (``diff.proposed``).
    baseline_source : str, optional
        The file the baseline came from.
    """
    if not isinstance(profile, Profile):
        profile = profile_for(org, profile)
    result = analyze(org, profile)
    index = OrgIndex(org)
    plan = build_plan(org, result)
    duties = duty_coverage(org)
    actions = _action_of(plan)
    findings = [_entry(index, f, *actions.get(f, ("", "", ""))) for f in result.findings]
    accepted = [_entry(index, f) for f in result.accepted]
    fired = {f.code for f in result.findings} | {f.code for f in result.accepted}
    highlight: dict[str, str] = {}
    for finding in result.findings:
        for node_id in finding.nodes:
            current = highlight.get(node_id)
            if current is None or SEVERITY_RANK[finding.severity] < SEVERITY_RANK[current]:
                highlight[node_id] = finding.severity
    report = Report(
        title=REPORT_TITLE,
        org_name=org.name,
        date=(today or date.today()).isoformat(),
        profile=profile,
        source=source,
        nodes=len(org),
        links=org.number_of_links(),
        census=_census(index),
        health=_health(index, result),
        plan=plan,
        findings=findings,
        risks=_risks(findings),
        coverage=[_product_coverage(index), _team_coverage(index), _duty_table(index, duties)],
        load=_load_tables(index, profile),
        accepted=accepted,
        appendix=[_rule_entry(code) for code in _catalog_order(fired)],
        highlight=highlight,
        duties=duties,
        result=result,
        comparison=None if diff is None else _comparison(diff, baseline_source, profile),
    )
    report.document = build_document(report, org, index)
    return report


def _action_of(plan: StaffingPlan) -> dict[Finding, tuple[str, str, str]]:
    """Finding → (headline of the step that clears it, that step's kind, question of the decision it is left to)."""
    words: dict[Finding, tuple[str, str, str]] = {}
    for action in plan.actions:
        for finding in action.clears:
            words.setdefault(finding, (action.headline.rstrip("."), action.kind, ""))
    for decision in plan.decisions:
        words.setdefault(decision.finding, ("", "", decision.question.rstrip(".")))
    return words


def _reach(index: OrgIndex, node_ids: list[str]) -> tuple[set[str], set[str], set[str]]:
    """The teams, products and people a finding about these nodes touches.

    The subject (the first node) brings what it holds: a person their teams and
    products, a team its products, a product its teams. The other people named
    count as themselves only: two owners fighting over one team put that team at
    risk, not every other team they own.
    """
    teams: set[str] = set()
    products: set[str] = set()
    people: set[str] = set()
    for position, node_id in enumerate(node_ids):
        kind = index.kind_of.get(node_id)
        if kind == DEV_TEAM:
            teams.add(node_id)
            products.update(index.targets(BUILDS, node_id))
        elif kind == PRODUCT:
            products.add(node_id)
            teams.update(index.sources(BUILDS, node_id))
        elif kind in PERSON_KINDS:
            people.add(node_id)
            if position:
                continue
            owned = index.targets(OWNS_BACKLOG, node_id)
            teams.update(owned)
            products.update(index.targets(OWNS_STRATEGY, node_id))
            for team in owned:
                products.update(index.targets(BUILDS, team))
        elif kind == STAKEHOLDER:
            products.update(index.targets(STAKEHOLDER_OF, node_id))
    return teams, products, people


def _entry(
    index: OrgIndex, finding: Finding, action: str = "", action_kind: str = "", decision: str = ""
) -> FindingEntry:
    rule = get_rule(finding.code)
    present = [n for n in finding.nodes if n in index.kind_of]
    teams, products, people = _reach(index, present)
    if finding.code == "LOAD003" and present:
        people.update(index.sources(REPORTS_TO, present[0]))
    return FindingEntry(
        code=finding.code,
        name=finding.name,
        title=rule.title if rule else finding.name,
        severity=finding.severity,
        message=finding.message,
        node_ids=finding.nodes,
        node_names=tuple(index.name(n) for n in present),
        why=rule.why if rule else "",
        fix=rule.fix if rule else "",
        products=tuple(natural_sorted(index.name(p) for p in products)),
        teams_affected=len(teams),
        products_affected=len(products),
        people_affected=len(people),
        action=action,
        action_kind=action_kind,
        decision=decision,
    )


def _catalog_order(codes: Iterable[str]) -> list[str]:
    wanted = set(codes)
    return [rule.code for rule in all_rules() if rule.code in wanted]


def _rule_entry(code: str) -> RuleEntry:
    rule = get_rule(code)
    return RuleEntry(rule.code, rule.name, rule.title, rule.severity_summary(), rule.detects, rule.why, rule.fix,
                     rule.sources)


def _sorted_names(index: OrgIndex, ids: Iterable[str]) -> list[str]:
    return natural_sorted(index.name(n) for n in ids)


def _census(index: OrgIndex) -> Census:
    teams = index.ids_by_kind.get(DEV_TEAM, [])
    sizes = [node.size for node in index.nodes_of(teams)]
    people = [node for kind in PERSON_KINDS for node in index.nodes_of(index.ids_by_kind.get(kind, []))]
    named = sum(1 for node in people if not node.vacant)
    members = sum(size for size in sizes if size)
    return Census(
        people=members + named,
        team_members=members,
        named_roles=named,
        open_roles=len(people) - named,
        teams=len(teams),
        teams_without_size=sum(1 for size in sizes if not size),
        products=len(index.ids_by_kind.get(PRODUCT, [])),
        stakeholders=len(index.ids_by_kind.get(STAKEHOLDER, [])),
    )


def _health(index: OrgIndex, result: AnalysisResult) -> Health:
    teams = index.ids_by_kind.get(DEV_TEAM, [])
    products = index.ids_by_kind.get(PRODUCT, [])
    return Health(
        teams=len(teams),
        teams_with_one_owner=sum(1 for t in teams if len(index.sources(OWNS_BACKLOG, t)) == 1),
        products=len(products),
        products_with_strategy_owner=sum(1 for p in products if index.sources(OWNS_STRATEGY, p)),
        counts=result.counts,
        accepted=len(result.accepted),
    )


def _by_rule(entries: Iterable[FindingEntry]) -> dict[str, list[FindingEntry]]:
    groups: dict[str, list[FindingEntry]] = {}
    for entry in entries:
        groups.setdefault(entry.code, []).append(entry)
    return groups


def _worst_first(entries: Iterable[FindingEntry]) -> list[FindingEntry]:
    return sorted(entries, key=lambda e: (SEVERITY_RANK[e.severity], -e.impact, natural_key(e.message)))


def _risk_sentence(group: list[FindingEntry]) -> str:
    first = group[0]
    if len(group) == 1:
        if first.code == "STR004":
            return f"'{first.node_names[0] if first.node_names else '?'}' is connected to nobody"
        if first.code == "STR005":
            return f"{_listed([repr(n) for n in first.node_names])} are related in a way their roles cannot hold"
        # Page 1 speaks of people and relationships, not of the graph's links and nodes.
        return JARGON.sub(lambda m: _PLAIN_WORDS.get(m.group(0).lower(), m.group(0)), first.message)
    text = RISK_PLURALS.get(first.code, "{n} places: " + first.title.lower()).format(n=f"{len(group):,}")
    names = [name for entry in _worst_first(group)[:3] for name in entry.node_names[:1]]
    return f"{text}, among them {_listed(names)}" if names else text


def _risks(findings: list[FindingEntry]) -> list[Risk]:
    """The top risks: each rule's findings of one severity, ranked by summed impact; infos only when alone."""
    serious = [f for f in findings if f.severity in ("error", "warning")] or findings
    groups: dict[tuple[str, str], list[FindingEntry]] = {}
    for entry in serious:
        groups.setdefault((entry.code, entry.severity), []).append(entry)
    ranked = sorted(
        groups.values(),
        key=lambda g: (-sum(e.impact for e in g), SEVERITY_RANK[g[0].severity], g[0].code),
    )
    risks: list[Risk] = []
    for group in ranked:
        if len(risks) == TOP_RISKS:
            break
        group = _worst_first(group)
        actions = Counter(e.action for e in group if e.action)
        if actions and any(risk.action == actions.most_common(1)[0][0] for risk in risks):
            continue  # two rules' view of one problem (a team and its product with two owners): one step fixes both
        risks.append(
            Risk(
                code=group[0].code,
                severity=group[0].severity,
                sentence=_risk_sentence(group),
                impact=sum(e.impact for e in group),
                teams=sum(e.teams_affected for e in group),
                products=sum(e.products_affected for e in group),
                people=sum(e.people_affected for e in group),
                action=actions.most_common(1)[0][0] if actions else "",
                action_kind=next((e.action_kind for e in group if e.action), ""),
                decisions=sum(1 for e in group if e.decision),
                findings=tuple(group),
            )
        )
    return risks


def _join(names: list[str]) -> str:
    return ", ".join(names) if names else "—"


def _product_coverage(index: OrgIndex) -> DataTable:
    rows = []
    for product in index.ids_by_kind.get(PRODUCT, []):
        teams = index.sources(BUILDS, product)
        strategists = index.sources(OWNS_STRATEGY, product)
        backlog_owners = dict.fromkeys(o for t in teams for o in index.sources(OWNS_BACKLOG, t))
        stakeholders = index.sources(STAKEHOLDER_OF, product)
        row = (
            index.name(product),
            _join(_sorted_names(index, strategists)),
            _join(_sorted_names(index, backlog_owners)),
            len(teams),
            _join(_sorted_names(index, teams)),
            _join(_sorted_names(index, stakeholders)),
        )
        rows.append((row, len(strategists) != 1 or not teams or len(backlog_owners) != 1))
    rows.sort(key=lambda r: natural_key(r[0][0]))
    return DataTable(
        "products",
        "Coverage per product",
        ("Product", "Strategy owner", "Backlog owners", "Teams", "Team names", "Stakeholders"),
        tuple(r for r, _ in rows),
        "Marked rows lack a single strategy owner, a team, or a single backlog owner across their teams.",
        tuple(f for _, f in rows),
    )


def _duty_table(index: OrgIndex, duties: list[ProductDuties]) -> DataTable:
    """Every duty of every product with its R, A, C and I: the full table for the JSON and the workbook."""
    rows, flagged = [], []
    # A product's strategy duties (and its execution duties) mostly share their cells: name each set once.
    named: dict[tuple, tuple[str, ...]] = {}
    for product in natural_sorted(duties, key=lambda p: index.name(p.product)):
        name = index.name(product.product)
        source = "the chart" if product.follows_links else "its own matrix"
        for duty in DUTY_LIST:
            cells = tuple(product.matrix.get(duty.id, {}).items())
            holders = named.get(cells)
            if holders is None:
                holders = named[cells] = tuple(
                    _join(_sorted_names(index, [p for p, x in cells if x == letter])) for letter in RACI
                )
            rows.append((name, duty.label, duty.horizon, *holders, source))
            flagged.append(duty.id in product.unowned or duty.id in product.shared)
    return DataTable(
        "duties",
        "Duties per product",
        ("Product", "Duty", "Horizon", *(RACI_LABELS[x] for x in RACI), "Taken from"),
        tuple(rows),
        "Marked rows have nobody accountable, or several.",
        tuple(flagged),
    )


def _team_coverage(index: OrgIndex) -> DataTable:
    rows = []
    for team in index.ids_by_kind.get(DEV_TEAM, []):
        owners = index.sources(OWNS_BACKLOG, team)
        products = index.targets(BUILDS, team)
        size = index.node(team).size
        row = (
            index.name(team),
            _join(_sorted_names(index, owners)),
            _join(_sorted_names(index, products)),
            "—" if size is None else size,
        )
        rows.append((row, len(owners) != 1 or not products))
    rows.sort(key=lambda r: natural_key(r[0][0]))
    return DataTable(
        "teams",
        "Coverage per team",
        ("Team", "Backlog owner", "Product", "Size"),
        tuple(r for r, _ in rows),
        "Marked rows have no backlog owner, several, or no product.",
        tuple(f for _, f in rows),
    )


def _load_table(index: OrgIndex, key, title, columns, loads: dict[str, list[str]], limit: int, note: str):
    rows = []
    flagged = []
    ordered = sorted(loads.items(), key=lambda kv: (-len(kv[1]), natural_key(index.name(kv[0]))))
    for person, items in ordered:
        count = len(items)
        status = "over the limit" if count > limit else ("at the limit" if count == limit else "within")
        kind = NODE_LABELS.get(index.kind_of[person], index.kind_of[person])
        vacant = " (vacant)" if index.node(person).vacant else ""
        rows.append((index.name(person) + vacant, kind, count, limit, status))
        flagged.append(count > limit)
    return DataTable(key, title, columns, tuple(rows), note, tuple(flagged))


def _load_tables(index: OrgIndex, profile: Profile) -> list[DataTable]:
    backlog = {p: ts for p, ts in index.out[OWNS_BACKLOG].items() if ts}
    strategy = {p: ps for p, ps in index.out[OWNS_STRATEGY].items() if ps}
    reports = {m: rs for m, rs in index.into[REPORTS_TO].items() if rs}
    return [
        _load_table(
            index, "backlog_load", "Teams per backlog owner",
            ("Backlog owner", "Role", "Teams", "Limit", "Status"), backlog, profile.max_teams_per_backlog_owner,
            f"The {profile.title} profile allows {profile.max_teams_per_backlog_owner} teams per backlog owner.",
        ),
        _load_table(
            index, "strategy_load", "Products per strategy owner",
            ("Strategy owner", "Role", "Products", "Limit", "Status"), strategy,
            profile.max_products_per_strategy_owner,
            f"One person can hold the strategy of up to {profile.max_products_per_strategy_owner} products.",
        ),
        _load_table(
            index, "span_of_control", "Direct reports per manager",
            ("Manager", "Role", "Direct reports", "Limit", "Status"), reports, profile.max_direct_reports,
            f"Spans wider than {profile.max_direct_reports} direct reports are worth a look; there is no universal "
            "number.",
        ),
    ]


def _node_entry(node: Node) -> NodeEntry:
    return NodeEntry(node.id, node.kind, node.label, node.title, node.vacant)


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


def _comparison(diff: OrgDiff, baseline_source: str, profile: Profile) -> Comparison:
    before_index = OrgIndex(diff.current)
    after_index = OrgIndex(diff.proposed)
    before = diff.before or analyze(diff.current, profile)
    after = diff.after or analyze(diff.proposed, profile)
    return Comparison(
        baseline_name=diff.current.name,
        baseline_source=baseline_source,
        summary=diff.summary(),
        health_before=_health(before_index, before),
        health_after=_health(after_index, after),
        fixed=[_entry(before_index, f) for f in diff.fixed],
        introduced=[_entry(after_index, f) for f in diff.introduced],
        remaining=[_entry(after_index, f) for f in diff.remaining],
        added=[_node_entry(node) for node in diff.added],
        removed=[_node_entry(node) for node in diff.removed],
        changed=[ChangeEntry(c.after.id, c.after.label, c.phrases()) for c in diff.changed],
        links_added=[link_sentence(diff.proposed, link) for link in diff.links_added],
        links_removed=[link_sentence(diff.current, link) for link in diff.links_removed],
        diff=diff,
        duties=[change.sentence(diff.current, diff.proposed) for change in diff.duties],
    )


# -- the document ---------------------------------------------------------------------------------


def build_document(report: Report, org: Org, index: OrgIndex) -> Document:
    """The report as a document tree: the brief, then the evidence, then the appendix."""
    sections = [_plan_section(report, index)]
    if report.comparison is not None:
        sections.append(_comparison_section(report.comparison))
    sections += [
        _pictures_section(report, org, index),
        _findings_section(report),
        _products_section(report),
        _load_section(report),
        _coverage_section(report),
        _duties_section(report, index),
        _accepted_section(report),
        _appendix_section(report),
    ]
    return Document(
        title=report.title,
        subtitle=f"{report.org_name} · {report.profile.title} profile · {report.date}",
        author=AUTHOR,
        org_name=report.org_name,
        file_name=report.file_name,
        date=report.date,
        brief=_brief(report),
        sections=tuple(s for s in sections if s is not None),
        chrome=dict(CHROME),
    )


def org_line(census: Census) -> str:
    """The org in one line: ``About 64 people (52 in 7 teams and 12 named roles) building 4 products.``"""
    about = "At least" if census.teams_without_size else "About"
    parts = []
    if census.team_members:
        parts.append(f"{census.team_members:,} in {_count(census.teams, 'team')}")
    elif census.teams:
        parts.append(_count(census.teams, "team") + " of unknown size")
    parts.append(_count(census.named_roles, "named role"))
    line = f"{about} {census.people:,} people ({_listed(parts)}) building {_count(census.products, 'product')}"
    if census.open_roles:
        line += f", with {_count(census.open_roles, 'open role')} to fill"
    return line + "."


#: What errors and warnings of each area do to the org, in the verdict's words.
_ERROR_EFFECTS = {
    "ownership": ("leaves", "leave", " teams or products with nobody in charge"),
    "structure": ("leaves", "leave", " reporting lines or relationships that cannot hold"),
    "load": ("puts", "put", " more on people than they can carry"),
    "alignment": ("leaves", "leave", " strategy and delivery out of touch"),
    "risk": ("hangs", "hang", " too much on single people"),
}
_WARNING_TOPICS = {
    "ownership": "shared ownership",
    "structure": "structure",
    "load": "workload",
    "alignment": "alignment",
    "risk": "key-person risk",
    "duties": "who answers for which duty",
}


def verdict(report: Report) -> tuple[str, str]:
    """The verdict sentence and its tone."""
    counts = report.health.counts
    errors, warnings, infos = counts["error"], counts["warning"], counts["info"]
    if errors:
        areas = Counter(_area(f.code) for f in report.findings if f.severity == "error")
        form = 0 if errors == 1 else 1
        effects = _listed([_ERROR_EFFECTS[area][form] + _ERROR_EFFECTS[area][2] for area, _ in areas.most_common(2)])
        tail = f", and {_count(warnings, 'warning')} strain the people who hold the rest" if warnings else ""
        return f"Not ready as drawn: {_count(errors, 'error')} {effects}{tail}.", "error"
    if warnings:
        areas = Counter(_area(f.code) for f in report.findings if f.severity == "warning")
        topics = _listed([_WARNING_TOPICS[area] for area, _ in areas.most_common(3)])
        return (
            f"Workable but strained: no errors; {_count(warnings, 'warning')} about {topics} to settle before the "
            "org grows.",
            "warning",
        )
    if infos:
        return f"Sound: no errors or warnings; {_count(infos, 'note')} worth knowing.", "ok"
    return "Sound: no gaps found.", "ok"


def ask(plan: StaffingPlan) -> str:
    """The plan's totals in one sentence: the ask of page 1."""
    steps = [a for a in plan.actions if a.kind != "accept"]
    if len(steps) <= 4:
        text = plan.ask()
        if len(text) <= 320 and not JARGON.search(text):
            return text
    parts = []
    hires = [_role(kind, count) for kind, count in sorted(plan.hires.items()) if count]
    if hires:
        parts.append("hire " + _listed(hires))
    kinds = Counter(a.kind for a in steps if a.kind != "hire")
    for kind in ACTION_KINDS:
        if kind in _ACTION_TOTALS and kinds[kind]:
            one, many = _ACTION_TOTALS[kind]
            parts.append((one if kinds[kind] == 1 else many).format(n=f"{kinds[kind]:,}"))
    if plan.decisions:
        parts.append(f"decide on {_count(len(plan.decisions), 'finding')} the plan cannot settle")
    if not parts:
        return plan.ask()
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def _risk_item(risk: Risk) -> Inline:
    reach = [
        _count(n, one, many)
        for n, one, many in ((risk.teams, "team", "teams"), (risk.products, "product", "products"),
                             (risk.people, "person", "people"))
        if n
    ]
    reach_text = f" Touches {_listed(reach)}." if reach else ""
    if risk.action and not JARGON.search(risk.action):
        action = f" Plan: {risk.action[:1].lower() + risk.action[1:]}."
    elif risk.action:
        action = f" Plan: {ACTION_HEADINGS.get(risk.action_kind, 'a step of the plan').lower()}."
    elif risk.decisions:
        action = " No hire or move settles it: leadership decides."
    else:
        action = ""
    return runs(strong(risk.sentence[:1].upper() + risk.sentence[1:] + "."), reach_text, action)


def _brief(report: Report) -> Section:
    health = report.health
    counts = health.counts
    text, tone = verdict(report)
    unowned_teams = health.teams - health.teams_with_one_owner
    unowned_products = health.products - health.products_with_strategy_owner
    blocks: list = [
        Paragraph(runs(org_line(report.census)), "lead"),
        KeyFigures(
            (
                KeyFigure(f"{counts['error']:,}", _plural(counts["error"], "error"),
                          "error" if counts["error"] else "ok"),
                KeyFigure(f"{counts['warning']:,}", _plural(counts["warning"], "warning"),
                          "warning" if counts["warning"] else "ok"),
                KeyFigure(f"{unowned_teams:,}", f"of {_count(health.teams, 'team')} without a single backlog owner",
                          "error" if unowned_teams else "ok"),
                KeyFigure(f"{unowned_products:,}",
                          f"of {_count(health.products, 'product')} without a strategy owner",
                          "error" if unowned_products else "ok"),
            )
        ),
        Callout(tone, "Verdict", (Paragraph(runs(text)),)),
    ]
    comparison = report.comparison
    if comparison is not None:
        before_after_tone = "ok" if comparison.better else "error" if comparison.worse else "neutral"
        blocks.append(Callout(before_after_tone, "Before and after", (Paragraph(runs(comparison.headline())),)))
    plan = report.plan
    ask_blocks: list = [Paragraph(runs(strong(ask(plan))), "lead")]
    hires = [(kind, count) for kind, count in sorted(plan.hires.items()) if count]
    if hires:
        ask_blocks.append(
            Paragraph(runs("Headcount: ", strong(_listed([_role(kind, count) for kind, count in hires])),
                           " to hire."))
        )
    outcome = plan_outcome(plan, counts)
    if outcome:
        ask_blocks.append(Paragraph(runs(outcome)))
    blocks.append(Callout("neutral", "The ask", tuple(ask_blocks)))
    if report.risks:
        blocks.append(
            Section(
                "top-risks",
                "Top risks, by impact",
                (
                    BulletList(
                        tuple(_risk_item(risk) for risk in report.risks),
                        ordered=True,
                        tones=tuple(risk.severity for risk in report.risks),
                    ),
                ),
            )
        )
    return Section("brief", "The brief", tuple(blocks))


def plan_outcome(plan: StaffingPlan, counts: dict[str, int]) -> str:
    """What the org is left with once the plan is carried out, in one sentence ("" when the plan has no steps)."""
    after = plan.after
    if not plan.actions or not after:
        return ""
    left = _listed([_count(after.get(s, 0), s) for s in SEVERITIES])
    before = counts["error"] + counts["warning"]
    serious = after.get("error", 0) + after.get("warning", 0)
    return f"Once carried out: {left} remain (errors and warnings {before:,} → {serious:,})."


def _plan_section(report: Report, index: OrgIndex) -> Section:
    plan = report.plan
    blocks: list = [Paragraph(runs(strong(ask(plan))), "lead")]
    outcome = plan_outcome(plan, report.health.counts)
    if outcome:
        blocks.append(Paragraph(runs(outcome)))
        before = {s: report.health.counts[s] for s in SEVERITIES}
        after = {s: plan.after.get(s, 0) for s in SEVERITIES}
        drawing = figures.before_after_chart(before, after, FIGURE_WIDTH)
        if drawing is not None:
            blocks.append(
                Figure(
                    "plan-effect", drawing, "Findings by severity today and once the plan is carried out.",
                    "Bar chart: " + ", ".join(f"{s}s {before[s]} today, {after[s]} after the plan" for s in SEVERITIES),
                )
            )
    hires = [(kind, count) for kind, count in sorted(plan.hires.items()) if count]
    if hires:
        blocks.append(
            Table(
                "hires",
                (Column("Role to hire", weight=3), Column("People", "number")),
                tuple(Row((NODE_LABELS.get(kind, kind), count)) for kind, count in hires),
                sortable=False,
            )
        )
    by_kind: dict[str, list] = {}
    for action in plan.actions:
        by_kind.setdefault(action.kind, []).append(action)
    for kind in ACTION_KINDS:
        steps = by_kind.get(kind)
        if not steps:
            continue
        items = [
            runs(strong(step.headline.rstrip(".") + "."), f" {_shortened(step.detail)}" if step.detail else "")
            for step in steps[:PLAN_STEPS]
        ]
        sub: list = [BulletList(tuple(items))]
        if len(steps) > PLAN_STEPS:
            sub.append(Paragraph(runs(_more(len(steps) - PLAN_STEPS, "step of this kind", "steps of this kind")),
                                 "note"))
        blocks.append(Section(f"plan-{kind}", ACTION_HEADINGS.get(kind, kind), tuple(sub)))
    if plan.decisions:
        decisions = sorted(plan.decisions, key=lambda d: d.finding.sort_key())
        items = [runs(d.question) for d in decisions[:PLAN_STEPS]]
        sub = [
            Paragraph(runs("No step of the plan settles these: fix each by hand, or accept it as a known risk.")),
            BulletList(tuple(items), tones=tuple(d.finding.severity for d in decisions[:PLAN_STEPS])),
        ]
        if len(decisions) > PLAN_STEPS:
            sub.append(Paragraph(runs(_more(len(decisions) - PLAN_STEPS, "decision", "decisions")), "note"))
        blocks.append(Section("plan-decisions", "Decisions for leadership", tuple(sub)))
    if plan.is_empty:
        blocks.append(Paragraph(runs("Nothing to hire, move or decide: no error or warning stands.")))
    return Section("plan", "The staffing plan", tuple(blocks), new_page=True)


def _shortened(text: str, limit: int = DETAIL_CHARACTERS) -> str:
    """The text, or its first sentences up to ``limit`` characters when longer (the full text is in the JSON)."""
    if len(text) <= limit:
        return text
    cut = text.rfind(". ", 0, limit)
    return (text[: cut + 1] if cut > 0 else text[:limit].rsplit(" ", 1)[0]) + " …"


def _more(count: int, one: str, many: str) -> str:
    return f"{count:,} more {one if count == 1 else many} in the CSV and JSON versions of this report."


def _gap_items(entries: list[FindingEntry]) -> BulletList:
    return BulletList(
        tuple(runs(strong(SEVERITY_HEADINGS[e.severity][:-1] + ": "), e.message) for e in entries),
        tones=tuple(e.severity for e in entries),
    )


def _comparison_section(comparison: Comparison) -> Section:
    blocks: list = [Paragraph(runs(comparison.introduction()))]
    before = {s: comparison.health_before.counts[s] for s in SEVERITIES}
    after = {s: comparison.health_after.counts[s] for s in SEVERITIES}
    drawing = figures.before_after_chart(before, after, FIGURE_WIDTH)
    if drawing is not None:
        blocks.append(
            Figure(
                "before-after", drawing, "Findings by severity, today and with the proposal.",
                "Bar chart: " + ", ".join(f"{s}s {before[s]} before, {after[s]} after" for s in SEVERITIES),
            )
        )
    rows = comparison.health_rows()
    blocks.append(
        Table(
            "before-after",
            (Column("Measure", weight=3), Column("Before", "number"), Column("After", "number"), Column("Change")),
            tuple(Row((r.label, r.before, r.after, r.trend), r.tone) for r in rows),
            sortable=False,
        )
    )
    fixed = _worst_first(comparison.fixed)
    blocks.append(
        Section(
            "fixed", f"Gaps fixed ({len(fixed)})",
            (_gap_items(fixed),) if fixed else (Paragraph(runs("None.")),),
        )
    )
    introduced = _worst_first(comparison.introduced)
    if introduced:
        worst = introduced[0].severity
        serious = [e for e in introduced if e.severity in ("error", "warning")]
        lead = (
            "New errors and warnings: leadership must accept them, or the proposal must change to avoid them."
            if serious
            else "Only infos: worth knowing, nothing to accept."
        )
        blocks.append(
            Callout(worst, f"Gaps introduced ({len(introduced)})", (Paragraph(runs(lead)), _gap_items(introduced)))
        )
    else:
        blocks.append(Callout("ok", "Gaps introduced (0)", (Paragraph(runs("None: the proposal opens no new gap.")),)))
    blocks.append(Paragraph(runs(comparison.remaining_sentence()), "note"))
    if comparison.duties:
        shown = comparison.duties[:PLAN_STEPS]
        sub: list = [BulletList(tuple(runs(sentence) for sentence in shown))]
        if len(comparison.duties) > len(shown):
            sub.append(Paragraph(runs(_more(len(comparison.duties) - len(shown), "change", "changes")), "note"))
        blocks.append(Section("duties-changing-hands", f"Duties changing hands ({len(comparison.duties)})",
                              tuple(sub)))
    changes: list = []
    for title, items, empty in (
        ("Added", [e.describe() for e in comparison.added], "Nothing."),
        ("Removed", [e.describe() for e in comparison.removed], "Nothing."),
        ("Changed", [e.describe() for e in comparison.changed], "Nothing."),
        ("Relationships added", comparison.links_added, "None."),
        ("Relationships removed", comparison.links_removed, "None."),
    ):
        body = BulletList(tuple(runs(item) for item in items)) if items else Paragraph(runs(empty))
        changes.append(Section(f"changes-{title.lower().replace(' ', '-')}", f"{title} ({len(items)})", (body,)))
    blocks.append(Details("What the proposal changes, card by card", tuple(changes)))
    return Section("before-after", "Before and after", tuple(blocks))


def _product_rows(report: Report, index: OrgIndex) -> list[tuple[str, int, int]]:
    rows = []
    for product in index.ids_by_kind.get(PRODUCT, []):
        teams = index.sources(BUILDS, product)
        people = sum(node.size or 0 for node in index.nodes_of(teams))
        rows.append((index.name(product), people, len(teams)))
    return sorted(rows, key=lambda r: (-r[1], -r[2], natural_key(r[0])))


def _severity_by_product(report: Report, index: OrgIndex) -> dict[str, str]:
    by_name = {index.name(p): p for p in index.ids_by_kind.get(PRODUCT, [])}
    worst: dict[str, str] = {}
    for entry in report.findings:
        for name in entry.products:
            product = by_name.get(name)
            if product is not None and (product not in worst
                                        or SEVERITY_RANK[entry.severity] < SEVERITY_RANK[worst[product]]):
                worst[product] = entry.severity
    return worst


def _pictures_section(report: Report, org: Org, index: OrgIndex) -> Section | None:
    blocks: list = []
    products = _product_rows(report, index)
    shown = products[:15]
    drawing = figures.people_per_product_chart(shown, FIGURE_WIDTH)
    if drawing is not None:
        caption = "People and teams per product"
        if len(products) > len(shown):
            caption += f": the {len(shown)} largest of {len(products):,} products"
        alt = "; ".join(f"{n}: {_count(p, 'person', 'people')} in {_count(t, 'team')}" for n, p, t in shown)
        blocks.append(Figure("people-per-product", drawing, caption + ".", "Bar chart: " + alt))
    spans = [len(reports) for reports in index.into[REPORTS_TO].values() if reports]
    limit = report.profile.max_direct_reports
    drawing = figures.span_of_control_chart(spans, limit, FIGURE_WIDTH)
    if drawing is not None:
        over = sum(1 for s in spans if s > limit)
        blocks.append(
            Figure(
                "span-of-control", drawing,
                f"Direct reports per manager, with the limit of {limit} marked: {over:,} of {len(spans):,} "
                f"{_plural(len(spans), 'manager')} above it.",
                f"Histogram of {len(spans)} spans of control; widest {max(spans)}; limit {limit}.",
            )
        )
    by_product: dict[str, Counter] = {}
    for entry in report.findings:
        for name in entry.products or ():
            by_product.setdefault(name, Counter())[entry.area] += 1
    area_rows = sorted(by_product.items(), key=lambda kv: (-sum(kv[1].values()), natural_key(kv[0])))[:12]
    drawing = figures.findings_by_area_chart([(name, dict(c)) for name, c in area_rows], FIGURE_WIDTH)
    if drawing is not None:
        caption = "Findings by area per product"
        if len(by_product) > len(area_rows):
            caption += f": the {len(area_rows)} products with the most of {len(by_product):,} with findings"
        blocks.append(Figure("findings-by-area", drawing, caption + ".",
                             "Stacked bars: " + "; ".join(f"{n}: {sum(c.values())}" for n, c in area_rows)))
    chart = figures.org_chart(org, report.highlight, FIGURE_WIDTH, FIGURE_HEIGHT)
    if chart is not None:
        blocks.append(
            Figure(
                "org-chart", chart,
                "The org chart. Cards with findings carry the colour of their worst one: red error, amber warning, "
                "blue info.",
                f"Org chart of {report.nodes:,} cards; {len(report.highlight):,} have findings.",
            )
        )
    else:
        for number, risk in enumerate(report.risks, 1):
            nodes = list(dict.fromkeys(n for e in risk.findings[:3] for n in e.node_ids if n in index.kind_of))
            drawing = figures.focus_diagram(org, nodes, report.highlight, FIGURE_WIDTH)
            if drawing is not None:
                blocks.append(
                    Figure(
                        f"focus-{number}", drawing,
                        f"Risk {number} up close: {risk.sentence}.",
                        f"Diagram of the people, teams and products around risk {number}.",
                    )
                )
        overview = figures.product_overview(org, _severity_by_product(report, index), FIGURE_WIDTH)
        if overview is not None:
            blocks.append(
                Figure(
                    "product-overview", overview,
                    f"The {report.census.products:,} products at a glance, coloured by their worst finding. "
                    f"At {report.nodes:,} cards the whole chart does not fit a readable page.",
                    "Overview of the products coloured by severity.",
                )
            )
    if not blocks:
        return None
    return Section("pictures", "The org at a glance", tuple(blocks))


def _findings_section(report: Report) -> Section:
    if not report.findings:
        return Section("findings", "Findings by rule", (Paragraph(runs("No gaps found.")),))
    groups = _by_rule(report.findings)
    ordered = sorted(
        groups.values(),
        key=lambda g: (min(SEVERITY_RANK[e.severity] for e in g), -sum(e.impact for e in g), g[0].code),
    )
    blocks: list = [
        Paragraph(runs(
            f"{_count(len(report.findings), 'finding')} from {_count(len(groups), 'rule')}, worst first. Each rule "
            "shows where it hits and its worst examples; the appendix explains every rule."
        ))
    ]
    for group in ordered:
        group = _worst_first(group)
        first = group[0]
        severities = Counter(e.severity for e in group)
        counted = _listed([_count(severities[s], s) for s in SEVERITIES if severities[s]])
        products = Counter(p for e in group for p in e.products)
        where = ""
        if products:
            top = sorted(products.items(), key=lambda kv: (-kv[1], natural_key(kv[0])))
            names = [f"{name} ({n})" for name, n in top[:5]]
            more = f" and {len(top) - 5:,} more" if len(top) > 5 else ""
            where = f" Products hit: {', '.join(names)}{more}."
        sub: list = [Paragraph(runs(strong(counted + "."), where))]
        examples = group[:EXAMPLES]
        sub.append(BulletList(tuple(runs(e.message) for e in examples), tones=tuple(e.severity for e in examples)))
        if len(group) > EXAMPLES:
            sub.append(Paragraph(runs(_more(len(group) - EXAMPLES, "finding", "findings")), "note"))
        actions = Counter(e.action for e in group if e.action)
        if actions:
            text = "; ".join(a for a, _ in actions.most_common(3))
            sub.append(Paragraph(runs(strong("In the plan: "), text + ".")))
        decided = sum(1 for e in group if e.decision)
        if decided:
            sub.append(Paragraph(runs(strong("Left to leadership: "),
                                      f"{_count(decided, 'finding')} no step of the plan settles.")))
        blocks.append(Section(f"rule-{first.code.lower()}", first.title, tuple(sub)))
    return Section("findings", "Findings by rule", tuple(blocks))


def _products_section(report: Report) -> Section | None:
    per: dict[str, list[FindingEntry]] = {}
    across: list[FindingEntry] = []
    for entry in report.findings:
        if entry.products:
            for name in entry.products:
                per.setdefault(name, []).append(entry)
        else:
            across.append(entry)
    if not per:
        return None
    ordered = sorted(per.items(), key=lambda kv: (-sum(e.impact for e in kv[1]), natural_key(kv[0])))
    rows = []
    for name, entries in ordered[:TABLE_ROWS]:
        counts = Counter(e.severity for e in entries)
        worst = _worst_first(entries)[0]
        flag = worst.severity
        rows.append(Row((name, counts["error"], counts["warning"], counts["info"], worst.message), flag))
    blocks: list = [
        Paragraph(runs(
            f"{_count(len(per), 'product')} of {report.census.products:,} {'has' if len(per) == 1 else 'have'} "
            "findings, ranked by impact."
            + (f" {_count(len(across), 'finding')} concern no single product (reporting lines, spans, "
               "stakeholders)." if across else "")
        )),
        Table(
            "findings-by-product",
            (Column("Product", weight=2.2), Column("Errors", "number", 0.9), Column("Warnings", "number", 1.15),
             Column("Infos", "number", 0.8), Column("Worst finding", weight=5)),
            tuple(rows),
        ),
    ]
    if len(ordered) > TABLE_ROWS:
        blocks.append(Paragraph(runs(_more(len(ordered) - TABLE_ROWS, "product", "products")), "note"))
    return Section("products", "Findings by product", tuple(blocks))


_LOAD_WORDS = {
    "backlog_load": ("backlog owner", "backlog owners", "teams"),
    "strategy_load": ("strategy owner", "strategy owners", "products"),
    "span_of_control": ("manager", "managers", "direct reports"),
}


def _load_section(report: Report) -> Section:
    blocks: list = []
    for table in report.load:
        one, many, unit = _LOAD_WORDS[table.key]
        limit = table.rows[0][3] if table.rows else None
        hot = [row for row in table.rows if row[4] != "within"]
        if not table.rows:
            blocks.append(Paragraph(runs(strong(table.title + ": "), f"no {one} in this org.")))
            continue
        if not hot:
            blocks.append(Paragraph(runs(
                strong(table.title + ": "),
                f"all {_count(len(table.rows), one, many)} are within the limit of {limit} {unit}.",
            )))
            continue
        over = sum(1 for row in hot if row[4] == "over the limit")
        text = (
            f"{over:,} of {_count(len(table.rows), one, many)} over the limit of {limit} {unit}, "
            f"{len(hot) - over:,} at it. {table.note}"
        )
        sub: list = [
            Paragraph(runs(text)),
            Table(
                table.key,
                (Column(table.columns[0], weight=3), Column(table.columns[1], weight=2),
                 Column(table.columns[2], "number"), Column(table.columns[3], "number"),
                 Column(table.columns[4], weight=1.5)),
                tuple(Row(row, "warning" if row[4] == "over the limit" else None) for row in hot[:TABLE_ROWS]),
            ),
        ]
        if len(hot) > TABLE_ROWS:
            sub.append(Paragraph(runs(_more(len(hot) - TABLE_ROWS, "row", "rows")), "note"))
        blocks.append(Section(f"load-{table.key}", table.title, tuple(sub)))
    return Section("load", "Load against the limits", tuple(blocks))


def _coverage_section(report: Report) -> Section:
    health = report.health
    blocks: list = [
        Paragraph(runs(
            f"{health.teams_with_one_owner:,} of {_count(health.teams, 'team')} have exactly one backlog owner; "
            f"{health.products_with_strategy_owner:,} of {_count(health.products, 'product')} have a strategy owner."
        ))
    ]
    for table in report.coverage:
        marked = [row for index, row in enumerate(table.rows) if table.is_flagged(index)]
        if not marked or table.key == "duties":
            continue
        if table.key == "products":
            columns = (Column("Product", weight=2), Column("Strategy owner", weight=2),
                       Column("Backlog owners", weight=2), Column("Teams", "number", 0.8))
            rows = tuple(Row(row[:4], "warning") for row in marked[:TABLE_ROWS])
        else:
            columns = (Column("Team", weight=2), Column("Backlog owner", weight=2), Column("Product", weight=2),
                       Column("Size", "number", 0.8))
            rows = tuple(Row(row, "warning") for row in marked[:TABLE_ROWS])
        sub: list = [Paragraph(runs(table.note)), Table(table.key, columns, rows)]
        if len(marked) > TABLE_ROWS:
            sub.append(Paragraph(runs(_more(len(marked) - TABLE_ROWS, "row", "rows")), "note"))
        blocks.append(Section(f"coverage-{table.key}", f"{table.title}: the gaps", tuple(sub)))
    return Section("coverage", "Coverage", tuple(blocks))


def _duties_section(report: Report, index: OrgIndex) -> Section | None:
    """Who is accountable for each duty: one sentence for the products that are settled, a matrix per product
    with gaps (the worst few), the rows of open duties coloured."""
    coverage = report.duties
    if not coverage:
        return None
    flagged = {e.node_ids[0] for e in report.findings if e.code.startswith("DUT") and e.node_ids}
    gaps = [p for p in coverage if p.has_gaps or p.product in flagged]
    unowned = sum(len(p.unowned) for p in coverage)
    shared = sum(len(p.shared) for p in coverage)
    settled = len(coverage) - len(gaps)
    words = f"{settled:,} of {_count(len(coverage), 'product')} have exactly one person accountable for every duty"
    if unowned:
        words += f"; {_count(unowned, 'duty', 'duties')} {'has' if unowned == 1 else 'have'} nobody accountable"
    if shared:
        words += f"; {_count(shared, 'duty', 'duties')} {'has' if shared == 1 else 'have'} several people accountable"
    blocks: list = [Paragraph(runs(words + "."))]
    plan = report.plan
    after = plan.unowned_duties_after
    if plan.unowned_duties != after:
        left = (f"{_count(after, 'duty', 'duties')} {'is' if after == 1 else 'are'} left with nobody accountable"
                if after else "every duty has someone accountable")
        blocks.append(Paragraph(runs(f"Once the staffing plan is carried out, {left}.")))
    blocks.append(Paragraph(runs(
        "A product's duties come from its own responsibility matrix when it has one; otherwise from the chart: its "
        "strategy owners answer for the strategy duties and the backlog owners of its teams for the execution "
        "duties. R responsible, A accountable, C consulted, I informed. Marked rows have nobody accountable, "
        "or several."
    ), "note"))
    gaps.sort(key=lambda p: (p.follows_links, -(len(p.unowned) + len(p.shared)), natural_key(index.name(p.product))))
    for product in gaps[:DUTY_PRODUCTS]:
        blocks.append(_duty_matrix_section(product, index))
    if len(gaps) > DUTY_PRODUCTS:
        more = len(gaps) - DUTY_PRODUCTS
        blocks.append(Paragraph(runs(
            f"{_count(more, 'more product')} with open duties {'is' if more == 1 else 'are'} listed in full in the "
            "JSON and Excel versions of this report."
        ), "note"))
    return Section("duties", "Duties: who is accountable", tuple(blocks))


def _duty_matrix_section(product: ProductDuties, index: OrgIndex) -> Section:
    people = product.people()
    if not people:
        return Section(f"duties-{product.product}", index.name(product.product), (
            Paragraph(runs("Nobody is accountable for any of its duties: it has no strategy owner, and no backlog "
                           "owner for a team building it."), "body", "warning"),
        ))
    shown = people[:DUTY_PEOPLE]
    columns = [Column("Duty", weight=3)]
    columns += [Column(index.name(p), weight=1.2) for p in shown]
    rows = []
    for duty in DUTY_LIST:
        cells = product.matrix.get(duty.id, {})
        letters = tuple(cells.get(p, "") for p in shown)
        gap = duty.id in product.unowned or duty.id in product.shared
        rows.append(Row((DUTIES[duty.id].label, *letters), "warning" if gap else None))
    source = ("Taken from the chart (no matrix of its own)." if product.follows_links
              else "Its own responsibility matrix.")
    if len(people) > DUTY_PEOPLE:
        source += f" {_count(len(people) - DUTY_PEOPLE, 'more person', 'more people')} in the full table."
    return Section(f"duties-{product.product}", index.name(product.product), (
        Paragraph(runs(source), "note"),
        Table(f"duties-{product.product}", tuple(columns), tuple(rows), sortable=False),
    ))


def _accepted_section(report: Report) -> Section:
    if not report.accepted:
        return Section("accepted", "Accepted risks", (Paragraph(runs("None: no card accepts any finding.")),))
    groups = _by_rule(report.accepted)
    items = []
    for entries in groups.values():
        names = natural_sorted({n for e in entries for n in e.node_names[:1]})
        shown = _listed(names[:8]) + (f" and {len(names) - 8:,} more" if len(names) > 8 else "")
        items.append(runs(strong(f"{entries[0].title} ({len(entries):,}): "), shown))
    return Section(
        "accepted",
        "Accepted risks",
        (
            Paragraph(runs(
                f"{_count(len(report.accepted), 'finding')} accepted as known risks on the cards themselves. "
                "They are left out of the counts above, but they are real."
            )),
            BulletList(tuple(items)),
        ),
    )


def _appendix_section(report: Report) -> Section:
    if not report.appendix:
        return Section("appendix", "Appendix: the rules", (Paragraph(runs("No rule fired.")),))
    blocks = []
    for rule in report.appendix:
        blocks.append(
            Section(
                f"appendix-{rule.code.lower()}",
                f"{rule.title} ({rule.code})",
                (
                    Paragraph(runs(f"Severity: {rule.severity}."), "note"),
                    Paragraph(runs(strong("What it detects. "), rule.detects)),
                    Paragraph(runs(strong("Why it matters. "), rule.why)),
                    Paragraph(runs(strong("How to fix. "), rule.fix)),
                    *(Paragraph(runs(f"Source: {source.rstrip('.')}."), "note") for source in rule.sources),
                ),
            )
        )
    return Section("appendix", "Appendix: the rules behind the findings", tuple(blocks))
