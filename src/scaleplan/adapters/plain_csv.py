"""Simple tabular histories -> history items.

* ``csv``: a plain CSV with a header naming at least an id and a done column
  (``id, created, done[, started, points, type, project, team, title, status]``). Common
  spellings are accepted (``key``, ``issue_key``, ``created_date``, ``finished_date``,
  ``resolved``, ``closed_at``, ``story_points``...). Blank done means not finished.
* ``tawos``: the TAWOS issue export (``Issue_Key, Creation_Date, Resolution_Date, Story_Point,
  In_Progress_Minutes, Resolution_Time_Minutes``...; ``NULL`` for missing). ``started`` is
  ``Resolution_Date - Resolution_Time_Minutes`` for issues that were ever In Progress
  (``In_Progress_Minutes > 0``); TAWOS defines that time from first In Progress to resolved.
* ``dates``: one completion date per line, no header (TAWOS completion dates): each line is
  a finished item with only a done date.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping

from scaleplan.adapters.dates import DateError, parse_datetime
from scaleplan.errors import InputError
from scaleplan.model.history import History, HistoryItem, ImportProblem, ImportReport

COLUMNS: dict[str, tuple[str, ...]] = {
    "key": ("issue_key", "key", "id", "issue", "issue_id", "number", "item"),
    "created": ("created", "created_date", "creation_date", "created_at", "opened"),
    "done": (
        "done",
        "done_date",
        "finished",
        "finished_date",
        "resolved",
        "resolution_date",
        "resolved_date",
        "closed",
        "closed_at",
        "completed",
        "completed_date",
    ),
    "started": ("started", "start", "started_at", "start_date", "in_progress", "in_progress_date"),
    "points": ("points", "story_points", "story_point", "sp", "estimate"),
    "type": ("type", "issue_type", "kind"),
    "project": ("project", "project_key"),
    "team": ("team",),
    "title": ("title", "summary", "name"),
    "status": ("status", "state"),
    "resolution": ("resolution",),
    "parent": ("parent", "epic"),
}
_NULL = {"", "null", "none", "nan", "na", "n/a"}


def _norm(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def parse_plain_csv(
    text: str, *, source: str, team: str | None = None, columns: Mapping[str, str] | None = None
) -> History:
    """Parse a plain CSV; ``columns`` maps a logical column to a header name."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{source}: empty CSV") from None
    index = {_norm(h): i for i, h in reversed(list(enumerate(header)))}
    found: dict[str, int] = {}
    for logical, names in COLUMNS.items():
        for name in names:
            if name in index:
                found[logical] = index[name]
                break
    for logical, name in (columns or {}).items():
        if logical not in COLUMNS:
            raise InputError(f"unknown column {logical!r}; expected one of {', '.join(COLUMNS)}")
        if _norm(name) not in index:
            raise InputError(f"no column {name!r} in the CSV header")
        found[logical] = index[_norm(name)]
    missing = [c for c in ("key", "done") if c not in found]
    if missing:
        raise InputError(
            f"{source}: the CSV needs an id and a done column (missing {', '.join(missing)}); "
            f"header is {', '.join(header)}"
        )
    tawos = "resolution_time_minutes" in index and "in_progress_minutes" in index
    problems: list[ImportProblem] = []
    items: list[HistoryItem] = []
    seen: set[str] = set()
    records = 0
    line_end = 1
    for row in reader:
        line = line_end + 1
        line_end = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        records += 1
        if len(row) < len(header):
            problems.append(ImportProblem(line, f"expected {len(header)} columns, got {len(row)}"))
            continue

        def cell(name: str, row: list[str] = row) -> str | None:
            position = found.get(name)
            if position is None:
                return None
            value = row[position].strip()
            return None if value.lower() in _NULL else value

        key = cell("key")
        if key is None:
            problems.append(ImportProblem(line, "no id"))
            continue
        try:
            created = _date(cell("created"), "created", key)
            done = _date(cell("done"), "done", key)
            started = _date(cell("started"), "started", key)
            points_text = cell("points")
            points = float(points_text) if points_text is not None else None
            if tawos:
                started = _tawos_start(row, index, done, key)
        except ValueError as exc:
            problems.append(ImportProblem(line, str(exc)))
            continue
        if key in seen:
            problems.append(ImportProblem(line, f"duplicate id {key}; kept the first"))
            continue
        seen.add(key)
        if created is not None and done is not None and done < created:
            problems.append(
                ImportProblem(
                    line, f"{key}: done ({done:%Y-%m-%d}) before created; kept", skipped=False
                )
            )
        project = cell("project")
        if project is None and tawos and "-" in key:
            project = key.rsplit("-", 1)[0]
        items.append(
            HistoryItem(
                key=key,
                type=cell("type"),
                title=cell("title"),
                project=project,
                status=cell("status"),
                created=created,
                started=started,
                done=done,
                resolution=cell("resolution"),
                points=points,
                parent=cell("parent"),
                team=cell("team") or team,
                line=line,
            )
        )
    return History(
        tuple(items),
        name=source,
        report=ImportReport(
            source, "tawos" if tawos else "csv", records, len(items), tuple(problems)
        ),
    )


def _tawos_start(
    row: list[str], index: Mapping[str, int], done: dt.datetime | None, key: str
) -> dt.datetime | None:
    in_progress = row[index["in_progress_minutes"]].strip()
    minutes = row[index["resolution_time_minutes"]].strip()
    if done is None or in_progress.lower() in _NULL or minutes.lower() in _NULL:
        return None
    try:
        if float(in_progress) <= 0:
            return None
        return done - dt.timedelta(minutes=float(minutes))
    except ValueError:
        raise ValueError(f"{key}: minutes are not numbers") from None


def _date(value: str | None, column: str, key: str) -> dt.datetime | None:
    try:
        return parse_datetime(value)
    except DateError:
        raise ValueError(f"{key}: {column} {value!r} is not a date") from None


def parse_dates(text: str, *, source: str, team: str | None = None) -> History:
    """One completion date per line (blank lines ignored); each becomes a finished item."""
    problems: list[ImportProblem] = []
    items: list[HistoryItem] = []
    records = 0
    stem = source.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    for number, line in enumerate(text.split("\n"), start=1):
        value = line.strip().strip('"')
        if not value:
            continue
        records += 1
        try:
            done = parse_datetime(value)
        except DateError:
            problems.append(ImportProblem(number, f"not a date: {value!r}"))
            continue
        if done is None:
            problems.append(ImportProblem(number, "empty date"))
            continue
        items.append(HistoryItem(key=f"{stem}-{number}", done=done, team=team, line=number))
    return History(
        tuple(items),
        name=source,
        report=ImportReport(source, "dates", records, len(items), tuple(problems)),
    )


__all__ = ["COLUMNS", "parse_dates", "parse_plain_csv"]
