"""Safe output (never over an input or an org file, atomically) and the reorg report's colours."""

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import main
from planner.diff import diff_orgs
from planner.io import load_org, save_org
from planner.report import ReportError, build_report, write_report
from planner.report.html import render_html
from planner.report.model import Callout
from planner.resources import resource_path, sample_path
from tests.report.orgs import gappy_org

ROOT = Path(__file__).parents[2]


def _copy(tmp_path, name="org.json") -> Path:
    path = tmp_path / name
    shutil.copyfile(sample_path("scaleup"), path)
    return path


@pytest.mark.parametrize("command", ["report", "export"])
def test_refuses_to_write_over_its_input(tmp_path, capsys, command):
    org = _copy(tmp_path)
    before = org.read_bytes()
    assert main([command, str(org), "-o", str(org)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "refusing to write over" in lines[0]
    assert org.read_bytes() == before


def test_report_refuses_to_write_over_the_baseline_or_any_org_file(tmp_path, capsys):
    org = _copy(tmp_path)
    baseline = _copy(tmp_path, "today.json")
    other = tmp_path / "other.graphml"
    save_org(load_org(org), other)
    for output, extra in ((baseline, ["--baseline", str(baseline)]), (tmp_path / "today.json", []), (other, [])):
        before = output.read_bytes()
        renamed = output.with_suffix(".json") if output.suffix != ".json" else output
        if renamed != output:
            output.rename(renamed)
            output = renamed
            before = output.read_bytes()
        assert main(["report", str(org), "-o", str(output), *extra]) == 2
        assert "refusing to write over" in capsys.readouterr().err
        assert output.read_bytes() == before


def test_export_refuses_to_write_over_an_org_file(tmp_path, capsys):
    org = _copy(tmp_path)
    target = _copy(tmp_path, "looks-like-a-chart.svg")
    before = target.read_bytes()
    assert main(["export", str(org), "-o", str(target)]) == 2
    assert "refusing to write over an org file" in capsys.readouterr().err
    assert target.read_bytes() == before


def test_the_editor_cannot_write_a_report_over_its_own_file(tmp_path):
    org = _copy(tmp_path)
    before = org.read_bytes()
    with pytest.raises(ReportError, match="refusing"):
        write_report(load_org(org), org, source=str(org))
    assert org.read_bytes() == before


def test_a_failing_write_leaves_the_previous_report_whole(tmp_path, monkeypatch):
    out = tmp_path / "report.html"
    write_report(gappy_org(), out)
    before = out.read_bytes()

    def full_disk(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(ReportError, match="No space left"):
        write_report(load_org(sample_path("scaleup")), out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_a_full_disk_exits_2_with_one_line(tmp_path):
    out = tmp_path / "report.pdf"
    out.write_bytes(b"%PDF old")
    code = (
        "import errno, os, sys\n"
        "def full(fd): raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
        "os.fsync = full\n"
        "from planner.cli import main\n"
        f"sys.exit(main(['report', {str(sample_path('scaleup'))!r}, '-o', {str(out)!r}]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert out.read_bytes() == b"%PDF old"


# -- the reorg report's colours ---------------------------------------------------------------------


def _introduced(report) -> Callout:
    section = next(s for s in report.document.sections if s.key == "before-after")
    return next(b for b in section.blocks if isinstance(b, Callout) and b.title.startswith("Gaps introduced"))


def test_an_info_introduced_is_never_in_a_red_box_nor_called_worse():
    today = load_org(sample_path("scaleup"))
    proposal = load_org(resource_path("samples", "scaleup-proposal.json"))
    report = build_report(proposal, diff=diff_orgs(today, proposal))
    callout = _introduced(report)
    assert callout.tone == "info"
    rows = {row.label: row for row in report.comparison.health_rows()}
    assert rows["Infos"].trend in ("more", "same", "fewer") and rows["Infos"].tone != "error"
    assert "worse" not in {row.trend for row in rows.values()}
    assert not report.comparison.worse
    html = render_html(report.document)
    assert 'class="callout tone-info"' in html and "Gaps introduced" in html
    # The before/after headline is on page 1, coloured as good news.
    brief = [b for b in report.document.brief.blocks if isinstance(b, Callout) and b.title == "Before and after"]
    assert brief and brief[0].tone == "ok"
    assert "better" in brief[0].blocks[0].text[0].text


def test_an_error_introduced_is_red_and_the_proposal_is_worse():
    today = load_org(sample_path("scaleup"))
    proposal = load_org(sample_path("scaleup"))
    proposal.remove_node("po-lena")
    report = build_report(proposal, diff=diff_orgs(today, proposal))
    assert _introduced(report).tone == "error"
    assert report.comparison.worse
    brief = next(b for b in report.document.brief.blocks if isinstance(b, Callout) and b.title == "Before and after")
    assert brief.tone == "error"


def test_more_infos_alone_do_not_make_a_proposal_worse():
    today = gappy_org()
    proposal = gappy_org()
    from planner.model import Node

    proposal.add_node(Node("lonely", "leader", "Lonely"))  # an isolated card: one more info
    report = build_report(proposal, diff=diff_orgs(today, proposal))
    assert not report.comparison.worse
    rows = {row.label: row for row in report.comparison.health_rows()}
    assert rows["Infos"].trend == "more" and rows["Infos"].tone == "info"


def test_a_proposal_that_trades_errors_for_warnings_says_so_in_amber():
    from planner.model import Link, Node

    today = load_org(sample_path("scaleup"))
    proposal = load_org(resource_path("samples", "scaleup-proposal.json"))
    for number in range(5):  # five stakeholders nobody engages: five new warnings, while both errors go
        proposal.add_node(Node(f"s{number}", "stakeholder", f"Partner {number}"))
        proposal.add_link(Link(f"s{number}", "checkout", "stakeholder_of"))
    report = build_report(proposal, diff=diff_orgs(today, proposal))
    comparison = report.comparison
    assert comparison.worse and comparison.mixed and not comparison.better
    headline = comparison.headline()
    assert "trades errors for warnings" in headline and "2 errors → 0" in headline
    brief = next(b for b in report.document.brief.blocks if isinstance(b, Callout) and b.title == "Before and after")
    assert brief.tone == "warning"


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL")
@pytest.mark.parametrize("name", ["report.pdf", "report.html"])
def test_a_report_write_killed_at_any_moment_leaves_a_whole_report(tmp_path, name):
    import random
    import signal
    import time

    target = tmp_path / name
    first, second = load_org(sample_path("startup")), load_org(sample_path("scaleup"))
    start = time.perf_counter()
    write_report(first, target, paper="a4")
    # Kills spread over about three writes of this machine at this moment: on a busy machine a write takes longer,
    # and kills all landing within the child's first write would only ever find the old report.
    spread = max(1.0, 3 * (time.perf_counter() - start))
    versions = {first.name: 0, second.name: 0}
    rng = random.Random(7)
    for _ in range(16):
        pid = os.fork()
        if pid == 0:  # child: write the two reports in turn until killed
            try:
                while True:
                    write_report(second, target, paper="a4")
                    write_report(first, target, paper="a4")
            finally:
                os._exit(1)
        time.sleep(rng.uniform(0.05, spread))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        if name.endswith(".pdf"):
            from pypdf import PdfReader

            reader = PdfReader(target)
            text = reader.pages[0].extract_text()
            assert f"Page {len(reader.pages)} of {len(reader.pages)}" in reader.pages[-1].extract_text()
        else:
            text = target.read_text(encoding="utf-8")
            assert text.rstrip().endswith("</html>"), "a torn HTML report"
        shown = [org_name for org_name in versions if org_name in text]
        assert len(shown) == 1, "the report is one version or the other, whole"
        versions[shown[0]] += 1
    assert all(versions.values()), f"the kills landed at different moments: {versions}"
    leftovers = [p.name for p in tmp_path.iterdir() if p != target]
    assert all(n.startswith(f".{name}.") and n.endswith(".tmp") for n in leftovers), leftovers
