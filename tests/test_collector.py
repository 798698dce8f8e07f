"""Loading and checking pause the cyclic garbage collector, and always switch it back on."""

import gc

import pytest

from planner.analysis import analyze
from planner.collector import collector_paused
from planner.io import native
from tests.helpers import healthy_org


def test_the_collector_is_back_on_after_a_load_a_check_and_a_broken_file(tmp_path):
    assert gc.isenabled()
    path = tmp_path / "org.json"
    native.save(healthy_org(), path)
    analyze(native.load(path))
    assert gc.isenabled()
    path.write_text("{broken", encoding="utf-8")
    with pytest.raises(native.LoadError):
        native.load(path)
    assert gc.isenabled()


def test_nested_pauses_leave_the_collector_off_until_the_outermost_ends():
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
