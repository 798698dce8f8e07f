"""The pre-commit hook and the README's GitHub Actions step run ``planner check`` as they are written."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import tomllib
from pathlib import Path

import yaml

from planner.cli import main
from planner.resources import resource_path

ROOT = Path(__file__).parents[2]


def actions_step() -> list[dict]:
    """The YAML block of the README's code scanning section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"In GitHub Actions:\n\n  ```yaml\n(.*?)  ```", text, re.S)
    assert block, "the README has no GitHub Actions step"
    return yaml.safe_load("\n".join(line[2:] for line in block.group(1).splitlines()))


def test_the_pre_commit_hook_runs_planner_check_on_org_files(tmp_path, capsys):
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "planner-check" and hook["language"] == "python" and hook["pass_filenames"]
    command, *entry_args = shlex.split(hook["entry"])
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts[command] == "planner.cli:main"  # the console script pre-commit installs
    files = re.compile(hook["files"])
    assert all(files.search(name) for name in ("orgs/team.org.json", "chart.drawio", "orgs/a.graphml"))
    assert not any(files.search(name) for name in ("package.json", "notes.md"))
    # As pre-commit calls it: the entry, the hook's args, then the staged files.
    clean, gappy = tmp_path / "clean.org.json", tmp_path / "gappy.org.json"
    shutil.copy(resource_path("samples", "startup.json"), clean)
    shutil.copy(resource_path("samples", "scaleup.json"), gappy)
    assert main([*entry_args, *hook["args"], str(clean)]) == 0
    assert main([*entry_args, *hook["args"], str(clean), str(gappy)]) == 1
    assert "OWN001" in capsys.readouterr().out


def test_the_documented_actions_step_writes_sarif_for_upload(tmp_path, capsys):
    steps = actions_step()
    check = next(step for step in steps if "planner check" in step.get("run", ""))
    run = check["run"]
    upload = next(step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    command, redirect = run.split(">")
    assert upload["with"]["sarif_file"] == redirect.strip()
    args = shlex.split(command)[1:]
    assert args[0] == "check" and "--format" in args and args[args.index("--format") + 1] == "sarif"
    # The glob in the step stands for the org files of the repository.
    files = [str(resource_path("samples", name)) for name in ("startup.json", "scaleup.json")]
    args = [arg for arg in args if "*" not in arg]
    args[1:1] = files
    assert main(args) == 1  # findings exit 1: the step continues on error, so the upload still runs
    assert check.get("continue-on-error") is True
    log = json.loads(capsys.readouterr().out)
    assert log["version"] == "2.1.0" and len(log["runs"][0]["artifacts"]) == 2
