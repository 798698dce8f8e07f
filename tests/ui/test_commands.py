"""Undo commands on a bare document: each restores exactly what it changed."""

from __future__ import annotations

from planner.io.native import dumps
from planner.model.org import LinkKey
from planner.ui.document import Document
from tests.helpers import healthy_org, make_org


def test_deleting_linked_nodes_together_restores_every_link(qapp):
    document = Document(healthy_org())
    before = dumps(document.org)
    document.remove(["po", "t1", "pm"], [LinkKey("sales", "p", "stakeholder_of")])
    assert {"po", "t1", "pm"}.isdisjoint(n.id for n in document.org.nodes())
    assert document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert dumps(document.org) == before
    document.undo_stack.redo()
    document.undo_stack.undo()
    assert dumps(document.org) == before


def test_edits_merge_within_one_session_only(qapp):
    document = Document(make_org("po:ana"))
    session = document.new_session()
    for text in ("A", "An", "Ann"):
        document.edit_node("ana", session, name=text)
    document.edit_node("ana", document.new_session(), name="Anna")
    assert document.undo_stack.count() == 2
    document.undo_stack.undo()
    assert document.org.node("ana").name == "Ann"
    document.undo_stack.undo()
    assert document.org.node("ana").name == "Ana"


def test_typing_back_to_the_old_value_leaves_nothing_to_undo(qapp):
    document = Document(make_org("po:ana"))
    session = document.new_session()
    document.edit_node("ana", session, name="Anx")
    document.edit_node("ana", session, name="Ana")
    assert document.undo_stack.count() == 0
    assert not document.is_modified()


def test_changing_and_reversing_a_link_undo_to_the_original(qapp):
    document = Document(make_org("po:ana pm:lee", "ana reports_to lee"))
    before = dumps(document.org)
    document.change_link_kind(LinkKey("ana", "lee", "reports_to"), "aligns_with")
    document.reverse_link(LinkKey("ana", "lee", "aligns_with"))
    assert document.org.has_link(LinkKey("lee", "ana", "aligns_with"))
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert dumps(document.org) == before


def test_paste_gives_fresh_ids_and_keeps_inner_links_only(qapp):
    document = Document(make_org("po:ana team:t product:p", "ana owns_backlog t, t builds p"))
    new_ids = document.paste_payload(document.copy_payload(["ana", "t"]))
    assert len(new_ids) == 2 and not {"ana", "t"} & set(new_ids)
    copied_links = [link for link in document.org.links() if link.source in new_ids or link.target in new_ids]
    assert [link.kind for link in copied_links] == ["owns_backlog"]
    document.undo_stack.undo()
    assert len(document.org) == 3
