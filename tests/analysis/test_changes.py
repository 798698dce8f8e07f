"""The changes a background check works out between two results lead exactly from the one to the other."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.analysis import analyze
from planner.analysis.changes import FINDING_IDENTITY, changes_between
from planner.model.org import Link, ModelError
from planner.synthetic import synthetic_org


def _edit(org, choice: int, step: int) -> None:
    """One edit of the kinds the editor makes: rename, delete a card, delete or add a link."""
    nodes = sorted(node.id for node in org.nodes())
    links = sorted(org.link_triples())
    kind = choice % 4
    if kind == 0 and nodes:
        org.update_node(nodes[choice % len(nodes)], name=f"Renamed {step}")
    elif kind == 1 and nodes:
        org.remove_node(nodes[choice % len(nodes)])
    elif kind == 2 and links:
        org.remove_link(Link(*links[choice % len(links)]))
    elif len(nodes) > 1:
        source, target = nodes[choice % len(nodes)], nodes[(choice * 7 + 1) % len(nodes)]
        for link_kind in ("reports_to", "owns_backlog", "builds", "stakeholder_of", "engages"):
            try:
                org.add_link(Link(source, target, link_kind))
                break
            except ModelError:
                continue


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=4))
def test_applying_the_changes_to_the_shown_result_gives_the_new_one(choices):
    org = synthetic_org(160, seed=5)
    before = analyze(org)
    for step, choice in enumerate(choices):
        _edit(org, choice, step)
    after = analyze(org)
    changes = changes_between(before, after)

    shown = {FINDING_IDENTITY(f): f for f in before.findings}
    for key in changes.gone_findings:
        del shown[key]
    for key, finding in changes.added_findings:
        assert key not in shown
        shown[key] = finding
    assert shown.keys() == set(map(FINDING_IDENTITY, after.findings))

    badges = dict(before.badges())
    for node_id in changes.gone_badges:
        del badges[node_id]
    badges.update(changes.changed_badges)
    assert badges == after.badges()


def test_nothing_changed_gives_no_changes():
    org = synthetic_org(160, seed=5)
    changes = changes_between(analyze(org), analyze(org))
    assert not (changes.gone_findings or changes.added_findings or changes.gone_badges or changes.changed_badges)
