"""Profile files of one's own (TOML), the way linters are configured: read, refused, used everywhere, remembered."""

import json

import pytest

from planner.analysis import ProfileError, analyze, load_profile, parse_profile, profile_for
from planner.analysis.profiles import PROFILE_TABLE, Profile
from planner.cli import main
from planner.io import load_org, save_org
from planner.model.vocabulary import PROFILE_LIMITS
from tests.helpers import make_org

ACME = """\
extends = "less"            # scrum, safe, less or startup
title = "Acme product org"
[limits]                    # the Profile fields, by name
max_teams_per_backlog_owner = 4
max_direct_reports = 8
[severity]                  # per code: error, warning, info or off
OWN005 = "error"
RSK002 = "off"
"""


def _po_with_teams(count, profile="scrum"):
    nodes = "pm:pm po:a product:p " + " ".join(f"team:t{i}" for i in range(count))
    links = ["pm owns_strategy p, a aligns_with pm"] + [f"a owns_backlog t{i}, t{i} builds p" for i in range(count)]
    return make_org(nodes, ", ".join(links), profile=profile)


def test_the_readme_example_reads_into_a_profile():
    profile = parse_profile(ACME, "acme.toml")
    assert profile.title == "Acme product org" and profile.extends == "less" and profile.name == "acme"
    assert profile.max_teams_per_backlog_owner == 4 and profile.max_direct_reports == 8
    assert profile.min_team_size == PROFILE_TABLE["less"].min_team_size  # the rest comes from LeSS
    assert dict(profile.severity) == {"OWN005": "error", "RSK002": "off"}


def test_a_profile_file_sets_limits_and_severities():
    profile = parse_profile(ACME, "acme.toml")
    org = _po_with_teams(5)
    (finding,) = [f for f in analyze(org, profile).findings if f.code == "LOAD001"]
    assert "limit is 4" in finding.message
    wide = make_org("pm:a team:t product:p product:q", "a owns_strategy p, a owns_strategy q, a owns_backlog t")
    assert [f for f in analyze(wide).findings if f.code == "RSK002"]
    assert not [f for f in analyze(wide, profile).findings if f.code == "RSK002"]


def test_a_severity_set_in_a_file_wins_over_the_rules_own_per_finding_severity():
    profile = parse_profile('[severity]\nLOAD004 = "error"\n', "strict.toml")
    org = make_org([("t", "dev_team", {"size": 2})])
    assert [f.severity for f in analyze(org, profile).findings if f.code == "LOAD004"] == ["error"]
    assert profile.extends == "scrum"  # extends defaults to the default profile


def test_the_profile_limits_are_the_profile_fields():
    fields = {f.name for f in Profile.__dataclass_fields__.values() if f.type in ("int", int)}
    assert fields == set(PROFILE_LIMITS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('extends = "less"\nstrict = true\n', "bad.toml: line 2: strict: unknown key"),
        ('extends = "kanban"\n', "bad.toml: line 1: extends: must be one of scrum, safe, less, startup"),
        ("title = 3\n", "bad.toml: line 1: title: must be text"),
        ("[limits]\nmax_teams_per_owner = 4\n", "bad.toml: line 2: limits.max_teams_per_owner: unknown limit"),
        ('[limits]\n\nmax_direct_reports = "8"\n', "bad.toml: line 3: limits.max_direct_reports: must be a whole"),
        ("[limits]\nmax_team_size = 9.5\n", "bad.toml: line 2: limits.max_team_size: must be a whole number"),
        ("[limits]\nmin_team_size = -1\n", "bad.toml: line 2: limits.min_team_size: must be 0 or more"),
        ('[severity]\nOWN999 = "error"\n', "bad.toml: line 2: severity.OWN999: unknown rule code"),
        ('[severity]\nOWN001 = "fatal"\n', "bad.toml: line 2: severity.OWN001: must be one of error, warning"),
        ("limits = 4\n", "bad.toml: line 1: limits: must be a table"),
        ('extends = "less\n', "bad.toml: line 1: "),
    ],
)
def test_a_bad_profile_file_is_refused_in_one_line_naming_file_key_and_line(text, expected):
    with pytest.raises(ProfileError) as caught:
        parse_profile(text, "bad.toml")
    message = str(caught.value)
    assert message.startswith(expected) and "\n" not in message


def test_a_missing_profile_file_is_refused(tmp_path):
    with pytest.raises(ProfileError, match="cannot read"):
        load_profile(tmp_path / "nope.toml")


# -- on the command line ------------------------------------------------------------------------


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path):
    org_path = tmp_path / "org.json"
    save_org(_po_with_teams(5), org_path)
    toml = tmp_path / "acme.toml"
    toml.write_text(ACME, encoding="utf-8")
    return org_path, toml


def test_check_takes_a_profile_file(capsys, files):
    org_path, toml = files
    code, out, _ = run(capsys, "check", org_path, "--profile", toml, "--format", "json")
    data = json.loads(out)
    assert data["profile"] == "acme"
    assert any(g["code"] == "LOAD001" for g in data["gaps"])
    _, plain, _ = run(capsys, "check", org_path, "--format", "json")
    assert not any(g["code"] == "LOAD001" for g in json.loads(plain)["gaps"])


@pytest.mark.parametrize("command", ["check", "report", "export", "diff"])
def test_every_command_refuses_a_bad_profile_file_with_exit_2(capsys, tmp_path, files, command):
    org_path, _ = files
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "less"\n[limits]\nmax_teems = 4\n', encoding="utf-8")
    args = {
        "check": ["check", org_path],
        "report": ["report", org_path, "-o", tmp_path / "out.md"],
        "export": ["export", org_path, "-o", tmp_path / "out.svg", "--highlight"],
        "diff": ["diff", org_path, org_path],
    }[command]
    code, out, err = run(capsys, *args, "--profile", bad)
    assert code == 2 and not out
    assert (
        err.strip()
        == f"planner: {bad}: line 3: limits.max_teems: unknown limit (expected one of "
        + ", ".join(PROFILE_LIMITS)
        + ")"
    )


def test_report_and_diff_take_a_profile_file(capsys, tmp_path, files):
    org_path, toml = files
    out_path = tmp_path / "report.json"
    code, _, err = run(capsys, "report", org_path, "-o", out_path, "--profile", toml)
    assert code == 0, err
    report = json.loads(out_path.read_text())
    assert report["profile"] == "acme" and report["report"]["profile"]["title"] == "Acme product org"
    code, out, _ = run(capsys, "diff", org_path, org_path, "--profile", toml, "--format", "json")
    assert code == 0 and "LOAD001" in out


def test_an_unknown_profile_name_is_refused(capsys, files):
    org_path, _ = files
    code, _, err = run(capsys, "check", org_path, "--profile", "kanban")
    assert code == 2 and "unknown profile 'kanban'" in err


# -- remembered with the org ---------------------------------------------------------------------------


def test_an_org_remembers_its_profile_file_and_is_checked_with_it(tmp_path):
    profile = parse_profile(ACME, "acme.toml")
    org = _po_with_teams(5, profile="less")
    org.set_profile_settings(profile.settings())
    path = tmp_path / "org.json"
    save_org(org, path)
    stored = json.loads(path.read_text())
    assert stored["profile"] == "less" and stored["profile_settings"]["limits"]["max_teams_per_backlog_owner"] == 4
    again = load_org(path)
    assert profile_for(again) == profile
    assert any(f.code == "LOAD001" for f in analyze(again).findings)
    again.set_profile_settings(None)
    assert profile_for(again) == PROFILE_TABLE["less"]


def test_an_org_file_without_profile_settings_is_written_as_before(tmp_path):
    path = tmp_path / "org.json"
    save_org(_po_with_teams(2), path)
    assert "profile_settings" not in path.read_text()


def test_bad_profile_settings_in_an_org_file_are_named(tmp_path):
    from planner.io import LoadError

    path = tmp_path / "org.json"
    save_org(_po_with_teams(1), path)
    data = json.loads(path.read_text())
    data["profile_settings"] = {"limits": {"max_teams": 3}}
    path.write_text(json.dumps(data))
    with pytest.raises(LoadError) as caught:
        load_org(path)
    assert "profile_settings" in caught.value.summary() and "max_teams" in caught.value.summary()


def test_planner_rules_code_prints_source_lines(capsys):
    code, out, _ = run(capsys, "rules", "LOAD002")
    sources = [line for line in out.splitlines() if line.startswith("Source: ")]
    assert code == 0 and len(sources) == 2
    assert sources[-1].startswith("Source: Planner default, no outside source: 3 products per strategy owner.")
    assert "max_products_per_strategy_owner" in sources[-1]


def test_an_org_with_a_profile_file_follows_the_schema(tmp_path):
    import jsonschema

    from planner.resources import resource_path

    org = _po_with_teams(2, profile="less")
    org.set_profile_settings(parse_profile(ACME, "acme.toml").settings())
    path = tmp_path / "org.json"
    save_org(org, path)
    schema = json.loads(resource_path("schema", "org.schema.json").read_text())
    jsonschema.validate(json.loads(path.read_text()), schema)


def test_graphml_keeps_the_profile_file_too(tmp_path):
    profile = parse_profile(ACME, "acme.toml")
    org = _po_with_teams(5, profile="less")
    org.set_profile_settings(profile.settings())
    path = tmp_path / "org.graphml"
    save_org(org, path)
    assert profile_for(load_org(path)) == profile


def test_a_file_far_too_large_for_a_profile_is_refused_unread(tmp_path):
    from planner.analysis.profiles import MAX_PROFILE_BYTES

    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (MAX_PROFILE_BYTES + 10))
    with pytest.raises(ProfileError, match="too large for a profile file"):
        load_profile(big)
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ProfileError, match="not UTF-8"):
        load_profile(binary)


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="POSIX named pipes")
def test_a_named_pipe_given_as_a_profile_file_is_refused_without_waiting_for_a_writer(tmp_path):
    import os
    import threading

    pipe = tmp_path / "limits.toml"
    os.mkfifo(pipe)
    outcome: list[str] = []

    def load() -> None:
        try:
            load_profile(pipe)
        except ProfileError as exc:
            outcome.append(str(exc))

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    thread.join(30)
    try:
        assert not thread.is_alive(), "reading the profile waited for a writer on the pipe"
        assert outcome == [f"{pipe}: not a regular file (a pipe, socket or device)"]
    finally:
        try:  # let a stuck reader go
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass
