"""Autosave and recovery, files changed behind the editor's back, and saves the system refuses."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from PySide6 import QtGui
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from planner.io import load_org, save_org
from planner.ui.file_stamp import FileStamp
from planner.ui.recovery import AUTOSAVE_ENV, AUTOSAVE_SETTING, Recovered, RecoveryStore, autosave_seconds, key_for
from tests.helpers import make_org
from tests.ui.conftest import show_org


@pytest.fixture
def store(window, tmp_path):
    """The window's recovery folder, moved to a scratch place."""
    window.autosave.store = RecoveryStore(tmp_path / "recovery")
    return window.autosave.store


def edit(window, name="Legal"):
    window.document.add_node("stakeholder", 300, 300, name=name)


def test_unsaved_changes_are_copied_with_a_sidecar_naming_file_time_and_org(window, store, tmp_path):
    target = tmp_path / "northwind.json"
    save_org(make_org("team:t", name="Northwind Commerce"), target)
    window.open_path(target)
    assert not window.autosave.save_copy()  # nothing to keep while the document is saved
    edit(window)
    assert window.autosave.timer.isActive()
    assert window.autosave.save_copy()
    copy = store.org_file(window.autosave.key)
    assert {n.name for n in load_org(copy).nodes()} == {"T", "Legal"}
    meta = json.loads(store.meta_file(window.autosave.key).read_text(encoding="utf-8"))
    assert meta["original_path"] == str(target)
    assert meta["org_name"] == "Northwind Commerce"
    assert datetime.fromisoformat(meta["saved_at"]).tzinfo is not None


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_the_recovery_folder_is_for_the_users_eyes_only(window, store):
    show_org(window, make_org("team:t"))
    edit(window)
    assert window.autosave.save_copy()
    assert stat.S_IMODE(store.folder.stat().st_mode) == 0o700


def test_a_recovery_folder_left_open_by_an_older_version_is_closed_again(window, store):
    store.folder.mkdir(parents=True, exist_ok=True)
    store.folder.chmod(0o755)
    show_org(window, make_org("team:t"))
    edit(window)
    assert window.autosave.save_copy()
    assert stat.S_IMODE(store.folder.stat().st_mode) == 0o700


def test_saving_or_discarding_or_undoing_to_the_saved_state_removes_the_copy(window, store, tmp_path):
    target = tmp_path / "org.json"
    save_org(make_org("team:t"), target)
    window.open_path(target)
    edit(window)
    window.autosave.save_copy()
    copy = window.autosave.copy_path
    assert copy.exists()
    assert window.save()
    assert not copy.exists()

    edit(window, "Sales")
    window.autosave.save_copy()
    assert copy.exists()
    window.document.undo_stack.undo()
    assert not copy.exists()

    edit(window, "Sales")
    window.autosave.save_copy()
    assert window.new_blank()  # the fixture answers the prompt with Discard
    assert not copy.exists()
    assert list(store.folder.iterdir()) == []


def test_closing_the_window_without_saving_removes_the_copy(window, store):
    show_org(window, make_org("team:t"))
    edit(window)
    window.autosave.save_copy()
    copy = window.autosave.copy_path
    assert copy.exists()
    window.close()
    assert not copy.exists()


def test_a_running_editors_copy_is_not_offered_as_a_crash_leftover(window, store):
    show_org(window, make_org("team:t"))
    edit(window)
    window.autosave.save_copy()
    assert store.orphans() == []


def test_autosave_interval_comes_from_the_environment_then_the_settings(settings, monkeypatch):
    monkeypatch.delenv(AUTOSAVE_ENV, raising=False)
    assert autosave_seconds(settings) == 60
    settings.setValue(AUTOSAVE_SETTING, 300)
    assert autosave_seconds(settings) == 300
    monkeypatch.setenv(AUTOSAVE_ENV, "1")
    assert autosave_seconds(settings) == 1


def leave_copy(store, org, original_path, when="2026-11-22T14:03:00+00:00"):
    """What a crashed editor leaves: a copy and its sidecar, no live lock."""
    key = key_for(original_path)
    store.write(key, org, original_path, FileStamp.of(original_path))
    meta_file = store.meta_file(key)
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    meta["saved_at"] = when
    meta_file.write_text(json.dumps(meta), encoding="utf-8")
    return key


def test_restoring_a_leftover_opens_it_modified_and_tied_to_its_file(window, store, tmp_path):
    target = tmp_path / "northwind.json"
    save_org(make_org("team:t", name="Northwind Commerce"), target)
    leave_copy(store, make_org("team:t stake:legal", name="Northwind Commerce"), str(target))
    offered = []
    window.ask_restore = lambda recovered: offered.append(recovered.describe()) or "restore"
    assert window.offer_recovery()
    when = datetime.fromisoformat("2026-11-22T14:03:00+00:00").astimezone().strftime("%d %b %Y, %H:%M").lstrip("0")
    assert offered == [f"Recovered changes to Northwind Commerce from {when}"]
    assert window.document.path == str(target)
    assert window.document.is_modified() and window.isWindowModified()
    assert set(window.scene.node_items) == {"t", "legal"}
    assert window.autosave.copy_path.exists()  # still safe from a second crash
    assert store.orphans() == []
    window.ask_overwrite_changed = lambda: pytest.fail("the file did not change on disk")
    assert window.save()
    assert {n.id for n in load_org(target).nodes()} == {"t", "legal"}
    assert not window.document.is_modified()
    assert list(store.folder.glob("*.json")) == []


def test_a_never_saved_org_is_recovered_untitled_and_save_asks_where(window, store, tmp_path):
    store.write(key_for(None), make_org("team:t stake:legal", name="Skunkworks"), None, None)
    offered = []
    window.ask_restore = lambda recovered: offered.append(recovered.describe()) or "restore"
    assert window.offer_recovery()
    assert len(offered) == 1 and offered[0].startswith("Recovered changes to Skunkworks from ")
    assert window.document.path is None and window.document.is_modified()
    assert set(window.scene.node_items) == {"t", "legal"}
    asked = []
    window.ask_save_path = lambda: asked.append(True) or str(tmp_path / "skunkworks.json")
    assert window.save()
    assert asked == [True]
    assert {n.id for n in load_org(tmp_path / "skunkworks.json").nodes()} == {"t", "legal"}
    assert list(store.folder.glob("*.json")) == []


def test_save_after_restoring_asks_when_the_file_changed_since_the_crash(window, store, tmp_path):
    target = tmp_path / "northwind.json"
    save_org(make_org("team:t", name="Northwind Commerce"), target)
    leave_copy(store, make_org("team:t stake:legal", name="Northwind Commerce"), str(target))
    save_org(make_org("team:t po:theirs", name="Northwind Commerce"), target)  # someone else, after the crash
    window.ask_restore = lambda recovered: "restore"
    assert window.offer_recovery()
    asked = []
    window.ask_overwrite_changed = lambda: asked.append(True) and False
    assert not window.save()
    assert asked == [True]
    assert {n.id for n in load_org(target).nodes()} == {"t", "theirs"}
    assert window.document.is_modified()


def test_the_offer_says_when_in_the_users_words():
    store_time = datetime.fromisoformat("2026-11-22T14:03:00").astimezone()
    recovered = Recovered(None, None, None, store_time, "Northwind Commerce", None, None)
    assert recovered.describe() == "Recovered changes to Northwind Commerce from 22 Nov 2026, 14:03"


def test_discarded_leftovers_are_deleted_and_postponed_ones_are_kept(window, store, tmp_path):
    leave_copy(store, make_org("team:a", name="A"), str(tmp_path / "a.json"), "2026-11-22T10:00:00+00:00")
    leave_copy(store, make_org("team:b", name="B"), str(tmp_path / "b.json"), "2026-11-22T11:00:00+00:00")
    answers = {"B": "discard", "A": "later"}
    asked = []
    window.ask_restore = lambda recovered: asked.append(recovered.org_name) or answers[recovered.org_name]
    assert not window.offer_recovery()
    assert asked == ["B", "A"]  # newest first
    assert [r.org_name for r in store.orphans()] == ["A"]


def test_save_asks_before_overwriting_a_file_changed_by_someone_else(window, tmp_path):
    target = tmp_path / "org.json"
    save_org(make_org("team:t"), target)
    window.open_path(target)
    edit(window)
    save_org(make_org("team:t po:theirs"), target)
    asked = []
    window.ask_overwrite_changed = lambda: asked.append(True) and False
    assert not window.save()
    assert asked == [True]
    assert {n.id for n in load_org(target).nodes()} == {"t", "theirs"}
    assert window.document.is_modified()

    window.ask_overwrite_changed = lambda: True
    assert window.save()
    assert "Legal" in {n.name for n in load_org(target).nodes()}


def test_a_file_only_touched_since_opening_is_saved_without_asking(window, tmp_path):
    target = tmp_path / "org.json"
    save_org(make_org("team:t"), target)
    window.open_path(target)
    edit(window)
    os.utime(target, (1_700_000_000, 1_700_000_000))
    window.ask_overwrite_changed = lambda: pytest.fail("same bytes: nothing to warn about")
    assert window.save()


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENOSPC, ("disk", "is full")),
        (errno.EACCES, ("may not write", "read-only")),
        (errno.EROFS, ("read-only disk",)),
    ],
)
def test_a_refused_save_is_explained_and_the_document_stays_modified(window, tmp_path, monkeypatch, code, words):
    target = tmp_path / "org.json"
    save_org(make_org("team:t"), target)
    window.open_path(target)
    edit(window)

    def refuse(path, text):
        raise OSError(code, os.strerror(code), str(path))

    # Simulated, to cover each error code (a read-only disk cannot be made here); real refusals are tested below.
    monkeypatch.setattr("planner.io.native.write_atomically", refuse)
    assert not window.save()
    ((title, text, details),) = window.errors
    assert "org.json" in title and "could not be saved" in title
    assert all(word in text for word in words) and "Save As" in text
    assert os.strerror(code) in details
    assert window.document.is_modified() and window.isWindowModified()
    assert window.document.path == str(target)
    assert len(window.document.org) == 2


HOSTILE_MARKUP = '<a href="http://example.invalid/">Click to repair</a>'


def answer_the_next_message_box(clicked: str) -> list[dict]:
    """When the next message box opens, note what it shows and press the button labelled ``clicked``."""
    seen: list[dict] = []

    def look():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, look)
            return
        try:
            labels = [label for label in box.findChildren(QLabel) if label.text()]
            seen.append(
                {
                    "texts": [label.text() for label in labels],
                    "as_markup": [label.text() for label in labels if shown_as_markup(label)],
                }
            )
        finally:
            # Whatever happened above, the box must go: a box left open would hang the test run.
            buttons = [b for b in box.buttons() if b.text().replace("&", "") == clicked]
            if buttons:
                buttons[0].click()
            else:
                box.reject()

    QTimer.singleShot(0, look)
    return seen


def shown_as_markup(label: QLabel) -> bool:
    text_format = label.textFormat()
    return text_format == Qt.TextFormat.RichText or (
        text_format == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(label.text())
    )


def test_markup_in_an_opened_file_is_shown_as_typed_in_the_error_not_as_a_link(window, tmp_path):
    hostile = tmp_path / "hostile.json"
    hostile.write_text(
        json.dumps(
            {
                "format": "team-structure-planner",
                "version": 2,
                "name": "x",
                "profile": "scrum",
                "nodes": [{"id": "a", "kind": HOSTILE_MARKUP, "name": "A"}],
                "links": [],
            }
        ),
        encoding="utf-8",
    )
    del window.show_error  # the real message box, not the fixture's note
    seen = answer_the_next_message_box("OK")
    assert not window.open_path(hostile)
    ((box,),) = [seen]
    assert any(HOSTILE_MARKUP in text for text in box["texts"])
    assert box["as_markup"] == []


def test_markup_in_a_recovered_orgs_name_is_shown_as_typed_in_the_offer(window, store, tmp_path):
    target = tmp_path / "org.json"
    save_org(make_org("team:t"), target)
    leave_copy(store, make_org("team:t", name=HOSTILE_MARKUP), str(target))
    seen = answer_the_next_message_box("Ask Again Later")
    assert not window.offer_recovery()
    ((box,),) = [seen]
    assert any(HOSTILE_MARKUP in text for text in box["texts"])
    assert box["as_markup"] == []
    assert len(store.orphans()) == 1  # asked again at the next start


SAVE_DRIVER = '''
import hashlib, json, os, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from planner.cli import main
from planner.ui.app import ensure_application
from planner.ui.mainwindow import MainWindow

org_file, report = sys.argv[1], sys.argv[2]
app = ensure_application()
boxes = []


def when_open(callback):
    """Run ``callback`` once the editor has opened ``org_file`` (opening keeps the event loop turning)."""
    def poll():
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        if windows and windows[0].document.path == org_file and windows[0].opening.progress_dialog is None:
            callback()
        else:
            QTimer.singleShot(20, poll)
    QTimer.singleShot(0, poll)


def read_and_close_the_message():
    box = QApplication.activeModalWidget()
    if isinstance(box, QMessageBox):
        boxes.append({"text": box.text(), "informative": box.informativeText(), "details": box.detailedText()})
        box.done(QMessageBox.StandardButton.Ok)
    else:
        QTimer.singleShot(20, read_and_close_the_message)


def edit_and_save():
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    window.document.add_node("stakeholder", 400, 400, name="Legal")
    QTimer.singleShot(0, read_and_close_the_message)
    saved = window.save()
    QApplication.processEvents()
    with open(org_file, "rb") as handle:
        on_disk = hashlib.sha256(handle.read()).hexdigest()
    with open(report, "w", encoding="utf-8") as handle:
        json.dump({"saved": saved, "boxes": boxes, "visible": window.isVisible(), "path": window.document.path,
                   "modified": window.document.is_modified(), "window_modified": window.isWindowModified(),
                   "names": sorted(n.name for n in window.document.org.nodes()), "on_disk": on_disk,
                   "files": sorted(os.listdir(os.path.dirname(org_file)))}, handle)
    window.ask_to_save = lambda: QMessageBox.StandardButton.Discard
    window.close()


when_open(edit_and_save)
sys.exit(main(["open", org_file]))
'''


def editor_env(home: Path) -> dict:
    """The environment of an editor started for a test: headless, with its settings and app data under ``home``."""
    for place in (home, home / "runtime"):
        place.mkdir(exist_ok=True)
    (home / "runtime").chmod(0o700)
    return dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_RUNTIME_DIR=str(home / "runtime"),
    )


def assert_refused_and_kept(seen: dict, target: Path, before: bytes) -> dict:
    """The save failed with one message box, the edits are still open and marked, and the file is untouched."""
    assert not seen["saved"]
    ((box,),) = [seen["boxes"]]
    assert "org.json" in box["text"] and "could not be saved" in box["text"]
    assert "Save As" in box["informative"]
    assert seen["visible"] and seen["modified"] and seen["window_modified"]
    assert seen["path"] == str(target) and "Legal" in seen["names"]
    assert seen["on_disk"] == hashlib.sha256(before).hexdigest()
    assert not [name for name in seen["files"] if name.endswith(".tmp")], "a failed save leaves no temporary file"
    return box


@pytest.mark.parametrize("locked", ["folder", "file"])
def test_a_save_the_system_refuses_is_explained_and_the_document_stays_open_and_modified(unprivileged, locked):
    # The editor runs in a process of its own, as a user whom permissions stop (root is not: see tests/privileges).
    scratch = unprivileged.folder
    env = editor_env(scratch / "home")
    folder = scratch / "locked"
    folder.mkdir()
    target = folder / "org.json"
    save_org(make_org("team:t"), target)
    before = target.read_bytes()
    driver, report = scratch / "driver.py", scratch / "report.json"
    driver.write_text(SAVE_DRIVER, encoding="utf-8")
    unprivileged.hand_over(scratch)
    if locked == "folder":
        folder.chmod(0o555)
    else:
        target.chmod(0o444)
    try:
        result = unprivileged.run([sys.executable, driver, target, report], env=env)
    finally:
        folder.chmod(0o755)
        target.chmod(0o644)
    assert result.returncode == 0, result.stderr

    box = assert_refused_and_kept(json.loads(report.read_text(encoding="utf-8")), target, before)
    assert "may not write" in box["informative"]
    if locked == "folder":
        assert str(folder) in box["informative"]
        assert os.strerror(errno.EACCES) in box["details"]
    else:
        assert "read-only" in box["details"]


#: Mounts a 64 KiB disk over the folder and puts the org file on it; then fills the disk, or makes it read-only;
#: then runs the editor.
ON_A_SMALL_DISK = """
folder=$1; original=$2; disk=$3; shift 3
mount -t tmpfs -o size=64k planner-small-disk "$folder" || exit 97
cp "$original" "$folder/org.json"
if [ "$disk" = full ]; then
    dd if=/dev/zero of="$folder/filler" bs=4096 2>/dev/null
else
    mount -o remount,ro "$folder" || exit 97
fi
exec "$@"
"""


@pytest.mark.skipif(not sys.platform.startswith("linux") or not shutil.which("unshare"), reason="needs Linux unshare")
@pytest.mark.parametrize(
    ("disk", "words", "code"), [("full", "is full", errno.ENOSPC), ("read-only", "read-only disk", errno.EROFS)]
)
def test_saving_to_a_full_or_read_only_disk_is_explained_and_the_document_stays_open_and_modified(
    tmp_path, disk, words, code
):
    # A real disk: a tiny in-memory one, mounted where only this editor's process sees it.
    home, folder = tmp_path / "home", tmp_path / "disk"
    env = editor_env(home)
    folder.mkdir()
    original = tmp_path / "org.json"
    save_org(make_org("team:t"), original)
    driver, report = tmp_path / "driver.py", tmp_path / "report.json"
    driver.write_text(SAVE_DRIVER, encoding="utf-8")
    target = folder / "org.json"
    own_namespace = ["--mount"] if os.geteuid() == 0 else ["--user", "--map-root-user", "--mount"]
    command = [
        "unshare",
        *own_namespace,
        "--propagation",
        "private",
        "sh",
        "-c",
        ON_A_SMALL_DISK,
        "sh",
        folder,
        original,
        disk,
        sys.executable,
        driver,
        target,
        report,
    ]
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    result = subprocess.run([str(part) for part in command], env=env, capture_output=True, text=True, timeout=120)
    if not report.exists() and (result.returncode == 97 or result.stderr.startswith("unshare:")):
        pytest.skip(f"no small disk can be mounted here: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr

    box = assert_refused_and_kept(json.loads(report.read_text(encoding="utf-8")), target, original.read_bytes())
    assert words in box["informative"] and str(folder) in box["informative"]
    assert os.strerror(code) in box["details"]


def test_a_read_only_file_is_not_replaced(window, tmp_path, monkeypatch):
    target = tmp_path / "org.json"
    save_org(make_org("team:t"), target)
    window.open_path(target)
    edit(window)
    # The check alone, in process; the real read-only file is in the refused-save test above.
    monkeypatch.setattr(os, "access", lambda path, mode: str(path) != str(target))
    assert not window.save()
    ((_, text, _),) = window.errors
    assert "read-only" in text
    assert len(load_org(target)) == 1
    assert window.document.is_modified()


DRIVER = '''
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from planner.cli import main
from planner.ui.app import ensure_application
from planner.ui.mainwindow import MainWindow

step, org_file, report = sys.argv[1], sys.argv[2], sys.argv[3]
app = ensure_application()


def when_open(callback):
    """Run ``callback`` once the editor has opened ``org_file`` (opening keeps the event loop turning)."""
    def poll():
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        if windows and windows[0].document.path == org_file and windows[0].opening.progress_dialog is None:
            callback()
        else:
            QTimer.singleShot(20, poll)
    QTimer.singleShot(0, poll)


def the_window():
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))


def edit():
    document = the_window().document
    document.add_node("stakeholder", 400, 400, name="Legal after the crash")
    document.rename_org("Northwind Commerce")
    print("edited", flush=True)


def look_and_leave():
    window = the_window()
    document = window.document
    with open(report, "w", encoding="utf-8") as handle:
        json.dump({"offers": offers, "names": sorted(n.name for n in document.org.nodes()),
                   "org": document.org.name, "path": document.path, "modified": document.is_modified(),
                   "title": window.windowTitle(), "window_modified": window.isWindowModified()}, handle)
    window.ask_to_save = lambda: __import__("PySide6.QtWidgets").QtWidgets.QMessageBox.StandardButton.Discard
    window.close()


offers = []
if step == "crash":
    when_open(edit)
else:
    MainWindow.ask_restore = lambda self, recovered: offers.append(recovered.describe()) or "restore"
    when_open(look_and_leave)
sys.exit(main(["open", org_file]))
'''


def test_changes_survive_a_killed_editor_and_are_offered_at_the_next_start(tmp_path):
    home = tmp_path / "home"
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_RUNTIME_DIR=str(tmp_path),
        PLANNER_AUTOSAVE_SECONDS="1",
        PYTHONPATH=str(Path(__file__).resolve().parents[2]),
    )
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    org_file = tmp_path / "northwind.json"
    save_org(make_org("team:t product:p", "t builds p", name="Northwind"), org_file)
    report = tmp_path / "report.json"
    recovery = home / "data" / "TeamStructurePlanner" / "planner" / "recovery"

    editor = subprocess.Popen(
        [sys.executable, str(driver), "crash", str(org_file), str(report)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not list(recovery.glob("*.meta.json")) and editor.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert editor.poll() is None, editor.communicate()
        assert list(recovery.glob("*.meta.json")), "no recovery copy was written"
    finally:
        editor.send_signal(signal.SIGKILL)
        editor.communicate()
    assert load_org(org_file).name == "Northwind"  # the file itself never saw the edits

    restarted = subprocess.run(
        [sys.executable, str(driver), "restart", str(org_file), str(report)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert restarted.returncode == 0, restarted.stderr
    seen = json.loads(report.read_text(encoding="utf-8"))
    assert len(seen["offers"]) == 1
    assert seen["offers"][0].startswith("Recovered changes to Northwind Commerce from ")
    assert "Legal after the crash" in seen["names"]
    assert seen["org"] == "Northwind Commerce"
    assert seen["path"] == str(org_file)
    assert seen["modified"] and seen["window_modified"]
    assert seen["title"].startswith("Northwind Commerce — northwind.json")
    assert not list(recovery.glob("*.json")), "a clean close leaves no recovery copy"


def test_a_recovery_copy_that_cannot_be_written_is_reported_in_the_status_bar(window, tmp_path):
    blocker = tmp_path / "not a folder"
    blocker.write_text("", encoding="utf-8")
    window.autosave.store = RecoveryStore(blocker / "recovery")
    show_org(window, make_org("team:t"))
    edit(window)
    assert not window.autosave.save_copy()
    assert "could not be copied for recovery" in window.statusBar().currentMessage()
    assert window.document.is_modified()


def test_no_copy_is_written_when_its_lock_cannot_be_taken(window, store, tmp_path):
    """Unlocked, a running editor's copy would pass for a crashed one's: another editor could offer or delete it."""
    target = tmp_path / "org.json"
    save_org(make_org("team:t"), target)
    window.open_path(target)
    edit(window)
    store.make_folder()
    other = store.lock_file(window.autosave.key)
    assert other.tryLock(0)
    failures: list[str] = []
    window.autosave.failed.connect(failures.append)
    try:
        assert not window.autosave.save_copy()
        assert not store.org_file(window.autosave.key).exists()
        assert failures and "could not be copied for recovery" in failures[0]
    finally:
        other.unlock()
