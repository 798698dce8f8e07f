"""Desktop integration on Linux: a menu entry, an icon and a MIME type, so "Open with" and double-click work.

:func:`install` writes, under ``$XDG_DATA_HOME`` (``~/.local/share`` when
unset), following the freedesktop.org specifications:

- ``applications/team-structure-planner.desktop``: the menu entry, which opens
  the files it is given (``%f``) with this very Python and planner;
- ``icons/hicolor/scalable/apps/team-structure-planner.svg`` and the same icon
  for the file type under ``mimetypes``;
- ``mime/packages/team-structure-planner.xml``: the type
  ``application/x-team-structure-planner``, a kind of JSON recognised by the
  ``*.planner.json`` name or by its ``"format": "team-structure-planner"``
  content, so a plain ``org.json`` saved by the planner is known too.

``update-mime-database`` and ``update-desktop-database`` are run when the
system has them (they only refresh caches; without them the files still take
effect at the next login). No Qt here: it runs without a display.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from planner.io.native import write_atomically
from planner.resources import resource_path

APP_ID = "team-structure-planner"
MIME_TYPE = "application/x-team-structure-planner"
#: File names the planner's org files end with; ``planner FILE`` opens these.
ORG_SUFFIXES = (".json", ".graphml")


def data_home(environ: dict[str, str] | None = None) -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when it is unset or not absolute (as the spec says)."""
    value = (environ if environ is not None else os.environ).get("XDG_DATA_HOME", "")
    if value and Path(value).is_absolute():
        return Path(value)
    return Path.home() / ".local" / "share"


def exec_quote(argument: str) -> str:
    """``argument`` quoted for a desktop entry's Exec key (the spec allows double quotes only)."""
    if argument and not any(char in argument for char in " \t\n\"'\\><~|&;$*?#()`%="):
        return argument
    escaped = "".join(f"\\{char}" if char in '"`$\\' else char for char in argument)
    return f'"{escaped.replace("%", "%%")}"'


def launch_command() -> str:
    """The command line the menu entry runs: this Python, with the planner it has installed."""
    return f"{exec_quote(sys.executable)} -m planner"


def desktop_entry(command: str) -> str:
    # Exec's quoting rules are close to the shell's for plain paths; %f is one file at a time.
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            # 1.4: nothing here needs 1.5, and Debian 12's desktop-file-validate refuses a version it does not know.
            "Version=1.4",
            "Name=Team Structure Planner",
            "GenericName=Org Chart Planner",
            "Comment=Draw a product org and check it for ownership gaps",
            f"Exec={command} %f",
            f"Icon={APP_ID}",
            "Terminal=false",
            "Categories=Office;Chart;Qt;",
            f"MimeType={MIME_TYPE};",
            "Keywords=org chart;product owner;product manager;team;reorg;",
            "StartupWMClass=planner",
            "",
        ]
    )


def mime_package() -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="{MIME_TYPE}">
    <comment>Team Structure Planner org</comment>
    <sub-class-of type="application/json"/>
    <generic-icon name="{MIME_TYPE.replace("/", "-")}"/>
    <glob pattern="*.planner.json" weight="60"/>
    <magic priority="80">
      <match type="string" value="&quot;team-structure-planner&quot;" offset="0:512"/>
    </magic>
  </mime-type>
</mime-info>
"""


@dataclass
class Installed:
    """What :func:`install` wrote, and which cache refreshers it ran."""

    files: list[Path] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)


def _refresh(tool: str, folder: Path, done: list[str]) -> None:
    if shutil.which(tool) is None:
        return
    result = subprocess.run([tool, str(folder)], capture_output=True, text=True, check=False)
    if result.returncode == 0:
        done.append(tool)


def install(root: Path | None = None, command: str | None = None) -> Installed:
    """Write the menu entry, the icons and the MIME type under ``root`` (default: :func:`data_home`)."""
    root = root if root is not None else data_home()
    icon = resource_path("icons", "planner.svg").read_bytes()
    targets = {
        root / "applications" / f"{APP_ID}.desktop": desktop_entry(command or launch_command()).encode("utf-8"),
        root / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg": icon,
        root / "icons" / "hicolor" / "scalable" / "mimetypes" / f"{MIME_TYPE.replace('/', '-')}.svg": icon,
        root / "mime" / "packages" / f"{APP_ID}.xml": mime_package().encode("utf-8"),
    }
    done = Installed()
    for path, content in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, content)
        done.files.append(path)
    _refresh("update-mime-database", root / "mime", done.refreshed)
    _refresh("update-desktop-database", root / "applications", done.refreshed)
    return done


def uninstall(root: Path | None = None) -> list[Path]:
    """Remove what :func:`install` wrote; the files removed."""
    root = root if root is not None else data_home()
    removed = []
    for path in (
        root / "applications" / f"{APP_ID}.desktop",
        root / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
        root / "icons" / "hicolor" / "scalable" / "mimetypes" / f"{MIME_TYPE.replace('/', '-')}.svg",
        root / "mime" / "packages" / f"{APP_ID}.xml",
    ):
        if path.exists():
            path.unlink()
            removed.append(path)
    done: list[str] = []
    _refresh("update-mime-database", root / "mime", done)
    _refresh("update-desktop-database", root / "applications", done)
    return removed


def looks_like_org_file(argument: str) -> bool:
    """True when a first command-line argument names a file to open rather than a command."""
    if argument.startswith("-"):
        return False
    return Path(argument).is_file() or argument.lower().endswith(ORG_SUFFIXES)
