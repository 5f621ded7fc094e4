"""Derived problems: relax hard deadlines, make a deadline hard, re-plan against a baseline.

Each returns a new :class:`PlanningProblem`; the input is never changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from scaleplan.errors import UsageError
from scaleplan.planning.problem import PlanningProblem
from scaleplan.planning.result import Finding, PlanResult

#: Default cost per period a committed item starts later than in the baseline (weight
#: units: five times a weight-1 initiative landing one period later).
MOVE_WEIGHT = 5.0
#: Default cost per period a committed item starts earlier than in the baseline: pulling
#: work in is less disruptive than slipping it, so it happens when it pays for itself.
PULL_WEIGHT = 0.5
#: A relaxed hard deadline costs this many times a soft deadline per period late.
RELAXED_FACTOR = 10.0


def relax_hard_deadlines(
    problem: PlanningProblem, *, factor: float = RELAXED_FACTOR
) -> PlanningProblem:
    """Every hard deadline becomes soft: same date, ``factor`` times the usual cost per period
    late (so the plan still misses them as little as it can); their ids are listed in
    ``meta["relaxed_deadlines"]``."""
    relaxed = [a.id for a in problem.activities if a.hard_deadline]
    relaxed += [m.id for m in problem.milestones if m.hard_deadline]
    penalty = problem.late_penalty * factor
    return problem.with_changes(
        meta={**problem.meta, "relaxed_deadlines": relaxed},
        activities=tuple(
            replace(a, hard_deadline=False, late_penalty=penalty) if a.hard_deadline else a
            for a in problem.activities
        ),
        milestones=tuple(
            replace(m, hard_deadline=False, late_penalty=penalty) if m.hard_deadline else m
            for m in problem.milestones
        ),
    )


def relax_for_plan(problem: PlanningProblem, findings: Iterable[Finding] = ()) -> PlanningProblem:
    """The problem a best-effort plan is made for when ``problem`` has none: hard deadlines
    relaxed (see :func:`relax_hard_deadlines`), and when in-progress work alone overloads a
    team (a ``pinned-overload`` finding), that team's in-progress items are no longer pinned:
    they may start at their pinned period or later, at ``MOVE_WEIGHT`` per period of delay
    (listed in ``meta["unpinned"]``)."""
    relaxed = relax_hard_deadlines(problem)
    overloaded = {ident for f in findings if f.kind == "pinned-overload" for ident in f.chain}
    if not overloaded:
        return relaxed
    acts = tuple(
        replace(
            a,
            pinned_start=None,
            release=a.pinned_start,
            baseline_start=a.pinned_start,
            move_weight=MOVE_WEIGHT,
            pull_weight=0.0,
        )
        if a.id in overloaded and a.pinned_start is not None
        else a
        for a in relaxed.activities
    )
    return relaxed.with_changes(
        activities=acts, meta={**relaxed.meta, "unpinned": sorted(overloaded)}
    )


def with_hard_deadline(
    problem: PlanningProblem, target: str, deadline: int | None = None
) -> PlanningProblem:
    """Make the deadline of activity or milestone ``target`` hard (optionally moved to
    ``deadline``); every other hard deadline becomes soft."""
    base = relax_hard_deadlines(problem)
    if target in base.index:
        j = base.index[target]
        a = base.activities[j]
        when = deadline if deadline is not None else a.deadline
        if when is None:
            raise UsageError(f"{target} has no deadline; give one")
        acts = list(base.activities)
        acts[j] = replace(a, deadline=when, hard_deadline=True)
        return base.with_changes(activities=tuple(acts))
    for k, ms in enumerate(base.milestones):
        if ms.id == target:
            when = deadline if deadline is not None else ms.deadline
            if when is None:
                raise UsageError(f"{target} has no deadline; give one")
            milestones = list(base.milestones)
            milestones[k] = replace(ms, deadline=when, hard_deadline=True)
            return base.with_changes(milestones=tuple(milestones))
    raise UsageError(f"'{target}' is neither a planned item nor an initiative with planned items")


def with_baseline(
    problem: PlanningProblem,
    baseline: PlanResult,
    *,
    committed: Iterable[str] | None = None,
    move_weight: float = MOVE_WEIGHT,
    pull_weight: float = PULL_WEIGHT,
) -> PlanningProblem:
    """Re-plan against ``baseline``: each committed item costs ``move_weight`` per period it
    starts later than in the baseline and ``pull_weight`` per period earlier. ``committed``
    defaults to every baseline item that starts before the end of the increment the plan
    starts in (``meta["commit_periods"]``; every baseline item when there is none). Items
    not in the baseline are free."""
    if move_weight < 0 or pull_weight < 0:
        raise UsageError("move weights must be >= 0")
    starts = {i.id: i.start for i in baseline.items}
    if committed is None:
        limit = problem.meta.get("commit_periods")
        chosen = {i for i, s in starts.items() if limit is None or s < limit}
    else:
        chosen = set(committed)
    acts = tuple(
        replace(a, baseline_start=starts[a.id], move_weight=move_weight, pull_weight=pull_weight)
        if a.id in chosen and a.id in starts and a.pinned_start is None
        else a
        for a in problem.activities
    )
    return problem.with_changes(activities=acts)


__all__ = [
    "MOVE_WEIGHT",
    "PULL_WEIGHT",
    "RELAXED_FACTOR",
    "relax_for_plan",
    "relax_hard_deadlines",
    "with_baseline",
    "with_hard_deadline",
]
