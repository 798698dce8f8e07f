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

Every sentence of every format is written in this module and the three it
is split into (:mod:`~planner.report.content_types`: the records and their
words; :mod:`~planner.report.brief`: page 1 and the plan;
:mod:`~planner.report.sections`: the document's other sections); the writers
only lay out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from planner.analysis import AnalysisResult, Finding, Profile, all_rules, analyze, get_rule, profile_for
from planner.analysis.coverage import ProductDuties, duty_coverage
from planner.analysis.index import OrgIndex
from planner.analysis.plan import StaffingPlan, build_plan
from planner.analysis.rule import SEVERITY_RANK
from planner.diff import OrgDiff, link_sentence
from planner.model.duties import DUTY_LIST, RACI, RACI_LABELS
from planner.model.org import Node, Org
from planner.model.vocabulary import (
    BUILDS,
    DEV_TEAM,
    NODE_LABELS,
    OWNS_BACKLOG,
    OWNS_STRATEGY,
    PERSON_KINDS,
    PRODUCT,
    REPORTS_TO,
    STAKEHOLDER,
    STAKEHOLDER_OF,
)
from planner.report.brief import ASK_CHARACTERS, ask, org_line, plan_outcome, verdict
from planner.report.content_types import (
    _PLAIN_WORDS,
    ACTION_HEADINGS,
    AREAS,
    AUTHOR,
    CHROME,
    DETAIL_CHARACTERS,
    DUTY_PEOPLE,
    DUTY_PRODUCTS,
    EXAMPLES,
    FIGURE_HEIGHT,
    FIGURE_WIDTH,
    JARGON,
    PLAN_STEPS,
    REPORT_TITLE,
    RISK_PLURALS,
    SEVERITY_HEADINGS,
    SEVERITY_WEIGHT,
    TABLE_ROWS,
    TOP_RISKS,
    Census,
    ChangeEntry,
    Comparison,
    DataTable,
    FindingEntry,
    Health,
    NodeEntry,
    Report,
    Risk,
    RuleEntry,
    _listed,
    _worst_first,
)
from planner.report.model import natural_key, natural_sorted
from planner.report.sections import build_document

#: What the writers and the tests import from here; the records live in content_types, the wording in brief
#: and sections.
__all__ = [
    "ACTION_HEADINGS",
    "AREAS",
    "ASK_CHARACTERS",
    "AUTHOR",
    "CHROME",
    "Comparison",
    "DETAIL_CHARACTERS",
    "DUTY_PEOPLE",
    "DUTY_PRODUCTS",
    "DataTable",
    "EXAMPLES",
    "FIGURE_HEIGHT",
    "FIGURE_WIDTH",
    "FindingEntry",
    "Health",
    "JARGON",
    "PLAN_STEPS",
    "REPORT_TITLE",
    "RISK_PLURALS",
    "Report",
    "SEVERITY_HEADINGS",
    "SEVERITY_WEIGHT",
    "TABLE_ROWS",
    "TOP_RISKS",
    "ask",
    "build_document",
    "build_report",
    "org_line",
    "plan_outcome",
    "verdict",
]

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
    return RuleEntry(
        rule.code, rule.name, rule.title, rule.severity_summary(), rule.detects, rule.why, rule.fix, rule.sources
    )


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


def _node_entry(node: Node) -> NodeEntry:
    return NodeEntry(node.id, node.kind, node.label, node.title, node.vacant)


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
