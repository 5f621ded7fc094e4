"""The team load section: planned load against capacity per team and week."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from scaleplan.analysis.capacity import (
    remaining_effort,
    week_of,
    week_start,
)
from scaleplan.analysis.status import CapacityFrom, due_of
from scaleplan.reports.registry import ReportContext, Unavailable, View, section
from scaleplan.reports.views._plan import _short, plan_of


@dataclass(frozen=True)
class LoadView(View):
    #: ``plan``: planned load per sprint; ``deadlines``: work due in each increment.
    source: Literal["plan", "deadlines"]
    note: str
    columns: tuple[str, ...]
    teams: tuple[str, ...]
    #: ``values[i][j]`` = load / capacity of team i in column j (None: no capacity, no load).
    values: tuple[tuple[float | None, ...], ...]
    #: ``team · column`` cells over 100 %.
    overloaded: tuple[str, ...]


@section("load", "Team load vs capacity", page="roadmap", order=45, slow=True)
def load(ctx: ReportContext) -> LoadView:
    """Each team's planned load against its capacity per sprint (from the plan); without a
    planner, the work due in each increment against the capacity in it."""
    program = ctx.program
    try:
        plan = plan_of(ctx)
    except Unavailable as exc:
        return _load_from_deadlines(ctx, _short(exc))
    n_sprints = 13
    sprint = program.calendar.sprint_weeks
    first_week = max(week_of(program, ctx.as_of), week_of(program, plan.origin))
    columns = tuple(
        f"S{k + 1} {week_start(program, first_week + k * sprint).strftime('%d %b')}"
        for k in range(n_sprints)
    )
    problem = plan.problem
    per_week = 1 if getattr(problem, "unit", "week") == "week" else max(plan.period_days, 1)
    first_period = (first_week - week_of(program, plan.origin)) * per_week
    span = sprint * per_week
    teams = [t.id for t in program.teams]
    resource_of = {
        r.team: k for k, r in enumerate(problem.resources) if r.kind == "capacity" and r.team
    }
    used: dict[str, list[float]] = {t: [0.0] * n_sprints for t in teams}
    cap: dict[str, list[float]] = {t: [0.0] * n_sprints for t in teams}
    for team, k in resource_of.items():
        if team not in cap:
            continue
        resource = problem.resources[k]
        for j in range(n_sprints):
            start = first_period + j * span
            cap[team][j] = float(sum(resource.cap(p) for p in range(start, start + span)))
    by_id = plan.result.by_id
    for row in plan.rows.values():
        team = row.team
        if team is None or team not in used or row.id not in problem.index:
            continue
        k = resource_of.get(team, -1)
        activity = problem.activities[problem.index[row.id]]
        mode = activity.modes[by_id[row.id].mode]
        demand = sum(q for r, q in mode.demands if r == k)
        for p in range(max(row.start, first_period), min(row.end, first_period + n_sprints * span)):
            used[team][(p - first_period) // span] += demand
    values = []
    overloaded = []
    for team in teams:
        row_values: list[float | None] = []
        for k in range(n_sprints):
            c, u = cap[team][k], used[team][k]
            ratio = None if c <= 0 and u <= 0 else (u / c if c > 0 else 9.99)
            row_values.append(None if ratio is None else round(ratio, 3))
            if ratio is not None and ratio > 1.0 + 1e-6:
                overloaded.append(f"{team} · {columns[k]}")
        values.append(tuple(row_values))
    return LoadView(
        source="plan",
        note=f"planned demand / capacity per sprint in the {plan.backend} plan ({plan.status})",
        columns=columns,
        teams=tuple(teams[: ctx.limit]),
        values=tuple(values[: ctx.limit]),
        overloaded=tuple(overloaded[: ctx.limit]),
    )


def _load_from_deadlines(ctx: ReportContext, why: str) -> LoadView:
    program = ctx.program
    cap = CapacityFrom(program, ctx.as_of)
    windows: list[tuple[str, dt.date, dt.date]] = [
        (i.name or i.id, i.start, i.end)
        for i in sorted(program.calendar.increments, key=lambda i: i.start)
        if i.end > ctx.as_of
    ][:6]
    if not windows:
        start = ctx.as_of
        windows = [
            (
                f"Q+{k + 1}",
                start + dt.timedelta(weeks=13 * k),
                start + dt.timedelta(weeks=13 * (k + 1)),
            )
            for k in range(4)
        ]
    horizon = windows[-1][2]
    demand: dict[str, list[float]] = {t.id: [0.0] * (len(windows) + 1) for t in program.teams}
    for item in program.work_items:
        if item.status.value in ("done", "cancelled") or item.team not in demand:
            continue
        effort = remaining_effort(program, item)
        demand[item.team][-1] += effort
        due = due_of(program, item)
        if due is None:
            continue
        for k, (_, start, end) in enumerate(windows):
            if due < end and (due >= start or k == 0):
                demand[item.team][k] += effort
                break
    columns = (*(w[0] for w in windows), f"all open work to {horizon.isoformat()}")
    values = []
    overloaded = []
    for team in program.teams:
        row: list[float | None] = []
        for k, (_, start, end) in enumerate(windows):
            c = cap.until(team.id, end) - cap.until(team.id, max(start, ctx.as_of))
            d = demand[team.id][k]
            row.append(None if c <= 0 and d <= 0 else round(d / c, 3) if c > 0 else 9.99)
        c = cap.until(team.id, horizon)
        d = demand[team.id][-1]
        row.append(None if c <= 0 and d <= 0 else round(d / c, 3) if c > 0 else 9.99)
        for k, v in enumerate(row):
            if v is not None and v > 1.0:
                overloaded.append(f"{team.id} · {columns[k]}")
        values.append(tuple(row))
    return LoadView(
        source="deadlines",
        note=(
            "work due in each increment / capacity in it (items without a deadline count only "
            f"in the last column); {why}"
        ),
        columns=columns,
        teams=tuple(t.id for t in program.teams[: ctx.limit]),
        values=tuple(values[: ctx.limit]),
        overloaded=tuple(overloaded[: ctx.limit]),
    )


__all__ = ["LoadView", "load"]
