"""The capacity cut line: which initiatives fit in an increment, and why the others do not.

Choose the set of open initiatives that maximises the total priority weight
(:func:`~scaleplan.analysis.prioritisation.priority_weights`) subject to

* **capacity** — for every team, the remaining effort of the chosen initiatives' work items of
  that team fits in the team's capacity over the increment's weeks (capacity from
  :func:`~scaleplan.analysis.capacity.team_capacity`, net of the technical-debt reserve);
* **dependency closure** — an initiative is in only if every initiative it depends on is in
  (or already done). A work item that depends on an unfinished work item of *another*
  initiative makes its initiative depend on that initiative too.

Solved exactly with OR-Tools CP-SAT; a greedy walk down the ranking is the baseline. Every
initiative below the line gets its reasons: which team's capacity and by how many person-weeks,
or which prerequisite is out.

>>> from scaleplan import load_program  # doctest: +SKIP
>>> line = cut_line(load_program("examples/shopscale"))  # doctest: +SKIP
>>> line.status  # doctest: +SKIP
'optimal'
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from scaleplan.analysis.capacity import (
    increment_weeks,
    next_increment,
    remaining_effort,
    team_capacity,
)
from scaleplan.analysis.prioritisation import knapsack
from scaleplan.analysis.prioritisation.findings import Finding, kept
from scaleplan.analysis.prioritisation.ranking import CLOSED, Ranking, score
from scaleplan.errors import InputError, UsageError
from scaleplan.model import Increment, MoSCoW, Program, Status

DEPENDENCY_RULE = (
    "an initiative is in only if every initiative it depends on is in or done; a work item "
    "depending on an unfinished work item of another initiative makes its initiative depend on "
    "that one"
)


@dataclass(frozen=True)
class Reason:
    """Why an initiative is below the line."""

    #: ``capacity``, ``too-big``, ``prerequisite``, ``cancelled-prerequisite``,
    #: ``unestimated``, ``wont`` or ``not-selected``.
    kind: str
    message: str
    team: str | None = None
    #: Person-weeks the initiative needs from ``team``.
    needed: float | None = None
    #: Person-weeks of ``team`` still free above the line.
    free: float | None = None
    #: Person-weeks missing: ``needed - free`` (``needed - capacity`` for ``too-big``).
    short: float | None = None
    prerequisite: str | None = None
    #: How the dependency arises: ``depends_on`` or ``work item a -> b``.
    via: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "message": self.message,
            "team": self.team,
            "needed_pw": _r(self.needed),
            "free_pw": _r(self.free),
            "short_pw": _r(self.short),
            "prerequisite": self.prerequisite,
            "via": self.via,
        }


@dataclass(frozen=True)
class CutItem:
    id: str
    title: str
    rank: int
    weight: float
    moscow: str | None
    status: str
    #: Remaining person-weeks per team.
    demand: dict[str, float]
    selected: bool
    in_greedy: bool
    requires: tuple[str, ...] = ()
    reasons: tuple[Reason, ...] = ()

    @property
    def effort(self) -> float:
        return sum(self.demand.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "rank": self.rank,
            "weight": _r(self.weight),
            "moscow": self.moscow,
            "status": self.status,
            "effort_pw": _r(self.effort),
            "demand_pw": {t: _r(d) for t, d in self.demand.items()},
            "selected": self.selected,
            "in_greedy": self.in_greedy,
            "requires": list(self.requires),
            "reasons": [r.to_dict() for r in self.reasons],
        }


@dataclass(frozen=True)
class TeamLoad:
    team: str
    #: Person-weeks over the increment, net of the technical-debt reserve.
    capacity: float
    #: Person-weeks of the initiatives above the line.
    load: float
    #: Person-weeks all open initiatives would need.
    demand: float
    #: Person-weeks of Must-have initiatives.
    must: float
    greedy_load: float

    @property
    def free(self) -> float:
        return self.capacity - self.load

    @property
    def utilisation(self) -> float | None:
        return self.load / self.capacity if self.capacity > 0 else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "team": self.team,
            "capacity_pw": _r(self.capacity),
            "load_pw": _r(self.load),
            "free_pw": _r(self.free),
            "utilisation": _r(self.utilisation),
            "demand_pw": _r(self.demand),
            "must_pw": _r(self.must),
            "greedy_load_pw": _r(self.greedy_load),
        }


@dataclass(frozen=True)
class CutLine:
    """Initiatives above and below the capacity cut line of one increment."""

    increment: str
    #: Last increment covered (the same as ``increment`` unless ``through`` was given).
    through: str
    start: str
    end: str
    weeks: int
    method: str
    #: ``optimal`` (proven), ``feasible`` (time limit hit; see ``bound``), ``unknown``
    #: (no CP-SAT solution in time: the greedy selection is shown) or ``model-invalid``.
    status: str
    #: Total priority weight above the line.
    objective: float
    #: Proven upper bound on the total weight (equals ``objective`` when optimal).
    bound: float
    greedy_value: float
    #: ``cp-sat`` or ``greedy`` (when CP-SAT found nothing better in time).
    source: str
    selected: tuple[CutItem, ...]
    below: tuple[CutItem, ...]
    teams: tuple[TeamLoad, ...]
    findings: tuple[Finding, ...]
    time_limit: float
    seed: int
    workers: int
    #: Wall-clock seconds of the solve (not in ``to_dict``, which stays reproducible).
    runtime: float = field(default=0.0, compare=False)

    @property
    def gap(self) -> float:
        """Relative distance to the bound: 0 when optimal."""
        return (self.bound - self.objective) / self.bound if self.bound > 0 else 0.0

    @property
    def greedy_shortfall(self) -> float:
        """Total weight the greedy baseline leaves on the table."""
        return self.objective - self.greedy_value

    def to_dict(self) -> dict[str, Any]:
        return {
            "increment": {
                "id": self.increment,
                "through": self.through,
                "start": self.start,
                "end": self.end,
                "weeks": self.weeks,
            },
            "method": self.method,
            "status": self.status,
            "objective": _r(self.objective),
            "bound": _r(self.bound),
            "gap": _r(self.gap),
            "greedy_value": _r(self.greedy_value),
            "greedy_shortfall": _r(self.greedy_shortfall),
            "greedy_shortfall_pct": _r(
                100 * self.greedy_shortfall / self.objective if self.objective else 0.0
            ),
            "source": self.source,
            "solver": {
                "name": "cp-sat",
                "time_limit": self.time_limit,
                "seed": self.seed,
                "workers": self.workers,
            },
            "dependency_rule": DEPENDENCY_RULE,
            "selected": [c.to_dict() for c in self.selected],
            "below": [c.to_dict() for c in self.below],
            "teams": [t.to_dict() for t in self.teams],
            "findings": [f.to_dict() for f in self.findings],
        }


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@dataclass(frozen=True)
class Span:
    """The increment(s) a cut line covers: one increment, or ``first`` through ``last``."""

    first: Increment
    last: Increment
    weeks: tuple[int, ...]

    @property
    def label(self) -> str:
        return (
            self.first.id if self.first.id == self.last.id else f"{self.first.id}..{self.last.id}"
        )


def resolve_increment(program: Program, increment: str | Increment | None) -> Increment:
    """The increment with id ``increment`` (default: the next one, see
    :func:`~scaleplan.analysis.capacity.next_increment`)."""
    if isinstance(increment, Increment):
        return increment
    increments = program.calendar.increments
    if not increments:
        raise InputError("the calendar has no increments; add calendar.increments to cut a line")
    if increment is None:
        chosen = next_increment(program)
        assert chosen is not None
        return chosen
    for inc in increments:
        if inc.id == increment:
            return inc
    known = ", ".join(i.id for i in increments)
    raise UsageError(f"unknown increment '{increment}' (the calendar has {known})")


def resolve_span(
    program: Program, increment: str | Increment | None, through: str | Increment | None
) -> Span:
    """The weeks of ``increment``, or of every increment from it through ``through``."""
    first = resolve_increment(program, increment)
    last = first if through is None else resolve_increment(program, through)
    if last.start < first.start:
        raise UsageError(f"--through {last.id} starts before {first.id}; give a later increment")
    weeks: set[int] = set()
    for inc in program.calendar.increments:
        if (inc.start >= first.start and inc.end <= last.end) or inc.id in (first.id, last.id):
            weeks.update(increment_weeks(program, inc))
    return Span(first, last, tuple(sorted(weeks)))


@dataclass
class _Build:
    ids: list[str]
    team_ids: list[str]
    capacity: list[float]
    demand: list[dict[str, float]]
    requires: list[list[tuple[str, str]]]
    forced: dict[int, Reason]
    problem: knapsack.KnapsackProblem


def _build(program: Program, ranking: Ranking, span: Span) -> _Build:
    entries = ranking.entries
    ids = [e.id for e in entries]
    index = {e.id: n for n, e in enumerate(entries)}
    team_ids = [t.id for t in program.teams]
    team_index = {t: n for n, t in enumerate(team_ids)}
    capacity = [sum(team_capacity(program, t, w) for w in span.weeks) for t in team_ids]
    demand: list[dict[str, float]] = []
    requires: list[list[tuple[str, str]]] = []
    forced: dict[int, Reason] = {}
    initiatives = program.initiatives_by_id
    for n, entry in enumerate(entries):
        items = program.work_items_by_initiative.get(entry.id, ())
        per_team: dict[str, float] = {}
        for item in items:
            effort = remaining_effort(program, item)
            if effort > 0:
                per_team[item.team] = per_team.get(item.team, 0.0) + effort
        demand.append(per_team)
        if not items:
            forced[n] = Reason(
                "unestimated", "has no work items, so its demand on capacity is unknown"
            )
        elif entry.moscow == MoSCoW.WONT.value:
            forced[n] = Reason("wont", "is a Won't-have (this time) in MoSCoW")
        needs: dict[str, str] = {}
        for prerequisite in initiatives[entry.id].depends_on:
            needs.setdefault(prerequisite, "depends_on")
        for item in items:
            if item.status in CLOSED:
                continue
            for link in item.depends_on:
                other = program.work_items_by_id.get(link.item)
                if other is None or other.status in CLOSED:
                    continue
                if other.initiative is None or other.initiative == entry.id:
                    continue
                needs.setdefault(other.initiative, f"work item {item.id} -> {other.id}")
        mine: list[tuple[str, str]] = []
        for dep, via in needs.items():
            status = initiatives[dep].status if dep in initiatives else Status.DONE
            if status is Status.DONE:
                continue
            if status is Status.CANCELLED:
                forced.setdefault(
                    n,
                    Reason(
                        "cancelled-prerequisite",
                        f"needs '{dep}', which is cancelled ({via})",
                        prerequisite=dep,
                        via=via,
                    ),
                )
                continue
            mine.append((dep, via))
        requires.append(mine)
    problem = knapsack.KnapsackProblem(
        values=tuple(knapsack.scale_value(e.weight) for e in entries),
        demands=tuple(
            {team_index[t]: knapsack.scale_demand(d) for t, d in per_team.items()}
            for per_team in demand
        ),
        capacities=tuple(knapsack.scale_capacity(c) for c in capacity),
        requires=tuple(tuple(index[d] for d, _ in r) for r in requires),
        forced_out=frozenset(forced),
    )
    return _Build(ids, team_ids, capacity, demand, requires, forced, problem)


def cut_line(
    program: Program,
    increment: str | Increment | None = None,
    method: str | None = None,
    time_limit: float = 10.0,
    seed: int = 0,
    *,
    through: str | Increment | None = None,
    workers: int = 2,
    ice_variant: str | None = None,
) -> CutLine:
    """The capacity cut line of ``increment`` (default: the next one) by ``method``.

    ``through`` extends the capacity to every increment from ``increment`` through it (e.g.
    the whole year). Won't-have initiatives stay below the line.

    Raises :class:`~scaleplan.errors.UsageError` for an unknown increment or method and
    :class:`~scaleplan.errors.InputError` when the calendar has no increments.
    """
    started = time.perf_counter()
    span = resolve_span(program, increment, through)
    ranking = score(program, method, ice_variant=ice_variant)
    build = _build(program, ranking, span)
    problem = build.problem
    greedy = knapsack.solve_greedy(problem)
    if problem.size:
        import ortools.sat.python.cp_model  # noqa: F401  (import time counts against the limit)

        # What is left of the limit, less a margin for building the model and the explanations.
        left = 0.98 * time_limit - 0.1 - (time.perf_counter() - started)
        solution = knapsack.solve_cpsat(
            problem, time_limit=max(left, 0.05), seed=seed, workers=workers, hint=greedy
        )
    else:
        solution = knapsack.Solution("optimal", frozenset(), 0, 0, 0.0)
    selected, source = solution.selected, "cp-sat"
    if solution.status not in ("optimal", "feasible") or problem.value(greedy) > solution.objective:
        selected, source = greedy, "greedy"
    outcome = _Outcome(selected, greedy, solution, source, time_limit, seed, workers, started)
    return _result(program, ranking, span, build, outcome)


@dataclass(frozen=True)
class _Outcome:
    selected: frozenset[int]
    greedy: frozenset[int]
    solution: knapsack.Solution
    source: str
    time_limit: float
    seed: int
    workers: int
    started: float


def _result(
    program: Program, ranking: Ranking, span: Span, build: _Build, outcome: _Outcome
) -> CutLine:
    selected, greedy, solution = outcome.selected, outcome.greedy, outcome.solution
    problem = build.problem
    loads = problem.loads(selected)
    entries = ranking.entries
    items: list[CutItem] = []
    for n, entry in enumerate(entries):
        reasons = () if n in selected else _reasons(build, n, selected, loads, solution.status)
        items.append(
            CutItem(
                id=entry.id,
                title=entry.title,
                rank=entry.rank,
                weight=entry.weight,
                moscow=entry.moscow,
                status=entry.status,
                demand=dict(sorted(build.demand[n].items())),
                selected=n in selected,
                in_greedy=n in greedy,
                requires=tuple(d for d, _ in build.requires[n]),
                reasons=reasons,
            )
        )
    teams = _team_loads(program, build, selected, greedy)
    findings = _moscow(program, span, teams, items)
    return CutLine(
        increment=span.first.id,
        through=span.last.id,
        start=span.first.start.isoformat(),
        end=span.last.end.isoformat(),
        weeks=len(span.weeks),
        method=ranking.method,
        status=solution.status,
        objective=problem.value(selected) / knapsack.VALUE_SCALE,
        bound=max(solution.bound, problem.value(selected)) / knapsack.VALUE_SCALE,
        greedy_value=problem.value(greedy) / knapsack.VALUE_SCALE,
        source=outcome.source,
        selected=tuple(i for i in items if i.selected),
        below=tuple(i for i in items if not i.selected),
        teams=teams,
        findings=kept(program, findings),
        time_limit=outcome.time_limit,
        seed=outcome.seed,
        workers=outcome.workers,
        runtime=time.perf_counter() - outcome.started,
    )


def _pw(units: int) -> float:
    return units / knapsack.PW_SCALE


def _reasons(
    build: _Build, n: int, selected: frozenset[int], loads: list[int], status: str
) -> tuple[Reason, ...]:
    problem = build.problem
    if n in build.forced:
        return (build.forced[n],)
    reasons: list[Reason] = []
    for (dep, via), k in zip(build.requires[n], build.problem.requires[n], strict=True):
        if k not in selected:
            reasons.append(
                Reason(
                    "prerequisite",
                    f"needs '{dep}', which is below the line ({via})",
                    prerequisite=dep,
                    via=via,
                )
            )
    for t, need in sorted(problem.demands[n].items(), key=lambda td: build.team_ids[td[0]]):
        team = build.team_ids[t]
        cap = problem.capacities[t]
        free = cap - loads[t]
        if need > cap:
            reasons.append(
                Reason(
                    "too-big",
                    f"needs {_pw(need):.1f} pw of team {team}, which has only {_pw(cap):.1f} pw "
                    f"in the increment ({_pw(need - cap):.1f} pw short even with nothing else)",
                    team=team,
                    needed=_pw(need),
                    free=_pw(free),
                    short=_pw(need - cap),
                )
            )
        elif need > free:
            reasons.append(
                Reason(
                    "capacity",
                    f"needs {_pw(need):.1f} pw of team {team}, {_pw(need - free):.1f} pw more "
                    f"than is left ({_pw(free):.1f} of {_pw(cap):.1f} pw free)",
                    team=team,
                    needed=_pw(need),
                    free=_pw(free),
                    short=_pw(need - free),
                )
            )
    reasons.sort(key=lambda r: (r.kind == "prerequisite", -(r.short or 0.0)))
    if not reasons:
        why = (
            "fits, but the solver stopped at its time limit before adding it"
            if status != "optimal"
            else "fits, but was left out"
        )
        reasons.append(Reason("not-selected", why))
    return tuple(reasons)


def _team_loads(
    program: Program, build: _Build, selected: frozenset[int], greedy: frozenset[int]
) -> tuple[TeamLoad, ...]:
    initiatives = program.initiatives_by_id
    sums = {team: [0.0, 0.0, 0.0, 0.0] for team in build.team_ids}  # load, greedy, demand, must
    for n, demand in enumerate(build.demand):
        must = initiatives[build.ids[n]].moscow is MoSCoW.MUST
        for team, d in demand.items():
            row = sums[team]
            row[0] += d if n in selected else 0.0
            row[1] += d if n in greedy else 0.0
            row[2] += d
            row[3] += d if must else 0.0
    return tuple(
        TeamLoad(team, build.capacity[t], *(sums[team][k] for k in (0, 2, 3, 1)))
        for t, team in enumerate(build.team_ids)
    )


def _moscow(
    program: Program, span: Span, teams: tuple[TeamLoad, ...], items: list[CutItem]
) -> list[Finding]:
    limit = program.settings.scoring.must_max_share
    findings: list[Finding] = []
    for team in teams:
        if team.must <= 0:
            continue
        if team.capacity <= 0 or team.must > limit * team.capacity + 1e-9:
            share = f"{team.must / team.capacity:.0%}" if team.capacity > 0 else "all"
            findings.append(
                Finding(
                    "W520",
                    f"Must-haves need {team.must:.1f} of the {team.capacity:.1f} person-weeks "
                    f"team {team.team} has in {span.label} ({share}, above {limit:.0%})",
                    subject=team.team,
                    hint="move some Must-haves to Should, or add capacity; DSDM keeps Musts at "
                    "or below 60% of the effort so there is contingency",
                )
            )
    for item in items:
        if item.moscow == MoSCoW.MUST.value and not item.selected:
            first = item.reasons[0].message if item.reasons else "not selected"
            findings.append(
                Finding(
                    "W521",
                    f"Must-have '{item.id}' is below the cut line of {span.label}: {first}",
                    subject=item.id,
                    hint="escalate: a Must-have that does not fit needs a scope, capacity or "
                    "priority decision",
                )
            )
    return findings


__all__ = ["DEPENDENCY_RULE", "CutItem", "CutLine", "Reason", "TeamLoad", "cut_line"]
