"""Mermaid flowcharts: a class per kind, a line style per link kind, hostile names escaped, sub-orgs, findings."""

from __future__ import annotations

import html
import re

import pytest

from planner.cli import main
from planner.io import load_org, mermaid
from planner.io.chart_style import KIND_COLORS, LINK_LOOKS
from planner.io.suborg import SelectionError, sub_org
from planner.model.org import Link, Node, Org
from planner.model.vocabulary import LINK_KINDS, NODE_KINDS
from planner.resources import resource_path
from tests.helpers import healthy_org

NODE_LINE = re.compile(r'^  (n\d+)(\(|\[|\{\{|\(\[)"(?P<label>[^"]*)"(\)|\]|\}\}|\]\)):::(?P<kind>\w+)$')

HOSTILE = [
    'Ana "Ops" [x] {y} (z)',
    "#1 <script>alert(1)</script> & co",
    "end",
    "graph TD; A-->B %% c",
    "pipe | tick `x` :::leader",
    "&lt;b&gt; #quot; #35; C#;",
    "`markdown`",
    "tab\there\x07bell",
]


def labels(text: str) -> dict[str, tuple[str, str]]:
    """Mermaid id → (kind, label text as a reader sees it) for every box."""
    found = {}
    for line in text.splitlines():
        match = NODE_LINE.match(line)
        if match:
            shown = html.unescape(match["label"].replace("<br/>", "\n"))
            found[match.group(1)] = (match["kind"], shown)
    return found


def test_a_class_per_kind_and_a_line_style_per_link_kind():
    org = load_org(resource_path("samples", "scaleup.json"))
    text = mermaid.dumps(org)
    assert text.splitlines()[3] == "flowchart TB"
    for kind in NODE_KINDS:
        assert f"  classDef {kind} fill:" in text and f"stroke:{KIND_COLORS[kind]}" in text
    boxes = labels(text)
    assert len(boxes) == len(org)
    assert sorted(kind for kind, _ in boxes.values()) == sorted(node.kind for node in org.nodes())
    arrows = [line for line in text.splitlines() if re.match(r"^  n\d+ (-->|--o)", line)]
    assert len(arrows) == org.number_of_links()
    styles = [line for line in text.splitlines() if line.startswith("  linkStyle ")]
    used = {link.kind for link in org.links()}
    assert len(styles) == len(used)
    for kind in used:
        assert any(f"stroke:{LINK_LOOKS[kind].color},stroke-width:{LINK_LOOKS[kind].width}px" in s for s in styles)
    # linkStyle indexes cover every arrow exactly once
    indexes = sorted(int(i) for s in styles for i in s.split()[1].split(","))
    assert indexes == list(range(org.number_of_links()))


def test_hostile_names_are_escaped_and_read_back_as_typed():
    org = Org('Evil "org"\n---')
    for index, name in enumerate(HOSTILE):
        org.add_node(Node(f"p{index}", "product_owner", name, title='Lead "PO" <b>'))
    org.add_node(Node("t", "dev_team", "}} ]] ))"))
    for index in range(len(HOSTILE)):
        org.add_link(Link(f"p{index}", "t", "owns_backlog"))
    text = mermaid.dumps(org)
    boxes = labels(text)
    assert len(boxes) == len(org)  # every box line parsed: no label broke out of its quotes
    shown = sorted(label for _, label in boxes.values())
    expected = sorted(
        [f'{name.replace(chr(9), " ").replace(chr(7), " ")}\nLead "PO" <b>' for name in HOSTILE] + ["}} ]] ))"]
    )
    assert shown == expected
    # nothing a Mermaid parser would take as an entity code, a comment or a Markdown string
    for _, label in [(m, line) for m, line in enumerate(text.splitlines()) if NODE_LINE.match(line)]:
        inner = NODE_LINE.match(label)["label"]
        assert not re.search(r"#\w+;", inner.replace("&num;", "")) and "`" not in inner
    assert '\ntitle: "Evil \\"org\\" ---"\n' in text


def test_highlight_marks_cards_with_findings():
    org = load_org(resource_path("samples", "startup.json"))
    from planner.analysis import analyze

    severities = mermaid.worst_severities(analyze(org).findings)
    assert severities
    text = mermaid.dumps(org, severities)
    boxes = labels(text)
    ids = {
        box_id: node.id
        for box_id, node in zip(
            sorted(boxes, key=lambda b: int(b[1:])),
            sorted(org.nodes(), key=lambda n: (NODE_KINDS.index(n.kind), n.label.casefold(), n.id)),
            strict=True,
        )
    }
    for box_id, (_, label) in boxes.items():
        assert label.startswith("⚠ ") == (ids[box_id] in severities)
    for severity in set(severities.values()):
        marked = next(
            line for line in text.splitlines() if line.endswith(f" finding_{severity}") and line.startswith("  class ")
        )
        assert {ids[b] for b in marked.split()[1].split(",")} == {
            node for node, worst in severities.items() if worst == severity
        }


def test_select_a_person_keeps_their_reporting_tree():
    org = healthy_org()
    reports = {link.source for link in org.links() if link.kind == "reports_to" and link.target == "vp"}
    part = sub_org(org, ["vp"])
    assert {"vp"} | reports <= {node.id for node in part.nodes()}
    assert all(link.source in part and link.target in part for link in part.links())
    assert all(part.node(n.id).x == org.node(n.id).x for n in part.nodes())


def test_select_a_product_keeps_its_people_and_teams():
    org = load_org(resource_path("samples", "scaleup.json"))
    product = next(n for n in org.nodes() if n.kind == "product")
    part = sub_org(org, [product.name.upper()])
    kept = {n.id for n in part.nodes()}
    builders = {link.source for link in org.links() if link.kind == "builds" and link.target == product.id}
    owners = {link.source for link in org.links() if link.kind == "owns_strategy" and link.target == product.id}
    assert builders and builders | owners | {product.id} <= kept
    assert len(part) < len(org)


def test_select_names_an_unknown_card():
    with pytest.raises(SelectionError, match="no card has the id or name 'nobody'"):
        sub_org(healthy_org(), ["nobody"])


def test_export_command_writes_mermaid_without_qt(tmp_path, capsys):
    import subprocess
    import sys

    target = tmp_path / "chart.mmd"
    script = (
        "import sys; from planner.cli import main; "
        f"code = main(['export', {str(resource_path('samples', 'scaleup.json'))!r}, '-o', {str(target)!r}, "
        "'--highlight', '--select', 'Checkout']); "
        "assert 'PySide6' not in sys.modules, 'Qt was loaded'; sys.exit(code)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"wrote {target} (")
    assert target.read_text().splitlines()[3] == "flowchart TB"
    assert (
        main(
            [
                "export",
                str(resource_path("samples", "scaleup.json")),
                "-o",
                str(tmp_path / "x.mmd"),
                "--select",
                "nobody",
            ]
        )
        == 2
    )
    assert "--select: no card has the id or name 'nobody'" in capsys.readouterr().err


def test_every_link_kind_has_a_look():
    assert set(LINK_LOOKS) == set(LINK_KINDS)


def test_a_chart_beyond_mermaids_default_limits_is_written_with_a_warning(tmp_path, capsys):
    from planner.io import save_org
    from planner.synthetic import synthetic_org

    big = synthetic_org(1000)
    assert big.number_of_links() > mermaid.MAX_EDGES
    save_org(big, tmp_path / "big.json")
    assert main(["export", str(tmp_path / "big.json"), "-o", str(tmp_path / "big.mmd")]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"wrote {tmp_path / 'big.mmd'}")
    assert f"too large for Mermaid's default settings, used by GitHub: {big.number_of_links():,} links" in err
    assert "--select PRODUCT or --select PERSON" in err
    # A small org, or a part of the big one, is drawn: no warning.
    assert main(["export", str(resource_path("samples", "scaleup.json")), "-o", str(tmp_path / "s.mmd")]) == 0
    assert capsys.readouterr().err == ""


def test_render_limits_count_characters_too():
    assert mermaid.beyond_render_limits("x" * 10, 3) == ""
    assert "50,001 characters (Mermaid reads at most 50,000)" in mermaid.beyond_render_limits("x" * 50_001, 3)
