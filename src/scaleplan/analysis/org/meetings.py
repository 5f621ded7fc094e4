"""Results of the meeting plan: meetings with their recurrence (RFC 5545 terms), meeting load
per person, and the plan; plus the defaults of each generated meeting kind."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from scaleplan.analysis.org._common import Finding
from scaleplan.model import Frequency

RFC_DAYS: tuple[str, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True, slots=True)
class MeetingKind:
    """Defaults of a generated meeting kind."""

    frequency: Frequency
    minutes: int
    day: str | None
    preferred: str
    broadcast: bool = False


KINDS: dict[str, MeetingKind] = {
    "daily": MeetingKind(Frequency.DAILY, 15, None, "09:30"),
    "tribe-sync": MeetingKind(Frequency.WEEKLY, 45, "tue", "10:00"),
    "art-sync": MeetingKind(Frequency.WEEKLY, 60, "tue", "10:00"),
    "program-review": MeetingKind(Frequency.MONTHLY, 60, "wed", "14:00", broadcast=True),
    "pi-planning": MeetingKind(Frequency.PER_INCREMENT, 240, None, "10:00", broadcast=True),
    "chapter": MeetingKind(Frequency.BIWEEKLY, 60, "wed", "11:00"),
    "guild": MeetingKind(Frequency.BIWEEKLY, 60, "thu", "15:00"),
    "techtalk": MeetingKind(Frequency.WEEKLY, 45, "fri", "16:00", broadcast=True),
}


@dataclass(frozen=True, slots=True)
class Recurrence:
    """RFC 5545 recurrence of a meeting: ``freq`` WEEKLY or MONTHLY (None: the meeting happens
    on ``Meeting.start`` and ``Meeting.extra_starts`` only)."""

    freq: str | None
    interval: int = 1
    byday: tuple[str, ...] = ()
    #: Last possible start, in UTC (RFC 5545 wants UNTIL in UTC when DTSTART has a zone).
    until: dt.datetime | None = None

    def rule(self) -> str | None:
        """The RRULE value, e.g. ``FREQ=WEEKLY;INTERVAL=2;BYDAY=TH``."""
        if self.freq is None:
            return None
        parts = [f"FREQ={self.freq}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.until is not None:
            parts.append(f"UNTIL={self.until.strftime('%Y%m%dT%H%M%SZ')}")
        if self.byday:
            parts.append(f"BYDAY={','.join(self.byday)}")
        return ";".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "freq": self.freq,
            "interval": self.interval,
            "byday": list(self.byday),
            "until": self.until.isoformat() if self.until else None,
            "rrule": self.rule(),
        }


@dataclass(frozen=True, slots=True)
class Meeting:
    """One recurring meeting with its slot, attendees and weekly cost."""

    id: str
    name: str
    kind: str
    frequency: str
    duration_minutes: int
    timezone: str
    #: Weekday (``mon``..) for weekly, biweekly and monthly meetings.
    day: str | None
    time: str
    #: First occurrence (aware, in ``timezone``).
    start: dt.datetime
    #: Further one-off occurrences (per-increment meetings), as RDATEs.
    extra_starts: tuple[dt.datetime, ...]
    recurrence: Recurrence
    attendees: tuple[str, ...]
    optional: tuple[str, ...]
    groups: tuple[str, ...]
    teams: tuple[str, ...]
    facilitator: str | None
    broadcast: bool
    declared: bool
    outside_hours: tuple[str, ...]
    weekly_hours: float
    purpose: str | None = None

    def to_dict(self, *, people: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "frequency": self.frequency,
            "duration_minutes": self.duration_minutes,
            "timezone": self.timezone,
            "day": self.day,
            "time": self.time,
            "start": self.start.isoformat(),
            "extra_starts": [s.isoformat() for s in self.extra_starts],
            "recurrence": self.recurrence.to_dict(),
            "groups": list(self.groups),
            "teams": list(self.teams),
            "facilitator": self.facilitator,
            "broadcast": self.broadcast,
            "declared": self.declared,
            "attendee_count": len(self.attendees),
            "optional_count": len(self.optional),
            "outside_hours": list(self.outside_hours),
            "weekly_hours": round(self.weekly_hours, 4),
            "purpose": self.purpose,
        }
        if people:
            data["attendees"] = list(self.attendees)
            data["optional"] = list(self.optional)
        return data


@dataclass(frozen=True, slots=True)
class PersonLoad:
    person: str
    name: str
    hours: float
    meetings: int
    over: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "name": self.name,
            "hours_per_week": round(self.hours, 2),
            "meetings": self.meetings,
            "over_limit": self.over,
        }


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    email: str | None


@dataclass(frozen=True)
class CadencePlan:
    """The meeting plan: meetings, meeting hours per person per week, and findings
    (ORG023 meeting load over the limit, ORG024 no common slot)."""

    program: str
    start: dt.date
    until: dt.date | None
    meetings: tuple[Meeting, ...]
    load: tuple[PersonLoad, ...]
    limit: float
    findings: tuple[Finding, ...]
    contacts: dict[str, Contact] = field(default_factory=dict)
    #: Team id -> active members (for one calendar per team).
    team_members: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def over_limit(self) -> tuple[PersonLoad, ...]:
        return tuple(p for p in self.load if p.over)

    def meetings_of_team(self, team: str) -> tuple[Meeting, ...]:
        """Meetings the team is part of or any of its members attends."""
        members = set(self.team_members.get(team, ()))
        return tuple(
            m
            for m in self.meetings
            if team in m.teams
            or members.intersection(m.attendees)
            or members.intersection(m.optional)
        )

    def to_dict(self, *, people: bool = True) -> dict[str, Any]:
        hours = [p.hours for p in self.load]
        return {
            "program": self.program,
            "start": self.start.isoformat(),
            "until": self.until.isoformat() if self.until else None,
            "meeting_hours_max": self.limit,
            "meetings": [m.to_dict(people=people) for m in self.meetings],
            "load": [p.to_dict() for p in self.load],
            "load_summary": {
                "people": len(hours),
                "mean_hours": round(sum(hours) / len(hours), 2) if hours else 0.0,
                "max_hours": round(max(hours), 2) if hours else 0.0,
                "over_limit": len(self.over_limit),
            },
            "findings": [f.to_dict() for f in self.findings],
        }
