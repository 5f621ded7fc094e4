"""Why no plan exists: proofs of infeasibility a person can act on.

Checked in order, each a :class:`~scaleplan.planning.result.Finding`:

* ``no-capacity`` - an activity needs more of a resource in every mode than the resource
  ever has (e.g. a team with nobody in it);
* ``pinned-overload`` - in-progress (pinned) work alone exceeds a team's capacity;
* ``deadline-chain`` - a hard deadline is earlier than the end of the longest dependency
  chain leading to it (releases, pins and lags included), *and by how many periods*;
* ``capacity-short`` - the work that must be done before a hard deadline (the item and all
  its transitive predecessors) needs more of a team than the team has until then, *and how
  many person-weeks are missing*.

``conflict`` findings (hard deadlines that cannot all hold together, though each passes the
checks above) come from :func:`scaleplan.planning.solve`, which knows the search outcome.
"""

from __future__ import annotations

from scaleplan.planning.bounds import earliest_starts
from scaleplan.planning.problem import PlanningProblem
from scaleplan.planning.result import Finding


def effort_per_unit(problem: PlanningProblem, resource: int) -> float:
    """Person-weeks of effort one capacity unit delivers in one period (``meta`` may give it
    per resource id; otherwise one unit-period)."""
    rates = problem.meta.get("effort_per_unit", {})
    res = problem.resources[resource]
    return float(rates.get(res.id, 1.0))


def diagnose(problem: PlanningProblem) -> list[Finding]:
    """Findings that prove ``problem`` has no feasible plan (empty: nothing proven)."""
    findings = _impossible_demands(problem)
    findings += _pinned_overload(problem)
    findings += _deadlines(problem)
    return findings


def _noun(problem: PlanningProblem, resource: int) -> str:
    res = problem.resources[resource]
    if res.kind == "wip":
        return f"team {res.team}'s WIP limit"
    return f"team {res.team}" if res.team else f"resource {res.id}"


def _impossible_demands(problem: PlanningProblem) -> list[Finding]:
    out = []
    for a in problem.activities:
        blocked: set[int] = set()
        ok = False
        for mode in a.modes:
            bad = [
                r for r, q in mode.demands if mode.duration > 0 and q > problem.resources[r].peak
            ]
            if not bad:
                ok = True
                break
            blocked.update(bad)
        if not ok:
            r = min(blocked)
            res = problem.resources[r]
            out.append(
                Finding(
                    "no-capacity",
                    f"{a.id} needs {_noun(problem, r)}, which never has enough capacity "
                    f"(at most {res.peak / res.scale:g} people)",
                    subject=res.team or res.id,
                    chain=(a.id,),
                )
            )
    return out


def _pinned_overload(problem: PlanningProblem) -> list[Finding]:
    usage: dict[tuple[int, int], int] = {}
    who: dict[int, set[str]] = {}
    for a in problem.activities:
        if a.pinned_start is None:
            continue
        mode = min(a.modes, key=lambda m: sum(q for _, q in m.demands))
        for r, q in mode.demands:
            who.setdefault(r, set()).add(a.id)
            for t in range(a.pinned_start, a.pinned_start + mode.duration):
                usage[(r, t)] = usage.get((r, t), 0) + q
    worst: dict[int, tuple[int, int, int]] = {}
    for (r, t), used in usage.items():
        cap = problem.resources[r].cap(t)
        over = used - cap
        if over > 0 and (r not in worst or over > worst[r][0]):
            worst[r] = (over, t, used)
    out = []
    for r, (over, t, used) in sorted(worst.items()):
        res = problem.resources[r]
        if res.kind == "wip":
            amount = f"{used} items in progress against a WIP limit of {res.cap(t)}"
        else:
            amount = f"{used / res.scale:g} people against {res.cap(t) / res.scale:g} available"
        out.append(
            Finding(
                "pinned-overload",
                f"in-progress work alone overloads {_noun(problem, r)} in period {t}: {amount}",
                subject=res.team or res.id,
                chain=tuple(sorted(who[r])),
                short=over * effort_per_unit(problem, r) if res.kind != "wip" else None,
            )
        )
    return out


def _deadlines(problem: PlanningProblem) -> list[Finding]:
    targets: list[tuple[str, tuple[int, ...], int]] = []
    for j, a in enumerate(problem.activities):
        if a.hard_deadline and a.deadline is not None:
            targets.append((a.id, (j,), a.deadline))
    for ms in problem.milestones:
        if ms.hard_deadline and ms.deadline is not None and ms.activities:
            targets.append((ms.id, ms.activities, ms.deadline))
    if not targets:
        return []
    es = earliest_starts(problem)
    dmin = problem.min_durations
    out: list[Finding] = []
    for name, members, deadline in targets:
        last = max(members, key=lambda i: es[i] + dmin[i])
        finish = es[last] + dmin[last]
        if finish > deadline:
            chain = critical_chain(problem, es, last)
            out.append(
                Finding(
                    "deadline-chain",
                    f"hard deadline of {name} (period {deadline}) is {finish - deadline} "
                    f"period(s) before the earliest possible finish {finish}, set by the chain "
                    + " -> ".join(chain),
                    subject=name,
                    chain=chain,
                    late=finish - deadline,
                )
            )
            continue
        out += _energy_short(problem, name, members, deadline)
    return out


def critical_chain(problem: PlanningProblem, es: list[int], last: int) -> tuple[str, ...]:
    """The dependency chain that sets ``es[last]`` (earliest starts, shortest modes)."""
    dmin = problem.min_durations
    chain = [last]
    j = last
    while True:
        nxt = None
        for p, lag in problem.predecessors[j]:
            if es[p] + dmin[p] + lag == es[j]:
                nxt = p
                break
        if nxt is None or problem.activities[j].pinned_start is not None:
            break
        chain.append(nxt)
        j = nxt
    return tuple(problem.activities[i].id for i in reversed(chain))


def _ancestors(problem: PlanningProblem, members: tuple[int, ...]) -> set[int]:
    seen = set(members)
    stack = list(members)
    while stack:
        j = stack.pop()
        for p, _ in problem.predecessors[j]:
            if p not in seen:
                seen.add(p)
                stack.append(p)
    return seen


def _energy_short(
    problem: PlanningProblem, name: str, members: tuple[int, ...], deadline: int
) -> list[Finding]:
    needed = _ancestors(problem, members)
    need: dict[int, int] = {}
    for j in needed:
        a = problem.activities[j]
        used = {r for m in a.modes for r, _ in m.demands}
        for r in used:
            need[r] = need.get(r, 0) + min(dict(m.demands).get(r, 0) * m.duration for m in a.modes)
    # pinned work outside the set also takes capacity before the deadline
    taken: dict[int, int] = {}
    for j, a in enumerate(problem.activities):
        if a.pinned_start is None or j in needed:
            continue
        mode = min(a.modes, key=lambda m: sum(q for _, q in m.demands))
        overlap = max(min(a.pinned_start + mode.duration, deadline) - a.pinned_start, 0)
        for r, q in mode.demands:
            taken[r] = taken.get(r, 0) + q * overlap
    out = []
    for r, amount in sorted(need.items()):
        res = problem.resources[r]
        have = sum(res.cap(t) for t in range(deadline)) - taken.get(r, 0)
        if amount > have:
            rate = effort_per_unit(problem, r)
            short = (amount - have) * rate
            unit = "person-weeks" if problem.unit in ("week", "day") else "unit-periods"
            what = (
                f"{(amount - have)} item-periods over the WIP limit"
                if res.kind == "wip"
                else f"{short:.1f} {unit} short"
            )
            out.append(
                Finding(
                    "capacity-short",
                    f"hard deadline of {name} (period {deadline}): the work it needs from "
                    f"{_noun(problem, r)} does not fit before it - {what}",
                    subject=name,
                    chain=tuple(sorted(problem.activities[j].id for j in needed)),
                    short=short if res.kind != "wip" else None,
                )
            )
    return out


__all__ = ["critical_chain", "diagnose", "effort_per_unit"]
