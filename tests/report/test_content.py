"""The report's content: the brief's facts, the risks by impact, grouping, natural order, short tables."""

import re
from datetime import date

import pytest

from planner.analysis import analyze
from planner.io import load_org
from planner.report import build_report
from planner.report.content import org_line
from planner.report.model import BulletList, KeyFigures, Paragraph, Section, Table, natural_key, natural_sorted, plain
from planner.resources import sample_path
from planner.synthetic import synthetic_org
from tests.helpers import healthy_org, make_org
from tests.report.orgs import gappy_org

SAMPLES = ["startup", "scaleup", "enterprise"]


def _section(report, key) -> Section:
    return next(s for s in report.document.sections if s.key == key)


def _texts(block) -> str:
    out = []

    def visit(b):
        if isinstance(b, Paragraph):
            out.append(plain(b.text))
        elif isinstance(b, Table):
            out.extend(str(c) for row in b.rows for c in row.cells)
        elif isinstance(b, BulletList):
            out.extend(plain(item) for item in b.items)
        for child in getattr(b, "blocks", ()):
            visit(child)

    visit(block)
    return "\n".join(out)


def test_header_and_health_figures():
    report = build_report(gappy_org(), today=date(2026, 3, 1), source="/home/ana/orgs/gappy.json")
    assert (report.org_name, report.date, report.profile.name) == ("Gappy Ltd", "2026-03-01", "scrum")
    health = report.health
    assert (health.teams, health.teams_with_one_owner) == (6, 2)
    assert (health.products, health.products_with_strategy_owner) == (3, 2)
    assert health.counts == analyze(gappy_org()).counts
    assert health.accepted == 1
    # The file's name, never its folder.
    assert report.document.file_name == "gappy.json"
    assert "/home/ana" not in "\n".join(report.document.texts())


def test_the_org_in_one_line_counts_team_members_and_named_roles():
    report = build_report(gappy_org())
    census = report.census
    # Alpha (6) and Beta (12) have sizes; Vera, Pat, Olga and Dee are the named roles.
    assert (census.team_members, census.named_roles, census.people) == (18, 4, 22)
    assert org_line(census) == "At least 22 people (18 in 6 teams and 4 named roles) building 3 products."


def test_page_one_holds_the_verdict_the_ask_and_the_top_risks():
    brief = build_report(gappy_org()).document.brief
    titles = [block.title for block in brief.blocks if hasattr(block, "title")]
    assert titles[:2] == ["Verdict", "The ask"] and "Top risks, by impact" in titles
    assert any(isinstance(block, KeyFigures) for block in brief.blocks)


@pytest.mark.parametrize("sample", SAMPLES)
def test_page_one_has_no_codes_paths_or_graph_jargon(sample):
    report = build_report(load_org(sample_path(sample)), source=str(sample_path(sample)))
    brief = "\n".join(text for text in _brief_texts(report))
    for word in ("OWN0", "STR0", "LOAD0", "ALN0", "RSK0", "/", "node", "link", ".json"):
        assert word not in brief, word


def _brief_texts(report):
    document = report.document
    yield document.title
    yield document.subtitle

    def visit(block):
        for attribute in ("title", "caption", "summary"):
            if isinstance(getattr(block, attribute, None), str):
                yield getattr(block, attribute)
        if hasattr(block, "text"):
            yield plain(block.text)
        for item in getattr(block, "items", ()):
            yield plain(item) if isinstance(item, tuple) else f"{item.value} {item.label}"
        for child in getattr(block, "blocks", ()):
            yield from visit(child)

    yield from visit(document.brief)


def test_risks_are_ranked_by_impact_and_a_loop_is_named_whole():
    org = make_org(
        [
            ("a", "pm", {"name": "Ana"}),
            ("b", "pm", {"name": "Ben"}),
            ("c", "leader", {"name": "Cy"}),
            ("t", "team", {"name": "Solo"}),
            ("p", "product", {"name": "Shop"}),
        ],
        "a reports_to b, b reports_to c, c reports_to a, t builds p, a owns_strategy p",
    )
    report = build_report(org)
    impacts = [risk.impact for risk in report.risks]
    assert impacts == sorted(impacts, reverse=True)
    loop = next(risk for risk in report.risks if risk.code == "STR003")
    assert all(name in loop.sentence for name in ("Ana", "Ben", "Cy"))


def test_an_error_touching_more_outranks_a_warning():
    report = build_report(gappy_org())
    assert report.risks[0].severity == "error"
    assert all(risk.severity in ("error", "warning") for risk in report.risks)


def test_findings_carry_the_products_they_hit():
    report = build_report(gappy_org())
    unowned = {entry.node_names[0]: entry for entry in report.findings if entry.code == "OWN001"}
    assert unowned["Beta"].products == ("Shop",)
    assert unowned["Delta"].products == ("Ledger",)
    assert unowned["Beta"].teams_affected == 1 and unowned["Beta"].products_affected == 1


def test_accepted_risks_are_listed_apart_and_not_counted():
    report = build_report(gappy_org())
    assert [(f.code, f.node_names) for f in report.accepted] == [("OWN001", ("Epsilon",))]
    assert all("Epsilon" not in f.node_names for f in report.findings if f.code == "OWN001")
    assert "Epsilon" in _texts(_section(report, "accepted"))


def test_findings_are_grouped_by_rule_with_at_most_five_examples():
    nodes = [(f"t{i}", "team", {"name": f"team{i}"}) for i in range(12)] + [("p", "product", {"name": "P"})]
    org = make_org(nodes, ", ".join(f"t{i} builds p" for i in range(12)))
    findings = _section(build_report(org), "findings")
    assert "Products hit: P (12)." in _texts(findings)
    rule = next(block for block in findings.blocks if isinstance(block, Section) and block.key == "rule-own001")
    lists = [block for block in rule.blocks if hasattr(block, "items")]
    assert len(lists[0].items) == 5
    assert "7 more findings in the CSV and JSON" in _texts(rule)


def test_natural_sort_puts_pm99_before_pm989():
    assert natural_sorted(["pm990", "pm99", "pm989", "PM100"]) == ["pm99", "PM100", "pm989", "pm990"]
    assert natural_key("Team 2") < natural_key("team 10")


def test_load_tables_within_limits_become_one_sentence():
    report = build_report(healthy_org())
    load = _section(report, "load")
    assert not [block for block in load.blocks if isinstance(block, Section)]
    assert "within the limit" in _texts(load)


def test_load_tables_list_only_rows_at_or_over_the_limit():
    org = make_org(
        [("po", "po", {"name": "Busy"}), ("po2", "po", {"name": "Calm"})] + [(f"t{i}", "team", {}) for i in range(4)],
        "po owns_backlog t0, po owns_backlog t1, po owns_backlog t2, po2 owns_backlog t3",
        profile="safe",
    )
    report = build_report(org)
    table = next(
        b for s in _section(report, "load").blocks if isinstance(s, Section) for b in s.blocks if isinstance(b, Table)
    )
    assert [row.cells[0] for row in table.rows] == ["Busy"]
    assert table.rows[0].flag == "warning"
    # The full table stays in the data for CSV and JSON.
    assert [row[0] for row in report.load[0].rows] == ["Busy", "Calm"]


def test_coverage_lists_only_the_gaps_and_keeps_the_full_rows_for_json():
    report = build_report(gappy_org())
    coverage = _section(report, "coverage")
    shown = _texts(coverage)
    assert "Alpha" not in shown and "Beta" in shown
    teams = {row[0]: row for row in report.coverage[1].rows}
    assert teams["Alpha"] == ("Alpha", "Olga PO", "Shop", 6)


def test_appendix_explains_each_rule_that_fired_once():
    report = build_report(gappy_org())
    fired = {f.code for f in report.findings} | {f.code for f in report.accepted}
    assert {rule.code for rule in report.appendix} == fired
    assert all(rule.detects and rule.why and rule.fix for rule in report.appendix)
    assert all(rule.sources for rule in report.appendix)  # each rule's Source lines, for the writers to show
    # The findings section does not repeat the appendix's explanations.
    findings = _texts(_section(report, "findings"))
    assert not any(rule.why in findings or rule.fix in findings for rule in report.appendix)


def test_highlight_keeps_the_worst_severity_per_node():
    report = build_report(gappy_org())
    assert report.highlight["t3"] == "error"
    assert "t5" not in report.highlight  # accepted, not open


@pytest.mark.parametrize("sample", SAMPLES)
def test_samples_report_without_trouble(sample):
    report = build_report(load_org(sample_path(sample)))
    assert report.health.gaps == len(report.findings)
    assert report.document.sections


def test_page_one_rewords_graph_words_in_findings():
    from planner.report.content import FindingEntry, _risk_sentence

    entry = FindingEntry(
        "ALN001",
        "po-not-aligned-with-pm",
        "t",
        "warning",
        "'Olek' has no alignment or reporting link to the strategy owner of Shop: Pia",
        ("po",),
        ("Olek",),
        "",
        "",
    )
    sentence = _risk_sentence([entry])
    assert "reporting relationship to the strategy owner" in sentence
    assert not re.search(r"\b(link|links|node|nodes)\b", sentence)


@pytest.mark.parametrize("sample", SAMPLES)
def test_the_report_never_asks_its_reader_to_run_a_command(sample):
    texts = "\n".join(build_report(load_org(sample_path(sample))).document.texts())
    assert not re.search(r"\bplanner (export|report|check|rules|diff|convert|import)\b|--\w", texts)


def test_page_one_says_what_the_plan_leaves():
    report = build_report(load_org(sample_path("scaleup")))
    plan = report.plan
    assert plan.actions and plan.after
    brief = "\n".join(_brief_texts(report))
    after = plan.after
    assert f"Once carried out: {after['error']} error" in brief
    assert f"→ {after['error'] + after['warning']})" in brief


def test_the_ask_names_the_steps_when_short_and_counts_them_when_long():
    from planner.report.content import ASK_CHARACTERS, ask

    scaleup = build_report(load_org(sample_path("scaleup"))).plan
    text = ask(scaleup)
    assert text.startswith("Hire 1 product manager and 2 product owners; split team API Platform;")
    assert "have Tom Becker report to Dana Whitfield, not Lena Park" in text
    big = build_report(synthetic_org(3000, seed=3)).plan
    text = ask(big)
    assert len(text) <= ASK_CHARACTERS
    assert re.search(r"[Hh]and [\d,]+ teams and products over to [\d,]+ people with room", text)
    assert not re.search(r"\b(link|links|node|nodes)\b", text)


def test_page_one_lists_what_leadership_must_decide_and_the_managers_a_span_needs():
    report = build_report(load_org(sample_path("scaleup")))
    brief = "\n".join(_brief_texts(report))
    assert "To decide" in brief
    assert "Say which product team Data Platform builds" in brief
    org = make_org(
        "leader:boss " + " ".join(f"po:p{i}" for i in range(14)), ", ".join(f"p{i} reports_to boss" for i in range(14))
    )
    brief = "\n".join(_brief_texts(build_report(org)))
    assert "1 manager to appoint from within or hire" in brief


def test_a_risk_with_several_steps_says_how_many_more():
    brief = "\n".join(_brief_texts(build_report(load_org(sample_path("scaleup")))))
    assert "the contact for Integration partners (1 more step like it in the plan)" in brief


def test_people_per_product_counts_as_the_product_overview_does():
    report = build_report(load_org(sample_path("scaleup")))
    figure = next(b for b in _section(report, "pictures").blocks if getattr(b, "key", "") == "people-per-product")
    # Checkout: 6 + 7 in its teams, plus Priya Nair (strategy), Ken Ito and Sofia Alvarez (backlogs).
    assert "Checkout: 16 people in 2 teams" in figure.alt


def test_a_plan_that_leaves_nothing_says_so_plainly():
    brief = "\n".join(_brief_texts(build_report(load_org(sample_path("startup")))))
    assert "Once carried out: no finding remains." in brief
    assert "0 → 0" not in brief


def test_findings_by_product_put_products_with_errors_first():
    report = build_report(load_org(sample_path("enterprise")))
    table = next(b for b in _section(report, "products").blocks if isinstance(b, Table))
    errors = [row.cells[1] for row in table.rows]
    warnings = [(row.cells[1], row.cells[2]) for row in table.rows]
    assert errors[0] > 0 and errors == sorted(errors, reverse=True)
    assert warnings == sorted(warnings, reverse=True)


def test_the_ask_names_a_duty_to_settle_and_counts_many():
    from planner.report.content import ask

    org = healthy_org()
    org.set_duty("p", "pricing", "pm", None)
    assert ask(build_report(org).plan) == "Make Pm accountable for pricing and positioning of P, as the chart says."
    for duty in ("pricing", "roadmap", "vision"):
        org.set_duty("p", duty, "pm", None)
    text = ask(build_report(org).plan)
    assert "accountable" in text and not re.search(r"\b(links?|nodes?)\b", text)
