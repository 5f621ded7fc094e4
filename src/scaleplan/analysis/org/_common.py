"""Helpers shared by the org analyses: dates, who is active, working hours in UTC, the
management tree, and the ``Finding`` every org check returns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scaleplan.errors import InputError
from scaleplan.model import Person, Program

#: Weekday names as used by cadences (``mon`` .. ``sun``) and by RFC 5545 (``MO`` .. ``SU``).
DAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY


@dataclass(frozen=True, slots=True)
class Finding:
    """One org diagnostic: what is off, where, by how much, against which rule of thumb.

    ``measured`` and ``threshold`` are the values compared; ``source`` names where the
    threshold comes from (``docs/org.md`` has the full reference).
    """

    code: str
    severity: str
    unit_kind: str
    unit: str
    message: str
    measured: float | int | str | None
    threshold: str
    source: str
    hint: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        from scaleplan.analysis.org.codes import CODES

        return CODES[self.code].title

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "title": self.title,
            "unit_kind": self.unit_kind,
            "unit": self.unit,
            "message": self.message,
            "measured": self.measured,
            "threshold": self.threshold,
            "source": self.source,
            "hint": self.hint,
        }
        if self.extra:
            data["extra"] = self.extra
        return data


def finding(
    code: str,
    unit_kind: str,
    unit: str,
    message: str,
    measured: float | int | str | None,
    threshold: str,
    *,
    hint: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Finding:
    """Build a finding whose severity and source come from the code's registry entry."""
    from scaleplan.analysis.org.codes import CODES

    info = CODES[code]
    return Finding(
        code=code,
        severity=info.severity,
        unit_kind=unit_kind,
        unit=unit,
        message=message,
        measured=measured,
        threshold=threshold,
        source=info.source,
        hint=hint,
        extra=extra or {},
    )


def resolve_as_of(as_of: dt.date | None) -> dt.date:
    """The reference date of an analysis: ``as_of`` or today."""
    return as_of if as_of is not None else dt.date.today()


def is_active(person: Person, on: dt.date) -> bool:
    """Whether ``person`` works here on ``on`` (started, not yet left)."""
    if person.start_date is not None and person.start_date > on:
        return False
    return not (person.end_date is not None and person.end_date < on)


def is_new_hire(person: Person, on: dt.date, weeks: int) -> bool:
    """Started within the ``weeks`` weeks up to and including ``on``."""
    if person.start_date is None or person.start_date > on:
        return False
    return (on - person.start_date).days < weeks * 7


def active_members(program: Program, team_id: str, on: dt.date) -> tuple[Person, ...]:
    return tuple(p for p in program.members_by_team.get(team_id, ()) if is_active(p, on))


def team_memberships(program: Program) -> dict[str, list[str]]:
    """Person id -> every team that claims them (``person.team`` and ``team.members``)."""
    out: dict[str, list[str]] = {}
    for person in program.people:
        if person.team is not None:
            out.setdefault(person.id, []).append(person.team)
    for team in program.teams:
        for pid in team.members:
            teams = out.setdefault(pid, [])
            if team.id not in teams:
                teams.append(team.id)
    return out


def tribe_of_team(program: Program) -> dict[str, str | None]:
    return {t.id: t.tribe for t in program.teams}


def direct_reports(program: Program, on: dt.date) -> dict[str, list[str]]:
    """Manager id -> active direct reports, in file order."""
    out: dict[str, list[str]] = {}
    for person in program.people:
        if person.manager is not None and is_active(person, on):
            out.setdefault(person.manager, []).append(person.id)
    return out


def manager_chain(program: Program, person_id: str) -> list[str]:
    """Managers above ``person_id``, nearest first (stops on a cycle or an unknown id)."""
    chain: list[str] = []
    seen = {person_id}
    person = program.people_by_id.get(person_id)
    while person is not None and person.manager is not None and person.manager not in seen:
        chain.append(person.manager)
        seen.add(person.manager)
        person = program.people_by_id.get(person.manager)
    return chain


def norm_skill(skill: str) -> str:
    return " ".join(skill.lower().replace("_", " ").replace("-", " ").split())


def norm_skills(skills: Iterable[str]) -> frozenset[str]:
    return frozenset(norm_skill(s) for s in skills if s.strip())


# -- time zones and working hours ------------------------------------------------------------


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; unknown names fall back to UTC (the loader warns with W403)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@lru_cache(maxsize=8192)
def utc_offset_minutes(tz: str, day: dt.date) -> int:
    """Offset of ``tz`` from UTC at noon of ``day``, in minutes (east positive)."""
    offset = dt.datetime.combine(day, dt.time(12), tzinfo=zone(tz)).utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


@lru_cache(maxsize=1024)
def parse_hours(text: str) -> tuple[int, int]:
    """``"09:00-17:00"`` -> (540, 1020) minutes after local midnight. An end at or before the
    start means the shift runs past midnight (the end is then returned + 1440)."""
    try:
        first, second = text.split("-")
        start = _minutes(first)
        end = _minutes(second)
    except ValueError:
        raise InputError(
            f"working hours '{text}' are not 'HH:MM-HH:MM' with hours 00-24 and minutes 00-59"
        ) from None
    if end <= start:
        end += MINUTES_PER_DAY
    return start, end


def _minutes(text: str) -> int:
    hours, minutes = text.strip().split(":")
    h, m = int(hours), int(minutes)
    if not (0 <= h <= 24 and 0 <= m < 60) or (h == 24 and m):
        raise ValueError(text)
    return h * 60 + m


def parse_clock(text: str) -> int:
    """``"10:30"`` -> 630 minutes after midnight; raises :class:`InputError` when invalid."""
    try:
        value = _minutes(text)
    except ValueError:
        raise InputError(f"time '{text}' is not HH:MM (00:00-23:59)") from None
    if value >= MINUTES_PER_DAY:
        raise InputError(f"time '{text}' is not HH:MM (00:00-23:59)")
    return value


def working_window_utc(person: Person, day: dt.date) -> tuple[int, int]:
    """``person``'s working hours on local date ``day`` as UTC minutes after ``day`` 00:00 UTC."""
    start, end = parse_hours(person.working_hours)
    offset = utc_offset_minutes(person.timezone, day)
    return start - offset, end - offset


def daily_overlap_minutes(a: Person, b: Person, day: dt.date) -> int:
    """Minutes per day the working hours of ``a`` and ``b`` overlap (on local date ``day``)."""
    a0, a1 = working_window_utc(a, day)
    b0, b1 = working_window_utc(b, day)
    best = 0
    for shift in (-MINUTES_PER_DAY, 0, MINUTES_PER_DAY):
        best = max(best, min(a1, b1 + shift) - max(a0, b0 + shift))
    return max(best, 0)


def most_common(values: Iterable[str], default: str) -> str:
    """The most frequent value (ties broken alphabetically), or ``default`` when empty."""
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    if not counts:
        return default
    return min(counts, key=lambda v: (-counts[v], v))


def first_weekday_on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def names(program: Program) -> Mapping[str, str]:
    return {p.id: p.name for p in program.people}
