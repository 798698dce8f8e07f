"""The gap report's content, computed once and shared by every output format. No Qt here.

:func:`build_report` runs the analysis and gathers what leadership reads: a
health summary, the three things to fix first, the findings grouped by
severity with the rule's reasons and remedies, coverage and load tables,
staffing recommendations, the accepted risks and an appendix of the rules that
fired. Given a :class:`~planner.diff.OrgDiff` against a baseline (today's org,
when the report is about a proposal) it adds a :class:`Comparison`: the health
figures before and after, the gaps fixed and introduced, and what was added,
removed or changed. Everything is plain text and numbers; the writers in this package (and
the PDF writer in :mod:`planner.render.pdf`) only lay it out, and escape it for
their format.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from planner.analysis import AnalysisResult, Finding, Profile, all_rules, analyze, get_rule, profile_for
from planner.analysis.index import OrgIndex
from planner.analysis.rule import SEVERITIES, SEVERITY_RANK
from planner.diff import OrgDiff, link_sentence
from planner.model.org import Node, Org
from planner.model.vocabulary import (
    BUILDS,
    DEV_TEAM,
    NODE_LABELS,
    OWNS_BACKLOG,
    OWNS_STRATEGY,
    PRODUCT,
    REPORTS_TO,
    STAKEHOLDER_OF,
)

REPORT_TITLE = "Product organisation gap report"

#: Section headings of the findings, one per severity.
SEVERITY_HEADINGS = {"error": "Errors", "warning": "Warnings", "info": "Infos"}

Cell = str | int


@dataclass(frozen=True)
class FindingEntry:
    """One finding as the report shows it: the rule's message, the nodes by name, why it matters, what to do."""

    code: str
    name: str
    title: str
    severity: str
    message: str
    node_ids: tuple[str, ...]
    node_names: tuple[str, ...]
    why: str
    fix: str


@dataclass(frozen=True)
class FixFirst:
    """One of the things to fix first: a rule that fired, how often, on what, and the remedy."""

    code: str
    title: str
    severity: str
    count: int
    node_names: tuple[str, ...]
    fix: str


@dataclass(frozen=True)
class Table:
    """A titled table of text and whole numbers; ``flagged`` marks the rows that break a limit."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
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
class Recommendation:
    """A staffing step: a headline with a number where there is one, and the reasoning behind it."""

    key: str
    headline: str
    detail: str
    count: int | None = None


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
class Health:
    """The executive summary in numbers."""

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
    """One health figure before and after, and whether the proposal improves it."""

    label: str
    before: str
    after: str
    trend: str


@dataclass
class Comparison:
    """The proposal against its baseline: what the before/after section of the report says."""

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

    @property
    def is_empty(self) -> bool:
        return self.diff.is_empty

    def health_rows(self) -> list[HealthChange]:
        """The executive summary's figures before and after, with whether each got better or worse."""
        return _health_changes(self.health_before, self.health_after)

    def introduction(self) -> str:
        """The sentence that opens the section: what the report is compared with, and the one-line summary."""
        baseline = f"Compared with the baseline '{self.baseline_name}'" + (
            f" ({self.baseline_source})" if self.baseline_source else ""
        )
        if self.is_empty:
            moved = " (only cards moved on the chart)" if self.diff.moved else ""
            return f"{baseline}: no change, the two orgs are the same{moved}."
        return f"{baseline}, this proposal {self.summary}."

    def remaining_sentence(self) -> str:
        count = len(self.remaining)
        if not count:
            return "No gap of the baseline remains."
        verb = "remains" if count == 1 else "remain"
        return f"{count} {_plural(count, 'gap')} of the baseline {verb}; the Findings section lists them with the rest."


@dataclass
class Report:
    """Everything the gap report says about one org, in reading order."""

    title: str
    org_name: str
    date: str
    profile: Profile
    source: str
    nodes: int
    links: int
    health: Health
    fix_first: list[FixFirst]
    findings: list[FindingEntry]
    coverage: list[Table]
    load: list[Table]
    recommendations: list[Recommendation]
    accepted: list[FindingEntry]
    appendix: list[RuleEntry]
    #: Node id → the worst severity of its open findings, for highlighting the chart.
    highlight: dict[str, str] = field(default_factory=dict)
    result: AnalysisResult | None = None
    comparison: Comparison | None = None

    def findings_by_severity(self) -> list[tuple[str, list[FindingEntry]]]:
        """``[(severity, entries), ...]`` for each severity that has findings, worst first."""
        groups = [(severity, [f for f in self.findings if f.severity == severity]) for severity in SEVERITIES]
        return [(severity, entries) for severity, entries in groups if entries]

    def findings_by_rule(self, entries: list[FindingEntry] | None = None) -> list[list[FindingEntry]]:
        """The entries (default: the open findings) in groups of one rule each, in the entries' order."""
        groups: dict[str, list[FindingEntry]] = {}
        for entry in self.findings if entries is None else entries:
            groups.setdefault(entry.code, []).append(entry)
        return list(groups.values())

    def health_rows(self) -> list[tuple[str, str]]:
        """The executive summary's figures as (label, value) pairs, in reading order."""
        health = self.health
        return [
            ("Teams with exactly one backlog owner", f"{health.teams_with_one_owner} of {health.teams}"),
            ("Products with a strategy owner", f"{health.products_with_strategy_owner} of {health.products}"),
            ("Errors", str(health.counts["error"])),
            ("Warnings", str(health.counts["warning"])),
            ("Infos", str(health.counts["info"])),
            ("Accepted risks", str(health.accepted)),
        ]

    def summary_sentence(self) -> str:
        counts = self.health.counts
        return (
            f"{counts['error']} {_plural(counts['error'], 'error')}, "
            f"{counts['warning']} {_plural(counts['warning'], 'warning')} and "
            f"{counts['info']} {_plural(counts['info'], 'info')}"
        )


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def build_report(
    org: Org,
    profile: str | Profile | None = None,
    source: str = "",
    today: date | None = None,
    diff: OrgDiff | None = None,
    baseline_source: str = "",
) -> Report:
    """Analyse ``org`` and gather the gap report's content.

    Parameters
    ----------
    org : Org
        The org to report on.
    profile : str or Profile, optional
        Thresholds to apply; the org's own profile when omitted.
    source : str, optional
        The file the org came from, shown in the report and in the JSON output.
    today : date, optional
        The report's date (today when omitted); fixed in tests and samples.
    diff : OrgDiff, optional
        The comparison of a baseline (``diff.current``) with ``org`` (``diff.proposed``), made with the same
        profile; the report then has a before/after section.
    baseline_source : str, optional
        The file the baseline came from, named in that section.
    """
    if not isinstance(profile, Profile):
        profile = profile_for(org, profile)
    result = analyze(org, profile)
    index = OrgIndex(org)
    findings = [_entry(index, f) for f in result.findings]
    accepted = [_entry(index, f) for f in result.accepted]
    fired = {f.code for f in result.findings} | {f.code for f in result.accepted}
    highlight: dict[str, str] = {}
    for finding in result.findings:
        for node_id in finding.nodes:
            current = highlight.get(node_id)
            if current is None or SEVERITY_RANK[finding.severity] < SEVERITY_RANK[current]:
                highlight[node_id] = finding.severity
    return Report(
        title=REPORT_TITLE,
        org_name=org.name,
        date=(today or date.today()).isoformat(),
        profile=profile,
        source=source,
        nodes=len(org),
        links=org.number_of_links(),
        health=_health(index, result),
        fix_first=_fix_first(index, result.findings),
        findings=findings,
        coverage=[_product_coverage(index), _team_coverage(index)],
        load=_load_tables(index, profile),
        recommendations=_recommendations(index, result, profile),
        accepted=accepted,
        appendix=[_rule_entry(code) for code in _catalog_order(fired)],
        highlight=highlight,
        result=result,
        comparison=None if diff is None else _comparison(diff, baseline_source, profile),
    )


def _entry(index: OrgIndex, finding: Finding) -> FindingEntry:
    rule = get_rule(finding.code)
    return FindingEntry(
        code=finding.code,
        name=finding.name,
        title=rule.title if rule else finding.name,
        severity=finding.severity,
        message=finding.message,
        node_ids=finding.nodes,
        node_names=tuple(index.name(n) for n in finding.nodes if n in index.kind_of),
        why=rule.why if rule else "",
        fix=rule.fix if rule else "",
    )


def _catalog_order(codes: Iterable[str]) -> list[str]:
    wanted = set(codes)
    return [rule.code for rule in all_rules() if rule.code in wanted]


def _rule_entry(code: str) -> RuleEntry:
    rule = get_rule(code)
    return RuleEntry(rule.code, rule.name, rule.title, rule.severity_summary(), rule.detects, rule.why, rule.fix,
                     rule.sources)


def _sorted_names(index: OrgIndex, ids: Iterable[str]) -> list[str]:
    return sorted((index.name(n) for n in ids), key=str.casefold)


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


def _fix_first(index: OrgIndex, findings: list[Finding], limit: int = 3) -> list[FixFirst]:
    """The rules to act on first: worst severity, then the most places hit, then catalog order."""
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.code, []).append(finding)
    order = _catalog_order(groups)
    ranked = sorted(
        groups.values(),
        key=lambda fs: (min(SEVERITY_RANK[f.severity] for f in fs), -len(fs), order.index(fs[0].code)),
    )
    picked = []
    for group in ranked[:limit]:
        rule = get_rule(group[0].code)
        subjects = dict.fromkeys(f.subject for f in group if f.subject is not None)
        worst = min((f.severity for f in group), key=SEVERITY_RANK.__getitem__)
        picked.append(
            FixFirst(
                code=group[0].code,
                title=rule.title if rule else group[0].name,
                severity=worst,
                count=len(group),
                node_names=tuple(index.name(n) for n in subjects),
                fix=rule.fix if rule else "",
            )
        )
    return picked


def _join(names: list[str]) -> str:
    return ", ".join(names) if names else "—"


def _product_coverage(index: OrgIndex) -> Table:
    rows = []
    flagged = []
    for product in index.ids_by_kind.get(PRODUCT, []):
        teams = index.sources(BUILDS, product)
        strategists = index.sources(OWNS_STRATEGY, product)
        backlog_owners = dict.fromkeys(o for t in teams for o in index.sources(OWNS_BACKLOG, t))
        stakeholders = index.sources(STAKEHOLDER_OF, product)
        rows.append(
            (
                index.name(product),
                _join(_sorted_names(index, strategists)),
                _join(_sorted_names(index, backlog_owners)),
                len(teams),
                _join(_sorted_names(index, teams)),
                _join(_sorted_names(index, stakeholders)),
            )
        )
        flagged.append(len(strategists) != 1 or not teams or len(backlog_owners) != 1)
    return Table(
        "products",
        "Coverage per product",
        ("Product", "Strategy owner", "Backlog owners", "Teams", "Team names", "Stakeholders"),
        tuple(rows),
        "Marked rows lack a single strategy owner, a team, or a single backlog owner across their teams.",
        tuple(flagged),
    )


def _team_coverage(index: OrgIndex) -> Table:
    rows = []
    flagged = []
    for team in index.ids_by_kind.get(DEV_TEAM, []):
        owners = index.sources(OWNS_BACKLOG, team)
        products = index.targets(BUILDS, team)
        size = index.node(team).size
        rows.append(
            (
                index.name(team),
                _join(_sorted_names(index, owners)),
                _join(_sorted_names(index, products)),
                "—" if size is None else size,
            )
        )
        flagged.append(len(owners) != 1 or not products)
    return Table(
        "teams",
        "Coverage per team",
        ("Team", "Backlog owner", "Product", "Size"),
        tuple(rows),
        "Marked rows have no backlog owner, several, or no product.",
        tuple(flagged),
    )


def _load_table(index: OrgIndex, key: str, title: str, columns, loads: dict[str, list[str]], limit: int, note: str):
    rows = []
    flagged = []
    for person, items in sorted(loads.items(), key=lambda kv: (-len(kv[1]), index.name(kv[0]).casefold())):
        count = len(items)
        status = "over the limit" if count > limit else ("at the limit" if count == limit else "within")
        kind = NODE_LABELS.get(index.kind_of[person], index.kind_of[person])
        vacant = " (vacant)" if index.node(person).vacant else ""
        rows.append((index.name(person) + vacant, kind, count, limit, status))
        flagged.append(count > limit)
    return Table(key, title, columns, tuple(rows), note, tuple(flagged))


def _load_tables(index: OrgIndex, profile: Profile) -> list[Table]:
    backlog = {p: ts for p, ts in index.out[OWNS_BACKLOG].items() if ts}
    strategy = {p: ps for p, ps in index.out[OWNS_STRATEGY].items() if ps}
    reports = {m: rs for m, rs in index.into[REPORTS_TO].items() if rs}
    return [
        _load_table(
            index,
            "backlog_load",
            "Teams per backlog owner",
            ("Backlog owner", "Role", "Teams", "Limit", "Status"),
            backlog,
            profile.max_teams_per_backlog_owner,
            f"The {profile.title} profile allows {profile.max_teams_per_backlog_owner} teams per backlog owner.",
        ),
        _load_table(
            index,
            "strategy_load",
            "Products per strategy owner",
            ("Strategy owner", "Role", "Products", "Limit", "Status"),
            strategy,
            profile.max_products_per_strategy_owner,
            f"One person can hold the strategy of up to {profile.max_products_per_strategy_owner} products.",
        ),
        _load_table(
            index,
            "span_of_control",
            "Direct reports per manager",
            ("Manager", "Role", "Direct reports", "Limit", "Status"),
            reports,
            profile.max_direct_reports,
            f"Spans wider than {profile.max_direct_reports} direct reports are worth a look; there is no universal "
            "number.",
        ),
    ]


def _recommendations(index: OrgIndex, result: AnalysisResult, profile: Profile) -> list[Recommendation]:
    by_code: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_code.setdefault(finding.code, []).append(finding)
    steps: list[Recommendation] = []
    hire = _product_owner_hires(index, [f.subject for f in by_code.get("OWN001", [])], profile)
    if hire is not None:
        steps.append(hire)
    overload = _overload_hires(index, by_code.get("LOAD001", []), profile)
    if overload is not None:
        steps.append(overload)
    strategy = _strategy_owner_needs(index, [f.subject for f in by_code.get("OWN002", [])], profile)
    if strategy is not None:
        steps.append(strategy)
    split = _dual_hats(index, by_code.get("RSK002", []))
    if split is not None:
        steps.append(split)
    planned = by_code.get("RSK003", [])
    if planned:
        names = _sorted_names(index, {f.subject for f in planned})
        steps.append(
            Recommendation(
                "planned_hires",
                f"Hires already planned: {len(names)} vacant {_plural(len(names), 'role')}",
                f"On paper these roles already own work: {', '.join(names)}. Until each hire starts, name who covers "
                "the work in the meantime, so that the plan does not hide a gap.",
                len(names),
            )
        )
    if not steps:
        steps.append(
            Recommendation(
                "none",
                "No hires needed for the gaps found",
                "Every team has a backlog owner and every product a strategy owner within the profile's limits. "
                "Re-run the report as teams or products are added.",
                0,
            )
        )
    return steps


def _product_owner_hires(index: OrgIndex, unowned: list[str], profile: Profile) -> Recommendation | None:
    """Product owners to hire for the unowned teams: per product, after existing owners' spare room."""
    if not unowned:
        return None
    limit = profile.max_teams_per_backlog_owner
    by_product: dict[str | None, list[str]] = {}
    for team in unowned:
        products = index.targets(BUILDS, team)
        by_product.setdefault(products[0] if products else None, []).append(team)
    # Room left under the limit, per owner; shared across products so that nobody's room counts twice.
    room: dict[str, int] = {}
    hires = 0
    lines = []
    for product, teams in by_product.items():
        takers: dict[str, int] = {}
        if product is not None:
            teams_of_product = index.sources(BUILDS, product)
            owners = dict.fromkeys(o for t in teams_of_product for o in index.sources(OWNS_BACKLOG, t))
            left = len(teams)
            for owner in owners:
                room.setdefault(owner, max(0, limit - len(index.targets(OWNS_BACKLOG, owner))))
                taken = min(room[owner], left)
                if taken:
                    takers[owner] = taken
                    room[owner] -= taken
                    left -= taken
        absorbed = sum(takers.values())
        needed = math.ceil((len(teams) - absorbed) / limit)
        hires += needed
        where = f"'{index.name(product)}'" if product is not None else "no product yet"
        part = f"{len(teams)} unowned {_plural(len(teams), 'team')} on {where}"
        if absorbed:
            part += ": " + ", ".join(f"{index.name(o)} can take {n}" for o, n in takers.items()) + " within the limit"
            part += f", {needed} new {_plural(needed, 'owner')} for the rest" if needed else ""
        else:
            part += f": {needed} new {_plural(needed, 'owner')}"
        lines.append(part)
    headline = f"Hire {hires} product {_plural(hires, 'owner')}"
    if not hires:
        headline = "Give the unowned teams to existing product owners"
    detail = (
        f"At the {profile.title} ratio of up to {limit} teams per product owner, counted per product so that each "
        f"product keeps one backlog: {'; '.join(lines)}. A product owner is the right hire where the vision is "
        "clear and the problem is delivery: ordering the backlog, setting sprint goals, accepting the work."
    )
    return Recommendation("product_owners", headline, detail, hires)


def _overload_hires(index: OrgIndex, findings: list[Finding], profile: Profile) -> Recommendation | None:
    if not findings:
        return None
    limit = profile.max_teams_per_backlog_owner
    extra = 0
    parts = []
    for finding in findings:
        teams = len(index.targets(OWNS_BACKLOG, finding.subject))
        more = math.ceil(teams / limit) - 1
        extra += more
        parts.append(f"{index.name(finding.subject)} ({teams} teams: {more} more)")
    return Recommendation(
        "overloaded_owners",
        f"Share overloaded backlogs: {extra} more product {_plural(extra, 'owner')}",
        f"Above {limit} teams a backlog owner becomes the teams' bottleneck. Split the teams among more owners: "
        f"{', '.join(parts)}.",
        extra,
    )


def _strategy_owner_needs(index: OrgIndex, products: list[str], profile: Profile) -> Recommendation | None:
    if not products:
        return None
    limit = profile.max_products_per_strategy_owner
    with_room = [
        person
        for person, owned in index.out[OWNS_STRATEGY].items()
        if owned and len(owned) < limit and not index.node(person).vacant
    ]
    names = _sorted_names(index, products)
    room = (
        f" Existing strategy owners below the limit of {limit} products: {', '.join(_sorted_names(index, with_room))}; "
        "one of them can take a product whose market they already know."
        if with_room
        else ""
    )
    return Recommendation(
        "strategy_owners",
        f"Give {len(names)} {_plural(len(names), 'product')} a strategy owner: {', '.join(names)}",
        "Someone must decide why each product exists and where it goes. Hire or assign a product manager where "
        "the strategy still has to be worked out, the market needs research or moves fast, the product is new, "
        "or many departments must be coordinated; where the vision is settled and only delivery remains, the "
        f"product owner or a leader can hold it.{room}",
        len(names),
    )


def _dual_hats(index: OrgIndex, findings: list[Finding]) -> Recommendation | None:
    if not findings:
        return None
    people = {f.subject for f in findings}
    crowded = {
        p for p in people if len(index.targets(OWNS_BACKLOG, p)) >= 2 or len(index.targets(OWNS_STRATEGY, p)) >= 2
    }
    now = _sorted_names(index, crowded)
    later = _sorted_names(index, people - crowded)
    parts = []
    if now:
        parts.append(f"split now: {', '.join(now)} (two or more teams or products already)")
    if later:
        parts.append(f"split as the org grows: {', '.join(later)}")
    return Recommendation(
        "dual_hats",
        f"Plan to split {len(now) + len(later)} dual-hat {_plural(len(now) + len(later), 'role')}",
        "Holding one product's strategy and backlog is the design in Scrum and LeSS and normal before product-market "
        "fit, but it stops scaling once a second product arrives or the teams outgrow what the profile lets one "
        f"owner lead. Keep the person on strategy and hire a product owner for the backlogs: {'; '.join(parts)}.",
        len(now),
    )


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
        rows.append(
            HealthChange(
                SEVERITY_HEADINGS[severity],
                str(before.counts[severity]),
                str(after.counts[severity]),
                trend(before.counts[severity], after.counts[severity]),
            )
        )
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
    )
