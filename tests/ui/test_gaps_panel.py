"""The gaps panel follows the analysis of every edit and leads from a finding to its cards and rule."""

from __future__ import annotations

from PySide6.QtCore import Qt

from planner.model.org import LinkKey
from planner.ui.docks.findings_model import FINDING_ROLE, GROUP_ROLE
from tests.helpers import make_org
from tests.ui.conftest import show_org


def codes(window):
    return [f.code for f in window.gaps.visible_findings()]


def groups(window) -> dict[str, list]:
    """The panel's groups as shown: each rule code with its findings, in display order."""
    model = window.gaps.model
    shown = {}
    for number in range(model.rowCount()):
        group = model.index(number, 0)
        code = group.data(GROUP_ROLE)
        shown[code] = [model.index(row, 0, group).data(FINDING_ROLE) for row in range(model.rowCount(group))]
    return shown


def test_a_gap_appears_after_an_edit_and_disappears_when_fixed(window, qtbot):
    org = make_org([("po", "po", {"x": 0.0}), ("t", "team", {"x": 300.0})])
    show_org(window, org)
    assert "OWN001" in codes(window)
    card = window.scene.node_items["t"]
    assert card.badge_severity == "error"
    assert window.counts_label.text().count("error") == 1

    window.editing.request_link("po", "t")
    qtbot.waitUntil(lambda: "OWN001" not in codes(window), timeout=2000)
    assert card.badge_severity != "error"

    window.registry["edit.undo"].trigger()
    qtbot.waitUntil(lambda: "OWN001" in codes(window), timeout=2000)
    assert card.badge_severity == "error"


def test_analysis_waits_for_a_burst_of_edits_to_end(window, qtbot):
    org = make_org("team:t")
    show_org(window, org)
    window.document.add_node("product", 400, 0)
    assert window.analysis.is_pending()
    qtbot.waitUntil(lambda: not window.analysis.is_pending(), timeout=2000)
    assert "STR004" in codes(window)
    assert len([f for f in window.gaps.visible_findings() if f.code == "STR004"]) == 2


def test_findings_filter_by_severity_and_sort_by_column(window):
    org = make_org("team:b team:a")
    show_org(window, org)
    severities = {f.severity for f in window.gaps.visible_findings()}
    assert {"error", "info"} <= severities
    window.gaps.filter_buttons["info"].setChecked(False)
    assert {f.severity for f in window.gaps.visible_findings()} == severities - {"info"}
    assert window.gaps.filter_buttons["error"].text() == "2 errors"
    window.gaps.filter_buttons["info"].setChecked(True)

    window.gaps.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    listed = codes(window)
    assert listed == sorted(listed, reverse=True)
    window.gaps.view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    for findings in groups(window).values():
        subjects = [f.subject for f in findings]
        assert subjects == sorted(subjects)
    window.gaps.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    ranks = ["error", "warning", "info"]
    listed = [ranks.index(f.severity) for f in window.gaps.visible_findings()]
    assert listed == sorted(listed)


def test_selecting_a_finding_selects_and_centres_its_cards(window):
    org = make_org([("t", "team", {"x": 4000.0, "y": 3000.0}), ("p", "product", {"x": 0.0, "y": 0.0})])
    show_org(window, org)
    window.view.reset_zoom()
    window.view.centerOn(0, 0)
    row = next(i for i, f in enumerate(window.gaps.visible_findings()) if f.code == "OWN001")
    window.gaps.select_row(row)
    assert window.scene.selected_node_ids() == ["t"]
    centre = window.view.mapToScene(window.view.viewport().rect().center())
    assert abs(centre.x() - 4000) < 50 and abs(centre.y() - 3000) < 50


def test_double_clicking_a_finding_explains_its_rule(window, qtbot):
    org = make_org("team:t")
    show_org(window, org)
    finding = next(f for f in window.gaps.visible_findings() if f.code == "OWN001")
    window.gaps.view.doubleClicked.emit(window.gaps.model.index_of(finding, 1))
    help_dialog = window._help
    qtbot.addWidget(help_dialog)
    assert help_dialog.isVisible()
    assert help_dialog.topics.currentItem().text().strip().startswith("OWN001")
    assert "How to fix" in help_dialog.browser.toPlainText()


def test_accepting_a_finding_moves_it_out_of_the_list(window, qtbot):
    org = make_org("team:t")
    show_org(window, org)
    window.accept_finding("t", "STR004")
    qtbot.waitUntil(lambda: "STR004" not in codes(window), timeout=2000)
    assert org.node("t").ignore == ("STR004",)
    assert "1 accepted risk hidden" in window.gaps.summary.text()


def test_profile_choice_is_an_undoable_edit_that_changes_the_findings(window, qtbot):
    org = make_org(
        "po:ana team:t1 team:t2 team:t3 product:p",
        "ana owns_backlog t1, ana owns_backlog t2, ana owns_backlog t3, t1 builds p, t2 builds p, t3 builds p",
    )
    show_org(window, org)
    assert "LOAD001" not in codes(window)
    combo = window.profiles.combo
    combo.setCurrentIndex(combo.findData("safe"))
    combo.activated.emit(combo.currentIndex())
    assert org.profile == "safe"
    qtbot.waitUntil(lambda: "LOAD001" in codes(window), timeout=2000)
    assert window.registry["edit.undo"].text() == "&Undo Switch profile to safe"
    assert window.registry["gaps.profile.safe"].isChecked()
    window.registry["edit.undo"].trigger()
    assert org.profile == "scrum"
    assert combo.currentData() == "scrum"
    qtbot.waitUntil(lambda: "LOAD001" not in codes(window), timeout=2000)


def test_a_profile_file_is_loaded_from_the_chooser_remembered_with_the_org_and_undone(window, qtbot, tmp_path):
    org = make_org(
        "po:ana team:t1 team:t2 team:t3 product:p",
        "ana owns_backlog t1, ana owns_backlog t2, ana owns_backlog t3, t1 builds p, t2 builds p, t3 builds p",
    )
    show_org(window, org)
    toml = tmp_path / "tight.toml"
    toml.write_text('extends = "less"\ntitle = "Tight"\n[limits]\nmax_teams_per_backlog_owner = 2\n')
    window.ask_profile_path = lambda: str(toml)
    combo = window.profiles.combo
    combo.setCurrentIndex(combo.findData("<load profile file>"))
    combo.activated.emit(combo.currentIndex())
    assert org.profile == "less" and org.profile_settings["limits"] == {"max_teams_per_backlog_owner": 2}
    assert combo.currentText() == "Tight"
    qtbot.waitUntil(lambda: "LOAD001" in codes(window), timeout=2000)
    assert window.registry["edit.undo"].text() == "&Undo Switch profile to tight.toml"
    window.registry["edit.undo"].trigger()
    assert org.profile == "scrum" and org.profile_settings is None
    assert combo.currentData() == "scrum" and combo.findData("<profile file>") < 0
    qtbot.waitUntil(lambda: "LOAD001" not in codes(window), timeout=2000)


def test_a_bad_profile_file_is_refused_and_changes_nothing(window, tmp_path, monkeypatch):
    org = make_org("po:ana team:t1", "ana owns_backlog t1")
    show_org(window, org)
    bad = tmp_path / "bad.toml"
    bad.write_text("[limits]\nmax_teams = 2\n")
    errors = []
    monkeypatch.setattr(window, "show_error", lambda title, text, details="": errors.append(text))
    assert not window.load_profile_file(str(bad))
    assert len(errors) == 1
    assert errors[0].startswith(
        f"{bad}: line 2: limits.max_teams: unknown limit (expected one of "
        "max_teams_per_backlog_owner, max_products_per_strategy_owner, "
    )
    assert org.profile == "scrum" and org.profile_settings is None
    assert window.profiles.combo.currentData() == "scrum"


def test_next_gap_walks_through_the_findings(window):
    org = make_org("team:a team:b")
    show_org(window, org)
    window.registry["gaps.next"].trigger()
    first = window.gaps.current_finding()
    window.registry["gaps.next"].trigger()
    assert window.gaps.current_finding() != first
    assert window.scene.selected_node_ids() == list(dict.fromkeys(window.gaps.current_finding().nodes))


def test_invalid_links_show_up_as_errors(window, qtbot):
    org = make_org("stake:s team:t")
    show_org(window, org)
    window.document.add_link("t", "s", "stakeholder_of")
    qtbot.waitUntil(lambda: "STR005" in codes(window), timeout=2000)
    assert window.scene.link_items[LinkKey("t", "s", "stakeholder_of")].invalid


def test_a_name_with_markup_reads_as_typed_in_the_finding_tooltip(window):
    org = make_org("team:t")
    org.update_node("t", name="<img src='/etc/hostname'>")
    show_org(window, org)
    model = window.gaps.model
    tips = [model.index_of(finding, 3).data(Qt.ItemDataRole.ToolTipRole) for finding in model.findings()]
    tip = next(tip for tip in tips if "OWN001" in tip)
    assert "<img" not in tip and "&lt;img src='/etc/hostname'&gt;" in tip


def test_undo_tooltips_quote_names_as_typed(window):
    org = make_org("team:t")
    show_org(window, org)
    window.document.edit_node("t", name="<b>Core</b>")
    window.document.remove(["t"])
    tip = window.registry["edit.undo"].toolTip()
    assert "<b>" not in tip and "&lt;b&gt;Core&lt;/b&gt;" in tip


def test_the_severity_filters_say_whether_they_are_on(window):
    show_org(window, make_org("team:t"))
    button = window.gaps.filter_buttons["error"]
    assert button.isChecked() and not button.font().strikeOut() and "listed" in button.toolTip()
    on_icon = button.icon().pixmap(16, 16).toImage()
    button.setChecked(False)
    assert button.font().strikeOut() and "hidden" in button.toolTip()
    assert button.icon().pixmap(16, 16).toImage() != on_icon
    button.setChecked(True)
    assert not button.font().strikeOut()


def test_findings_are_grouped_by_rule_worst_first_with_a_count(window, qtmodeltester):
    show_org(window, make_org("team:a team:b team:c product:p"))
    model = window.gaps.model
    qtmodeltester.check(model)
    shown = groups(window)
    assert len(shown["OWN001"]) == 3 and all(f.code == "OWN001" for f in shown["OWN001"])
    assert sum(map(len, shown.values())) == len(window.analysis.result.findings)
    first = model.index(list(shown).index("OWN001"), 0)
    assert model.index(first.row(), 2).data() == "3 findings"
    ranks = ["error", "warning", "info"]
    worst = [ranks.index(model.index(row, 0).data().lower()) for row in range(model.rowCount())]
    assert worst == sorted(worst), "the groups of errors come first"


def test_a_group_changes_in_place_and_goes_with_its_last_finding(window, qtbot, qtmodeltester):
    org = make_org("po:po team:a product:p", "po owns_backlog a, a builds p")
    show_org(window, org)
    model = window.gaps.model
    assert "OWN001" not in groups(window)
    resets, inserted = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsInserted.connect(lambda parent, first, last: inserted.append(parent.data(GROUP_ROLE)))

    window.document.add_node("dev_team", 600, 0)
    qtbot.waitUntil(lambda: "OWN001" in groups(window), timeout=3000)
    window.document.add_node("dev_team", 900, 0)
    qtbot.waitUntil(lambda: len(groups(window).get("OWN001", ())) == 2, timeout=3000)
    assert not resets
    assert window.analysis.changes_to(window.analysis.result) is not None, "the worker compared the results"
    assert None in inserted, "the first finding of a rule brings its group"
    assert "OWN001" in inserted, "the second one comes into that group"
    group = model.index(list(groups(window)).index("OWN001"), 0)
    assert window.gaps.view.isExpanded(group), "a short list shows its groups open"
    assert model.index(group.row(), 2).data() == "2 findings"
    qtmodeltester.check(model)

    window.registry["edit.undo"].trigger()
    window.registry["edit.undo"].trigger()
    qtbot.waitUntil(lambda: "OWN001" not in groups(window), timeout=3000)
    assert not resets
    qtmodeltester.check(model)


def test_a_long_list_starts_with_its_groups_closed_and_keeps_the_ones_opened(window):
    teams = " ".join(f"team:t{number}" for number in range(40))
    show_org(window, make_org(teams + " product:p"))
    model, view = window.gaps.model, window.gaps.view
    assert model.finding_count() > 50
    assert not any(view.isExpanded(model.index(row, 0)) for row in range(model.rowCount()))

    target = next(f for f in window.gaps.visible_findings() if f.code == "OWN001")
    window.gaps.select_row(window.gaps.visible_findings().index(target))
    assert window.gaps.current_finding() == target
    opened = model.index_of(target).parent()
    assert view.isExpanded(opened), "the chosen finding's group opens"

    window.gaps.filter_buttons["info"].setChecked(False)
    window.gaps.filter_buttons["info"].setChecked(True)
    reopened = [
        model.index(row, 0).data(GROUP_ROLE) for row in range(model.rowCount()) if view.isExpanded(model.index(row, 0))
    ]
    assert reopened == ["OWN001"]


def test_next_gap_walks_from_one_rule_to_the_next(window):
    show_org(window, make_org("team:a product:p"))
    listed = window.gaps.visible_findings()
    assert len({f.code for f in listed}) >= 2
    seen = []
    for _ in listed:
        window.registry["gaps.next"].trigger()
        seen.append(window.gaps.current_finding())
    assert seen == listed
    window.registry["gaps.next"].trigger()
    assert window.gaps.current_finding() == listed[0]
