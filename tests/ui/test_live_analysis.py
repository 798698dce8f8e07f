"""The live analysis checks the org on a worker thread, drops stale results, and the gaps table changes in place."""

from __future__ import annotations

import sys
import threading

from planner.analysis import analyze
from planner.analysis.incremental import LiveCheck
from planner.model.org import Link, Node
from planner.synthetic import synthetic_org
from planner.ui import live_analysis
from planner.ui.live_analysis import LiveAnalysis
from tests.helpers import make_org
from tests.ui.conftest import show_org


def _dicts(result):
    return [f.to_dict() for f in result.findings]


def _recording(calls, before=lambda copy: None):
    """A LiveCheck that writes down (thread, what it did) of every full check and update, ``before`` called first."""

    class Recording(LiveCheck):
        def __init__(self, copy, *args, **kwargs):
            calls.append((threading.current_thread(), "full"))
            before(copy)
            super().__init__(copy, *args, **kwargs)

        def update(self, changes):
            calls.append((threading.current_thread(), "update"))
            return super().update(changes)

    return Recording


def test_an_edit_is_checked_on_a_worker_thread_and_the_result_published(qtbot, monkeypatch):
    calls = []

    interval = sys.getswitchinterval()
    org = make_org("team:t")
    live = LiveAnalysis()
    live.set_org(org)
    monkeypatch.setattr(live_analysis, "LiveCheck", _recording(calls))
    org.add_node(Node("p", "product"))
    assert live.is_pending()
    qtbot.waitUntil(lambda: not live.is_pending(), timeout=5000)
    assert calls and calls[-1][0] is not threading.main_thread()
    assert sys.getswitchinterval() == interval  # shortened only while the check ran
    assert _dicts(live.result) == _dicts(analyze(org))
    live.set_org(None)


def test_a_result_of_an_org_that_changed_meanwhile_is_dropped_and_the_org_checked_again(qtbot, monkeypatch):
    org = make_org("team:t")
    live = LiveAnalysis()
    live.set_org(org)
    published = []
    live.updated.connect(published.append)
    release = threading.Event()
    started = threading.Event()
    calls = []

    def slow(copy):
        if len(calls) == 1:
            started.set()
            release.wait(5)

    monkeypatch.setattr(live_analysis, "LiveCheck", _recording(calls, slow))
    org.add_node(Node("p", "product"))
    live.start()
    assert started.wait(5)
    # The first check reads a copy without the link below; its result must never be shown.
    org.add_node(Node("po", "product_owner"))
    org.add_link(Link("po", "t", "owns_backlog"))
    release.set()
    qtbot.waitUntil(lambda: len(calls) >= 2 and not live.is_pending(), timeout=5000)
    assert len(published) == 1
    assert _dicts(published[0]) == _dicts(analyze(org))
    assert not any(f["code"] == "OWN001" and f["nodes"] == ["t"] for f in _dicts(published[0]))
    live.set_org(None)


def test_a_large_org_is_first_checked_in_the_background(qtbot):
    org = synthetic_org(live_analysis.CHECK_AT_ONCE_BELOW + 100, seed=2)
    live = LiveAnalysis()
    live.set_org(org)
    assert live.result is None and live.is_pending()
    qtbot.waitUntil(lambda: live.result is not None, timeout=60_000)
    assert _dicts(live.result) == _dicts(analyze(org))
    live.set_org(None)


def test_the_gaps_table_changes_row_by_row_and_keeps_the_selected_finding(window, qtbot):
    org = make_org("team:a team:b product:p", "a builds p, b builds p")
    show_org(window, org)
    model = window.gaps.model
    resets, inserted = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsInserted.connect(lambda parent, first, last: inserted.append((first, last)))
    row = next(i for i, f in enumerate(window.gaps.visible_findings()) if f.code == "OWN001" and f.nodes == ("b",))
    window.gaps.select_row(row)
    selected = window.gaps.current_finding()
    window.document.add_node("dev_team", 600, 0)
    qtbot.waitUntil(lambda: not window.analysis.is_pending() and bool(inserted), timeout=5000)
    assert not resets
    assert window.gaps.current_finding() == selected
    assert [f.to_dict() for f in window.gaps.visible_findings()] == [
        f.to_dict() for f in sorted(analyze(org).findings, key=lambda f: f.sort_key())
    ]


def test_a_card_tooltip_lists_its_findings(window):
    org = make_org("team:t")
    show_org(window, org)
    tip = window.scene.card_tooltip("t")
    assert "OWN001" in tip and "STR004" in tip


def test_after_any_edit_the_kept_check_is_brought_up_to_date_and_the_message_names_the_card_anew(qtbot, monkeypatch):
    org = make_org("team:t")
    live = LiveAnalysis()
    live.set_org(org)
    calls = []
    monkeypatch.setattr(live_analysis, "LiveCheck", _recording(calls))
    org.add_node(Node("p", "product"))  # a first check on the worker thread, kept for the next ones
    qtbot.waitUntil(lambda: not live.is_pending(), timeout=5000)
    assert [what for _, what in calls] == ["full"]
    org.update_node("t", name="Payments squad")
    qtbot.waitUntil(lambda: not live.is_pending(), timeout=5000)
    assert any("Payments squad" in f.message for f in live.result.findings)
    assert _dicts(live.result) == _dicts(analyze(org))
    org.add_link(Link("t", "p", "builds"))  # more than a rename: still no full check
    qtbot.waitUntil(lambda: not live.is_pending(), timeout=5000)
    assert [what for _, what in calls] == ["full", "update", "update"]
    assert _dicts(live.result) == _dicts(analyze(org))
    org.set_profile("less")  # another profile: everything is checked again
    qtbot.waitUntil(lambda: not live.is_pending(), timeout=5000)
    assert [what for _, what in calls][-1] == "full" and _dicts(live.result) == _dicts(analyze(org))
    live.set_org(None)
