"""Org model: people, teams (squads), tribes, chapters, guilds, centres of excellence."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from scaleplan.model.base import Entity, Fraction, Frozen, Id, NonNegative


class TeamType(StrEnum):
    """Team Topologies' four team types."""

    STREAM_ALIGNED = "stream-aligned"
    PLATFORM = "platform"
    ENABLING = "enabling"
    COMPLICATED_SUBSYSTEM = "complicated-subsystem"


class InteractionMode(StrEnum):
    """Team Topologies' three interaction modes."""

    COLLABORATION = "collaboration"
    X_AS_A_SERVICE = "x-as-a-service"
    FACILITATING = "facilitating"


class Person(Entity):
    """An engineer, manager, product or program person."""

    name: str
    role: str = "engineer"
    #: Seniority on a 1 (junior) .. 8 (principal) ladder.
    level: Annotated[int, Field(ge=1, le=8)] = 3
    skills: tuple[str, ...] = ()
    #: IANA time zone, e.g. ``Europe/Berlin``.
    timezone: str = "UTC"
    manager: Id | None = None
    team: Id | None = None
    chapter: Id | None = None
    guilds: tuple[Id, ...] = ()
    #: First working day (a future date models a planned hire).
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    #: Share of a full-time week this person works (1.0 = full time).
    fte: Annotated[float, Field(gt=0.0, le=1.0)] = 1.0
    #: How many mentees this person can take at once (0 = not a mentor).
    mentoring_capacity: Annotated[int, Field(ge=0)] = 0
    #: Declared mentor (a person id); org diagnostics check mentors' new-hire load with it,
    #: and mentorship matching keeps such pairs and fills the rest.
    mentor: Id | None = None
    #: Working hours in local time, ``"09:00-17:00"``.
    working_hours: Annotated[str, Field(pattern=r"^\d{2}:\d{2}-\d{2}:\d{2}$")] = "09:00-17:00"
    email: str | None = None


class Interaction(Frozen):
    """A declared interaction between two teams (Team Topologies)."""

    team: Id
    mode: InteractionMode = InteractionMode.COLLABORATION
    since: dt.date | None = None
    #: Planned or actual end (collaboration is meant to be time-boxed).
    until: dt.date | None = None
    note: str | None = None


class Team(Entity):
    """A squad: a long-lived team that owns services and delivers work items."""

    name: str
    type: TeamType = TeamType.STREAM_ALIGNED
    tribe: Id | None = None
    #: Team lead (first step on the escalation path).
    lead: Id | None = None
    #: Members may be listed here, or given by each person's ``team``; both are merged.
    members: tuple[Id, ...] = ()
    #: Share of a member's week that goes to planned work (meetings and interrupts excluded).
    focus_factor: Fraction | None = None
    #: Person-weeks per week; overrides the capacity derived from members.
    capacity: float | None = None
    #: Items the team works on at once; ``None`` means no limit.
    wip_limit: Annotated[int, Field(ge=1)] | None = None
    #: Story points a person delivers in a week (for items estimated in points).
    points_per_person_week: Annotated[float, Field(gt=0.0)] | None = None
    #: How many services the team can own before cognitive load is too high.
    max_services: Annotated[int, Field(ge=1)] | None = None
    interactions: tuple[Interaction, ...] = ()
    mission: str | None = None


class Tribe(Entity):
    """A group of teams around a business area (Spotify model); may be a SAFe release train."""

    name: str
    lead: Id | None = None
    #: Treat this tribe as a SAFe agile release train in org diagnostics.
    release_train: bool = False
    mission: str | None = None


class Chapter(Entity):
    """People of one craft across teams, usually with a line manager (the chapter lead)."""

    name: str
    lead: Id | None = None


class Guild(Entity):
    """A voluntary community of interest across the organisation (security, performance...)."""

    name: str
    lead: Id | None = None
    topic: str | None = None


class CentreOfExcellence(Entity):
    """A centre of excellence for a key technical domain."""

    name: str
    domain: str
    lead: Id | None = None
    members: tuple[Id, ...] = ()
    #: Key skills the centre must cover; gaps are reported by org analyses.
    key_skills: tuple[str, ...] = ()


class CapacityException(Frozen):
    """Time off, a part-time period or a loan: capacity of a person or a team changes for a while."""

    person: Id | None = None
    team: Id | None = None
    start: dt.date
    end: dt.date
    #: Share of normal capacity that remains (0.0 = fully away).
    available: Fraction = 0.0
    reason: str | None = None


__all__ = [
    "CapacityException",
    "CentreOfExcellence",
    "Chapter",
    "Guild",
    "Interaction",
    "InteractionMode",
    "NonNegative",
    "Person",
    "Team",
    "TeamType",
    "Tribe",
]
