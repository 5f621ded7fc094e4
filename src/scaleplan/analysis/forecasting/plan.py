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
Efforts, growth and risks are drawn with numpy (seeded); the schedule of each trial runs in a
compiled kernel (:mod:`scaleplan.analysis.forecasting.kernel`), trials in parallel threads.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from scaleplan.analysis.capacity import capacity_table, effort_of, focus_of, week_of
from scaleplan.analysis.forecasting.calibration import LEVELS
from scaleplan.analysis.forecasting.montecarlo import quantile_error
from scaleplan.analysis.forecasting.results import level_key
from scaleplan.errors import InputError, UsageError
from scaleplan.model import Program, WorkItem
from scaleplan.model.history import History

#: McConnell's cone of uncertainty after requirements: actuals 0.67x .. 1.5x the estimate.
DEFAULT_ERROR = (0.67, 1.0, 1.5)
MAX_WEEKS = 260
#: Serialises calls into the parallel kernel: the dashboard runs forecasts in threads, and
#: numba's portable thread pool (used where neither TBB nor OpenMP is found) is not reentrant.
_KERNEL_LOCK = threading.Lock()
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
    # efforts: a triangle per item, or its likely value times an error factor
    kind = np.zeros(n, dtype=np.int8)
    low = np.zeros(n)
    mode = np.zeros(n)
    high = np.zeros(n)
    lo_f, mid_f, hi_f = DEFAULT_ERROR
    for k, w in enumerate(open_items):
        est = effort_of(program, w)
        remaining = 1.0 - w.progress
        mode[k] = est.likely * remaining
        if w.low is not None or w.high is not None:
            low[k], high[k] = est.low * remaining, est.high * remaining
        elif error_factors is not None:
            kind[k] = 1
        else:
            low[k], high[k] = mode[k] * lo_f / mid_f, mode[k] * hi_f / mid_f
    factors = (
        np.asarray(error_factors, dtype=np.float64) if error_factors is not None else np.ones(1)
    )
    uniform = rng.random((trials, n), dtype=np.float32)
    # scope growth per initiative
    growth_note = "none"
    growth_of = np.full(n, -1, dtype=np.int64)
    growth = np.zeros((trials, 1))
    if scope_growth is not None:
        initiatives = sorted({w.initiative for w in open_items if w.initiative})
        if isinstance(scope_growth, np.ndarray):
            growth = np.asarray(
                scope_growth[rng.integers(0, scope_growth.size, size=(trials, len(initiatives)))],
                dtype=np.float64,
            )
            growth_note = (
                f"learned ({scope_growth.size} epics, median {np.median(scope_growth):.2f})"
            )
        else:
            if scope_growth < 0:
                raise UsageError("scope growth must be 0 or more")
            growth = np.full((trials, len(initiatives)), float(scope_growth))
            growth_note = f"fixed {scope_growth:.2f}"
        col = {i: c for c, i in enumerate(initiatives)}
        for k, w in enumerate(open_items):
            if w.initiative in col:
                growth_of[k] = col[w.initiative]
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
    rate = np.array([w.max_people for w in open_items], dtype=np.float64) * per_person[team_of]
    # dependencies (successor lists) and earliest starts
    succs: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    preds = np.zeros(n, dtype=np.int64)
    for k, w in enumerate(open_items):
        for dep in w.depends_on:
            if dep.item in index:
                preds[k] += 1
                succs[index[dep.item]].append((k, float(dep.lag_weeks)))
    succ_ptr, succ_idx, succ_lag = _csr(succs)
    earliest = np.array(
        [
            max((w.earliest_start - start).days / 7.0, 0.0) if w.earliest_start else 0.0
            for w in open_items
        ]
    )
    # risks: each happens per trial with its probability and delays the items it names
    by_initiative: dict[str, list[int]] = {}
    for k, w in enumerate(open_items):
        if w.initiative:
            by_initiative.setdefault(w.initiative, []).append(k)
    risk_of: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    impacts: list[np.ndarray] = []
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
            happens = rng.random(trials) < risk.probability * weight
            for k in targets:
                risk_of[k].append((len(impacts), 0.0))
            impacts.append(np.where(happens, float(risk.impact_weeks), 0.0))
    risk_ptr, risk_idx, _ = _csr(risk_of)
    risk_delay = np.stack(impacts, axis=1) if impacts else np.zeros((trials, 1))
    # groups: every initiative with open items, then every milestone
    groups: list[tuple[str, str, str, dt.date | None, list[int]]] = []
    for initiative in program.initiatives:
        initiative_items = program.work_items_by_initiative.get(initiative.id, ())
        cols = [index[w.id] for w in initiative_items if w.id in index]
        if cols:
            groups.append(
                (initiative.id, "initiative", initiative.title, initiative.deadline, cols)
            )
    for k, w in enumerate(open_items):
        if w.deadline is not None:
            groups.append((w.id, "milestone", w.title, w.deadline, [k]))
    group_ptr, group_idx, _ = _csr([[(c, 0.0) for c in g[4]] for g in groups])
    from scaleplan.analysis.forecasting.kernel import simulate

    with _KERNEL_LOCK:  # numba's fallback thread pool (workqueue) must not be entered twice
        ends = simulate(
            uniform,
            kind,
            low,
            mode,
            high,
            factors,
            np.ascontiguousarray(growth, dtype=np.float64),
            growth_of,
            np.ascontiguousarray(risk_delay, dtype=np.float64),
            risk_ptr,
            risk_idx,
            rate,
            capacity,
            team_of,
            np.asarray(_priority(open_items, index), dtype=np.int64),
            preds,
            succ_ptr,
            succ_idx,
            succ_lag,
            earliest,
            int(max_weeks),
            group_ptr,
            group_idx,
        )
    forecasts = [
        _date_forecast(ident, kind_, title, len(cols), deadline, ends[g], start, levels, trials)
        for g, (ident, kind_, title, deadline, cols) in enumerate(groups)
    ]
    # initiatives whose items are all done or cancelled
    done = {
        i.id
        for i in program.initiatives
        if program.work_items_by_initiative.get(i.id)
        and not any(w.id in index for w in program.work_items_by_initiative[i.id])
    }
    initiatives_out = []
    by_id = {f.id: f for f in forecasts if f.kind == "initiative"}
    for initiative in program.initiatives:
        if initiative.id in done:
            initiatives_out.append(
                _done_forecast(initiative.id, initiative.title, initiative.deadline)
            )
        elif initiative.id in by_id:
            initiatives_out.append(by_id[initiative.id])
    return PlanForecast(
        program=program.program.name,
        start=start,
        trials=trials,
        seed=seed,
        levels=levels,
        items=n,
        scope_growth=growth_note,
        error_model=(
            "history-learned factors" if error_factors is not None else "McConnell 0.67x-1.5x"
        ),
        risks=len(impacts),
        initiatives=tuple(initiatives_out),
        milestones=tuple(f for f in forecasts if f.kind == "milestone"),
        warnings=tuple(warnings),
    )


def _csr(rows: Sequence[Sequence[tuple[int, float]]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row pointers, column indices and values of a list of ``(column, value)`` rows."""
    ptr = np.zeros(len(rows) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(r) for r in rows])
    idx = np.array([c for r in rows for c, _ in r], dtype=np.int64)
    values = np.array([v for r in rows for _, v in r], dtype=np.float64)
    return ptr, idx, values


def _done_forecast(ident: str, title: str, deadline: dt.date | None) -> DateForecast:
    """An initiative whose items are all done or cancelled."""
    return DateForecast(
        ident,
        "initiative",
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


def _date_forecast(
    ident: str,
    kind: str,
    title: str,
    items: int,
    deadline: dt.date | None,
    end: np.ndarray,
    start: dt.date,
    levels: tuple[float, ...],
    trials: int,
) -> DateForecast:
    """Percentiles, Monte Carlo errors and deadline probability of one group's finish weeks."""
    end = np.sort(end)
    weeks: dict[str, float | None] = {}
    dates: dict[str, dt.date | None] = {}
    errors: dict[str, float | None] = {}
    for level in levels:
        key = level_key(level)
        at = float(np.quantile(end, level))
        value = at if math.isfinite(at) else None
        weeks[key] = value
        dates[key] = (
            start + dt.timedelta(days=math.ceil(value * 7.0) - 1 if value > 0 else 0)
            if value is not None
            else None
        )
        errors[key] = quantile_error(end, level, presorted=True) if value is not None else None
    probability = error = None
    if deadline is not None:
        limit = (deadline - start).days / 7.0 + 1.0 / 7.0
        probability = float(np.mean(end <= limit))
        error = math.sqrt(max(probability * (1 - probability), 1e-12) / trials)
    return DateForecast(
        ident,
        kind,
        title,
        items,
        dates,
        weeks,
        errors,
        deadline,
        probability,
        error,
        float(np.mean(~np.isfinite(end))),
    )


__all__ = [
    "DEFAULT_ERROR",
    "DateForecast",
    "PlanForecast",
    "forecast_plan",
    "learn_error_factors",
    "learn_scope_growth",
]
