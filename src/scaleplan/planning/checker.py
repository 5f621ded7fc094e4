"""An independent plan checker: recomputes everything from the problem, shares no code with
the back-ends, and lists every violation it finds (an empty list means the plan is valid).

Checked: every activity planned exactly once in one of its modes with that mode's duration;
no start before period 0 or the release date; pins; finish-to-start precedences with lags;
hard deadlines (activities and milestones) and the horizon; per-period capacity of every
resource; and, when given, a known lower bound on the makespan (a plan below it is a bug).
"""

from __future__ import annotations

from scaleplan.planning.problem import PlanningProblem
from scaleplan.planning.result import PlanResult


def check_plan(
    problem: PlanningProblem, result: PlanResult, *, lower_bound: int | None = None
) -> list[str]:
    """Violations of ``result`` against ``problem`` as readable sentences.

    Results without a plan (infeasible / unknown without items) have nothing to check and
    return ``[]``. ``lower_bound``: a proven makespan lower bound (e.g. PSPLIB ``lb``).
    """
    if not result.items:
        if result.status in ("optimal", "feasible"):
            return [f"status is {result.status} but the plan has no items"] if problem.n else []
        return []
    out: list[str] = []
    planned: dict[str, tuple[int, int, int]] = {}
    for item in result.items:
        if item.id in planned:
            out.append(f"{item.id}: planned more than once")
        planned[item.id] = (item.start, item.end, item.mode)
    unknown = set(planned) - {a.id for a in problem.activities}
    for ident in sorted(unknown):
        out.append(f"{ident}: not an activity of the problem")
    usage: dict[tuple[int, int], int] = {}
    ends: dict[int, int] = {}
    for idx, act in enumerate(problem.activities):
        if act.id not in planned:
            out.append(f"{act.id}: missing from the plan")
            continue
        start, end, mode = planned[act.id]
        if not 0 <= mode < len(act.modes):
            out.append(f"{act.id}: mode {mode} does not exist ({len(act.modes)} modes)")
            continue
        spec = act.modes[mode]
        if end - start != spec.duration:
            out.append(
                f"{act.id}: runs {end - start} periods but mode {mode} lasts {spec.duration}"
            )
        if start < 0:
            out.append(f"{act.id}: starts at {start}, before period 0")
        if act.pinned_start is not None and start != act.pinned_start:
            out.append(f"{act.id}: pinned at {act.pinned_start} but starts at {start}")
        if act.pinned_start is None and start < act.release:
            out.append(f"{act.id}: starts at {start}, before its release {act.release}")
        if act.hard_deadline and act.deadline is not None and end > act.deadline:
            out.append(f"{act.id}: ends at {end}, after its hard deadline {act.deadline}")
        if problem.horizon is not None and end > problem.horizon:
            out.append(f"{act.id}: ends at {end}, after the horizon {problem.horizon}")
        ends[idx] = end
        for resource, amount in spec.demands:
            for t in range(start, start + spec.duration):
                key = (resource, t)
                usage[key] = usage.get(key, 0) + amount
    for prec in problem.precedences:
        a, b = problem.activities[prec.before], problem.activities[prec.after]
        if a.id in planned and b.id in planned:
            a_end = planned[a.id][1]
            b_start = planned[b.id][0]
            if a_end + prec.lag > b_start:
                lag = f" + lag {prec.lag}" if prec.lag else ""
                out.append(
                    f"{b.id}: starts at {b_start} but depends on {a.id}, which ends at {a_end}{lag}"
                )
    for ms in problem.milestones:
        if ms.hard_deadline and ms.deadline is not None:
            done = max((ends.get(i, 0) for i in ms.activities), default=0)
            if done > ms.deadline:
                out.append(f"{ms.id}: lands at {done}, after its hard deadline {ms.deadline}")
    for (resource, t), used in sorted(usage.items()):
        res = problem.resources[resource]
        cap = res.capacity[t] if t < len(res.capacity) else res.capacity[-1]
        if used > cap:
            out.append(f"resource {res.id}: period {t} uses {used} of capacity {cap}")
    if lower_bound is not None:
        makespan = max(ends.values(), default=0)
        if makespan < lower_bound:
            out.append(f"makespan {makespan} is below the proven lower bound {lower_bound} (a bug)")
    return out


__all__ = ["check_plan"]
