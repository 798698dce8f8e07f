"""The PDF report: page 1 is the brief with the ask, pages print, outline and metadata, paper sizes, no Qt."""

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from planner.io import load_org
from planner.report import build_report, write_report
from planner.report.pdf import render_pdf
from planner.resources import sample_path
from tests.report.orgs import HOSTILE_TEAM, gappy_org, hostile_org

ROOT = Path(__file__).parents[2]
SAMPLES = ["startup", "scaleup", "enterprise"]
CODE = re.compile(r"\b(OWN|STR|LOAD|ALN|RSK)\d{3}\b")


def _pdf(tmp_path, org, name="report.pdf", **options) -> tuple[PdfReader, object]:
    path = tmp_path / name
    report = write_report(org, path, **options)
    return PdfReader(path), report


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("sample", SAMPLES)
def test_page_one_holds_the_ask_and_no_codes_or_paths(tmp_path, sample):
    source = str(sample_path(sample))
    reader, report = _pdf(tmp_path, load_org(sample_path(sample)), source=source)
    first = _flat(reader.pages[0].extract_text())
    from planner.report.content import ask

    assert "The ask" in first
    assert _flat(ask(report.plan)) in first
    assert "Verdict" in first
    assert not CODE.search(first)
    assert str(sample_path(sample).parent) not in first and " nodes" not in first and " links" not in first
    # The header names the file, never its folder.
    assert sample_path(sample).name in first


def test_top_risks_are_on_page_one(tmp_path):
    reader, report = _pdf(tmp_path, gappy_org())
    first = _flat(reader.pages[0].extract_text())
    assert "Top risks, by impact" in first
    for risk in report.risks:
        assert _flat(risk.sentence)[:40] in first


def test_outline_metadata_and_page_numbers(tmp_path):
    reader, report = _pdf(tmp_path, load_org(sample_path("scaleup")), source="scaleup.json")
    assert reader.metadata.title == f"{report.title}: {report.org_name}"
    assert reader.metadata.author == "Team Structure Planner"
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[0] == "The brief" and "The staffing plan" in titles
    assert titles[-1].startswith("Appendix")
    total = len(reader.pages)
    assert f"Page {total} of {total}" in reader.pages[-1].extract_text()


@pytest.mark.parametrize("paper, width", [("a4", 595), ("letter", 612)])
def test_paper_sizes(tmp_path, paper, width):
    reader, _ = _pdf(tmp_path, gappy_org(), paper=paper)
    assert round(float(reader.pages[0].mediabox.width)) == width


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_wide_chart_gets_a_page_turned_sideways_and_upright_pages_resume(tmp_path, paper):
    org = load_org(sample_path("scaleup"))
    reader, _ = _pdf(tmp_path, org, paper=paper)
    sideways = [i for i, page in enumerate(reader.pages) if page.mediabox.width > page.mediabox.height]
    assert len(sideways) == 1
    page = reader.pages[sideways[0]]
    words = page.extract_text().split()
    for node in org.nodes():
        assert all(word in words for word in node.label.split()), f"{node.label!r} is not printed whole"
    assert "The org chart." in _flat(page.extract_text())
    assert "Page" in words, "the page keeps its header and footer"
    assert sideways[0] + 1 < len(reader.pages)
    assert reader.pages[sideways[0] + 1].mediabox.width < reader.pages[sideways[0] + 1].mediabox.height


@pytest.mark.parametrize(
    "environ, paper",
    [
        ({"LANG": "en_US.UTF-8"}, "letter"),
        ({"LANG": "de_DE.UTF-8"}, "a4"),
        ({"LANG": "en_GB.UTF-8", "LC_PAPER": "en_CA.UTF-8"}, "letter"),
        ({"LC_ALL": "fr_FR", "LC_PAPER": "en_US"}, "a4"),
        ({"LANG": "C.UTF-8"}, "a4"),
        ({}, "a4"),
    ],
)
def test_paper_follows_the_locale_unless_asked(environ, paper):
    from planner.report import default_paper

    assert default_paper(environ) == paper


def test_the_default_paper_is_the_locales(tmp_path, monkeypatch):
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    reader, _ = _pdf(tmp_path, gappy_org())
    assert round(float(reader.pages[0].mediabox.width)) == 612
    reader, _ = _pdf(tmp_path, gappy_org(), name="a4.pdf", paper="a4")
    assert round(float(reader.pages[0].mediabox.width)) == 595


def test_hostile_names_print_as_text(tmp_path):
    reader, _ = _pdf(tmp_path, hostile_org())
    text = "".join(page.extract_text() for page in reader.pages)
    assert HOSTILE_TEAM in text and "<script>alert(1)</script>" in text


def test_no_word_is_broken_and_headings_stay_whole(tmp_path):
    reader, report = _pdf(tmp_path, load_org(sample_path("enterprise")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for section in report.document.sections:
        assert section.title in text


def test_a_reorg_report_has_the_before_and_after_headline_on_page_one(tmp_path):
    proposal = ROOT / "resources" / "samples" / "scaleup-proposal.json"
    reader, report = _pdf(
        tmp_path,
        load_org(proposal),
        source=str(proposal),
        baseline=load_org(sample_path("scaleup")),
        baseline_source=str(sample_path("scaleup")),
    )
    first = _flat(reader.pages[0].extract_text())
    assert "Before and after" in first and _flat(report.comparison.headline()) in first
    assert "this proposal is better" in first
    assert not CODE.search(first) and str(ROOT) not in first


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
@pytest.mark.parametrize("sample", [*SAMPLES, "reorg"])
def test_rendered_pages_are_not_blank(tmp_path, sample):
    from PIL import Image

    path = tmp_path / "report.pdf"
    if sample == "reorg":
        write_report(
            load_org(ROOT / "resources" / "samples" / "scaleup-proposal.json"),
            path,
            baseline=load_org(sample_path("scaleup")),
        )
    else:
        write_report(load_org(sample_path(sample)), path)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(PdfReader(path).pages)
    for page in pages:
        image = Image.open(page).convert("L")
        dark = sum(count for value, count in enumerate(image.histogram()) if value < 200)
        assert dark / (image.width * image.height) > 0.004, f"{page.name} is (nearly) blank"


def test_the_report_needs_no_qt(tmp_path):
    code = (
        "import sys\n"
        "from planner.io import load_org\n"
        "from planner.report import write_report\n"
        f"org = load_org({str(sample_path('scaleup'))!r})\n"
        f"write_report(org, {str(tmp_path / 'r.pdf')!r}); write_report(org, {str(tmp_path / 'r.html')!r})\n"
        "assert not any(m.startswith(('PySide6', 'shiboken6')) for m in sys.modules), 'Qt was loaded'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_a_10000_card_org_fits_the_length_budgets(tmp_path):
    from planner.synthetic import synthetic_org

    org = synthetic_org(10_000, seed=10_000)
    report = build_report(org, source="org.json")
    reader = PdfReader(io.BytesIO(render_pdf(report.document)))
    assert len(reader.pages) <= 40
    _assert_no_heading_at_a_page_foot(report, reader.pages)
    path = tmp_path / "r.html"
    write_report(org, path)
    assert path.stat().st_size <= 5 * 1024 * 1024


@pytest.mark.parametrize("sample", SAMPLES)
def test_no_heading_alone_at_a_page_foot_and_no_near_empty_last_page(tmp_path, sample):
    path = tmp_path / "report.pdf"
    report = write_report(load_org(sample_path(sample)), path, source=f"{sample}.json")
    pages = PdfReader(path).pages
    _assert_no_heading_at_a_page_foot(report, pages)
    last = [line for line in pages[-1].extract_text().splitlines() if line.strip()][:-4]
    assert sum(len(line) for line in last) > 300, "the last page holds only a few lines"


def _assert_no_heading_at_a_page_foot(report, pages):
    from planner.report.model import Section

    titles = {block.title for block in report.document.walk() if isinstance(block, Section)}
    for number, page in enumerate(pages, 1):
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        content = lines[:-4]  # the header and footer are drawn last
        assert content[-1] not in titles, f"page {number} ends on the heading {content[-1]!r}"


def test_a_tall_overview_starts_where_the_page_has_room(tmp_path):
    """The product overview flows across pages; it never leaves a page holding one small chart."""
    reader, report = _pdf(tmp_path, load_org(sample_path("enterprise")))
    assert any(block.key == "product-overview" for block in report.document.walk() if hasattr(block, "drawing"))
    for number, page in enumerate(reader.pages[:-1], 1):
        assert len(page.extract_text()) > 800, f"page {number} is nearly empty"
