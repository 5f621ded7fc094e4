"""Heuristic back-end: serial schedule-generation scheme (SGS) with priority rules,
forward-backward improvement (justification) and random-key sampling.

How it works
------------
1. **Serial SGS** (Kelley 1963; Kolisch 1996): activities are taken one by one from a
   precedence-feasible list and each starts at the earliest period where its predecessors
   (with lags) are done and every resource it uses has room for its whole duration, against a
   time-varying capacity profile. For several modes the mode that finishes first is taken
   (ties: the one demanding less).
2. **Priority rules** make the lists: LFT (latest finish time), LST, MTS (most total
   successors), GRPW (greatest rank positional weight), SPT; for the weighted objective also
   due-date LFT (soft deadlines as due dates) and WSJF (weight of everything waiting on the
   activity divided by its duration).
3. **Forward-backward improvement** (Tormos & Lova 2001; Valls, Ballestín & Quintanilla 2005):
   schedule right-justified in order of decreasing finish times, then left-justified again in
   order of the new start times; repeated while it helps.
4. **Random-key sampling** until the time or schedule budget runs out: perturbed rule keys
   and perturbations of the best list found so far, each decoded by the SGS and justified.

Pinned activities are placed first at their pinned start. Hard deadlines are steered towards
with a heavy penalty; a best plan that still misses one is returned with status ``unknown``.

:func:`schedule_durations` is the fast path for Monte Carlo: it re-runs the serial SGS on a
fixed list (a plan's start order) and fixed modes with new durations.
"""

from __future__ import annotations

import heapq
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scaleplan.planning.backends.rules import priority_rules
from scaleplan.planning.bounds import earliest_starts
from scaleplan.planning.problem import PlanningProblem, objective_value
from scaleplan.planning.result import PlanResult

#: Objective cost per period a hard deadline (or the horizon) is missed while searching.
HARD_PENALTY = 10**7

Demands = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class Schedule:
    """A complete schedule: start, end and mode index of each activity."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    modes: tuple[int, ...]
    #: Objective in fixed-point units, hard-deadline misses charged at ``HARD_PENALTY``.
    cost: int
    #: Capacity exceeded somewhere (only pinned activities can cause it).
    overload: bool = False

    @property
    def makespan(self) -> int:
        return max(self.ends, default=0)


class Instance:
    """The problem compiled into flat lists for the inner loops."""

    def __init__(self, problem: PlanningProblem) -> None:
        self.problem = problem
        self.n = problem.n
        self.preds = [list(p) for p in problem.predecessors]
        self.succs = [list(s) for s in problem.successors]
        acts = problem.activities
        self.release = [a.release for a in acts]
        self.pin = [a.pinned_start for a in acts]
        self.modes: list[list[tuple[int, Demands]]] = [
            [(m.duration, m.demands) for m in a.modes] for a in acts
        ]
        self.mode_load = [[sum(q for _, q in m.demands) for m in a.modes] for a in acts]
        self.base = [list(r.capacity) for r in problem.resources]
        self.tails = [r.capacity[-1] for r in problem.resources]
        self.limits = [len(r.capacity) for r in problem.resources]
        self.topo = list(problem.topological_order)
        self.topo_pos = [0] * self.n
        for k, j in enumerate(self.topo):
            self.topo_pos[j] = k
        self.pinned = sorted(
            (j for j in range(self.n) if self.pin[j] is not None),
            key=lambda j: (self.pin[j], j),
        )
        self.free = [j for j in range(self.n) if self.pin[j] is None]
        self.dmin = list(problem.min_durations)
        total = sum(max(m[0] for m in ms) for ms in self.modes)
        lag = sum(p.lag for p in problem.precedences)
        rel = max(self.release, default=0)
        pins = max((p + 50 for p in self.pin if p is not None), default=0)
        self.length_hint = max(total + lag + rel, pins, 1) + 1
        self.length_hint = min(self.length_hint, max((len(b) for b in self.base), default=0) + 4096)
        self.hard = any(a.hard_deadline and a.deadline is not None for a in acts) or any(
            m.hard_deadline and m.deadline is not None for m in problem.milestones
        )

    # -- resource profiles -----------------------------------------------------------
    def fresh_avail(self, length: int) -> list[list[int]]:
        out = []
        for b, tail in zip(self.base, self.tails, strict=True):
            if len(b) >= length:
                out.append(b[:])
            else:
                out.append(b + [tail] * (length - len(b)))
        return out

    def fit(
        self, avail: list[list[int]], t: int, d: int, dem: Demands, hint: dict[int, int]
    ) -> int:
        """Earliest start ``>= t`` where ``dem`` fits for ``d`` periods; -1 if never.

        ``hint`` maps ``resource * 2**20 + demand`` to a period before which that resource
        never has room for that demand; it only moves right as a forward pass fills the
        profile, so saturated stretches are skipped once instead of on every call."""
        if d == 0:
            return t
        tails, limits = self.tails, self.limits
        for r, q in dem:
            a = avail[r]
            key = (r << 20) + q
            h = hint.get(key, 0)
            size = len(a)
            while h < size and a[h] < q:
                h += 1
            hint[key] = h
            if h > t:
                t = h
        while True:
            end = t + d
            moved = False
            for r, q in dem:
                a = avail[r]
                if len(a) < end:
                    a.extend([tails[r]] * (end - len(a) + 64))
                if min(a[t:end]) >= q:
                    continue
                u = end - 1
                while a[u] >= q:
                    u -= 1
                t = u + 1
                moved = True
                if q > tails[r] and t >= limits[r]:
                    return -1
                break
            if not moved:
                return t

    def latest_fit(self, avail: list[list[int]], e: int, d: int, dem: Demands, lowest: int) -> int:
        """Latest end ``<= e`` with ``dem`` fitting over ``[end - d, end)`` and start >= lowest;
        -1 if none."""
        if d == 0:
            return e if e >= lowest else -1
        while True:
            st = e - d
            if st < lowest:
                return -1
            moved = False
            for r, q in dem:
                a = avail[r]
                if len(a) < e:
                    a.extend([self.tails[r]] * (e - len(a) + 64))
                if min(a[st:e]) >= q:
                    continue
                u = st
                while a[u] >= q:
                    u += 1
                e = u
                moved = True
                break
            if not moved:
                return e

    @staticmethod
    def commit(avail: list[list[int]], t: int, d: int, dem: Demands) -> None:
        for r, q in dem:
            a = avail[r]
            for u in range(t, t + d):
                a[u] -= q

    # -- schedule generation ----------------------------------------------------------
    def forward(
        self,
        order: Sequence[int],
        modes: Sequence[int] | None = None,
        durations: Sequence[int] | None = None,
        length: int | None = None,
    ) -> tuple[list[int], list[int], list[int], bool] | None:
        """Serial SGS over ``order`` (free activities, precedence-feasible); pinned activities
        are placed first. Returns starts, ends, modes, overload, or None if something can
        never fit."""
        n = self.n
        avail = self.fresh_avail(length or self.length_hint)
        starts = [0] * n
        ends = [0] * n
        chosen = [0] * n
        overload = False
        for j in self.pinned:
            k = modes[j] if modes is not None else self._pinned_mode(avail, j)
            d, dem = self.modes[j][k]
            if durations is not None:
                d = durations[j]
            t = self.pin[j]
            assert t is not None
            for r, q in dem:
                a = avail[r]
                if len(a) < t + d:
                    a.extend([self.tails[r]] * (t + d - len(a) + 64))
                if d and min(a[t : t + d]) < q:
                    overload = True
            self.commit(avail, t, d, dem)
            starts[j], ends[j], chosen[j] = t, t + d, k
        preds, release, fit, commit = self.preds, self.release, self.fit, self.commit
        hint: dict[int, int] = {}
        for j in order:
            es = release[j]
            for p, lag in preds[j]:
                v = ends[p] + lag
                if v > es:
                    es = v
            options = self.modes[j]
            if modes is not None or len(options) == 1:
                k = modes[j] if modes is not None else 0
                d, dem = options[k]
                if durations is not None:
                    d = durations[j]
                t = fit(avail, es, d, dem, hint)
                if t < 0:
                    return None
            else:
                best = None
                for kk, (dd, dm) in enumerate(options):
                    tt = fit(avail, es, dd, dm, hint)
                    if tt < 0:
                        continue
                    key = (tt + dd, self.mode_load[j][kk])
                    if best is None or key < best[0]:
                        best = (key, kk, tt)
                if best is None:
                    return None
                _, k, t = best
                d, dem = options[k]
            commit(avail, t, d, dem)
            starts[j], ends[j], chosen[j] = t, t + d, k
        return starts, ends, chosen, overload

    def _pinned_mode(self, avail: list[list[int]], j: int) -> int:
        """Mode of a pinned activity: the leanest (in-progress work keeps its people; the
        solver may choose faster modes where they fit)."""
        return min(range(len(self.modes[j])), key=lambda k: (self.mode_load[j][k], k))

    def backward(
        self, starts: Sequence[int], ends: Sequence[int], modes: Sequence[int]
    ) -> tuple[list[int], list[int]] | None:
        """Right-justify a schedule (fixed modes) within its makespan; None if a release
        date gets in the way."""
        n = self.n
        horizon = max(ends, default=0)
        avail = self.fresh_avail(horizon + 1)
        s2 = [0] * n
        e2 = [0] * n
        for j in self.pinned:
            d, dem = self.modes[j][modes[j]]
            t = self.pin[j]
            assert t is not None
            self.commit(avail, t, d, dem)
            s2[j], e2[j] = t, t + d
        topo_pos = self.topo_pos
        order = sorted(self.free, key=lambda j: (-ends[j], -topo_pos[j]))
        succs, release = self.succs, self.release
        for j in order:
            d, dem = self.modes[j][modes[j]]
            lf = horizon
            for s, lag in succs[j]:
                v = s2[s] - lag
                if v < lf:
                    lf = v
            e = self.latest_fit(avail, lf, d, dem, release[j])
            if e < 0:
                return None
            self.commit(avail, e - d, d, dem)
            s2[j], e2[j] = e - d, e
        return s2, e2

    def order_by(self, values: Sequence[float]) -> list[int]:
        """Precedence-feasible list of free activities, lowest value first when eligible."""
        n = self.n
        indeg = [0] * n
        for j in range(n):
            indeg[j] = len(self.preds[j])
        heap = [(values[j], j) for j in range(n) if indeg[j] == 0]
        heapq.heapify(heap)
        order = []
        pin = self.pin
        while heap:
            _, j = heapq.heappop(heap)
            if pin[j] is None:
                order.append(j)
            for s, _ in self.succs[j]:
                indeg[s] -= 1
                if indeg[s] == 0:
                    heapq.heappush(heap, (values[s], s))
        return order


@dataclass(frozen=True, slots=True)
class HeuristicOutcome:
    best: Schedule | None
    rule: str
    schedules: int
    elapsed: float
    #: An activity can never fit (a demand above every capacity it could meet).
    impossible: bool = False


class Search:
    """The sampling search; kept as an object so CP-SAT can reuse the first plan quickly."""

    def __init__(self, problem: PlanningProblem, seed: int = 0) -> None:
        self.problem = problem
        self.inst = Instance(problem)
        self.rng = random.Random(seed)
        self.best: Schedule | None = None
        self.best_rule = ""
        self.schedules = 0
        self.improved_at = 0
        self.stall: int | None = None
        #: Expected number of neighbour swaps per child list.
        self.mutation = 4.0
        self.impossible = False
        es = earliest_starts(problem)
        cp = max((es[j] + problem.min_durations[j] for j in range(problem.n)), default=0)
        self.rule_horizon = max(cp, problem.horizon or 0)
        self.rules = priority_rules(problem, self.rule_horizon)

    def cost(self, starts: Sequence[int], ends: Sequence[int]) -> int:
        cost = objective_value(self.problem, starts, ends, hard_penalty=HARD_PENALTY)
        horizon = self.problem.horizon
        if horizon is not None:
            cost += HARD_PENALTY * sum(max(e - horizon, 0) for e in ends)
        return cost

    def evaluate(self, keys: Sequence[float], rule: str, justify: bool = True) -> Schedule | None:
        """Decode priority keys into a list, schedule it (and justify it)."""
        return self.evaluate_list(self.inst.order_by(keys), rule, justify)

    def evaluate_list(
        self, order: Sequence[int], rule: str, justify: bool = True
    ) -> Schedule | None:
        """Schedule a precedence-feasible list of free activities (and justify it)."""
        inst = self.inst
        length = None
        if self.best is not None:
            length = self.best.makespan + max(inst.dmin, default=0) + 8
        out = inst.forward(order, length=length)
        self.schedules += 1
        if out is None:
            self.impossible = True
            return None
        starts, ends, modes, overload = out
        sched = Schedule(
            tuple(starts), tuple(ends), tuple(modes), self.cost(starts, ends), overload
        )
        if justify:
            sched = self.justify(sched)
        if self.best is None or sched.cost < self.best.cost:
            self.best = sched
            self.best_rule = rule
            self.improved_at = self.schedules
        return sched

    def start_order(self, sched: Schedule) -> list[int]:
        """The free activities in order of their start (a precedence-feasible list)."""
        pos = self.inst.topo_pos
        return sorted(self.inst.free, key=lambda j: (sched.starts[j], pos[j]))

    def justify(self, sched: Schedule, rounds: int = 3) -> Schedule:
        """Forward-backward improvement with the schedule's modes, while it helps."""
        inst = self.inst
        for _ in range(rounds):
            back = inst.backward(sched.starts, sched.ends, sched.modes)
            self.schedules += 1
            if back is None:
                return sched
            s2, _ = back
            order = sorted(inst.free, key=lambda j: (s2[j], inst.topo_pos[j]))
            out = inst.forward(order, modes=sched.modes, length=sched.makespan + 1)
            self.schedules += 1
            if out is None:
                return sched
            starts, ends, modes, overload = out
            cost = self.cost(starts, ends)
            if cost >= sched.cost:
                return sched
            sched = Schedule(tuple(starts), tuple(ends), tuple(modes), cost, overload)
        return sched

    def run(
        self,
        time_limit: float,
        *,
        max_schedules: int | None = None,
        stop_at: int | None = None,
        progress: Callable[[float, float | None], None] | None = None,
        population: int = 60,
        stall: int | None = None,
    ) -> HeuristicOutcome:
        """Rules first, then a genetic search over activity lists until ``time_limit``
        seconds or ``max_schedules`` schedules. ``stop_at``: stop once the cost reaches this
        lower bound (proven optimal). ``stall``: stop after this many schedules without a
        better plan."""
        t0 = time.perf_counter()
        deadline = t0 + time_limit
        budget = (deadline, max_schedules, stop_at)
        self.stall = stall
        pool: list[tuple[int, list[int]]] = []
        for name, keys in self.rules.items():
            sched = self.evaluate(keys, name)
            if sched is None:
                return self._outcome(t0)
            pool.append((sched.cost, self.start_order(sched)))
            if self._done(*budget):
                return self._outcome(t0)
        rng = self.rng
        names = list(self.rules)
        n = self.inst.n
        k = 0
        while len(pool) < population and not self._done(*budget):
            name = names[k % len(names)]
            k += 1
            sigma = rng.choice((0.02, 0.05, 0.1, 0.2))
            keys = [v + rng.gauss(0.0, sigma) for v in self.rules[name]]
            sched = self.evaluate(keys, f"sampling ({name})")
            if sched is not None:
                pool.append((sched.cost, self.start_order(sched)))
        last_report = t0
        adjacent = {(p.before, p.after) for p in self.problem.precedences}
        restart_every = max(stall // 3, 200) if stall is not None else None
        last_restart = self.schedules
        while not self._done(*budget) and len(pool) >= 2:
            if (
                restart_every is not None
                and self.schedules - max(self.improved_at, last_restart) > restart_every
            ):
                # converged: keep the best list, re-seed the rest from perturbed rules
                last_restart = self.schedules
                pool = [min(pool)]
                while len(pool) < population and not self._done(*budget):
                    name = names[rng.randrange(len(names))]
                    keys = [v + rng.gauss(0.0, 0.3) for v in self.rules[name]]
                    sched = self.evaluate(keys, f"restart ({name})")
                    if sched is not None:
                        pool.append((sched.cost, self.start_order(sched)))
                continue
            mother = min(rng.sample(pool, 2))[1]
            father = min(rng.sample(pool, 2))[1]
            size = len(mother)
            q1, q2 = sorted(rng.sample(range(size + 1), 2)) if size > 1 else (0, size)
            for a, b in ((mother, father), (father, mother)):
                child = _crossover(a, b, q1, q2)
                _mutate(child, adjacent, rng, self.mutation / max(n, 1))
                sched = self.evaluate_list(child, "genetic search")
                if sched is None:
                    continue
                entry = (sched.cost, self.start_order(sched))
                worst = max(range(len(pool)), key=lambda i: pool[i][0])
                if entry[0] <= pool[worst][0] and entry[1] not in (e[1] for e in pool):
                    pool[worst] = entry
            now = time.perf_counter()
            if progress is not None and now - last_report > 0.2:
                last_report = now
                progress(min((now - t0) / max(time_limit, 1e-9), 1.0), self.best_cost())
        return self._outcome(t0)

    def best_cost(self) -> float | None:
        return None if self.best is None else self.best.cost / 100.0

    def _done(self, deadline: float, max_schedules: int | None, stop_at: int | None) -> bool:
        if stop_at is not None and self.best is not None and self.best.cost <= stop_at:
            return True
        if self.stall is not None and self.schedules - self.improved_at > self.stall:
            return True
        if max_schedules is not None and self.schedules >= max_schedules:
            return True
        return time.perf_counter() >= deadline

    def _outcome(self, t0: float) -> HeuristicOutcome:
        return HeuristicOutcome(
            self.best,
            self.best_rule,
            self.schedules,
            time.perf_counter() - t0,
            self.impossible,
        )


def _crossover(mother: list[int], father: list[int], q1: int, q2: int) -> list[int]:
    """Two-point crossover of activity lists (Hartmann 1998): ``mother[:q1]``, then the
    father's order for the next ``q2 - q1`` new activities, then the mother's for the rest.
    Precedence-feasible parents give a precedence-feasible child."""
    child = mother[:q1]
    taken = set(child)
    for j in father:
        if len(child) >= q2:
            break
        if j not in taken:
            child.append(j)
            taken.add(j)
    for j in mother:
        if j not in taken:
            child.append(j)
            taken.add(j)
    return child


def _mutate(
    order: list[int], adjacent: set[tuple[int, int]], rng: random.Random, rate: float
) -> None:
    """Swap neighbours that do not depend on each other, each with probability ``rate``."""
    for i in range(len(order) - 1):
        if rng.random() < rate:
            a, b = order[i], order[i + 1]
            if (a, b) not in adjacent:
                order[i], order[i + 1] = b, a


def schedule_durations(
    problem: PlanningProblem,
    durations: Sequence[int],
    *,
    result: PlanResult | None = None,
    order: Sequence[int] | None = None,
    modes: Sequence[int] | None = None,
    instance: Instance | None = None,
) -> tuple[list[int], list[int]]:
    """Schedule ``problem`` with the given duration of each activity, fast (Monte Carlo).

    The serial SGS places activities in a fixed list with fixed modes, ``durations[i]``
    periods each instead of the mode's duration, respecting precedences, lags, releases,
    pins and capacities. Pass ``result`` (a plan of ``problem``) to keep its sequence and its
    modes - the usual call when simulating a plan; or give ``order`` (a precedence-feasible
    list of activity indices) and ``modes`` yourself (defaults: the LFT rule, first modes).
    Pass ``instance=Instance(problem)`` when calling many times to skip the set-up.
    Returns ``(starts, ends)`` in periods.

    >>> from scaleplan.planning.problem import *
    >>> p = PlanningProblem((Activity("a", (Mode(1, ((0, 1),)),)),
    ...                      Activity("b", (Mode(1, ((0, 1),)),))), (Resource("r", (1,)),))
    >>> schedule_durations(p, [3, 2])
    ([0, 3], [3, 5])
    """
    inst = instance or Instance(problem)
    if len(durations) != inst.n:
        raise ValueError(f"need {inst.n} durations, got {len(durations)}")
    if result is not None:
        planned = result.by_id
        missing = [a.id for a in problem.activities if a.id not in planned]
        if missing:
            raise ValueError(f"the plan has no item {missing[0]!r}")
        starts_of = [planned[a.id].start for a in problem.activities]
        order = sorted(range(inst.n), key=lambda j: (starts_of[j], inst.topo_pos[j]))
        modes = [planned[a.id].mode for a in problem.activities]
    if modes is None:
        modes = [0] * inst.n
    if order is None:
        horizon = sum(int(d) for d in durations) + max(inst.release, default=0)
        keys = priority_rules(problem, horizon)["LFT"]
        order = inst.order_by(keys)
    else:
        order = [j for j in order if inst.pin[j] is None]
    out = inst.forward(order, modes=modes, durations=[int(d) for d in durations])
    if out is None:
        raise ValueError("an activity can never fit its resources")
    starts, ends, _, _ = out
    return starts, ends


__all__ = [
    "HARD_PENALTY",
    "HeuristicOutcome",
    "Instance",
    "Schedule",
    "Search",
    "priority_rules",
    "schedule_durations",
]
