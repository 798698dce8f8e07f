"""Desktop integration: ``planner FILE`` opens it, ``planner install-desktop`` adds a menu entry and a file type."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from xml.etree import ElementTree

import pytest

from planner import desktop
from planner.cli import HEADLESS, SUBCOMMANDS, main
from planner.resources import sample_path


@pytest.fixture
def opened(monkeypatch):
    """Stand in for the editor: record the file it would open."""
    import planner.ui.app

    seen = []
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(planner.ui.app, "run", lambda path=None: seen.append(path) or 0)
    return seen


def test_planner_file_opens_the_file_in_the_editor(opened, tmp_path):
    org = tmp_path / "org.json"
    org.write_bytes(sample_path("startup").read_bytes())
    assert main([str(org)]) == 0
    assert main([str(tmp_path / "not-yet.graphml")]) == 0  # an org extension: the editor says what is wrong
    assert opened == [str(org), str(tmp_path / "not-yet.graphml")]


def test_a_mistyped_command_is_still_refused(capsys):
    assert main(["chek"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_without_a_display_every_command_that_needs_none_is_listed(monkeypatch, capsys):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert main(["open"]) == 2
    err = capsys.readouterr().err
    assert set(HEADLESS) == set(SUBCOMMANDS) - {"open"}
    assert all(name in err for name in HEADLESS)


def test_with_a_display_that_is_gone_every_command_that_needs_none_is_listed(monkeypatch, capsys):
    from planner.cli import open_cmd

    for name in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(open_cmd, "x_display_answers", lambda name: False)
    assert main(["open"]) == 2
    err = capsys.readouterr().err
    assert "DISPLAY=:99" in err and all(name in err for name in HEADLESS)


def test_install_desktop_writes_entry_icon_and_mime_type_under_xdg_data_home(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    called = []
    monkeypatch.setattr(desktop.shutil, "which", lambda tool: f"/usr/bin/{tool}")
    monkeypatch.setattr(
        desktop.subprocess, "run", lambda args, **kw: called.append(args) or type("R", (), {"returncode": 0})()
    )
    assert main(["install-desktop"]) == 0
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(tmp_path / "applications" / "team-structure-planner.desktop")
    section = entry["Desktop Entry"]
    assert section["Exec"].endswith(" -m planner %f") and sys.executable in section["Exec"]
    assert section["MimeType"] == "application/x-team-structure-planner;"
    assert section["Icon"] == "team-structure-planner"
    assert (tmp_path / "icons/hicolor/scalable/apps/team-structure-planner.svg").is_file()
    mime = ElementTree.parse(tmp_path / "mime/packages/team-structure-planner.xml").getroot()
    ns = "{http://www.freedesktop.org/standards/shared-mime-info}"
    kind = mime.find(f"{ns}mime-type")
    assert kind.get("type") == "application/x-team-structure-planner"
    assert kind.find(f"{ns}glob").get("pattern") == "*.planner.json"
    assert '"team-structure-planner"' in kind.find(f"{ns}magic/{ns}match").get("value")
    assert sample_path("startup").read_text(encoding="utf-8")[:512].count('"team-structure-planner"') == 1
    assert [args[0] for args in called] == ["update-mime-database", "update-desktop-database"]
    assert called[0][1] == str(tmp_path / "mime")
    assert str(tmp_path) in capsys.readouterr().out


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils is not installed")
def test_the_desktop_entry_passes_the_freedesktop_validator(tmp_path):
    desktop.install(tmp_path, command='"/home/ana b/.venv/bin/python3" -m planner')
    checked = subprocess.run(
        ["desktop-file-validate", str(tmp_path / "applications" / f"{desktop.APP_ID}.desktop")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0 and not checked.stdout.strip(), checked.stdout + checked.stderr


@pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("update-mime-database", "gio")),
    reason="shared-mime-info or gio is not installed",
)
def test_after_install_the_desktop_knows_a_saved_org_file_by_its_content(tmp_path):
    home = tmp_path / "share"
    desktop.install(home)
    org = tmp_path / "org.json"  # a plain .json name: known by the "format" key near its start
    org.write_bytes(sample_path("startup").read_bytes())
    other = tmp_path / "other.json"
    other.write_text('{"format": "something else"}', encoding="utf-8")
    env = {**os.environ, "XDG_DATA_HOME": str(home), "XDG_DATA_DIRS": "/usr/local/share:/usr/share"}

    def content_type(path):
        out = subprocess.run(
            ["gio", "info", "-a", "standard::content-type", str(path)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout
        return out.rsplit(":", 1)[-1].strip()

    assert content_type(org) == desktop.MIME_TYPE
    assert content_type(other) == "application/json"


def test_install_desktop_runs_no_cache_tool_the_system_lacks(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setattr(desktop.shutil, "which", lambda tool: None)
    monkeypatch.setattr(desktop.subprocess, "run", lambda *a, **k: pytest.fail("no tool to run"))
    done = desktop.install()
    assert len(done.files) == 4 and done.refreshed == []
    assert len(desktop.uninstall()) == 4
    assert not (tmp_path / "applications" / "team-structure-planner.desktop").exists()


def test_a_relative_xdg_data_home_is_ignored_as_the_spec_says(tmp_path):
    assert desktop.data_home({"XDG_DATA_HOME": "relative/dir"}).is_absolute()
    assert desktop.data_home({"XDG_DATA_HOME": str(tmp_path)}) == tmp_path


def test_a_python_in_a_folder_with_spaces_is_quoted_as_desktop_entries_require():
    assert desktop.exec_quote("/usr/bin/python3") == "/usr/bin/python3"
    assert desktop.exec_quote("/home/ana b/.venv/bin/python3") == '"/home/ana b/.venv/bin/python3"'
    assert desktop.exec_quote("/srv/100% sure/python") == '"/srv/100%% sure/python"'
