"""Time windows and lower bounds from the problem alone (no search).

* critical path (CPM): earliest starts with shortest modes, release dates, pins and lags;
* resource energy: a resource that must deliver ``E`` unit-periods cannot be done before the
  first period by which its (time-varying) capacity adds up to ``E``;
* latest finish times for a horizon, used by the LFT priority rule and to tighten CP-SAT domains.
"""

from __future__ import annotations

from scaleplan.planning.problem import PlanningProblem, objective_value


def earliest_starts(problem: PlanningProblem) -> list[int]:
    """Earliest start of each activity ignoring resources (pins are taken as given)."""
    es = [0] * problem.n
    dmin = problem.min_durations
    preds = problem.predecessors
    for j in problem.topological_order:
        a = problem.activities[j]
        if a.pinned_start is not None:
            es[j] = a.pinned_start
            continue
        t = a.release
        for p, lag in preds[j]:
            t = max(t, es[p] + dmin[p] + lag)
        es[j] = t
    return es


def latest_finishes(problem: PlanningProblem, horizon: int) -> list[int]:
    """Latest end of each activity so that everything ends by ``horizon`` (resources ignored;
    hard deadlines included)."""
    lf = [horizon] * problem.n
    dmin = problem.min_durations
    succs = problem.successors
    for j in reversed(problem.topological_order):
        a = problem.activities[j]
        t = horizon
        if a.hard_deadline and a.deadline is not None:
            t = min(t, a.deadline)
        for s, lag in succs[j]:
            t = min(t, lf[s] - problem.min_durations[s] - lag)
        lf[j] = t
    for ms in problem.milestones:
        if ms.hard_deadline and ms.deadline is not None:
            for i in ms.activities:
                lf[i] = min(lf[i], ms.deadline)
    # a milestone deadline can tighten predecessors again: one more backward sweep
    for j in reversed(problem.topological_order):
        for s, lag in succs[j]:
            lf[j] = min(lf[j], lf[s] - dmin[s] - lag)
    return lf


def critical_path_bound(problem: PlanningProblem) -> int:
    """Length of the longest chain (shortest modes, releases, lags): a makespan lower bound."""
    es = earliest_starts(problem)
    return max((es[i] + d for i, d in enumerate(problem.min_durations)), default=0)


def energy_bound(problem: PlanningProblem) -> int:
    """Makespan lower bound from each resource's total work against its capacity profile."""
    need = [0] * len(problem.resources)
    for a in problem.activities:
        used = {r for mode in a.modes for r, _ in mode.demands}
        for r in used:
            need[r] += min(dict(mode.demands).get(r, 0) * mode.duration for mode in a.modes)
    bound = 0
    for r, res in enumerate(problem.resources):
        if need[r] <= 0:
            continue
        total, t = 0, 0
        last = res.capacity[-1]
        while total < need[r]:
            if t >= len(res.capacity):
                if last <= 0:
                    t = -1  # never enough capacity: no finite bound from this resource
                    break
                t += -(-(need[r] - total) // last)
                break
            total += res.capacity[t]
            t += 1
        if t > bound:
            bound = t
    return bound


def makespan_bound(problem: PlanningProblem) -> int:
    return max(critical_path_bound(problem), energy_bound(problem))


def objective_bound(problem: PlanningProblem) -> int:
    """A lower bound on the objective in fixed-point units (see ``objective_value``)."""
    if problem.objective == "makespan":
        from scaleplan.planning.problem import WEIGHT_SCALE

        return makespan_bound(problem) * WEIGHT_SCALE
    es = earliest_starts(problem)
    ef = [es[i] + d for i, d in enumerate(problem.min_durations)]
    return objective_value(problem, es, ef, moves=False)


__all__ = [
    "critical_path_bound",
    "earliest_starts",
    "energy_bound",
    "latest_finishes",
    "makespan_bound",
    "objective_bound",
]
