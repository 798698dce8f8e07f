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

#: Mounts a small disk over FOLDER, puts the old outputs on it, fills it, then runs the planner on each output.
ON_A_FULL_DISK = '''
folder=$1; org=$2; shift 2
mount -t tmpfs -o size=256k planner-small-disk "$folder" || exit 97
for name in "$@"; do printf 'the old %s\\n' "$name" > "$folder/$name"; done
dd if=/dev/zero of="$folder/filler" bs=4096 2>/dev/null
for name in "$@"; do
    case "$name" in
        *.png|*.svg|*.pdf) python3 -m planner export "$org" -o "$folder/$name" ;;
        *) python3 -m planner report "$org" -o "$folder/$name" ;;
    esac
    echo "$name exit $?" >&2
    cat "$folder/$name"
done
ls -a "$folder" >&2
'''

OUTPUTS = ["chart.png", "chart.svg", "chart.pdf", "report.md", "report.csv", "report.json", "report.html"]


@pytest.mark.skipif(not sys.platform.startswith("linux") or not shutil.which("unshare"), reason="needs Linux unshare")
def test_on_a_full_disk_every_earlier_output_is_left_whole(tmp_path):
    org = tmp_path / "org.json"
    native.save(healthy_org(), org)
    folder = tmp_path / "disk"
    folder.mkdir()
    own_namespace = ["--mount"] if os.geteuid() == 0 else ["--user", "--map-root-user", "--mount"]
    command = ["unshare", *own_namespace, "--propagation", "private", "sh", "-c", ON_A_FULL_DISK, "sh", str(folder),
               str(org), *OUTPUTS]
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
    if result.returncode == 97 or result.stderr.startswith("unshare:"):
        pytest.skip(f"no small disk can be mounted here: {result.stderr.strip()}")
    for name in OUTPUTS:
        assert f"{name} exit 2" in result.stderr, result.stderr
        assert f"the old {name}\n" in result.stdout, result.stdout
    assert ".tmp" not in result.stderr, "no temporary file is left behind"


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
