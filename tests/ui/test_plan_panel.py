"""The Plan tab beside the gaps panel: the plan follows the analysis, and a step leads to its cards."""

from __future__ import annotations

from tests.helpers import make_org
from tests.ui.conftest import show_org


def raise_plan(window, qtbot):
    window.plan_panel.dock.show()
    window.plan_panel.dock.raise_()
    qtbot.waitUntil(lambda: window.plan_panel.shown, timeout=2000)


def test_the_plan_tab_sits_beside_the_gaps_and_shows_the_ask(window, qtbot):
    assert window.plan_panel.dock in window.tabifiedDockWidgets(window.gaps_dock)
    org = make_org(
        [("t", "team", {"name": "Checkout", "x": 0.0}), ("p", "product", {"name": "Shop", "x": 300.0})], "t builds p"
    )
    show_org(window, org)
    raise_plan(window, qtbot)
    panel = window.plan_panel
    assert panel.ask.text() == "Hire 1 product owner and 1 product manager."
    assert panel.after.text().startswith("Once it is carried out: ")
    assert "error" not in panel.after.text()
    assert "Hire 1 product owner (for Shop)" in panel.visible_headlines()


def shop():
    """Ana owns Web's backlog; Core, on the same product, has no backlog owner."""
    return make_org(
        [
            ("po", "po", {"name": "Ana", "x": 0.0}),
            ("t", "team", {"name": "Core", "x": 300.0}),
            ("w", "team", {"name": "Web", "x": 300.0, "y": 200.0}),
            ("p", "product", {"name": "Shop", "x": 600.0}),
            ("pm", "pm", {"name": "Ben", "x": 900.0}),
        ],
        "t builds p, w builds p, po owns_backlog w, pm owns_strategy p, po aligns_with pm",
    )


def test_the_plan_follows_edits_and_waits_while_hidden(window, qtbot):
    org = shop()
    show_org(window, org)
    panel = window.plan_panel
    assert not panel.shown
    assert panel._stale  # not worked out while nobody looks at it
    raise_plan(window, qtbot)
    assert "Give Core to Ana" in panel.visible_headlines()
    window.document.add_link("po", "t", "owns_backlog")
    qtbot.waitUntil(lambda: "Give Core to Ana" not in panel.visible_headlines(), timeout=2000)


def test_clicking_a_step_selects_its_cards(window, qtbot):
    show_org(window, shop())
    raise_plan(window, qtbot)
    window.plan_panel.select_headline("Give Core to Ana")
    assert set(window.scene.selected_node_ids()) == {"t", "po"}


def test_the_view_menu_shows_and_hides_the_plan(window, qtbot):
    action = window.registry["view.plan_dock"]
    assert action.text() == "Plan"
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert action in view_menu.actions()
    action.trigger()
    assert not window.plan_panel.dock.isVisible()
    action.trigger()
    assert window.plan_panel.dock.isVisible()


def test_double_clicking_a_decision_explains_its_rule(window, qtbot):
    org = make_org(
        [("t", "team", {"name": "Core", "x": 0.0}), ("po", "po", {"name": "Ana", "x": 300.0})], "po owns_backlog t"
    )
    show_org(window, org)
    raise_plan(window, qtbot)
    panel = window.plan_panel
    asked = []
    panel.explanation_requested.connect(asked.append)
    question = next(line for line in panel.visible_headlines() if line.startswith("Say which product"))
    panel.select_headline(question)
    panel.view.doubleClicked.emit(panel.view.currentIndex())
    assert asked == ["STR002"]
