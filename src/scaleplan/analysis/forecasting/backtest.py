"""Backtest: replay histories at every past week, per question type and horizon, and measure
how often the actual outcome fell within each forecast percentile.

For "when" questions a percentile held when the actual completion came on or before it; for
"how many" when at least that many items were done. A "when" forecast whose outcome lies past
the end of the data is counted only if the percentile was already passed (a known miss).

Reported per question, horizon and method: coverage at each level, the median actual/P50
(1.0 = unbiased), the median P85/P50 and P95/P50 (interval width; for "how many" the ratios are
(P50+1)/(P85+1) so that wider is larger), and the share of unbounded forecasts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from scaleplan.analysis.forecasting.calibration import LEVELS, CalibrationSettings
from scaleplan.analysis.forecasting.prior import builtin_prior
from scaleplan.analysis.forecasting.replay import (
    WINDOW_WEEKS,
    Prepared,
    Question,
    calibrate,
    prepare,
)
from scaleplan.analysis.forecasting.series import completion_series
from scaleplan.errors import InputError, UsageError
from scaleplan.model.history import History

PriorMode = Literal["auto", "builtin", "pooled", "none"]
HORIZONS: tuple[int, ...] = (4, 13, 26)
Progress = Callable[[int, int, str], None]


def _level_key(level: float) -> str:
    return f"p{round(level * 100)}"


@dataclass(frozen=True)
class MethodScore:
    """How one method did on one question and horizon."""

    method: str
    forecasts: int
    coverage: dict[str, float]
    median_actual_over_p50: float
    median_p85_over_p50: float
    median_p95_over_p50: float
    unbounded: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "forecasts": self.forecasts,
            "coverage": {k: round(v, 4) for k, v in self.coverage.items()},
            "median_actual_over_p50": round(self.median_actual_over_p50, 4),
            "median_p85_over_p50": round(self.median_p85_over_p50, 4),
            "median_p95_over_p50": round(self.median_p95_over_p50, 4),
            "unbounded": round(self.unbounded, 4),
        }


@dataclass(frozen=True)
class BacktestCell:
    """Scores of every method for one question type and horizon."""

    question: str
    horizon_weeks: int
    histories: int
    skipped_origins: int
    methods: tuple[MethodScore, ...]

    def method(self, name: str) -> MethodScore:
        for score in self.methods:
            if score.method == name:
                return score
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "horizon_weeks": self.horizon_weeks,
            "histories": self.histories,
            "skipped_origins": self.skipped_origins,
            "methods": [m.to_dict() for m in self.methods],
        }


@dataclass(frozen=True)
class HistoryScore:
    """P85 coverage of each method on one history (per question and horizon)."""

    name: str
    question: str
    horizon_weeks: int
    forecasts: int
    p85: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "question": self.question,
            "horizon_weeks": self.horizon_weeks,
            "forecasts": self.forecasts,
            "p85": {k: round(v, 4) for k, v in self.p85.items()},
        }


@dataclass(frozen=True)
class BacktestResult:
    """A backtest over one or more histories."""

    histories: tuple[str, ...]
    levels: tuple[float, ...]
    prior: str
    trials: int
    seed: int
    window_weeks: int
    cells: tuple[BacktestCell, ...]
    per_history: tuple[HistoryScore, ...]
    excluded: tuple[str, ...] = ()

    def cell(self, question: str, horizon: int) -> BacktestCell:
        for cell in self.cells:
            if cell.question == question and cell.horizon_weeks == horizon:
                return cell
        raise KeyError((question, horizon))

    def to_dict(self) -> dict[str, Any]:
        return {
            "histories": list(self.histories),
            "excluded": list(self.excluded),
            "levels": list(self.levels),
            "prior": self.prior,
            "trials": self.trials,
            "seed": self.seed,
            "window_weeks": self.window_weeks,
            "cells": [c.to_dict() for c in self.cells],
            "per_history": [h.to_dict() for h in self.per_history],
        }


def score_method(
    prepared: Sequence[Prepared], method: str, levels: Sequence[float] = LEVELS
) -> MethodScore:
    """Coverage, bias and width of ``method`` over the origins of ``prepared``."""
    hits = np.zeros(len(levels))
    counted = np.zeros(len(levels))
    ratios: list[np.ndarray] = []
    w85: list[np.ndarray] = []
    w95: list[np.ndarray] = []
    unbounded = 0
    total = 0
    i50 = _index(levels, 0.5)
    i85 = _index(levels, 0.85)
    i95 = _index(levels, 0.95)
    for p in prepared:
        q = p.quantiles.get(method)
        if q is None or q.shape[0] == 0:
            continue
        total += q.shape[0]
        actual = p.actual[:, None]
        if p.question == "when":
            decidable = np.isfinite(actual) | (q < p.censor[:, None])
            hit = actual <= q
            ratios.append(np.where(np.isfinite(p.actual), p.actual, np.inf) / q[:, i50])
            w85.append(q[:, i85] / q[:, i50])
            w95.append(q[:, i95] / q[:, i50])
        else:
            decidable = np.ones_like(q, dtype=bool)
            hit = actual >= q
            ratios.append((p.actual + 1.0) / (q[:, i50] + 1.0))
            w85.append((q[:, i50] + 1.0) / (q[:, i85] + 1.0))
            w95.append((q[:, i50] + 1.0) / (q[:, i95] + 1.0))
        hits += (hit & decidable).sum(axis=0)
        counted += decidable.sum(axis=0)
        unbounded += int((~np.isfinite(q[:, i95])).sum())
    coverage = {
        _level_key(level): float(hits[k] / counted[k]) if counted[k] else float("nan")
        for k, level in enumerate(levels)
    }

    def median(parts: list[np.ndarray]) -> float:
        return float(np.median(np.concatenate(parts))) if parts else float("nan")

    return MethodScore(
        method=method,
        forecasts=total,
        coverage=coverage,
        median_actual_over_p50=median(ratios),
        median_p85_over_p50=median(w85),
        median_p95_over_p50=median(w95),
        unbounded=unbounded / total if total else 0.0,
    )


def _index(levels: Sequence[float], level: float) -> int:
    for k, value in enumerate(levels):
        if abs(value - level) < 1e-9:
            return k
    raise UsageError(f"the backtest needs level {level:g} among the levels")


def pooled_priors(
    prepared: Sequence[Prepared], *, grid: int = 40, step_days: int = 91, minimum: int = 50
) -> list[Callable[[int], np.ndarray | None]]:
    """For each prepared history, a prior made of the *other* histories' scores that were
    already due at the same calendar date (leave-one-history-out, no look-ahead)."""
    if not prepared:
        return []
    horizon_days = 7 * prepared[0].horizon
    stride = max(1, prepared[0].horizon // 2)
    owner: list[np.ndarray] = []
    when: list[np.ndarray] = []
    actual: list[np.ndarray] = []
    raw: list[np.ndarray] = []
    for k, p in enumerate(prepared):
        pick = slice(None, None, stride)
        when.append(p.origin_date_ordinal + p.t[pick])
        owner.append(np.full(when[-1].size, k))
        actual.append(p.actual[pick])
        raw.append(p.raw50[pick])
    all_owner = np.concatenate(owner)
    all_when = np.concatenate(when).astype(np.float64)
    all_actual = np.concatenate(actual)
    all_raw = np.concatenate(raw)
    question = prepared[0].question
    levels = (np.arange(grid) + 0.5) / grid
    cache: dict[tuple[int, int], np.ndarray | None] = {}

    def grid_at(period: int, exclude: int) -> np.ndarray | None:
        key = (period, exclude)
        if key not in cache:
            now = float(period * step_days)
            mask = (all_when + horizon_days <= now) & (all_owner != exclude)
            if mask.sum() < minimum:
                cache[key] = None
            else:
                if question == "when":
                    known = np.minimum(all_actual[mask], now - all_when[mask])
                    scores = np.log(np.maximum(known, 1.0) / all_raw[mask])
                else:
                    scores = -np.log((all_actual[mask] + 1.0) / (all_raw[mask] + 1.0))
                cache[key] = np.quantile(scores, levels)
        return cache[key]

    def make(k: int) -> Callable[[int], np.ndarray | None]:
        base = prepared[k].origin_date_ordinal

        def prior(t: int) -> np.ndarray | None:
            return grid_at((base + t) // step_days, k)

        return prior

    return [make(k) for k in range(len(prepared))]


def reference_scores(prepared: Sequence[Prepared], *, grid: int = 40) -> np.ndarray:
    """Quantiles (levels ``(k + 0.5) / grid``) of every history's scores as known at the end of
    its data: the table behind :func:`scaleplan.analysis.forecasting.prior.builtin_prior`."""
    parts: list[np.ndarray] = []
    for p in prepared:
        stride = max(1, p.horizon // 2)
        idx = np.arange(0, p.t.size, stride)
        if idx.size:
            from scaleplan.analysis.forecasting.replay import own_scores

            parts.append(own_scores(p, p.days, idx))
    if not parts:
        raise InputError("no forecasts to learn a prior from")
    levels = (np.arange(grid) + 0.5) / grid
    return np.asarray(np.quantile(np.concatenate(parts), levels))


def backtest(
    histories: Sequence[History],
    *,
    questions: Sequence[Question] = ("when", "how-many"),
    horizons: Sequence[int] = HORIZONS,
    methods: Sequence[str] = ("bootstrap", "calibrated"),
    prior: PriorMode = "auto",
    trials: int = 400,
    seed: int = 7,
    levels: tuple[float, ...] = LEVELS,
    window: int = WINDOW_WEEKS,
    settings: CalibrationSettings = CalibrationSettings(),
    progress: Progress | None = None,
) -> BacktestResult:
    """Replay every history at every past week and score each method.

    ``prior``: ``builtin`` uses the shipped reference prior (learned on TAWOS), ``pooled`` the
    other histories' errors due before each forecast date, ``none`` own errors only; ``auto``
    is ``pooled`` for 5 or more histories, else ``builtin``.
    """
    unknown = [m for m in methods if m not in ("bootstrap", "drift", "conformal", "calibrated")]
    if unknown:
        raise UsageError(f"unknown method {unknown[0]!r}")
    mode = prior
    if mode == "auto":
        mode = "pooled" if len(histories) >= 5 else "builtin"
    series_list = []
    excluded: list[str] = []
    for history in histories:
        try:
            series = completion_series(history)
        except InputError:
            excluded.append(history.name)
            continue
        if series.weekly().size < window + min(horizons) + 1:
            excluded.append(history.name)
            continue
        series_list.append(series)
    if not series_list:
        raise InputError(
            f"no history has the {window + min(horizons) + 1} weeks of completions a backtest needs"
        )
    rng = np.random.default_rng(seed)
    needs_base = tuple(dict.fromkeys(("bootstrap", *methods)))
    cells: list[BacktestCell] = []
    per_history: list[HistoryScore] = []
    steps = len(questions) * len(horizons) * len(series_list)
    done = 0
    for question in questions:
        for horizon in horizons:
            prepared: list[Prepared] = []
            for series in series_list:
                if progress:
                    progress(done, steps, f"{question} {horizon}w {series.name}")
                prepared.append(
                    prepare(
                        series,
                        question,
                        horizon,
                        levels=levels,
                        trials=trials,
                        window=window,
                        methods=needs_base,
                        rng=rng,
                    )
                )
                done += 1
            if "calibrated" in methods:
                if mode == "pooled":
                    priors: list[Any] = pooled_priors(prepared)
                elif mode == "builtin":
                    priors = [builtin_prior(question, horizon)] * len(prepared)
                else:
                    priors = [None] * len(prepared)
                for p, p_prior in zip(prepared, priors, strict=True):
                    calibrate(p, levels=levels, prior=p_prior, settings=settings)
            if "conformal" in methods:
                own_only = CalibrationSettings(prior_weight=0.0, adaptive=False)
                for p in prepared:
                    calibrate(p, levels=levels, prior=None, settings=own_only, method="conformal")
            scores = tuple(score_method(prepared, m, levels) for m in methods)
            cells.append(
                BacktestCell(
                    question=question,
                    horizon_weeks=horizon,
                    histories=len(prepared),
                    skipped_origins=sum(p.skipped for p in prepared),
                    methods=scores,
                )
            )
            for p in prepared:
                per_history.append(
                    HistoryScore(
                        name=p.name,
                        question=question,
                        horizon_weeks=horizon,
                        forecasts=int(p.t.size),
                        p85={m: score_method([p], m, levels).coverage["p85"] for m in methods},
                    )
                )
    if progress:
        progress(steps, steps, "done")
    return BacktestResult(
        histories=tuple(s.name for s in series_list),
        levels=levels,
        prior=mode,
        trials=trials,
        seed=seed,
        window_weeks=window,
        cells=tuple(cells),
        per_history=tuple(per_history),
        excluded=tuple(excluded),
    )


__all__ = [
    "HORIZONS",
    "BacktestCell",
    "BacktestResult",
    "HistoryScore",
    "MethodScore",
    "backtest",
    "pooled_priors",
    "reference_scores",
    "score_method",
]
