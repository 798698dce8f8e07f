"""Bad input never crashes the command line: broken, hostile and huge files end in one clear line and exit 2.

Every format the CLI reads gets the same treatment: the native JSON, GraphML
and the CSV node/link pair through ``planner check`` and ``planner convert``,
and HR exports (CSV and XLSX) through ``planner import``. Each file below is
wrong in its own way (empty, cut short, binary, in the wrong encoding, a
directory, unreadable, over the size cap, XML entity bombs); the command must
exit with status 2 and print exactly one line on stderr naming the file, with
no traceback.
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from planner.cli import main
from planner.io import csvpair, drawio, graphml, hr_import, hr_table, load_org, native, save_org
from planner.resources import resource_path, sample_path

ROOT = Path(__file__).parents[2]
#: How long a refusal may take before the test calls it a hang; refusing entity bombs takes milliseconds.
HANG_GUARD_SECONDS = 5.0

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph><node id="&lol9;"/></graph></graphml>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE graphml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph><node id="&secret;"/></graph></graphml>
"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE graphml SYSTEM "http://127.0.0.1:9/never.dtd">
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph/></graphml>
"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE graphml [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph/></graphml>
"""

#: Bombs and references to the outside: refused at once, never expanded or fetched.
XML_ATTACKS = {
    "billion-laughs": BILLION_LAUGHS,
    "external-entity": EXTERNAL_ENTITY,
    "external-dtd": EXTERNAL_DTD,
    "parameter-entity": PARAMETER_ENTITY,
}


# -- running the CLI ------------------------------------------------------------

#: The command line of a planner started in a process of its own.
PLANNER_PROCESS = [sys.executable, "-c", "import sys; from planner.cli import main; sys.exit(main())"]


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused(capsys, path: Path, *args, names: Path | None = None) -> str:
    """Run the CLI; it must exit 2 with one stderr line naming the file (``names``, or ``path`` itself)."""
    code, out, err = run(capsys, *args)
    lines = err.splitlines()
    assert code == 2, (code, out, err)
    assert len(lines) == 1, err
    assert str(names or path) in lines[0], lines[0]
    assert "Traceback" not in out + err
    return lines[0]


def commands_for(path: Path, tmp_path: Path) -> list[tuple]:
    """The commands that read ``path``: check and convert for org files, import for HR exports."""
    if path.parent.name == "hr":
        return [("import", path, "-o", tmp_path / "drafted.json")]
    return [("check", path), ("convert", path, tmp_path / "converted.json")]


# -- valid files of every format, to break -----------------------------------------


def valid_bytes(kind: str, tmp_path: Path) -> bytes:
    """The bytes of a good file: ``json``, ``graphml``, ``csv`` (the nodes file of a pair) or ``hr`` (CSV)."""
    if kind == "hr":
        return resource_path("examples", "people.csv").read_bytes()
    org = load_org(sample_path("startup"))
    if kind == "json":
        return native.dumps(org).encode("utf-8")
    if kind == "graphml":
        return graphml.dumps(org).encode("utf-8")
    if kind == "drawio":
        return drawio.dumps(org).encode("utf-8")
    return csvpair.dumps(org)[0].encode("utf-8")


EXTENSIONS = {"json": ".json", "graphml": ".graphml", "csv": ".csv", "hr": ".csv", "drawio": ".drawio"}


def place(tmp_path: Path, kind: str, content: bytes | None = None, name: str = "org") -> Path:
    """Write ``content`` as a file of ``kind`` (HR exports go in their own folder); None makes a directory."""
    folder = tmp_path / ("hr" if kind == "hr" else "files")
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}{EXTENSIONS[kind]}"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    return path


def truncated(kind: str, tmp_path: Path) -> bytes:
    data = valid_bytes(kind, tmp_path)
    if kind in ("csv", "hr"):
        # A CSV cut between rows is still a CSV; one cut inside a quoted cell is not.
        head = data[: len(data) // 2]
        return head[: head.rfind(b"\n") + 1] + b'x,"half a quoted cell'
    return data[: len(data) // 2]


def garbage(kind: str, tmp_path: Path) -> bytes:
    return random.Random(7).randbytes(4096)


def utf16_without_mark(kind: str, tmp_path: Path) -> bytes:
    return valid_bytes(kind, tmp_path).decode("utf-8").encode("utf-16-le")


def broken_utf16(kind: str, tmp_path: Path) -> bytes:
    return b"\xff\xfe" + valid_bytes(kind, tmp_path).decode("utf-8").encode("utf-16-le")[:-1] + b"\x00\xd8"


def latin1_in_utf8_clothes(kind: str) -> bytes:
    org = load_org(sample_path("startup"))
    org.set_name("Café Señor")
    text = native.dumps(org) if kind == "json" else graphml.dumps(org)
    assert "Café Señor" in text
    return text.encode("latin-1", errors="replace")


def nul_bytes(kind: str, tmp_path: Path) -> bytes:
    return b"\x00" * 2048


BROKEN: dict[str, Callable[[str, Path], bytes]] = {
    "empty": lambda kind, tmp_path: b"",
    "truncated": truncated,
    "binary-garbage": garbage,
    "nul-bytes": nul_bytes,
    "utf16-without-mark": utf16_without_mark,
    "broken-utf16": broken_utf16,
}

KINDS = ("json", "graphml", "csv", "hr", "drawio")


# -- broken files ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("breakage", sorted(BROKEN))
def test_broken_files_are_refused_in_one_line(capsys, tmp_path, kind, breakage):
    path = place(tmp_path, kind, BROKEN[breakage](kind, tmp_path))
    if (kind, breakage) == ("drawio", "utf16-without-mark"):
        # Not broken: a draw.io file has no XML declaration, and expat tells UTF-16 by its first bytes
        # (XML 1.0, appendix F), so this is well-formed XML and reads as the same org.
        assert native.dumps(load_org(path)) == native.dumps(load_org(sample_path("startup")))
        return
    for command in commands_for(path, tmp_path):
        assert_refused(capsys, path, *command)


@pytest.mark.parametrize("kind", ("json", "graphml"))
def test_text_in_the_wrong_encoding_is_refused(capsys, tmp_path, kind):
    path = place(tmp_path, kind, latin1_in_utf8_clothes(kind))
    for command in commands_for(path, tmp_path):
        assert_refused(capsys, path, *command)


@pytest.mark.parametrize("kind", KINDS)
def test_a_directory_is_refused(capsys, tmp_path, kind):
    path = place(tmp_path, kind, None)
    for command in commands_for(path, tmp_path):
        assert_refused(capsys, path, *command)


@pytest.mark.parametrize("kind", KINDS)
def test_a_missing_file_is_refused(capsys, tmp_path, kind):
    path = place(tmp_path, kind, b"")
    path.unlink()
    for command in commands_for(path, tmp_path):
        assert_refused(capsys, path, *command)


@pytest.mark.parametrize("kind", KINDS)
def test_an_unreadable_file_is_refused(capsys, unprivileged, kind):
    folder = unprivileged.folder
    path = place(folder, kind, valid_bytes(kind, folder))
    unprivileged.hand_over(folder)
    path.chmod(0)
    try:
        if not os.access(path, os.R_OK):
            for command in commands_for(path, folder):
                assert "permission" in assert_refused(capsys, path, *command).lower()
            return
        # Root reads it anyway: the planner runs in a child that permissions stop.
        for command in commands_for(path, folder):
            result = unprivileged.run(PLANNER_PROCESS + [str(a) for a in command], timeout=HANG_GUARD_SECONDS * 12)
            assert result.returncode == 2, result.stderr
            lines = result.stderr.splitlines()
            assert len(lines) == 1 and str(path) in lines[0], result.stderr
            assert "permission" in lines[0].lower() and "Traceback" not in result.stdout + result.stderr
    finally:
        path.chmod(0o600)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("kind", KINDS)
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path, kind):
    path = place(tmp_path, kind, b"")
    path.unlink()
    os.mkfifo(path)
    # In a child process: reading a pipe nobody writes to would hang this test run, not fail it.
    for command in commands_for(path, tmp_path):
        result = run_planner_process(*command, timeout=HANG_GUARD_SECONDS * 6)
        assert result.returncode == 2, result.stderr
        assert len(result.stderr.splitlines()) == 1 and str(path) in result.stderr
        assert "regular file" in result.stderr


# -- huge files ---------------------------------------------------------------------------


def cap_sizes_at_half_a_kib(monkeypatch) -> None:
    """Size caps of 512 bytes, so that 'huge' needs no gigabytes; the sample files are larger than that."""
    monkeypatch.setattr(native, "MAX_FILE_BYTES", 512)
    monkeypatch.setattr(graphml, "MAX_GRAPHML_BYTES", 512)
    monkeypatch.setattr(drawio, "MAX_DRAWIO_BYTES", 512)
    monkeypatch.setattr(csvpair, "MAX_FILE_BYTES", 512)
    monkeypatch.setattr(hr_table, "MAX_TABLE_BYTES", 512)


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_over_the_size_cap_is_refused(capsys, tmp_path, monkeypatch, kind):
    path = place(tmp_path, kind, valid_bytes(kind, tmp_path))
    assert path.stat().st_size > 512
    cap_sizes_at_half_a_kib(monkeypatch)
    for command in commands_for(path, tmp_path):
        line = assert_refused(capsys, path, *command)
        assert "limit" in line


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_over_the_real_size_cap_is_refused_unread(capsys, tmp_path, kind):
    # A sparse file: its size is over every cap, yet it takes no disk space and reading it would take long.
    path = place(tmp_path, kind, b"")
    with path.open("wb") as handle:
        handle.truncate(max(native.MAX_FILE_BYTES, graphml.MAX_GRAPHML_BYTES, hr_import.MAX_TABLE_BYTES) + 1)
    for command in commands_for(path, tmp_path):
        started = time.perf_counter()
        line = assert_refused(capsys, path, *command)
        assert time.perf_counter() - started < HANG_GUARD_SECONDS
        assert "limit" in line


def test_the_links_file_of_a_pair_over_the_cap_is_refused(capsys, tmp_path, monkeypatch):
    nodes = place(tmp_path, "csv", b"id,kind\nt,dev_team\n", name="acme-nodes")
    links = nodes.with_name("acme-links.csv")
    links.write_bytes(b"source,target,kind\n" + b"t,t,builds\n" * 200)
    cap_sizes_at_half_a_kib(monkeypatch)
    for command in commands_for(nodes, tmp_path):
        assert_refused(capsys, nodes, *command, names=links)


# -- the other file of a CSV pair --------------------------------------------------------


@pytest.mark.parametrize("breakage", sorted(BROKEN))
def test_a_broken_links_file_is_named(capsys, tmp_path, breakage):
    org = load_org(sample_path("startup"))
    nodes = place(tmp_path, "csv", b"", name="acme-nodes")
    save_org(org, nodes)
    links = nodes.with_name("acme-links.csv")
    content = BROKEN[breakage]("csv", tmp_path)
    if breakage == "truncated":
        links_text = links.read_bytes()
        content = links_text[: links_text.rfind(b"\n", 0, len(links_text) // 2) + 1] + b'"t1,half'
    links.write_bytes(content)
    for command in commands_for(nodes, tmp_path):
        assert_refused(capsys, nodes, *command, names=links.name)


def test_a_links_file_that_is_a_directory_is_named(capsys, tmp_path):
    nodes = place(tmp_path, "csv", b"id,kind\nt,dev_team\n", name="acme-nodes")
    links = nodes.with_name("acme-links.csv")
    links.mkdir()
    for command in commands_for(nodes, tmp_path):
        assert_refused(capsys, nodes, *command, names=links)


# -- hostile XML -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ("graphml", "drawio"))
@pytest.mark.parametrize("attack", sorted(XML_ATTACKS))
def test_xml_bombs_and_outside_references_are_refused_at_once(capsys, tmp_path, attack, kind):
    path = place(tmp_path, kind, XML_ATTACKS[attack])
    for command in commands_for(path, tmp_path):
        started = time.perf_counter()
        line = assert_refused(capsys, path, *command)
        assert time.perf_counter() - started < HANG_GUARD_SECONDS
        assert "root:" not in line


@pytest.mark.parametrize("encoding", ["klingon", "utf-16", "TF-8"])
def test_xml_declaring_a_wrong_or_unknown_encoding_is_refused(capsys, tmp_path, encoding):
    text = graphml.dumps(load_org(sample_path("startup"))).replace('encoding="UTF-8"', f'encoding="{encoding}"', 1)
    assert encoding in text
    path = place(tmp_path, "graphml", text.encode("utf-8"))
    for command in commands_for(path, tmp_path):
        assert_refused(capsys, path, *command)


def test_deeply_nested_json_is_refused(capsys, tmp_path):
    path = place(tmp_path, "json", b"[" * 200_000 + b"]" * 200_000)
    for command in commands_for(path, tmp_path):
        assert_refused(capsys, path, *command)


def test_deeply_nested_xml_is_refused(capsys, tmp_path):
    body = b"<graph>" * 50_000 + b"</graph>" * 50_000
    path = place(tmp_path, "graphml", b'<graphml xmlns="http://graphml.graphdrawing.org/xmlns">' + body)
    for command in commands_for(path, tmp_path):
        assert_refused(capsys, path, *command)


@pytest.mark.parametrize(
    "record",
    [
        b'{"id": "a", "kind": "leader", "x": 1e999}',
        b'{"id": "a", "kind": "leader", "x": NaN}',
        b'{"id": "a", "kind": "leader", "size": 1e400}',
        b'{"id": "a", "kind": "leader", "name": "\\ud800"}',
        b'{"id": ["a"], "kind": {"k": 1}}',
    ],
    ids=["infinite", "nan", "huge-size", "lone-surrogate", "wrong-types"],
)
def test_hostile_values_in_json_are_refused(capsys, tmp_path, record):
    path = place(tmp_path, "json", b'{"format": "team-structure-planner", "version": 2, "nodes": [' + record + b"]}")
    for command in commands_for(path, tmp_path):
        assert_refused(capsys, path, *command)


def test_a_csv_cell_longer_than_the_csv_module_allows_is_refused(capsys, tmp_path):
    path = place(tmp_path, "csv", b'id,kind,name\nt,dev_team,"' + b"x" * 200_000 + b'"\n')
    for command in commands_for(path, tmp_path):
        assert_refused(capsys, path, *command)


# -- HR workbooks ------------------------------------------------------------------------------


def workbook(sheet_xml: bytes, compression: int = zipfile.ZIP_STORED) -> bytes:
    """A minimal .xlsx whose first sheet is ``sheet_xml``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="xl/workbook.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="People" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
            "</Relationships>",
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buffer.getvalue()


def sheet(rows: list[list[str]], doctype: bytes = b"") -> bytes:
    cells = "".join(
        "<row>" + "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in row) + "</row>" for row in rows
    )
    return (
        b'<?xml version="1.0"?>' + doctype + b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
        b'main"><sheetData>' + cells.encode("utf-8") + b"</sheetData></worksheet>"
    )


PEOPLE = [["Name", "Job Title", "Manager"], ["Ana", "Product Owner", ""], ["Bo", "Developer", "Ana"]]


def place_workbook(tmp_path: Path, content: bytes | None) -> Path:
    path = tmp_path / "hr" / "people.xlsx"
    path.parent.mkdir(exist_ok=True)
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    return path


def test_a_good_workbook_is_imported(capsys, tmp_path):
    path = place_workbook(tmp_path, workbook(sheet(PEOPLE)))
    code, out, err = run(capsys, "import", path, "-o", tmp_path / "drafted.json")
    assert code == 0, err


@pytest.mark.parametrize(
    "content",
    [
        b"",
        workbook(sheet(PEOPLE))[:700],
        random.Random(3).randbytes(4096),
        b"PK\x03\x04" + random.Random(4).randbytes(4096),
        workbook(b"<worksheet><sheetData><row><c"),
        workbook(sheet(PEOPLE, doctype=BILLION_LAUGHS.split(b"<graphml")[0].split(b"?>", 1)[1])),
        workbook(sheet(PEOPLE, doctype=b'<!DOCTYPE worksheet [<!ENTITY s SYSTEM "file:///etc/passwd">]>')),
        None,
    ],
    ids=["empty", "truncated", "garbage", "garbage-zip", "broken-sheet", "billion-laughs", "external-entity", "dir"],
)
def test_broken_workbooks_are_refused(capsys, tmp_path, content):
    path = place_workbook(tmp_path, content)
    started = time.perf_counter()
    assert_refused(capsys, path, "import", path, "-o", tmp_path / "drafted.json")
    assert time.perf_counter() - started < HANG_GUARD_SECONDS


def test_a_workbook_unpacking_over_the_size_cap_is_refused(capsys, tmp_path, monkeypatch):
    # Compressed, the file is well under the cap; unpacked, its sheet is far over it.
    many = PEOPLE + [[f"Person {i}", "Developer", "Ana"] for i in range(2000)]
    path = place_workbook(tmp_path, workbook(sheet(many), compression=zipfile.ZIP_DEFLATED))
    monkeypatch.setattr(hr_table, "MAX_TABLE_BYTES", 64 * 1024)
    assert path.stat().st_size < 64 * 1024 < len(sheet(many))
    line = assert_refused(capsys, path, "import", path, "-o", tmp_path / "drafted.json")
    assert "limit" in line and "unpacks" in line


def test_a_workbook_with_too_many_rows_is_refused(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(hr_table, "MAX_SHEET_ROWS", 5)
    path = place_workbook(tmp_path, workbook(sheet(PEOPLE + [[f"P{i}", "Developer", "Ana"] for i in range(10)])))
    line = assert_refused(capsys, path, "import", path, "-o", tmp_path / "drafted.json")
    assert "rows" in line


# -- the real process ----------------------------------------------------------------------------


def run_planner_process(*args, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*PLANNER_PROCESS, *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize("kind", ("json", "graphml"))
def test_the_planner_process_prints_one_line_and_no_traceback(tmp_path, kind):
    path = place(tmp_path, kind, BILLION_LAUGHS if kind == "graphml" else b"\x00garbage")
    result = run_planner_process("check", path)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and str(path) in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11")
def test_a_display_with_no_x_server_behind_it_is_a_clear_message_not_an_abort(tmp_path):
    from planner.cli.open_cmd import x_display_answers

    if x_display_answers(":99") is not False:
        pytest.skip("cannot tell whether an X server answers here (no libxcb), or one runs at :99")
    env = {key: value for key, value in os.environ.items() if key not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(DISPLAY=":99", PYTHONPATH=str(Path(__file__).resolve().parents[2]), HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "planner", "open"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "DISPLAY=:99" in result.stderr
    assert "xcb-cursor" not in result.stderr
