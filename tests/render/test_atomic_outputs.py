"""Charts and reports are written atomically: a full disk or a device in the way leaves what was there."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import main
from planner.io import native
from tests.helpers import healthy_org

ROOT = Path(__file__).resolve().parents[2]

#: Every file the planner writes from the command line: (output name, the command that writes it).
OUTPUTS = [
    ("chart.png", "export"),
    ("chart.svg", "export"),
    ("chart.pdf", "export"),
    ("chart.drawio", "export"),
    ("chart.mmd", "export"),
    ("report.md", "report"),
    ("report.csv", "report"),
    ("report.json", "report"),
    ("report.html", "report"),
    ("report.pdf", "report"),
    ("report.xlsx", "report"),
    ("copy.json", "convert"),
    ("copy.graphml", "convert"),
    ("copy.drawio", "convert"),
    ("nodes.csv", "convert"),
]
#: Files that are there before and must be whole after, though no command names them (the pair's second half).
ALSO_KEPT = ["links.csv"]

#: Mounts a small disk over FOLDER, puts the old outputs on it, fills it, then runs the planner on each output.
ON_A_FULL_DISK = """
folder=$1; org=$2; shift 2
mount -t tmpfs -o size=256k planner-small-disk "$folder" || exit 97
for pair in "$@" links.csv=none; do name=${pair%%=*}; printf 'the old %s\\n' "$name" > "$folder/$name"; done
dd if=/dev/zero of="$folder/filler" bs=4096 2>/dev/null
for pair in "$@"; do
    name=${pair%%=*}; command=${pair#*=}
    case "$command" in
        convert) python3 -m planner convert "$org" "$folder/$name" ;;
        *) python3 -m planner "$command" "$org" -o "$folder/$name" ;;
    esac
    echo "$name exit $?" >&2
done
for pair in "$@" links.csv=none; do cat "$folder/${pair%%=*}"; done
ls -a "$folder" >&2
"""


def _command(org: Path, output: Path, command: str) -> list[str]:
    if command == "convert":
        return [sys.executable, "-m", "planner", "convert", str(org), str(output)]
    return [sys.executable, "-m", "planner", command, str(org), "-o", str(output)]


@pytest.mark.skipif(not sys.platform.startswith("linux") or not shutil.which("unshare"), reason="needs Linux unshare")
def test_on_a_full_disk_every_earlier_output_is_left_whole(tmp_path):
    org = tmp_path / "org.json"
    native.save(healthy_org(), org)
    folder = tmp_path / "disk"
    folder.mkdir()
    own_namespace = ["--mount"] if os.geteuid() == 0 else ["--user", "--map-root-user", "--mount"]
    command = [
        "unshare",
        *own_namespace,
        "--propagation",
        "private",
        "sh",
        "-c",
        ON_A_FULL_DISK,
        "sh",
        str(folder),
        str(org),
        *(f"{name}={how}" for name, how in OUTPUTS),
    ]
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, cwd=ROOT)
    if result.returncode == 97 or result.stderr.startswith("unshare:"):
        pytest.skip(f"no small disk can be mounted here: {result.stderr.strip()}")
    for name, _how in OUTPUTS:
        assert f"{name} exit 2" in result.stderr, result.stderr
    for name in [name for name, _how in OUTPUTS] + ALSO_KEPT:
        assert f"the old {name}\n" in result.stdout, result.stdout
    assert ".tmp" not in result.stderr and ".journal" not in result.stderr, "no temporary file is left behind"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs RLIMIT_FSIZE as Linux has it")
def test_a_file_size_limit_leaves_every_earlier_output_whole(tmp_path):
    """The same as a full disk, without a mount: the system refuses any file larger than 40 bytes."""
    import resource

    org = tmp_path / "org.json"
    native.save(healthy_org(), org)
    folder = tmp_path / "out"
    folder.mkdir()
    for name in [name for name, _how in OUTPUTS] + ALSO_KEPT:
        (folder / name).write_text(f"the old {name}\n", encoding="utf-8")

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (40, 40))

    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    for name, how in OUTPUTS:
        result = subprocess.run(
            _command(org, folder / name, how),
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            cwd=ROOT,
            preexec_fn=small_files,
        )
        assert result.returncode == 2, (name, result.stderr)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    for name in [name for name, _how in OUTPUTS] + ALSO_KEPT:
        assert (folder / name).read_text(encoding="utf-8") == f"the old {name}\n", name
    assert sorted(p.name for p in folder.iterdir()) == sorted([name for name, _how in OUTPUTS] + ALSO_KEPT)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")
def test_an_export_onto_a_pipe_or_a_link_to_a_device_is_refused(tmp_path, capsys):
    org = tmp_path / "org.json"
    native.save(healthy_org(), org)
    pipe = tmp_path / "chart.svg"
    os.mkfifo(pipe)
    device_link = tmp_path / "report.md"
    device_link.symlink_to("/dev/null")
    assert main(["export", str(org), "-o", str(pipe)]) == 2
    assert main(["report", str(org), "-o", str(device_link)]) == 2
    err = capsys.readouterr().err
    assert err.count("not a regular file") == 2
    assert stat.S_ISFIFO(os.stat(pipe).st_mode) and stat.S_ISCHR(os.stat("/dev/null").st_mode)
