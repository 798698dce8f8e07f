"""Progress of the layouts: every step is reported in order, and a caller can stop a layout midway."""

import pytest

from planner.layout import LayoutCancelled, arrange_graph, layered_layout, read_graph, tree_layout
from planner.layout.layered import LAYERED_STEPS
from planner.layout.tree import TREE_STEPS
from planner.model import Org

LAYOUTS = [(layered_layout, LAYERED_STEPS), (tree_layout, TREE_STEPS)]


@pytest.mark.parametrize(("layout", "total"), LAYOUTS)
def test_each_step_is_reported_once_in_order_and_the_result_is_unchanged(generated_org, layout, total):
    org = generated_org(400, 4)
    reports = []
    with_progress = layout(org, progress=lambda done, steps: reports.append((done, steps)))
    assert reports == [(done, total) for done in range(total + 1)]
    assert with_progress == layout(org)


@pytest.mark.parametrize(("layout", "total"), LAYOUTS)
def test_an_empty_org_reports_start_and_end(layout, total):
    reports = []
    assert layout(Org(), progress=lambda done, steps: reports.append(done)) == {}
    assert reports == [0, total]


@pytest.mark.parametrize(("layout", "total"), LAYOUTS)
@pytest.mark.parametrize("stop_at", [0, 1, 3])
def test_answering_false_stops_the_layout_and_leaves_the_org_alone(generated_org, layout, total, stop_at):
    org = generated_org(300, 5)
    before = {node.id: (node.x, node.y) for node in org.nodes()}
    seen = []

    def progress(done, steps):
        seen.append(done)
        return done < stop_at

    with pytest.raises(LayoutCancelled):
        layout(org, progress=progress)
    assert seen[-1] == stop_at
    assert {node.id: (node.x, node.y) for node in org.nodes()} == before


@pytest.mark.parametrize("answer", [None, True])
def test_any_answer_but_false_lets_the_layout_go_on(generated_org, answer):
    org = generated_org(120, 6)
    assert layered_layout(org, progress=lambda done, steps: answer) == layered_layout(org)


@pytest.mark.parametrize("style", ["layered", "tree"])
def test_arranging_a_snapshot_matches_the_layout_of_the_org(generated_org, style):
    org = generated_org(200, 7)
    layout = layered_layout if style == "layered" else tree_layout
    assert arrange_graph(read_graph(org), style) == layout(org)
    some = [node.id for node in org.nodes()][:30]
    assert arrange_graph(read_graph(org, some), style, keep_place=True) == layout(org, some)
