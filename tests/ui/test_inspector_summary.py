"""The inspector's org page counts the cards and links, and counts the links again only when links change."""

from __future__ import annotations

from tests.helpers import make_org
from tests.ui.conftest import show_org


def _summary(window, qtbot) -> str:
    window.inspector._summary_timer.timeout.emit()
    return window.inspector.org_summary.text()


def test_the_org_summary_follows_links_and_does_not_recount_after_a_rename(window, qtbot, monkeypatch):
    org = make_org("po:po team:a team:b", "po owns_backlog a")
    show_org(window, org)
    assert _summary(window, qtbot) == "3 cards · 1 link"

    counted = []
    count = org.number_of_links
    monkeypatch.setattr(org, "number_of_links", lambda: counted.append(1) or count())
    window.document.edit_node("a", name="Payments")
    assert _summary(window, qtbot) == "3 cards · 1 link"
    assert not counted, "a rename does not count the links of a 100,000-card org again"

    window.document.add_link("po", "b", "owns_backlog")
    assert _summary(window, qtbot) == "3 cards · 2 links"
    window.registry["edit.undo"].trigger()
    assert _summary(window, qtbot) == "3 cards · 1 link"
    window.document.remove(["po"])
    assert _summary(window, qtbot) == "2 cards · 0 links"
