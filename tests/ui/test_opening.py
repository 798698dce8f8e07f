"""Opening a large org: read in a worker behind a progress window, drawn with the window painting."""

from __future__ import annotations

import threading

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

import planner.ui.opening as opening
from planner.io import save_org
from planner.synthetic import synthetic_org
from tests.helpers import make_org
from tests.ui.conftest import show_org


def visible_progress_windows():
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]


def test_a_large_org_opens_behind_a_progress_window_that_counts_the_cards(window, tmp_path, monkeypatch, qtbot):
    monkeypatch.setattr(opening, "LARGE_CHART", 50)
    path = tmp_path / "big.json"
    org = synthetic_org(300, seed=5)
    save_org(org, path)
    seen = []
    real = window.scene.set_org

    def watched(org):
        if window.scene.building_progress is not None:
            seen.append(("drawing", visible_progress_windows()))
        return real(org)

    monkeypatch.setattr(window.scene, "set_org", watched)
    assert window.open_path(path)
    assert len(window.scene.node_items) == len(org)
    assert seen and seen[0][1], "the progress window shows while the chart is drawn"
    assert f"Drawing {len(org)} cards" in seen[0][1][0].labelText()
    assert window.opening.progress_dialog is None
    qtbot.wait(opening.PROGRESS_DELAY_MS + 200)
    assert visible_progress_windows() == []  # none turns up late


def test_cancelling_while_the_file_is_read_keeps_the_current_org(window, tmp_path, monkeypatch, qtbot):
    monkeypatch.setattr(opening, "PROGRESS_DELAY_MS", 0)
    current = make_org([("a", "pm", {"x": 0.0, "y": 0.0})], "")
    show_org(window, current)
    path = tmp_path / "slow.json"
    save_org(synthetic_org(50, seed=1), path)
    gate = threading.Event()
    real = opening.load_org
    monkeypatch.setattr(opening, "load_org", lambda p: gate.wait(20) and real(p))
    cancelled = []

    def cancel_when_shown():
        dialog = window.opening.progress_dialog
        if dialog is not None and dialog.isVisible():
            cancelled.append(dialog.labelText())
            dialog.cancel()
        else:
            QTimer.singleShot(10, cancel_when_shown)

    QTimer.singleShot(0, cancel_when_shown)
    assert not window.open_path(path)
    gate.set()
    assert cancelled and "slow.json" in cancelled[0]
    assert window.document.org is current and window.document.path is None
    assert "cancelled" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not opening._ABANDONED, timeout=20000)


def test_the_window_keeps_painting_while_a_file_is_read(window, tmp_path, monkeypatch):
    path = tmp_path / "org.json"
    save_org(synthetic_org(50, seed=1), path)
    gate = threading.Event()
    real = opening.load_org
    monkeypatch.setattr(opening, "load_org", lambda p: gate.wait(20) and real(p))
    ticks = []

    def tick():
        ticks.append(1)
        if len(ticks) < 3:
            QTimer.singleShot(10, tick)
        else:
            gate.set()

    QTimer.singleShot(0, tick)
    assert window.open_path(path)  # the event loop ran while the worker read: the timer opened the gate
    assert len(ticks) == 3


def test_a_large_chart_is_fitted_to_the_window_before_it_is_first_painted(window, tmp_path, monkeypatch):
    monkeypatch.setattr(opening, "LARGE_CHART", 50)
    show_org(window, make_org([("a", "pm", {"x": 0.0, "y": 0.0})], ""))
    window.view.reset_zoom()
    path = tmp_path / "big.json"
    save_org(synthetic_org(300, seed=5), path)
    view = window.view
    real = view.setUpdatesEnabled
    seen_when_painting_resumes = []

    def record(on):
        if on:
            shown = view.mapToScene(view.viewport().rect()).boundingRect()
            seen_when_painting_resumes.append(
                all(shown.contains(item.scene_card_rect()) for item in window.scene.node_items.values())
            )
        real(on)

    monkeypatch.setattr(view, "setUpdatesEnabled", record)
    assert window.open_path(path)
    assert seen_when_painting_resumes == [True]  # the whole new chart, not a corner of it at the old zoom


def test_a_large_draft_from_an_hr_export_is_drawn_behind_the_progress_window(window, monkeypatch):
    monkeypatch.setattr(opening, "LARGE_CHART", 50)
    draft = synthetic_org(300, seed=5)
    window.ask_import = lambda: draft
    seen = []
    real = window.scene.set_org

    def watched(org):
        if window.scene.building_progress is not None:
            seen.append([w.labelText() for w in visible_progress_windows()])
        return real(org)

    monkeypatch.setattr(window.scene, "set_org", watched)
    assert window.files.import_people()
    assert window.document.org is draft
    assert seen and seen[0] == [f"Drawing {len(draft)} cards of the HR export…"]


def test_an_empty_chart_does_not_ask_for_a_first_card_while_a_file_opens_into_it(window, tmp_path, monkeypatch):
    monkeypatch.setattr(opening, "LARGE_CHART", 50)
    window.new_blank()
    assert window.view.shows_empty_hint()  # an empty org says how to start
    path = tmp_path / "big.json"
    save_org(synthetic_org(300, seed=5), path)
    real_read, real_build = opening.load_org, window.scene.set_org
    hinted = []
    monkeypatch.setattr(opening, "load_org", lambda p: hinted.append(window.view.shows_empty_hint()) or real_read(p))
    monkeypatch.setattr(
        window.scene, "set_org", lambda org: hinted.append(window.view.shows_empty_hint()) or real_build(org)
    )
    assert window.open_path(path)
    assert hinted == [False, False]  # neither while the file is read nor while its chart is drawn
    window.new_blank()
    assert not window.open_path(tmp_path / "missing.json")
    assert window.view.shows_empty_hint()  # nothing came: the hint is back


def test_a_large_org_is_scanned_by_the_collector_once_when_shown_not_on_the_first_edit(
    window, tmp_path, monkeypatch, qtbot
):
    import gc

    monkeypatch.setattr(opening, "LARGE_CHART", 50)
    big, small = tmp_path / "big.json", tmp_path / "small.json"
    save_org(synthetic_org(300, seed=5), big)
    save_org(make_org([("a", "pm", {"x": 0.0, "y": 0.0})], ""), small)
    full_scans = []

    def note(phase, info):
        if phase == "stop" and info["generation"] == 2:
            full_scans.append(info)

    gc.callbacks.append(note)
    try:
        assert window.open_path(big)
        qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=5000)
        assert full_scans, "the collector scanned once the chart was shown"
        first = next(iter(window.document.org.nodes())).id
        window.document.edit_node(first, name="Renamed")  # what was set aside is edited as usual
        assert window.document.org.node(first).name == "Renamed"
        assert window.open_path(small)
        assert gc.get_freeze_count() == 0, "the large org's cycles are the collector's again once it is replaced"
        assert window.open_path(big)
        qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=5000)
        assert window.new_blank()
        assert gc.get_freeze_count() == 0, "and after New"
    finally:
        gc.callbacks.remove(note)
        gc.unfreeze()


def test_a_large_org_is_on_screen_before_the_check_copies_it(window, tmp_path, monkeypatch, qtbot):
    from PySide6.QtCore import QEvent, QObject

    import planner.ui.live_analysis as live_analysis

    monkeypatch.setattr(opening, "LARGE_CHART", 50)
    monkeypatch.setattr(live_analysis, "CHECK_AT_ONCE_BELOW", 50)
    path = tmp_path / "big.json"
    save_org(synthetic_org(300, seed=6), path)
    events = []
    real_mirror = live_analysis.OrgMirror
    monkeypatch.setattr(live_analysis, "OrgMirror", lambda org: events.append("copy") or real_mirror(org))

    class Paints(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint and window.document.org is not None and len(window.document.org):
                events.append("paint")
            return False

    paints = Paints()
    window.view.viewport().installEventFilter(paints)
    try:
        assert window.open_path(path)
        qtbot.waitUntil(lambda: window.analysis.result is not None, timeout=10000)
    finally:
        window.view.viewport().removeEventFilter(paints)
    assert "paint" in events and "copy" in events
    assert events.index("paint") < events.index("copy"), "the chart is painted before the org is copied"
    assert window.analysis.result.findings, "and the check still runs, on the copy"
