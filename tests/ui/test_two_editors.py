"""Two editors on one file: the second is told who has it open; neither loses the other's unsaved work."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QLockFile

from planner.io import load_org, save_org
from planner.ui.file_lock import FileLock, lock_path
from planner.ui.file_stamp import FileStamp
from planner.ui.recovery import RecoveryStore, key_for
from tests.helpers import make_org
from tests.ui.test_recovery import editor_env

ROOT = Path(__file__).resolve().parents[2]

DRIVER = '''
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from planner.cli import main
from planner.ui.app import ensure_application
from planner.ui.mainwindow import MainWindow

role, org_file, report = sys.argv[1], sys.argv[2], sys.argv[3]
app = ensure_application()
seen = {"locked_by": [], "offers": []}
MainWindow.ask_locked = lambda self, path, holder: seen["locked_by"].append(holder.describe()) or "open"
MainWindow.ask_restore = lambda self, recovered: seen["offers"].append(recovered.describe()) or "restore"
MainWindow.ask_to_save = lambda self: QMessageBox.StandardButton.Discard


def the_window():
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))


def edit_and_keep_working():
    window = the_window()
    window.autosave.written.connect(lambda path: print("copied", flush=True))
    window.document.add_node("stakeholder", 400, 400, name="Edit by A")


def finish(**more):
    window = the_window()
    with open(report, "w", encoding="utf-8") as handle:
        json.dump(dict(seen, names=sorted(n.name for n in window.document.org.nodes()), path=window.document.path,
                       title=window.windowTitle(), **more), handle)
    window.close()


def edit_and_save():
    window = the_window()
    window.document.add_node("stakeholder", 500, 400, name="Edit by B")
    finish(saved=window.save())


def when_open(then):
    """The file opens behind a progress window: act once the window shows it."""
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    if windows and windows[0].document.path:
        then()
    else:
        QTimer.singleShot(50, lambda: when_open(then))


QTimer.singleShot(0, lambda: when_open({"A": edit_and_keep_working, "B": edit_and_save, "C": finish}[role]))
sys.exit(main(["open", org_file]))
'''


def test_a_second_editor_is_told_and_a_save_in_it_never_drops_the_firsts_recovery_copy(tmp_path):
    env = editor_env(tmp_path / "home")
    env.update(PLANNER_AUTOSAVE_SECONDS="1", PYTHONPATH=str(ROOT))
    recovery = tmp_path / "home" / "data" / "TeamStructurePlanner" / "planner" / "recovery"
    driver, report = tmp_path / "driver.py", tmp_path / "report.json"
    driver.write_text(DRIVER, encoding="utf-8")
    org_file = tmp_path / "org.json"
    save_org(make_org("team:t product:p", "t builds p", name="Northwind"), org_file)

    def editor(role: str) -> dict:
        result = subprocess.run(
            [sys.executable, driver, role, org_file, report], env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
        return json.loads(report.read_text(encoding="utf-8"))

    first = subprocess.Popen(
        [sys.executable, driver, "A", org_file, report],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Should A never write its copy, the test fails after a minute instead of waiting for it forever.
    watchdog = threading.Timer(60, first.kill)
    watchdog.start()
    try:
        assert first.stdout.readline().strip() == "copied", first.stderr.read() if first.poll() is not None else ""
        second = editor("B")
        # B was told who has the file, opened it anyway, and saved: A's copy of its own unsaved edit survives.
        assert len(second["locked_by"]) == 1 and f"(process {first.pid})" in second["locked_by"][0]
        assert second["saved"]
        assert "Edit by B" in {n.name for n in load_org(org_file).nodes()}
        assert len(list(recovery.glob("*.meta.json"))) == 1
    finally:
        watchdog.cancel()
        first.send_signal(signal.SIGKILL)
        first.communicate()

    third = editor("C")
    assert third["locked_by"] == [], "a killed editor's lock is taken over without a question"
    assert len(third["offers"]) == 1 and third["offers"][0].startswith("Recovered changes to Northwind")
    assert "Edit by A" in third["names"]
    assert third["path"] == str(org_file)
    assert not lock_path(org_file).exists(), "a clean close lets go of the lock"
    assert not list(recovery.glob("*.json"))


@pytest.fixture
def held_by_someone_else(tmp_path):
    """The org file, with its lock held as another editor would hold it."""
    target = tmp_path / "org.json"
    save_org(make_org("team:t"), target)
    other = FileLock(target)
    assert other.acquire() is None
    yield target
    other.release()


def test_a_file_open_elsewhere_can_be_opened_read_only_and_then_only_saved_as(window, held_by_someone_else, tmp_path):
    target = held_by_someone_else
    asked = []
    window.ask_locked = lambda path, holder: asked.append(holder) or "read-only"
    assert window.open_path(target)
    (holder,) = asked
    assert holder.pid == os.getpid() and holder.since is not None and holder.describe()
    assert "(read-only)" in window.windowTitle()
    window.document.add_node("stakeholder", 300, 300, name="Legal")
    assert not window.save()
    ((title, text, _details),) = window.errors
    assert "read-only" in text and "Save As" in text
    assert len(load_org(target)) == 1
    copy = tmp_path / "copy.json"
    assert window.save_to(str(copy))
    assert len(load_org(copy)) == 2 and "(read-only)" not in window.windowTitle()


def test_opening_a_file_open_elsewhere_can_be_cancelled(window, held_by_someone_else):
    window.ask_locked = lambda path, holder: "cancel"
    before = window.document.org
    assert not window.open_path(held_by_someone_else)
    assert window.document.org is before


def test_reopening_the_file_this_editor_has_open_asks_nothing(window, tmp_path):
    target = tmp_path / "org.json"
    save_org(make_org("team:t"), target)
    window.ask_locked = lambda path, holder: pytest.fail("this editor holds the lock itself")
    assert window.open_path(target)
    assert window.open_path(target)
    assert lock_path(target).exists()


def test_a_folder_where_no_lock_can_be_made_does_not_stop_opening(window, tmp_path, monkeypatch):
    target = tmp_path / "org.json"
    save_org(make_org("team:t"), target)
    monkeypatch.setattr(QLockFile, "tryLock", lambda self, timeout=0: False)
    monkeypatch.setattr(QLockFile, "error", lambda self: QLockFile.LockError.PermissionError)
    window.ask_locked = lambda path, holder: pytest.fail("nobody else holds it")
    assert window.open_path(target)


def test_when_two_editors_crashed_on_one_file_both_copies_are_offered(window, tmp_path):
    store = RecoveryStore(tmp_path / "recovery")
    window.autosave.store = store
    target = tmp_path / "org.json"
    save_org(make_org("team:t"), target)
    for instance, extra in (("a", "Edit by A"), ("b", "Edit by B")):
        org = make_org([("t", "team", {}), ("s", "stake", {"name": extra})])
        store.write(key_for(str(target), instance), org, str(target), FileStamp.of(target))
    offered = []
    window.ask_restore = lambda recovered: offered.append(recovered) or "later"
    window.offer_recovery()
    assert len(offered) == 2
    assert {n.name for r in offered for n in r.load().nodes()} >= {"Edit by A", "Edit by B"}


def test_recovery_records_the_resolved_path_wherever_the_editor_was_started(window, tmp_path, monkeypatch):
    window.autosave.store = RecoveryStore(tmp_path / "recovery")
    (tmp_path / "rec").mkdir()
    save_org(make_org("team:t"), tmp_path / "rec" / "org.json")
    monkeypatch.chdir(tmp_path)
    assert window.open_path("rec/org.json")
    window.document.add_node("stakeholder", 300, 300, name="Legal")
    assert window.autosave.save_copy()
    monkeypatch.chdir(tmp_path / "rec")
    meta = json.loads(window.autosave.store.meta_file(window.autosave.key).read_text(encoding="utf-8"))
    assert meta["original_path"] == str((tmp_path / "rec" / "org.json").resolve())
    assert window.document.path == str(tmp_path / "rec" / "org.json")


def test_a_file_changed_with_its_old_size_and_time_is_still_noticed(window, tmp_path):
    target = tmp_path / "org.json"
    save_org(make_org("team:aaaa"), target)
    window.open_path(target)
    window.document.add_node("stakeholder", 300, 300, name="Legal")
    before = target.stat()
    save_org(make_org("team:bbbb"), target)  # what `cp -p` of a same-sized file does: new bytes, old size and time
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert target.stat().st_size == before.st_size
    asked = []
    window.ask_overwrite_changed = lambda: asked.append(True) and False
    assert not window.save()
    assert asked == [True]
    assert {n.id for n in load_org(target).nodes()} == {"bbbb"}


def test_a_killed_save_leaves_no_temporary_file_after_the_next_save(window, tmp_path):
    from planner.io.atomic import _HOST

    target = tmp_path / "org.json"
    save_org(make_org("team:t"), target)
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    leftover = tmp_path / f".org.json.{_HOST}-{child.pid}-0123456789ab.tmp"
    leftover.write_text("half a save", encoding="utf-8")
    window.open_path(target)
    window.document.add_node("stakeholder", 300, 300, name="Legal")
    time.sleep(0.01)
    assert window.save()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".planner-lock")) == ["org.json"]


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_one_file_opened_through_a_link_has_one_lock(tmp_path):
    folder = tmp_path / "real"
    folder.mkdir()
    target = folder / "org.json"
    save_org(make_org("team:t"), target)
    (tmp_path / "shortcut").symlink_to(folder)
    (tmp_path / "org-link.json").symlink_to(target)
    first = FileLock(target)
    assert first.acquire() is None
    try:
        for other_name in (tmp_path / "shortcut" / "org.json", tmp_path / "org-link.json"):
            holder = FileLock(other_name).acquire()
            assert holder is not None and holder.pid == os.getpid(), other_name
    finally:
        first.release()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX named pipes")
def test_a_named_pipe_under_the_locks_name_does_not_hang_opening(tmp_path):
    target = tmp_path / "org.json"
    save_org(make_org("team:t"), target)
    os.mkfifo(lock_path(target))
    take = "import sys; from planner.ui.file_lock import FileLock; print(FileLock(sys.argv[1]).acquire())"
    try:  # in a process of its own: Qt holds the interpreter while it waits on the pipe
        result = subprocess.run(
            [sys.executable, "-c", take, str(target)],
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
            capture_output=True,
            text=True,
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("taking the lock waited on a named pipe")
    assert result.stdout.strip() == "None", result.stderr
