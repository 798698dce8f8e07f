"""Page 1 of the gap report and its plan: the org in one line, the verdict, the ask, the top risks, the plan's steps.

Every sentence here reads the :class:`~planner.report.content_types.Report` data only; no code or graph jargon
reaches page 1.
"""

from __future__ import annotations

from collections import Counter

from planner.analysis.index import OrgIndex
from planner.analysis.plan import ACTION_KINDS, StaffingPlan
from planner.analysis.rule import SEVERITIES
from planner.model.vocabulary import (
    NODE_LABELS,
)
from planner.report import figures
from planner.report.content_types import (
    ACTION_HEADINGS,
    DETAIL_CHARACTERS,
    FIGURE_WIDTH,
    JARGON,
    PLAN_DETAILS,
    PLAN_STEPS,
    RISK_PLURALS,
    SEVERITY_HEADINGS,
    Census,
    FindingEntry,
    Report,
    Risk,
    _area,
    _by_rule,
    _count,
    _listed,
    _plain,
    _plural,
    _role,
    _worst_first,
)
from planner.report.model import (
    BulletList,
    Callout,
    Column,
    Figure,
    Inline,
    KeyFigure,
    KeyFigures,
    Paragraph,
    Row,
    Section,
    Table,
    runs,
    strong,
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


#: The longest the ask may be before its named steps are given as counts.
ASK_CHARACTERS = 300


def _ask_parts(plan: StaffingPlan, named: frozenset[str]) -> list[str]:
    """The ask's clauses: steps of the kinds in ``named`` by who and what when there are few, the others counted."""
    steps = {kind: plan.of_kind(kind) for kind in ACTION_KINDS}
    parts = []
    hires = [_role(kind, count) for kind, count in sorted(plan.hires.items()) if count]
    if hires:
        parts.append("hire " + _listed(hires))
    hand_overs = steps["hand_over"]
    if hand_overs and "hand_over" in named and len(hand_overs) <= 3:
        parts += [a.headline for a in hand_overs]
    elif hand_overs:
        moved = sum(a.count for a in hand_overs)
        takers = len({a.taker for a in hand_overs})
        parts.append(
            f"hand {_count(moved, 'team or product', 'teams and products')} over to "
            f"{_count(takers, 'person', 'people')} with room"
        )
    splits = steps["split_team"]
    if splits and "split_team" in named and len(splits) <= 3:
        names = [a.headline.split(" (")[0].removeprefix("Split team ") for a in splits]
        parts.append(f"split {'team' if len(splits) == 1 else 'teams'} {_listed(names)}")
    elif splits:
        parts.append(f"split {_count(len(splits), 'oversized team')}")
    spans = steps["narrow_span"]
    if spans and "narrow_span" in named and len(spans) <= 2:
        parts += [a.headline.split(" for ")[0] for a in spans]
    elif spans:
        managers = sum(a.count for a in spans)
        parts.append(
            f"add {_count(managers, 'manager')} under {_count(len(spans), 'person', 'people')} "
            "with too many direct reports"
        )
    for kind, one, many in (
        ("add_link", "set up {n} missing working relationship", "set up {n} missing working relationships"),
        ("remove_link", "correct {n} reporting or ownership line", "correct {n} reporting or ownership lines"),
    ):
        found = steps[kind]
        if found and kind in named and len(found) <= 2 and not any(JARGON.search(a.headline) for a in found):
            parts += [a.headline for a in found]
        elif found:
            parts.append((one if len(found) == 1 else many).format(n=f"{len(found):,}"))
    duties = steps.get("assign_duty", [])
    if duties and "assign_duty" in named and len(duties) <= 2:
        parts += [a.headline for a in duties]
    elif duties:
        parts.append(f"settle who is accountable for the duties of {_count(len(duties), 'product')}")
    if plan.decisions:
        parts.append(f"decide on {_count(len(plan.decisions), 'finding')} no step settles")
    return parts


def ask(plan: StaffingPlan) -> str:
    """The plan's totals in one sentence: the ask of page 1, naming people, teams and products when it is short.

    "Hire 1 product manager and 2 product owners; give Wallet Core to Farid Larsen; split team API Platform."
    """
    if plan.is_empty:
        return plan.ask()
    # Name every step when that is short enough; else count the relationships first, then the spans...
    kinds = ("hand_over", "split_team", "narrow_span", "remove_link", "add_link", "assign_duty")
    for named in (frozenset(kinds[:n]) for n in range(len(kinds), -1, -1)):
        parts = _ask_parts(plan, named)
        text = "; ".join(p[:1].lower() + p[1:] for p in parts)
        text = text[:1].upper() + text[1:] + "."
        if len(text) <= ASK_CHARACTERS:
            break
    return text


def _decision_lines(report: Report) -> list[Inline]:
    """What leadership must decide, one line per rule, pointing at the top risk that tells of it."""
    groups = _by_rule(_worst_first(e for e in report.findings if e.decision))
    risk_of = {risk.code: number for number, risk in enumerate(report.risks, 1)}
    lines = []
    for code, entries in list(groups.items())[:3]:
        if len(entries) == 1:
            text = entries[0].decision.split(": fix it by hand")[0]
        else:
            text = RISK_PLURALS.get(code, "{n} places: " + entries[0].title.lower()).format(n=f"{len(entries):,}")
            names = [e.node_names[0] for e in entries[:3] if e.node_names]
            if names:
                text += ", among them " + _listed(names)
        where = f" (risk {risk_of[code]})" if code in risk_of else ""
        lines.append(runs(_plain(text.rstrip(".")) + where + "."))
    if len(groups) > 3:
        rest = sum(len(entries) for entries in list(groups.values())[3:])
        lines.append(runs(f"{_count(rest, 'more finding')} in Decisions for leadership, in the staffing plan."))
    return lines


def _risk_item(risk: Risk) -> Inline:
    reach = [
        _count(n, one, many)
        for n, one, many in (
            (risk.teams, "team", "teams"),
            (risk.products, "product", "products"),
            (risk.people, "person", "people"),
        )
        if n
    ]
    reach_text = f" Touches {_listed(reach)}." if reach else ""
    steps = len({e.action for e in risk.findings if e.action})
    more = f" ({_count(steps - 1, 'more step')} like it in the plan)" if steps > 1 else ""
    if risk.action and not JARGON.search(risk.action):
        action = f" Plan: {risk.action[:1].lower() + risk.action[1:]}{more}."
    elif risk.action:
        action = f" Plan: {ACTION_HEADINGS.get(risk.action_kind, 'a step of the plan').lower()}{more}."
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
                KeyFigure(
                    f"{counts['error']:,}", _plural(counts["error"], "error"), "error" if counts["error"] else "ok"
                ),
                KeyFigure(
                    f"{counts['warning']:,}",
                    _plural(counts["warning"], "warning"),
                    "warning" if counts["warning"] else "ok",
                ),
                KeyFigure(
                    f"{unowned_teams:,}",
                    f"of {_count(health.teams, 'team')} without a single backlog owner",
                    "error" if unowned_teams else "ok",
                ),
                KeyFigure(
                    f"{unowned_products:,}",
                    f"of {_count(health.products, 'product')} without a strategy owner",
                    "error" if unowned_products else "ok",
                ),
            )
        ),
        Callout(tone, "Verdict", (Paragraph(runs(text)),)),
    ]
    comparison = report.comparison
    if comparison is not None:
        before_after_tone = (
            "ok" if comparison.better else "warning" if comparison.mixed else "error" if comparison.worse else "neutral"
        )
        blocks.append(Callout(before_after_tone, "Before and after", (Paragraph(runs(comparison.headline())),)))
    plan = report.plan
    ask_blocks: list = [Paragraph(runs(strong(ask(plan))), "lead")]
    hires = [(kind, count) for kind, count in sorted(plan.hires.items()) if count]
    spans = plan.of_kind("narrow_span")
    managers = sum(a.count for a in spans)
    if hires or managers:
        cost = [_listed([_role(kind, count) for kind, count in hires])] if hires else []
        line = runs("Headcount: ", strong(_listed(cost)), " to hire.") if cost else runs()
        if managers:
            extra = f"{_count(managers, 'manager')} to appoint from within or hire, to narrow spans of control."
            line = runs(*line, (" " if cost else "Headcount: ") + extra)
        ask_blocks.append(Paragraph(line))
    outcome = plan_outcome(plan, counts)
    if outcome:
        ask_blocks.append(Paragraph(runs(outcome)))
    decisions = _decision_lines(report)
    if decisions:
        ask_blocks.append(
            Paragraph(runs(strong("To decide"), " (no hire or move settles these; fix by hand or accept the risk):"))
        )
        ask_blocks.append(BulletList(tuple(decisions)))
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
    before = counts["error"] + counts["warning"]
    serious = after.get("error", 0) + after.get("warning", 0)
    if not any(after.get(s, 0) for s in SEVERITIES):
        return "Once carried out: no finding remains."
    left = _listed([_count(after.get(s, 0), "note" if s == "info" else s) for s in SEVERITIES])
    change = f" (errors and warnings {before:,} → {serious:,})" if serious != before else ""
    return f"Once carried out: {left} remain{change}."


def _plan_section(report: Report, index: OrgIndex) -> Section:
    plan = report.plan
    blocks: list = [Paragraph(runs(strong(ask(plan))), "lead")]
    outcome = plan_outcome(plan, report.health.counts)
    if outcome:
        blocks.append(Paragraph(runs(outcome)))
        before = {s: report.health.counts[s] for s in SEVERITIES}
        after = {s: plan.after.get(s, 0) for s in SEVERITIES}
        drawing = figures.before_after_chart(before, after, FIGURE_WIDTH, ("as drawn", "once the plan is carried out"))
        if drawing is not None:
            blocks.append(
                Figure(
                    "plan-effect",
                    drawing,
                    "Findings by severity today and once the plan is carried out.",
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
        # The why of the first few steps of a kind; the rest read alike, so their headlines are enough.
        items = [
            runs(
                strong(step.headline.rstrip(".") + "."),
                f" {_shortened(step.detail)}" if step.detail and number < PLAN_DETAILS else "",
            )
            for number, step in enumerate(steps[:PLAN_STEPS])
        ]
        sub: list = [BulletList(tuple(items))]
        if len(steps) > PLAN_STEPS:
            sub.append(
                Paragraph(runs(_more(len(steps) - PLAN_STEPS, "step of this kind", "steps of this kind")), "note")
            )
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
