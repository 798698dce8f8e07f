"""The report's content: summary figures, what to fix first, tables, staffing arithmetic, accepted risks."""

from datetime import date

import pytest

from planner.analysis import analyze
from planner.io import load_org
from planner.report import build_report
from planner.resources import sample_path
from tests.helpers import healthy_org, make_org
from tests.report.orgs import gappy_org


def test_header_and_health_figures():
    report = build_report(gappy_org(), today=date(2026, 3, 1), source="gappy.json")
    assert (report.org_name, report.date, report.profile.name, report.source) == (
        "Gappy Ltd", "2026-03-01", "scrum", "gappy.json"
    )
    health = report.health
    assert (health.teams, health.teams_with_one_owner) == (6, 2)
    assert (health.products, health.products_with_strategy_owner) == (3, 2)
    assert health.counts == analyze(gappy_org()).counts
    assert health.accepted == 1
    assert ("Teams with exactly one backlog owner", "2 of 6") in report.health_rows()


def test_fix_first_puts_errors_first_and_counts_places():
    report = build_report(gappy_org())
    assert [item.code for item in report.fix_first][:2] == ["OWN001", "OWN002"]
    unowned = report.fix_first[0]
    assert unowned.count == 3
    assert set(unowned.node_names) == {"Beta", "Gamma", "Delta"}
    assert len(report.fix_first) == 3


def test_findings_carry_names_reasons_and_remedies():
    report = build_report(gappy_org())
    entry = next(f for f in report.findings if f.code == "OWN002")
    assert entry.node_names == ("Ledger",)
    assert entry.why and entry.fix and entry.title == "Product without a strategy owner"
    severities = [severity for severity, _ in report.findings_by_severity()]
    assert severities == sorted(severities, key=("error", "warning", "info").index)


def test_accepted_risks_are_listed_apart_and_not_counted():
    report = build_report(gappy_org())
    assert [(f.code, f.node_names) for f in report.accepted] == [("OWN001", ("Epsilon",))]
    assert all("Epsilon" not in f.node_names for f in report.findings if f.code == "OWN001")


def test_product_owner_hires_use_spare_room_of_the_same_product():
    # SAFe: two teams per owner. Shop has Olga (1 team, room for 1) and two unowned teams: Olga takes one,
    # one hire for the other; Ledger's unowned team needs its own owner. Epsilon is an accepted risk.
    step = next(s for s in build_report(gappy_org("safe")).recommendations if s.key == "product_owners")
    assert step.count == 2
    assert "Olga PO can take 1" in step.detail


def test_product_owner_hires_round_up_at_the_profile_ratio():
    teams = [(f"t{i}", "dev_team", {}) for i in range(5)]
    org = make_org([*teams, ("p", "product", {})], ", ".join(f"t{i} builds p" for i in range(5)), profile="safe")
    step = next(s for s in build_report(org).recommendations if s.key == "product_owners")
    assert step.count == 3  # ceil(5 / 2)


def test_scrum_owner_with_room_takes_the_unowned_teams_without_a_hire():
    step = next(s for s in build_report(gappy_org("scrum")).recommendations if s.key == "product_owners")
    # Shop's two unowned teams fit under Olga's limit of 9; Ledger still needs one owner.
    assert step.count == 1


def test_products_without_strategy_owner_and_dual_hats_are_recommended():
    steps = {s.key: s for s in build_report(gappy_org()).recommendations}
    assert "Ledger" in steps["strategy_owners"].headline
    # One product and one team is Scrum's product owner as designed; SAFe keeps the two hats apart.
    assert "dual_hats" not in steps
    steps = {s.key: s for s in build_report(gappy_org("safe")).recommendations}
    assert "Dee Dual" in steps["dual_hats"].detail
    assert "split as the org grows" in steps["dual_hats"].detail


def test_healthy_org_needs_no_hire():
    report = build_report(healthy_org())
    assert [s.key for s in report.recommendations] == ["none"]
    assert report.fix_first == [] or all(item.severity == "info" for item in report.fix_first)


def test_coverage_tables_flag_gaps():
    report = build_report(gappy_org())
    products, teams = report.coverage
    rows = {row[0]: (row, products.is_flagged(i)) for i, row in enumerate(products.rows)}
    assert rows["Shop"][0][1] == "Pat PM" and rows["Shop"][0][3] == 3
    assert rows["Ledger"][1] is True
    team_rows = {row[0]: (row, teams.is_flagged(i)) for i, row in enumerate(teams.rows)}
    assert team_rows["Alpha"] == (("Alpha", "Olga PO", "Shop", 6), False)
    assert team_rows["Beta"][1] is True


def test_load_tables_compare_with_the_profile_limits():
    org = make_org(
        [("po", "po", {"name": "Busy"})] + [(f"t{i}", "team", {}) for i in range(3)],
        ", ".join(f"po owns_backlog t{i}" for i in range(3)),
        profile="safe",
    )
    backlog = build_report(org).load[0]
    assert backlog.rows[0] == ("Busy", "Product owner", 3, 2, "over the limit")
    assert backlog.is_flagged(0)
    assert build_report(org, profile="scrum").load[0].rows[0][3:] == (9, "within")


def test_appendix_lists_exactly_the_rules_that_fired():
    report = build_report(gappy_org())
    fired = {f.code for f in report.findings} | {f.code for f in report.accepted}
    assert {rule.code for rule in report.appendix} == fired
    assert all(rule.detects and rule.why and rule.fix for rule in report.appendix)
    assert all(rule.sources for rule in report.appendix)  # each rule's Source lines, for the writers to show


def test_highlight_keeps_the_worst_severity_per_node():
    report = build_report(gappy_org())
    assert report.highlight["t3"] == "error"
    assert "t5" not in report.highlight  # accepted, not open


@pytest.mark.parametrize("sample", ["startup", "scaleup", "enterprise"])
def test_samples_report_without_trouble(sample):
    org = load_org(sample_path(sample))
    report = build_report(org)
    assert report.health.gaps == len(report.findings)
    assert report.recommendations


def test_an_owners_spare_room_is_not_counted_twice_across_products():
    # LeSS: up to 8 teams. Sam owns one team on each product, so has room for 6 more in all. Ten unowned
    # teams (five per product): Sam takes six, and one new owner takes the other four.
    nodes = [("sam", "po", {"name": "Sam"}), ("p1", "product", {}), ("p2", "product", {})]
    links = ["sam owns_backlog a0", "sam owns_backlog b0", "a0 builds p1", "b0 builds p2"]
    for prefix, product in (("a", "p1"), ("b", "p2")):
        nodes += [(f"{prefix}{i}", "team", {}) for i in range(6)]
        links += [f"{prefix}{i} builds {product}" for i in range(1, 6)]
    step = next(s for s in build_report(make_org(nodes, ", ".join(links), profile="less")).recommendations
                if s.key == "product_owners")
    assert step.count == 1
    assert "Sam can take 5" in step.detail and "Sam can take 1" in step.detail
