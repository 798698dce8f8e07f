"""The engine around the rules: registry, profiles, selection, accepted risks and ordering."""

import pytest

from planner.analysis import (
    PROFILE_TABLE,
    REGISTRY,
    Registry,
    RegistryError,
    Rule,
    UnknownRuleError,
    all_rules,
    analyze,
    get_rule,
)
from planner.analysis.rule import SEVERITY_RANK
from planner.model.vocabulary import PROFILES
from tests.helpers import make_org

CATALOG = (
    "OWN001 OWN002 OWN003 OWN004 OWN005 OWN006 OWN007 STR001 STR002 STR003 STR004 STR005 STR006 STR007 "
    "LOAD001 LOAD002 LOAD003 LOAD004 LOAD005 ALN001 ALN002 ALN003 ALN004 ALN005 RSK001 RSK002 RSK003 "
    "DUT001 DUT002 DUT003 DUT004 DUT005"
).split()


def test_catalog_holds_exactly_the_published_codes():
    assert [r.code for r in all_rules()] == CATALOG


def test_every_rule_explains_itself_in_three_sections():
    for rule in all_rules():
        text = rule.explanation()
        for heading in ("What it detects", "Why it matters", "How to fix"):
            assert heading in text, rule.code
        assert rule.detects and rule.why and rule.fix and rule.title
        assert not rule.message.endswith(".")


def test_rules_are_found_by_code_or_name():
    assert get_rule("own001").name == "team-without-backlog-owner"
    assert get_rule("dual-hat").code == "RSK002"
    assert get_rule("NOPE999") is None


def _dummy(code, name):
    return Rule(code, name, "t", "info", "m", "d", "w", "f", check=lambda ix, p: [])


def test_registry_refuses_duplicate_codes_and_names():
    registry = Registry()
    registry.register(_dummy("ABC001", "some-rule"))
    with pytest.raises(RegistryError):
        registry.register(_dummy("ABC001", "other-rule"))
    with pytest.raises(RegistryError):
        registry.register(_dummy("ABC002", "some-rule"))
    with pytest.raises(RegistryError):
        registry.register(_dummy("abc", "bad-code"))
    assert len(REGISTRY) == len(CATALOG)


def test_profiles_match_the_vocabulary():
    assert tuple(PROFILE_TABLE) == PROFILES


def test_findings_sort_by_severity_then_code():
    org = make_org("team:t product:p stake:s", "")
    result = analyze(org)
    keys = [(SEVERITY_RANK[f.severity], f.code) for f in result.findings]
    assert keys == sorted(keys)
    assert result.findings[0].severity == "error"


def test_the_document_profile_is_used_unless_overridden():
    nodes = "po:a " + " ".join(f"team:t{i}" for i in range(3))
    links = ", ".join(f"a owns_backlog t{i}" for i in range(3))
    org = make_org(nodes, links, profile="safe")
    assert any(f.code == "LOAD001" for f in analyze(org).findings)
    assert not any(f.code == "LOAD001" for f in analyze(org, "scrum").findings)


def test_ignored_codes_on_the_subject_become_accepted_risks():
    org = make_org([("t", "dev_team", {"ignore": ("OWN001",)}), ("p", "product", {})], "t builds p")
    result = analyze(org)
    assert "OWN001" not in [f.code for f in result.findings]
    assert [f.code for f in result.accepted] == ["OWN001"]


def test_select_and_ignore_take_codes_names_and_prefixes():
    org = make_org("team:t product:p stake:s")
    assert {f.code for f in analyze(org, select=["OWN"]).findings} == {"OWN001", "OWN002"}
    assert {f.code for f in analyze(org, select=["isolated-node"]).findings} == {"STR004"}
    assert "STR004" not in {f.code for f in analyze(org, ignore=["STR004"]).findings}
    with pytest.raises(UnknownRuleError):
        analyze(org, select=["XYZ"])


def test_counts_add_up():
    result = analyze(make_org("team:t product:p stake:s"))
    assert sum(result.counts.values()) == len(result.findings)


def test_findings_map_to_their_nodes():
    result = analyze(make_org("team:t product:p"))
    by_node = result.by_node()
    assert {f.code for f in by_node["t"]} >= {"OWN001", "STR002"}
