"""The chart's right-click menu: for a link, for the selected cards, or for the empty canvas.

Built on demand from what is selected; its entries are the window's
registered actions (Cut, Delete, Arrange…) plus what only makes sense here
(Change Kind, Add Here, Fold).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from planner.chart.theme import kind_icon
from planner.model.org import LinkKey
from planner.model.vocabulary import DEV_TEAM, LINK_KINDS, NODE_DESCRIPTIONS, NODE_KINDS, NODE_LABELS, PERSON_KINDS
from planner.ui.actions import ActionRegistry
from planner.ui.docks.duties import add_assign_duty_menu
from planner.ui.document import Document
from planner.ui.editing import ChartEditing
from planner.ui.view_state import ViewState


def build_context_menu(
    parent: QWidget,
    document: Document,
    registry: ActionRegistry,
    editing: ChartEditing,
    view_state: ViewState,
    node_ids: list[str],
    link_keys: list[LinkKey],
    scene_pos: QPointF,
    edit_card: Callable[[str], None],
) -> QMenu:
    """The right-click menu for the selection (or for empty canvas at ``scene_pos``)."""
    menu = QMenu(parent)
    if len(link_keys) == 1 and not node_ids:
        _link_entries(menu, document, registry, editing, link_keys[0])
    elif node_ids:
        if len(node_ids) == 1:
            _card_entries(menu, document, node_ids[0], edit_card)
        registry.fill(menu, ["edit.cut", "edit.copy", "edit.duplicate", "edit.delete"])
        if len(node_ids) == 2:
            registry.fill(menu, [None, "edit.link_selected"])
        if len(node_ids) > 1:
            registry.fill(menu, [None, "view.zoom_selection", "edit.arrange", "edit.arrange_tree"])
    else:
        add_menu = menu.addMenu("&Add Here")
        for kind in NODE_KINDS:
            action = add_menu.addAction(kind_icon(kind), NODE_LABELS[kind])
            action.setToolTip(NODE_DESCRIPTIONS[kind])
            action.triggered.connect(lambda _=False, k=kind: editing.add_node_at(k, scene_pos))
        registry.fill(menu, ["edit.paste", None, "edit.select_all", "view.fit", "edit.arrange"])
    view_state.extend_context_menu(menu, node_ids)
    return menu


def _link_entries(
    menu: QMenu, document: Document, registry: ActionRegistry, editing: ChartEditing, key: LinkKey
) -> None:
    kinds_menu = menu.addMenu("Link &Kind")
    group = QActionGroup(kinds_menu)
    for kind in document.allowed_kinds(key):
        action = kinds_menu.addAction(LINK_KINDS[kind].label)
        action.setCheckable(True)
        action.setChecked(kind == key.kind)
        action.setToolTip(LINK_KINDS[kind].meaning)
        action.setStatusTip(LINK_KINDS[kind].meaning)
        group.addAction(action)
        action.triggered.connect(lambda _=False, k=kind: editing.change_link_kind(key, k))
    menu.addAction("&Reverse Direction", lambda: editing.reverse_link(key))
    menu.addSeparator()
    menu.addAction(registry["edit.delete"])


def _card_entries(menu: QMenu, document: Document, node_id: str, edit_card: Callable[[str], None]) -> None:
    node = document.org.node(node_id)
    menu.addAction("&Edit…", lambda: edit_card(node.id))
    if node.vacant or node.kind in PERSON_KINDS or node.kind == DEV_TEAM:
        vacant_text = "Mark as &Filled" if node.vacant else "Mark as &Vacant (to hire)"
        menu.addAction(vacant_text, lambda: document.edit_node(node.id, vacant=not node.vacant))
    add_assign_duty_menu(menu, document, node.id)
    kind_menu = menu.addMenu("Change &Kind")
    for kind in NODE_KINDS:
        action = kind_menu.addAction(kind_icon(kind), NODE_LABELS[kind])
        action.setEnabled(kind != node.kind)
        action.triggered.connect(lambda _=False, k=kind: document.edit_node(node.id, kind=k))
    menu.addSeparator()
