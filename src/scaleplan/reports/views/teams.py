"""The teams section: each team and tribe with size, capacity and load."""

from __future__ import annotations

from dataclasses import dataclass

from scaleplan.analysis.capacity import remaining_effort
from scaleplan.reports.registry import ReportContext, View, section
from scaleplan.reports.views._common import capacity_now


@dataclass(frozen=True)
class TeamRow(View):
    id: str
    name: str
    type: str
    tribe: str | None
    lead: str | None
    members: int
    capacity_per_week: float
    services: int
    open_items: int
    remaining_effort: float
    #: Remaining effort / weekly capacity; None without capacity.
    weeks_of_work: float | None


@dataclass(frozen=True)
class TribeRow(View):
    id: str
    name: str
    lead: str | None
    teams: int
    people: int
    release_train: bool


@dataclass(frozen=True)
class TeamsView(View):
    teams: tuple[TeamRow, ...]
    tribes: tuple[TribeRow, ...]
    total_teams: int
    people: int


@section("teams", "Teams", page="teams", order=70)
def teams(ctx: ReportContext) -> TeamsView:
    """Teams with their size, capacity this week (after focus factor and the tech-debt
    reserve), services owned and open work."""
    program = ctx.program
    caps = capacity_now(ctx)
    open_items: dict[str, int] = {}
    effort: dict[str, float] = {}
    for item in program.work_items:
        if item.status.value in ("done", "cancelled"):
            continue
        open_items[item.team] = open_items.get(item.team, 0) + 1
        effort[item.team] = effort.get(item.team, 0.0) + remaining_effort(program, item)
    rows = []
    for t in program.teams:
        cap = caps.get(t.id, 0.0)
        rem = effort.get(t.id, 0.0)
        rows.append(
            TeamRow(
                id=t.id,
                name=t.name,
                type=t.type.value,
                tribe=t.tribe,
                lead=t.lead,
                members=len(program.members_by_team.get(t.id, ())),
                capacity_per_week=round(cap, 2),
                services=len(program.services_by_owner.get(t.id, ())),
                open_items=open_items.get(t.id, 0),
                remaining_effort=round(rem, 1),
                weeks_of_work=round(rem / cap, 1) if cap > 0 else None,
            )
        )
    tribes = []
    for tribe in program.tribes:
        members = [t for t in program.teams if t.tribe == tribe.id]
        people = sum(len(program.members_by_team.get(t.id, ())) for t in members)
        tribes.append(
            TribeRow(tribe.id, tribe.name, tribe.lead, len(members), people, tribe.release_train)
        )
    return TeamsView(tuple(rows[: ctx.limit]), tuple(tribes), len(rows), len(program.people))


__all__ = ["TeamRow", "TeamsView", "TribeRow", "teams"]
