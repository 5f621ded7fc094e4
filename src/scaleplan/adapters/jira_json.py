"""Jira REST v2/v3 issues (``expand=changelog``) -> history items.

Used for files (a saved search response ``{"issues": [...]}``, a JSON array of issues, or
JSON Lines, optionally gzipped) and by the live client. Custom fields are found by name:
story points (``Story Points``, ``Story point estimate``), ``Sprint``, ``Epic Link`` and
``Team``, through the ``names`` map of a search made with ``expand=names``, the ``/field``
endpoint, or an explicit ``--field story_points=customfield_10016``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from scaleplan.adapters.dates import DateError, parse_date, parse_datetime
from scaleplan.model.history import (
    History,
    HistoryItem,
    ImportProblem,
    ImportReport,
    Link,
    Transition,
    Version,
    first_start,
    last_done,
    status_category,
)

#: Logical field -> names Jira sites use for it (compared case-insensitively).
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "story_points": ("story points", "story point estimate", "story points estimate"),
    "sprint": ("sprint",),
    "epic": ("epic link",),
    "team": ("team",),
}
_CATEGORY = {"new": "todo", "indeterminate": "in-progress", "done": "done"}
_SPRINT_NAME = re.compile(r"name=([^,\]]*)")


def resolve_fields(
    names: Mapping[str, str] | None, overrides: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Logical field -> Jira field id, from an id -> display-name map (``names`` of a search
    response, or built from ``/rest/api/2/field``). ``overrides`` map a logical field to an id
    or a display name."""
    by_name: dict[str, str] = {}
    for field_id, name in (names or {}).items():
        if isinstance(name, str):
            by_name.setdefault(name.strip().lower(), field_id)
    out: dict[str, str] = {}
    for logical, candidates in FIELD_NAMES.items():
        for candidate in candidates:
            if candidate in by_name:
                out[logical] = by_name[candidate]
                break
    for logical, target in (overrides or {}).items():
        if logical not in FIELD_NAMES:
            raise ValueError(
                f"unknown field {logical!r}; expected one of {', '.join(sorted(FIELD_NAMES))}"
            )
        out[logical] = by_name.get(target.strip().lower(), target)
    return out


def parse_issues(
    records: Iterable[tuple[int, Any]],
    *,
    source: str,
    names: Mapping[str, str] | None = None,
    fields: Mapping[str, str] | None = None,
    team: str | None = None,
    problems: Iterable[ImportProblem] = (),
    format: str = "jira-json",
) -> History:
    """Build a :class:`History` from Jira issue objects ``(line, issue)``; bad records are
    reported with their line and skipped."""
    field_ids = resolve_fields(names, fields)
    report: list[ImportProblem] = list(problems)
    categories: dict[str, str] = {}
    parsed: list[tuple[HistoryItem, bool]] = []
    seen: set[str] = set()
    count = 0
    for line, issue in records:
        count += 1
        try:
            item, current_done = _issue(issue, line, field_ids, categories, team)
        except (DateError, ValueError, TypeError, KeyError, AttributeError) as exc:
            report.append(ImportProblem(line, _reason(exc)))
            continue
        if item.key in seen:
            report.append(ImportProblem(line, f"duplicate key {item.key}; kept the first"))
            continue
        seen.add(item.key)
        parsed.append((item, current_done))
    items: list[HistoryItem] = []
    for item, current_done in parsed:
        started = first_start(item.transitions, categories)
        done = item.done
        if done is None and current_done:
            done = last_done(item.transitions, categories)
        if done is not None and started is not None and started > done:
            started = None
        items.append(_replace(item, started=started, done=done))
    return History(
        tuple(items),
        name=source,
        report=ImportReport(source, format, count, len(items), tuple(report)),
        categories=categories,
    )


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing {exc.args[0]!r}"
    return str(exc)


def _replace(item: HistoryItem, **changes: Any) -> HistoryItem:
    from dataclasses import replace

    return replace(item, **changes)


def _issue(
    issue: Any,
    line: int,
    field_ids: Mapping[str, str],
    categories: dict[str, str],
    team_default: str | None,
) -> tuple[HistoryItem, bool]:
    if not isinstance(issue, dict):
        raise ValueError(f"expected an issue object, got {type(issue).__name__}")
    key = issue.get("key")
    if not isinstance(key, str) or not key:
        raise ValueError("issue has no 'key'")
    fields = issue.get("fields")
    if not isinstance(fields, dict):
        raise ValueError(f"{key}: no 'fields' object")
    status_obj = fields.get("status") or {}
    status = _name(status_obj)
    category = _CATEGORY.get(((status_obj or {}).get("statusCategory") or {}).get("key", ""))
    if status and category:
        categories[status.lower()] = category
    transitions = _transitions(issue.get("changelog"), key)
    created = parse_datetime(fields.get("created"))
    done = parse_datetime(fields.get("resolutiondate"))
    current_done = category == "done" if category else status_category(status, categories) == "done"
    project_obj = fields.get("project")
    project = project_obj.get("key") if isinstance(project_obj, dict) else None
    if project is None and "-" in key:
        project = key.rsplit("-", 1)[0]
    parent_obj = fields.get("parent")
    parent = parent_obj.get("key") if isinstance(parent_obj, dict) else None
    epic = _plain(fields.get(field_ids["epic"])) if "epic" in field_ids else None
    if epic is None and isinstance(parent_obj, dict):
        parent_type = ((parent_obj.get("fields") or {}).get("issuetype") or {}).get("name")
        if isinstance(parent_type, str) and parent_type.lower() == "epic":
            epic = parent
    team = _plain(fields.get(field_ids["team"])) if "team" in field_ids else None
    item = HistoryItem(
        key=key,
        type=_name(fields.get("issuetype")),
        title=fields.get("summary") if isinstance(fields.get("summary"), str) else None,
        project=project,
        status=status,
        created=created,
        started=None,
        done=done,
        resolution=_name(fields.get("resolution")),
        transitions=transitions,
        points=_number(fields.get(field_ids["story_points"]), "story points")
        if "story_points" in field_ids
        else None,
        links=_links(fields.get("issuelinks")),
        parent=parent,
        epic=epic,
        sprints=_sprints(fields.get(field_ids["sprint"])) if "sprint" in field_ids else (),
        fix_versions=_versions(fields.get("fixVersions")),
        team=team or team_default,
        labels=tuple(str(label) for label in fields.get("labels") or ()),
        components=tuple(
            n for n in (_name(c) for c in fields.get("components") or ()) if n is not None
        ),
        line=line,
    )
    return item, current_done


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ("name", "value", "title", "displayName"):
            if isinstance(value.get(key), str):
                return str(value[key])
        return None
    if isinstance(value, str):
        return value
    return None


def _plain(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value or None
    if isinstance(value, dict):
        return _name(value) or (str(value["key"]) if "key" in value else None)
    if isinstance(value, list) and value:
        return _plain(value[0])
    return str(value)


def _number(value: Any, what: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{what} is not a number: {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} is not a number: {value!r}") from None


def _transitions(changelog: Any, key: str) -> tuple[Transition, ...]:
    if not isinstance(changelog, dict):
        return ()
    out: list[Transition] = []
    for history in changelog.get("histories") or ():
        at = parse_datetime(history.get("created"))
        if at is None:
            raise ValueError(f"{key}: changelog entry without a date")
        for change in history.get("items") or ():
            if change.get("field") == "status" or change.get("fieldId") == "status":
                to_status = change.get("toString")
                if not isinstance(to_status, str):
                    raise ValueError(f"{key}: status change without 'toString'")
                out.append(Transition(at, change.get("fromString"), to_status))
    out.sort(key=lambda t: t.at)
    return tuple(out)


def _links(value: Any) -> tuple[Link, ...]:
    out: list[Link] = []
    for link in value or ():
        kind_obj = link.get("type") or {}
        kind = kind_obj.get("name") or "link"
        if isinstance(link.get("outwardIssue"), dict):
            out.append(Link(kind, link["outwardIssue"]["key"], "outward", kind_obj.get("outward")))
        if isinstance(link.get("inwardIssue"), dict):
            out.append(Link(kind, link["inwardIssue"]["key"], "inward", kind_obj.get("inward")))
    return tuple(out)


def _versions(value: Any) -> tuple[Version, ...]:
    out: list[Version] = []
    for version in value or ():
        name = _name(version)
        if name is None:
            continue
        released = version.get("released") if isinstance(version, dict) else None
        release = version.get("releaseDate") if isinstance(version, dict) else None
        out.append(
            Version(name, parse_date(release), released if isinstance(released, bool) else None)
        )
    return tuple(out)


def _sprints(value: Any) -> tuple[str, ...]:
    out: list[str] = []
    for sprint in value if isinstance(value, list) else ([value] if value else []):
        if isinstance(sprint, dict) and isinstance(sprint.get("name"), str):
            out.append(sprint["name"])
        elif isinstance(sprint, str):
            match = _SPRINT_NAME.search(sprint)
            out.append(match.group(1) if match else sprint)
    return tuple(out)


__all__ = ["FIELD_NAMES", "parse_issues", "resolve_fields"]
