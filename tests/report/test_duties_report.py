"""The report's duties: a table of open duties, a matrix per hand-made one, and duties changing hands."""

from datetime import date

from planner.diff import diff_orgs
from planner.model.mirror import copy_org
from planner.report.content import DUTY_PRODUCTS, build_report
from planner.report.markdown import render_markdown
from planner.report.model import Section, Table
from planner.synthetic import synthetic_org
from tests.helpers import healthy_org
from tests.report.orgs import gappy_org

TODAY = date(2026, 12, 7)


def _section(report, key):
    return next((b for b in report.document.walk() if isinstance(b, Section) and b.key == key), None)


def test_a_settled_org_says_so_in_one_sentence():
    section = _section(build_report(healthy_org(), today=TODAY), "duties")
    assert [b for b in section.blocks if isinstance(b, Section)] == []
    assert "1 of 1 product have exactly one person accountable" in render_markdown(
        build_report(healthy_org(), today=TODAY).document
    )


def test_products_with_open_duties_get_a_matrix_with_the_open_rows_marked():
    org = healthy_org()
    org.set_duty("p", "pricing", "pm", None)
    org.set_duty("p", "vision", "po", "C")
    section = _section(build_report(org, today=TODAY), "duties-p")
    table = next(b for b in section.blocks if isinstance(b, Table))
    assert [c.title for c in table.columns] == ["Duty", "Pm", "Po"]
    marked = {row.cells[0] for row in table.rows if row.flag}
    assert marked == {"Pricing and positioning"}
    assert ("Vision", "A", "C") in [row.cells for row in table.rows]


def test_a_product_nobody_holds_is_one_row_not_a_table_of_nobodies():
    report = build_report(gappy_org(), today=TODAY)
    assert _section(report, "duties-p2") is None, "a product following its chart gets no matrix of its own"
    table = next(b for b in report.document.walk() if isinstance(b, Table) and b.key == "open-duties")
    rows = [row.cells for row in table.rows if row.cells[0] == "Ledger"]
    assert rows == [("Ledger", "Every duty: nobody accountable", "nobody", "the chart")]


def test_products_following_their_chart_share_one_table_of_what_is_open():
    from planner.io import load_org
    from planner.resources import sample_path

    report = build_report(load_org(sample_path("enterprise")), today=TODAY)
    section = _section(report, "duties")
    assert not [b for b in section.blocks if isinstance(b, Section)], "eight products following their chart: no matrix"
    table = next(b for b in section.blocks if isinstance(b, Table))
    shared = [row for row in table.rows if "several accountable" in row.cells[1]]
    assert shared and all(row.cells[1].startswith("The 6 execution duties") for row in shared)
    assert all(" and " in row.cells[2] for row in shared), "names everyone accountable"
    assert len(table.rows) == len({row.cells[0] for row in table.rows})


def test_a_large_org_lists_only_a_few_products_and_counts_the_rest():
    report = build_report(synthetic_org(3000), today=TODAY)
    section = _section(report, "duties")
    assert len([b for b in section.blocks if isinstance(b, Section)]) <= DUTY_PRODUCTS
    assert "more products with open duties" in render_markdown(report.document)
    assert len(next(t for t in report.coverage if t.key == "duties").rows) == 13 * len(report.duties)


def test_the_comparison_names_duties_that_change_hands():
    current = healthy_org()
    proposed = copy_org(current)
    proposed.add_node(current.node("pm").replace(id="pm2", name="Zoe"))
    proposed.remove_link(("pm", "p", "owns_strategy"))
    proposed.add_link(type(next(current.links()))("pm2", "p", "owns_strategy"))
    report = build_report(proposed, diff=diff_orgs(current, proposed), today=TODAY)
    text = render_markdown(report.document)
    assert "Duties changing hands (1)" in text
    assert "P: the strategy duties pass from Pm to Zoe" in text


def test_a_few_products_with_open_duties_each_get_their_matrix():
    from planner.io import load_org
    from planner.resources import sample_path

    report = build_report(load_org(sample_path("scaleup")), today=TODAY)
    matrices = [b.title for b in _section(report, "duties").blocks if isinstance(b, Section)]
    assert matrices == ["Checkout"], "Partner API has nobody to put in columns: its row says so"


def test_a_product_flagged_by_a_duty_rule_with_one_holder_per_duty_points_to_its_findings():
    org = healthy_org()
    org.set_duty("p", "vision", "pm", None)
    org.set_duty("p", "vision", "po", "A")  # a strategy duty held by the product owner alone
    report = build_report(org, today=TODAY)
    table = next(b for b in report.document.walk() if isinstance(b, Table) and b.key == "open-duties")
    assert [row.cells[:2] for row in table.rows] == [
        ("P", "One person accountable for each duty; see its duty findings")
    ]
    assert table.rows[0].flag == "info"
    assert _section(report, "duties-p") is not None, "its hand-made matrix is printed"
