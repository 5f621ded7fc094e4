"""The ``Program`` aggregate: one validated, immutable description of a technical program."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from pydantic import ConfigDict

from scaleplan.model.architecture import Service
from scaleplan.model.base import Frozen
from scaleplan.model.direction import Initiative, KeyResult, Objective, WorkItem
from scaleplan.model.governance import Cadence, DeliveryEvent, Risk
from scaleplan.model.org import (
    CapacityException,
    CentreOfExcellence,
    Chapter,
    Guild,
    Person,
    Team,
    Tribe,
)
from scaleplan.model.settings import ProgramMeta, Settings
from scaleplan.model.time import Calendar

#: Sections of a program document that hold lists of entities, in load order.
LIST_SECTIONS: tuple[str, ...] = (
    "tribes",
    "teams",
    "people",
    "chapters",
    "guilds",
    "centres",
    "services",
    "objectives",
    "initiatives",
    "work_items",
    "risks",
    "cadences",
    "capacity_exceptions",
    "events",
)
#: Sections that hold a single mapping (only one file may define each).
SINGLE_SECTIONS: tuple[str, ...] = ("program", "calendar", "settings")


class Program(Frozen):
    """A validated program. Build it with :func:`scaleplan.load_program`; never mutate it.

    Collections are tuples in file order; ``*_by_id`` give dictionaries for lookups.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    program: ProgramMeta
    calendar: Calendar
    settings: Settings = Settings()
    tribes: tuple[Tribe, ...] = ()
    teams: tuple[Team, ...] = ()
    people: tuple[Person, ...] = ()
    chapters: tuple[Chapter, ...] = ()
    guilds: tuple[Guild, ...] = ()
    centres: tuple[CentreOfExcellence, ...] = ()
    services: tuple[Service, ...] = ()
    objectives: tuple[Objective, ...] = ()
    initiatives: tuple[Initiative, ...] = ()
    work_items: tuple[WorkItem, ...] = ()
    risks: tuple[Risk, ...] = ()
    cadences: tuple[Cadence, ...] = ()
    capacity_exceptions: tuple[CapacityException, ...] = ()
    events: tuple[DeliveryEvent, ...] = ()

    # -- lookups ---------------------------------------------------------------------------
    @cached_property
    def teams_by_id(self) -> dict[str, Team]:
        return {t.id: t for t in self.teams}

    @cached_property
    def people_by_id(self) -> dict[str, Person]:
        return {p.id: p for p in self.people}

    @cached_property
    def tribes_by_id(self) -> dict[str, Tribe]:
        return {t.id: t for t in self.tribes}

    @cached_property
    def services_by_id(self) -> dict[str, Service]:
        return {s.id: s for s in self.services}

    @cached_property
    def initiatives_by_id(self) -> dict[str, Initiative]:
        return {i.id: i for i in self.initiatives}

    @cached_property
    def work_items_by_id(self) -> dict[str, WorkItem]:
        return {w.id: w for w in self.work_items}

    @cached_property
    def key_results(self) -> tuple[KeyResult, ...]:
        return tuple(kr for o in self.objectives for kr in o.key_results)

    @cached_property
    def key_results_by_id(self) -> dict[str, KeyResult]:
        return {kr.id: kr for kr in self.key_results}

    @cached_property
    def objective_of_kr(self) -> dict[str, Objective]:
        return {kr.id: o for o in self.objectives for kr in o.key_results}

    @cached_property
    def members_by_team(self) -> dict[str, tuple[Person, ...]]:
        """Members of each team: people whose ``team`` is it, plus those the team lists."""
        members: dict[str, dict[str, Person]] = {t.id: {} for t in self.teams}
        for person in self.people:
            if person.team in members:
                members[person.team][person.id] = person
        for team in self.teams:
            for pid in team.members:
                if pid in self.people_by_id:
                    members[team.id][pid] = self.people_by_id[pid]
        return {tid: tuple(ps.values()) for tid, ps in members.items()}

    @cached_property
    def team_of_person(self) -> dict[str, str]:
        """The (first) team of each person."""
        out: dict[str, str] = {}
        for tid, members in self.members_by_team.items():
            for person in members:
                out.setdefault(person.id, tid)
        return out

    @cached_property
    def work_items_by_initiative(self) -> dict[str, tuple[WorkItem, ...]]:
        out: dict[str, list[WorkItem]] = {i.id: [] for i in self.initiatives}
        for item in self.work_items:
            if item.initiative is not None:
                out.setdefault(item.initiative, []).append(item)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def services_by_owner(self) -> dict[str, tuple[Service, ...]]:
        out: dict[str, list[Service]] = {t.id: [] for t in self.teams}
        for service in self.services:
            if service.owner is not None:
                out.setdefault(service.owner, []).append(service)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def exceptions_by_owner(self) -> dict[tuple[str, str], tuple[CapacityException, ...]]:
        """Capacity exceptions keyed by ``("person", id)`` or ``("team", id)``."""
        out: dict[tuple[str, str], list[CapacityException]] = {}
        for exc in self.capacity_exceptions:
            key = ("person", exc.person) if exc.person else ("team", exc.team or "")
            out.setdefault(key, []).append(exc)
        return {k: tuple(v) for k, v in out.items()}

    def counts(self) -> dict[str, int]:
        """Number of entities per kind, under plain keys (used by ``show --format json``)."""
        return {
            "tribes": len(self.tribes),
            "teams": len(self.teams),
            "people": len(self.people),
            "chapters": len(self.chapters),
            "guilds": len(self.guilds),
            "centres": len(self.centres),
            "services": len(self.services),
            "objectives": len(self.objectives),
            "key_results": len(self.key_results),
            "initiatives": len(self.initiatives),
            "work_items": len(self.work_items),
            "dependencies": sum(len(w.depends_on) for w in self.work_items),
            "risks": len(self.risks),
            "cadences": len(self.cadences),
            "capacity_exceptions": len(self.capacity_exceptions),
            "events": len(self.events),
        }

    def to_document(self) -> dict[str, Any]:
        """The program as one plain document (the single-file form), defaults left out."""
        return self.model_dump(mode="json", exclude_defaults=True)
