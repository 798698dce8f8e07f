"""Help pages, platform shortcuts, the application icon, run() and screenshot()."""

from __future__ import annotations

from PySide6.QtGui import QImage, QKeySequence

from planner.analysis import all_rules
from planner.io import save_org
from planner.resources import resource_path
from planner.ui import app
from planner.ui.help import HelpDialog
from planner.ui.mainwindow import MainWindow
from tests.helpers import healthy_org, make_org


def test_roles_guide_explains_pm_po_team_stakeholder_and_when_to_hire(qtbot):
    dialog = HelpDialog()
    qtbot.addWidget(dialog)
    dialog.show_topic("roles")
    text = dialog.browser.toPlainText()
    for phrase in (
        "Product manager",
        "Product owner",
        "Development team",
        "Stakeholder",
        "Which role do you need to hire?",
        "one person",
        "the market moves fast",
    ):
        assert phrase in text


def test_the_help_window_title_does_not_repeat_the_application_name(qtbot):
    from PySide6.QtGui import QGuiApplication

    dialog = HelpDialog()
    qtbot.addWidget(dialog)
    # The desktop's title bar adds the display name (" — Team Structure Planner") to every window title.
    assert dialog.windowTitle() == "Help" and QGuiApplication.applicationDisplayName() not in dialog.windowTitle()


def test_every_rule_has_a_help_page_with_its_three_sections(qtbot):
    dialog = HelpDialog()
    qtbot.addWidget(dialog)
    for rule in all_rules():
        dialog.show_rule(rule.code)
        text = dialog.browser.toPlainText()
        assert text.startswith(f"{rule.code} · {rule.title}")
        for section in ("What it detects", "Why it matters", "How to fix", "Severity by profile", "Sources"):
            assert section in text
        assert rule.fix.split()[0] in text
        assert rule.sources[0][:40] in text


def test_shortcuts_follow_the_platform_and_are_listed_in_help(window):
    assert window.registry["edit.undo"].shortcuts() == QKeySequence.keyBindings(QKeySequence.StandardKey.Undo)
    assert window.registry["file.save"].shortcuts() == QKeySequence.keyBindings(QKeySequence.StandardKey.Save)
    zoom_in = window.registry["view.zoom_in"].shortcuts()
    assert all(key in zoom_in for key in QKeySequence.keyBindings(QKeySequence.StandardKey.ZoomIn))
    dialog = window.show_help("shortcuts")
    text = dialog.browser.toPlainText()
    native = QKeySequence(QKeySequence.StandardKey.Undo).toString(QKeySequence.SequenceFormat.NativeText)
    assert "Undo" in text and native in text
    assert "Fit to Window" in text


def test_the_application_icon_is_a_valid_svg(qtbot):
    path = resource_path("icons", "planner.svg")
    image = QImage(str(path))
    assert not image.isNull() and image.width() >= 64
    assert not app.application_icon().isNull()


def test_screenshot_saves_the_window_at_the_requested_size(qtbot, tmp_path):
    source = tmp_path / "org.json"
    save_org(healthy_org(), source)
    out = app.screenshot(source, tmp_path / "shot.png", size=(1000, 700))
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1000, 700)
    colours = {image.pixel(x, y) for x in range(0, 1000, 10) for y in range(0, 700, 10)}
    assert len(colours) > 20  # a drawn window, not a blank one


def test_the_readme_screenshot_shows_a_clicked_finding_with_the_legend_folded(qtbot, tmp_path, monkeypatch):
    source = tmp_path / "org.json"
    save_org(make_org("po:ana team:t1 team:t2 product:p", "ana owns_backlog t1, t1 builds p, t2 builds p"), source)
    seen = {}
    real_grab = MainWindow.grab

    def grab(window):
        seen["selected"] = window.scene.selected_node_ids()
        seen["folded"] = window.view.legend.collapsed
        return real_grab(window)

    monkeypatch.setattr(MainWindow, "grab", grab)
    app.screenshot(source, tmp_path / "shot.png", size=(1000, 700), finding="OWN001", fold_legend=True)
    assert seen == {"selected": ["t2"], "folded": True}


def test_run_opens_the_file_named_on_the_command_line(qtbot, tmp_path, monkeypatch):
    source = tmp_path / "cli.json"
    save_org(healthy_org(), source)
    seen = {}

    def fake_exec():
        window = next(w for w in app.QApplication.topLevelWidgets() if isinstance(w, app.MainWindow) and w.isVisible())
        seen["path"] = window.document.path
        seen["nodes"] = len(window.scene.node_items)
        window.detach()
        window.hide()
        window.deleteLater()
        return 0

    monkeypatch.setattr(app.QApplication, "exec", staticmethod(fake_exec))
    real = app.QSettings
    monkeypatch.setattr(app, "QSettings", lambda: real(str(tmp_path / "s.ini"), real.Format.IniFormat))
    assert app.run(str(source)) == 0
    assert seen == {"path": str(source), "nodes": len(healthy_org())}
