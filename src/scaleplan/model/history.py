"""The work-item history model: what happened to each item, from any tracker.

Every importer (Jira CSV, Jira REST JSON, live Jira, GitHub, plain CSV, TAWOS exports, a list
of completion dates) produces one :class:`History`. Times are naive datetimes in UTC (offsets
in the source are converted, then dropped); a source with dates only gives midnight.

``History.as_of(when)`` is the view of the history that someone standing at ``when`` had:
items created later are gone, later transitions are dropped, later ``started``/``done``
become unknown. Backtests only ever forecast from such views, so no future data can leak.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

#: Status names that mean "not started" and "finished" when a tracker gives no category.
#: Everything else counts as in progress (``In Progress``, ``In Review``, ``Patch Available``...).
TODO_STATUSES = frozenset(
    {
        "open",
        "to do",
        "todo",
        "backlog",
        "new",
        "reopened",
        "selected for development",
        "ready",
        "ready for development",
        "triage",
        "needs triage",
        "proposed",
        "planned",
        "awaiting triage",
    }
)
DONE_STATUSES = frozenset(
    {
        "done",
        "closed",
        "resolved",
        "complete",
        "completed",
        "released",
        "cancelled",
        "canceled",
        "won't fix",
        "wont fix",
        "merged",
        "fixed",
    }
)

StatusCategory = Literal["todo", "in-progress", "done"]


def status_category(name: str | None, known: Mapping[str, str] | None = None) -> str:
    """Category of a status name: ``todo``, ``in-progress`` or ``done``.

    ``known`` maps lower-case names to categories a tracker reported (Jira's statusCategory);
    otherwise the built-in name lists decide and unknown names count as in progress.
    """
    if name is None:
        return "todo"
    key = name.strip().lower()
    if known and key in known:
        return known[key]
    if key in DONE_STATUSES:
        return "done"
    if key in TODO_STATUSES:
        return "todo"
    return "in-progress"


@dataclass(frozen=True, slots=True)
class Transition:
    """A status change: at ``at`` the item moved from ``from_status`` to ``to_status``."""

    at: dt.datetime
    from_status: str | None
    to_status: str

    def to_dict(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "from": self.from_status, "to": self.to_status}


@dataclass(frozen=True, slots=True)
class Link:
    """A link to another item: ``kind`` is the link type (``Blocks``), ``direction`` tells
    which end this item is; ``label`` is the phrase (``blocks``, ``is blocked by``)."""

    kind: str
    target: str
    direction: Literal["outward", "inward"] = "outward"
    label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "target": self.target,
            "direction": self.direction,
            "label": self.label,
        }


@dataclass(frozen=True, slots=True)
class Version:
    """A fix version (Jira) or milestone (GitHub), with its release date when known."""

    name: str
    release_date: dt.date | None = None
    released: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "release_date": self.release_date.isoformat() if self.release_date else None,
            "released": self.released,
        }


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """One work item as a tracker saw it."""

    key: str
    type: str | None = None
    title: str | None = None
    project: str | None = None
    status: str | None = None
    created: dt.datetime | None = None
    #: First entry into an in-progress status (or the source's own start date).
    started: dt.datetime | None = None
    #: When it was finished (resolution date; closed_at; finished date).
    done: dt.datetime | None = None
    resolution: str | None = None
    transitions: tuple[Transition, ...] = ()
    points: float | None = None
    links: tuple[Link, ...] = ()
    parent: str | None = None
    epic: str | None = None
    sprints: tuple[str, ...] = ()
    fix_versions: tuple[Version, ...] = ()
    team: str | None = None
    labels: tuple[str, ...] = ()
    components: tuple[str, ...] = ()
    #: Line (CSV) or record number (JSON) in the source, for messages.
    line: int | None = None

    @property
    def cycle_time_days(self) -> float | None:
        """Days from start to done, when both are known and in order."""
        if self.started is None or self.done is None or self.done < self.started:
            return None
        return (self.done - self.started).total_seconds() / 86400.0

    @property
    def lead_time_days(self) -> float | None:
        """Days from creation to done, when both are known and in order."""
        if self.created is None or self.done is None or self.done < self.created:
            return None
        return (self.done - self.created).total_seconds() / 86400.0

    def as_of(self, when: dt.datetime) -> HistoryItem | None:
        """This item as known at ``when``; ``None`` when it did not exist yet."""
        latest = max(
            (t for t in (self.created, self.started, self.done) if t is not None),
            default=None,
        )
        if (
            latest is not None
            and latest <= when
            and (not self.transitions or self.transitions[-1].at <= when)
        ):
            return self
        if self.created is not None and self.created > when:
            return None
        if self.created is None:
            first = min((t for t in (self.started, self.done) if t is not None), default=None)
            if first is not None and first > when:
                return None
        transitions = tuple(t for t in self.transitions if t.at <= when)
        done = self.done if self.done is not None and self.done <= when else None
        started = self.started if self.started is not None and self.started <= when else None
        status = self.status
        if transitions:
            status = transitions[-1].to_status
        elif self.transitions:
            status = self.transitions[0].from_status
        elif done is None and self.done is not None:
            status = None
        return replace(
            self,
            transitions=transitions,
            done=done,
            started=started,
            status=status,
            resolution=self.resolution if done is not None else None,
        )

    def to_dict(self) -> dict[str, Any]:
        def iso(value: dt.datetime | None) -> str | None:
            return value.isoformat() if value is not None else None

        return {
            "key": self.key,
            "type": self.type,
            "title": self.title,
            "project": self.project,
            "status": self.status,
            "created": iso(self.created),
            "started": iso(self.started),
            "done": iso(self.done),
            "resolution": self.resolution,
            "transitions": [t.to_dict() for t in self.transitions],
            "points": self.points,
            "links": [link.to_dict() for link in self.links],
            "parent": self.parent,
            "epic": self.epic,
            "sprints": list(self.sprints),
            "fix_versions": [v.to_dict() for v in self.fix_versions],
            "team": self.team,
            "labels": list(self.labels),
            "components": list(self.components),
            "line": self.line,
        }


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """A row or record an importer skipped (``skipped=True``) or kept with a caveat."""

    line: int
    message: str
    skipped: bool = True

    def format(self, source: str) -> str:
        verb = "skipped" if self.skipped else "note"
        return f"{source}:{self.line}: {verb}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "message": self.message, "skipped": self.skipped}


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import read, kept and skipped, with the line of every bad row."""

    source: str
    format: str
    records: int
    items: int
    problems: tuple[ImportProblem, ...] = ()

    @property
    def skipped(self) -> tuple[ImportProblem, ...]:
        return tuple(p for p in self.problems if p.skipped)

    @property
    def notes(self) -> tuple[ImportProblem, ...]:
        return tuple(p for p in self.problems if not p.skipped)

    def lines(self) -> list[str]:
        return [p.format(self.source) for p in self.problems]

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.format,
            "records": self.records,
            "items": self.items,
            "skipped": [p.to_dict() for p in self.skipped],
            "notes": [p.to_dict() for p in self.notes],
        }


@dataclass(frozen=True)
class History:
    """Work items of one or more projects, with the import report."""

    items: tuple[HistoryItem, ...]
    name: str = "history"
    report: ImportReport | None = None
    #: Extra status names (lower-case) -> category learned from the source.
    categories: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[HistoryItem]:
        return iter(self.items)

    @property
    def done_items(self) -> tuple[HistoryItem, ...]:
        return tuple(i for i in self.items if i.done is not None)

    @property
    def projects(self) -> tuple[str, ...]:
        """Project keys in first-seen order (empty when the source names none)."""
        seen: dict[str, None] = {}
        for item in self.items:
            if item.project is not None:
                seen.setdefault(item.project, None)
        return tuple(seen)

    def by_project(self) -> dict[str, History]:
        """One history per project; a history without project keys is returned whole."""
        projects = self.projects
        if len(projects) <= 1:
            return {projects[0] if projects else self.name: self}
        groups: dict[str, list[HistoryItem]] = {p: [] for p in projects}
        orphans: list[HistoryItem] = []
        for item in self.items:
            (groups[item.project] if item.project is not None else orphans).append(item)
        out = {
            p: History(tuple(v), name=f"{self.name}:{p}", categories=self.categories)
            for p, v in groups.items()
        }
        if orphans:
            out[f"{self.name}:-"] = History(
                tuple(orphans), name=f"{self.name}:-", categories=self.categories
            )
        return out

    def select(
        self,
        *,
        keys: Iterable[str] | None = None,
        types: Iterable[str] | None = None,
        project: str | None = None,
        team: str | None = None,
    ) -> History:
        """Items matching every given filter (types compared case-insensitively)."""
        key_set = set(keys) if keys is not None else None
        type_set = {t.lower() for t in types} if types is not None else None
        kept = tuple(
            i
            for i in self.items
            if (key_set is None or i.key in key_set)
            and (type_set is None or (i.type or "").lower() in type_set)
            and (project is None or i.project == project)
            and (team is None or i.team == team)
        )
        return History(kept, name=self.name, report=self.report, categories=self.categories)

    def as_of(self, when: dt.datetime | dt.date) -> History:
        """The history as known at ``when`` (no later creations, transitions or finishes)."""
        moment = to_datetime(when)
        span = self.span()
        if span is not None and span[1] <= moment:
            return History(self.items, name=self.name, report=None, categories=self.categories)
        kept: list[HistoryItem] = []
        for item in self.items:
            view = item.as_of(moment)
            if view is not None:
                kept.append(view)
        return History(tuple(kept), name=self.name, report=None, categories=self.categories)

    def category(self, status: str | None) -> str:
        return status_category(status, self.categories)

    def span(self) -> tuple[dt.datetime, dt.datetime] | None:
        """First and last timestamp anywhere in the history."""
        return self._span

    @functools.cached_property
    def _span(self) -> tuple[dt.datetime, dt.datetime] | None:
        stamps = [t for i in self.items for t in (i.created, i.started, i.done) if t is not None]
        if not stamps:
            return None
        return min(stamps), max(stamps)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "items": [i.to_dict() for i in self.items],
            "report": self.report.to_dict() if self.report else None,
        }


def to_datetime(value: dt.datetime | dt.date) -> dt.datetime:
    """A naive UTC datetime; a date means the end of that day."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value
    return dt.datetime.combine(value, dt.time(23, 59, 59, 999999))


def first_start(
    transitions: Iterable[Transition], categories: dict[str, str] | None = None
) -> dt.datetime | None:
    """First entry into an in-progress status (or straight into done when never in progress
    is not counted: only in-progress statuses start the cycle-time clock)."""
    for t in sorted(transitions, key=lambda t: t.at):
        if status_category(t.to_status, categories) == "in-progress":
            return t.at
    return None


def last_done(
    transitions: Iterable[Transition], categories: dict[str, str] | None = None
) -> dt.datetime | None:
    """Start of the final stay in a done status, if the item ends there."""
    ordered = sorted(transitions, key=lambda t: t.at)
    if not ordered:
        return None
    if status_category(ordered[-1].to_status, categories) != "done":
        return None
    at = ordered[-1].at
    for t in reversed(ordered):
        if status_category(t.to_status, categories) == "done":
            at = t.at
            if t.from_status is None or status_category(t.from_status, categories) != "done":
                break
        else:
            break
    return at


__all__ = [
    "DONE_STATUSES",
    "TODO_STATUSES",
    "History",
    "HistoryItem",
    "ImportProblem",
    "ImportReport",
    "Link",
    "Transition",
    "Version",
    "first_start",
    "last_done",
    "status_category",
    "to_datetime",
]
