"""Map a :class:`~scaleplan.model.Program` onto the solver-neutral planning problem.

The mapping (defaults and their sources are in ``docs/planning.md``):

* **What is planned**: every work item that is not done or cancelled, unless its initiative
  is cancelled or marked ``moscow: wont``. Effort is the remaining likely effort from
  :func:`scaleplan.analysis.capacity.remaining_effort` (points converted with the team rate).
* **Teams are resources.** The capacity of a team in a week is the number of full-time people
  present that week (hires, leavers, part-time, time off, loans), in hundredths of a person,
  from :func:`scaleplan.analysis.capacity.team_capacity`. One person delivers
  ``focus factor x (1 - tech-debt reserve) x holiday share`` person-weeks of effort per week,
  with program-wide holidays averaged over the planning window (so a one-day holiday slows
  work a little everywhere instead of forbidding work that spans it).
* **Modes**: an item may run with 1..``max_people`` people; with ``p`` people its duration is
  ``ceil(effort / (p x rate))`` periods. Modes that are no faster than one with fewer people
  are dropped.
* **WIP limits**: a second resource per team with capacity ``wip_limit``; every item of the
  team takes one unit of it while it runs.
* **In progress**: pinned at the ``started`` week (the plan start if earlier or missing), with
  the remaining effort; dependencies *into* in-progress items are dropped (the work already
  started) and listed in ``meta["dropped_dependencies"]``.
* **Dates**: ``earliest_start`` rounds up to the next period start; a deadline allows an end
  at the last working day of its week. Hard deadlines are constraints; soft ones cost
  ``late_penalty`` per week late.
* **Objective** ``weighted``: the sum over initiatives of priority weight x completion week,
  plus, per item, a tenth of its initiative's weight shared among its items (to finish items
  early), plus penalties. ``makespan``: the end of the last item.
* **Initiative dependencies** (``depends_on`` of initiatives: "must be done first") become a
  zero-duration gate activity ``@<initiative>`` after all items of the prerequisite and before
  the *last* items of the dependent initiative (those no other item of it waits for): the
  dependent initiative cannot land before its prerequisite, but its early work may start;
  item-level ``depends_on`` carries the finer sequencing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from scaleplan.analysis.capacity import (
    focus_of,
    increment_weeks,
    remaining_effort,
    team_capacity,
    week_of,
    week_start,
)
from scaleplan.errors import UsageError
from scaleplan.model import Increment, Program, Status, WorkItem
from scaleplan.planning.problem import (
    Activity,
    Milestone,
    Mode,
    Objective,
    PlanningProblem,
    Precedence,
    Resource,
)

#: Capacity units per full-time person.
PERSON = 100
#: Default cost per week a soft deadline is missed, in weight units (a weight-1 initiative
#: landing one week later costs 1).
LATE_PENALTY_PER_WEEK = 50.0
#: Share of an initiative's weight spread over its items' own completion times.
ITEM_WEIGHT_SHARE = 0.1


def build_problem(
    program: Program,
    *,
    increment: str | Increment | None = None,
    horizon_weeks: int | None = None,
    priorities: Mapping[str, float] | None = None,
    objective: Objective | str = "weighted",
    unit: str = "week",
    late_penalty: float = LATE_PENALTY_PER_WEEK,
) -> PlanningProblem:
    """The planning problem of ``program``.

    ``increment``: plan from the start of this increment (id or object; default: the calendar
    start) and show its sprints on the board. ``horizon_weeks``: every item must end within
    this many weeks of the plan start (hard). ``priorities``: initiative id -> weight (default:
    :func:`scaleplan.analysis.prioritisation.priority_weights`, or 1.0 each when unavailable).
    ``objective``: ``weighted`` or ``makespan``. ``unit``: ``week`` or ``day`` (working days).
    """
    if objective not in ("weighted", "makespan"):
        raise UsageError(f"unknown objective '{objective}'; use weighted or makespan")
    if unit not in ("week", "day"):
        raise UsageError(f"unknown time unit '{unit}'; use week or day")
    if horizon_weeks is not None and horizon_weeks <= 0:
        raise UsageError("the horizon must be at least 1 week")
    inc = _increment(program, increment)
    origin_date = inc.start if inc is not None else program.calendar.start
    origin_week = week_of(program, origin_date)
    origin = program.calendar.start + dt.timedelta(weeks=origin_week)
    wd = program.calendar.working_days
    per_week = wd if unit == "day" else 1
    weights = _weights(program, priorities)

    items = _planned_items(program)
    weeks = _profile_weeks(program, origin_week, horizon_weeks)
    shares = [_holiday_share(program, origin_week + w) for w in range(weeks)]
    mean_share = sum(shares) / len(shares) if shares else 1.0
    reserve = program.settings.tech_debt_reserve

    resources: list[Resource] = []
    team_res: dict[str, int] = {}
    wip_res: dict[str, int] = {}
    effort_per_unit: dict[str, float] = {}
    rate_of: dict[str, float] = {}
    teams_used = dict.fromkeys(i.team for i in items)
    for team in program.teams:
        if team.id not in teams_used:
            continue
        focus = focus_of(program, team)
        rate = focus * (1.0 - reserve) * mean_share  # person-weeks per person-week present
        people = _people_profile(program, team.id, origin_week, weeks, shares, focus)
        capacity = [round(PERSON * p) for p in people]
        capacity = [c for c in capacity for _ in range(per_week)]
        team_res[team.id] = len(resources)
        resources.append(Resource(team.id, tuple(capacity), "capacity", team.id, PERSON))
        effort_per_unit[team.id] = rate / PERSON / per_week
        rate_of[team.id] = rate
        if team.wip_limit is not None:
            wip_res[team.id] = len(resources)
            resources.append(Resource(f"{team.id}:wip", (team.wip_limit,), "wip", team.id, 1))

    def period_of_start(when: dt.date) -> int:
        return start_period(origin, unit, wd, when)

    def period_of_deadline(when: dt.date) -> int:
        return deadline_period(origin, unit, wd, when)

    activities: list[Activity] = []
    index: dict[str, int] = {}
    by_initiative: dict[str, list[int]] = {}
    item_meta: dict[str, dict[str, Any]] = {}
    for item in items:
        effort = remaining_effort(program, item)
        r = team_res[item.team]
        res = resources[r]
        modes = item_modes(effort, item.max_people, res.peak, rate_of[item.team], per_week, r)
        if item.team in wip_res:
            wip = wip_res[item.team]
            modes = tuple(
                Mode(m.duration, (*m.demands, (wip, 1)) if m.duration else m.demands, m.people)
                for m in modes
            )
        pinned = None
        if item.status is Status.IN_PROGRESS:
            pinned = period_of_start(item.started) if item.started else 0
            if item.started and item.started < origin:
                pinned = 0
        weight = 0.0
        if item.initiative is not None:
            by_initiative.setdefault(item.initiative, []).append(len(activities))
        else:
            weight = 1.0
        activities.append(
            Activity(
                id=item.id,
                modes=modes,
                team=item.team,
                name=item.title,
                release=period_of_start(item.earliest_start) if item.earliest_start else 0,
                pinned_start=pinned,
                deadline=period_of_deadline(item.deadline) if item.deadline else None,
                hard_deadline=item.deadline is not None and item.deadline_kind == "hard",
                weight=weight,
            )
        )
        index[item.id] = len(activities) - 1
        item_meta[item.id] = {
            "title": item.title,
            "initiative": item.initiative,
            "effort": round(effort, 4),
            "max_people": item.max_people,
            "status": item.status.value,
        }
    milestones: list[Milestone] = []
    for init_id, members in by_initiative.items():
        initiative = program.initiatives_by_id.get(init_id)
        w = float(weights.get(init_id, 1.0))
        share = ITEM_WEIGHT_SHARE * w / len(members)
        for j in members:
            activities[j] = _with_weight(activities[j], share)
        deadline = None
        if initiative is not None and initiative.deadline is not None:
            deadline = period_of_deadline(initiative.deadline)
        milestones.append(
            Milestone(
                init_id,
                tuple(members),
                w,
                deadline,
                False,
                initiative.title if initiative is not None else init_id,
            )
        )

    precedences: list[Precedence] = []
    dropped: list[dict[str, str]] = []
    for item in items:
        j = index[item.id]
        for dep in item.depends_on:
            if dep.item not in index:
                continue  # done, cancelled or not planned: nothing to wait for
            if activities[j].pinned_start is not None:
                dropped.append({"item": item.id, "depends_on": dep.item})
                continue
            lag = math.ceil(dep.lag_weeks * per_week - 1e-9)
            precedences.append(Precedence(index[dep.item], j, lag))
    gates, skipped = _initiative_gates(program, by_initiative, activities, precedences)

    meta: dict[str, Any] = {
        "program": program.program.name,
        "origin_week": origin_week,
        "sprint_weeks": program.calendar.sprint_weeks,
        "working_days": wd,
        "increment": inc.id if inc is not None else None,
        "increment_periods": _increment_periods(program, inc, origin_week, per_week),
        "commit_periods": _increment_periods(
            program, inc or _increment_at(program, origin_date), origin_week, per_week
        ),
        "effort_per_unit": effort_per_unit,
        "rate_per_person_week": dict(rate_of),
        "holiday_share": round(mean_share, 4),
        "dropped_dependencies": dropped,
        "items": item_meta,
        "gates": gates,
        "skipped_initiative_dependencies": skipped,
        "weights": {k: round(v, 4) for k, v in weights.items()},
    }
    return PlanningProblem(
        activities=tuple(activities),
        resources=tuple(resources),
        precedences=tuple(precedences),
        milestones=tuple(milestones),
        objective=objective,
        name=program.program.name,
        unit="day" if unit == "day" else "week",
        origin=origin,
        period_days=wd if unit == "day" else 7,
        horizon=horizon_weeks * per_week if horizon_weeks is not None else None,
        late_penalty=late_penalty / per_week,
        meta=meta,
    )


def start_period(origin: dt.date, unit: str, working_days: int, when: dt.date) -> int:
    """First period that starts on or after ``when`` (0 for dates before ``origin``)."""
    days = (when - origin).days
    if days <= 0:
        return 0
    if unit != "day":
        return -(-days // 7)
    week, dow = divmod(days, 7)
    return week * working_days + dow if dow < working_days else (week + 1) * working_days


def deadline_period(origin: dt.date, unit: str, working_days: int, when: dt.date) -> int:
    """Latest end period that finishes by ``when``: a week counts as done on its last
    working day."""
    days = (when - origin).days
    if unit != "day":
        return (days + 1 + (7 - working_days)) // 7
    week, dow = divmod(days, 7)
    return week * working_days + min(dow + 1, working_days)


def _increment(program: Program, increment: str | Increment | None) -> Increment | None:
    if increment is None or isinstance(increment, Increment):
        return increment
    for inc in program.calendar.increments:
        if inc.id == increment:
            return inc
    known = ", ".join(i.id for i in program.calendar.increments) or "none defined"
    raise UsageError(f"unknown increment '{increment}' (increments: {known})")


def _increment_at(program: Program, when: dt.date) -> Increment | None:
    """The increment running on ``when``, if any."""
    for inc in program.calendar.increments:
        if inc.start <= when < inc.end:
            return inc
    return None


def _increment_periods(
    program: Program, inc: Increment | None, origin_week: int, per_week: int
) -> int | None:
    if inc is None:
        return None
    weeks = increment_weeks(program, inc)
    return (weeks.stop - origin_week) * per_week


def _weights(program: Program, priorities: Mapping[str, float] | None) -> dict[str, float]:
    if priorities is not None:
        bad = {k: v for k, v in priorities.items() if v <= 0}
        if bad:
            raise UsageError(f"priority weights must be above 0: {bad}")
        return dict(priorities)
    try:
        from scaleplan.analysis.prioritisation import priority_weights
    except ImportError:
        return {i.id: 1.0 for i in program.initiatives}
    return priority_weights(program)


def _planned_items(program: Program) -> list[WorkItem]:
    skip = {
        i.id
        for i in program.initiatives
        if i.status is Status.CANCELLED or (i.moscow is not None and i.moscow.value == "wont")
    }
    return [
        w
        for w in program.work_items
        if w.status not in (Status.DONE, Status.CANCELLED) and w.initiative not in skip
    ]


def _profile_weeks(program: Program, origin_week: int, horizon_weeks: int | None) -> int:
    """Weeks of explicit capacity profile: up to the last date that changes capacity."""
    if horizon_weeks is not None:
        return horizon_weeks
    dates: list[dt.date] = []
    if program.calendar.end is not None:
        dates.append(program.calendar.end)
    for p in program.people:
        dates += [d for d in (p.start_date, p.end_date) if d is not None]
    dates += [e.end for e in program.capacity_exceptions]
    dates += [h.date for h in program.calendar.holidays]
    last = max((week_of(program, d) for d in dates), default=origin_week)
    return max(last - origin_week + 2, 13)


def _holiday_share(program: Program, week: int) -> float:
    """Share of the week's working days that are not program-wide holidays."""
    from scaleplan.analysis.capacity import working_share

    return working_share(program, week_start(program, week))


def _people_profile(
    program: Program,
    team_id: str,
    origin_week: int,
    weeks: int,
    shares: list[float],
    focus: float,
) -> list[float]:
    """Full-time people present per week: capacity before reserve / (focus x holiday share)."""
    out: list[float] = []
    for w in range(weeks):
        share = shares[w]
        if share <= 0 or focus <= 0:
            out.append(out[-1] if out else 0.0)
            continue
        gross = team_capacity(program, team_id, origin_week + w, reserve=0.0)
        out.append(gross / (focus * share))
    return out


def item_modes(
    effort: float, max_people: int, peak: int, rate: float, per_week: int, resource: int
) -> tuple[Mode, ...]:
    """Modes of an item of ``effort`` person-weeks on a team resource whose capacity peaks at
    ``peak`` units: 1..max_people people, dominated ones (no faster) left out."""
    if effort <= 1e-9:
        return (Mode(0, (), 0.0),)
    modes: list[Mode] = []
    best = None
    for p in range(1, max_people + 1):
        demand = min(PERSON * p, peak) if peak > 0 else PERSON * p
        people = demand / PERSON
        speed = people * rate  # person-weeks of effort per week
        if speed <= 0:
            duration = math.ceil(effort * per_week - 1e-9)
        else:
            duration = max(math.ceil(effort / speed * per_week - 1e-9), 1)
        if best is not None and duration >= best:
            continue
        best = duration
        modes.append(
            Mode(duration, ((resource, demand),), float(p) if demand == PERSON * p else people)
        )
        if demand < PERSON * p:
            break
    return tuple(modes)


def _with_weight(activity: Activity, weight: float) -> Activity:
    from dataclasses import replace

    return replace(activity, weight=activity.weight + weight)


def _initiative_gates(
    program: Program,
    by_initiative: dict[str, list[int]],
    activities: list[Activity],
    precedences: list[Precedence],
) -> tuple[list[str], list[dict[str, str]]]:
    """Gate activities for initiative dependencies; a dependency that would close a cycle
    with item dependencies is skipped and returned."""
    gates: list[str] = []
    skipped: list[dict[str, str]] = []
    gate_of: dict[str, int] = {}
    succ: dict[int, list[int]] = {}
    for p in precedences:
        succ.setdefault(p.before, []).append(p.after)

    def reaches(sources: list[int], targets: set[int]) -> bool:
        seen = set(sources)
        stack = list(sources)
        while stack:
            j = stack.pop()
            if j in targets:
                return True
            for s in succ.get(j, ()):
                if s not in seen:
                    seen.add(s)
                    stack.append(s)
        return False

    for initiative in program.initiatives:
        if initiative.id not in by_initiative:
            continue
        for prereq in initiative.depends_on:
            if prereq not in by_initiative:
                continue
            members = set(by_initiative[initiative.id])
            later = [
                j
                for j in by_initiative[initiative.id]
                if activities[j].pinned_start is None
                and not any(s in members for s in succ.get(j, ()))
            ]
            if reaches(later, set(by_initiative[prereq])):
                skipped.append({"initiative": initiative.id, "depends_on": prereq})
                continue
            if prereq not in gate_of:
                gate = len(activities)
                gate_of[prereq] = gate
                gate_id = f"@{prereq}"
                activities.append(Activity(gate_id, (Mode(0, (), 0.0),), None, f"{prereq} done"))
                gates.append(gate_id)
                for j in by_initiative[prereq]:
                    precedences.append(Precedence(j, gate))
                    succ.setdefault(j, []).append(gate)
            for j in later:
                precedences.append(Precedence(gate_of[prereq], j))
                succ.setdefault(gate_of[prereq], []).append(j)
    return gates, skipped


__all__ = [
    "ITEM_WEIGHT_SHARE",
    "LATE_PENALTY_PER_WEEK",
    "PERSON",
    "build_problem",
    "deadline_period",
    "item_modes",
    "start_period",
]
