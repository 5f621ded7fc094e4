"""Suggest team boundaries: a service -> team assignment with the fewest cross-team
dependencies, under each team's cognitive-load limit, moving as few services as possible.

CP-SAT model (variables / constraints / objective):

* ``x[s, t]`` = service ``s`` owned by team ``t``, for ``t`` in the candidates of ``s``;
  ``y[e, t]`` = both ends of dependency ``e`` owned by ``t``.
* each service has exactly one owner; team ``t`` owns at most ``limit_t`` services
  (``Team.max_services`` or ``settings.org.max_services_per_team``); teams with no active
  member and no ``capacity`` own nothing; ``y[e, t] <= x[a, t]`` and ``y[e, t] <= x[b, t]``;
  optionally at most ``max_moves`` services change owner.
* with ``keep_one`` (default), a team that owns a service today keeps at least one: the
  suggestion never empties a team to save a dependency (people do not move, so an emptied
  team would be left without a purpose).
* minimise ``(S + 1) x cut + moves`` where ``cut`` = dependencies whose two services have
  different owners (each counted once per direction, as in T_D) and ``moves`` = owned services
  given to another team: fewest cross-team dependencies first, then the least churn.

People do not move, so team sizes stay as they are. Candidates are every team when
services x teams <= ``exact_limit`` (the answer is then optimal for the whole problem when the
status is ``optimal``); above that, a service's candidates are its owner, the owners of the
services it depends on or that depend on it, and the ``spare_candidates`` teams with the most
spare room: a large-neighbourhood restriction, optimal within it, whose bound is reported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from scaleplan.analysis.org._common import active_members, resolve_as_of
from scaleplan.analysis.org.cadences import plan_cadences
from scaleplan.analysis.org.congruence import Channels, congruence, ownership, service_dependencies
from scaleplan.errors import UsageError
from scaleplan.model import Lifecycle, Program


@dataclass(frozen=True, slots=True)
class Move:
    service: str
    from_team: str | None
    to_team: str

    def to_dict(self) -> dict[str, Any]:
        return {"service": self.service, "from": self.from_team, "to": self.to_team}


@dataclass(frozen=True)
class BoundarySuggestion:
    """A suggested ownership, its moves, and what it improves."""

    status: str
    scope: str
    moves: tuple[Move, ...]
    owners: dict[str, str]
    cross_before: int
    cross_after: int
    #: Lower bound on cross-team dependencies for the whole problem: CP-SAT's bound when every
    #: team was a candidate, and never below what ``max_moves`` moves can remove at best.
    cross_bound: int
    congruence_before: float
    congruence_after: float
    gaps_before: int
    gaps_after: int
    limits: dict[str, int]
    runtime: float
    explanation: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "scope": self.scope,
            "moves": [m.to_dict() for m in self.moves],
            "cross_team_dependencies": {
                "before": self.cross_before,
                "after": self.cross_after,
                "bound": self.cross_bound,
            },
            "congruence": {
                "before": round(self.congruence_before, 4),
                "after": round(self.congruence_after, 4),
            },
            "gaps": {"before": self.gaps_before, "after": self.gaps_after},
            "limits": self.limits,
            "runtime_seconds": round(self.runtime, 3),
            "explanation": self.explanation,
        }


def service_limits(program: Program, on: dt.date) -> dict[str, int]:
    """Team -> how many live services it may own (0 for a team without people or capacity)."""
    default = program.settings.org.max_services_per_team
    out: dict[str, int] = {}
    for team in program.teams:
        staffed = team.capacity is not None or bool(active_members(program, team.id, on))
        out[team.id] = (team.max_services or default) if staffed else 0
    return out


def suggest_boundaries(
    program: Program,
    *,
    as_of: dt.date | None = None,
    max_moves: int | None = 3,
    time_limit: float = 5.0,
    seed: int = 0,
    exact_limit: int = 20_000,
    spare_candidates: int = 3,
    keep_one: bool = True,
) -> BoundarySuggestion:
    """Propose service ownership minimising cross-team dependencies (see module docs).

    ``max_moves`` caps how many owned services change owner (default 3: a handful of
    hand-overs teams can absorb in an increment; ``None`` for no cap). ``time_limit`` is
    CP-SAT's deterministic time limit (about seconds on a modern core), so the same input and
    seed give the same answer on any machine; a wall-clock cap of 3 x ``time_limit`` guards
    against slow machines (only then may the answer differ).

    >>> s = suggest_boundaries(program, as_of=dt.date(2027, 1, 4))  # doctest: +SKIP
    >>> s.cross_before, s.cross_after, len(s.moves)  # doctest: +SKIP
    (45, 39, 3)
    """
    import time

    from ortools.sat.python import cp_model

    if max_moves is not None and max_moves < 0:
        raise UsageError("--max-moves must be 0 or more")
    if time_limit <= 0:
        raise UsageError("--time-limit must be above 0")
    started = time.perf_counter()
    on = resolve_as_of(as_of)
    plan = plan_cadences(program, as_of=on)
    channels = Channels(program, plan, on)
    current = ownership(program)
    before = congruence(program, owners=current, channels=channels, as_of=on)
    limits = service_limits(program, on)
    teams = [t.id for t in program.teams if limits[t.id] > 0]
    services = [s.id for s in program.services if s.lifecycle is not Lifecycle.RETIRED]
    edges = service_dependencies(program)
    if not services:
        return _unchanged(before, limits, current, started, "no live services", "optimal")
    exact = len(services) * len(teams) <= exact_limit
    scope = "all-teams" if exact else "neighbourhood"
    capacity = sum(limits[t] for t in teams)
    if capacity < len(services):
        return _unchanged(
            before,
            limits,
            current,
            started,
            f"{len(services)} services but the teams' cognitive-load limits allow only "
            f"{capacity}; raise Team.max_services or settings.org.max_services_per_team",
            "infeasible",
            scope=scope,
        )

    neighbours: dict[str, set[str]] = {s: set() for s in services}
    for a, b in edges:
        neighbours[a].add(b)
        neighbours[b].add(a)
    owned_count = {t: 0 for t in teams}
    for s in services:
        owner = current[s]
        if owner in owned_count:
            owned_count[owner] += 1
    spare = sorted(teams, key=lambda t: (-(limits[t] - owned_count[t]), teams.index(t)))
    spare = spare[:spare_candidates]
    team_set = set(teams)
    candidates: dict[str, list[str]] = {}
    for s in services:
        if exact:
            candidates[s] = list(teams)
            continue
        cand = {current[s]} | {current[n] for n in neighbours[s]} | set(spare)
        candidates[s] = [t for t in teams if t in cand and t in team_set]

    # -- variables: x[s, t] (s owned by t), owner[s] (index of that team), same[e]
    model = cp_model.CpModel()
    index = {t: k for k, t in enumerate(teams)}
    x = {(s, t): model.new_bool_var(f"x[{s},{t}]") for s in services for t in candidates[s]}
    owner_of = {
        s: model.new_int_var_from_domain(
            cp_model.Domain.from_values([index[t] for t in candidates[s]]), f"owner[{s}]"
        )
        for s in services
    }
    same: list[Any] = []
    for e, (a, b) in enumerate(edges):
        var = model.new_bool_var(f"same[{e}]")
        if set(candidates[a]).isdisjoint(candidates[b]):
            model.add(var == 0)
        else:
            model.add(owner_of[a] == owner_of[b]).only_enforce_if(var)
            model.add(owner_of[a] != owner_of[b]).only_enforce_if(~var)
        same.append(var)
    # -- constraints
    for s in services:
        model.add_exactly_one(x[(s, t)] for t in candidates[s])
        for t in candidates[s]:
            model.add(owner_of[s] == index[t]).only_enforce_if(x[(s, t)])
    for t in teams:
        owned = [x[(s, t)] for s in services if (s, t) in x]
        if owned:
            model.add(sum(owned) <= limits[t])
            if keep_one and owned_count[t] > 0:
                model.add(sum(owned) >= 1)
    moved: list[Any] = []
    for s in services:
        owner = current[s]
        if owner is not None:
            moved.append(1 - x[(s, owner)] if (s, owner) in x else 1)
    if max_moves is not None:
        model.add(sum(moved) <= max_moves)
    # -- objective
    cut = len(edges) - sum(same)
    weight = len(services) + 1
    model.minimize(weight * cut + sum(moved))
    for s in services:  # start from the current ownership
        for t in candidates[s]:
            model.add_hint(x[(s, t)], current[s] == t)
        owner = current[s]
        if owner is not None and (s, owner) in x:
            model.add_hint(owner_of[s], index[owner])

    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = time_limit
    solver.parameters.max_time_in_seconds = 3 * time_limit  # safety net on a slow machine
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    code = solver.solve(model)
    status = {
        cp_model.OPTIMAL: "optimal",
        cp_model.FEASIBLE: "feasible",
        cp_model.INFEASIBLE: "infeasible",
    }.get(code, "unknown")
    if status in ("infeasible", "unknown"):
        why = (
            "no assignment fits the cognitive-load limits"
            + (f" with at most {max_moves} moves" if max_moves is not None else "")
            + (" within the candidate teams" if not exact else "")
            if status == "infeasible"
            else "no solution found within the time limit"
        )
        return _unchanged(before, limits, current, started, why, status, scope=scope)
    owners = {s: next(t for t in candidates[s] if solver.value(x[(s, t)])) for s in services}
    moves = tuple(Move(s, current[s], owners[s]) for s in services if owners[s] != current[s])
    after = congruence(program, owners=owners, channels=channels, as_of=on)
    bound = moves_bound(edges, current, max_moves)
    if exact:  # CP-SAT's bound holds for the whole problem only when every team was a candidate
        bound = max(bound, int(-(-(solver.best_objective_bound - len(services)) // weight)))
    bound = min(bound, after.cross_team_dependencies)
    return BoundarySuggestion(
        status=status,
        scope=scope,
        moves=moves,
        owners=owners,
        cross_before=before.cross_team_dependencies,
        cross_after=after.cross_team_dependencies,
        cross_bound=bound,
        congruence_before=before.ratio,
        congruence_after=after.ratio,
        gaps_before=len(before.gaps),
        gaps_after=len(after.gaps),
        limits=limits,
        runtime=time.perf_counter() - started,
        explanation=_explain(before.cross_team_dependencies, after.cross_team_dependencies, moves),
    )


def moves_bound(
    edges: list[tuple[str, str]], owners: dict[str, str | None], max_moves: int | None
) -> int:
    """A lower bound on cross-team dependencies after at most ``max_moves`` moves: a move
    changes only the dependencies touching the moved service, so at best the ``max_moves``
    services touching the most cross-team dependencies stop all of theirs."""
    cross = [(a, b) for a, b in edges if owners[a] and owners[b] and owners[a] != owners[b]]
    if max_moves is None:
        return 0
    degree: dict[str, int] = {}
    for a, b in cross:
        degree[a] = degree.get(a, 0) + 1
        degree[b] = degree.get(b, 0) + 1
    best = sorted(degree.values(), reverse=True)[:max_moves]
    return max(0, len(cross) - sum(best))


def _explain(before: int, after: int, moves: tuple[Move, ...]) -> str:
    if not moves:
        return "the current ownership already has the fewest cross-team dependencies"
    return (
        f"moving {len(moves)} service{'s' * (len(moves) != 1)} takes cross-team dependencies "
        f"from {before} to {after}"
    )


def _unchanged(
    before: Any,
    limits: dict[str, int],
    current: dict[str, str | None],
    started: float,
    why: str,
    status: str,
    *,
    scope: str = "all-teams",
) -> BoundarySuggestion:
    import time

    owners = {s: t for s, t in current.items() if t is not None}
    return BoundarySuggestion(
        status=status,
        scope=scope,
        moves=(),
        owners=owners,
        cross_before=before.cross_team_dependencies,
        cross_after=before.cross_team_dependencies,
        cross_bound=0,
        congruence_before=before.ratio,
        congruence_after=before.ratio,
        gaps_before=len(before.gaps),
        gaps_after=len(before.gaps),
        limits=limits,
        runtime=time.perf_counter() - started,
        explanation=why,
    )
