"""CP-SAT back-end (OR-Tools): interval variables, one cumulative per resource, modes as
optional intervals, a warm start from the heuristic, a tight horizon and lower bounds.

The model, split as variables / constraints / objective:

* **variables** - per activity a start ``s`` in ``[earliest start, latest start]`` (critical
  path windows for the horizon), and per mode a presence literal with an optional interval;
  exactly one mode is present and ``end = s + sum(presence x duration)``;
* **constraints** - ``s(after) >= end(before) + lag``; one cumulative per resource whose
  capacity is the profile's peak, with fixed "blocker" intervals that take up the difference
  in periods of lower capacity; pins fix ``s``; hard deadlines and the horizon cap ``end``;
* **objective** - makespan, or the weighted sum (milestone completion = max of its ends,
  soft-deadline lateness, baseline moves), in the same fixed-point units as
  :func:`scaleplan.planning.problem.objective_value`.

Determinism: ``random_seed`` and ``num_workers`` are fixed; with ``deterministic=True`` the
search is interleaved (``interleave_search``) and stopped by deterministic time, so the same
inputs give the same plan on any machine load.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from scaleplan.planning.bounds import earliest_starts, latest_finishes
from scaleplan.planning.problem import WEIGHT_SCALE, PlanningProblem, weight_units

#: Deterministic mode: CP-SAT deterministic time per second of budget (calibrated so the
#: deterministic limit, not the clock, usually ends the search on a 2-core machine).
DTIME_PER_SECOND = 0.04


@dataclass(frozen=True, slots=True)
class CpsatOutcome:
    status: str  # optimal / feasible / infeasible / unknown
    starts: tuple[int, ...] | None
    modes: tuple[int, ...] | None
    objective: int | None  # fixed-point units
    bound: int | None  # fixed-point units
    stats: dict[str, Any]


class _Built:
    """A CP-SAT model of a problem with handles on its variables."""

    def __init__(self, model: Any, problem: PlanningProblem, horizon: int) -> None:
        self.model = model
        self.problem = problem
        self.horizon = horizon
        self.starts: list[Any] = []
        self.ends: list[Any] = []
        self.presence: list[list[Any]] = []
        self.makespan: Any = None

    def hint(self, starts: Sequence[int], modes: Sequence[int]) -> None:
        acts = self.problem.activities
        for j in range(self.problem.n):
            self.model.add_hint(self.starts[j], starts[j])
            for k, lit in enumerate(self.presence[j]):
                self.model.add_hint(lit, 1 if modes[j] == k else 0)
        if self.makespan is not None:
            self.model.add_hint(
                self.makespan,
                max(
                    (starts[j] + acts[j].modes[modes[j]].duration for j in range(len(acts))),
                    default=0,
                ),
            )

    def values(self, solver: Any) -> tuple[tuple[int, ...], tuple[int, ...]]:
        starts = tuple(int(solver.value(s)) for s in self.starts)
        modes = tuple(
            next((k for k, lit in enumerate(lits) if solver.boolean_value(lit)), 0)
            for lits in self.presence
        )
        return starts, modes


def _build(problem: PlanningProblem, horizon: int, lower_bound: int) -> _Built | str:
    """The model (variables, constraints, objective); a reason string if trivially
    infeasible."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    built = _Built(model, problem, horizon)
    n = problem.n
    es = earliest_starts(problem)
    lf = latest_finishes(problem, horizon)
    acts = problem.activities
    starts, ends, presence = built.starts, built.ends, built.presence

    # -- variables --------------------------------------------------------------------
    per_resource: dict[int, tuple[list[Any], list[int]]] = {}
    for j, a in enumerate(acts):
        dmin = problem.min_durations[j]
        dmax = max(m.duration for m in a.modes)
        lo, hi = es[j], lf[j] - dmin
        if a.pinned_start is not None:
            lo = hi = a.pinned_start
            if a.pinned_start + dmin > lf[j]:
                return "a pinned activity ends after its latest finish"
        if lo > hi:
            return f"no time window for {a.id}: {lo} > {hi}"
        s = model.new_int_var(lo, hi, f"s{j}")
        starts.append(s)
        if len(a.modes) == 1:
            mode = a.modes[0]
            interval = model.new_fixed_size_interval_var(s, mode.duration, f"i{j}")
            ends.append(s + mode.duration)
            presence.append([])
            for r, q in mode.demands:
                per_resource.setdefault(r, ([], []))
                per_resource[r][0].append(interval)
                per_resource[r][1].append(q)
            continue
        e = model.new_int_var(lo + dmin, min(hi + dmax, lf[j]), f"e{j}")
        lits = []
        for k, mode in enumerate(a.modes):
            lit = model.new_bool_var(f"x{j}_{k}")
            lits.append(lit)
            interval = model.new_optional_fixed_size_interval_var(
                s, mode.duration, lit, f"i{j}_{k}"
            )
            model.add(e == s + mode.duration).only_enforce_if(lit)
            for r, q in mode.demands:
                per_resource.setdefault(r, ([], []))
                per_resource[r][0].append(interval)
                per_resource[r][1].append(q)
            if hi + mode.duration > lf[j]:
                model.add(s + mode.duration <= lf[j]).only_enforce_if(lit)
        model.add_exactly_one(lits)
        ends.append(e)
        presence.append(lits)

    # -- constraints ------------------------------------------------------------------
    for p in problem.precedences:
        if acts[p.after].pinned_start is not None and acts[p.before].pinned_start is not None:
            continue  # both fixed: nothing to decide (the checker still reports a clash)
        model.add(starts[p.after] >= ends[p.before] + p.lag)
    for r, (intervals, demands) in per_resource.items():
        res = problem.resources[r]
        profile = [res.cap(t) for t in range(horizon)]
        peak = max(profile, default=0)
        if peak <= 0:
            return f"resource {res.id} has no capacity before the horizon"
        for k, (a0, a1, q) in enumerate(_blockers(profile, peak)):
            intervals.append(model.new_fixed_size_interval_var(a0, a1 - a0, f"b{r}_{k}"))
            demands.append(q)
        model.add_cumulative(intervals, demands, peak)
    for j, a in enumerate(acts):
        if a.hard_deadline and a.deadline is not None:
            model.add(ends[j] <= a.deadline)
    for ms in problem.milestones:
        if ms.hard_deadline and ms.deadline is not None:
            for i in ms.activities:
                model.add(ends[i] <= ms.deadline)

    # -- objective --------------------------------------------------------------------
    terms: list[Any] = []
    if problem.objective == "makespan":
        lb = -(-lower_bound // WEIGHT_SCALE)
        makespan = model.new_int_var(min(lb, horizon), horizon, "makespan")
        sinks = [j for j in range(n) if not problem.successors[j]] or list(range(n))
        for j in sinks:
            model.add(makespan >= ends[j])
        model.minimize(makespan)
        built.makespan = makespan
        return built
    late = weight_units(problem.late_penalty)
    for j, a in enumerate(acts):
        if a.weight:
            terms.append(weight_units(a.weight) * ends[j])
        own = late if a.late_penalty is None else weight_units(a.late_penalty)
        if a.deadline is not None and not a.hard_deadline and own:
            tardy = model.new_int_var(0, max(horizon - a.deadline, 0), f"late{j}")
            model.add(tardy >= ends[j] - a.deadline)
            terms.append(own * tardy)
        if a.baseline_start is not None and (a.move_weight or a.pull_weight):
            later = model.new_int_var(0, horizon, f"later{j}")
            earlier = model.new_int_var(0, horizon, f"earlier{j}")
            model.add(starts[j] - a.baseline_start == later - earlier)
            terms.append(weight_units(a.move_weight) * later)
            terms.append(weight_units(a.pull_weight) * earlier)
    for k, ms in enumerate(problem.milestones):
        if not ms.activities:
            continue
        lo = max(es[i] + problem.min_durations[i] for i in ms.activities)
        done = model.new_int_var(min(lo, horizon), horizon, f"m{k}")
        for i in ms.activities:
            model.add(done >= ends[i])
        terms.append(weight_units(ms.weight) * done)
        own = late if ms.late_penalty is None else weight_units(ms.late_penalty)
        if ms.deadline is not None and not ms.hard_deadline and own:
            tardy = model.new_int_var(0, max(horizon - ms.deadline, 0), f"mlate{k}")
            model.add(tardy >= done - ms.deadline)
            terms.append(own * tardy)
    objective = sum(terms) if terms else 0
    if lower_bound > 0 and terms:
        model.add(objective >= lower_bound)
    model.minimize(objective)
    return built


def _params(
    solver: Any, *, time_limit: float, seed: int, workers: int, deterministic: bool
) -> None:
    params = solver.parameters
    params.num_workers = max(1, workers)
    params.random_seed = seed
    params.max_time_in_seconds = max(time_limit, 0.01)
    if deterministic:
        params.interleave_search = True
        params.max_deterministic_time = time_limit * DTIME_PER_SECOND


def solve_cpsat(
    problem: PlanningProblem,
    *,
    horizon: int,
    time_limit: float = 10.0,
    seed: int = 0,
    workers: int = 2,
    hint: tuple[Sequence[int], Sequence[int]] | None = None,
    lower_bound: int = 0,
    deterministic: bool = False,
    progress: Callable[[float, float | None], None] | None = None,
) -> CpsatOutcome:
    """Solve ``problem`` with every activity ending by ``horizon``.

    ``hint``: ``(starts, modes)`` of a known plan. ``lower_bound``: a proven objective lower
    bound in fixed-point units (for makespan: ``makespan x WEIGHT_SCALE``).
    """
    from ortools.sat.python import cp_model

    t0 = time.perf_counter()
    built = _build(problem, horizon, lower_bound)
    if isinstance(built, str):
        return _infeasible(t0, built)
    if hint is not None:
        built.hint(*hint)
    solver = cp_model.CpSolver()
    remaining = max(time_limit - (time.perf_counter() - t0), 0.05)
    _params(solver, time_limit=remaining, seed=seed, workers=workers, deterministic=deterministic)
    callback = _Progress(progress, remaining) if progress is not None else None
    code = solver.solve(built.model, callback)
    status = {
        cp_model.OPTIMAL: "optimal",
        cp_model.FEASIBLE: "feasible",
        cp_model.INFEASIBLE: "infeasible",
    }.get(code, "unknown")
    if code == cp_model.MODEL_INVALID:  # a bug in this module, never the user's input
        raise RuntimeError(f"CP-SAT model invalid: {built.model.validate()}")
    stats = {
        "cpsat_status": solver.status_name(code),
        "branches": solver.num_branches,
        "conflicts": solver.num_conflicts,
        "wall_time": round(solver.wall_time, 3),
        "deterministic_time": round(solver.deterministic_time, 3),
        "horizon": horizon,
    }
    if status in ("optimal", "feasible"):
        s_val, m_val = built.values(solver)
        scale = WEIGHT_SCALE if problem.objective == "makespan" else 1
        return CpsatOutcome(
            status,
            s_val,
            m_val,
            round(solver.objective_value * scale),
            max(round(solver.best_objective_bound * scale), lower_bound),
            stats,
        )
    return CpsatOutcome(status, None, None, None, None, stats)


def _blockers(profile: list[int], peak: int) -> list[tuple[int, int, int]]:
    """Fixed intervals ``(start, end, demand)`` that lower a cumulative of capacity ``peak``
    to ``profile`` period by period."""
    out: list[tuple[int, int, int]] = []
    t = 0
    while t < len(profile):
        gap = peak - profile[t]
        u = t + 1
        while u < len(profile) and profile[u] == profile[t]:
            u += 1
        if gap > 0:
            out.append((t, u, gap))
        t = u
    return out


def _infeasible(t0: float, why: str) -> CpsatOutcome:
    return CpsatOutcome(
        "infeasible", None, None, None, None, {"reason": why, "wall_time": time.perf_counter() - t0}
    )


class _Progress:
    """Reports (share of the time budget used, best objective) on each new solution."""

    def __new__(cls, report: Callable[[float, float | None], None], budget: float) -> Any:
        from ortools.sat.python import cp_model

        class Callback(cp_model.CpSolverSolutionCallback):
            def __init__(self) -> None:
                super().__init__()
                self.t0 = time.perf_counter()

            def on_solution_callback(self) -> None:
                used = (time.perf_counter() - self.t0) / max(budget, 1e-9)
                report(min(used, 1.0), float(self.objective_value))

        return Callback()


__all__ = ["CpsatOutcome", "solve_cpsat"]
