"""Capacity suggestions: "what extra capacity, in which team and when, makes deadline X
feasible?" - answered as an optimisation, not guessed.

The model (CP-SAT, a resource-investment variant of the plan):

* only the work the target needs is scheduled - the target item (or every item of the target
  initiative), all their transitive predecessors, and in-progress (pinned) work, which holds
  capacity whatever happens; everything else can wait until after the deadline;
* for each team and each block of periods (a sprint by default) from ``not_before`` to the
  deadline, an integer ``extra[team, block]`` in ``0..max_extra_people`` adds that many
  full-time people to the team's capacity in that block;
* items may use the extra people: their modes are rebuilt up to ``max_people`` against the
  team's raised peak;
* every needed item ends by the deadline; precedences, lags, releases, pins, WIP limits hold;
* objective: minimise the added person-weeks, ``sum(extra x block length)``.

Assumptions, stated in the answer: added people are productive at once at the team's rate
(no ramp-up) and the needed work gets priority over other work of those teams.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, replace
from typing import Any

from scaleplan.errors import UsageError
from scaleplan.planning.bounds import earliest_starts
from scaleplan.planning.build import PERSON, deadline_period, item_modes, start_period
from scaleplan.planning.checker import check_plan
from scaleplan.planning.diagnose import critical_chain
from scaleplan.planning.problem import (
    Activity,
    Milestone,
    Mode,
    PlanningProblem,
    Precedence,
    Resource,
)
from scaleplan.planning.result import PlannedItem, PlanResult


@dataclass(frozen=True, slots=True)
class Addition:
    """``people`` extra full-time people in ``team`` over periods ``[start, end)``."""

    team: str
    start: int
    end: int
    people: float
    person_weeks: float
    start_date: str | None = None
    end_date: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "team": self.team,
            "start": self.start,
            "end": self.end,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "people": self.people,
            "person_weeks": round(self.person_weeks, 2),
        }


@dataclass(frozen=True)
class CapacitySuggestion:
    """The least extra capacity that makes ``target`` meet ``deadline``."""

    target: str
    deadline: int
    deadline_date: str | None
    #: ``not-needed`` (already feasible), ``optimal``, ``feasible`` (best found, not proven
    #: least), ``impossible`` (no capacity helps within the limits) or ``unknown`` (time ran
    #: out before any answer).
    status: str
    message: str
    additions: tuple[Addition, ...] = ()
    total_person_weeks: float = 0.0
    #: The dependency chain that makes it impossible, when it is.
    chain: tuple[str, ...] = ()
    #: The needed items' plan with the added capacity (checked by the plan checker).
    plan: tuple[PlannedItem, ...] = ()
    checker_violations: tuple[str, ...] = ()
    runtime: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "deadline": self.deadline,
            "deadline_date": self.deadline_date,
            "status": self.status,
            "message": self.message,
            "additions": [a.to_dict() for a in self.additions],
            "total_person_weeks": round(self.total_person_weeks, 2),
            "chain": list(self.chain),
            "plan": [p.to_dict() for p in self.plan],
            "checker_violations": list(self.checker_violations),
            "runtime": round(self.runtime, 3),
        }


def suggest_capacity(
    problem: PlanningProblem,
    target: str,
    *,
    deadline: int | None = None,
    deadline_date: dt.date | None = None,
    max_extra_people: int = 5,
    block_weeks: int | None = None,
    not_before: dt.date | None = None,
    teams: tuple[str, ...] | None = None,
    time_limit: float = 10.0,
    seed: int = 0,
    workers: int = 2,
) -> CapacitySuggestion:
    """The least extra capacity (person-weeks, by team and block) that lets ``target`` (an
    item or initiative of ``problem``) end by its deadline, or by ``deadline`` /
    ``deadline_date`` when given. ``teams`` limits which teams may grow; ``not_before``
    is the earliest date extra people can start (hiring lead time)."""
    from ortools.sat.python import cp_model

    t0 = time.perf_counter()
    if max_extra_people < 0:
        raise UsageError("max extra people must be >= 0")
    members, own_deadline = _target(problem, target)
    wd = int(problem.meta.get("working_days", 5))
    if deadline_date is not None:
        if problem.origin is None:
            raise UsageError("a deadline date needs a problem with a calendar")
        deadline = deadline_period(problem.origin, problem.unit, wd, deadline_date)
    if deadline is None:
        deadline = own_deadline
    if deadline is None:
        raise UsageError(f"{target} has no deadline; pass --deadline YYYY-MM-DD")
    date_of = _dater(problem)
    end_of = _ender(problem)
    per_week = wd if problem.unit == "day" else 1
    block = max((block_weeks or int(problem.meta.get("sprint_weeks", 2))) * per_week, 1)
    first = 0
    if not_before is not None and problem.origin is not None:
        first = start_period(problem.origin, problem.unit, wd, not_before)
    growable = {
        r
        for r, res in enumerate(problem.resources)
        if res.kind == "capacity" and (teams is None or (res.team or res.id) in teams)
    }
    if teams is not None:
        unknown = set(teams) - {res.team or res.id for res in problem.resources}
        if unknown:
            raise UsageError(f"unknown team(s) {', '.join(sorted(unknown))}")

    sub, keep, ancestors = _sub_problem(problem, members, deadline, growable, max_extra_people)
    targets = tuple(keep.index(j) for j in members)
    es = earliest_starts(sub)
    last = max(targets, key=lambda j: es[j] + sub.min_durations[j])
    finish = es[last] + sub.min_durations[last]
    base = {
        "target": target,
        "deadline": deadline,
        "deadline_date": end_of(deadline),
    }
    if finish > deadline:
        chain = critical_chain(sub, es, last)
        return CapacitySuggestion(
            **base,
            status="impossible",
            message=(
                f"no amount of extra capacity helps: the dependency chain {' -> '.join(chain)} "
                f"ends at the earliest {finish - deadline} {_unit(problem)}(s) after the deadline"
                " even with every item at the most people the teams allowed to grow can staff"
            ),
            chain=chain,
            runtime=time.perf_counter() - t0,
        )

    model = cp_model.CpModel()
    starts, ends, lits = [], [], []
    per_resource: dict[int, tuple[list[Any], list[Any]]] = {}
    for j, a in enumerate(sub.activities):
        lo = es[j]
        hi = deadline - sub.min_durations[j]
        if a.pinned_start is not None:
            lo = hi = a.pinned_start
        if lo > hi:
            hi = lo  # the deadline constraint below makes the model infeasible, as it should
        s = model.new_int_var(lo, hi, f"s{j}")
        e = model.new_int_var(lo, hi + max(m.duration for m in a.modes), f"e{j}")
        choice = []
        for k, mode in enumerate(a.modes):
            lit = model.new_bool_var(f"x{j}_{k}")
            choice.append(lit)
            iv = model.new_optional_fixed_size_interval_var(s, mode.duration, lit, f"i{j}_{k}")
            model.add(e == s + mode.duration).only_enforce_if(lit)
            for r, q in mode.demands:
                per_resource.setdefault(r, ([], []))
                per_resource[r][0].append(iv)
                per_resource[r][1].append(q)
        model.add_exactly_one(choice)
        if keep[j] in ancestors:
            model.add(e <= deadline)
        starts.append(s)
        ends.append(e)
        lits.append(choice)
    for p in sub.precedences:
        model.add(starts[p.after] >= ends[p.before] + p.lag)
    extra: dict[tuple[int, int], Any] = {}
    horizon = max(
        deadline,
        max((a.pinned_start or 0) + max(m.duration for m in a.modes) for a in sub.activities),
    )
    for r, (intervals, demands) in per_resource.items():
        res = sub.resources[r]
        grow = r in growable and res.kind == "capacity"
        top = max(res.cap(t) for t in range(horizon)) + (max_extra_people * PERSON if grow else 0)
        t = 0
        while t < horizon:
            b = t // block if grow and t >= first and t < deadline else None
            u = t + 1
            while (
                u < horizon
                and res.cap(u) == res.cap(t)
                and (u // block if grow and first <= u < deadline else None) == b
            ):
                u += 1
            fixed = top - res.cap(t)
            if b is not None:
                var = extra.get((r, b))
                if var is None:
                    var = model.new_int_var(0, max_extra_people, f"extra{r}_{b}")
                    extra[(r, b)] = var
                demand: Any = fixed - PERSON * var
            else:
                demand = fixed
            if b is not None or fixed > 0:
                intervals.append(model.new_fixed_size_interval_var(t, u - t, f"blk{r}_{t}"))
                demands.append(demand)
            t = u
        model.add_cumulative(intervals, demands, top)
    cost = []
    for (_r, b), var in extra.items():
        lo, hi = max(b * block, first), min((b + 1) * block, deadline)
        cost.append((hi - lo) * var)
    model.minimize(sum(cost) if cost else 0)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(time_limit - (time.perf_counter() - t0), 0.1)
    solver.parameters.num_workers = max(workers, 1)
    solver.parameters.random_seed = seed
    code = solver.solve(model)
    if code == cp_model.INFEASIBLE:
        return CapacitySuggestion(
            **base,
            status="impossible",
            message=(
                f"not possible with up to {max_extra_people} extra people per team and "
                f"{'block' if block != per_week else 'week'}"
                + (f" from {not_before}" if not_before else "")
                + (f" in {', '.join(teams)}" if teams else "")
            ),
            runtime=time.perf_counter() - t0,
        )
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return CapacitySuggestion(
            **base,
            status="unknown",
            message="no answer within the time limit; try a longer --time-limit",
            runtime=time.perf_counter() - t0,
        )
    additions = _additions(sub, extra, solver, block, first, deadline, per_week, date_of, end_of)
    total = sum(a.person_weeks for a in additions)
    plan = tuple(
        PlannedItem(
            a.id,
            a.team,
            int(solver.value(starts[j])),
            int(solver.value(ends[j])),
            a.modes[_mode(solver, lits[j])].people,
            _mode(solver, lits[j]),
        )
        for j, a in enumerate(sub.activities)
    )
    violations = tuple(check_plan(_augmented(sub, additions), _as_result(sub, plan)))
    status = "optimal" if code == cp_model.OPTIMAL else "feasible"
    if not additions:
        status = "not-needed"
        message = (
            f"{target} can already end by {end_of(deadline) or deadline} if its work gets priority"
        )
    else:
        parts = [
            f"{a.people:g} in {a.team} {a.start_date or a.start}..{a.end_date or a.end}"
            for a in additions
        ]
        least = "the least" if status == "optimal" else "the least found"
        message = (
            f"add {total:g} person-weeks ({least}): {'; '.join(parts)} - assuming added people "
            "are productive at once and this work gets priority"
        )
    return CapacitySuggestion(
        **base,
        status=status,
        message=message,
        additions=additions,
        total_person_weeks=total,
        plan=plan,
        checker_violations=violations,
        runtime=time.perf_counter() - t0,
    )


def _target(problem: PlanningProblem, target: str) -> tuple[tuple[int, ...], int | None]:
    if target in problem.index:
        j = problem.index[target]
        return (j,), problem.activities[j].deadline
    for ms in problem.milestones:
        if ms.id == target:
            if not ms.activities:
                break
            return ms.activities, ms.deadline
    raise UsageError(f"'{target}' is neither a planned item nor an initiative with planned items")


def _sub_problem(
    problem: PlanningProblem,
    members: tuple[int, ...],
    deadline: int,
    growable: set[int],
    max_extra: int,
) -> tuple[PlanningProblem, list[int], set[int]]:
    """The needed activities (the target and its ancestors, plus pinned ones) with modes
    rebuilt against raised team peaks; also the indices of the target and its ancestors."""
    needed = set(members)
    stack = list(members)
    while stack:
        j = stack.pop()
        for p, _ in problem.predecessors[j]:
            if p not in needed:
                needed.add(p)
                stack.append(p)
    ancestors = set(needed)
    needed |= {j for j, a in enumerate(problem.activities) if a.pinned_start is not None}
    keep = sorted(needed)
    new_index = {j: k for k, j in enumerate(keep)}
    items = problem.meta.get("items", {})
    rates = problem.meta.get("rate_per_person_week", {})
    per_week = int(problem.meta.get("working_days", 5)) if problem.unit == "day" else 1
    acts: list[Activity] = []
    for j in keep:
        a = problem.activities[j]
        info = items.get(a.id)
        team_r = next(
            (r for m in a.modes for r, _ in m.demands if problem.resources[r].kind == "capacity"),
            None,
        )
        if info is not None and team_r is not None and team_r in growable and a.team in rates:
            res = problem.resources[team_r]
            peak = res.peak + max_extra * PERSON
            modes = item_modes(
                float(info["effort"]),
                int(info["max_people"]),
                peak,
                rates[a.team],
                per_week,
                team_r,
            )
            wip = [
                (r, q)
                for m in a.modes[:1]
                for r, q in m.demands
                if problem.resources[r].kind == "wip"
            ]
            if wip:
                modes = tuple(
                    Mode(m.duration, (*m.demands, *wip) if m.duration else m.demands, m.people)
                    for m in modes
                )
            a = replace(a, modes=modes)
        acts.append(replace(a, hard_deadline=False, deadline=None, weight=0.0))
    precs = tuple(
        Precedence(new_index[p.before], new_index[p.after], p.lag)
        for p in problem.precedences
        if p.before in new_index and p.after in new_index
    )
    sub = PlanningProblem(
        activities=tuple(acts),
        resources=problem.resources,
        precedences=precs,
        milestones=(
            Milestone("target", tuple(new_index[j] for j in members), 1.0, deadline, True),
        ),
        objective="weighted",
        name=f"{problem.name}: capacity",
        unit=problem.unit,
        origin=problem.origin,
        period_days=problem.period_days,
        meta=problem.meta,
    )
    return sub, keep, ancestors


def _mode(solver: Any, lits: list[Any]) -> int:
    return next((k for k, lit in enumerate(lits) if solver.boolean_value(lit)), 0)


def _additions(
    sub: PlanningProblem,
    extra: dict[tuple[int, int], Any],
    solver: Any,
    block: int,
    first: int,
    deadline: int,
    per_week: int,
    date_of: Any,
    end_of: Any,
) -> tuple[Addition, ...]:
    rows: list[Addition] = []
    for (r, b), var in sorted(extra.items()):
        people = int(solver.value(var))
        if people <= 0:
            continue
        lo, hi = max(b * block, first), min((b + 1) * block, deadline)
        team = sub.resources[r].team or sub.resources[r].id
        if rows and rows[-1].team == team and rows[-1].end == lo and rows[-1].people == people:
            prev = rows[-1]
            rows[-1] = replace(
                prev,
                end=hi,
                end_date=end_of(hi),
                person_weeks=prev.person_weeks + people * (hi - lo) / per_week,
            )
            continue
        rows.append(
            Addition(
                team, lo, hi, float(people), people * (hi - lo) / per_week, date_of(lo), end_of(hi)
            )
        )
    return tuple(rows)


def _augmented(sub: PlanningProblem, additions: tuple[Addition, ...]) -> PlanningProblem:
    """``sub`` with the added people in its team capacities (to check the plan against)."""
    resources = list(sub.resources)
    for add in additions:
        for r, res in enumerate(resources):
            if res.kind == "capacity" and (res.team or res.id) == add.team:
                size = max(len(res.capacity), add.end + 1)
                cap = [res.cap(t) for t in range(size)]
                for t in range(add.start, add.end):
                    cap[t] += round(add.people * PERSON)
                resources[r] = Resource(res.id, tuple(cap), res.kind, res.team, res.scale)
    return sub.with_changes(resources=tuple(resources))


def _as_result(sub: PlanningProblem, plan: tuple[PlannedItem, ...]) -> PlanResult:
    return PlanResult(
        "feasible", "suggest", None, None, 0.0, plan, unit=sub.unit, origin=sub.origin
    )


def _probe(problem: PlanningProblem) -> PlanResult:
    return PlanResult(
        "unknown",
        "-",
        None,
        None,
        0.0,
        unit=problem.unit,
        origin=problem.origin,
        period_days=problem.period_days,
        working_days=int(problem.meta.get("working_days", 5)),
    )


def _dater(problem: PlanningProblem) -> Any:
    """``period -> ISO date`` of the period's first day."""
    probe = _probe(problem)

    def date_of(period: int) -> str | None:
        d = probe.date_of(period)
        return d.isoformat() if d else None

    return date_of


def _ender(problem: PlanningProblem) -> Any:
    """``end period -> ISO date`` of the last working day before it."""
    probe = _probe(problem)

    def finish(period: int) -> str | None:
        d = probe.finish_date(period)
        return d.isoformat() if d else None

    return finish


def _unit(problem: PlanningProblem) -> str:
    return {"week": "week", "day": "day"}.get(problem.unit, "period")


__all__ = ["Addition", "CapacitySuggestion", "suggest_capacity"]
