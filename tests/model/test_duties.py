"""The duty catalog and the products' responsibility matrices on the org."""

import pytest

from planner.model.duties import DUTIES, EXECUTION_DUTIES, STRATEGY_DUTIES
from planner.model.mirror import OrgMirror, copy_org
from planner.model.org import ModelError
from tests.helpers import healthy_org


def test_the_catalog_has_stable_ids_in_two_horizons_each_explained():
    assert set(STRATEGY_DUTIES) >= {"vision", "roadmap", "pricing", "market_research", "go_to_market"}
    assert set(EXECUTION_DUTIES) >= {"backlog", "sprint_goals", "acceptance_criteria", "accept_work"}
    assert all(duty.label and duty.description.endswith(".") for duty in DUTIES.values())


def test_a_product_without_a_matrix_follows_its_links():
    org = healthy_org()
    matrix = org.duty_matrix("p")
    assert org.follows_links("p")
    assert all(matrix[d] == {"pm": "A"} for d in STRATEGY_DUTIES)
    assert all(matrix[d] == {"po": "A"} for d in EXECUTION_DUTIES)


def test_setting_a_cell_gives_the_product_its_own_matrix_and_undo_puts_the_links_back():
    org = healthy_org()
    seen = []
    org.duties_changed.connect(lambda *args: seen.append(args))
    old = org.set_duty("p", "pricing", "po", "C")
    assert old is None and not org.follows_links("p")
    assert org.duty_matrix("p")["pricing"] == {"pm": "A", "po": "C"}
    assert seen and seen[-1][0] == "p"
    org.set_duties("p", old)
    assert org.follows_links("p")


def test_an_own_matrix_no_longer_follows_link_changes():
    org = healthy_org()
    org.set_duty("p", "vision", "po", "I")
    org.remove_link(("pm", "p", "owns_strategy"))
    assert org.duty_matrix("p")["roadmap"] == {"pm": "A"}


def test_a_removed_person_leaves_the_matrix_and_comes_back_with_undo():
    org = healthy_org()
    org.set_duty("p", "vision", "po", "C")
    node, links = org.remove_node("po")
    assert "po" not in org.duty_matrix("p").get("vision", {})
    assert "po" not in str(org.saved_duties())
    org.restore_node(node, links)
    assert org.duty_matrix("p")["vision"]["po"] == "C"


@pytest.mark.parametrize(
    ("product", "duty", "person", "letter"),
    [("p", "haircut", "po", "A"), ("p", "vision", "t1", "A"), ("p", "vision", "po", "X"), ("t1", "vision", "po", "A")],
)
def test_wrong_cells_are_refused(product, duty, person, letter):
    with pytest.raises(ModelError):
        healthy_org().set_duty(product, duty, person, letter)


def test_the_mirror_and_a_copy_carry_the_matrices():
    org = healthy_org()
    mirror = OrgMirror(org)
    org.set_duty("p", "vision", "po", "R")
    assert mirror.catch_up().duties_of("p") == org.duties_of("p")
    assert copy_org(org).duties_of("p") == org.duties_of("p")
    mirror.close()
