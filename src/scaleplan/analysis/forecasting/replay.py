"""Replay a completion series at past weekly origins: ask a question at each, forecast it with
only the data before that origin, and record what actually happened.

This is the engine of both the backtest and the live calibrated forecast: a live forecast is
the replay of its own history, plus one more origin "now" whose answer is not known yet.

Questions at an origin ``t`` with horizon ``h`` weeks and a window of the ``W`` weeks before
``t``:

* ``when``: N = round(h x mean weekly throughput of the window) items (at least 1); the answer
  is the number of days until the N-th completion on or after ``t`` (day 1 = day ``t``).
* ``how-many``: the number of items completed in the ``h`` weeks from ``t``.

Origins run every week, aligned so the last one is ``h`` weeks before the end of the data.

The raw forecast behind the calibrated model is the median of the winsorized bootstrap
rescaled to the window's recent pace (:func:`scaleplan.analysis.forecasting.montecarlo.
level_ratio`); the plain bootstrap baseline is not rescaled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from scaleplan.analysis.forecasting.calibration import (
    LEVELS,
    CalibrationSettings,
    PriorSource,
    SequenceResult,
    calibrate_sequence,
)
from scaleplan.analysis.forecasting.montecarlo import (
    WINSOR_FACTOR,
    level_ratio,
    simulate_how_many_batch,
    simulate_when_batch,
)
from scaleplan.analysis.forecasting.series import Series

Question = Literal["when", "how-many"]
QUESTIONS: tuple[Question, ...] = ("when", "how-many")
#: Methods a replay can compute: the plain bootstrap baseline, the drift multiplier, own-error
#: conformal recalibration, and the calibrated model (conformal + prior + adaptive level).
METHODS = ("bootstrap", "drift", "conformal", "calibrated")
WINDOW_WEEKS = 26
MIN_WINDOW_WEEKS = 4
DRIFT_FLOOR = 0.05


@dataclass
class Prepared:
    """Raw forecasts and outcomes at every origin of one series, question and horizon."""

    name: str
    question: Question
    horizon: int
    origin_date_ordinal: int  # calendar day of day 0
    days: int
    t: np.ndarray  # origin day indices
    size: np.ndarray  # items asked (when) or weeks (how-many)
    actual: np.ndarray  # days (inf = not reached in the data) or counts
    raw50: np.ndarray  # median of the winsorized bootstrap, rescaled to the recent pace
    quantiles: dict[str, np.ndarray] = field(default_factory=dict)  # method -> (origins, levels)
    skipped: int = 0  # origins with no completions in their window

    @property
    def censor(self) -> np.ndarray:
        """Days of data from each origin to the end of the series."""
        return self.days - self.t


def origins(weeks: int, horizon: int, window: int) -> np.ndarray:
    """Origin week indices ``j`` (the forecast starts at day ``7 j``) with a full window before
    and ``horizon`` weeks of data after."""
    last = weeks - horizon
    return np.arange(window, last + 1, dtype=np.int64)


def prepare(
    series: Series,
    question: Question,
    horizon: int,
    *,
    levels: tuple[float, ...] = LEVELS,
    trials: int = 400,
    window: int = WINDOW_WEEKS,
    methods: tuple[str, ...] = ("bootstrap", "calibrated"),
    rng: np.random.Generator,
    winsor: float = WINSOR_FACTOR,
    block: int = 32,
) -> Prepared:
    """Raw forecasts at every origin (bootstrap baseline, winsorized median, drift if asked),
    simulated ``block`` origins at a time."""
    weekly = series.weekly()
    cumulative = np.concatenate([[0], np.cumsum(series.daily)])
    weekly_cum = np.concatenate([[0], np.cumsum(weekly)])
    js = origins(weekly.size, horizon, window)
    if js.size:
        sums = weekly_cum[js] - weekly_cum[js - window]
        skipped = int((sums == 0).sum())
        js = js[sums > 0]
    else:
        skipped = 0
    levels_arr = np.asarray(levels)
    t = 7 * js
    windows = (
        np.stack([weekly[j - window : j] for j in js]).astype(np.float64)
        if js.size
        else np.zeros((0, window))
    )
    means = windows.mean(axis=1) if js.size else np.zeros(0)
    capped = np.minimum(windows, winsor * np.maximum(means, 1.0)[:, None])
    pace = level_ratio(windows, factor=winsor) if js.size else np.ones(0)
    if question == "when":
        sizes = np.maximum(1, np.round(horizon * means)).astype(np.int64)
        k = np.searchsorted(cumulative, cumulative[t] + sizes, side="left")
        actual = np.where(k <= series.days, (k - t).astype(np.float64), np.inf)
    else:
        sizes = np.full(js.size, horizon, dtype=np.int64)
        actual = (cumulative[t + 7 * horizon] - cumulative[t]).astype(np.float64)
    want_base = any(m in methods for m in ("bootstrap", "conformal", "drift"))
    raw50 = np.zeros(js.size)
    baseline = np.zeros((js.size, levels_arr.size))
    drift = np.zeros((js.size, levels_arr.size))
    for lo in range(0, js.size, block):
        part = slice(lo, lo + block)
        if question == "when":
            raw = simulate_when_batch(capped[part], sizes[part], trials, rng)
        else:
            raw = simulate_how_many_batch(capped[part], horizon, trials, rng)
        median = np.median(raw, axis=1)
        raw50[part] = median / pace[part] if question == "when" else median * pace[part]
        if want_base:
            baseline[part] = _quantiles(
                question,
                simulate_when_batch(windows[part], sizes[part], trials, rng)
                if question == "when"
                else simulate_how_many_batch(windows[part], horizon, trials, rng),
                levels_arr,
            )
        if "drift" in methods:
            mult = np.stack(
                [
                    _drift_multipliers(weekly_cum, int(j), horizon, window, trials, rng)
                    for j in js[part]
                ]
            )
            sample = (
                simulate_when_batch(windows[part], sizes[part], trials, rng, multipliers=mult)
                if question == "when"
                else simulate_how_many_batch(windows[part], horizon, trials, rng, multipliers=mult)
            )
            drift[part] = _quantiles(question, sample, levels_arr)
    prepared = Prepared(
        name=series.name,
        question=question,
        horizon=horizon,
        origin_date_ordinal=series.origin.toordinal(),
        days=series.days,
        t=t.astype(np.int64),
        size=sizes,
        actual=actual,
        raw50=raw50,
        skipped=skipped,
    )
    if want_base:
        prepared.quantiles["bootstrap"] = _finish(question, baseline)
    if "drift" in methods:
        prepared.quantiles["drift"] = _finish(question, drift)
    return prepared


def _quantiles(question: Question, sample: np.ndarray, levels: np.ndarray) -> np.ndarray:
    probs = levels if question == "when" else 1.0 - levels
    return np.quantile(sample, probs, axis=1).T


def _drift_multipliers(
    weekly_cum: np.ndarray, j: int, horizon: int, window: int, trials: int, rng: np.random.Generator
) -> np.ndarray:
    """Throughput-rate multipliers from the project's own past: for every past origin ``s``
    whose horizon has passed, (rate over the ``h`` weeks after ``s``) / (rate of its window),
    floored at 0.05 so a stall does not make the forecast infinite. Fewer than 10 past
    origins: all 1 (the plain bootstrap)."""
    s = np.arange(window, j - horizon + 1)
    if s.size < 10:
        return np.ones(trials)
    future = (weekly_cum[s + horizon] - weekly_cum[s]) / horizon
    past = (weekly_cum[s] - weekly_cum[s - window]) / window
    ok = past > 0
    if ok.sum() < 10:
        return np.ones(trials)
    ratios = future[ok] / past[ok]
    return np.maximum(ratios[rng.integers(0, ratios.size, size=trials)], DRIFT_FLOOR)


def _finish(question: Question, q: np.ndarray) -> np.ndarray:
    if question == "when":
        return np.maximum(np.ceil(q - 1e-9), 1.0)
    return np.maximum(np.floor(q + 1e-9), 0.0)


def own_scores(p: Prepared, at: int, idx: np.ndarray) -> np.ndarray:
    """Scores of origins ``idx`` as known at day ``at`` (running ones as lower bounds)."""
    if p.question == "when":
        known = np.minimum(p.actual[idx], float(at) - p.t[idx])
        return np.log(np.maximum(known, 1.0) / p.raw50[idx])
    return -np.log((p.actual[idx] + 1.0) / (p.raw50[idx] + 1.0))


def from_scores(question: Question, raw50: float | np.ndarray, z: np.ndarray) -> np.ndarray:
    """Forecast quantities from a raw median and calibrated score quantiles."""
    raw = np.asarray(raw50, dtype=np.float64)
    if question == "when":
        return np.maximum(np.ceil(raw[..., None] * np.exp(z) - 1e-9), 1.0)
    counts = np.floor((raw[..., None] + 1.0) * np.exp(-z) - 1.0 + 1e-9)
    return np.minimum.accumulate(np.maximum(counts, 0.0), axis=-1)


def calibrate(
    p: Prepared,
    *,
    levels: tuple[float, ...] = LEVELS,
    prior: PriorSource = None,
    settings: CalibrationSettings = CalibrationSettings(),
    final_raw50: float | None = None,
    method: str = "calibrated",
) -> tuple[np.ndarray, SequenceResult]:
    """Calibrated quantiles at every origin; origins that cannot be calibrated keep the
    baseline. With ``final_raw50`` one more issue is made at the end of the data (a live
    question): its score quantiles are ``result.z[-1]`` (NaN when it could not be calibrated)."""
    h_days = 7 * p.horizon

    def scores_at(at: int, idx: np.ndarray) -> np.ndarray:
        return own_scores(p, at, idx)

    def decide(i: int, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        q = from_scores(p.question, p.raw50[i], z)
        t = float(p.t[i])
        actual = p.actual[i]
        if p.question == "when":
            miss = actual > q
            at = np.where(miss, t + q, t + actual)
            at = np.where(miss & (q >= p.censor[i]), np.inf, at)
            return at, miss
        return np.full(q.shape, t + h_days), actual < q

    result = calibrate_sequence(
        p.t,
        scores_at,
        decide,
        horizon_days=h_days,
        levels=levels,
        prior=prior,
        settings=settings,
        final_time=p.days if final_raw50 is not None else None,
    )
    rows = result.z[: p.t.size]
    out = from_scores(p.question, p.raw50, np.nan_to_num(rows, nan=0.0))
    missing = np.isnan(rows).any(axis=1)
    if missing.any():
        fallback = p.quantiles.get("bootstrap")
        if fallback is None:
            raise ValueError("no baseline to fall back on")
        out[missing] = fallback[missing]
    p.quantiles[method] = out
    return out, result


__all__ = [
    "METHODS",
    "QUESTIONS",
    "WINDOW_WEEKS",
    "Prepared",
    "Question",
    "calibrate",
    "from_scores",
    "origins",
    "own_scores",
    "prepare",
]
