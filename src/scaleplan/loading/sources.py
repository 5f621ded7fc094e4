"""Find the files of a program repository and read them into raw fragments with locations."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaleplan.loading.diagnostics import Diagnostic
from scaleplan.loading.yamlsrc import ParsedFile, YamlSyntaxError, parse_yaml

#: Directories never searched for program files (``contracts`` holds API specs).
SKIPPED_DIRS = frozenset(
    {"scenarios", "snapshots", "out", "build", "node_modules", "venv", "contracts"}
)
ROOT_FILE = "program.yaml"


@dataclass
class SourceFile:
    """One file of a program, parsed. ``rel`` is the path shown in diagnostics."""

    path: Path
    rel: str
    parsed: ParsedFile | None = None
    #: For CSV files: the section and the rows as raw mappings.
    csv_section: str | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def discover(root: Path) -> tuple[Path, list[Path]]:
    """The base directory and the program's files, ``program.yaml`` first, then sorted.

    ``root`` is a directory holding ``program.yaml`` or a single YAML file.
    """
    if root.is_file():
        return root.parent, [root]
    files: list[Path] = []
    main = root / ROOT_FILE
    if main.exists():
        files.append(main)
    for path in sorted(root.rglob("*")):
        rel_parts = path.relative_to(root).parts
        if any(p.startswith(".") or p in SKIPPED_DIRS for p in rel_parts[:-1]):
            continue
        if path.name.startswith(".") or not path.is_file() or path == main:
            continue
        if path.suffix in {".yaml", ".yml"} or (path.suffix == ".csv" and rel_parts[0] == "work"):
            files.append(path)
    return root, files


def read_source(path: Path, base: Path) -> SourceFile:
    rel = path.relative_to(base).as_posix() if path.is_relative_to(base) else str(path)
    source = SourceFile(path=path, rel=rel)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        source.diagnostics.append(
            Diagnostic(
                "E002",
                f"file is not UTF-8 text (byte {exc.start})",
                file=rel,
                hint="save it as UTF-8",
            )
        )
        return source
    except OSError as exc:
        source.diagnostics.append(Diagnostic("E002", f"cannot read file: {exc.strerror}", file=rel))
        return source
    if path.suffix == ".csv":
        source.csv_section = "work_items"
        source.parsed = parse_csv(text, rel, source.diagnostics)
        return source
    try:
        source.parsed = parse_yaml(text)
    except YamlSyntaxError as exc:
        source.diagnostics.append(
            Diagnostic(
                "E100",
                f"YAML syntax error: {exc.message}",
                file=rel,
                line=exc.line,
                column=exc.column,
                hint="check indentation, a missing ':' or an unclosed quote or bracket",
            )
        )
    return source


#: CSV columns that hold lists (separated by ';' or ',' inside the cell).
_CSV_LISTS = {"depends_on", "skills"}
_CSV_NUMBERS = {"effort", "points", "low", "high", "progress"}
_CSV_INTS = {"max_people"}


def parse_csv(text: str, rel: str, diagnostics: list[Diagnostic]) -> ParsedFile:
    """Work items from CSV: a header row of field names, one item a row."""
    parsed = ParsedFile(value={"work_items": []})
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return parsed
    except csv.Error as exc:
        diagnostics.append(Diagnostic("E109", f"CSV cannot be read: {exc}", file=rel, line=1))
        return parsed
    header = [h.strip() for h in header]
    rows: list[dict[str, Any]] = parsed.value["work_items"]
    line_start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            diagnostics.append(
                Diagnostic("E109", f"CSV cannot be read: {exc}", file=rel, line=reader.line_num)
            )
            break
        line = line_start
        line_start = reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        index = len(rows)
        parsed.locations[("work_items", index)] = (line, 1)
        if len(cells) != len(header):
            diagnostics.append(
                Diagnostic(
                    "E109",
                    f"row has {len(cells)} cells but the header has {len(header)}",
                    file=rel,
                    line=line,
                    column=1,
                    path=f"work_items[{index}]",
                    hint="quote cells that contain commas",
                )
            )
            continue
        row: dict[str, Any] = {}
        column = 1
        for name, cell in zip(header, cells, strict=True):
            parsed.locations[("work_items", index, name)] = (line, column)
            parsed.key_locations[("work_items", index, name)] = (line, column)
            column += len(cell) + 1
            value = cell.strip()
            if value == "":
                continue
            row[name] = _csv_value(name, value)
        rows.append(row)
    return parsed


def _csv_value(name: str, value: str) -> Any:
    if name in _CSV_LISTS:
        sep = ";" if ";" in value else ","
        return [v.strip() for v in value.split(sep) if v.strip()]
    if name in _CSV_NUMBERS:
        try:
            return float(value)
        except ValueError:
            return value
    if name in _CSV_INTS:
        try:
            return int(value)
        except ValueError:
            return value
    return value
