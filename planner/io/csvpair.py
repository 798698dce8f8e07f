"""CSV files in and out: the Gephi-style node/link pair, and the tolerant CSV reader the HR import shares.

An org is written as two tables side by side: ``nodes.csv`` (one row per
node: id, kind, name and the other attributes, plus the org's name and
profile on the first row) and ``links.csv`` (source, target, kind). Reading
either file of a pair reads both. Cells a spreadsheet would run as a formula
(a leading ``=``, ``+``, ``-``, ``@``, tab or carriage return) are written
with a single quote in front, and that exact prefix is removed on reading, so
a round trip gives back the same text. Reading accepts a UTF-8 byte-order
mark, Windows-1252 text and comma, semicolon, tab or pipe separators.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from planner.io.atomic import complete_interrupted
from planner.io.errors import InvalidFormatError, LoadError, Problem, SaveError, shortened
from planner.io.native import MAX_FILE_BYTES, node_record, set_saved_duties, write_all_atomically
from planner.io.native import read_bytes_capped as native_read_bytes_capped
from planner.model.org import Link, ModelError, Org, make_node, validate_node_value
from planner.model.vocabulary import DEFAULT_PROFILE, LINK_KINDS, PROFILES

#: Columns of nodes.csv, in the order they are written.
NODE_COLUMNS = ("id", "kind", "name", "title", "notes", "x", "y", "vacant", "size", "scope", "ignore")
#: Columns that carry the org itself; only the first data row fills them.
ORG_COLUMNS = ("org_name", "org_profile")
LINK_COLUMNS = ("source", "target", "kind")
#: A product's own responsibility matrix, as JSON, on its row; written only when some product has one.
DUTIES_COLUMN = "duties"

_NUMBER_COLUMNS = frozenset({"x", "y", "size"})
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_DELIMITERS = ",;\t|"
_SNIFF_CHARS = 16 * 1024


# -- formula neutralisation ---------------------------------------------------


def _needs_quote(value: str) -> bool:
    # A value that already starts with the quote mark and would itself need one
    # gets a second mark, so that reading strips exactly one and nothing more.
    if value.startswith(_FORMULA_STARTS):
        return True
    return value.startswith("'") and _needs_quote(value[1:])


def neutralise(value: str) -> str:
    """Put a single quote before text a spreadsheet would run as a formula (``=SUM(...)`` → ``'=SUM(...)``)."""
    return "'" + value if _needs_quote(value) else value


def restore(value: str) -> str:
    """Undo :func:`neutralise`: remove the quote it added, and only that quote."""
    return value[1:] if value.startswith("'") and _needs_quote(value[1:]) else value


# -- reading any CSV ----------------------------------------------------------


def decode_text(raw: bytes, path: str | Path | None) -> str:
    """Text of a CSV file: UTF-8 (with or without a byte-order mark), UTF-16 with a mark, else Windows-1252.

    A file that is UTF-8 in places and something else in others (two exports
    pasted together) is refused, naming the first line that is not UTF-8:
    read as Windows-1252 it would turn every "ü" of the UTF-8 part into "Ã¼".
    Text holding a NUL character is refused too: no name has one, and a file
    with them is binary or in an encoding not guessed.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _without_nul(raw.decode("utf-16"), path)
        except UnicodeDecodeError as exc:
            raise InvalidFormatError(path, Problem(f"broken UTF-16 text (byte {exc.start})")) from None
    try:
        return _without_nul(raw.decode("utf-8-sig"), path)
    except UnicodeDecodeError as exc:
        bad = exc.start
    if _UTF8_SEQUENCE.search(raw) is not None:
        line = raw.count(b"\n", 0, bad) + 1
        raise InvalidFormatError(
            path,
            Problem(
                f"mixes UTF-8 with another encoding: this line is not UTF-8 (byte 0x{raw[bad]:02x}); "
                "save the whole file as UTF-8",
                line,
            ),
        )
    try:
        return _without_nul(raw.decode("cp1252"), path)
    except UnicodeDecodeError as exc:
        raise InvalidFormatError(path, Problem(f"neither UTF-8 nor Windows-1252 text (byte {exc.start})")) from None


#: A well-formed UTF-8 sequence of two to four bytes (one accented letter, symbol or emoji).
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _without_nul(text: str, path: str | Path | None) -> str:
    position = text.find("\x00")
    if position >= 0:
        line = text.count("\n", 0, position) + 1
        raise InvalidFormatError(
            path, Problem("holds a NUL character (a binary file, or text in an encoding not recognised)", line)
        )
    return text


def guess_delimiter(text: str) -> str:
    """The separator of a CSV text: what :class:`csv.Sniffer` finds, else the one the header line uses most."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    try:
        delimiter = csv.Sniffer().sniff(text[:_SNIFF_CHARS], delimiters=_DELIMITERS).delimiter
    except csv.Error:
        delimiter = None
    # The sniffer can be fooled by commas inside names; a separator the header
    # line does not even contain is surely wrong.
    if delimiter is None or delimiter not in header:
        counts = {candidate: header.count(candidate) for candidate in _DELIMITERS}
        best = max(counts, key=counts.get)
        delimiter = best if counts[best] else ","
    return delimiter


def read_bytes_capped(path: str | Path, limit: int | None = None) -> bytes:
    """The bytes of a file, refusing one over ``limit`` (default :data:`MAX_FILE_BYTES`) before reading it."""
    return native_read_bytes_capped(path, MAX_FILE_BYTES if limit is None else limit)


#: One line with its ending (\r\n, \r or \n), as ``io.StringIO(text, newline="")`` would give it.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _lines(text: str):
    """The lines of ``text`` one at a time: a StringIO would hold a second copy of the text, four bytes a character."""
    return map(re.Match.group, _LINE.finditer(text))  # in C, no frame per line


def read_csv(path: str | Path, max_rows: int | None = None) -> list[tuple[int, list[str]]]:
    """Every record of a CSV file with its row number as a spreadsheet shows it (the first line is row 1).

    With ``max_rows``, a file of more rows is refused as soon as the row after the last allowed one is read.
    Rows with nothing in them are left out (every reader skips them): a million blank lines take a megabyte
    on disk and would take a hundred in memory.
    """
    text = decode_text(read_bytes_capped(path), path)
    # Strict: a quote left open would otherwise swallow the rest of the file into one cell.
    reader = csv.reader(_lines(text), delimiter=guess_delimiter(text), strict=True)
    records: list[tuple[int, list[str]]] = []
    row = 0
    try:
        for row, cells in enumerate(reader, start=1):
            if max_rows is not None and row > max_rows:
                raise LoadError(path, f"the file has more than {max_rows:,} rows")
            if any(map(str.strip, cells)):
                records.append((row, cells))
    except csv.Error as exc:
        raise InvalidFormatError(path, Problem(f"malformed CSV: {exc}", where=f"row {row + 1}")) from None
    return records


# -- the node/link pair -------------------------------------------------------


def pair_paths(path: str | Path) -> tuple[Path, Path]:
    """The (nodes, links) files of a pair, from either one.

    ``nodes.csv`` ↔ ``links.csv``, ``acme-nodes.csv`` ↔ ``acme-links.csv``;
    any other name ``acme.csv`` is the nodes file and ``acme-links.csv`` its links.
    """
    path = Path(path)
    stem, suffix = path.stem, path.suffix
    lowered = stem.lower()
    if lowered.endswith("links"):
        return path.with_name(stem[: -len("links")] + _same_case("nodes", stem[-5:]) + suffix), path
    if lowered.endswith("nodes"):
        return path, path.with_name(stem[: -len("nodes")] + _same_case("links", stem[-5:]) + suffix)
    return path, path.with_name(f"{stem}-links{suffix}")


def _same_case(word: str, like: str) -> str:
    if like.isupper():
        return word.upper()
    if like[:1].isupper():
        return word.capitalize()
    return word


def _cell_text(name: str, value: Any) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "true"
    if name == "ignore":
        return ";".join(value)
    if name in _NUMBER_COLUMNS:
        return str(value)
    return neutralise(str(value))


def _rows_text(header: tuple[str, ...], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def dumps(org: Org) -> tuple[str, str]:
    """The texts of nodes.csv and links.csv, in the same stable order as the native format."""
    node_rows = []
    duties = org.saved_duties()
    for index, node in enumerate(sorted(org.nodes(), key=lambda n: n.id)):
        record = node_record(node)
        row = [_cell_text(name, record.get(name)) for name in NODE_COLUMNS]
        row += [neutralise(org.name), org.profile] if index == 0 else ["", ""]
        if duties:
            row.append(json.dumps(duties[node.id], ensure_ascii=False) if node.id in duties else "")
        node_rows.append(row)
    link_rows = [[neutralise(part) for part in link.key] for link in sorted(org.links(), key=lambda link: link.key)]
    header = NODE_COLUMNS + ORG_COLUMNS + ((DUTIES_COLUMN,) if duties else ())
    return _rows_text(header, node_rows), _rows_text(LINK_COLUMNS, link_rows)


def save(org: Org, path: str | Path) -> None:
    """Write the pair: ``path`` names the nodes file, the links file goes beside it (see :func:`pair_paths`)."""
    nodes_path, links_path = pair_paths(path)
    if Path(path) == links_path:
        raise SaveError(f"{path}: name the nodes file (e.g. nodes.csv); links.csv is written beside it")
    nodes_text, links_text = dumps(org)
    write_all_atomically({nodes_path: nodes_text, links_path: links_text})


def _header_index(
    path: Path, records: list[tuple[int, list[str]]], required: tuple[str, ...]
) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    while records and not any(cell.strip() for cell in records[0][1]):
        records = records[1:]
    if not records:
        raise InvalidFormatError(path, Problem("the file is empty; expected a header row"))
    header_row, header = records[0]
    index: dict[str, int] = {}
    for position, title in enumerate(header):
        key = title.strip().lower()
        if key == "label" and "name" not in (h.strip().lower() for h in header):
            key = "name"  # Gephi calls the displayed name "Label"
        index.setdefault(key, position)
    missing = [name for name in required if name not in index]
    if missing:
        hint = ""
        if "kind" in missing:
            hint = "; a people list from HR is read with 'planner import' (or Import people in the editor)"
        raise InvalidFormatError(
            path,
            Problem(
                f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}{hint}", where=f"row {header_row}"
            ),
        )
    return index, records[1:]


def _cell(cells: list[str], index: dict[str, int], name: str) -> str:
    position = index.get(name)
    if position is None or position >= len(cells):
        return ""
    return restore(cells[position])


def _node_value(name: str, text: str) -> Any:
    text = text.strip() if name not in ("id", "name", "title", "notes") else text
    if name in ("x", "y"):
        return float(text)
    if name == "size":
        return int(float(text)) if float(text).is_integer() else float(text)
    if name == "vacant":
        lowered = text.lower()
        if lowered not in ("true", "false", "yes", "no", "1", "0"):
            raise ValueError("expected true or false")
        return lowered in ("true", "yes", "1")
    if name == "ignore":
        return [code.strip() for code in text.replace(",", ";").split(";") if code.strip()]
    return text


def _default_name(path: Path) -> str:
    stem = path.stem
    if stem.lower().endswith("nodes"):
        stem = stem[: -len("nodes")].rstrip(" -_.")
    return stem or path.resolve().parent.name or "Imported org"


def _read_nodes(path: Path, problems: list[Problem], duties: dict[str, Any] | None = None) -> Org:
    index, records = _header_index(path, read_csv(path), ("id", "kind"))
    org_cells: dict[str, Any] = {}
    nodes = []
    for row, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        matrix = _cell(cells, index, DUTIES_COLUMN).strip()
        if matrix and duties is not None:
            try:
                duties[_cell(cells, index, "id")] = json.loads(matrix)
            except ValueError as exc:
                problems.append(Problem(f"not a JSON object: {exc}", where=f"{path.name} row {row}, column 'duties'"))
        if not org_cells:
            org_cells = {
                "row": row,
                "name": _cell(cells, index, "org_name"),
                "profile": _cell(cells, index, "org_profile"),
            }
        values: dict[str, Any] = {}
        for column in NODE_COLUMNS:
            text = _cell(cells, index, column)
            if column not in ("id", "kind", "name") and not (text if column in ("title", "notes") else text.strip()):
                continue
            try:
                values[column] = validate_node_value(column, _node_value(column, text))
            except (ValueError, OverflowError, ModelError) as exc:
                problems.append(
                    Problem(f"bad value {shortened(text)}: {exc}", where=f"{path.name} row {row}, column {column!r}")
                )
        nodes.append((row, values))
    profile = org_cells.get("profile") or DEFAULT_PROFILE
    if profile not in PROFILES:
        problems.append(
            Problem(
                f"unknown profile {profile!r} (expected one of {', '.join(PROFILES)})",
                where=f"{path.name} row {org_cells['row']}, column 'org_profile'",
            )
        )
        profile = DEFAULT_PROFILE
    # The org_name column is ours: when it is there, even an empty cell is the name.
    org = Org(org_cells["name"] if "org_name" in index and org_cells else _default_name(path), profile)
    first_row: dict[str, int] = {}
    for row, values in nodes:
        if "id" not in values or "kind" not in values:
            continue  # the bad cell was reported above
        node_id = values["id"]
        if node_id in first_row:
            problems.append(
                Problem(
                    f"duplicate id {node_id!r} (first on row {first_row[node_id]})",
                    where=f"{path.name} row {row}, column 'id'",
                )
            )
            continue
        org.add_node(make_node(**values))
        first_row[node_id] = row
    return org


def _read_links(path: Path, org: Org, problems: list[Problem]) -> None:
    index, records = _header_index(path, read_csv(path), LINK_COLUMNS)
    for row, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        where = f"{path.name} row {row}"
        source, target, kind = (_cell(cells, index, column) for column in LINK_COLUMNS)
        kind = kind.strip()
        bad = False
        for column, value in (("source", source), ("target", target)):
            if value not in org:
                problems.append(Problem(f"no node with id {value!r}", where=f"{where}, column {column!r}"))
                bad = True
        if kind not in LINK_KINDS:
            problems.append(
                Problem(
                    f"unknown link kind {kind!r} (expected one of {', '.join(LINK_KINDS)})",
                    where=f"{where}, column 'kind'",
                )
            )
            bad = True
        if bad:
            continue
        link = Link(source, target, kind)
        if org.has_link(link):
            problems.append(Problem(f"duplicate link {source} -[{kind}]-> {target}", where=where))
            continue
        org.add_link(link)


def load(path: str | Path) -> Org:
    """Read a node/link pair from either of its files; a missing links file means an org without links.

    A save of the pair killed between its two renames is finished first, so the two files always match.
    """
    nodes_path, links_path = pair_paths(path)
    try:
        complete_interrupted(nodes_path)
    except SaveError as exc:
        raise LoadError(nodes_path, f"an interrupted save of this pair could not be finished: {exc}") from None
    if not nodes_path.exists():
        raise LoadError(nodes_path, "the nodes file of this pair is missing")
    problems: list[Problem] = []
    duties: dict[str, Any] = {}
    org = _read_nodes(nodes_path, problems, duties)
    if links_path.exists():
        _read_links(links_path, org, problems)
    if duties and not problems:
        problems += set_saved_duties(org, duties, f"{nodes_path.name} column 'duties'")
    if problems:
        raise InvalidFormatError(path, problems)
    return org
