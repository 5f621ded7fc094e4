"""Load a history from a file (format detected from its content) or a directory of files."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from scaleplan.adapters.github import parse_github
from scaleplan.adapters.jira_csv import parse_jira_csv
from scaleplan.adapters.jira_json import parse_issues
from scaleplan.adapters.plain_csv import parse_dates, parse_plain_csv
from scaleplan.adapters.sources import decode, first_json_object, json_records, read_bytes
from scaleplan.errors import InputError, UsageError
from scaleplan.model.history import History, ImportProblem

#: Formats ``load_history`` understands; ``auto`` detects one from the content.
FORMATS = ("auto", "jira-csv", "jira-json", "github-json", "csv", "tawos", "dates")
_DATE_LINE = re.compile(r'^"?\d{4}-\d{2}-\d{2}([ T][\d:.]+)?"?$')


def detect_format(text: str) -> str:
    """The history format of ``text``: JSON (Jira or GitHub, by keys), a Jira CSV export
    (an ``Issue key`` column), a TAWOS export, a plain CSV, or one date per line."""
    stripped = text.lstrip()
    if not stripped:
        raise InputError("the file is empty")
    if stripped[0] in "[{":
        records, envelope, _ = json_records(text)
        first = first_json_object(records)
        if first is None:
            if "issues" in envelope:
                return "jira-json"
            raise InputError("JSON without any object to import")
        if "fields" in first and "key" in first:
            return "jira-json"
        if "number" in first and ("html_url" in first or "state" in first):
            return "github-json"
        raise InputError(
            "JSON objects are neither Jira issues (key, fields) nor GitHub issues (number, state)"
        )
    first_line = stripped.splitlines()[0].strip()
    if _DATE_LINE.match(first_line):
        return "dates"
    header = {h.strip().strip('"').lower() for h in first_line.split(",")}
    if "issue key" in header:
        return "jira-csv"
    if "issue_key" in header and "resolution_time_minutes" in header:
        return "tawos"
    return "csv"


def load_history(
    path: str | Path,
    *,
    format: str = "auto",
    fields: Mapping[str, str] | None = None,
    team: str | None = None,
    name: str | None = None,
) -> History:
    """Import one history file. Bad rows are skipped and listed in ``history.report``.

    >>> history = load_history("tests/forecasting/data/jira_export.csv")  # doctest: +SKIP
    >>> history.report.skipped  # doctest: +SKIP
    """
    path = Path(path)
    if format not in FORMATS:
        raise UsageError(f"unknown history format {format!r}; expected one of {', '.join(FORMATS)}")
    text, latin1 = decode(read_bytes(path))
    source = name or str(path)
    kind = detect_format(text) if format == "auto" else format
    if kind in ("jira-json", "github-json"):
        records, envelope, problems = json_records(text)
        if kind == "jira-json":
            names = envelope.get("names") if isinstance(envelope.get("names"), dict) else None
            history = parse_issues(
                records, source=source, names=names, fields=fields, team=team, problems=problems
            )
        else:
            history = parse_github(records, source=source, team=team, problems=problems)
    elif kind == "jira-csv":
        history = parse_jira_csv(text, source=source, fields=fields, team=team)
    elif kind in ("csv", "tawos"):
        history = parse_plain_csv(text, source=source, team=team, columns=fields)
    else:
        history = parse_dates(text, source=source, team=team)
    if latin1 and history.report is not None:
        from dataclasses import replace

        note = ImportProblem(0, "not UTF-8; read as Latin-1", skipped=False)
        history = replace(
            history, report=replace(history.report, problems=(note, *history.report.problems))
        )
    return history


def load_histories(
    path: str | Path, *, format: str = "auto", fields: Mapping[str, str] | None = None
) -> list[History]:
    """Histories of a file or of every data file in a directory (sorted by name), each split
    by project when a file holds several."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    files = (
        sorted(
            p
            for p in path.iterdir()
            if p.is_file() and not p.name.startswith(".") and p.suffix.lower() != ".md"
        )
        if path.is_dir()
        else [path]
    )
    if not files:
        raise InputError(f"{path}: no history files in the directory")
    out: list[History] = []
    for file in files:
        history = load_history(
            file, format=format, fields=fields, name=file.stem if path.is_dir() else None
        )
        out.extend(history.by_project().values())
    return out


__all__ = ["FORMATS", "detect_format", "load_histories", "load_history"]
