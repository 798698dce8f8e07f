"""File › Compare With…: the differences beside the chart, marks on the cards, and Save As Proposal."""

from __future__ import annotations

from planner.io import load_org, save_org
from planner.ui.compare import CompareMark
from tests.helpers import make_org

BASELINE = make_org(
    "pm:pat po:ana po:old team:t1 team:t2 product:p",
    "pat owns_strategy p, ana owns_backlog t1, old owns_backlog t2, t1 builds p, t2 builds p, ana aligns_with pat",
    name="Northwind",
)
PLAN = make_org(
    [
        ("pat", "pm", {"name": "Pat", "title": "Head of Product"}),
        ("ana", "po", {}),
        ("bo", "po", {"name": "Bo"}),
        ("t1", "team", {}),
        ("t2", "team", {}),
        ("t3", "team", {}),
        ("p", "product", {}),
    ],
    "pat owns_strategy p, ana owns_backlog t1, bo owns_backlog t2, t1 builds p, t2 builds p, ana aligns_with pat,"
    " bo aligns_with pat",
    name="Northwind",
)


def compare(window, tmp_path, plan=PLAN, baseline=BASELINE):
    plan_file, baseline_file = tmp_path / "plan.json", tmp_path / "today.json"
    save_org(plan, plan_file)
    save_org(baseline, baseline_file)
    assert window.open_path(plan_file)
    window.comparison.ask_compare_path = lambda: str(baseline_file)
    window.comparison.compare_action.trigger()
    return window.comparison


def marks_on_chart(window):
    return {
        item.node_id: child.state
        for item in window.scene.node_items.values()
        for child in item.childItems()
        if isinstance(child, CompareMark)
    }


def test_compare_lists_the_differences_and_the_gaps_beside_the_chart(window, tmp_path):
    comparison = compare(window, tmp_path)
    widget = comparison.widget
    assert comparison.dock.isVisible()
    assert widget.summary.text().startswith("Compared with today.json: this plan ")
    assert "adds 1 development team and 1 product owner" in widget.summary.text()
    assert widget.entries("Added") == ["Bo — Product owner", "T3 — Development team"]
    assert widget.entries("Removed") == ["Old — Product owner"]
    assert widget.entries("Changed") == ["Pat — title none → 'Head of Product'"]
    assert "Bo owns the backlog of T2" in widget.entries("Links added")
    assert widget.entries("Links removed") == ["Old owns the backlog of T2"]
    assert any(entry.startswith("OWN001") for entry in widget.entries("Gaps introduced"))  # t3 has no owner
    assert any(entry.startswith("ALN001") for entry in widget.entries("Gaps fixed"))  # old was not aligned


def test_added_and_changed_cards_are_marked_and_removed_ones_only_listed(window, tmp_path):
    comparison = compare(window, tmp_path)
    assert marks_on_chart(window) == {"bo": "added", "t3": "added", "pat": "changed"}
    assert comparison.marks() == marks_on_chart(window)
    assert "old" not in window.scene.node_items


def test_choosing_an_entry_selects_its_card(window, tmp_path):
    comparison = compare(window, tmp_path)
    comparison.widget.select_entry("Added", 0)
    assert window.scene.selected_node_ids() == ["bo"]
    comparison.widget.select_entry("Changed", 0)
    assert window.scene.selected_node_ids() == ["pat"]
    comparison.widget.select_entry("Links added", 0)
    assert len(window.scene.selected_link_keys()) == 1
    comparison.widget.select_entry("Removed", 0)
    assert "only in today.json" in window.statusBar().currentMessage()


def test_clearing_removes_the_list_and_the_marks(window, tmp_path):
    comparison = compare(window, tmp_path)
    assert comparison.clear_action.isEnabled()
    comparison.clear_action.trigger()
    assert marks_on_chart(window) == {}
    assert comparison.widget.tree.topLevelItemCount() == 0
    assert not comparison.clear_action.isEnabled()
    window.document.add_node("product", 500, 500)
    assert not comparison._refresh.isActive()


def test_the_comparison_follows_edits_and_undo(window, tmp_path):
    comparison = compare(window, tmp_path)
    window.document.remove(["t3"])
    assert comparison._refresh.isActive()  # after the burst of edits, not on each keystroke
    comparison.refresh()
    assert "t3" not in marks_on_chart(window)
    assert comparison.widget.entries("Added") == ["Bo — Product owner"]
    window.document.undo_stack.undo()
    comparison.refresh()
    assert marks_on_chart(window)["t3"] == "added"


def test_opening_another_org_ends_the_comparison(window, tmp_path):
    comparison = compare(window, tmp_path)
    other = tmp_path / "other.json"
    save_org(make_org("team:x"), other)
    window.open_path(other)
    assert comparison.diff is None and marks_on_chart(window) == {}
    assert comparison.widget.tree.topLevelItemCount() == 0


def test_a_file_that_cannot_be_read_is_named_and_nothing_is_compared(window, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert not window.comparison.compare_with(broken)
    ((title, text, _),) = window.errors
    assert "broken.json" in title
    assert window.comparison.diff is None


def test_save_as_proposal_suggests_the_name_and_continues_in_the_copy(window, tmp_path):
    original = tmp_path / "northwind.json"
    save_org(make_org("team:t po:p", "p owns_backlog t", name="Northwind"), original)
    window.open_path(original)
    suggested = []

    def ask(name):
        suggested.append(name)
        return name

    window.comparison.ask_proposal_path = ask
    assert window.comparison.proposal_action.isEnabled()
    window.comparison.proposal_action.trigger()
    proposal = tmp_path / "northwind – proposal.json"
    assert suggested == [str(proposal)]
    assert load_org(proposal).name == "Northwind (proposal)"
    assert load_org(original).name == "Northwind"
    assert window.document.path == str(proposal)
    assert not window.document.is_modified()
    assert window.windowTitle().startswith("Northwind (proposal) — northwind – proposal.json")

    # The scenario starts equal to where it came from.
    window.comparison.compare_with(original)
    assert window.comparison.widget.summary.text() == "Compared with northwind.json: no difference"


def test_a_proposal_that_cannot_be_saved_keeps_the_name_and_the_file(window, tmp_path):
    original = tmp_path / "northwind.json"
    save_org(make_org("team:t", name="Northwind"), original)
    window.open_path(original)
    window.comparison.ask_proposal_path = lambda name: str(tmp_path / "missing" / "x.json")
    assert not window.comparison.save_as_proposal()
    assert window.errors
    assert window.document.org.name == "Northwind"
    assert window.document.path == str(original)
    window.comparison.ask_proposal_path = lambda name: ""
    assert not window.comparison.save_as_proposal()
    assert window.document.org.name == "Northwind"


def test_names_with_markup_read_as_typed_in_the_entry_tooltips(window, tmp_path):
    cards = "pm:pat po:ana team:t1 product:p"
    plan = make_org(cards, "pat owns_strategy p, ana owns_backlog t1")
    plan.update_node("ana", name="<a href='https://example.com'>Ana</a>")
    baseline = make_org(cards, "pat owns_strategy p")
    tree = compare(window, tmp_path, plan=plan, baseline=baseline).widget.tree
    tips = [
        tree.topLevelItem(i).child(j).toolTip(0)
        for i in range(tree.topLevelItemCount())
        for j in range(tree.topLevelItem(i).childCount())
    ]
    assert any("&lt;a href='https://example.com'&gt;Ana&lt;/a&gt;" in tip for tip in tips)
    assert not any("<a " in tip for tip in tips)
