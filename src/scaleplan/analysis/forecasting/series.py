"""Completion series: daily and weekly throughput of a history on a fixed weekly grid."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from scaleplan.errors import InputError
from scaleplan.model.history import History


@dataclass(frozen=True)
class Series:
    """Completions per day from ``origin`` (day 0) to ``end`` (the last day with data).

    ``weekly(j)`` bins are ``[origin + 7w, origin + 7w + 7)``; origin is chosen so the last
    bin ends exactly on ``end + 1 day`` when built with ``align_end=True``.
    """

    origin: dt.date
    daily: np.ndarray  # int64 counts per day
    name: str = "history"

    @property
    def days(self) -> int:
        return int(self.daily.size)

    @property
    def end(self) -> dt.date:
        """Last day covered by the data."""
        return self.origin + dt.timedelta(days=self.days - 1)

    @property
    def cumulative(self) -> np.ndarray:
        return np.cumsum(self.daily)

    def weekly(self) -> np.ndarray:
        """Completions per whole week from day 0 (a trailing partial week is dropped)."""
        weeks = self.days // 7
        return self.daily[: weeks * 7].reshape(weeks, 7).sum(axis=1)

    def day_of(self, when: dt.date) -> int:
        return (when - self.origin).days


def completion_series(
    history: History,
    *,
    end: dt.date | None = None,
    start: dt.date | None = None,
) -> Series:
    """Daily completions of ``history`` from ``start`` (default: aligned so whole weeks end at
    ``end``) to ``end`` (default: the last day with any event). Items done after ``end`` are
    ignored; the first week starts on or before the first completion."""
    done = [i.done.date() for i in history.items if i.done is not None]
    if not done:
        raise InputError(f"{history.name}: no finished items, so there is no throughput")
    if end is None:
        span = history.span()
        assert span is not None
        end = max(span[1].date(), max(done))
    first = min(done)
    if first > end:
        raise InputError(f"{history.name}: nothing was finished by {end}")
    if start is None:
        weeks = ((end - first).days // 7) + 1
        start = end - dt.timedelta(days=7 * weeks - 1)
    days = (end - start).days + 1
    offsets = np.array([(d - start).days for d in done], dtype=np.int64)
    offsets = offsets[(offsets >= 0) & (offsets < days)]
    daily = np.bincount(offsets, minlength=days).astype(np.int64)
    return Series(start, daily, history.name)


__all__ = ["Series", "completion_series"]
