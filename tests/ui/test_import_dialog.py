"""The import dialog: guessed columns, a preview, live redrafts, row problems, and the org it hands back."""

from __future__ import annotations

import csv

from PySide6.QtWidgets import QDialog

from planner.io.hr_import import import_people
from planner.io.native import dumps
from planner.layout import overlaps
from planner.resources import resource_path
from planner.ui.import_dialog import ImportDialog

PEOPLE = resource_path("examples", "people.csv")


def make_dialog(qtbot, path=None):
    dialog = ImportDialog(path)
    qtbot.addWidget(dialog)
    return dialog


def test_guessed_columns_and_preview_with_spreadsheet_row_numbers(qtbot):
    dialog = make_dialog(qtbot, PEOPLE)
    assert dialog.column_boxes["title"].currentText() == "Job Title"
    assert dialog.column_boxes["manager"].currentText() == "Manager ID"
    assert dialog.preview.verticalHeaderItem(0).text() == "2"  # the header is row 1
    assert dialog.preview.horizontalHeaderItem(2).text() == "Job Title\n→ job title"
    assert dialog.preview.horizontalHeaderItem(3).text() == "Department\n→ department"
    assert dialog.import_button.isEnabled()
    assert "146 rows read" in dialog.summary.text()


def test_row_problems_are_listed_and_lead_to_the_row(qtbot):
    dialog = make_dialog(qtbot, PEOPLE)
    expected = import_people(PEOPLE).problems
    assert dialog.problems.rowCount() == len(expected)
    assert dialog.problems.item(0, 0).text() == str(expected[0].row)
    assert dialog.problems.item(0, 1).text() == expected[0].message
    dialog.problems.setCurrentCell(2, 1)
    selected = dialog.preview.selectionModel().selectedRows()
    assert [dialog.preview.verticalHeaderItem(i.row()).text() for i in selected] == [str(expected[2].row)]


def test_changing_a_column_redrafts_at_once(qtbot):
    dialog = make_dialog(qtbot, PEOPLE)
    assert any(n.kind == "product" for n in dialog.import_result().org.nodes())
    dialog.set_column("product", None)
    assert not any(n.kind == "product" for n in dialog.import_result().org.nodes())
    assert dialog.preview.horizontalHeaderItem(6).text() == "Product\n(not used)"
    dialog.set_column("name", None)
    assert not dialog.import_button.isEnabled()
    assert "names" in dialog.summary.text()
    dialog.set_column("name", "Full Name")
    assert dialog.import_button.isEnabled()


def test_accepting_hands_back_the_same_org_as_the_command_line_laid_out(qtbot):
    dialog = make_dialog(qtbot, PEOPLE)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    org = dialog.imported_org()
    assert dumps(org) == dumps(import_people(PEOPLE).org)
    assert not overlaps({n.id: (n.x, n.y) for n in org.nodes()})


def test_an_unreadable_file_is_explained_and_cannot_be_imported(qtbot, tmp_path):
    dialog = make_dialog(qtbot)
    assert not dialog.import_button.isEnabled()
    assert not dialog.load_file(tmp_path / "nothing.csv")
    assert "cannot be read" in dialog.summary.text() and "nothing.csv" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    dialog.accept()
    assert dialog.imported_org() is None and dialog.result() != QDialog.DialogCode.Accepted


def test_a_semicolon_file_with_odd_headers_can_be_mapped_by_hand(qtbot, tmp_path):
    path = tmp_path / "staff.csv"
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerows(
            [["Key", "Who", "Function", "Boss"], ["1", "Ann", "Head of Product", ""], ["2", "Bo", "PO", "1"]]
        )
    dialog = make_dialog(qtbot, path)
    assert not dialog.import_button.isEnabled()
    for field_name, column in (("id", "Key"), ("name", "Who"), ("title", "Function"), ("manager", "Boss")):
        dialog.set_column(field_name, column)
    assert dialog.import_button.isEnabled()
    assert {(link.source, link.target) for link in dialog.import_result().org.links()} == {("2", "1")}


def test_inferred_teams_are_shown_before_the_user_accepts(qtbot, tmp_path):
    from tests.io.hr_exports import org_chart_rows, write

    dialog = make_dialog(qtbot, write(tmp_path / "chart.csv", org_chart_rows(areas=2, teams_per_area=1, engineers=4)))
    assert not dialog.inferred.isHidden()
    assert dialog.inferred.rowCount() == 2
    assert (dialog.inferred.item(0, 0).text(), dialog.inferred.item(0, 1).text()) == ("Payments", "4")
    manager = dialog.inferred.item(0, 2).text()
    assert manager and dialog.inferred.item(0, 3).text() == "Payments"
    assert dialog.inferred.item(0, 0).toolTip() == f"Payments: 4 people reporting to {manager}"
    assert "No team column: 2 teams inferred from reporting lines" in dialog.summary.text()
    assert dialog.import_button.isEnabled()


def test_a_large_exports_inferred_teams_are_listed_up_to_a_limit_and_counted(qtbot, tmp_path, monkeypatch):
    import planner.ui.import_dialog as import_dialog
    from tests.io.hr_exports import org_chart_rows, write

    monkeypatch.setattr(import_dialog, "LISTED_TEAMS", 3)
    dialog = make_dialog(qtbot, write(tmp_path / "chart.csv", org_chart_rows(areas=4, teams_per_area=2, engineers=3)))
    assert dialog.inferred.rowCount() == 4
    assert dialog.inferred.item(3, 0).text() == "… and 5 more teams"
    assert "8 teams inferred" in dialog.summary.text()
    dialog.set_column("manager", "(not in the file)")  # redrafted: a team per department
    assert dialog.inferred.item(3, 0).text() == "… and 1 more team"
    dialog.set_column("department", "(not in the file)")  # nothing to infer from
    assert dialog.inferred.isHidden() and dialog.inferred.rowCount() == 0


def test_the_column_choices_show_an_org_chart_exports_headers_whole(qtbot, tmp_path):
    from tests.io.hr_exports import org_chart_rows, write

    dialog = make_dialog(qtbot, write(tmp_path / "chart.csv", org_chart_rows(areas=1, teams_per_area=1, engineers=3)))
    dialog.show()
    qtbot.waitExposed(dialog)
    for field_name in ("title", "team"):
        box = dialog.column_boxes[field_name]
        shown = (
            box.style()
            .subControlRect(
                box.style().ComplexControl.CC_ComboBox,
                _combo_option(box),
                box.style().SubControl.SC_ComboBoxEditField,
                box,
            )
            .width()
        )
        assert shown >= box.fontMetrics().horizontalAdvance(box.currentText()), (field_name, box.currentText())


def _combo_option(box):
    from PySide6.QtWidgets import QStyleOptionComboBox

    option = QStyleOptionComboBox()
    option.initFrom(box)
    option.currentText = box.currentText()
    return option


def test_a_draft_with_no_links_is_flagged_in_the_dialog(qtbot, tmp_path):
    from tests.io.hr_exports import hr_schema_rows, write

    dialog = make_dialog(qtbot, write(tmp_path / "employees.csv", hr_schema_rows()))
    assert "Look before importing: The draft has no links" in dialog.summary.text()
    assert "JOB_TITLE" in dialog.summary.text()
