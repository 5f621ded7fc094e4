"""Risks, cadences (sync meetings) and delivery events."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from scaleplan.model.base import Entity, Fraction, Frozen, Id


class RoamStatus(StrEnum):
    """ROAM: resolved, owned, accepted, mitigated; ``open`` until the risk is ROAMed."""

    OPEN = "open"
    RESOLVED = "resolved"
    OWNED = "owned"
    ACCEPTED = "accepted"
    MITIGATED = "mitigated"


class Risk(Entity):
    title: str
    status: RoamStatus = RoamStatus.OPEN
    owner: Id | None = None
    #: Work items or initiatives the risk threatens.
    items: tuple[Id, ...] = ()
    probability: Fraction = 0.5
    #: Delay in weeks if the risk happens.
    impact_weeks: Annotated[float, Field(ge=0)] = 0.0
    raised: dt.date | None = None
    description: str | None = None


class Frequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    PER_INCREMENT = "per-increment"


class Attendees(Frozen):
    """Who attends: any mix of teams, tribes, guilds, chapters, roles and named people."""

    teams: tuple[Id, ...] = ()
    tribes: tuple[Id, ...] = ()
    guilds: tuple[Id, ...] = ()
    chapters: tuple[Id, ...] = ()
    roles: tuple[str, ...] = ()
    people: tuple[Id, ...] = ()


class Cadence(Entity):
    """A recurring sync meeting."""

    name: str
    frequency: Frequency
    attendees: Attendees = Attendees()
    duration_minutes: Annotated[int, Field(ge=5, le=600)] = 30
    #: Weekday, ``mon`` .. ``sun`` (ignored for daily meetings).
    day: Annotated[str, Field(pattern=r"^(mon|tue|wed|thu|fri|sat|sun)$")] | None = None
    time: Annotated[str, Field(pattern=r"^\d{2}:\d{2}$")] | None = None
    timezone: str = "UTC"
    facilitator: Id | None = None
    purpose: str | None = None


class EventKind(StrEnum):
    DEPLOY = "deploy"
    INCIDENT = "incident"
    ROLLBACK = "rollback"


class DeliveryEvent(Entity):
    """A deploy or an incident, for delivery metrics (DORA)."""

    kind: EventKind
    service: Id
    at: dt.datetime
    #: For deploys: hours from first commit to production.
    lead_time_hours: Annotated[float, Field(ge=0)] | None = None
    #: For deploys: did it cause a failure in production?
    failed: bool = False
    #: For incidents: when service was restored.
    resolved_at: dt.datetime | None = None
    severity: Annotated[int, Field(ge=1, le=5)] | None = None


__all__ = [
    "Attendees",
    "Cadence",
    "DeliveryEvent",
    "EventKind",
    "Frequency",
    "Risk",
    "RoamStatus",
]
