"""Forecast a program from its plan: Monte Carlo list scheduling of its work items.

Each trial:

1. **efforts**: each open item's remaining effort (person-weeks, points converted with the
   team's rate, times ``1 - progress``) is drawn from its low/likely/high triangle. An item
   without a range gets its likely value times an error factor: drawn from a history's
   (cycle time per point) / median when ``error_factors`` are given, else from the triangle
   0.67x / 1x / 1.5x of McConnell's cone of uncertainty once requirements are complete
   (*Software Estimation*, 2006, table 4-1).
2. **scope growth**: every initiative's items grow by a factor ``1 + g`` drawn once per trial
   and initiative from ``scope_growth`` (learned from a history's epics with
   :func:`learn_scope_growth`, or one fixed value given by the user).
3. **schedule**: week by week, each team's capacity (``capacity_table``: members, focus factor,
   holidays, time off, hiring dates, tech-debt reserve) goes to its ready items in priority
   order (dependency order, then earliest deadline, then file order); an item gets at most
   ``max_people`` x the team's average weekly capacity per person. An item is ready when
   every item it depends on is finished plus the dependency's lag, and not before its
   ``earliest_start``.
4. **risks**: each open, owned or accepted risk happens with its probability and then delays
   the items it names (or all items of an initiative it names) by ``impact_weeks``;
   mitigated risks count at half probability, resolved ones not at all.

Results: per initiative and per milestone (a work item with a deadline) the P50/P70/P85/P95
finish dates, the probability of meeting the deadline and Monte Carlo standard errors.
Everything is vectorised over trials; items are visited only while some trial can work on them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from scaleplan.adapters.history import History
from scaleplan.analysis.capacity import capacity_table, effort_of, focus_of, week_of
from scaleplan.analysis.forecasting.calibration import LEVELS
from scaleplan.analysis.forecasting.montecarlo import quantile_error
from scaleplan.analysis.forecasting.results import level_key
from scaleplan.errors import InputError, UsageError
from scaleplan.model import Program, WorkItem

#: McConnell's cone of uncertainty after requirements: actuals 0.67x .. 1.5x the estimate.
DEFAULT_ERROR = (0.67, 1.0, 1.5)
MAX_WEEKS = 260
RISK_WEIGHT = {"open": 1.0, "owned": 1.0, "accepted": 1.0, "mitigated": 0.5, "resolved": 0.0}


@dataclass(frozen=True)
class DateForecast:
    """Finish-date percentiles of an initiative or milestone."""

    id: str
    kind: str  # "initiative" or "milestone"
    title: str
    items: int
    percentiles: dict[str, dt.date | None]
    weeks: dict[str, float | None]
    mc_error_weeks: dict[str, float | None]
    deadline: dt.date | None
    probability: float | None
    probability_error: float | None
    #: Share of trials that did not finish within the simulated horizon.
    unfinished: float
    #: Every item is already done or cancelled.
    done: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "items": self.items,
            **{k: v.isoformat() if v else None for k, v in self.percentiles.items()},
            "weeks": {k: _round(v) for k, v in self.weeks.items()},
            "mc_error_weeks": {k: _round(v) for k, v in self.mc_error_weeks.items()},
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "probability": _round(self.probability, 4),
            "probability_error": _round(self.probability_error, 4),
            "unfinished": round(self.unfinished, 4),
            "done": self.done,
        }


def _round(value: float | None, digits: int = 2) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(value, digits)


@dataclass(frozen=True)
class PlanForecast:
    program: str
    start: dt.date
    trials: int
    seed: int
    levels: tuple[float, ...]
    items: int
    scope_growth: str
    error_model: str
    risks: int
    initiatives: tuple[DateForecast, ...]
    milestones: tuple[DateForecast, ...]
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "start": self.start.isoformat(),
            "trials": self.trials,
            "seed": self.seed,
            "levels": list(self.levels),
            "items": self.items,
            "scope_growth": self.scope_growth,
            "error_model": self.error_model,
            "risks": self.risks,
            "initiatives": [i.to_dict() for i in self.initiatives],
            "milestones": [m.to_dict() for m in self.milestones],
            "warnings": list(self.warnings),
        }


def learn_error_factors(history: History) -> np.ndarray:
    """Estimate-error factors from a history: each finished item's cycle time per story point
    over the median of that ratio (items with points and a cycle time), clipped to
    0.2x .. 5x. Raises ``InputError`` with fewer than 20 such items."""
    ratios = np.array(
        [
            c / i.points
            for i in history.items
            if i.points and i.points > 0 and (c := i.cycle_time_days) is not None and c > 0
        ]
    )
    if ratios.size < 20:
        raise InputError(
            f"{history.name}: {ratios.size} finished items with points and a cycle time; "
            "need 20 to learn estimate errors"
        )
    return np.clip(ratios / np.median(ratios), 0.2, 5.0)


def learn_scope_growth(history: History) -> np.ndarray:
    """Scope growth of each epic/parent in a history: children created after the first child
    started, over children created before it. Needs 5 such epics."""
    children: dict[str, list[tuple[dt.datetime | None, dt.datetime | None]]] = {}
    for item in history.items:
        parent = item.epic or item.parent
        if parent is not None:
            children.setdefault(parent, []).append((item.created, item.started))
    growth: list[float] = []
    for kids in children.values():
        starts = [s for _, s in kids if s is not None]
        if len(kids) < 2 or not starts:
            continue
        first = min(starts)
        before = sum(1 for c, _ in kids if c is not None and c <= first)
        after = sum(1 for c, _ in kids if c is not None and c > first)
        if before:
            growth.append(after / before)
    if len(growth) < 5:
        raise InputError(
            f"{history.name}: {len(growth)} epics with started children; need 5 to learn "
            "scope growth (give --scope-growth instead)"
        )
    return np.asarray(growth)


def _priority(items: Sequence[WorkItem], index: Mapping[str, int]) -> list[int]:
    """Dependency order; among ready items earliest deadline, then file order."""
    import heapq

    big = dt.date.max.toordinal()
    key = [((w.deadline.toordinal() if w.deadline else big), k) for k, w in enumerate(items)]
    indegree = [0] * len(items)
    succs: list[list[int]] = [[] for _ in items]
    for k, w in enumerate(items):
        for dep in w.depends_on_ids:
            if dep in index:
                indegree[k] += 1
                succs[index[dep]].append(k)
    ready = [key[k] for k in range(len(items)) if indegree[k] == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        _, k = heapq.heappop(ready)
        order.append(k)
        for s in succs[k]:
            indegree[s] -= 1
            if indegree[s] == 0:
                heapq.heappush(ready, key[s])
    if len(order) != len(items):
        raise InputError("work item dependencies form a cycle; run 'scaleplan check'")
    return order


def forecast_plan(
    program: Program,
    *,
    start: dt.date | None = None,
    trials: int = 10_000,
    seed: int = 7,
    levels: tuple[float, ...] = LEVELS,
    error_factors: np.ndarray | None = None,
    scope_growth: float | np.ndarray | None = None,
    risks: bool = True,
    max_weeks: int = MAX_WEEKS,
) -> PlanForecast:
    """Monte Carlo forecast of every initiative and milestone of ``program`` from ``start``
    (default: the calendar start)."""
    if trials < 100:
        raise UsageError("use at least 100 trials")
    start = start or program.calendar.start
    week0 = week_of(program, start)
    open_items = [w for w in program.work_items if w.status.value not in ("done", "cancelled")]
    warnings: list[str] = []
    rng = np.random.default_rng(seed)
    n = len(open_items)
    index = {w.id: k for k, w in enumerate(open_items)}
    team_ids = [t.id for t in program.teams]
    team_of = np.array([team_ids.index(w.team) for w in open_items], dtype=np.int64)
    # efforts
    likely = np.zeros(n)
    low = np.zeros(n)
    high = np.zeros(n)
    ranged = np.zeros(n, dtype=bool)
    for k, w in enumerate(open_items):
        est = effort_of(program, w)
        remaining = 1.0 - w.progress
        likely[k], low[k], high[k] = (
            est.likely * remaining,
            est.low * remaining,
            est.high * remaining,
        )
        ranged[k] = w.low is not None or w.high is not None
    effort = np.repeat(likely[None, :], trials, axis=0)
    spread = ranged & (high - low > 1e-12)
    if spread.any():
        effort[:, spread] = rng.triangular(
            low[spread], likely[spread], high[spread], size=(trials, int(spread.sum()))
        )
    bare = ~ranged
    if bare.any():
        count = int(bare.sum())
        if error_factors is not None:
            factors = error_factors[rng.integers(0, error_factors.size, size=(trials, count))]
        else:
            factors = rng.triangular(*DEFAULT_ERROR, size=(trials, count))
        effort[:, bare] *= factors
    # scope growth per initiative
    growth_note = "none"
    if scope_growth is not None:
        initiatives = sorted({w.initiative for w in open_items if w.initiative})
        if isinstance(scope_growth, np.ndarray):
            draws = scope_growth[
                rng.integers(0, scope_growth.size, size=(trials, len(initiatives)))
            ]
            growth_note = (
                f"learned ({scope_growth.size} epics, median {np.median(scope_growth):.2f})"
            )
        else:
            if scope_growth < 0:
                raise UsageError("scope growth must be 0 or more")
            draws = np.full((trials, len(initiatives)), float(scope_growth))
            growth_note = f"fixed {scope_growth:.2f}"
        col = {i: c for c, i in enumerate(initiatives)}
        for k, w in enumerate(open_items):
            if w.initiative in col:
                effort[:, k] *= 1.0 + draws[:, col[w.initiative]]
    # capacity and per-item rate caps
    table = capacity_table(program, range(week0, week0 + max_weeks))
    capacity = np.array([table[t] for t in team_ids], dtype=np.float64)  # (teams, weeks)
    per_person = np.zeros(len(team_ids))
    for t_index, team in enumerate(program.teams):
        members = len(program.members_by_team.get(team.id, ()))
        reserve = 1.0 - program.settings.tech_debt_reserve
        if members:
            per_person[t_index] = max(capacity[t_index, :13].mean() / members, 1e-9)
        else:
            per_person[t_index] = focus_of(program, team) * reserve
        if capacity[t_index].sum() <= 0 and (team_of == t_index).any():
            warnings.append(f"team {team.id} has no capacity; its items never finish")
    rate = np.array([w.max_people for w in open_items]) * per_person[team_of]
    # dependencies, earliest starts, risks
    lag = {}
    preds: list[list[int]] = [[] for _ in range(n)]
    succs: list[list[int]] = [[] for _ in range(n)]
    for k, w in enumerate(open_items):
        for dep in w.depends_on:
            if dep.item in index:
                preds[k].append(index[dep.item])
                succs[index[dep.item]].append(k)
                lag[(index[dep.item], k)] = dep.lag_weeks
    earliest = np.array(
        [
            max((w.earliest_start - start).days / 7.0, 0.0) if w.earliest_start else 0.0
            for w in open_items
        ]
    )
    delay = np.zeros((trials, n))
    used_risks = 0
    by_initiative: dict[str, list[int]] = {}
    for k, w in enumerate(open_items):
        if w.initiative:
            by_initiative.setdefault(w.initiative, []).append(k)
    if risks:
        for risk in program.risks:
            weight = RISK_WEIGHT.get(risk.status.value, 1.0)
            if weight == 0 or risk.impact_weeks <= 0:
                continue
            targets = sorted(
                {index[r] for r in risk.items if r in index}
                | {k for r in risk.items for k in by_initiative.get(r, ())}
            )
            if not targets:
                continue
            used_risks += 1
            happens = rng.random(trials) < risk.probability * weight
            delay[:, targets] += np.where(happens, risk.impact_weeks, 0.0)[:, None]
    order = _priority(open_items, index)
    finish = _schedule(
        effort, rate, capacity, team_of, order, preds, succs, lag, earliest, delay, max_weeks
    )
    return _summarise(
        program,
        open_items,
        finish,
        start,
        trials,
        seed,
        levels,
        growth_note,
        "history-learned factors" if error_factors is not None else "McConnell 0.67x-1.5x",
        used_risks,
        warnings,
    )


def _schedule(
    effort: np.ndarray,
    rate: np.ndarray,
    capacity: np.ndarray,
    team_of: np.ndarray,
    order: list[int],
    preds: list[list[int]],
    succs: list[list[int]],
    lag: Mapping[tuple[int, int], float],
    earliest: np.ndarray,
    delay: np.ndarray,
    max_weeks: int,
) -> np.ndarray:
    """Finish time (weeks from the start, ``inf`` beyond ``max_weeks``) of every item in every
    trial, by weekly list scheduling: each week a team's capacity goes to its ready items in
    priority order, each item taking at most its rate.

    State is item-major (``items x trials``, float32) so an item's trials are contiguous.
    ``ready_at`` is ``inf`` while an item waits for a predecessor or once it is finished, so
    one comparison gives the share of the week it can be worked on. Each week the head of
    every team's queue (the items worked on last week plus one) is allocated for all trials;
    then the next items of a team are allocated only in the trials where that team still has
    capacity left, until no trial has any (the same greedy allocation, computed sparsely)."""
    trials, n = effort.shape
    f32 = np.float32
    remaining = np.ascontiguousarray(effort.T, dtype=f32)
    finish = np.full((n, trials), np.inf, dtype=f32)
    waiting = np.array([len(p) for p in preds], dtype=np.int32)
    pending = np.repeat(waiting[:, None], trials, axis=1)
    latest = np.repeat(earliest.astype(f32)[:, None], trials, axis=1)
    ready_at = np.where(pending > 0, f32(np.inf), latest).astype(f32)
    delay_t = np.ascontiguousarray(delay.T, dtype=f32)
    rate32 = rate.astype(f32)
    capacity32 = capacity.astype(f32)
    rank = np.empty(n, dtype=np.int64)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(n)
    sort_key = team_of * (n + 1) + rank
    active = waiting == 0
    left = np.full(n, trials)
    teams_n = capacity.shape[0]
    worked = np.zeros(teams_n, dtype=np.int64)
    used = np.zeros((teams_n, trials), dtype=f32)
    all_trials = np.arange(trials)

    def finish_items(
        rows: np.ndarray, cols: np.ndarray, done: np.ndarray, when: np.ndarray
    ) -> None:
        for c in np.nonzero(done.any(axis=1))[0]:
            item = int(rows[c])
            hit = cols[done[c]]
            finish[item, hit] = when[c, done[c]]
            ready_at[item, hit] = np.inf
            left[item] -= int(hit.size)
            for s in succs[item]:
                pending[s, hit] -= 1
                latest[s, hit] = np.maximum(
                    latest[s, hit], finish[item, hit] + f32(lag.get((item, s), 0.0))
                )
                now = hit[pending[s, hit] == 0]
                ready_at[s, now] = latest[s, now]
                active[s] = True

    for week in range(max_weeks):
        candidates = np.nonzero(active & (left > 0))[0]
        if candidates.size == 0:
            if (left == 0).all():
                break
            continue
        candidates = candidates[np.argsort(sort_key[candidates], kind="stable")]
        seg_team = team_of[candidates]
        bounds = np.flatnonzero(np.r_[True, seg_team[1:] != seg_team[:-1], True])
        segments = [(int(seg_team[a]), int(a), int(b)) for a, b in itertools.pairwise(bounds)]
        nxt = {t: a for t, a, _ in segments}
        end = {t: b for t, _, b in segments}
        size = {t: int(max(1, worked[t] + 1)) for t, _, _ in segments}
        worked[:] = 0
        for t, _, _ in segments:
            used[t] = 0.0
        limit = f32(week + 1.0)
        teams_now = [t for t, _, _ in segments]
        cols = all_trials
        while teams_now:
            parts = []
            for t in teams_now:
                parts.append(candidates[nxt[t] : min(nxt[t] + size[t], end[t])])
                nxt[t] = min(nxt[t] + size[t], end[t])
            rows = np.concatenate(parts)
            full = cols.size == trials
            ready = ready_at[rows] if full else ready_at[np.ix_(rows, cols)]
            rem = remaining[rows] if full else remaining[np.ix_(rows, cols)]
            share = np.clip(limit - ready, 0.0, 1.0)
            demand = np.minimum(rate32[rows][:, None] * share, rem)
            teams = team_of[rows]
            starts = np.flatnonzero(np.r_[True, teams[1:] != teams[:-1]])
            cumulative = np.cumsum(demand, axis=0)
            before = cumulative - demand
            seg_of = np.repeat(np.arange(starts.size), np.diff(np.r_[starts, teams.size]))
            base = np.where((starts > 0)[:, None], cumulative[np.maximum(starts - 1, 0)], f32(0.0))
            before -= base[seg_of]
            seg_teams = teams[starts]
            prior_use = used[seg_teams] if full else used[np.ix_(seg_teams, cols)]
            before += prior_use[seg_of]
            budget = capacity32[teams, week][:, None]
            alloc = np.clip(budget - before, 0.0, demand)
            rem -= alloc
            if full:
                remaining[rows] = rem
            else:
                remaining[np.ix_(rows, cols)] = rem
            spent = np.add.reduceat(alloc, starts, axis=0)
            if full:
                used[seg_teams] += spent
            else:
                used[np.ix_(seg_teams, cols)] = prior_use + spent
            got = (alloc > 0).any(axis=1)
            np.add.at(worked, teams[got], 1)
            done = (rem <= 1e-6) & (share > 0)
            if done.any():
                rate_now = np.maximum(np.minimum(rate32[rows][:, None], budget), f32(1e-12))
                moment = (limit - share) + np.minimum(alloc / rate_now, share)
                moment += delay_t[rows] if full else delay_t[np.ix_(rows, cols)]
                finish_items(rows, cols, done, moment)
            # teams that still have capacity in some trial and more items in their queue
            spare = capacity32[seg_teams, week][:, None] - (prior_use + spent) > 1e-6
            more = np.array([nxt[int(t)] < end[int(t)] for t in seg_teams])
            spare &= more[:, None]
            if not spare.any():
                break
            teams_now = [int(t) for t, m in zip(seg_teams, spare.any(axis=1), strict=True) if m]
            cols = cols[spare.any(axis=0)]
            for t in teams_now:
                size[t] = max(2, size[t])
    return np.ascontiguousarray(finish.T, dtype=np.float64)


def _summarise(
    program: Program,
    items: Sequence[WorkItem],
    finish: np.ndarray,
    start: dt.date,
    trials: int,
    seed: int,
    levels: tuple[float, ...],
    growth_note: str,
    error_note: str,
    risks: int,
    warnings: list[str],
) -> PlanForecast:
    index = {w.id: k for k, w in enumerate(items)}

    def forecast(
        ident: str, kind: str, title: str, cols: list[int], deadline: dt.date | None
    ) -> DateForecast:
        if not cols:  # every item is done or cancelled
            return DateForecast(
                ident,
                kind,
                title,
                0,
                {},
                {},
                {},
                deadline,
                1.0 if deadline else None,
                0.0,
                0.0,
                done=True,
            )
        end = finish[:, cols].max(axis=1)
        weeks: dict[str, float | None] = {}
        dates: dict[str, dt.date | None] = {}
        errors: dict[str, float | None] = {}
        for level in levels:
            key = level_key(level)
            value = float(np.quantile(end, level)) if np.isfinite(np.quantile(end, level)) else None
            weeks[key] = value
            dates[key] = (
                start + dt.timedelta(days=math.ceil(value * 7.0) - 1 if value > 0 else 0)
                if value is not None
                else None
            )
            errors[key] = quantile_error(end, level) if value is not None else None
        probability = error = None
        if deadline is not None:
            limit = (deadline - start).days / 7.0 + 1.0 / 7.0
            probability = float(np.mean(end <= limit))
            error = math.sqrt(max(probability * (1 - probability), 1e-12) / trials)
        return DateForecast(
            ident,
            kind,
            title,
            len(cols),
            dates,
            weeks,
            errors,
            deadline,
            probability,
            error,
            float(np.mean(~np.isfinite(end))),
        )

    initiatives = []
    for initiative in program.initiatives:
        members = program.work_items_by_initiative.get(initiative.id, ())
        if not members:
            continue
        cols = [index[w.id] for w in members if w.id in index]
        initiatives.append(
            forecast(initiative.id, "initiative", initiative.title, cols, initiative.deadline)
        )
    milestones = [
        forecast(w.id, "milestone", w.title, [index[w.id]], w.deadline)
        for w in items
        if w.deadline is not None
    ]
    return PlanForecast(
        program=program.program.name,
        start=start,
        trials=trials,
        seed=seed,
        levels=levels,
        items=len(items),
        scope_growth=growth_note,
        error_model=error_note,
        risks=risks,
        initiatives=tuple(initiatives),
        milestones=tuple(milestones),
        warnings=tuple(warnings),
    )


__all__ = [
    "DEFAULT_ERROR",
    "DateForecast",
    "PlanForecast",
    "forecast_plan",
    "learn_error_factors",
    "learn_scope_growth",
]
