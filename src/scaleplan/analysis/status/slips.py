"""Finish dates that status compares: the earliest finish of each item's chain and the EDF capacity projection."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from scaleplan.analysis.capacity import remaining_effort
from scaleplan.analysis.status._common import _CLOSED, CapacityFrom, _open, _team_queues, _ToDict
from scaleplan.model import (
    Program,
)


@dataclass(frozen=True)
class Chain:
    """The earliest an open item can finish: ``weeks`` from the as-of date along ``path``
    (its longest chain of open prerequisites, ending with the item)."""

    weeks: float
    path: tuple[str, ...]

    def finish(self, as_of: dt.date) -> dt.date:
        return as_of + dt.timedelta(days=math.ceil(self.weeks * 7 - 1e-9))


def person_rate(program: Program, team_id: str) -> float:
    """Person-weeks of effort one full-time person of ``team_id`` delivers in a week: focus
    factor x (1 - tech-debt reserve), as the planner counts it (holidays left out, so the
    bound stays optimistic)."""
    from scaleplan.analysis.capacity import focus_of

    team = program.teams_by_id.get(team_id)
    if team is None:
        return 0.0
    return focus_of(program, team) * (1.0 - program.settings.tech_debt_reserve)


def earliest_finish(program: Program, *, as_of: dt.date | None = None) -> dict[str, Chain]:
    """For each open work item, the earliest finish if capacity were unlimited: its remaining
    effort / (people x a person's weekly rate, :func:`person_rate`) with ``max_people`` people
    (at most the team's size), after its open prerequisites (plus lags) and its earliest
    start. Items of unknown teams are left out (and so are their dependants). A lower bound:
    a deadline before it cannot be met."""
    from scaleplan.model.graphs import topological_order

    today = as_of or dt.date.today()
    items = {i.id: i for i in program.work_items if _open(i)}
    edges: dict[str, list[str]] = {i: [] for i in items}
    for item in items.values():
        for dep in item.depends_on:
            if dep.item in items:
                edges[dep.item].append(item.id)
    try:
        order = topological_order(edges)
    except ValueError:  # a cycle is a load error; stay safe
        return {}
    out: dict[str, Chain] = {}
    for item_id in order:
        item = items[item_id]
        members = len(program.members_by_team.get(item.team, ()))
        people = min(item.max_people, members) if members else item.max_people
        rate = person_rate(program, item.team) * people
        if rate <= 0:
            continue
        start: float = 0.0
        path: tuple[str, ...] = ()
        if item.earliest_start is not None:
            start = max((item.earliest_start - today).days / 7.0, 0.0)
        blocked = False
        for dep in item.depends_on:
            if dep.item not in items:
                continue
            before = out.get(dep.item)
            if before is None:
                blocked = True
                break
            if before.weeks + dep.lag_weeks > start:
                start, path = before.weeks + dep.lag_weeks, before.path
        if blocked:
            continue
        weeks = start + remaining_effort(program, item) / rate
        out[item_id] = Chain(round(weeks, 6), (*path, item_id))
    return out


@dataclass(frozen=True)
class Projection(_ToDict):
    """EDF capacity projection of one initiative's finish."""

    initiative: str
    finish: dt.date | None
    remaining_effort: float
    #: Person-weeks of other work queued ahead of its last item, per team.
    ahead: dict[str, float] = field(default_factory=dict)
    capacity_now: dict[str, float] = field(default_factory=dict)


def project_finish(program: Program, *, as_of: dt.date | None = None) -> dict[str, Projection]:
    """Projected finish of each open initiative (see the module doc); ``finish`` is ``None``
    when beyond the horizon or when a team has no capacity."""
    today = as_of or dt.date.today()
    cap = CapacityFrom(program, today)
    queues = _team_queues(program)
    finish_of: dict[str, dt.date | None] = {}
    ahead_of: dict[str, dict[str, float]] = {}
    for team, queue in queues.items():
        total = 0.0
        own: dict[str, float] = {}
        for item, effort, _due in queue:
            total += effort
            finish_of[item.id] = cap.when(team, total)
            if item.initiative is not None:
                own[item.initiative] = own.get(item.initiative, 0.0) + effort
                # Work of other initiatives queued before this initiative's last item.
                ahead_of.setdefault(item.initiative, {})[team] = round(
                    total - own[item.initiative], 4
                )
    out: dict[str, Projection] = {}
    for initiative in program.initiatives:
        if initiative.status in _CLOSED:
            continue
        open_items = [
            i for i in program.work_items_by_initiative.get(initiative.id, ()) if _open(i)
        ]
        if not open_items:
            continue
        dates = [finish_of.get(i.id) for i in open_items]
        finish = None if any(d is None for d in dates) else max(d for d in dates if d)
        teams = sorted({i.team for i in open_items if i.team in program.teams_by_id})
        out[initiative.id] = Projection(
            initiative=initiative.id,
            finish=finish,
            remaining_effort=round(sum(remaining_effort(program, i) for i in open_items), 4),
            ahead=ahead_of.get(initiative.id, {}),
            capacity_now={t: round(cap.now(t), 4) for t in teams},
        )
    return out


__all__ = ["Chain", "Projection", "earliest_finish", "person_rate", "project_finish"]
