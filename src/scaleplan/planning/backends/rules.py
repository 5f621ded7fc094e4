"""Priority rules for the serial schedule-generation scheme: each gives every activity a key
(lower = scheduled first when eligible), returned as ranks in [0, 1).

* LFT - latest finish time (backward critical path to the horizon); LST - latest start;
* MTS - most total successors; GRPW - greatest rank positional weight (own duration plus the
  durations of immediate successors); SPT - shortest processing time;
* weighted objective: EDD - latest finish treating every deadline as a due date; WSJF -
  weight of the activity and everything waiting on it, divided by its duration;
* BASELINE - the start in a baseline plan, when re-planning against one.
"""

from __future__ import annotations

from collections.abc import Sequence

from scaleplan.planning.bounds import latest_finishes
from scaleplan.planning.problem import PlanningProblem


def _rank(values: Sequence[float]) -> list[float]:
    """Values replaced by their rank / n (ties share the lower rank), in [0, 1)."""
    n = len(values)
    order = sorted(range(n), key=lambda j: values[j])
    out = [0.0] * n
    for k, j in enumerate(order):
        out[j] = k / max(n, 1)
    return out


def priority_rules(problem: PlanningProblem, horizon: int) -> dict[str, list[float]]:
    """Keys of each priority rule (lower = scheduled first), as ranks in [0, 1)."""
    n = problem.n
    dmin = problem.min_durations
    lf = latest_finishes(problem, horizon)
    succs = problem.successors
    rules: dict[str, list[float]] = {}
    rules["LFT"] = [float(lf[j]) + j * 1e-9 for j in range(n)]
    rules["LST"] = [float(lf[j] - dmin[j]) + j * 1e-9 for j in range(n)]
    closure: list[set[int]] = [set() for _ in range(n)]
    for j in reversed(problem.topological_order):
        for s, _ in succs[j]:
            closure[j].add(s)
            closure[j] |= closure[s]
    rules["MTS"] = [-len(closure[j]) + lf[j] * 1e-6 for j in range(n)]
    rules["GRPW"] = [
        -(dmin[j] + sum(dmin[s] for s, _ in succs[j])) + lf[j] * 1e-6 for j in range(n)
    ]
    rules["SPT"] = [dmin[j] + lf[j] * 1e-6 for j in range(n)]
    if any(a.baseline_start is not None for a in problem.activities):
        rules["BASELINE"] = [
            float(a.baseline_start if a.baseline_start is not None else lf[j]) + lf[j] * 1e-6
            for j, a in enumerate(problem.activities)
        ]
    if problem.objective == "weighted":
        due = _due_finishes(problem, horizon)
        rules["EDD"] = [float(due[j]) + lf[j] * 1e-6 for j in range(n)]
        own = [a.weight for a in problem.activities]
        for ms in problem.milestones:
            share = ms.weight / max(len(ms.activities), 1)
            for i in ms.activities:
                own[i] += ms.weight + share
        value = [own[j] + sum(own[s] for s in closure[j]) for j in range(n)]
        rules["WSJF"] = [-value[j] / max(dmin[j], 1) + due[j] * 1e-6 for j in range(n)]
    return {name: _rank(keys) for name, keys in rules.items()}


def _due_finishes(problem: PlanningProblem, horizon: int) -> list[int]:
    """Latest finishes treating every deadline (soft or hard) as a due date."""
    n = problem.n
    due = [horizon] * n
    for j, a in enumerate(problem.activities):
        if a.deadline is not None:
            due[j] = min(due[j], a.deadline)
    for ms in problem.milestones:
        if ms.deadline is not None:
            for i in ms.activities:
                due[i] = min(due[i], ms.deadline)
    dmin = problem.min_durations
    for j in reversed(problem.topological_order):
        for s, lag in problem.successors[j]:
            due[j] = min(due[j], due[s] - dmin[s] - lag)
    return due


__all__ = ["priority_rules"]
