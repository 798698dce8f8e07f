"""The report's duties section: who is accountable for each duty of each product, and what is left open.

Leadership reads one table of what is open (a row per product and kind of
gap: duties nobody answers for, or duties several people answer for, with
their names). A product's matrix follows, duties by people with the open rows
marked, when it was written by hand (the letters are the point) or when only
a few products have open duties; otherwise a product that follows its chart
is settled in its row. Every matrix, in full, is in the JSON and Excel
versions of the report.
"""

from __future__ import annotations

from planner.analysis.coverage import ProductDuties
from planner.analysis.index import OrgIndex
from planner.model.duties import DUTIES, DUTY_LIST, EXECUTION, STRATEGY, accountable
from planner.report.content_types import DUTY_PEOPLE, DUTY_PRODUCTS, TABLE_ROWS, Report, _count, _listed
from planner.report.model import Column, Paragraph, Row, Section, Table, natural_key, runs

#: Up to this many products with open duties, each gets its matrix even when it follows the chart.
FEW_GAPS = 3
#: The duties of each horizon, in catalog order.
_HORIZON = {h: tuple(d.id for d in DUTY_LIST if d.horizon == h) for h in (STRATEGY, EXECUTION)}


def _duties_section(report: Report, index: OrgIndex) -> Section | None:
    """One sentence for the settled products, one table of open duties, a matrix for each hand-made one."""
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
        left = (
            f"{_count(after, 'duty', 'duties')} {'is' if after == 1 else 'are'} left with nobody accountable"
            if after
            else "every duty has someone accountable"
        )
        blocks.append(Paragraph(runs(f"Once the staffing plan is carried out, {left}.")))
    if not gaps:
        return Section("duties", "Duties: who is accountable", tuple(blocks))
    gaps.sort(key=lambda p: (p.follows_links, -(len(p.unowned) + len(p.shared)), natural_key(index.name(p.product))))
    blocks += _open_duties_table(gaps, index)
    # A matrix written by hand is worth reading letter by letter; one that follows the chart only when few
    # products have open duties (a row of the table above says all it would, forty times over).
    own = [p for p in gaps if p.people() and (not p.follows_links or len(gaps) <= FEW_GAPS)]
    if own:
        # The letters are explained under the first matrix, so that the key never sits alone at a page foot.
        blocks += [_duty_matrix_section(product, index, key=n == 0) for n, product in enumerate(own[:DUTY_PRODUCTS])]
        if len(own) > DUTY_PRODUCTS:
            more = len(own) - DUTY_PRODUCTS
            blocks.append(
                Paragraph(
                    runs(f"{_count(more, 'more matrix', 'more matrices')} in the JSON and Excel versions."), "note"
                )
            )
    return Section("duties", "Duties: who is accountable", tuple(blocks))


def _open_duties_table(gaps: list[ProductDuties], index: OrgIndex) -> list:
    rows: list[Row] = []
    for product in gaps:
        rows += _open_rows(product, index)
    shown = rows[:TABLE_ROWS]
    columns = (
        Column("Product", weight=1.6),
        Column("Open duties", weight=3),
        Column("Accountable now", weight=2),
        Column("Taken from", weight=1.2),
    )
    blocks: list = [
        Paragraph(
            runs(
                "A product's duties come from its own responsibility matrix when it has one; otherwise from the "
                "chart: its strategy owners answer for the strategy duties and the backlog owners of its teams "
                "for the execution duties."
            ),
            "note",
        ),
        Table("open-duties", columns, tuple(shown)),
    ]
    if len(rows) > len(shown):
        hidden = {row.cells[0] for row in rows[len(shown) :]} - {row.cells[0] for row in shown}
        more = f"{_count(len(hidden), 'more product')} with open duties " if hidden else "More open duties "
        blocks.append(
            Paragraph(
                runs(
                    more + f"{'is' if len(hidden) == 1 else 'are'} listed in full in the JSON and Excel versions of "
                    "this report."
                ),
                "note",
            )
        )
    return blocks


def _open_rows(product: ProductDuties, index: OrgIndex) -> list[Row]:
    """A row for the duties nobody holds, and one for each group of people sharing the same duties."""
    name = index.name(product.product)
    source = "the chart" if product.follows_links else "its own matrix"
    rows = []
    if product.unowned:
        what = "Every duty" if len(product.unowned) == len(DUTIES) else _duties_in_words(product.unowned)
        rows.append(Row((name, f"{what}: nobody accountable", "nobody", source), "warning"))
    groups: dict[tuple[str, ...], list[str]] = {}
    for duty in product.shared:
        groups.setdefault(tuple(accountable(product.matrix, duty)), []).append(duty)
    for people, duties in groups.items():
        names = _listed([index.name(p) for p in people])
        rows.append(Row((name, f"{_duties_in_words(duties)}: several accountable", names, source), "warning"))
    if not rows:  # flagged by a duty rule though every duty has one accountable person (a role, a load, a link)
        rows.append(Row((name, "One person accountable for each duty; see its duty findings", "", source), "info"))
    return rows


def _duties_in_words(duties: list[str] | tuple[str, ...]) -> str:
    chosen = set(duties)
    for horizon, ids in _HORIZON.items():
        if chosen == set(ids):
            return f"The {len(ids)} {horizon} duties"
    labels = [DUTIES[d].label for d in duties]
    if len(labels) > 4:
        return f"{labels[0]}, {labels[1]}, {labels[2]} and {len(labels) - 3} more"
    return _listed(labels)


def _duty_matrix_section(product: ProductDuties, index: OrgIndex, key: bool = False) -> Section:
    people = product.people()
    shown = people[:DUTY_PEOPLE]
    columns = [Column("Duty", weight=3)]
    columns += [Column(index.name(p), weight=1.2) for p in shown]
    rows = []
    for duty in DUTY_LIST:
        cells = product.matrix.get(duty.id, {})
        letters = tuple(cells.get(p, "") for p in shown)
        gap = duty.id in product.unowned or duty.id in product.shared
        rows.append(Row((DUTIES[duty.id].label, *letters), "warning" if gap else None))
    source = "Taken from the chart (no matrix of its own)." if product.follows_links else "Its own matrix."
    if key:
        source += " R responsible, A accountable, C consulted, I informed; marked rows have nobody, or several."
    blocks: list = [Paragraph(runs(source), "note")]
    blocks.append(Table(f"duties-{product.product}", tuple(columns), tuple(rows), sortable=False))
    if len(people) > DUTY_PEOPLE:
        more = _count(len(people) - DUTY_PEOPLE, "more person", "more people")
        blocks[0] = Paragraph(runs(f"{source} {more} in the full table."), "note")
    return Section(f"duties-{product.product}", index.name(product.product), tuple(blocks))
