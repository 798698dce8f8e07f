"""Building a chart: the palette, drops, connecting, the inspector, clipboard and context menus."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent, QGuiApplication

from planner.model.org import LinkKey
from planner.model.vocabulary import NODE_DESCRIPTIONS, NODE_KINDS
from planner.ui.canvas.view import KIND_MIME
from planner.ui.docks.palette import KIND_ROLE
from tests.helpers import make_org
from tests.ui.conftest import show_org


def click_palette(window, qtbot, kind):
    item = window.palette.item_for(kind)
    rect = window.palette.visualItemRect(item)
    qtbot.mouseClick(window.palette.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_palette_lists_the_six_kinds_with_their_descriptions(window):
    kinds = [window.palette.item(row).data(KIND_ROLE) for row in range(window.palette.count())]
    assert kinds == list(NODE_KINDS)
    for row in range(window.palette.count()):
        item = window.palette.item(row)
        assert NODE_DESCRIPTIONS[item.data(KIND_ROLE)] in item.toolTip()


def test_clicking_the_palette_adds_a_selected_card_ready_to_name(window, qtbot):
    click_palette(window, qtbot, "product_owner")
    click_palette(window, qtbot, "dev_team")
    org = window.document.org
    kinds = sorted(node.kind for node in org.nodes())
    assert kinds == ["dev_team", "product_owner"]
    (selected,) = window.scene.selected_node_ids()
    assert org.node(selected).kind == "dev_team"
    assert window.inspector.name.text() == "New development team"
    po, team = (next(n for n in org.nodes() if n.kind == k) for k in ("product_owner", "dev_team"))
    assert (po.x, po.y) != (team.x, team.y)  # the second card does not land on the first
    assert window.registry["edit.undo"].text() == "&Undo Add development team"


def test_palette_cards_can_be_connected_with_the_proposed_link(window, qtbot):
    click_palette(window, qtbot, "product_owner")
    click_palette(window, qtbot, "dev_team")
    org = window.document.org
    po = next(n.id for n in org.nodes() if n.kind == "product_owner")
    team = next(n.id for n in org.nodes() if n.kind == "dev_team")
    assert window.editing.request_link(po, team)
    assert org.has_link(LinkKey(po, team, "owns_backlog"))
    assert window.scene.link_items[LinkKey(po, team, "owns_backlog")].isSelected()


def test_dropping_a_kind_on_the_chart_adds_it_where_it_was_dropped(window):
    mime = QMimeData()
    mime.setData(KIND_MIME, b"stakeholder")
    target = window.view.mapFromScene(QPointF(600, 400))
    event = QDropEvent(
        QPointF(target), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    window.view.dropEvent(event)
    (node,) = window.document.org.nodes()
    assert node.kind == "stakeholder"
    assert abs(node.x - 600) <= 20 and abs(node.y - 400) <= 20


def test_inspector_edits_name_title_and_kind_specific_fields(window, qtbot):
    org = make_org("team:t stake:s")
    show_org(window, org)
    window.scene.select(["t"])
    assert window.inspector.size.isVisible() and not window.inspector.scope.isVisible()
    qtbot.keyClicks(window.inspector.title, "Payments squad")
    qtbot.keyClicks(window.inspector.size, "7")
    assert org.node("t").title == "Payments squad"
    assert org.node("t").size == 7
    assert window.scene.node_items["t"].title == "Payments squad · 7 people"
    window.inspector.size.selectAll()
    qtbot.keyClick(window.inspector.size, Qt.Key.Key_Backspace)
    assert org.node("t").size is None  # emptied: not known, not 0 (which would raise a finding)
    qtbot.keyClicks(window.inspector.size, "x")
    assert org.node("t").size is None and window.inspector.size.text() == ""

    assert window.inspector.vacant.isVisible()
    window.inspector.vacant.setChecked(True)
    assert org.node("t").vacant
    assert window.scene.node_items["t"].vacant

    window.scene.select(["s"])
    assert window.inspector.scope.isVisible() and not window.inspector.size.isVisible()
    assert "job" not in window.inspector.title.placeholderText().lower()
    assert not window.inspector.vacant.isVisible()  # stakeholders are not hired
    window.inspector.scope.setCurrentIndex(window.inspector.scope.findData("external"))
    window.inspector.scope.activated.emit(window.inspector.scope.currentIndex())
    assert org.node("s").scope == "external"


def test_inspector_accepts_rule_codes_and_refuses_unknown_ones(window, qtbot):
    org = make_org("team:t")
    show_org(window, org)
    window.scene.select(["t"])
    field = window.inspector.ignore
    field.setText("str004, XYZ123")
    field.editingFinished.emit()
    assert org.node("t").ignore == ()
    assert "XYZ123 is not a rule code" in window.statusBar().currentMessage()
    field.setText("str004 isolated-node")  # what the completer inserts: code and name
    field.editingFinished.emit()
    assert org.node("t").ignore == ("STR004",)
    assert field.text() == "STR004"


def test_link_kind_changes_from_the_inspector_and_the_context_menu(window):
    org = make_org("po:ana pm:lee", "ana reports_to lee")
    show_org(window, org)
    window.scene.select(link_keys=[LinkKey("ana", "lee", "reports_to")])
    combo = window.inspector.link_kind
    assert [combo.itemData(i) for i in range(combo.count())] == ["reports_to", "aligns_with"]
    combo.setCurrentIndex(1)
    combo.activated.emit(1)
    assert org.has_link(LinkKey("ana", "lee", "aligns_with"))
    assert window.scene.selected_link_keys() == [LinkKey("ana", "lee", "aligns_with")]

    menu = window.build_context_menu(QPointF())
    kinds_menu = next(a.menu() for a in menu.actions() if a.menu() is not None)
    back = next(a for a in kinds_menu.actions() if a.text() == "reports to")
    back.trigger()
    assert org.has_link(LinkKey("ana", "lee", "reports_to"))
    assert not org.has_link(LinkKey("ana", "lee", "aligns_with"))


def test_background_context_menu_adds_a_card_at_the_click(window):
    menu = window.build_context_menu(QPointF(300, 200))
    add_menu = next(a.menu() for a in menu.actions() if a.menu() is not None)
    next(a for a in add_menu.actions() if a.text() == "Leader").trigger()
    (node,) = window.document.org.nodes()
    assert (node.kind, node.x, node.y) == ("leader", 300, 200)


def test_delete_several_things_is_one_undo_step(window):
    org = make_org(
        [("po", "po", {"x": 0.0}), ("t", "team", {"x": 300.0}), ("p", "product", {"x": 600.0})],
        "po owns_backlog t, t builds p",
    )
    show_org(window, org)
    window.scene.select(["po", "t"])
    window.registry["edit.delete"].trigger()
    assert [n.id for n in org.nodes()] == ["p"] and org.number_of_links() == 0
    assert window.registry["edit.undo"].text() == "&Undo Delete 2 cards"
    window.registry["edit.undo"].trigger()
    assert sorted(n.id for n in org.nodes()) == ["p", "po", "t"]
    assert org.has_link(LinkKey("po", "t", "owns_backlog")) and org.has_link(LinkKey("t", "p", "builds"))
    assert set(window.scene.link_items) == {LinkKey("po", "t", "owns_backlog"), LinkKey("t", "p", "builds")}


def test_copy_paste_and_duplicate_make_new_cards_with_their_inner_links(window):
    org = make_org(
        [("po", "po", {"x": 0.0}), ("t", "team", {"x": 300.0}), ("p", "product", {"x": 600.0})],
        "po owns_backlog t, t builds p",
    )
    show_org(window, org)
    window.scene.select(["po", "t"])
    window.registry["edit.copy"].trigger()
    assert QGuiApplication.clipboard().text() == "Po\nT"
    window.registry["edit.paste"].trigger()
    assert len(org) == 5
    pasted = window.scene.selected_node_ids()
    assert len(pasted) == 2 and not {"po", "t"} & set(pasted)
    copies = {org.node(n).kind: org.node(n) for n in pasted}
    assert org.has_link(LinkKey(copies["product_owner"].id, copies["dev_team"].id, "owns_backlog"))
    assert (copies["dev_team"].x, copies["dev_team"].y) == (340.0, 40.0)
    assert window.registry["edit.undo"].text() == "&Undo Paste 2 cards"

    window.registry["edit.duplicate"].trigger()
    assert len(org) == 7
    window.registry["edit.select_all"].trigger()
    assert len(window.scene.selected_node_ids()) == 7


def test_cut_removes_the_cards_and_keeps_them_for_pasting(window):
    org = make_org("team:t product:p")
    show_org(window, org)
    window.scene.select(["t"])
    window.registry["edit.cut"].trigger()
    assert [n.id for n in org.nodes()] == ["p"]
    assert window.registry["edit.undo"].text() == "&Undo Cut 1 card"
    window.registry["edit.paste"].trigger()
    assert sorted(n.kind for n in org.nodes()) == ["dev_team", "product"]


def test_double_clicking_a_card_puts_the_cursor_in_its_name(window, qtbot):
    org = make_org([("t", "team", {"x": 0.0, "y": 0.0})])
    show_org(window, org)
    window.view.reset_zoom()
    window.view.centerOn(0, 0)
    point = window.view.mapFromScene(QPointF(-30, 0))
    qtbot.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(point))
    qtbot.waitUntil(lambda: window.focusWidget() is window.inspector.name)
    assert window.inspector.name.selectedText() == "T"


def test_changing_a_cards_kind_redraws_it_and_rechecks_its_links(window):
    org = make_org("po:ana team:t", "ana owns_backlog t")
    show_org(window, org)
    window.scene.select(["ana"])
    combo = window.inspector.kind
    combo.setCurrentIndex(combo.findData("stakeholder"))
    combo.activated.emit(combo.currentIndex())
    assert org.node("ana").kind == "stakeholder"
    assert window.scene.node_items["ana"].kind == "stakeholder"
    assert window.scene.link_items[LinkKey("ana", "t", "owns_backlog")].invalid
    window.registry["edit.undo"].trigger()
    assert org.node("ana").kind == "product_owner"
    assert not window.scene.link_items[LinkKey("ana", "t", "owns_backlog")].invalid


def test_card_context_menu_marks_vacancies_and_changes_kinds(window):
    org = make_org("po:ana product:p")
    show_org(window, org)
    window.scene.select(["ana"])
    menu = window.build_context_menu(QPointF())
    texts = [a.text() for a in menu.actions()]
    assert "Mark as &Vacant (to hire)" in texts and "&Delete" in texts
    next(a for a in menu.actions() if a.text() == "Mark as &Vacant (to hire)").trigger()
    assert org.node("ana").vacant
    kind_menu = next(a.menu() for a in menu.actions() if a.text() == "Change &Kind")
    next(a for a in kind_menu.actions() if a.text() == "Product manager").trigger()
    assert org.node("ana").kind == "product_manager"

    window.scene.select(["p"])
    texts = [a.text() for a in window.build_context_menu(QPointF()).actions()]
    assert not any("Vacant" in text for text in texts)


def test_find_steps_through_the_matching_cards(window, qtbot):
    org = make_org(
        [
            ("a", "po", {"name": "Ana Souza", "x": 0.0, "y": 0.0}),
            ("b", "pm", {"name": "Ben", "title": "Head of Payments", "x": 5000.0, "y": 3000.0}),
            ("c", "team", {"name": "Payments squad", "x": 5400.0, "y": 3000.0}),
        ]
    )
    show_org(window, org)
    window.view.reset_zoom()
    window.view.centerOn(0, 0)
    window.registry["edit.find"].trigger()
    assert window.focusWidget() is window.view_state.find_field
    qtbot.keyClicks(window.view_state.find_field, "payments")
    qtbot.keyClick(window.view_state.find_field, Qt.Key.Key_Return)
    assert window.scene.selected_node_ids() == ["b"]
    visible = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert visible.contains(window.scene.nodes_rect(["b"]))
    qtbot.keyClick(window.view_state.find_field, Qt.Key.Key_Return)
    assert window.scene.selected_node_ids() == ["c"]
    qtbot.keyClick(window.view_state.find_field, Qt.Key.Key_Return)
    assert window.scene.selected_node_ids() == ["b"]
    assert window.view_state.find_step("nobody") == []
    assert "No card matches" in window.statusBar().currentMessage()


def test_enter_in_the_palette_adds_the_current_kind(window, qtbot):
    window.palette.setCurrentRow(list(NODE_KINDS).index("stakeholder"))
    qtbot.keyClick(window.palette, Qt.Key.Key_Return)
    assert [n.kind for n in window.document.org.nodes()] == ["stakeholder"]


def test_f2_renames_the_selected_card(window, qtbot):
    show_org(window, make_org("team:t product:p"))
    assert not window.registry["edit.rename"].isEnabled()
    window.scene.select(["t"])
    assert window.registry["edit.rename"].isEnabled()
    window.registry["edit.rename"].trigger()
    qtbot.waitUntil(lambda: window.focusWidget() is window.inspector.name)
    qtbot.keyClicks(window.inspector.name, "Checkout")
    assert window.document.org.node("t").name == "Checkout"


def test_names_with_markup_show_as_typed_in_the_inspector(window):
    """A name from a stranger's file is text: tags are shown, never rendered or turned into links and images."""
    name = "<b>Ops</b> <img src='/etc/hostname'> <a href='https://example.com'>x</a>"
    org = make_org("team:t po:p", "p owns_backlog t")
    org.update_node("t", name=name)
    show_org(window, org)
    window.scene.select(["t"])
    heading = window.inspector.node_heading
    assert heading.text() == name and heading.textFormat() == Qt.TextFormat.PlainText
    window.scene.select(link_keys=[LinkKey("p", "t", "owns_backlog")])
    target = window.inspector.link_target
    assert name in target.text() and target.textFormat() == Qt.TextFormat.PlainText


def test_names_with_markup_read_as_typed_in_card_and_link_tooltips(window):
    name = "<img src='/etc/hostname'>"
    org = make_org("team:t po:p", "p owns_backlog t")
    org.update_node("t", name=name)
    show_org(window, org)
    card_tip = window.scene.node_items["t"].toolTip()
    link_tip = window.scene.link_items[LinkKey("p", "t", "owns_backlog")].toolTip()
    for tip in (card_tip, link_tip):
        assert "<img" not in tip and "&lt;img src='/etc/hostname'&gt;" in tip


def test_product_cards_ask_for_no_job_title(window):
    show_org(window, make_org("product:p pm:ana"))
    window.scene.select(["p"])
    assert window.inspector.title_label.text() == "Subtitle"
    assert "job" not in window.inspector.title.placeholderText().lower()
    window.scene.select(["ana"])
    assert window.inspector.title_label.text() == "Title"
    assert window.inspector.title.placeholderText() == "Job title"


def test_cards_added_from_the_palette_can_be_linked_without_lines_through_other_cards(window):
    from PySide6.QtCore import QLineF

    from planner.ui.editing import LINE_OF_SIGHT, _crosses

    show_org(
        window,
        make_org(
            [
                ("ana", "pm", {"x": 0.0, "y": -200.0}),
                ("bo", "po", {"x": 0.0, "y": 0.0}),
                ("t", "team", {"x": 0.0, "y": 200.0}),
            ],
            "bo reports_to ana, bo owns_backlog t",
        ),
    )
    window.view.reset_zoom()
    window.view.centerOn(window.scene.node_items["bo"])
    for kind in ("product_owner", "dev_team", "product", "stakeholder", "dev_team", "product"):
        before = {node_id: item.scene_card_rect() for node_id, item in window.scene.node_items.items()}
        window.palette.kind_chosen.emit(kind)
        (new_id,) = set(window.scene.node_items) - set(before)
        new = window.scene.node_items[new_id].scene_card_rect()
        assert window.view.mapToScene(window.view.viewport().rect()).boundingRect().intersects(new)
        legend = window.view.legend.geometry().translated(-window.view.viewport().geometry().topLeft())
        assert not window.view.mapToScene(legend).boundingRect().intersects(new), "the card hides under the legend"
        assert not any(new.intersects(other) for other in before.values())
        nearest = sorted(before, key=lambda n: QLineF(before[n].center(), new.center()).length())[:LINE_OF_SIGHT]
        for other_id in nearest:
            other = before[other_id]
            for third_id, third in before.items():
                if third_id != other_id:
                    assert not _crosses(new.center(), other.center(), third), f"{new_id}–{other_id} via {third_id}"
        for key in window.scene.link_items:
            line = (before[key.source].center(), before[key.target].center())
            assert not _crosses(*line, new), f"the link {key.source}–{key.target} runs through {new_id}"
