"""The one atomic writer: refuses what is not a file, keeps modes, cleans up after killed saves, pairs change as one."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner.io import SaveError, csvpair, load_org, native
from planner.io.atomic import _HOST, clean_stale_temporaries, journal_path, write_all_atomically, write_atomically
from planner.synthetic import synthetic_org
from tests.helpers import make_org

ROOT = Path(__file__).resolve().parents[2]
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX files")


def test_the_writers_stay_importable_from_the_native_module():
    assert native.write_atomically is write_atomically
    assert native.write_all_atomically is write_all_atomically


@posix_only
def test_a_link_to_a_device_is_refused_and_the_device_left_alone(tmp_path):
    link = tmp_path / "org.json"
    link.symlink_to("/dev/null")
    with pytest.raises(SaveError, match="not a regular file"):
        native.save(make_org("team:t"), link)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert link.is_symlink()


@posix_only
def test_a_named_pipe_is_refused_and_stays_a_pipe(tmp_path):
    pipe = tmp_path / "org.json"
    os.mkfifo(pipe)
    with pytest.raises(SaveError, match="not a regular file"):
        native.save(make_org("team:t"), pipe)
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["org.json"]


def test_a_folder_is_refused(tmp_path):
    (tmp_path / "org.json").mkdir()
    with pytest.raises(SaveError, match="folder"):
        native.save(make_org("team:t"), tmp_path / "org.json")


@posix_only
def test_the_old_files_mode_is_kept(tmp_path):
    target = tmp_path / "org.json"
    target.write_text("{}", encoding="utf-8")
    target.chmod(0o640)
    native.save(make_org("team:t"), target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@posix_only
def test_temporary_files_of_killed_saves_are_removed_on_the_next_save(tmp_path):
    target = tmp_path / "org.json"
    native.save(make_org("team:t"), target)
    dead = tmp_path / f".org.json.{_HOST}-{dead_pid()}-0123456789ab.tmp"
    older_planner = tmp_path / ".org.json.0123456789ab.tmp"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        running = tmp_path / f".org.json.{_HOST}-{sleeper.pid}-0123456789ab.tmp"
        others = [tmp_path / ".other.json.0123456789ab.tmp", tmp_path / ".org.json.notes.tmp"]
        for leftover in (dead, older_planner, running, *others):
            leftover.write_text("half a file", encoding="utf-8")
        an_hour_ago = time.time() - 3600
        os.utime(older_planner, (an_hour_ago, an_hour_ago))
        native.save(make_org("team:t product:p"), target)
        left = sorted(p.name for p in tmp_path.iterdir())
    finally:
        sleeper.kill()
        sleeper.wait()
    # A save still under way in another process, and files not of the planner's naming, are left alone.
    assert left == sorted(["org.json", running.name, *(p.name for p in others)])
    assert len(load_org(target)) == 2


def test_a_recent_temporary_file_of_an_older_planner_is_left_alone(tmp_path):
    target = tmp_path / "org.json"
    recent = tmp_path / ".org.json.0123456789ab.tmp"
    recent.write_text("half", encoding="utf-8")
    assert clean_stale_temporaries(target) == []
    assert recent.exists()


#: Saves the pair NEW over the pair at PATH, and is killed by itself right after the first rename.
KILLED_BETWEEN_RENAMES = """
import os, signal, sys
from planner.io import csvpair
from planner.synthetic import synthetic_org

real_replace = os.replace
def replace_then_die(source, target):
    real_replace(source, target)
    if str(target).endswith(".csv"):
        os.kill(os.getpid(), signal.SIGKILL)
os.replace = replace_then_die
csvpair.save(synthetic_org(40, seed=2), sys.argv[1])
"""


@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")
def test_a_pair_killed_between_its_renames_is_finished_when_next_read(tmp_path):
    nodes = tmp_path / "nodes.csv"
    # The new org is the smaller: its nodes beside the old links would not load ("no node with id ...").
    old, new = synthetic_org(60, seed=1), synthetic_org(40, seed=2)
    csvpair.save(old, nodes)
    result = subprocess.run(
        [sys.executable, "-c", KILLED_BETWEEN_RENAMES, str(nodes)],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert journal_path(nodes).exists(), "the kill landed between the renames"
    loaded = csvpair.load(nodes)
    assert sorted(n.id for n in loaded.nodes()) == sorted(n.id for n in new.nodes())
    assert loaded.number_of_links() == new.number_of_links()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["links.csv", "nodes.csv"]


@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL and symbolic links")
@pytest.mark.parametrize("linked", ["folder", "files"])
def test_a_pair_killed_between_its_renames_is_finished_when_read_through_links(tmp_path, linked):
    folder = tmp_path / "real"
    folder.mkdir()
    old, new = synthetic_org(60, seed=1), synthetic_org(40, seed=2)
    csvpair.save(old, folder / "nodes.csv")
    if linked == "folder":
        (tmp_path / "shortcut").symlink_to(folder)
    else:  # links to each file of the pair, in a folder of their own
        (tmp_path / "shortcut").mkdir()
        for name in ("nodes.csv", "links.csv"):
            (tmp_path / "shortcut" / name).symlink_to(folder / name)
    result = subprocess.run(
        [sys.executable, "-c", KILLED_BETWEEN_RENAMES, str(tmp_path / "shortcut" / "nodes.csv")],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    loaded = csvpair.load(tmp_path / "shortcut" / "nodes.csv")
    assert sorted(n.id for n in loaded.nodes()) == sorted(n.id for n in new.nodes())
    assert sorted(p.name for p in folder.iterdir()) == ["links.csv", "nodes.csv"]


def test_a_journal_naming_a_file_outside_its_folder_moves_nothing(tmp_path):
    """A journal is data found on disk: one planted beside a pair must not put a file anywhere else."""
    outside = tmp_path / "outside.txt"
    outside.write_text("precious\n", encoding="utf-8")
    folder = tmp_path / "pair"
    folder.mkdir()
    nodes = folder / "nodes.csv"
    csvpair.save(make_org("team:t product:p", "t builds p"), nodes)
    planted = folder / f".outside.txt.{_HOST}-1-{'0' * 12}.tmp"
    planted.write_text("planted\n", encoding="utf-8")
    renamed = folder / f".nodes.csv.{_HOST}-1-{'1' * 12}.tmp"
    renamed.write_text("id,kind\n", encoding="utf-8")
    journal_path(nodes).write_text(
        json.dumps({"renames": [[str(planted), str(outside)], [str(renamed), str(tmp_path / "elsewhere.csv")]]}),
        encoding="utf-8",
    )
    loaded = csvpair.load(nodes)
    assert sorted(n.id for n in loaded.nodes()) == ["p", "t"]
    assert outside.read_text(encoding="utf-8") == "precious\n"
    assert not (tmp_path / "elsewhere.csv").exists()
    assert not journal_path(nodes).exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX named pipes")
def test_what_lies_under_a_journals_name_but_is_none_is_set_aside_without_waiting_or_reading_it_whole(tmp_path):
    import threading
    import tracemalloc

    nodes = tmp_path / "nodes.csv"
    csvpair.save(make_org("team:t product:p", "t builds p"), nodes)
    journal = journal_path(nodes)
    journal.write_bytes(b'{"renames": [' + b"[1, 2], " * 2_000_000 + b"[1, 2]]}")
    tracemalloc.start()
    try:
        assert sorted(n.id for n in csvpair.load(nodes).nodes()) == ["p", "t"]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4_000_000, f"a {journal.stat().st_size if journal.exists() else 16_000_000:,}-byte file was read"
    assert not journal.exists()

    os.mkfifo(journal)
    loaded: list[int] = []
    reader = threading.Thread(target=lambda: loaded.append(len(csvpair.load(nodes))), daemon=True)
    reader.start()
    reader.join(30)
    try:
        assert loaded == [2], "reading the pair waited on a named pipe in the journal's place"
    finally:
        try:
            os.close(os.open(journal, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass
