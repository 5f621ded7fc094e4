"""Why an item landed where it did: its binding constraint, its slack and its critical chain.

For an item that starts at ``s``, the *ready* period is the latest of its release date and
its predecessors' ends plus lags. Then exactly one of these holds:

* ``pinned`` - it is in progress and fixed at its start;
* ``dependency`` - a predecessor ends (plus lag) exactly at ``s``;
* ``release`` - ``s`` is its earliest start date;
* ``plan-start`` - it starts at period 0 with nothing before it;
* ``capacity`` - it was ready earlier, but in every period from ready to ``s`` its team (or
  WIP limit) had no room for it for its whole duration; the periods where the team was full
  and the items holding it are listed;
* ``none`` - nothing held it back (the plan could move it earlier; only possible for plans
  that are not left-justified, e.g. a hint kept as it was).

**Slack** is how many periods the item could slip before a dependent item would have to
move (or, for an item nothing depends on, before the plan's end). The **critical chain**
follows binding constraints backwards: the dependency that ends at the start, or the item
of the same team that frees capacity at the start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scaleplan.errors import UsageError
from scaleplan.planning.problem import PlanningProblem
from scaleplan.planning.result import PlanResult


@dataclass(frozen=True, slots=True)
class CapacityWindow:
    """Periods ``[start, end)`` in which a resource had no room for the item."""

    resource: str
    team: str | None
    kind: str
    start: int
    end: int
    #: Items using the resource in those periods, most periods first.
    holders: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "resource": self.resource,
            "team": self.team,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "holders": list(self.holders),
        }


@dataclass(frozen=True)
class Explanation:
    """The answer to "why is this item planned here?"."""

    item: str
    team: str | None
    start: int
    end: int
    people: float
    ready: int
    binding: str
    message: str
    #: Predecessors that end exactly at the start (dependency binding).
    predecessors: tuple[str, ...] = ()
    capacity: tuple[CapacityWindow, ...] = ()
    slack: int = 0
    deadline: int | None = None
    deadline_slack: int | None = None
    chain: tuple[str, ...] = ()
    #: How each chain item hands over to the next: ``dependency`` or ``capacity:<team>``.
    chain_links: tuple[str, ...] = ()
    dates: dict[str, str | None] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "team": self.team,
            "start": self.start,
            "end": self.end,
            "people": self.people,
            "ready": self.ready,
            "binding": self.binding,
            "message": self.message,
            "predecessors": list(self.predecessors),
            "capacity": [c.to_dict() for c in self.capacity],
            "slack": self.slack,
            "deadline": self.deadline,
            "deadline_slack": self.deadline_slack,
            "critical_chain": list(self.chain),
            "critical_chain_links": list(self.chain_links),
            "dates": dict(self.dates),
        }


class _Plan:
    """A plan indexed for explanations: starts, ends, modes and usage per resource/period."""

    def __init__(self, problem: PlanningProblem, result: PlanResult) -> None:
        if not result.items:
            raise UsageError(f"no plan to explain (status {result.status})")
        self.problem = problem
        self.result = result
        by_id = result.by_id
        n = problem.n
        self.start = [0] * n
        self.end = [0] * n
        self.mode = [0] * n
        for j, a in enumerate(problem.activities):
            item = by_id.get(a.id)
            if item is None:
                raise UsageError(f"the plan has no item '{a.id}'")
            self.start[j], self.end[j], self.mode[j] = item.start, item.end, item.mode
        self.usage: dict[int, dict[int, int]] = {}
        self.holders: dict[int, dict[int, list[int]]] = {}
        for j, a in enumerate(problem.activities):
            mode = a.modes[self.mode[j]]
            for r, q in mode.demands:
                use = self.usage.setdefault(r, {})
                who = self.holders.setdefault(r, {})
                for t in range(self.start[j], self.end[j]):
                    use[t] = use.get(t, 0) + q
                    who.setdefault(t, []).append(j)

    def ready(self, j: int) -> int:
        a = self.problem.activities[j]
        t = a.release
        for p, lag in self.problem.predecessors[j]:
            t = max(t, self.end[p] + lag)
        return t

    def blocked(self, j: int, ready: int) -> list[tuple[int, int]]:
        """(resource, period) pairs that stop ``j`` from starting in ``[ready, start)``."""
        a = self.problem.activities[j]
        mode = a.modes[self.mode[j]]
        d = mode.duration
        out: set[tuple[int, int]] = set()
        for t in range(ready, self.start[j]):
            found = False
            for r, q in mode.demands:
                res = self.problem.resources[r]
                for u in range(t, t + d):
                    own = q if self.start[j] <= u < self.end[j] else 0
                    if self.usage.get(r, {}).get(u, 0) - own + q > res.cap(u):
                        out.add((r, u))
                        found = True
            if not found:
                return []
        return sorted(out)


def explain(problem: PlanningProblem, result: PlanResult, item_id: str) -> Explanation:
    """Explain where ``item_id`` landed in ``result`` (a plan of ``problem``)."""
    plan = _Plan(problem, result)
    if item_id not in problem.index:
        from scaleplan.errors import did_you_mean

        hint = did_you_mean(item_id, set(problem.index)) or ""
        raise UsageError(f"unknown item '{item_id}'. {hint}".strip())
    j = problem.index[item_id]
    a = problem.activities[j]
    start, end = plan.start[j], plan.end[j]
    ready = plan.ready(j)
    unit = _unit(problem)
    preds = tuple(
        problem.activities[p].id for p, lag in problem.predecessors[j] if plan.end[p] + lag == start
    )
    windows: tuple[CapacityWindow, ...] = ()
    if a.pinned_start is not None:
        binding = "pinned"
        message = f"{a.id} is in progress: pinned at its start, {unit} {start}"
    elif preds:
        binding = "dependency"
        message = f"{a.id} starts when {', '.join(preds)} {'ends' if len(preds) == 1 else 'end'}"
    elif start == a.release and start > 0:
        binding = "release"
        message = f"{a.id} starts at its earliest start, {unit} {start}"
    elif start == 0:
        binding = "plan-start"
        message = f"{a.id} starts at the beginning of the plan"
    else:
        blocked = plan.blocked(j, ready)
        if blocked:
            binding = "capacity"
            windows = _windows(plan, j, blocked)
            parts = [
                f"{_resource_noun(w)} is full in {unit}s {w.start}-{w.end - 1}"
                + (f" ({', '.join(w.holders[:4])})" if w.holders else "")
                for w in windows
            ]
            message = (
                f"{a.id} is ready in {unit} {ready} but waits until {unit} {start}: "
                + "; ".join(parts)
            )
        else:
            binding = "none"
            message = (
                f"{a.id} is ready in {unit} {ready}; nothing holds it back until {unit} {start} "
                "(the plan could start it earlier)"
            )
    slack = _slack(plan, j)
    links = _chain_links(plan, j)
    deadline = a.deadline
    return Explanation(
        item=a.id,
        team=a.team,
        start=start,
        end=end,
        people=a.modes[plan.mode[j]].people,
        ready=ready,
        binding=binding,
        message=message,
        predecessors=preds,
        capacity=windows,
        slack=slack,
        deadline=deadline,
        deadline_slack=None if deadline is None else deadline - end,
        chain=tuple(i for i, _ in links),
        chain_links=tuple(link for _, link in links[:-1]),
        dates={
            "start": _iso(result, start),
            "end": _iso_end(result, end),
            "ready": _iso(result, ready),
        },
    )


def critical_chain(problem: PlanningProblem, result: PlanResult) -> tuple[str, ...]:
    """The chain of binding constraints that ends with the last item of the plan."""
    return tuple(i for i, _ in critical_chain_links(problem, result))


def critical_chain_links(problem: PlanningProblem, result: PlanResult) -> list[tuple[str, str]]:
    """:func:`critical_chain` with how each item hands over to the next (see
    :func:`format_chain`)."""
    plan = _Plan(problem, result)
    if not problem.n:
        return []
    last = max(range(problem.n), key=lambda j: (plan.end[j], -j))
    return _chain_links(plan, last)


def _chain(plan: _Plan, j: int) -> tuple[str, ...]:
    return tuple(i for i, _ in _chain_links(plan, j))


def _chain_links(plan: _Plan, j: int) -> list[tuple[str, str]]:
    """``(item, how it hands over to the next item)`` backwards-followed binding constraints,
    in plan order; the link of the last item is ``""``."""
    problem = plan.problem
    chain: list[tuple[int, str]] = [(j, "")]
    seen = {j}
    while True:
        s = plan.start[j]
        a = problem.activities[j]
        if a.pinned_start is not None or s == 0:
            break
        nxt, link = None, ""
        for p, lag in problem.predecessors[j]:
            if plan.end[p] + lag == s:
                nxt, link = p, "dependency"
                break
        if nxt is None and s > a.release:
            mode = a.modes[plan.mode[j]]
            resources = {r for r, _ in mode.demands}
            candidates = [
                k
                for k in range(problem.n)
                if k not in seen
                and plan.end[k] == s
                and plan.end[k] > plan.start[k]
                and any(
                    r in resources for r, _ in problem.activities[k].modes[plan.mode[k]].demands
                )
            ]
            if candidates:
                nxt = min(candidates, key=lambda k: (plan.start[k], k))
                shared = [
                    r
                    for r, _ in problem.activities[nxt].modes[plan.mode[nxt]].demands
                    if r in resources
                ]
                res = problem.resources[shared[0]]
                link = f"capacity:{res.team or res.id}"
        if nxt is None or nxt in seen:
            break
        chain.append((nxt, link))
        seen.add(nxt)
        j = nxt
    return [(problem.activities[k].id, link) for k, link in reversed(chain)]


def format_chain(links: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> str:
    """``a -> b =[team]=> c``: ``->`` a dependency, ``=[team]=>`` the team's capacity."""
    out = []
    for item, link in links:
        out.append(item)
        if link == "dependency":
            out.append(" -> ")
        elif link.startswith("capacity:"):
            out.append(f" =[{link.split(':', 1)[1]}]=> ")
    return "".join(out)


def _slack(plan: _Plan, j: int) -> int:
    problem = plan.problem
    succ = problem.successors[j]
    makespan = max(plan.end, default=0)
    if not succ:
        return makespan - plan.end[j]
    return min(plan.start[s] - lag - plan.end[j] for s, lag in succ)


def _windows(plan: _Plan, j: int, blocked: list[tuple[int, int]]) -> tuple[CapacityWindow, ...]:
    problem = plan.problem
    out: list[CapacityWindow] = []
    by_resource: dict[int, list[int]] = {}
    for r, t in blocked:
        by_resource.setdefault(r, []).append(t)
    for r, periods in sorted(by_resource.items()):
        periods.sort()
        res = problem.resources[r]
        runs: list[tuple[int, int]] = []
        for t in periods:
            if runs and runs[-1][1] == t:
                runs[-1] = (runs[-1][0], t + 1)
            else:
                runs.append((t, t + 1))
        for a0, a1 in runs:
            count: dict[int, int] = {}
            for t in range(a0, a1):
                for k in plan.holders.get(r, {}).get(t, ()):
                    if k != j:
                        count[k] = count.get(k, 0) + 1
            holders = tuple(
                problem.activities[k].id for k in sorted(count, key=lambda k: (-count[k], k))
            )
            out.append(CapacityWindow(res.id, res.team, res.kind, a0, a1, holders))
    return tuple(out)


def _resource_noun(w: CapacityWindow) -> str:
    if w.kind == "wip":
        return f"team {w.team}'s WIP limit"
    return f"team {w.team}" if w.team else f"resource {w.resource}"


def _unit(problem: PlanningProblem) -> str:
    return {"week": "week", "day": "day"}.get(problem.unit, "period")


def _iso_end(result: PlanResult, period: int) -> str | None:
    date = result.finish_date(period)
    return date.isoformat() if date else None


def _iso(result: PlanResult, period: int) -> str | None:
    date = result.date_of(period)
    return date.isoformat() if date else None


__all__ = [
    "CapacityWindow",
    "Explanation",
    "critical_chain",
    "critical_chain_links",
    "explain",
    "format_chain",
]
