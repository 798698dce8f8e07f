"""A save killed at any moment leaves the old file or the new one, never a truncated or empty one."""

import os
import random
import signal
import stat
import sys
import time

import pytest

from planner.io import load_org, native
from planner.synthetic import synthetic_org

KILLS = 200


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL")
def test_killing_a_saving_process_never_corrupts_the_file(tmp_path):
    target = tmp_path / "org.json"
    old = synthetic_org(2000, seed=1)
    new = synthetic_org(2000, seed=2)
    old_text, new_text = native.dumps(old), native.dumps(new)
    native.save(old, target)
    rng = random.Random(42)
    outcomes = {"old": 0, "new": 0}
    for _ in range(KILLS):
        pid = os.fork()
        if pid == 0:  # child: save the two versions in turn until killed
            try:
                while True:
                    native.write_atomically(target, new_text)
                    native.write_atomically(target, old_text)
            finally:
                os._exit(1)
        time.sleep(rng.uniform(0, 0.05))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        text = target.read_text(encoding="utf-8")
        assert text in (old_text, new_text), f"file corrupted: {len(text)} bytes"
        outcomes["old" if text == old_text else "new"] += 1
    # The kills landed at different moments: both versions were seen on disk.
    assert outcomes["old"] and outcomes["new"]
    # Temporary files of killed saves are left beside the target, hidden, never in its place.
    assert load_org(target)
    leftovers = [p.name for p in tmp_path.iterdir() if p != target]
    assert all(name.startswith(".org.json.") and name.endswith(".tmp") for name in leftovers), leftovers


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="needs symbolic links")
def test_saving_through_a_symbolic_link_updates_the_file_it_points_to(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    real = shared / "org.json"
    native.save(synthetic_org(20, seed=1), real)
    link = tmp_path / "org.json"
    link.symlink_to(real)
    new = synthetic_org(20, seed=2)
    native.save(new, link)
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert real.read_text(encoding="utf-8") == native.dumps(new)
    assert sorted(p.name for p in shared.iterdir()) == ["org.json"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_new_file_gets_the_usual_permissions_and_an_existing_one_keeps_its_own(tmp_path):
    old_umask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.json"
        native.save(synthetic_org(5, seed=1), fresh)
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644  # readable by the team, like any file the user makes

        private = tmp_path / "private.json"
        native.save(synthetic_org(5, seed=1), private)
        private.chmod(0o600)
        native.save(synthetic_org(5, seed=2), private)
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
    finally:
        os.umask(old_umask)


def test_a_csv_pair_that_cannot_be_written_whole_leaves_both_old_files(tmp_path, monkeypatch):
    """The disk fills up while the links file is written: the nodes file must not be new beside an old links file."""
    from planner.io import csvpair
    from planner.io.errors import SaveError

    nodes_path, links_path = tmp_path / "nodes.csv", tmp_path / "links.csv"
    csvpair.save(synthetic_org(40, seed=1), nodes_path)
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    real_fsync, calls = os.fsync, []

    def fsync_until_the_disk_is_full(fd):
        calls.append(fd)
        if len(calls) == 2:  # the second file's data
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync_until_the_disk_is_full)
    with pytest.raises(SaveError, match="links.csv: No space left on device"):
        csvpair.save(synthetic_org(40, seed=2), nodes_path)
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == before  # no half pair, no leftovers

    monkeypatch.setattr(os, "fsync", real_fsync)
    new = synthetic_org(40, seed=2)
    csvpair.save(new, nodes_path)
    assert [nodes_path.read_bytes(), links_path.read_bytes()] == [text.encode("utf-8") for text in csvpair.dumps(new)]
