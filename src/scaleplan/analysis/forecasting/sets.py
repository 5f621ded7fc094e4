""" "When will this specific set be done" (an epic, a release, an initiative's items).

Throughput alone answers "when will *some* N items be done"; a specific set finishes when its
*slowest* item does, while the team also works on everything else. Per trial:

1. **age-conditional item time**: an item in progress for ``a`` days takes a cycle time drawn
   from finished items' cycle times longer than ``a``, so it needs ``c - a`` more days; an item
   not started, open for ``g`` days, takes a lead time drawn from those longer than ``g``.
   When fewer than 5 finished items were that slow, the tail is extrapolated: the age times
   a ratio drawn from (slow items' times / the 90th percentile).
2. **throughput share**: the set gets its share of the team's weekly throughput, share =
   open set items / (team WIP + set items not started); the time to finish them at that pace
   is simulated with the weekly bootstrap.
3. the set is done at the later of the slowest item and the throughput-share time;
4. **recalibration** on the errors of the same forecast replayed for past sets of this team
   (scores ``log(actual / median)``, due when twice the median has passed), with the adaptive
   level, as for throughput forecasts.

All times are days from the forecast start (day 1 = the start day).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from scaleplan.analysis.forecasting.calibration import (
    LEVELS,
    CalibrationSettings,
    calibrate_sequence,
)
from scaleplan.analysis.forecasting.montecarlo import quantile_error, simulate_when
from scaleplan.analysis.forecasting.results import Coverage, Percentile, day_after, level_key
from scaleplan.errors import InputError, UsageError
from scaleplan.model.history import History, to_datetime

DAY = 86400.0
TAIL_MIN = 5
#: Finished items (with a lead time) needed before a set can be forecast.
MIN_FINISHED = 10
CohortKind = Literal["in-progress", "recent"]


@dataclass(frozen=True)
class Arrays:
    """A history as float days since an epoch (NaN = unknown)."""

    epoch: dt.datetime
    keys: tuple[str, ...]
    created: np.ndarray
    started: np.ndarray
    done: np.ndarray

    @classmethod
    def of(cls, history: History) -> Arrays:
        span = history.span()
        if span is None:
            raise InputError(f"{history.name}: the history is empty")
        epoch = dt.datetime.combine(span[0].date(), dt.time())

        def days(value: dt.datetime | None) -> float:
            return (value - epoch).total_seconds() / DAY if value is not None else math.nan

        items = history.items
        return cls(
            epoch,
            tuple(i.key for i in items),
            np.array([days(i.created) for i in items]),
            np.array([days(i.started) for i in items]),
            np.array([days(i.done) for i in items]),
        )

    def day(self, when: dt.datetime) -> float:
        return (when - self.epoch).total_seconds() / DAY


def _conditional(
    sorted_values: np.ndarray, age: float, trials: int, rng: np.random.Generator
) -> np.ndarray:
    """Remaining days of an item of ``age`` days, from finished items' durations."""
    if sorted_values.size == 0:
        return np.full(trials, math.nan)
    first = int(np.searchsorted(sorted_values, age, side="right"))
    slower = sorted_values[first:]
    if slower.size >= TAIL_MIN:
        return slower[rng.integers(0, slower.size, size=trials)] - age
    q90 = float(np.quantile(sorted_values, 0.9))
    tail = sorted_values[sorted_values >= q90]
    ratios = tail / max(q90, 1e-9)
    drawn = ratios[rng.integers(0, ratios.size, size=trials)]
    return np.maximum(age, 1.0) * np.maximum(drawn, 1.0) - age + 1.0


def simulate_set(
    arrays: Arrays,
    members: np.ndarray,
    at: float,
    trials: int,
    rng: np.random.Generator,
    *,
    window_weeks: int = 26,
) -> np.ndarray | None:
    """Days from ``at`` until every item in ``members`` (indices) is done, one per trial,
    using only what was known at ``at``. ``None`` when fewer than ``MIN_FINISHED`` items were
    finished by then (nothing to learn item times from)."""
    done = arrays.done
    known_done = done <= at
    finished_start = arrays.started[known_done]
    cycle = np.sort((done[known_done] - finished_start)[np.isfinite(finished_start)])
    cycle = cycle[cycle >= 0]
    finished_created = arrays.created[known_done]
    lead = np.sort((done[known_done] - finished_created)[np.isfinite(finished_created)])
    lead = lead[lead >= 0]
    if lead.size < MIN_FINISHED:
        return None
    if cycle.size < MIN_FINISHED:
        cycle = cycle[:0]  # too few cycle times: use lead times for every item
    open_members = [m for m in members.tolist() if not done[m] <= at]
    if not open_members:
        return np.zeros(trials)
    latest = np.zeros(trials)
    not_started = 0
    for m in open_members:
        started = arrays.started[m]
        if math.isfinite(started) and started <= at and cycle.size:
            remaining = _conditional(cycle, at - started, trials, rng)
        else:
            not_started += 1
            created = arrays.created[m]
            age = at - created if math.isfinite(created) else 0.0
            remaining = _conditional(lead, max(age, 0.0), trials, rng)
        latest = np.maximum(latest, remaining)
    items_days = np.ceil(np.maximum(latest, 1e-9))
    # throughput share
    weeks = np.arange(window_weeks, 0, -1)
    edges = at - 7.0 * weeks
    finished = np.sort(done[known_done])
    counts = np.diff(np.searchsorted(finished, np.append(edges, at), side="right"))
    in_progress = (arrays.started <= at) & ~(done <= at)
    wip = int(in_progress.sum())
    share = len(open_members) / max(wip + not_started, len(open_members))
    if counts.sum() > 0:
        share_days = simulate_when(counts * share, len(open_members), trials, rng)
        share_days = np.where(np.isfinite(share_days), share_days, items_days)
    else:
        share_days = items_days
    return np.maximum(items_days, share_days)


def simulate_throughput_only(
    arrays: Arrays, n: int, at: float, trials: int, rng: np.random.Generator, window: int = 26
) -> np.ndarray:
    """The plain baseline: days for the team's whole throughput to finish ``n`` items."""
    done = np.sort(arrays.done[arrays.done <= at])
    edges = at - 7.0 * np.arange(window, -1, -1)
    counts = np.diff(np.searchsorted(done, edges, side="right"))
    return simulate_when(counts, n, trials, rng)


@dataclass(frozen=True)
class Cohort:
    at: float
    members: np.ndarray
    actual: float  # days until the last member was done (inf if never in the data)


def cohorts(
    arrays: Arrays,
    kind: CohortKind,
    *,
    step_weeks: int = 4,
    warmup_weeks: int = 26,
    min_size: int = 3,
    recent_days: int = 28,
) -> list[Cohort]:
    """Sets to replay: every ``step_weeks`` from ``warmup_weeks`` after the first item, the
    items in progress (``in-progress``) or created in the last 4 weeks and still open
    (``recent``); at least ``min_size`` items."""
    first = float(np.nanmin(arrays.created)) if np.isfinite(arrays.created).any() else 0.0
    last = float(np.nanmax(arrays.done))
    out: list[Cohort] = []
    at = math.floor(first) + 7 * warmup_weeks
    while at < last:
        open_now = ~(arrays.done <= at) & (np.nan_to_num(arrays.created, nan=np.inf) <= at)
        if kind == "in-progress":
            mask = open_now & (arrays.started <= at)
        else:
            mask = open_now & (arrays.created > at - recent_days)
        members = np.nonzero(mask)[0]
        if members.size >= min_size:
            finish = arrays.done[members]
            actual = float(np.ceil(np.max(finish) - at)) if np.isfinite(finish).all() else math.inf
            out.append(Cohort(float(at), members, actual))
        at += 7 * step_weeks
    return out


@dataclass(frozen=True)
class SetForecast:
    """When the last item of a set will be done."""

    history: str
    start: dt.date
    keys: tuple[str, ...]
    open_items: int
    method: str
    calibrated: bool
    percentiles: tuple[Percentile, ...]
    baseline: tuple[Percentile, ...]
    coverage: Coverage | None
    trials: int
    seed: int
    deadline: dt.date | None = None
    probability: float | None = None

    def percentile(self, level: float) -> Percentile:
        for p in self.percentiles:
            if abs(p.level - level) < 1e-9:
                return p
        raise KeyError(level)

    def to_dict(self) -> dict[str, Any]:
        flat = {
            level_key(p.level): p.date.isoformat() if p.date else None for p in self.percentiles
        }
        return {
            "question": "set",
            "history": self.history,
            "start": self.start.isoformat(),
            "items": list(self.keys),
            "open_items": self.open_items,
            **flat,
            "percentiles": [p.to_dict() for p in self.percentiles],
            "baseline": [p.to_dict() for p in self.baseline],
            "method": self.method,
            "calibrated": self.calibrated,
            "coverage": self.coverage.to_dict() if self.coverage else None,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "probability": round(self.probability, 4) if self.probability is not None else None,
            "trials": self.trials,
            "seed": self.seed,
        }


@dataclass
class SetReplay:
    """Raw set forecasts and outcomes at past cohorts."""

    at: np.ndarray
    actual: np.ndarray
    censor: np.ndarray
    raw: np.ndarray  # (cohorts, levels) raw model quantiles
    baseline: np.ndarray  # (cohorts, levels) throughput-only quantiles
    raw50: np.ndarray
    calibrated: np.ndarray | None = None


def replay_sets(
    arrays: Arrays,
    kind: CohortKind,
    *,
    until: float | None = None,
    trials: int = 400,
    levels: tuple[float, ...] = LEVELS,
    rng: np.random.Generator,
    step_weeks: int = 4,
) -> SetReplay:
    """Forecast every past cohort (before ``until``) with the raw model and the baseline."""
    found = cohorts(arrays, kind, step_weeks=step_weeks)
    if until is not None:
        found = [c for c in found if c.at < until]
    end = float(np.nanmax(arrays.done)) if until is None else until
    lv = np.asarray(levels)
    raw = np.zeros((len(found), lv.size))
    base = np.zeros((len(found), lv.size))
    raw50 = np.zeros(len(found))
    usable: list[Cohort] = []
    for cohort in found:
        sample = simulate_set(arrays, cohort.members, cohort.at, trials, rng)
        if sample is None:
            continue
        k = len(usable)
        usable.append(cohort)
        raw[k] = np.ceil(np.quantile(sample, lv, method="inverted_cdf") - 1e-9)
        raw50[k] = max(float(np.median(sample)), 1.0)
        plain = simulate_throughput_only(arrays, cohort.members.size, cohort.at, trials, rng)
        base[k] = np.ceil(np.quantile(plain, lv, method="inverted_cdf") - 1e-9)
    raw, base, raw50 = raw[: len(usable)], base[: len(usable)], raw50[: len(usable)]
    found = usable
    at = np.array([c.at for c in found])
    actual = np.array([c.actual for c in found])
    if until is not None:
        # outcomes after ``until`` are not known yet
        actual = np.where(at + actual <= until, actual, math.inf)
    return SetReplay(at, actual, end - at, raw, base, raw50)


def calibrate_sets(
    replay: SetReplay,
    *,
    levels: tuple[float, ...] = LEVELS,
    settings: CalibrationSettings = CalibrationSettings(
        prior_weight=0.0, gamma=0.01, gamma_upper=None
    ),
    final: tuple[float, float] | None = None,
) -> tuple[np.ndarray, Any]:
    """Recalibrate the raw set forecasts on past sets' errors; ``final = (at, raw50)`` issues
    one more forecast at ``at`` (a live question)."""
    times = replay.at.astype(np.int64)
    due = np.maximum(2.0 * replay.raw50, 28.0)

    def scores_at(now: int, idx: np.ndarray) -> np.ndarray:
        idx = idx[times[idx] + due[idx] <= now]
        known = np.minimum(replay.actual[idx], now - times[idx])
        return np.log(np.maximum(known, 1.0) / replay.raw50[idx])

    def decide(i: int, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        q = np.maximum(np.ceil(replay.raw50[i] * np.exp(z) - 1e-9), 1.0)
        actual = replay.actual[i]
        miss = actual > q
        when = np.where(miss, times[i] + q, times[i] + actual)
        when = np.where(miss & (q >= replay.censor[i]), np.inf, when)
        return when, miss

    result = calibrate_sequence(
        times,
        scores_at,
        decide,
        horizon_days=0,
        levels=levels,
        prior=None,
        settings=settings,
        final_time=int(final[0]) if final is not None else None,
    )
    rows = result.z[: times.size]
    out = np.maximum(np.ceil(replay.raw50[:, None] * np.exp(np.nan_to_num(rows)) - 1e-9), 1.0)
    missing = np.isnan(rows).any(axis=1)
    out[missing] = replay.raw[missing]
    replay.calibrated = out
    return out, result


def set_coverage(
    replay: SetReplay, which: np.ndarray, levels: tuple[float, ...]
) -> dict[str, float]:
    decidable = np.isfinite(replay.actual)[:, None] | (which < replay.censor[:, None])
    hit = replay.actual[:, None] <= which
    counted = decidable.sum(axis=0)
    return {
        level_key(level): float((hit & decidable)[:, k].sum() / counted[k])
        if counted[k]
        else math.nan
        for k, level in enumerate(levels)
    }


def score_sets(replays: Sequence[SetReplay], which: str, levels: tuple[float, ...]) -> Any:
    """Coverage, bias and width of ``which`` (``throughput``, ``raw`` or ``calibrated``)."""
    from scaleplan.analysis.forecasting.backtest import MethodScore

    hits = np.zeros(len(levels))
    counted = np.zeros(len(levels))
    ratios: list[np.ndarray] = []
    w85: list[np.ndarray] = []
    w95: list[np.ndarray] = []
    total = 0
    unbounded = 0
    lv = list(levels)
    i50, i85, i95 = lv.index(0.5), lv.index(0.85), lv.index(0.95)
    for r in replays:
        q = {"throughput": r.baseline, "raw": r.raw, "calibrated": r.calibrated}[which]
        if q is None or q.shape[0] == 0:
            continue
        total += q.shape[0]
        decidable = np.isfinite(r.actual)[:, None] | (q < r.censor[:, None])
        hit = r.actual[:, None] <= q
        hits += (hit & decidable).sum(axis=0)
        counted += decidable.sum(axis=0)
        finite = np.isfinite(q[:, i50])
        with np.errstate(invalid="ignore", divide="ignore"):
            ratios.append(np.where(finite, r.actual / q[:, i50], np.nan))
            w85.append(np.where(finite, q[:, i85] / q[:, i50], np.nan))
            w95.append(np.where(finite, q[:, i95] / q[:, i50], np.nan))
        unbounded += int((~np.isfinite(q[:, i95])).sum())

    def median(parts: list[np.ndarray]) -> float:
        values = np.concatenate(parts) if parts else np.empty(0)
        values = values[~np.isnan(values)]
        return float(np.median(values)) if values.size else math.nan

    return MethodScore(
        method=which,
        forecasts=total,
        coverage={
            level_key(level): float(hits[k] / counted[k]) if counted[k] else math.nan
            for k, level in enumerate(levels)
        },
        median_actual_over_p50=median(ratios),
        median_p85_over_p50=median(w85),
        median_p95_over_p50=median(w95),
        unbounded=unbounded / total if total else 0.0,
    )


def backtest_sets(
    histories: Sequence[History],
    kind: CohortKind,
    *,
    trials: int = 300,
    levels: tuple[float, ...] = LEVELS,
    rng: np.random.Generator,
    progress: Any = None,
) -> dict[str, Any]:
    """Replay specific-set forecasts on cohorts of every history (see :func:`cohorts`) and
    score the throughput-only baseline, the raw model and the calibrated model."""
    replays: list[SetReplay] = []
    names: list[str] = []
    for k, history in enumerate(histories):
        if progress:
            progress(k, len(histories), history.name)
        if history.span() is None or not any(i.done for i in history.items):
            continue
        arrays = Arrays.of(history)
        replay = replay_sets(arrays, kind, trials=trials, levels=levels, rng=rng)
        if replay.at.size == 0:
            continue
        calibrate_sets(replay, levels=levels)
        replays.append(replay)
        names.append(history.name)
    if progress:
        progress(len(histories), len(histories), "done")
    if not replays:
        raise InputError(f"no history has {kind} cohorts of 3 or more items to replay")
    methods = [
        score_sets(replays, m, levels).to_dict() for m in ("throughput", "raw", "calibrated")
    ]
    per_history = [
        {
            "name": name,
            "sets": int(r.at.size),
            "p85": {
                m: score_sets([r], m, levels).coverage["p85"]
                for m in ("throughput", "raw", "calibrated")
            },
        }
        for name, r in zip(names, replays, strict=True)
    ]
    return {
        "cohort": kind,
        "histories": len(replays),
        "methods": methods,
        "per_history": per_history,
    }


def forecast_set(
    history: History,
    keys: Sequence[str],
    *,
    start: dt.date | None = None,
    trials: int = 10_000,
    seed: int = 7,
    levels: tuple[float, ...] = LEVELS,
    method: str = "calibrated",
    deadline: dt.date | None = None,
    cohort: CohortKind = "in-progress",
) -> SetForecast:
    """When will every item in ``keys`` be done? Items already done count as done."""
    if method not in ("calibrated", "raw", "throughput"):
        raise UsageError(f"unknown method {method!r}; expected calibrated, raw or throughput")
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        raise UsageError("name at least one item of the set")
    span = history.span()
    if span is None:
        raise InputError(f"{history.name}: the history is empty")
    if start is None:
        start = span[1].date() + dt.timedelta(days=1)
    moment = to_datetime(start - dt.timedelta(days=1))
    view = history.as_of(moment)
    arrays = Arrays.of(view)
    index = {k: i for i, k in enumerate(arrays.keys)}
    unknown = [k for k in wanted if k not in index]
    if unknown:
        more = f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""
        raise InputError(f"{unknown[0]} is not in the history as of {start}{more}")
    members = np.array([index[k] for k in wanted])
    at = arrays.day(dt.datetime.combine(start, dt.time()))
    rng = np.random.default_rng(seed)
    simulated = simulate_set(arrays, members, at, trials, rng)
    if simulated is None:
        raise InputError(
            f"{history.name}: fewer than {MIN_FINISHED} items were finished by {start}; "
            "a set forecast needs finished items to learn from"
        )
    sample = simulated
    lv = np.asarray(levels)
    open_items = int(sum(1 for m in members if not arrays.done[m] <= at))
    plain = simulate_throughput_only(arrays, max(open_items, 1), at, trials, rng)
    base_q = np.maximum(np.ceil(np.quantile(plain, lv, method="inverted_cdf") - 1e-9), 1.0)
    values = np.maximum(np.ceil(np.quantile(sample, lv) - 1e-9), 1.0)
    errors = [quantile_error(sample, level) for level in levels]
    raw50 = max(float(np.median(sample)), 1.0)
    replay = replay_sets(
        arrays, cohort, until=at, trials=300, levels=levels, rng=np.random.default_rng([seed, 2])
    )
    calibrated = False
    probability = None
    coverage = None
    if method == "calibrated" and open_items:
        _, result = calibrate_sets(replay, levels=levels, final=(at, raw50))
        z = result.z[-1]
        if not np.isnan(z).any():
            calibrated = True
            values = np.maximum(np.ceil(raw50 * np.exp(z) - 1e-9), 1.0)
            errors = [quantile_error(sample, 0.5) * float(s) for s in np.exp(z)]
            if deadline is not None:
                days = (deadline - start).days + 1
                probability = result.probability(
                    math.log(max(days, 1) / raw50) if days > 0 else -math.inf, levels
                )
    elif method == "throughput":
        values = base_q
    if probability is None and deadline is not None:
        probability = float(np.mean(sample <= (deadline - start).days + 1))
    if replay.at.size:
        which = replay.calibrated if calibrated and replay.calibrated is not None else replay.raw
        cov = set_coverage(replay, which, levels)
        plain_cov = set_coverage(replay, replay.baseline, levels)
        coverage = Coverage(
            question=f"set ({cohort} cohorts)",
            horizon_weeks=0,
            forecasts=int(replay.at.size),
            method="calibrated" if calibrated else "raw",
            p50=cov.get("p50"),
            p85=cov.get("p85"),
            p95=cov.get("p95"),
            baseline_p85=plain_cov.get("p85"),
            baseline_p95=plain_cov.get("p95"),
        )

    def percentiles(vals: np.ndarray, errs: Sequence[float | None]) -> tuple[Percentile, ...]:
        return tuple(
            Percentile(level, float(v), day_after(start, v) if v > 0 else None, e)
            for level, v, e in zip(levels, vals.tolist(), errs, strict=True)
        )

    return SetForecast(
        history=history.name,
        start=start,
        keys=tuple(wanted),
        open_items=open_items,
        method="calibrated" if calibrated else method if method != "calibrated" else "raw",
        calibrated=calibrated,
        percentiles=percentiles(values, errors)
        if open_items
        else percentiles(np.zeros(lv.size), [None] * lv.size),
        baseline=percentiles(base_q, [None] * lv.size),
        coverage=coverage,
        trials=trials,
        seed=seed,
        deadline=deadline,
        probability=probability,
    )


__all__ = [
    "Arrays",
    "Cohort",
    "SetForecast",
    "SetReplay",
    "backtest_sets",
    "calibrate_sets",
    "cohorts",
    "forecast_set",
    "replay_sets",
    "score_sets",
    "set_coverage",
    "simulate_set",
]
