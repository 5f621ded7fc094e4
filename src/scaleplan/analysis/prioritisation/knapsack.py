"""The cut line as a solver-neutral problem: a 0/1 knapsack with one capacity per team and
precedence (an item is in only if its prerequisites are in), solved exactly with OR-Tools
CP-SAT and heuristically with a greedy walk down the ranking.

Everything here is integer: values in 1/10,000 of a priority weight, demands and capacities in
1/100 of a person-week (demands rounded up, capacities down, so an integer-feasible selection
is feasible in person-weeks too). Tests compare :func:`solve_cpsat` with a brute force over every subset.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

#: Units of a priority weight in the integer objective.
VALUE_SCALE = 10_000
#: Units of a person-week in demands and capacities.
PW_SCALE = 100


@dataclass(frozen=True)
class KnapsackProblem:
    """Items in ranking order (the greedy walks them in this order)."""

    values: tuple[int, ...]
    #: Per item: ``team index -> demand`` (only teams with a positive demand).
    demands: tuple[dict[int, int], ...]
    capacities: tuple[int, ...]
    #: Per item: indices of the items it needs (direct prerequisites).
    requires: tuple[tuple[int, ...], ...]
    #: Items that can never be in (unestimated, or a prerequisite is cancelled).
    forced_out: frozenset[int] = frozenset()

    @property
    def size(self) -> int:
        return len(self.values)

    def feasible(self, selected: Iterable[int]) -> bool:
        chosen = set(selected)
        if chosen & self.forced_out:
            return False
        if any(r not in chosen for i in chosen for r in self.requires[i]):
            return False
        load = [0] * len(self.capacities)
        for i in chosen:
            for t, d in self.demands[i].items():
                load[t] += d
        return all(x <= c for x, c in zip(load, self.capacities, strict=True))

    def value(self, selected: Iterable[int]) -> int:
        return sum(self.values[i] for i in selected)

    def loads(self, selected: Iterable[int]) -> list[int]:
        load = [0] * len(self.capacities)
        for i in selected:
            for t, d in self.demands[i].items():
                load[t] += d
        return load


@dataclass(frozen=True)
class Solution:
    #: ``optimal``, ``feasible``, ``unknown`` (no solution within the limit), ``model-invalid``.
    status: str
    selected: frozenset[int]
    objective: int
    bound: int
    runtime: float


def closure(problem: KnapsackProblem, item: int, have: set[int] | frozenset[int]) -> list[int]:
    """``item`` and every prerequisite it needs, directly or not, that is not in ``have``."""
    out: list[int] = []
    seen = {item}
    stack = [item]
    while stack:
        node = stack.pop()
        out.append(node)
        for r in problem.requires[node]:
            if r not in seen and r not in have:
                seen.add(r)
                stack.append(r)
    return out


def solve_greedy(problem: KnapsackProblem) -> frozenset[int]:
    """Walk down the ranking; take each item, with any prerequisites still missing, when the
    whole bundle fits every team's remaining capacity; otherwise skip it."""
    selected: set[int] = set()
    load = [0] * len(problem.capacities)
    for i in range(problem.size):
        if i in selected or i in problem.forced_out:
            continue
        bundle = closure(problem, i, selected)
        if any(b in problem.forced_out for b in bundle):
            continue
        extra: dict[int, int] = {}
        for b in bundle:
            for t, d in problem.demands[b].items():
                extra[t] = extra.get(t, 0) + d
        if all(load[t] + d <= problem.capacities[t] for t, d in extra.items()):
            selected.update(bundle)
            for t, d in extra.items():
                load[t] += d
    return frozenset(selected)


_STATUS = {
    "OPTIMAL": "optimal",
    "FEASIBLE": "feasible",
    "INFEASIBLE": "infeasible",
    "MODEL_INVALID": "model-invalid",
    "UNKNOWN": "unknown",
}


def solve_cpsat(
    problem: KnapsackProblem,
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    workers: int = 2,
    hint: Iterable[int] = (),
) -> Solution:
    """Maximise the total value subject to team capacities and prerequisites with CP-SAT.

    Variables: one boolean per item. Constraints: per team ``sum(demand x item) <= capacity``;
    per prerequisite ``item => prerequisite``; forced-out items fixed to 0. Objective:
    ``sum(value x item)``, made lexicographic with a small bonus for higher-ranked items
    (``value x K + (n - rank)`` with ``K`` above the sum of all bonuses), so among selections of
    equal value the solver settles on the one keeping higher-ranked items and reruns agree
    (dropped when the objective would no longer be exact in doubles, around 10,000 items).
    ``hint`` (e.g. the greedy selection) seeds the search.
    """
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    n = problem.size
    scale = n * (n + 1) // 2 + 1
    bonus = True
    if sum(problem.values) * scale >= 2**53:  # keep the objective exact in doubles
        scale, bonus = 1, False
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(n)]
    by_team: dict[int, list[tuple[int, int]]] = {}
    for i, demand in enumerate(problem.demands):
        for t, d in demand.items():
            by_team.setdefault(t, []).append((i, d))
    for t, terms in sorted(by_team.items()):
        if sum(d for _, d in terms) > problem.capacities[t]:
            model.add(sum(d * x[i] for i, d in terms) <= problem.capacities[t])
    for i, needs in enumerate(problem.requires):
        for r in needs:
            model.add_implication(x[i], x[r])
    for i in problem.forced_out:
        model.add(x[i] == 0)
    model.maximize(
        sum((v * scale + (n - i if bonus else 0)) * x[i] for i, v in enumerate(problem.values))
    )
    hinted = set(hint)
    for i in range(n):
        model.add_hint(x[i], i in hinted)

    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(time_limit, 0.01)
    params.random_seed = seed
    params.num_workers = max(workers, 1)
    if workers >= 2:
        # An LP-heavy worker ("max_lp") proves bounds on knapsack-like models far faster than
        # the default portfolio does on two threads (docs/benchmarks/prioritisation.md).
        params.subsolvers.extend(["max_lp", "default_lp"])
    code = solver.solve(model)
    status = _STATUS.get(solver.status_name(code), solver.status_name(code).lower())
    runtime = time.perf_counter() - started
    if status in ("optimal", "feasible"):
        selected = frozenset(i for i in range(n) if solver.boolean_value(x[i]))
        objective = problem.value(selected)
        bound = objective if status == "optimal" else int(solver.best_objective_bound // scale)
        return Solution(status, selected, objective, max(bound, objective), runtime)
    return Solution(status, frozenset(), 0, sum(problem.values), runtime)


def scale_value(weight: float) -> int:
    return max(round(weight * VALUE_SCALE), 1)


def scale_demand(person_weeks: float) -> int:
    """Demand in integer units, rounded up (never understates a demand)."""
    units = person_weeks * PW_SCALE
    whole = int(units)
    return whole if units - whole < 1e-9 else whole + 1


def scale_capacity(person_weeks: float) -> int:
    """Capacity in integer units, rounded down (never overstates a capacity)."""
    units = person_weeks * PW_SCALE
    return max(int(units + 1e-9), 0)


__all__ = [
    "PW_SCALE",
    "VALUE_SCALE",
    "KnapsackProblem",
    "Solution",
    "closure",
    "scale_capacity",
    "scale_demand",
    "scale_value",
    "solve_cpsat",
    "solve_greedy",
]
