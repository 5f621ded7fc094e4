"""Vectorised throughput Monte Carlo: resample weekly throughput to answer "when will N items be
done" (days) and "how many items by a date" (counts).

The calibrated model keeps the shape of the (winsorized) bootstrap but centres it on the
window's *recent* pace: :func:`level_ratio` is the exponentially weighted mean of the capped
weeks (half-life :data:`LEVEL_HALFLIFE_WEEKS`, newest week heaviest) over their plain mean, and
the bootstrap's days are divided by it ("when") or its counts multiplied by it ("how many").
Throughput persists: on the TAWOS histories the last few weeks predict the next ones better
than the 26-week mean, which narrows the forecast errors the calibration then has to cover
(docs/benchmarks/forecasting.md).

Within the week in which the running total reaches N, completions are spread evenly, so the
answer is in days: ``7 * full_weeks + ceil(7 * missing / that_week)``. Day 1 is the first day
of the forecast.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np

#: Bulk clean-ups (hundreds of issues closed in a day) are real completions but not delivery
#: pace: the calibrated model caps each sampled week at this multiple of the window's mean.
WINSOR_FACTOR = 3.0


#: Half-life in weeks of the recent-pace weights of :func:`level_ratio`.
LEVEL_HALFLIFE_WEEKS = 5.0


def draw_indices(rng: np.random.Generator, high: int, size: int | tuple[int, ...]) -> np.ndarray:
    """Uniform indices in ``[0, high)`` in the smallest unsigned type that holds them: numpy
    draws 8- and 16-bit bounded integers several times faster than 64-bit ones, and a weekly
    window is rarely longer than a few dozen weeks."""
    dtype: type[np.unsignedinteger[Any]] | type[np.int64]
    if high <= 1 << 8:
        dtype = np.uint8
    elif high <= 1 << 16:
        dtype = np.uint16
    else:
        dtype = np.int64
    return rng.integers(0, high, size=size, dtype=dtype)


#: Element-steps of first-passage work after which the compiled kernel is used: starting numba
#: costs a fresh process about 0.6 s, which one forecast's replay (~8 million steps, 0.1 s in
#: numpy) does not earn back, while a backtest (hundreds of millions) does.
KERNEL_AFTER_STEPS = 20_000_000
_steps = 0
#: Force the path (True: compiled kernel, False: numpy); None chooses as described.
_force: bool | None = None


def use_kernel(mode: bool | None) -> None:
    """Force the compiled first-passage kernel (True) or numpy (False), or let the work done
    decide (None, the default). Both give identical results; this only changes the speed."""
    global _force
    _force = mode


def first_passage(
    flat: np.ndarray,
    width: int,
    row: np.ndarray,
    scale: np.ndarray,
    need: np.ndarray,
    total: np.ndarray,
    picks: np.ndarray,
    done_weeks: int,
    days: np.ndarray,
) -> np.ndarray:
    """One chunk of "when will ``need`` items be done" for the running trials (see
    :func:`scaleplan.analysis.forecasting.kernel.first_passage`, which this matches exactly):
    numpy while the work is small, the compiled kernel once numba is loaded or the work done
    in this process passes :data:`KERNEL_AFTER_STEPS`. ``total`` is updated in place for the
    trials still running; returns which those are."""
    global _steps
    _steps += picks.size
    compiled = (
        _force if _force is not None else ("numba" in sys.modules or _steps > KERNEL_AFTER_STEPS)
    )
    if compiled:
        from scaleplan.analysis.forecasting import kernel

        result: np.ndarray = kernel.first_passage(
            flat, width, row, scale, need, total, picks, done_weeks, days
        )
        return result
    return first_passage_numpy(flat, width, row, scale, need, total, picks, done_weeks, days)


def first_passage_numpy(
    flat: np.ndarray,
    width: int,
    row: np.ndarray,
    scale: np.ndarray,
    need: np.ndarray,
    total: np.ndarray,
    picks: np.ndarray,
    done_weeks: int,
    days: np.ndarray,
) -> np.ndarray:
    """:func:`first_passage` in numpy, summing in the kernel's order (the running total first,
    then week by week) so both give the same floats."""
    weeks = flat[(row * width)[:, None] + picks] * scale[:, None]
    running = np.cumsum(np.concatenate([total[:, None], weeks], axis=1), axis=1)[:, 1:]
    reached = running >= (need - 1e-9)[:, None]
    hit = reached[:, -1]  # weeks are >= 0, so the running total never falls
    k = np.nonzero(hit)[0]
    if k.size:
        j = np.argmax(reached[k], axis=1)
        before = np.where(j > 0, running[k, np.maximum(j - 1, 0)], total[k])
        share = (need[k] - before) / weeks[k, j]
        days[k] = 7.0 * (done_weeks + j) + np.ceil(7.0 * share - 1e-9)
    keep = ~hit
    total[keep] = running[keep, -1]
    return np.asarray(keep)


def winsorize(window: np.ndarray, factor: float = WINSOR_FACTOR) -> np.ndarray:
    """Cap each week at ``factor`` x the window mean (at least ``factor`` items)."""
    cap = factor * max(float(window.mean()), 1.0)
    return np.minimum(window.astype(np.float64), cap)


def level_ratio(
    windows: np.ndarray,
    halflife: float = LEVEL_HALFLIFE_WEEKS,
    factor: float = WINSOR_FACTOR,
) -> np.ndarray:
    """Recent pace over mean pace of each row of ``(B, W)`` weekly ``windows`` (oldest week
    first), both of the weeks capped as in :func:`winsorize`; a 1-D window gives a 0-d array.

    The recent pace weighs the week ``a`` weeks before the newest by ``0.5 ** (a / halflife)``.
    Rows with no completions give 1.0. Otherwise the ratio is at least ``W`` times the oldest
    week's share of the weights (about 0.1 for 26 weeks and a half-life of 5), so a forecast
    scaled by it stays finite.

    >>> level_ratio(np.array([2.0, 2.0, 2.0, 2.0])).item()
    1.0
    """
    values = np.asarray(windows, dtype=np.float64)
    rows = np.atleast_2d(values)
    means = rows.mean(axis=1)
    capped = np.minimum(rows, factor * np.maximum(means, 1.0)[:, None])
    age = np.arange(rows.shape[1] - 1, -1, -1, dtype=np.float64)
    weights = np.power(0.5, age / halflife)
    recent = capped @ (weights / weights.sum())
    mean = capped.mean(axis=1)
    ratio = np.where(mean > 0, recent / np.where(mean > 0, mean, 1.0), 1.0)
    return np.asarray(ratio.reshape(values.shape[:-1]), dtype=np.float64)


def simulate_when(
    window: np.ndarray,
    items: int,
    trials: int,
    rng: np.random.Generator,
    *,
    multipliers: np.ndarray | None = None,
    max_weeks: int = 5200,
) -> np.ndarray:
    """Days until ``items`` more items are done, one value per trial.

    Each trial draws weeks from ``window`` with replacement (times its multiplier, if given)
    until the running total reaches ``items``. A window with no completions gives ``inf``.

    >>> rng = np.random.default_rng(1)
    >>> simulate_when(np.array([5, 5, 5]), 12, 3, rng).tolist()
    [17.0, 17.0, 17.0]
    """
    if items <= 0:
        return np.zeros(trials)
    values = np.asarray(window, dtype=np.float64)
    if values.size == 0:
        return np.full(trials, np.inf)
    return simulate_when_batch(
        values[None, :],
        np.array([items]),
        trials,
        rng,
        multipliers=None if multipliers is None else np.asarray(multipliers)[None, :],
        max_weeks=max_weeks,
    )[0]


def simulate_when_batch(
    windows: np.ndarray,
    items: np.ndarray,
    trials: int,
    rng: np.random.Generator,
    *,
    multipliers: np.ndarray | None = None,
    max_weeks: int = 5200,
) -> np.ndarray:
    """:func:`simulate_when` for many windows at once: ``windows`` is ``(B, W)``, ``items``
    ``(B,)``, ``multipliers`` ``(B, trials)``; returns ``(B, trials)`` days."""
    values = np.asarray(windows, dtype=np.float64)
    batch, width = values.shape
    need = np.asarray(items, dtype=np.float64)
    out = np.full((batch, trials), np.inf)
    means = values.mean(axis=1)
    if multipliers is not None:
        means = means * multipliers.mean(axis=1)
    live = means > 0
    if not live.any():
        return out
    # every (window, trial) pair still running, as flat arrays
    row = np.repeat(np.nonzero(live)[0], trials)
    col = np.tile(np.arange(trials), int(live.sum()))
    scale = multipliers[row, col] if multipliers is not None else np.ones(row.size)
    total = np.zeros(row.size)
    flat = np.ascontiguousarray(values.ravel())
    ratio = float(np.median(need[live] / means[live]))
    chunk = int(min(max(4, math.ceil(1.2 * ratio) + 2), 256))
    done_weeks = 0
    while row.size and done_weeks < max_weeks:
        picks = draw_indices(rng, width, (row.size, chunk))
        days = np.full(row.size, np.inf)
        running = first_passage(flat, width, row, scale, need[row], total, picks, done_weeks, days)
        out[row[~running], col[~running]] = days[~running]
        total = total[running]
        row = row[running]
        col = col[running]
        scale = scale[running]
        done_weeks += chunk
        chunk = min(chunk * 2, 1024)
    return out


def simulate_how_many_batch(
    windows: np.ndarray,
    weeks: int,
    trials: int,
    rng: np.random.Generator,
    *,
    multipliers: np.ndarray | None = None,
) -> np.ndarray:
    """:func:`simulate_how_many` for many ``(B, W)`` windows at once; ``(B, trials)`` counts."""
    values = np.asarray(windows, dtype=np.float64)
    batch, width = values.shape
    rows = np.arange(batch)[:, None, None]
    total = values[rows, draw_indices(rng, width, (batch, trials, weeks))].sum(axis=2)
    if multipliers is not None:
        total = total * multipliers
    return np.floor(total + 1e-9)


def simulate_how_many(
    window: np.ndarray,
    weeks: int,
    trials: int,
    rng: np.random.Generator,
    *,
    days: int = 0,
    multipliers: np.ndarray | None = None,
) -> np.ndarray:
    """Items done in ``weeks`` whole weeks plus ``days`` extra days (a partial week counts its
    share of a sampled week, rounded down), one value per trial."""
    values = np.asarray(window, dtype=np.float64)
    if values.size == 0:
        return np.zeros(trials)
    total = np.zeros(trials)
    remaining = weeks
    while remaining > 0:
        step = min(remaining, 512)
        draws = values[draw_indices(rng, values.size, (trials, step))]
        if multipliers is not None:
            draws = draws * multipliers[:, None]
        total += draws.sum(axis=1)
        remaining -= step
    if days:
        extra = values[draw_indices(rng, values.size, trials)] * (days / 7.0)
        if multipliers is not None:
            extra = extra * multipliers
        total += extra
    return np.floor(total + 1e-9)


def quantile_error(samples: np.ndarray, level: float, *, presorted: bool = False) -> float:
    """Monte Carlo standard error of the ``level`` quantile of ``samples``, from the spread of
    the order statistics ``level +- 1.96 sqrt(level(1-level)/n)`` (distribution-free).
    ``presorted``: ``samples`` is already in ascending order (``inf`` last)."""
    finite = samples[np.isfinite(samples)]
    if not presorted:
        finite = np.sort(finite)
    n = finite.size
    if n < 2:
        return math.inf
    half = 1.96 * math.sqrt(level * (1 - level) / n)
    lo = finite[max(0, math.floor((level - half) * (n - 1)))]
    hi = finite[min(n - 1, math.ceil((level + half) * (n - 1)))]
    return float(hi - lo) / (2 * 1.96)


__all__ = [
    "KERNEL_AFTER_STEPS",
    "LEVEL_HALFLIFE_WEEKS",
    "WINSOR_FACTOR",
    "draw_indices",
    "first_passage",
    "first_passage_numpy",
    "level_ratio",
    "quantile_error",
    "simulate_how_many",
    "simulate_how_many_batch",
    "simulate_when",
    "simulate_when_batch",
    "use_kernel",
    "winsorize",
]
