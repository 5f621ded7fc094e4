"""The solver-neutral planning problem: plain, immutable data that every back-end reads.

A :class:`PlanningProblem` is a multi-mode resource-constrained project scheduling problem
(MRCPSP) with time-varying capacities, release dates, pins, deadlines and finish-to-start lags:

* time is counted in whole **periods** from an origin (weeks by default, working days when
  asked; PSPLIB instances use abstract periods);
* each :class:`Resource` is renewable with an integer capacity per period (a team's staffed
  capacity in hundredths of a full-time person, or a WIP limit counted in items);
* each :class:`Activity` runs in exactly one of its :class:`Mode` s (duration and per-period
  demands) without interruption;
* each :class:`Precedence` says ``end(before) + lag <= start(after)``;
* a :class:`Milestone` groups activities (an initiative) whose completion is the latest end.

Nothing here knows about teams' people, dates or YAML: :func:`scaleplan.planning.build_problem`
maps a program onto it, :func:`scaleplan.planning.read_sm` maps a PSPLIB file onto it.

Example
-------
>>> p = PlanningProblem(
...     activities=(Activity("a", (Mode(2, ((0, 1),)),)), Activity("b", (Mode(1, ((0, 1),)),))),
...     resources=(Resource("r", (1,)),),
...     precedences=(Precedence(0, 1),),
...     objective="makespan",
... )
>>> p.n, p.successors[0]
(2, ((1, 0),))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from scaleplan.errors import InputError
from scaleplan.model.graphs import topological_order

Objective = Literal["weighted", "makespan"]
Unit = Literal["week", "day", "period"]

#: Objective weights are fixed-point numbers with this many units per 1.0 (CP-SAT needs
#: integers; every back-end and the checker evaluate the objective the same way).
WEIGHT_SCALE = 100


@dataclass(frozen=True, slots=True)
class Resource:
    """A renewable resource with an integer capacity per period.

    ``capacity[t]`` is the capacity of period ``t``; the last value holds for every later
    period. ``kind`` is ``"capacity"`` (a team's staffed people in ``scale`` units per
    person) or ``"wip"`` (a WIP limit: each activity of the team uses 1 while it runs).
    """

    id: str
    capacity: tuple[int, ...]
    kind: Literal["capacity", "wip"] = "capacity"
    team: str | None = None
    #: Capacity units per person (100 for teams: hundredths of a full-time person).
    scale: int = 1

    def cap(self, t: int) -> int:
        """Capacity in period ``t`` (periods past the profile repeat its last value)."""
        if t < len(self.capacity):
            return self.capacity[t]
        return self.capacity[-1]

    @property
    def peak(self) -> int:
        return max(self.capacity)


@dataclass(frozen=True, slots=True)
class Mode:
    """One way to run an activity: its duration and its demand on each resource it uses."""

    duration: int
    #: ``(resource index, units per period)`` pairs; resources not listed are not used.
    demands: tuple[tuple[int, int], ...] = ()
    #: People working on it in this mode (for display; 0 for abstract activities).
    people: float = 0.0


@dataclass(frozen=True, slots=True)
class Activity:
    """A work item: it runs once, in one of its modes, without interruption."""

    id: str
    modes: tuple[Mode, ...]
    team: str | None = None
    name: str = ""
    #: Earliest start period.
    release: int = 0
    #: In-progress work: the start is fixed here.
    pinned_start: int | None = None
    #: Period by which it should end (exclusive end time ``end <= deadline``).
    deadline: int | None = None
    hard_deadline: bool = False
    #: Cost per period a soft deadline is missed, instead of the problem's ``late_penalty``.
    late_penalty: float | None = None
    #: Weight of this activity's own end time in the weighted objective.
    weight: float = 0.0
    #: Start in a baseline plan: starting later costs ``move_weight`` per period, starting
    #: earlier ``pull_weight`` per period.
    baseline_start: int | None = None
    move_weight: float = 0.0
    pull_weight: float = 0.0


@dataclass(frozen=True, slots=True)
class Precedence:
    """Finish-to-start: ``end(before) + lag <= start(after)`` (activity indices)."""

    before: int
    after: int
    lag: int = 0


@dataclass(frozen=True, slots=True)
class Milestone:
    """A group of activities (an initiative) that lands when the last of them ends."""

    id: str
    activities: tuple[int, ...]
    weight: float = 1.0
    deadline: int | None = None
    hard_deadline: bool = False
    name: str = ""
    #: Cost per period a soft deadline is missed, instead of the problem's ``late_penalty``.
    late_penalty: float | None = None


@dataclass(frozen=True)
class PlanningProblem:
    """A complete scheduling problem; see the module docstring for the semantics."""

    activities: tuple[Activity, ...]
    resources: tuple[Resource, ...] = ()
    precedences: tuple[Precedence, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    objective: Objective = "weighted"
    name: str = "plan"
    unit: Unit = "period"
    #: Date of period 0 (``None`` for abstract problems such as PSPLIB).
    origin: dt.date | None = None
    #: Calendar days per period (7 for weeks); working days per week for ``unit="day"``.
    period_days: int = 7
    #: Every activity must end by this period (``None``: no limit).
    horizon: int | None = None
    #: Objective cost per period a soft deadline is missed (weight units).
    late_penalty: float = 50.0
    #: Free-form facts for renderers (team rates, sprint length, increment...); not used by
    #: solvers or the checker.
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n, m = len(self.activities), len(self.resources)
        ids = [a.id for a in self.activities]
        if len(set(ids)) != n:
            seen: set[str] = set()
            dup = next(i for i in ids if i in seen or seen.add(i))  # type: ignore[func-returns-value]
            raise InputError(f"planning problem: activity id '{dup}' appears twice")
        for res in self.resources:
            if not res.capacity or min(res.capacity) < 0:
                raise InputError(f"planning problem: resource '{res.id}' needs capacities >= 0")
        for a in self.activities:
            if not a.modes:
                raise InputError(f"planning problem: activity '{a.id}' has no mode")
            for mode in a.modes:
                if mode.duration < 0:
                    raise InputError(f"planning problem: activity '{a.id}' has a negative duration")
                for r, q in mode.demands:
                    if not 0 <= r < m or q < 0:
                        raise InputError(
                            f"planning problem: activity '{a.id}' has a bad demand ({r}, {q})"
                        )
        for p in self.precedences:
            if not (0 <= p.before < n and 0 <= p.after < n) or p.before == p.after or p.lag < 0:
                raise InputError(f"planning problem: bad precedence {p}")
        for ms in self.milestones:
            if any(not 0 <= i < n for i in ms.activities):
                raise InputError(f"planning problem: milestone '{ms.id}' has a bad activity")
        try:
            _ = self.topological_order
        except ValueError:
            raise InputError("planning problem: the precedences form a cycle") from None

    # -- derived structure -------------------------------------------------------------
    @property
    def n(self) -> int:
        return len(self.activities)

    @cached_property
    def index(self) -> dict[str, int]:
        """Activity id -> index."""
        return {a.id: i for i, a in enumerate(self.activities)}

    @cached_property
    def successors(self) -> tuple[tuple[tuple[int, int], ...], ...]:
        """For each activity, ``(successor, lag)`` pairs."""
        out: list[list[tuple[int, int]]] = [[] for _ in self.activities]
        for p in self.precedences:
            out[p.before].append((p.after, p.lag))
        return tuple(tuple(s) for s in out)

    @cached_property
    def predecessors(self) -> tuple[tuple[tuple[int, int], ...], ...]:
        """For each activity, ``(predecessor, lag)`` pairs."""
        out: list[list[tuple[int, int]]] = [[] for _ in self.activities]
        for p in self.precedences:
            out[p.after].append((p.before, p.lag))
        return tuple(tuple(s) for s in out)

    @cached_property
    def topological_order(self) -> tuple[int, ...]:
        edges = {i: [s for s, _ in succ] for i, succ in enumerate(self.successors)}
        return tuple(topological_order(edges))

    @cached_property
    def min_durations(self) -> tuple[int, ...]:
        return tuple(min(m.duration for m in a.modes) for a in self.activities)

    @cached_property
    def milestones_of(self) -> tuple[tuple[int, ...], ...]:
        """For each activity, the milestones it belongs to."""
        out: list[list[int]] = [[] for _ in self.activities]
        for k, ms in enumerate(self.milestones):
            for i in ms.activities:
                out[i].append(k)
        return tuple(tuple(x) for x in out)

    def with_changes(self, **changes: Any) -> PlanningProblem:
        """A copy with some fields replaced (the problem itself never changes)."""
        from dataclasses import replace

        return replace(self, **changes)


def weight_units(weight: float) -> int:
    """A weight as the fixed-point integer every back-end optimises."""
    return round(weight * WEIGHT_SCALE)


def objective_value(
    problem: PlanningProblem,
    starts: Sequence[int],
    ends: Sequence[int],
    *,
    hard_penalty: int = 0,
    moves: bool = True,
) -> int:
    """The objective of a schedule in fixed-point units (divide by :data:`WEIGHT_SCALE`).

    ``makespan``: the latest end (times ``WEIGHT_SCALE``). ``weighted``: sum of weight x end
    over milestones and activities, plus ``late_penalty`` per period each soft deadline is
    missed, plus ``move_weight`` (``pull_weight``) per period each activity starts later
    (earlier) than its baseline start.
    ``hard_penalty`` > 0 also charges that much per period a hard deadline is missed (used
    by heuristics to steer towards feasibility; a plan that pays it is not feasible).
    ``moves=False`` leaves out the baseline-move cost (for lower bounds).
    """
    if problem.objective == "makespan":
        total = max(ends, default=0) * WEIGHT_SCALE
        if hard_penalty:
            total += hard_penalty * hard_lateness(problem, ends)
        return total
    late = weight_units(problem.late_penalty)
    total = 0
    for i, a in enumerate(problem.activities):
        e = ends[i]
        if a.weight:
            total += weight_units(a.weight) * e
        if a.deadline is not None and e > a.deadline:
            if not a.hard_deadline:
                own = late if a.late_penalty is None else weight_units(a.late_penalty)
                total += own * (e - a.deadline)
            elif hard_penalty:
                total += hard_penalty * (e - a.deadline)
        if moves and a.baseline_start is not None:
            shift = starts[i] - a.baseline_start
            if shift > 0:
                total += weight_units(a.move_weight) * shift
            elif shift < 0:
                total += weight_units(a.pull_weight) * -shift
    for ms in problem.milestones:
        done = max((ends[i] for i in ms.activities), default=0)
        total += weight_units(ms.weight) * done
        if ms.deadline is not None and done > ms.deadline:
            if not ms.hard_deadline:
                own = late if ms.late_penalty is None else weight_units(ms.late_penalty)
                total += own * (done - ms.deadline)
            elif hard_penalty:
                total += hard_penalty * (done - ms.deadline)
    return total


def hard_lateness(problem: PlanningProblem, ends: Sequence[int]) -> int:
    """Total periods by which hard deadlines (activities and milestones) are missed."""
    late = 0
    for i, a in enumerate(problem.activities):
        if a.hard_deadline and a.deadline is not None and ends[i] > a.deadline:
            late += ends[i] - a.deadline
    for ms in problem.milestones:
        if ms.hard_deadline and ms.deadline is not None:
            done = max((ends[i] for i in ms.activities), default=0)
            late += max(done - ms.deadline, 0)
    return late


__all__ = [
    "WEIGHT_SCALE",
    "Activity",
    "Milestone",
    "Mode",
    "Objective",
    "PlanningProblem",
    "Precedence",
    "Resource",
    "Unit",
    "hard_lateness",
    "objective_value",
    "weight_units",
]
