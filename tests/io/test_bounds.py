"""Bounds on every number and every load: coordinates the chart can draw, sane sizes, huge integers, memory."""

from __future__ import annotations

import json
import tracemalloc

import pytest

from planner.cli import main
from planner.io import LoadError, csvpair, graphml, load_org, native
from planner.model.org import COORDINATE_LIMIT, MAX_TEAM_SIZE
from planner.synthetic import synthetic_org
from tests.helpers import make_org

DIGITS = "9" * 5000


def document(**node) -> dict:
    return {
        "format": "team-structure-planner",
        "version": 2,
        "name": "Far",
        "profile": "scrum",
        "nodes": [{"id": "a", "kind": "dev_team", "name": "A", **node}],
        "links": [],
    }


def write(tmp_path, text: str, name: str = "org.json"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("field", "value"), [("x", 1e308), ("y", -1e308), ("x", COORDINATE_LIMIT * 1.5)])
def test_a_card_too_far_out_to_draw_is_refused_naming_the_field(tmp_path, field, value):
    path = write(tmp_path, json.dumps(document(**{field: value})))
    with pytest.raises(LoadError) as caught:
        load_org(path)
    assert caught.value.problems[0].where == f"nodes[0].{field}"
    assert "chart cannot be drawn" in str(caught.value)


def test_a_card_at_the_edge_of_the_drawable_range_loads(tmp_path):
    path = write(tmp_path, json.dumps(document(x=COORDINATE_LIMIT, y=-COORDINATE_LIMIT)))
    node = load_org(path).node("a")
    assert (node.x, node.y) == (COORDINATE_LIMIT, -COORDINATE_LIMIT)


def test_a_team_size_beyond_the_schemas_range_is_refused(tmp_path):
    path = write(tmp_path, json.dumps(document(size=MAX_TEAM_SIZE + 1)))
    with pytest.raises(LoadError, match=r"nodes\[0\]\.size"):
        load_org(path)


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ("nodes[0].size", json.dumps(document(size=0)).replace('"size": 0', f'"size": {DIGITS}')),
        ("nodes[0].x", json.dumps(document(x=0)).replace('"x": 0', f'"x": -{DIGITS}')),
        ("version", json.dumps(document()).replace('"version": 2', f'"version": {DIGITS}')),
    ],
)
def test_an_integer_of_thousands_of_digits_is_a_clear_error_naming_the_field(tmp_path, where, text):
    path = write(tmp_path, text)
    with pytest.raises(LoadError) as caught:
        load_org(path)
    problem = caught.value.problems[0]
    assert problem.where == where and "5,000 digits" in problem.message
    assert len(caught.value.summary()) < 300


@pytest.mark.parametrize("bad", [{"size": -1}, {"x": 1e308}, {"colour": "red"}])
def test_the_links_of_a_refused_card_are_not_counted_as_more_problems(tmp_path, bad):
    data = document(**bad)
    data["nodes"].append({"id": "p", "kind": "product", "name": "P"})
    data["links"] = [{"source": "a", "target": "p", "kind": "builds"}]
    with pytest.raises(LoadError) as caught:
        load_org(write(tmp_path, json.dumps(data)))
    assert [p.where.split(".")[0] for p in caught.value.problems] == ["nodes[0]"]
    assert "more problem" not in caught.value.summary()


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_huge_integers_and_far_cards_exit_2_in_one_line_from_every_command(capsys, tmp_path):
    good = tmp_path / "good.json"
    native.save(make_org("team:t"), good)
    huge = write(tmp_path, json.dumps(document(size=0)).replace('"size": 0', f'"size": {DIGITS}'), "huge.json")
    far = write(tmp_path, json.dumps(document(x=1e308, y=-1e308)), "far.json")
    for bad in (huge, far):
        for args in (
            ("check", bad),
            ("convert", bad, tmp_path / "out.graphml"),
            ("diff", good, bad),
            ("diff", bad, good),
            ("report", good, "--baseline", bad, "-o", tmp_path / "r.md"),
            ("export", bad, "-o", tmp_path / "chart.svg"),
        ):
            code, out, err = cli(capsys, *args)
            assert code == 2, (args, out, err)
            assert err.count("\n") == 1 and bad.name in err and "Traceback" not in err, (args, err)


def test_graphml_and_csv_refuse_huge_numbers_and_far_cards_too(tmp_path):
    text = graphml.dumps(make_org([("t", "team", {"size": 3})]))
    for old, new in (
        ('<data key="x">0</data>', f'<data key="x">{DIGITS}</data>'),
        ('<data key="size">3</data>', f'<data key="size">{DIGITS}</data>'),
        ('<data key="y">0</data>', '<data key="y">1e308</data>'),
    ):
        assert old in text
        with pytest.raises(LoadError) as caught:
            graphml.loads(text.replace(old, new))
        assert len(caught.value.summary()) < 300
    nodes_text, links_text = csvpair.dumps(make_org([("t", "team", {"size": 3})]))
    for column, value in (("size", DIGITS), ("x", DIGITS), ("y", "-1e300")):
        header, row = nodes_text.splitlines()[:2]
        cells = row.split(",")
        cells[header.split(",").index(column)] = value
        (tmp_path / "nodes.csv").write_text(f"{header}\n{','.join(cells)}\n", encoding="utf-8")
        (tmp_path / "links.csv").write_text(links_text, encoding="utf-8")
        with pytest.raises(LoadError, match=f"column '{column}'") as caught:
            csvpair.load(tmp_path / "nodes.csv")
        assert len(caught.value.summary()) < 300


def test_a_refused_graphml_node_is_not_reported_again_through_its_edges():
    text = graphml.dumps(make_org("team:t product:p", "t builds p"))
    old = '<data key="kind">dev_team</data>'
    assert old in text
    with pytest.raises(LoadError) as caught:
        graphml.loads(text.replace(old, '<data key="kind">spaceship</data>'))
    assert [str(p) for p in caught.value.problems if "missing node" in str(p)] == []
    assert "more problem" not in caught.value.summary()


# -- memory ----------------------------------------------------------------------------------------------------------


def peak_of_loading(path) -> tuple[int, BaseException | None]:
    tracemalloc.start()
    try:
        load_org(path, layout=False)
        error = None
    except LoadError as exc:
        error = exc
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak, error


def realistic_text() -> str:
    return native.dumps(synthetic_org(4000, seed=4))


def hostile_files() -> dict[str, str]:
    valid = realistic_text()
    data = json.loads(valid)
    with_junk_field = dict(data, junk=[1.5] * 300_000)
    with_junk_attribute = json.loads(valid)
    with_junk_attribute["nodes"][3]["junk"] = [[1.5] * 100] * 3000
    return {
        "valid": valid,
        "a bad link kind at the very end": valid[::-1].replace('"sdliub"', '"zdliub"', 1)[::-1],
        "truncated": valid[: len(valid) * 2 // 3],
        "a large unknown field": json.dumps(with_junk_field),
        "a large unknown attribute": json.dumps(with_junk_attribute),
        "half a million empty records": json.dumps(dict(data, nodes=[{}] * 500_000), separators=(",", ":")),
        "a million zeros": json.dumps(dict(data, links=[0] * 1_000_000), separators=(",", ":")),
    }


@pytest.mark.slow
def test_no_load_takes_more_than_about_ten_times_the_files_size_in_memory(tmp_path):
    peaks = {}
    for name, text in hostile_files().items():
        path = write(tmp_path, text)
        assert path.stat().st_size > 600_000, name
        peak, error = peak_of_loading(path)
        assert (error is None) == (name == "valid"), (name, error)
        peaks[name] = peak / path.stat().st_size
    print({name: f"{ratio:.1f}x" for name, ratio in peaks.items()})
    assert max(peaks.values()) <= 10, peaks


@pytest.mark.slow
def test_graphml_and_csv_pairs_stay_within_their_memory_bounds(tmp_path):
    """GraphML within ten times its size; a CSV pair, whose rows are a tenth the size of the cards they make, twenty.

    Blank rows, however many, cost nothing.
    """
    org = synthetic_org(800, seed=5)
    graphml.save(org, tmp_path / "org.graphml")
    csvpair.save(org, tmp_path / "nodes.csv")
    nodes_text = (tmp_path / "nodes.csv").read_text(encoding="utf-8")
    (tmp_path / "blank-nodes.csv").write_text(nodes_text + "\r\n" * 150_000, encoding="utf-8")
    (tmp_path / "commas-nodes.csv").write_text(nodes_text + ",,,,,,\r\n" * 50_000, encoding="utf-8")
    cases = {"org.graphml": 10, "nodes.csv": 20, "blank-nodes.csv": 10, "commas-nodes.csv": 10}
    ratios = {}
    for name, bound in cases.items():
        path = tmp_path / name
        size = path.stat().st_size + (path.with_name("links.csv").stat().st_size if name == "nodes.csv" else 0)
        peak, error = peak_of_loading(path)
        assert error is None, error
        ratios[name] = round(peak / size, 1)
        assert peak <= bound * size, ratios
