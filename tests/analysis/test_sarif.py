"""``planner check --format sarif``: SARIF 2.1.0, valid against the published schema, ready for code scanning."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from planner.analysis import all_rules, analyze
from planner.analysis.sarif import CheckedFile, artifact_uri, line_of, sarif_log
from planner.cli import main
from planner.io import load_org, save_org
from planner.resources import resource_path

# The SARIF 2.1.0 schema (errata 01) from github.com/oasis-tcs/sarif-spec, sarif-2.1/schema/sarif-schema-2.1.0.json;
# see data/README.md.
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def check_sarif(capsys, *args) -> tuple[int, dict]:
    code = main(["check", *map(str, args), "--format", "sarif"])
    out, err = capsys.readouterr()
    assert err == ""
    return code, json.loads(out)


@pytest.mark.parametrize("sample", ["startup.json", "scaleup.json", "enterprise.json"])
def test_the_log_is_valid_sarif_2_1_0(capsys, sample):
    path = resource_path("samples", sample)
    code, log = check_sarif(capsys, path)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    assert log["version"] == "2.1.0"
    result = analyze(load_org(path))
    assert code == (1 if result.counts["error"] else 0)
    assert len(log["runs"][0]["results"]) == len(result.findings) + len(result.accepted)


def test_the_driver_lists_every_rule_of_the_catalog(capsys):
    _, log = check_sarif(capsys, resource_path("samples", "startup.json"), "--profile", "safe")
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "planner" and driver["version"]
    rules = driver["rules"]
    assert [r["id"] for r in rules] == [rule.code for rule in all_rules()]
    for descriptor, rule in zip(rules, all_rules(), strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.title
        assert descriptor["fullDescription"]["text"] == rule.detects
        assert rule.why in descriptor["help"]["text"] and rule.fix in descriptor["help"]["markdown"]
        expected = {"error": "error", "warning": "warning", "info": "note", "off": "none"}[rule.severity_for("safe")]
        assert descriptor["defaultConfiguration"]["level"] == expected
    off = next(r for r in rules if r["id"] == "OWN005")  # off under the SAFe profile
    assert off["defaultConfiguration"] == {"level": "none", "enabled": False}


def test_each_result_names_its_rule_level_cards_and_file(capsys):
    path = resource_path("samples", "scaleup.json")
    _, log = check_sarif(capsys, path)
    org = load_org(path)
    findings = analyze(org).findings
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    text = Path(path).read_text(encoding="utf-8")
    for result, finding in zip(log["runs"][0]["results"], findings, strict=False):
        assert result["ruleId"] == finding.code == rules[result["ruleIndex"]]["id"]
        assert result["level"] == {"error": "error", "warning": "warning", "info": "note"}[finding.severity]
        assert result["message"]["text"] == finding.message
        location = result["locations"][0]
        assert location["physicalLocation"]["artifactLocation"]["uri"] == Path(path).resolve().as_uri()
        assert [loc["fullyQualifiedName"] for loc in location["logicalLocations"]] == list(finding.nodes)
        assert [loc["name"] for loc in location["logicalLocations"]] == [org.node(n).label for n in finding.nodes]
        line = location["physicalLocation"]["region"]["startLine"]
        assert f'"id": "{finding.nodes[0]}"' in text.splitlines()[line - 1]


def test_accepted_risks_are_suppressed_results(capsys, tmp_path):
    org = load_org(resource_path("samples", "startup.json"))
    finding = analyze(org).findings[0]
    org.update_node(finding.nodes[0], ignore=[finding.code])
    save_org(org, tmp_path / "org.json")
    _, log = check_sarif(capsys, tmp_path / "org.json")
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    suppressed = [r for r in log["runs"][0]["results"] if r.get("suppressions")]
    assert [r["ruleId"] for r in suppressed] == [finding.code]
    assert suppressed[0]["suppressions"][0]["kind"] == "inSource"


def test_relative_paths_stay_relative_with_forward_slashes():
    assert artifact_uri("orgs/./team.json") == "orgs/team.json"
    assert artifact_uri("team.json") == "team.json"


def test_cards_are_located_in_graphml_drawio_and_csv_too(tmp_path):
    org = load_org(resource_path("samples", "startup.json"))
    node = next(iter(org.nodes()))
    for name in ("org.graphml", "org.drawio", "nodes.csv"):
        save_org(org, tmp_path / name)
        text = (tmp_path / name).read_text(encoding="utf-8")
        line = line_of(text, node.id)
        assert line is not None and node.id in text.splitlines()[line - 1], name


def test_an_empty_org_gives_a_valid_log_with_no_results():
    from planner.model.org import Org

    org = Org("Empty")
    log = sarif_log([CheckedFile("empty.json", org, analyze(org))], all_rules())
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    assert log["runs"][0]["results"] == []


def test_several_files_make_one_run_with_an_artifact_each(capsys, tmp_path):
    startup, scaleup = resource_path("samples", "startup.json"), resource_path("samples", "scaleup.json")
    code, log = check_sarif(capsys, startup, scaleup)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    run = log["runs"][0]
    assert [a["location"]["uri"] for a in run["artifacts"]] == [artifact_uri(str(startup)), artifact_uri(str(scaleup))]
    expected = sum(len(analyze(load_org(p)).findings) + len(analyze(load_org(p)).accepted) for p in (startup, scaleup))
    assert len(run["results"]) == expected


def test_several_files_in_text_and_one_at_a_time_in_json(capsys):
    startup, scaleup = resource_path("samples", "startup.json"), resource_path("samples", "scaleup.json")
    main(["check", str(startup), str(scaleup), "--fail-on", "never"])
    out = capsys.readouterr().out
    assert f"{startup}: " in out and f"{scaleup}: " in out
    assert main(["check", str(startup), str(scaleup), "--format", "json"]) == 2
    assert "checks one file at a time" in capsys.readouterr().err


def test_cards_with_odd_ids_are_located_in_every_format(tmp_path):
    from planner.model.org import Node, Org

    org = Org("Odd")
    odd = 'po "x" <y> & z\\'
    org.add_node(Node("first", "dev_team", "First"))
    org.add_node(Node(odd, "product_owner", "Odd"))
    for name in ("org.json", "org.graphml", "org.drawio"):
        save_org(org, tmp_path / name)
        text = (tmp_path / name).read_text(encoding="utf-8")
        line = line_of(text, odd)
        assert line is not None and line != line_of(text, "first"), name


def test_a_profile_files_severities_are_the_rules_default_levels(capsys, tmp_path):
    toml = tmp_path / "quiet.toml"
    toml.write_text('extends = "safe"\n[severity]\nOWN005 = "error"\nSTR004 = "off"\n', encoding="utf-8")
    _, log = check_sarif(capsys, resource_path("samples", "startup.json"), "--profile", toml)
    levels = {r["id"]: r["defaultConfiguration"] for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert levels["OWN005"] == {"level": "error"}  # off in SAFe itself, turned on by the file
    assert levels["STR004"] == {"level": "none", "enabled": False}
    assert levels["RSK002"] == {"level": "warning"}  # from SAFe
    own001 = next(r for r in log["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "OWN001")
    assert "Source: " in own001["help"]["text"] and "Source: " in own001["help"]["markdown"]
