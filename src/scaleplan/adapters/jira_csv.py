"""Jira CSV exports ("Export Excel CSV (all fields)") -> history items.

Handles what real exports contain: a UTF-8 BOM, CRLF line ends, multi-line quoted fields
(descriptions), repeated headers for multi-value fields (``Sprint``, ``Fix Version/s``,
``Labels``, ``Outward issue link (Blocks)`` appear once per value), locale dates such as
``14/Jul/25 3:42 PM``, and decimal commas in story points. The CSV has no status history:
``started`` is only known for items currently in progress, from ``Status Category Changed``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from scaleplan.adapters.dates import DateError, parse_datetime
from scaleplan.errors import InputError
from scaleplan.model.history import (
    History,
    HistoryItem,
    ImportProblem,
    ImportReport,
    Link,
    Version,
    status_category,
)

#: Logical column -> header names (lower-case) in the order they are tried.
COLUMNS: dict[str, tuple[str, ...]] = {
    "key": ("issue key", "key"),
    "id": ("issue id",),
    "type": ("issue type", "issuetype"),
    "summary": ("summary",),
    "project": ("project key",),
    "status": ("status",),
    "status_category": ("status category",),
    "category_changed": ("status category changed",),
    "created": ("created",),
    "resolved": ("resolved", "resolution date"),
    "resolution": ("resolution",),
    "story_points": (
        "custom field (story points)",
        "story points",
        "custom field (story point estimate)",
        "story point estimate",
    ),
    "sprint": ("sprint", "custom field (sprint)"),
    "fix_versions": ("fix version/s", "fix versions", "fixversions"),
    "labels": ("labels",),
    "components": ("component/s", "components"),
    "epic": ("custom field (epic link)", "epic link"),
    "parent": ("parent", "parent id", "parent key"),
    "team": ("custom field (team)", "team"),
}
_LINK = re.compile(r"^(inward|outward) issue link \((.+)\)$")
_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]*-\d+$")
_CATEGORY_NAMES = {"to do": "todo", "in progress": "in-progress", "done": "done"}


def parse_jira_csv(
    text: str,
    *,
    source: str,
    fields: Mapping[str, str] | None = None,
    team: str | None = None,
) -> History:
    """Parse a Jira CSV export. ``fields`` maps a logical column (``story_points``, ``sprint``,
    ``epic``, ``team``) to a header name when a site names it differently."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InputError(f"{source}: empty CSV") from None
    except csv.Error as exc:
        raise InputError(f"{source}: cannot read the CSV header ({exc})") from None
    index: dict[str, list[int]] = {}
    for position, name in enumerate(header):
        index.setdefault(name.lower(), []).append(position)
    columns = _columns(index, fields)
    if "key" not in columns:
        raise InputError(f"{source}: no 'Issue key' column; is this a Jira CSV export?")
    links = [
        (m.group(1), m.group(2), position)
        for position, name in enumerate(header)
        if (m := _LINK.match(name.lower())) is not None
    ]
    link_kinds = {
        position: header[position][header[position].index("(") + 1 : -1] for *_, position in links
    }

    problems: list[ImportProblem] = []
    items: list[HistoryItem] = []
    ids: dict[str, str] = {}
    seen: set[str] = set()
    records = 0
    line_end = 1
    while True:
        line = line_end + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(ImportProblem(line, f"broken CSV ({exc})"))
            line_end = reader.line_num
            continue
        line_end = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        records += 1
        if len(row) < len(header) or any(cell.strip() for cell in row[len(header) :]):
            problems.append(ImportProblem(line, f"expected {len(header)} columns, got {len(row)}"))
            continue
        try:
            item, issue_id = _row(row, line, columns, links, link_kinds, team)
        except (DateError, ValueError) as exc:
            problems.append(ImportProblem(line, str(exc)))
            continue
        if item.key in seen:
            problems.append(ImportProblem(line, f"duplicate key {item.key}; kept the first"))
            continue
        seen.add(item.key)
        if issue_id:
            ids[issue_id] = item.key
        items.append(item)
    resolved: list[HistoryItem] = []
    for item in items:
        if item.parent is not None and not _KEY.match(item.parent):
            parent_key = ids.get(item.parent)
            if parent_key is None:
                problems.append(
                    ImportProblem(
                        item.line or 0,
                        f"{item.key}: parent id {item.parent} is not in the export",
                        skipped=False,
                    )
                )
            item = replace(item, parent=parent_key or item.parent)
        resolved.append(item)
    problems.sort(key=lambda p: p.line)
    return History(
        tuple(resolved),
        name=source,
        report=ImportReport(source, "jira-csv", records, len(resolved), tuple(problems)),
    )


def _columns(
    index: Mapping[str, list[int]], overrides: Mapping[str, str] | None
) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for logical, names in COLUMNS.items():
        for name in names:
            if name in index:
                out[logical] = index[name]
                break
    for logical, name in (overrides or {}).items():
        if logical not in COLUMNS:
            raise InputError(
                f"unknown field {logical!r}; expected one of {', '.join(sorted(COLUMNS))}"
            )
        if name.lower() not in index:
            raise InputError(f"no column {name!r} in the CSV header")
        out[logical] = index[name.lower()]
    return out


def _row(
    row: Sequence[str],
    line: int,
    columns: Mapping[str, list[int]],
    links: Sequence[tuple[str, str, int]],
    link_kinds: Mapping[int, str],
    team_default: str | None,
) -> tuple[HistoryItem, str | None]:
    def one(name: str) -> str | None:
        for position in columns.get(name, ()):
            value = row[position].strip()
            if value:
                return value
        return None

    def many(name: str) -> tuple[str, ...]:
        return tuple(row[p].strip() for p in columns.get(name, ()) if row[p].strip())

    key = one("key")
    if key is None:
        raise ValueError("no issue key")
    created = _date(one("created"), "Created", key)
    done = _date(one("resolved"), "Resolved", key)
    status = one("status")
    category = _CATEGORY_NAMES.get((one("status_category") or "").lower()) or status_category(
        status
    )
    started = None
    if category == "in-progress":
        started = _date(one("category_changed"), "Status Category Changed", key)
    points_text = one("story_points")
    points = None
    if points_text is not None:
        try:
            points = float(points_text.replace(",", "."))
        except ValueError:
            raise ValueError(f"{key}: story points {points_text!r} is not a number") from None
    item_links = tuple(
        Link(
            link_kinds[position],
            row[position].strip(),
            "inward" if direction == "inward" else "outward",
        )
        for direction, _kind, position in links
        if row[position].strip()
    )
    project = one("project") or (key.rsplit("-", 1)[0] if "-" in key else None)
    return (
        HistoryItem(
            key=key,
            type=one("type"),
            title=one("summary"),
            project=project,
            status=status,
            created=created,
            started=started,
            done=done,
            resolution=one("resolution"),
            points=points,
            links=item_links,
            parent=one("parent"),
            epic=one("epic"),
            sprints=many("sprint"),
            fix_versions=tuple(Version(name) for name in many("fix_versions")),
            team=one("team") or team_default,
            labels=many("labels"),
            components=many("components"),
            line=line,
        ),
        one("id"),
    )


def _date(value: str | None, column: str, key: str) -> dt.datetime | None:
    try:
        return parse_datetime(value)
    except DateError:
        raise ValueError(f"{key}: {column} {value!r} is not a date") from None


__all__ = ["COLUMNS", "parse_jira_csv"]
