"""Throughput forecasts from history: "when will the next N items be done" and "how many items
by a date", calibrated on the team's own past forecast errors.

1. Weekly throughput of the last 26 weeks (fewer if the history is shorter, at least 4) is
   resampled (``trials`` Monte Carlo trials), each week capped at 3x the window mean so a bulk
   clean-up does not pass for pace, and rescaled to the recent pace (an exponentially weighted
   mean of the capped weeks, :func:`~scaleplan.analysis.forecasting.montecarlo.level_ratio`);
   its median is the raw forecast.
2. The same question (same horizon) is replayed at every past week of the history; the errors
   of those forecasts' medians, plus the reference prior and the adaptive level
   (:mod:`scaleplan.analysis.forecasting.calibration`), give each percentile.
3. The replay also measures how often the percentiles held on this history: the forecast
   reports that coverage next to the plain bootstrap's.

``method="bootstrap"`` returns the plain weekly-throughput bootstrap (the industry baseline).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

import numpy as np

from scaleplan.analysis.forecasting.backtest import score_method
from scaleplan.analysis.forecasting.calibration import LEVELS, CalibrationSettings
from scaleplan.analysis.forecasting.montecarlo import (
    level_ratio,
    quantile_error,
    simulate_how_many,
    simulate_when,
    winsorize,
)
from scaleplan.analysis.forecasting.prior import builtin_prior
from scaleplan.analysis.forecasting.replay import (
    MIN_WINDOW_WEEKS,
    WINDOW_WEEKS,
    Question,
    calibrate,
    from_scores,
    prepare,
)
from scaleplan.analysis.forecasting.results import (
    Coverage,
    Percentile,
    ThroughputForecast,
    day_after,
)
from scaleplan.analysis.forecasting.series import Series, completion_series
from scaleplan.errors import InputError, UsageError
from scaleplan.model.history import History

#: Trials per past origin when replaying the history to calibrate.
REPLAY_TRIALS = 300
MAX_HORIZON_WEEKS = 52


def _series_before(history: History, start: dt.date | None) -> tuple[Series, dt.date]:
    if start is None:
        span = history.span()
        if span is None:
            raise InputError(f"{history.name}: the history is empty")
        start = span[1].date() + dt.timedelta(days=1)
    end = start - dt.timedelta(days=1)
    past = history.as_of(dt.datetime.combine(end, dt.time.max))
    return completion_series(past, end=end), start


def _window(series: Series) -> np.ndarray:
    weekly = series.weekly()
    if weekly.size < MIN_WINDOW_WEEKS:
        raise InputError(
            f"{series.name}: {weekly.size} week(s) of history; a throughput forecast needs at "
            f"least {MIN_WINDOW_WEEKS}"
        )
    window = weekly[-min(WINDOW_WEEKS, weekly.size) :]
    if window.sum() == 0:
        raise InputError(
            f"{series.name}: nothing was finished in the last {window.size} weeks, so there is "
            "no throughput to forecast from"
        )
    return window


def _check(trials: int, levels: tuple[float, ...], method: str) -> None:
    if trials < 100:
        raise UsageError("use at least 100 trials")
    if method not in ("calibrated", "bootstrap"):
        raise UsageError(f"unknown method {method!r}; expected calibrated or bootstrap")
    for level in levels:
        if not 0 < level < 1:
            raise UsageError(f"levels are shares between 0 and 1, got {level}")


@dataclass(frozen=True)
class SplitRate:
    """Delivered items per backlog item: a backlog item split into three delivered ones counts
    three times."""

    rate: float
    #: "given", or how it was learned.
    source: str

    @classmethod
    def given(cls, rate: float) -> SplitRate:
        if not math.isfinite(rate) or rate <= 0:
            raise UsageError(f"the split rate must be a positive number, got {rate}")
        return cls(float(rate), "given")


def _is_split(kind: str, label: str | None) -> bool:
    return "split" in kind.lower() or (label is not None and "split" in label.lower())


def learn_split_rate(history: History, *, min_items: int = 20) -> SplitRate:
    """The split rate of a history: all its items over the items that were not split off
    another one. An item was split off when it has an inward split link ("split from", "was
    split from") or is the target of an outward one ("split to", "was split into"), as Jira's
    *Split issue* and its link types record them. Raises ``InputError`` when the history has
    fewer than ``min_items`` items or no split link at all (no evidence either way)."""
    keys = {item.key for item in history.items}
    children: set[str] = set()
    links = 0
    for item in history.items:
        for link in item.links:
            if not _is_split(link.kind, link.label):
                continue
            links += 1
            if link.direction == "inward":
                children.add(item.key)
            elif link.target in keys:
                children.add(link.target)
    if len(keys) < min_items:
        raise InputError(
            f"{history.name}: {len(keys)} items; need {min_items} to learn a split rate "
            "(give a number instead, e.g. --split-rate 1.2)"
        )
    if links == 0:
        raise InputError(
            f"{history.name}: no split links (Jira 'Issue split', 'split to', 'was split into') "
            "among its items; give the split rate as a number instead, e.g. --split-rate 1.2"
        )
    originals = len(keys - children)
    rate = len(keys) / max(originals, 1)
    return SplitRate(
        rate,
        f"learned from {len(keys)} items: {len(children & keys)} split off {originals} others",
    )


def forecast_when(
    history: History,
    items: int,
    *,
    start: dt.date | None = None,
    trials: int = 10_000,
    seed: int = 7,
    levels: tuple[float, ...] = LEVELS,
    method: str = "calibrated",
    deadline: dt.date | None = None,
    settings: CalibrationSettings = CalibrationSettings(),
    split: SplitRate | None = None,
) -> ThroughputForecast:
    """When will ``items`` more items be done, starting on ``start`` (default: the day after
    the last event in the history)? Percentiles are dates: ``P85`` = done by then with 85%
    confidence. With a ``split`` rate, ``items`` are backlog items and the forecast is for
    ``ceil(items x rate)`` delivered ones.

    >>> forecast_when(history, 40).percentile(0.85).date  # doctest: +SKIP
    datetime.date(2025, 9, 19)
    """
    if items < 1:
        raise UsageError("ask for at least 1 item")
    _check(trials, levels, method)
    delivered = math.ceil(items * split.rate - 1e-9) if split is not None else items
    result = _forecast(
        history,
        "when",
        max(delivered, 1),
        start,
        trials,
        seed,
        levels,
        method,
        deadline,
        None,
        settings,
    )
    if split is None:
        return result
    return replace(
        result,
        items=items,
        delivered_items=max(delivered, 1),
        split_rate=split.rate,
        split_source=split.source,
    )


def forecast_how_many(
    history: History,
    *,
    by: dt.date | None = None,
    weeks: float | None = None,
    start: dt.date | None = None,
    trials: int = 10_000,
    seed: int = 7,
    levels: tuple[float, ...] = LEVELS,
    method: str = "calibrated",
    at_least: int | None = None,
    settings: CalibrationSettings = CalibrationSettings(),
    split: SplitRate | None = None,
) -> ThroughputForecast:
    """How many items will be done from ``start`` to ``by`` (or in ``weeks`` weeks)?
    ``P85`` = at least that many with 85% confidence (so P85 <= P50). With a ``split`` rate
    the counts are backlog items: delivered items / rate, rounded down."""
    _check(trials, levels, method)
    series, begin = _series_before(history, start)
    if (by is None) == (weeks is None):
        raise UsageError("give either a date (by) or a number of weeks")
    if by is None:
        assert weeks is not None
        if weeks <= 0:
            raise UsageError("weeks must be positive")
        by = begin + dt.timedelta(days=math.ceil(weeks * 7) - 1)
    if by < begin:
        raise UsageError(f"{by} is before the forecast start {begin}")
    rate = split.rate if split is not None else 1.0
    result = _forecast(
        history,
        "how-many",
        None,
        begin,
        trials,
        seed,
        levels,
        method,
        None,
        by,
        settings,
        target_items=math.ceil(at_least * rate - 1e-9) if at_least is not None else None,
        series=series,
    )
    if split is None:
        return result

    def backlog(p: Percentile) -> Percentile:
        return replace(
            p,
            value=math.floor(p.value / rate + 1e-9),
            mc_error=p.mc_error / rate if p.mc_error is not None else None,
        )

    return replace(
        result,
        percentiles=tuple(backlog(p) for p in result.percentiles),
        baseline=tuple(backlog(p) for p in result.baseline),
        target=str(at_least) if at_least is not None else None,
        split_rate=rate,
        split_source=split.source,
    )


def _forecast(
    history: History,
    question: Question,
    items: int | None,
    start: dt.date | None,
    trials: int,
    seed: int,
    levels: tuple[float, ...],
    method: str,
    deadline: dt.date | None,
    by: dt.date | None,
    settings: CalibrationSettings,
    *,
    target_items: int | None = None,
    series: Series | None = None,
) -> ThroughputForecast:
    if series is None or start is None:
        series, start = _series_before(history, start)
    window = _window(series)
    rng = np.random.default_rng(seed)
    replay_rng = np.random.default_rng([seed, 1])
    levels_arr = np.asarray(levels, dtype=np.float64)
    if question == "when":
        assert items is not None
        raw = simulate_when(winsorize(window), items, trials, rng) / float(level_ratio(window))
        base = simulate_when(window, items, trials, rng)
        base_q = np.maximum(np.ceil(np.quantile(base, levels_arr) - 1e-9), 1.0)
        raw50 = float(np.median(raw))
        horizon = int(min(max(round(raw50 / 7.0), 1), MAX_HORIZON_WEEKS))
    else:
        assert by is not None
        days = (by - start).days + 1
        whole, extra = divmod(days, 7)
        raw = simulate_how_many(winsorize(window), whole, trials, rng, days=extra) * float(
            level_ratio(window)
        )
        base = simulate_how_many(window, whole, trials, rng, days=extra)
        base_q = np.floor(np.quantile(base, 1.0 - levels_arr) + 1e-9)
        raw50 = float(np.median(raw))
        horizon = int(min(max(round(days / 7.0), 1), MAX_HORIZON_WEEKS))
    raw_error = quantile_error(raw, 0.5)
    base_errors = [
        quantile_error(base, level if question == "when" else 1.0 - level) for level in levels
    ]
    baseline = _percentiles(question, start, base_q, levels, base_errors)
    coverage: Coverage | None = None
    values = base_q
    errors = base_errors
    calibrated = False
    probability = None
    prepared = prepare(
        series,
        question,
        horizon,
        levels=levels,
        trials=REPLAY_TRIALS,
        methods=("bootstrap", "calibrated"),
        rng=replay_rng,
    )
    if method == "calibrated":
        _, sequence = calibrate(
            prepared,
            levels=levels,
            prior=builtin_prior(question, horizon),
            settings=settings,
            final_raw50=raw50,
        )
        z = sequence.z[-1]
        if not np.isnan(z).any():
            calibrated = True
            values = from_scores(question, raw50, z)
            scale = np.exp(z) if question == "when" else np.exp(-z)
            errors = [raw_error * float(s) for s in scale]
            target_score = _target_score(question, raw50, start, deadline, target_items)
            if target_score is not None:
                probability = sequence.probability(target_score, levels)
    if probability is None and (deadline is not None or target_items is not None):
        probability = _empirical_probability(question, base, start, deadline, target_items)
    if prepared.t.size:
        scored = score_method([prepared], "calibrated" if calibrated else "bootstrap", levels)
        plain = score_method([prepared], "bootstrap", levels)
        coverage = Coverage(
            question=question,
            horizon_weeks=horizon,
            forecasts=scored.forecasts,
            method="calibrated" if calibrated else "bootstrap",
            p50=scored.coverage.get("p50"),
            p85=scored.coverage.get("p85"),
            p95=scored.coverage.get("p95"),
            baseline_p85=plain.coverage.get("p85"),
            baseline_p95=plain.coverage.get("p95"),
        )
    target = None
    if deadline is not None:
        target = deadline.isoformat()
    elif target_items is not None:
        target = str(target_items)
    return ThroughputForecast(
        question=question,
        history=history.name,
        start=start,
        method="calibrated" if calibrated else "bootstrap",
        calibrated=calibrated,
        percentiles=_percentiles(question, start, values, levels, errors),
        baseline=baseline,
        coverage=coverage,
        trials=trials,
        seed=seed,
        window_weeks=int(window.size),
        mean_per_week=float(window.mean()),
        done_before=int(series.daily.sum()),
        items=items,
        by=by,
        target=target,
        probability=probability,
    )


def _percentiles(
    question: Question,
    start: dt.date,
    values: np.ndarray,
    levels: tuple[float, ...],
    errors: list[float],
) -> tuple[Percentile, ...]:
    out = []
    for level, value, error in zip(levels, np.asarray(values).tolist(), errors, strict=True):
        date = day_after(start, value) if question == "when" else None
        out.append(Percentile(level, float(value), date, error))
    return tuple(out)


def _target_score(
    question: Question,
    raw50: float,
    start: dt.date,
    deadline: dt.date | None,
    target_items: int | None,
) -> float | None:
    if question == "when" and deadline is not None:
        days = (deadline - start).days + 1
        return math.log(max(days, 1e-9) / raw50) if days > 0 else -math.inf
    if question == "how-many" and target_items is not None:
        return -math.log((target_items + 1.0) / (raw50 + 1.0))
    return None


def _empirical_probability(
    question: Question,
    sample: np.ndarray,
    start: dt.date,
    deadline: dt.date | None,
    target_items: int | None,
) -> float | None:
    if question == "when" and deadline is not None:
        return float(np.mean(sample <= (deadline - start).days + 1))
    if question == "how-many" and target_items is not None:
        return float(np.mean(sample >= target_items))
    return None


__all__ = ["SplitRate", "forecast_how_many", "forecast_when", "learn_split_rate"]
