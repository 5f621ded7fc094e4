"""Recalibration on a team's own past forecast errors (conformal-style), with a reference-class
prior and an adaptive level (adaptive conformal inference).

A *score* says how wrong a past forecast's median was: for "when" questions
``log(actual days / median days)``, for "how many" ``-log((actual + 1) / (median + 1))``, so a
larger score is always a worse outcome. The forecast at level ``p`` is the median moved by the
``p`` quantile of past scores:

* **own scores**: every past forecast of the same question and horizon whose outcome was due
  (``horizon`` weeks have passed) before the forecast date. One still running is counted with
  the time elapsed so far (a lower bound), so slow outcomes are not forgotten.
* **reference prior**: a fixed set of scores (default weight 300 observations) from other
  projects, so young projects and rare tails are not trusted to a handful of own errors.
* **adaptive level** (Gibbs & Candès 2021): each level ``p`` is nudged by
  ``gamma * (miss - (1 - p))`` whenever a past forecast at that level is decided, so a run of
  misses widens the next forecasts and a run of hits narrows them. The step is 0.005 below
  the 90% level and 0.01 from it on (``gamma_upper``): an upper level is decided by rare
  misses, so it needs the larger step to catch up with a slowdown. Levels stay in
  ``[0.01, 0.995]``, so the forecast is always finite.

The conformal finite-sample correction uses level ``p * (n + 1) / n`` for ``n`` weighted scores.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

#: Levels a forecast reports by default.
LEVELS: tuple[float, ...] = (0.5, 0.7, 0.85, 0.95)
LEVEL_MIN, LEVEL_MAX = 0.01, 0.995


@dataclass(frozen=True)
class CalibrationSettings:
    """Tuning of the recalibration (defaults measured in docs/benchmarks/forecasting.md)."""

    #: Weight of the reference prior, in observations.
    prior_weight: float = 300.0
    #: Step of the adaptive level.
    gamma: float = 0.005
    #: Use the adaptive level.
    adaptive: bool = True
    #: Minimum own scores before recalibrating when there is no prior.
    min_own: int = 10
    #: Half-life in weeks of the weight of own scores (``None``: all count the same).
    halflife_weeks: float | None = None
    #: Step of the adaptive level for levels at or above ``upper_from`` (``None``: ``gamma``).
    gamma_upper: float | None = 0.01
    #: Lowest level that uses ``gamma_upper``.
    upper_from: float = 0.9

    def gammas(self, levels: np.ndarray) -> np.ndarray:
        """Step of the adaptive level of each of ``levels``."""
        upper = self.gamma if self.gamma_upper is None else self.gamma_upper
        return np.where(levels >= self.upper_from - 1e-9, upper, self.gamma)


def _bounded(adapt: np.ndarray, base: np.ndarray) -> np.ndarray:
    low = np.maximum(base / 2.0, LEVEL_MIN)
    high = np.minimum(1.0 - (1.0 - base) / 10.0, LEVEL_MAX)
    return np.clip(adapt, low, high)


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Lower weighted quantiles with the conformal correction ``level * (W + 1) / W``."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    cumulative = np.cumsum(weights[order])
    total = float(cumulative[-1])
    corrected = np.minimum(levels * (total + 1.0) / total, 1.0) * total
    index = np.searchsorted(cumulative, corrected - 1e-9, side="left")
    return np.asarray(ordered[np.minimum(index, ordered.size - 1)], dtype=np.float64)


PriorSource = Callable[[int], np.ndarray | None] | np.ndarray | None


@dataclass
class SequenceResult:
    """Calibrated score quantiles issued at each origin, and the state after the last one."""

    z: np.ndarray  # (origins, levels) score quantiles used
    levels: np.ndarray  # adaptive levels after the last origin
    own: int  # own scores available at the last origin
    values: np.ndarray  # scores behind the last issue (own, then prior)
    weights: np.ndarray  # their weights

    def probability(self, score: float, base: Sequence[float] = LEVELS) -> float:
        """Calibrated probability that the outcome's score is at most ``score``: the weighted
        share of scores at or below it, mapped through the adaptive levels."""
        if self.values.size == 0:
            return float("nan")
        raw = float(self.weights[self.values <= score].sum() / self.weights.sum())
        adapted = np.asarray(self.levels)
        nominal = np.asarray(base, dtype=np.float64)
        order = np.argsort(adapted)
        xs = np.concatenate([[0.0], adapted[order], [1.0]])
        ys = np.concatenate([[0.0], nominal[order], [1.0]])
        return float(np.interp(raw, xs, ys))


def calibrate_sequence(
    times: np.ndarray,
    scores_at: Callable[[int, np.ndarray], np.ndarray],
    decide: Callable[[int, np.ndarray], tuple[np.ndarray, np.ndarray]],
    *,
    horizon_days: int,
    levels: Sequence[float] = LEVELS,
    prior: PriorSource = None,
    settings: CalibrationSettings = CalibrationSettings(),
    final_time: int | None = None,
) -> SequenceResult:
    """Walk the origins in time order and issue calibrated score quantiles at each.

    ``scores_at(t, idx)`` gives the scores of past origins ``idx`` as known at time ``t``.
    ``decide(i, z)`` returns, for origin ``i`` issued with quantiles ``z``, the time each level's
    hit/miss becomes known (``inf`` = never) and whether it was a miss. ``final_time`` adds one
    more issue at that time (a live forecast) whose quantiles are the last row.
    """
    base = np.asarray(levels, dtype=np.float64)
    adapt = base.copy()
    steps = settings.gammas(base)
    count = times.size + (1 if final_time is not None else 0)
    out = np.full((count, base.size), np.nan)
    pending: list[tuple[float, int, int, bool]] = []  # (decided at, origin, level, miss)
    own = 0
    last_values = np.empty(0)
    last_weights = np.empty(0)
    for k in range(count):
        t = int(times[k]) if k < times.size else int(final_time)  # type: ignore[arg-type]
        while pending and pending[0][0] <= t:
            _, _, level_index, miss = heapq.heappop(pending)
            if settings.adaptive:
                adapt[level_index] += steps[level_index] * (float(miss) - (1.0 - base[level_index]))
        past = np.nonzero(times[: min(k, times.size)] + horizon_days <= t)[0]
        own_scores = scores_at(t, past) if past.size else np.empty(0)
        own = own_scores.size
        prior_scores = prior(t) if callable(prior) else prior
        values = [own_scores]
        if settings.halflife_weeks and own_scores.size:
            age = (t - times[past]) / (7.0 * settings.halflife_weeks)
            weights = [np.power(0.5, age)]
        else:
            weights = [np.ones(own_scores.size)]
        if prior_scores is not None and prior_scores.size and settings.prior_weight > 0:
            values.append(prior_scores)
            weights.append(np.full(prior_scores.size, settings.prior_weight / prior_scores.size))
        elif own < settings.min_own:
            continue  # nothing to calibrate with: the caller falls back to the raw forecast
        level_now = _bounded(adapt, base)
        last_values = np.concatenate(values)
        last_weights = np.concatenate(weights)
        z = weighted_quantiles(last_values, last_weights, level_now)
        z = np.maximum.accumulate(z)
        out[k] = z
        if k < times.size:
            decided_at, missed = decide(k, z)
            for j in range(base.size):
                if math.isfinite(decided_at[j]):
                    heapq.heappush(pending, (float(decided_at[j]), k, j, bool(missed[j])))
    return SequenceResult(out, _bounded(adapt, base), own, last_values, last_weights)


__all__ = [
    "LEVELS",
    "CalibrationSettings",
    "SequenceResult",
    "calibrate_sequence",
    "weighted_quantiles",
]
