"""The gap report as a :class:`~planner.report.model.Document`: the brief, then the evidence, then the appendix.

:func:`build_document` puts the sections in order; each ``_..._section`` words one part of the
:class:`~planner.report.content_types.Report` data (comparison, pictures, findings, products, loads, coverage,
duties, accepted risks, rules).
"""

from __future__ import annotations

from collections import Counter

from planner.analysis.index import OrgIndex
from planner.analysis.rule import SEVERITIES, SEVERITY_RANK
from planner.model.org import Org
from planner.model.vocabulary import BUILDS, OWNS_BACKLOG, OWNS_STRATEGY, PERSON_KINDS, PRODUCT, REPORTS_TO
from planner.report import figures
from planner.report.brief import _brief, _gap_items, _more, _plan_section
from planner.report.content_types import (
    AUTHOR,
    CHROME,
    EXAMPLES,
    FIGURE_WIDTH,
    FOLD_ROWS,
    PLAN_STEPS,
    TABLE_ROWS,
    Comparison,
    FindingEntry,
    Report,
    _by_rule,
    _count,
    _listed,
    _plural,
    _worst_first,
)
from planner.report.duty_sections import _duties_section
from planner.report.model import (
    BulletList,
    Callout,
    Column,
    Details,
    Document,
    Figure,
    Paragraph,
    Row,
    Section,
    Table,
    natural_key,
    natural_sorted,
    runs,
    strong,
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


def _comparison_section(comparison: Comparison) -> Section:
    blocks: list = [Paragraph(runs(comparison.introduction()))]
    before = {s: comparison.health_before.counts[s] for s in SEVERITIES}
    after = {s: comparison.health_after.counts[s] for s in SEVERITIES}
    drawing = figures.before_after_chart(before, after, FIGURE_WIDTH)
    if drawing is not None:
        blocks.append(
            Figure(
                "before-after",
                drawing,
                "Findings by severity, today and with the proposal.",
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
            "fixed",
            f"Gaps fixed ({len(fixed)})",
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
        blocks.append(Section("duties-changing-hands", f"Duties changing hands ({len(comparison.duties)})", tuple(sub)))
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
        # Counted as the product overview counts: team members, and the named people owning its strategy or backlogs.
        owners = {*index.sources(OWNS_STRATEGY, product), *(o for t in teams for o in index.sources(OWNS_BACKLOG, t))}
        named = sum(1 for node in index.nodes_of(owners) if node.kind in PERSON_KINDS and not node.vacant)
        people = sum(node.size or 0 for node in index.nodes_of(teams)) + named
        rows.append((index.name(product), people, len(teams)))
    return sorted(rows, key=lambda r: (-r[1], -r[2], natural_key(r[0])))


def _severity_by_product(report: Report, index: OrgIndex) -> dict[str, str]:
    by_name = {index.name(p): p for p in index.ids_by_kind.get(PRODUCT, [])}
    worst: dict[str, str] = {}
    for entry in report.findings:
        for name in entry.products:
            product = by_name.get(name)
            if product is not None and (
                product not in worst or SEVERITY_RANK[entry.severity] < SEVERITY_RANK[worst[product]]
            ):
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
        caption += ". People are the team members and the named owners of the product's strategy and backlogs."
        blocks.append(Figure("people-per-product", drawing, caption, "Bar chart: " + alt))
    spans = [len(reports) for reports in index.into[REPORTS_TO].values() if reports]
    limit = report.profile.max_direct_reports
    drawing = figures.span_of_control_chart(spans, limit, FIGURE_WIDTH)
    if drawing is not None:
        over = sum(1 for s in spans if s > limit)
        blocks.append(
            Figure(
                "span-of-control",
                drawing,
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
        blocks.append(
            Figure(
                "findings-by-area",
                drawing,
                caption + ".",
                "Stacked bars: " + "; ".join(f"{n}: {sum(c.values())}" for n, c in area_rows),
            )
        )
    chart, landscape = figures.readable_chart(org, report.highlight)
    if chart is not None:
        blocks.append(
            Figure(
                "org-chart",
                chart,
                "The org chart. Cards with findings carry the colour of their worst one: red error, amber warning, "
                "blue info.",
                f"Org chart of {report.nodes:,} cards; {len(report.highlight):,} have findings.",
                landscape=landscape,
            )
        )
    else:
        # The products at a glance first (it flows across pages, filling them), then each top risk up close.
        overview = figures.product_overview(org, _severity_by_product(report, index), FIGURE_WIDTH)
        if overview is not None:
            blocks.append(
                Figure(
                    "product-overview",
                    overview,
                    f"The {report.census.products:,} products at a glance, coloured by their worst finding. "
                    f"At {report.nodes:,} cards the whole chart does not fit a readable page; the top risks "
                    "follow up close.",
                    "Overview of the products coloured by severity.",
                )
            )
        for number, risk in enumerate(report.risks, 1):
            nodes = list(dict.fromkeys(n for e in risk.findings[:3] for n in e.node_ids if n in index.kind_of))
            drawing = figures.focus_diagram(org, nodes, report.highlight, FIGURE_WIDTH)
            if drawing is not None:
                blocks.append(
                    Figure(
                        f"focus-{number}",
                        drawing,
                        f"Risk {number} up close: {risk.sentence}.",
                        f"Diagram of the people, teams and products around risk {number}.",
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
        Paragraph(
            runs(
                f"{_count(len(report.findings), 'finding')} from {_count(len(groups), 'rule')}, worst first. Each rule "
                "shows where it hits and its worst examples; the appendix explains every rule."
            )
        )
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
            steps = [a for a, _ in actions.most_common(3)]
            text = "; ".join([steps[0], *(a[:1].lower() + a[1:] for a in steps[1:])])
            more = f" ({_count(len(actions) - 3, 'more step')})" if len(actions) > 3 else ""
            sub.append(Paragraph(runs(strong("In the plan: "), text + more + ".")))
        decided = sum(1 for e in group if e.decision)
        if decided:
            sub.append(
                Paragraph(
                    runs(strong("Left to leadership: "), f"{_count(decided, 'finding')} no step of the plan settles.")
                )
            )
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

    def worst_first(item: tuple[str, list[FindingEntry]]) -> tuple:
        counts = Counter(e.severity for e in item[1])
        return (-counts["error"], -counts["warning"], -sum(e.impact for e in item[1]), natural_key(item[0]))

    ordered = sorted(per.items(), key=worst_first)
    rows = []
    for name, entries in ordered[:TABLE_ROWS]:
        counts = Counter(e.severity for e in entries)
        worst = _worst_first(entries)[0]
        flag = worst.severity
        rows.append(Row((name, counts["error"], counts["warning"], counts["info"], worst.message), flag))
    blocks: list = [
        Paragraph(
            runs(
                f"{_count(len(per), 'product')} of {report.census.products:,} {'has' if len(per) == 1 else 'have'} "
                "findings, those with the most errors first, then the most warnings, then by impact."
                + (
                    f" {_count(len(across), 'finding')} concern no single product (reporting lines, spans, "
                    "stakeholders)."
                    if across
                    else ""
                )
            )
        ),
        Table(
            "findings-by-product",
            (
                Column("Product", weight=2.2),
                Column("Errors", "number", 0.9),
                Column("Warnings", "number", 1.15),
                Column("Infos", "number", 0.8),
                Column("Worst finding", weight=5),
            ),
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
            blocks.append(
                Paragraph(
                    runs(
                        strong(table.title + ": "),
                        f"all {_count(len(table.rows), one, many)} are within the limit of {limit} {unit}.",
                    )
                )
            )
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
                (
                    Column(table.columns[0], weight=3),
                    Column(table.columns[1], weight=2),
                    Column(table.columns[2], "number"),
                    Column(table.columns[3], "number"),
                    Column(table.columns[4], weight=1.5),
                ),
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
        Paragraph(
            runs(
                f"{health.teams_with_one_owner:,} of {_count(health.teams, 'team')} have exactly one backlog "
                f"owner; {health.products_with_strategy_owner:,} of {_count(health.products, 'product')} have "
                "a strategy owner."
            )
        )
    ]
    for table in report.coverage:
        marked = [row for index, row in enumerate(table.rows) if table.is_flagged(index)]
        if not marked or table.key == "duties":
            continue
        if table.key == "products":
            columns = (
                Column("Product", weight=2),
                Column("Strategy owner", weight=2),
                Column("Backlog owners", weight=2),
                Column("Teams", "number", 0.8),
            )
            rows = tuple(Row(row[:4], "warning") for row in marked[:TABLE_ROWS])
        else:
            columns = (
                Column("Team", weight=2),
                Column("Backlog owner", weight=2),
                Column("Product", weight=2),
                Column("Size", "number", 0.8),
            )
            rows = tuple(Row(row, "warning") for row in marked[:TABLE_ROWS])
        sub: list = [Paragraph(runs(table.note)), Table(table.key, columns, rows)]
        if len(marked) > TABLE_ROWS:
            sub.append(Paragraph(runs(_more(len(marked) - TABLE_ROWS, "row", "rows")), "note"))
        blocks.append(
            Section(f"coverage-{table.key}", f"{table.title}: the gaps", tuple(sub), folded=len(marked) > FOLD_ROWS)
        )
    return Section("coverage", "Coverage", tuple(blocks))


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
            Paragraph(
                runs(
                    f"{_count(len(report.accepted), 'finding')} accepted as known risks on the cards themselves. "
                    "They are left out of the counts above, but they are real."
                )
            ),
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
                folded=True,
            )
        )
    return Section("appendix", "Appendix: the rules behind the findings", tuple(blocks))
