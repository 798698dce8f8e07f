"""New, Open, Save, Save As, Close, recent files, drops, and the unsaved-changes prompt."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

from planner.io import load_org, save_org
from planner.io.native import dumps
from planner.resources import sample_path
from tests.helpers import healthy_org, make_org
from tests.ui.conftest import show_org

Button = QMessageBox.StandardButton


def answer(window, button):
    """Make the unsaved-changes prompt answer ``button``; returns the list of prompts shown."""
    asked = []

    def ask():
        asked.append(window.document.display_name())
        return button

    window.ask_to_save = ask
    return asked


def modify(window):
    window.document.add_node("product", 0, 0)
    assert window.document.is_modified()


def test_save_and_reopen_round_trip(window, tmp_path):
    org = healthy_org()
    show_org(window, org)
    window.registry["edit.arrange"].trigger()
    window.document.add_node("stakeholder", -500, -500, name="Legal")
    target = tmp_path / "acme.json"
    window.ask_save_path = lambda: str(target)
    assert window.registry["file.save"].isEnabled()
    window.registry["file.save"].trigger()
    assert not window.isWindowModified()
    assert window.windowTitle() == "Test org — acme.json[*]"
    saved = dumps(window.document.org)

    window.new_blank()
    assert len(window.document.org) == 0
    assert window.open_path(target)
    assert dumps(window.document.org) == saved
    assert len(window.scene.node_items) == len(window.document.org)
    assert window.document.path == str(target)
    assert not window.document.undo_stack.canUndo()


def test_save_writes_to_the_same_file_without_asking(window, tmp_path):
    target = tmp_path / "org.json"
    save_org(make_org("team:t"), target)
    window.open_path(target)
    window.ask_save_path = lambda: pytest.fail("Save asked for a file name although the document has one")
    modify(window)
    assert window.save()
    assert len(load_org(target)) == 2


def test_a_failed_save_reports_it_and_leaves_the_document_modified(window, tmp_path):
    show_org(window, make_org("team:t"))
    modify(window)
    missing_folder = tmp_path / "no such folder" / "org.json"
    window.ask_save_path = lambda: str(missing_folder)
    assert not window.files.save_as()
    assert window.document.is_modified()
    assert window.isWindowModified()
    ((title, text, _),) = window.errors
    assert "org.json" in title and "could not be saved" in title
    assert str(missing_folder.parent) in text
    assert window.document.path is None


def test_opening_a_broken_file_names_the_problem_and_keeps_the_document(window, tmp_path):
    org = make_org("team:t")
    show_org(window, org)
    modify(window)
    before = dumps(window.document.org)
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "team-structure-planner", "version": 2, "nodes": [{"id": "a"}', encoding="utf-8")
    assert not window.open_path(broken)
    ((title, text, details),) = window.errors
    assert "broken.json" in title
    assert "broken.json" in text and "line 1" in text
    assert dumps(window.document.org) == before
    assert window.document.is_modified()
    assert window.prompts == []


def test_unsaved_changes_prompt_cancel_keeps_the_document(window):
    show_org(window, make_org("team:t"))
    modify(window)
    asked = answer(window, Button.Cancel)
    assert not window.new_blank()
    assert asked == ["Untitled"]
    assert len(window.document.org) == 2 and window.document.is_modified()


def test_unsaved_changes_prompt_discard_drops_the_changes(window):
    show_org(window, make_org("team:t"))
    modify(window)
    asked = answer(window, Button.Discard)
    assert window.new_blank()
    assert asked == ["Untitled"]
    assert len(window.document.org) == 0 and not window.document.is_modified()


def test_unsaved_changes_prompt_save_saves_first(window, tmp_path):
    target = tmp_path / "first.json"
    save_org(make_org("team:t"), target)
    window.open_path(target)
    modify(window)
    answer(window, Button.Save)
    other = tmp_path / "second.json"
    save_org(make_org("po:ana"), other)
    assert window.open_path(other)
    assert len(load_org(target)) == 2
    assert window.document.path == str(other)


def test_no_prompt_when_nothing_changed(window, tmp_path):
    show_org(window, make_org("team:t"))
    asked = answer(window, Button.Cancel)
    assert window.new_blank()
    assert asked == []


def test_closing_the_window_asks_and_can_be_cancelled(window, qtbot):
    show_org(window, make_org("team:t"))
    modify(window)
    asked = answer(window, Button.Cancel)
    window.close()
    assert asked and window.isVisible()
    answer(window, Button.Discard)
    window.close()
    assert not window.isVisible()


def test_new_from_a_template_is_an_untitled_copy(window):
    if not sample_path("startup").is_file():
        pytest.skip("the samples are not installed")
    window.registry["file.template.startup"].trigger()
    assert len(window.document.org) == len(load_org(sample_path("startup")))
    assert window.document.path is None
    assert window.document.display_name() == "Untitled"


def test_recent_files_remember_what_was_opened_and_saved(window, tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.graphml"
    save_org(make_org("team:t"), first)
    window.open_path(first)
    window.ask_save_path = lambda: str(second)
    window.files.save_as()
    assert window.files.recent_files() == [str(second.resolve()), str(first.resolve())]
    window.files.fill_recent_menu(window.recent_menu)
    entries = [a.text() for a in window.recent_menu.actions() if a.text()]
    assert entries[:2] == ["&1 second.graphml", "&2 first.json"]
    next(a for a in window.recent_menu.actions() if a.text() == "&2 first.json").trigger()
    assert window.document.path == str(first.resolve())


def test_a_file_dropped_on_the_chart_opens(window, tmp_path):
    target = tmp_path / "dropped.json"
    save_org(make_org("team:t product:p", name="Dropped"), target)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(target))])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    window.view.dropEvent(event)
    assert window.document.org.name == "Dropped"
    assert window.document.path == str(target)


def test_importing_people_replaces_the_document_after_the_prompt(window):
    show_org(window, make_org("team:t"))
    modify(window)
    drafted = make_org("lead:cpo pm:lee", "lee reports_to cpo", name="From HR")
    window.ask_import = lambda: drafted
    asked = answer(window, Button.Discard)
    assert window.registry["file.import"].isEnabled()
    window.registry["file.import"].trigger()
    assert asked == ["Untitled"]
    assert window.document.org is drafted and window.document.path is None
    assert set(window.scene.node_items) == {"cpo", "lee"}


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_export_chart_writes_the_format_the_name_says(window, tmp_path, suffix):
    show_org(window, healthy_org())
    target = tmp_path / f"chart{suffix}"
    window.ask_export_path = lambda *args: str(target)
    assert window.files.export_chart()
    signature = {".png": b"\x89PNG", ".svg": b"<svg", ".pdf": b"%PDF"}[suffix]
    assert signature in target.read_bytes()[:500]
    assert not window.errors


def test_a_png_of_a_chart_too_big_for_150_dpi_is_written_and_the_status_bar_says_at_what_dpi(window, tmp_path):
    org = make_org([(f"t{i}", "team", {"x": i * 4000.0, "y": 0.0}) for i in range(12)], "")
    show_org(window, org)
    target = tmp_path / "wide.png"
    window.ask_export_path = lambda *args: str(target)
    assert window.files.export_chart()
    assert not window.errors and target.read_bytes()[:4] == b"\x89PNG"
    message = window.statusBar().currentMessage()
    assert "dpi" in message and "lowered from 150 dpi" in message


def test_export_report_writes_markdown_with_the_findings(window, tmp_path):
    show_org(window, make_org("team:t"))
    target = tmp_path / "gaps.md"
    window.ask_export_path = lambda *args: str(target)
    offered = []
    window.offer_to_open = lambda path, what: offered.append(path)
    assert window.files.export_report()
    assert "OWN001" in target.read_text(encoding="utf-8")
    assert offered == [str(target)]  # the user is offered to open what was written


def test_export_report_never_writes_over_the_open_org(window, tmp_path):
    path = tmp_path / "org.json"
    save_org(healthy_org(), path)
    before = path.read_bytes()
    show_org(window, load_org(path), str(path))
    window.ask_export_path = lambda *args: str(path)
    assert not window.files.export_report()
    ((title, detail, _),) = window.errors
    assert "org.json" in title and "refusing" in detail
    assert path.read_bytes() == before


def test_an_export_that_cannot_be_written_is_reported(window, tmp_path):
    show_org(window, make_org("team:t"))
    window.ask_export_path = lambda *args: str(tmp_path / "missing" / "chart.png")
    assert not window.files.export_chart()
    ((title, _, _),) = window.errors
    assert "chart.png" in title


def test_opening_shows_a_wait_cursor_and_says_so_while_it_works_and_not_after(window, tmp_path, monkeypatch):
    from PySide6.QtGui import QGuiApplication

    path = tmp_path / "org.json"
    save_org(healthy_org(), path)
    seen = []
    replace = window.document.replace

    def watched_replace(org, where, *lock_and_mode, **mode):
        cursor = QGuiApplication.overrideCursor()
        seen.append((cursor.shape() if cursor else None, window.statusBar().currentMessage()))
        replace(org, where, *lock_and_mode, **mode)

    monkeypatch.setattr(window.document, "replace", watched_replace)
    assert window.open_path(path)
    assert seen == [(Qt.CursorShape.WaitCursor, f"Drawing {len(healthy_org())} cards…")]
    assert QGuiApplication.overrideCursor() is None
    assert window.statusBar().currentMessage() == f"Opened {path}"

    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert not window.open_path(broken)
    assert QGuiApplication.overrideCursor() is None  # not left spinning over the error message
    assert "Opening" not in window.statusBar().currentMessage()


def test_open_a_drawio_file_and_a_broken_one_keeps_the_document(window, tmp_path):
    from planner.layout import layered_layout

    org = healthy_org()
    org.move_nodes(layered_layout(org))
    save_org(org, tmp_path / "chart.drawio")
    assert window.open_path(tmp_path / "chart.drawio")
    assert dumps(window.document.org) == dumps(org)
    broken = tmp_path / "broken.drawio"
    broken.write_text(
        '<mxfile><diagram><mxGraphModel><root><mxCell id="x" vertex="1" parent="1"/></root>'
        "</mxGraphModel></diagram></mxfile>"
    )
    errors = []
    window.show_error = lambda title, text, details="": errors.append(text)
    assert not window.open_path(broken)
    assert "cell 'x': a shape with no planner kind" in errors[0]
    assert dumps(window.document.org) == dumps(org)
