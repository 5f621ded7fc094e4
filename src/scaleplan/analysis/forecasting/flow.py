"""Flow metrics from a work-item history (Vacanti, *Actionable Agile Metrics*):

* **throughput**: items finished per week (weeks end on the ``as_of`` day);
* **cycle time**: days from the first entry into an in-progress status to done;
* **lead time**: days from creation to done;
* **WIP**: items started and not finished, now and at the end of each week;
* **item age**: days since start of each item in progress, flagged when older than the
  85th percentile of cycle time (the item is already slower than 85% of finished ones).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from scaleplan.errors import InputError
from scaleplan.model.history import History, to_datetime

PERCENTILES = (0.5, 0.7, 0.85, 0.95)


@dataclass(frozen=True)
class Distribution:
    """Count, mean and percentiles of a set of durations in days."""

    count: int
    mean: float | None
    percentiles: dict[str, float]

    @classmethod
    def of(cls, values: list[float]) -> Distribution:
        if not values:
            return cls(0, None, {})
        arr = np.asarray(values, dtype=np.float64)
        return cls(
            int(arr.size),
            float(arr.mean()),
            {f"p{round(p * 100)}": float(np.quantile(arr, p)) for p in PERCENTILES},
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "mean": round(self.mean, 2) if self.mean is not None else None,
            "percentiles": {k: round(v, 2) for k, v in self.percentiles.items()},
        }


@dataclass(frozen=True)
class AgingItem:
    key: str
    type: str | None
    status: str | None
    age_days: float
    #: True when older than the 85th percentile of cycle time.
    late: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "type": self.type,
            "status": self.status,
            "age_days": round(self.age_days, 1),
            "late": self.late,
        }


@dataclass(frozen=True)
class WeekPoint:
    start: dt.date
    done: int
    wip: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "done": self.done, "wip": self.wip}


@dataclass(frozen=True)
class FlowMetrics:
    """Flow metrics of one history as of one date."""

    history: str
    as_of: dt.date
    items: int
    done: int
    open: int
    weeks: tuple[WeekPoint, ...]
    throughput: Distribution
    cycle_time: Distribution
    lead_time: Distribution
    wip: int | None
    aging: tuple[AgingItem, ...]
    by_type: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "history": self.history,
            "as_of": self.as_of.isoformat(),
            "items": self.items,
            "done": self.done,
            "open": self.open,
            "throughput_per_week": self.throughput.to_dict(),
            "cycle_time_days": self.cycle_time.to_dict(),
            "lead_time_days": self.lead_time.to_dict(),
            "wip": self.wip,
            "aging": [a.to_dict() for a in self.aging],
            "by_type": self.by_type,
            "weeks": [w.to_dict() for w in self.weeks],
        }


def flow_metrics(
    history: History, *, as_of: dt.date | None = None, weeks: int | None = 26
) -> FlowMetrics:
    """Flow metrics as of ``as_of`` (default: the last day with an event), with the weekly
    series over the last ``weeks`` weeks (``None``: the whole history)."""
    span = history.span()
    if span is None:
        raise InputError(f"{history.name}: the history is empty")
    if as_of is None:
        as_of = span[1].date()
    view = history.as_of(to_datetime(as_of))
    if not view.items:
        raise InputError(f"{history.name}: nothing existed by {as_of}")
    done_items = [i for i in view.items if i.done is not None]
    first = min(t for i in view.items for t in (i.created, i.started, i.done) if t is not None)
    total_weeks = max(1, ((as_of - first.date()).days // 7) + 1)
    shown = total_weeks if weeks is None else min(weeks, total_weeks)
    end = as_of + dt.timedelta(days=1)
    starts = [end - dt.timedelta(weeks=k) for k in range(total_weeks, 0, -1)]
    done_days = np.array(
        [(i.done.date() - end).days for i in done_items if i.done is not None], dtype=np.int64
    )
    counts = [
        int(((done_days >= (s - end).days) & (done_days < (s - end).days + 7)).sum())
        for s in starts
    ]
    has_starts = any(i.started is not None for i in view.items)
    started_at = np.array(
        [(i.started - first).total_seconds() for i in view.items if i.started is not None]
    )
    finished_at = np.array(
        [
            (i.done - first).total_seconds() if i.done is not None else np.inf
            for i in view.items
            if i.started is not None
        ]
    )
    points: list[WeekPoint] = []
    for s, count in zip(starts[-shown:], counts[-shown:], strict=True):
        wip = None
        if has_starts:
            cut = (dt.datetime.combine(s + dt.timedelta(days=7), dt.time()) - first).total_seconds()
            wip = int(((started_at < cut) & (finished_at >= cut)).sum())
        points.append(WeekPoint(s, count, wip))
    cycle = [c for i in done_items if (c := i.cycle_time_days) is not None]
    lead = [c for i in done_items if (c := i.lead_time_days) is not None]
    cycle_dist = Distribution.of(cycle)
    limit = cycle_dist.percentiles.get("p85")
    moment = to_datetime(as_of)
    aging_list: list[AgingItem] = []
    for i in view.items:
        if i.done is None and i.started is not None:
            age = (moment - i.started).total_seconds() / 86400.0
            aging_list.append(
                AgingItem(i.key, i.type, i.status, age, limit is not None and age > limit)
            )
    aging = sorted(aging_list, key=lambda a: -a.age_days)
    by_type: dict[str, int] = {}
    for item in view.items:
        by_type[item.type or "-"] = by_type.get(item.type or "-", 0) + 1
    return FlowMetrics(
        history=history.name,
        as_of=as_of,
        items=len(view.items),
        done=len(done_items),
        open=len(view.items) - len(done_items),
        weeks=tuple(points),
        throughput=Distribution.of([float(c) for c in counts[-shown:]]),
        cycle_time=cycle_dist,
        lead_time=Distribution.of(lead),
        wip=len(aging) if has_starts else None,
        aging=tuple(aging),
        by_type=dict(sorted(by_type.items(), key=lambda kv: -kv[1])),
    )


__all__ = ["AgingItem", "Distribution", "FlowMetrics", "WeekPoint", "flow_metrics"]
