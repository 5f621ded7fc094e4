"""Planned load and capacity checks: dependencies onto an overloaded team (ORG017) and the
technical-debt reserve (ORG018)."""

from __future__ import annotations

from scaleplan.analysis.capacity import (
    increment_weeks,
    remaining_effort,
    team_capacity,
)
from scaleplan.analysis.org._common import (
    Finding,
    finding,
)
from scaleplan.model import Increment, Program, Status
from scaleplan.model.settings import OrgThresholds


def in_increment(program: Program, inc: Increment) -> dict[str, list[str]]:
    """Team -> open work items committed to ``inc``: the item's initiative serves an objective
    of ``inc``, or its deadline falls before the increment ends, or it is in progress or
    blocked."""
    objectives = {o.id for o in program.objectives if o.increment == inc.id}
    krs = {kr.id for o in program.objectives if o.id in objectives for kr in o.key_results}
    initiatives = {i.id for i in program.initiatives if krs.intersection(i.key_results)}
    out: dict[str, list[str]] = {}
    for item in program.work_items:
        if item.status in (Status.DONE, Status.CANCELLED):
            continue
        committed = (
            (item.initiative is not None and item.initiative in initiatives)
            or (item.deadline is not None and item.deadline < inc.end)
            or item.status in (Status.IN_PROGRESS, Status.BLOCKED)
        )
        if committed:
            out.setdefault(item.team, []).append(item.id)
    return out


def team_loads(program: Program, inc: Increment) -> dict[str, float]:
    """Team -> remaining effort of its items in ``inc`` / its capacity over ``inc``."""
    weeks = increment_weeks(program, inc)
    items = in_increment(program, inc)
    out: dict[str, float] = {}
    for team in program.teams:
        effort = sum(
            remaining_effort(program, program.work_items_by_id[i]) for i in items.get(team.id, ())
        )
        capacity = sum(team_capacity(program, team.id, w) for w in weeks)
        if capacity > 0:
            out[team.id] = effort / capacity
        elif effort > 0:
            out[team.id] = float("inf")
        else:
            out[team.id] = 0.0
    return out


def overload_findings(program: Program, inc: Increment, loads: dict[str, float]) -> list[Finding]:
    items = program.work_items_by_id
    incoming: dict[str, list[tuple[str, str]]] = {}
    for item in program.work_items:
        if item.status in (Status.DONE, Status.CANCELLED):
            continue
        for dep in item.depends_on_ids:
            other = items.get(dep)
            if other is None or other.team == item.team:
                continue
            if other.status in (Status.DONE, Status.CANCELLED):
                continue
            incoming.setdefault(other.team, []).append((item.id, other.id))
    out: list[Finding] = []
    for team in program.teams:
        load = loads.get(team.id, 0.0)
        deps = incoming.get(team.id)
        if not deps or load <= 1.0:
            continue
        teams = sorted({items[a].team for a, _ in deps})
        shown = ", ".join(f"{a} -> {b}" for a, b in deps[:3])
        more = len(deps) - 3
        measured = round(load, 4) if load != float("inf") else "inf"
        out.append(
            finding(
                "ORG017",
                "team",
                team.id,
                f"team '{team.id}' is planned at {load:.0%} of capacity in {inc.id} and "
                f"{len(deps)} item(s) of {', '.join(teams)} depend on it ({shown}"
                f"{f' and {more} more' if more > 0 else ''})",
                measured,
                "<= 100% planned load",
                hint="cut scope, move capacity to the team, or re-plan the dependent items",
                extra={"dependents": [list(d) for d in deps], "teams": teams},
            )
        )
    return out


def tech_debt_findings(program: Program, t: OrgThresholds) -> list[Finding]:
    reserve = program.settings.tech_debt_reserve
    if reserve >= t.tech_debt_reserve_min:
        return []
    return [
        finding(
            "ORG018",
            "program",
            program.program.name,
            f"{reserve:.0%} of capacity is reserved for technical debt, under "
            f"{t.tech_debt_reserve_min:.0%}",
            reserve,
            f">= {t.tech_debt_reserve_min:.0%}",
            hint="raise settings.tech_debt_reserve (20% of each sprint is the usual figure)",
        )
    ]
