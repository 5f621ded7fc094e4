"""One entry point for every back-end: :func:`solve`.

``backend="heuristic"`` runs the serial-SGS search for the whole time budget.
``backend="cpsat"`` first runs the heuristic briefly (a warm start, a tight horizon and an
incumbent to fall back on), then CP-SAT for the rest of the budget; the better plan wins.
When OR-Tools is missing, ``cpsat`` falls back to the heuristic (``stats["fallback"]``).

Infeasibility is a status with a diagnosis, never an exception.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal

from scaleplan.errors import UsageError
from scaleplan.planning.backends.heuristic import Schedule, Search
from scaleplan.planning.bounds import objective_bound
from scaleplan.planning.diagnose import diagnose
from scaleplan.planning.problem import (
    WEIGHT_SCALE,
    PlanningProblem,
    hard_lateness,
    objective_value,
)
from scaleplan.planning.result import Finding, PlannedItem, PlanResult, Status

Backend = Literal["cpsat", "heuristic"]
#: ``progress(share of the time budget used, best objective so far or None)``.
Progress = Callable[[float, float | None], None]

BACKENDS: tuple[str, ...] = ("cpsat", "heuristic")
#: Share of the time budget the ``cpsat`` back-end gives the heuristic first; large
#: makespan problems get more (the genetic search with justification improves them faster
#: than CP-SAT on two workers, which rarely proves them optimal anyway).
HEURISTIC_SHARE = 0.3
HEURISTIC_SHARE_LARGE = 0.7
LARGE = 60
#: The heuristic stops after this many schedules without improvement (plus so many per
#: activity): small problems converge long before the time limit.
STALL_BASE = 1000
STALL_PER_ACTIVITY = 100
#: Deterministic mode: activity placements per second of budget the heuristic may make
#: (calibrated so the work budget, not the clock, usually ends the search).
WORK_RATE = 30_000


def solve(
    problem: PlanningProblem,
    backend: str = "cpsat",
    time_limit: float = 10.0,
    seed: int = 0,
    workers: int = 2,
    hint: PlanResult | None = None,
    progress: Progress | None = None,
    *,
    deterministic: bool = False,
    max_schedules: int | None = None,
) -> PlanResult:
    """Plan ``problem`` with ``backend`` within about ``time_limit`` seconds.

    ``hint``: a previous plan of the same activities (ids matched) to start from.
    ``deterministic``: make the result independent of machine speed and load: the heuristic
    stops after a number of schedules (``max_schedules``, by default ``WORK_RATE`` activity
    placements per second of budget) and CP-SAT runs an interleaved search stopped by
    deterministic time; the wall-clock limit stays as a safety cap (``stats`` says which
    stopped the search). Returns a frozen :class:`PlanResult`.

    >>> from scaleplan.planning.problem import *
    >>> p = PlanningProblem((Activity("a", (Mode(2, ((0, 1),)),)),
    ...                      Activity("b", (Mode(3, ((0, 1),)),))), (Resource("r", (1,)),),
    ...                     objective="makespan")
    >>> solve(p, backend="heuristic", time_limit=1).objective
    5.0
    """
    if backend not in BACKENDS:
        raise UsageError(f"unknown backend '{backend}'; use one of: {', '.join(BACKENDS)}")
    if time_limit <= 0:
        raise UsageError("time limit must be above 0 seconds")
    t0 = time.perf_counter()
    bound = objective_bound(problem)
    findings = diagnose(problem)
    if findings:
        return _result(problem, "infeasible", backend, None, bound, t0, diagnosis=findings)
    if problem.n == 0:
        return _result(problem, "optimal", backend, Schedule((), (), (), 0), 0, t0)

    search = Search(problem, seed=seed)
    hint_schedule = _schedule_from_hint(problem, search, hint)
    use_cpsat = backend == "cpsat" and _has_ortools()
    stats: dict[str, object] = {}
    if backend == "cpsat" and not use_cpsat:
        stats["fallback"] = "OR-Tools is not installed; used the heuristic"
    share = HEURISTIC_SHARE
    if problem.objective == "makespan" and problem.n >= LARGE:
        share = HEURISTIC_SHARE_LARGE
    warm = time_limit if not use_cpsat else min(max(share * time_limit, 0.2), time_limit)
    cap = warm
    if deterministic and max_schedules is None:
        max_schedules = max(20, int(warm * WORK_RATE / max(problem.n, 1)))
        cap = min(2 * warm, time_limit)
    stats["heuristic_budget"] = {"seconds": round(cap, 3), "schedules": max_schedules}

    def heuristic_progress(share: float, best: float | None) -> None:
        if progress is not None:
            progress(share * warm / time_limit, best)

    outcome = search.run(
        cap,
        max_schedules=max_schedules,
        stop_at=bound,
        progress=heuristic_progress if progress else None,
        stall=STALL_BASE + STALL_PER_ACTIVITY * problem.n,
    )
    best = search.best
    if hint_schedule is not None and (best is None or hint_schedule.cost < best.cost):
        best = hint_schedule
    stats.update(
        heuristic_rule=outcome.rule,
        heuristic_schedules=outcome.schedules,
        heuristic_objective=None if best is None else best.cost / WEIGHT_SCALE,
    )
    if best is None:
        return _result(
            problem,
            "infeasible",
            backend,
            None,
            bound,
            t0,
            diagnosis=[Finding("conflict", "an activity can never fit its resources")],
            stats=stats,
        )
    feasible = _feasible(problem, best)
    if feasible and best.cost <= bound:
        return _result(problem, "optimal", backend, best, bound, t0, stats=stats)
    if not use_cpsat:
        status: Status = "feasible" if feasible else "unknown"
        findings = [] if feasible else _missed(problem, best)
        return _result(problem, status, backend, best, bound, t0, diagnosis=findings, stats=stats)

    from scaleplan.planning.backends.cpsat import solve_cpsat

    horizon = _horizon(problem, best, feasible)
    remaining = max(time_limit - (time.perf_counter() - t0), 0.1)

    def cpsat_progress(share: float, objective: float | None) -> None:
        if progress is not None:
            scale = 1.0 if problem.objective == "makespan" else 1.0 / WEIGHT_SCALE
            done = (time_limit - remaining) / time_limit + share * remaining / time_limit
            progress(min(done, 1.0), None if objective is None else objective * scale)

    cp = solve_cpsat(
        problem,
        horizon=horizon,
        time_limit=remaining,
        seed=seed,
        workers=workers,
        hint=(best.starts, best.modes) if feasible or hint_schedule is not None else None,
        lower_bound=bound,
        deterministic=deterministic,
        progress=cpsat_progress if progress else None,
    )
    stats.update(cp.stats)
    if cp.status == "infeasible":
        if feasible:  # cannot happen: the hint is a feasible plan within the horizon
            raise RuntimeError("CP-SAT rejected a plan the checker accepts")
        findings = _missed(problem, best)
        return _result(
            problem, "infeasible", backend, None, bound, t0, diagnosis=findings, stats=stats
        )
    cp_bound = max(bound, cp.bound) if cp.bound is not None else bound
    if cp.starts is not None and cp.modes is not None:
        sched = _left_shift(problem, search, _schedule(problem, cp.starts, cp.modes))
        if not feasible or sched.cost <= best.cost:
            status = "optimal" if cp.status == "optimal" else "feasible"
            if status == "optimal":
                cp_bound = sched.cost
            return _result(problem, status, backend, sched, cp_bound, t0, stats=stats)
    if feasible:
        status = "optimal" if best.cost <= cp_bound else "feasible"
        return _result(problem, status, backend, best, cp_bound, t0, stats=stats)
    return _result(
        problem,
        "unknown",
        backend,
        best,
        cp_bound,
        t0,
        diagnosis=_missed(problem, best),
        stats=stats,
    )


def _has_ortools() -> bool:
    try:
        import ortools.sat.python.cp_model  # noqa: F401
    except ImportError:
        return False
    return True


def _feasible(problem: PlanningProblem, sched: Schedule) -> bool:
    if sched.overload:
        return False
    if problem.horizon is not None and sched.makespan > problem.horizon:
        return False
    return hard_lateness(problem, sched.ends) == 0


def _schedule(
    problem: PlanningProblem, starts: tuple[int, ...], modes: tuple[int, ...]
) -> Schedule:
    ends = tuple(s + problem.activities[j].modes[modes[j]].duration for j, s in enumerate(starts))
    return Schedule(starts, ends, modes, objective_value(problem, starts, ends))


def _left_shift(problem: PlanningProblem, search: Search, sched: Schedule) -> Schedule:
    """Re-run the serial SGS on the plan's start order and modes: every item then starts as
    early as its dependencies and capacity allow (so explanations find a binding constraint).
    Kept only when it is no worse and still meets every hard constraint."""
    if any(a.baseline_start is not None for a in problem.activities):
        return sched
    inst = search.inst
    order = sorted(inst.free, key=lambda j: (sched.starts[j], inst.topo_pos[j]))
    out = inst.forward(order, modes=sched.modes, length=sched.makespan + 1)
    if out is None:
        return sched
    starts, ends, modes, overload = out
    shifted = Schedule(
        tuple(starts), tuple(ends), tuple(modes), search.cost(starts, ends), overload
    )
    if shifted.cost <= sched.cost and _feasible(problem, shifted):
        return Schedule(
            shifted.starts, shifted.ends, shifted.modes, objective_value(problem, starts, ends)
        )
    return sched


def _schedule_from_hint(
    problem: PlanningProblem, search: Search, hint: PlanResult | None
) -> Schedule | None:
    """Re-schedule a previous plan's order on this problem (ids matched; new items last)."""
    if hint is None or not hint.items:
        return None
    prev = hint.by_id
    inst = search.inst
    big = 10**9
    keys = [float(prev[a.id].start) if a.id in prev else float(big) for a in problem.activities]
    order = inst.order_by(keys)
    modes = None
    if all(a.id in prev and prev[a.id].mode < len(a.modes) for a in problem.activities):
        modes = [prev[a.id].mode for a in problem.activities]
    out = inst.forward(order, modes=modes)
    if out is None:
        return None
    starts, ends, chosen, overload = out
    return Schedule(tuple(starts), tuple(ends), tuple(chosen), search.cost(starts, ends), overload)


def _horizon(problem: PlanningProblem, best: Schedule, feasible: bool) -> int:
    """CP-SAT horizon: the incumbent's makespan for a makespan objective (no better plan
    ends later); with slack for the weighted objective; a safe serial bound otherwise."""
    longest = max((max(m.duration for m in a.modes) for a in problem.activities), default=0)
    if feasible and problem.objective == "makespan":
        horizon = best.makespan
    elif feasible:
        horizon = best.makespan + max(best.makespan // 2, longest)
    else:
        total = sum(max(m.duration for m in a.modes) for a in problem.activities)
        lags = sum(p.lag for p in problem.precedences)
        release = max((a.release for a in problem.activities), default=0)
        horizon = max(best.makespan, total + lags + release)
    if problem.horizon is not None:
        horizon = min(horizon, problem.horizon)
    return max(horizon, 1)


def _missed(problem: PlanningProblem, best: Schedule) -> list[Finding]:
    """What the best plan found misses (hard deadlines, horizon, overloads)."""
    out: list[Finding] = []
    for j, a in enumerate(problem.activities):
        if a.hard_deadline and a.deadline is not None and best.ends[j] > a.deadline:
            out.append(
                Finding(
                    "conflict",
                    f"no plan found that meets every hard deadline; the best one misses "
                    f"{a.id} by {best.ends[j] - a.deadline} period(s)",
                    subject=a.id,
                    late=best.ends[j] - a.deadline,
                )
            )
    for ms in problem.milestones:
        if ms.hard_deadline and ms.deadline is not None:
            done = max((best.ends[i] for i in ms.activities), default=0)
            if done > ms.deadline:
                out.append(
                    Finding(
                        "conflict",
                        f"no plan found that meets every hard deadline; the best one misses "
                        f"{ms.id} by {done - ms.deadline} period(s)",
                        subject=ms.id,
                        late=done - ms.deadline,
                    )
                )
    if problem.horizon is not None and best.makespan > problem.horizon:
        out.append(
            Finding(
                "conflict",
                f"no plan found within the horizon of {problem.horizon} periods; the best "
                f"one ends at {best.makespan}",
                late=best.makespan - problem.horizon,
            )
        )
    return out


def _result(
    problem: PlanningProblem,
    status: Status,
    backend: str,
    sched: Schedule | None,
    bound: int | None,
    t0: float,
    *,
    diagnosis: list[Finding] | None = None,
    stats: dict[str, object] | None = None,
) -> PlanResult:
    items: tuple[PlannedItem, ...] = ()
    objective = None
    if sched is not None:
        items = tuple(
            PlannedItem(
                id=a.id,
                team=a.team,
                start=sched.starts[j],
                end=sched.ends[j],
                people=a.modes[sched.modes[j]].people,
                mode=sched.modes[j],
            )
            for j, a in enumerate(problem.activities)
        )
        objective = objective_value(problem, sched.starts, sched.ends) / WEIGHT_SCALE
    if status == "infeasible":
        items, objective = (), None
    return PlanResult(
        status=status,
        backend=backend,
        objective=objective,
        bound=None if bound is None else bound / WEIGHT_SCALE,
        runtime=time.perf_counter() - t0,
        items=items,
        diagnosis=tuple(diagnosis or ()),
        unit=problem.unit,
        origin=problem.origin,
        period_days=problem.period_days,
        working_days=int(problem.meta.get("working_days", 5)),
        stats=dict(stats or {}),
    )


__all__ = ["BACKENDS", "Backend", "Progress", "solve"]
