"""Frozen results of forecasts, shared by the CLI, reports and the web."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any


def _num(value: float | None, digits: int = 4) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(value, digits)


#: Forecasts further out than this many days (100 years) get no date ("beyond").
MAX_DAYS = 36_500


def day_after(start: dt.date, days: float) -> dt.date | None:
    """The date of forecast day ``days`` (day 1 = ``start``), or ``None`` past ``MAX_DAYS``."""
    if not math.isfinite(days) or days > MAX_DAYS:
        return None
    return start + dt.timedelta(days=max(int(days), 1) - 1)


def level_key(level: float) -> str:
    """``0.85`` -> ``"p85"``."""
    return f"p{round(level * 100)}"


@dataclass(frozen=True)
class Percentile:
    """One percentile of a forecast: a number of days (and its date) or of items."""

    level: float
    value: float
    date: dt.date | None = None
    #: Monte Carlo standard error of ``value`` (same unit).
    mc_error: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "value": _num(self.value, 2),
            "date": self.date.isoformat() if self.date else None,
            "mc_error": _num(self.mc_error, 2),
        }


@dataclass(frozen=True)
class Coverage:
    """How often this kind of forecast held when replayed on the same history."""

    question: str
    horizon_weeks: int
    forecasts: int
    method: str
    p50: float | None
    p85: float | None
    p95: float | None
    baseline_p85: float | None
    baseline_p95: float | None

    def describe(self) -> str:
        if not self.forecasts or self.p85 is None:
            return "coverage not measured: the history is too short to replay"
        base = f"; plain bootstrap {self.baseline_p85:.0%}" if self.baseline_p85 is not None else ""
        return (
            f"P85 held {self.p85:.0%} of the time in {self.forecasts} replays of this history "
            f"({self.question}, {self.horizon_weeks} weeks ahead{base})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "horizon_weeks": self.horizon_weeks,
            "forecasts": self.forecasts,
            "method": self.method,
            "p50": _num(self.p50),
            "p85": _num(self.p85),
            "p95": _num(self.p95),
            "baseline_p85": _num(self.baseline_p85),
            "baseline_p95": _num(self.baseline_p95),
        }


@dataclass(frozen=True)
class ThroughputForecast:
    """ "When will N items be done" (days and dates) or "how many by a date" (items)."""

    question: str
    history: str
    start: dt.date
    method: str
    calibrated: bool
    percentiles: tuple[Percentile, ...]
    baseline: tuple[Percentile, ...]
    coverage: Coverage | None
    trials: int
    seed: int
    window_weeks: int
    mean_per_week: float
    done_before: int
    items: int | None = None
    by: dt.date | None = None
    #: Probability of meeting ``target`` (a date for "when", an item count for "how many").
    target: str | None = None
    probability: float | None = None
    #: Delivered items per backlog item (1.0: no splitting); ``items`` and the "how many"
    #: percentiles count backlog items, the simulation counts delivered ones.
    split_rate: float = 1.0
    #: Where the split rate came from ("none", "given" or "learned from N items ...").
    split_source: str = "none"
    #: Delivered items simulated for "when" (``ceil(items x split_rate)``).
    delivered_items: int | None = None

    def percentile(self, level: float) -> Percentile:
        for p in self.percentiles:
            if abs(p.level - level) < 1e-9:
                return p
        raise KeyError(level)

    def to_dict(self) -> dict[str, Any]:
        flat: dict[str, Any] = {}
        for p in self.percentiles:
            if self.question == "when":
                flat[level_key(p.level)] = p.date.isoformat() if p.date is not None else None
            else:
                flat[level_key(p.level)] = _num(p.value, 2)
        return {
            "question": self.question,
            "history": self.history,
            "start": self.start.isoformat(),
            "items": self.items,
            "by": self.by.isoformat() if self.by else None,
            **flat,
            "percentiles": [p.to_dict() for p in self.percentiles],
            "baseline": [p.to_dict() for p in self.baseline],
            "method": self.method,
            "calibrated": self.calibrated,
            "coverage": self.coverage.to_dict() if self.coverage else None,
            "target": self.target,
            "probability": _num(self.probability),
            "trials": self.trials,
            "seed": self.seed,
            "window_weeks": self.window_weeks,
            "mean_per_week": _num(self.mean_per_week, 3),
            "done_before": self.done_before,
            "split_rate": _num(self.split_rate, 4),
            "split_source": self.split_source,
            "delivered_items": self.delivered_items,
        }


__all__ = ["MAX_DAYS", "Coverage", "Percentile", "ThroughputForecast", "day_after", "level_key"]
