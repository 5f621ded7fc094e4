"""What a back-end returns: a frozen :class:`PlanResult` with one :class:`PlannedItem` per
activity, or a diagnosis when no plan exists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["optimal", "feasible", "infeasible", "unknown"]


@dataclass(frozen=True, slots=True)
class PlannedItem:
    """Where one activity landed: periods ``[start, end)`` with ``people`` on it."""

    id: str
    team: str | None
    start: int
    end: int
    people: float
    #: Index of the chosen mode in the activity's ``modes``.
    mode: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "team": self.team,
            "start": self.start,
            "end": self.end,
            "people": self.people,
            "mode": self.mode,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """One reason a plan cannot exist (an infeasibility diagnosis)."""

    kind: Literal["deadline-chain", "capacity-short", "pinned-overload", "no-capacity", "conflict"]
    message: str
    #: The deadline, team or item concerned.
    subject: str | None = None
    #: Activity ids of the chain or set concerned, in order.
    chain: tuple[str, ...] = ()
    #: Person-weeks (or capacity units for abstract problems) missing.
    short: float | None = None
    #: Periods late for a deadline.
    late: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "message": self.message,
            "subject": self.subject,
            "chain": list(self.chain),
            "short": None if self.short is None else round(self.short, 2),
            "late": self.late,
        }


@dataclass(frozen=True)
class PlanResult:
    """The outcome of :func:`scaleplan.planning.solve`.

    ``objective`` and ``bound`` are in the problem's objective units (weight x periods, or
    periods for makespan); ``gap`` is ``(objective - bound) / objective`` (0 when proven
    optimal). An infeasible result has no items and carries ``diagnosis``.
    """

    status: Status
    backend: str
    objective: float | None
    bound: float | None
    runtime: float
    items: tuple[PlannedItem, ...] = ()
    diagnosis: tuple[Finding, ...] = ()
    unit: str = "period"
    origin: dt.date | None = None
    period_days: int = 7
    working_days: int = 5
    #: Back-end facts: rule that found the best plan, schedules tried, solver statistics.
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        if self.status == "optimal":
            return 0.0
        if self.objective <= 0:
            return 0.0
        return max(self.objective - self.bound, 0.0) / self.objective

    @property
    def makespan(self) -> int | None:
        if not self.items:
            return None
        return max(i.end for i in self.items)

    @property
    def has_plan(self) -> bool:
        return self.status in ("optimal", "feasible") and bool(self.items)

    @property
    def by_id(self) -> dict[str, PlannedItem]:
        return {i.id: i for i in self.items}

    def date_of(self, period: int) -> dt.date | None:
        """Calendar date at which ``period`` begins (``None`` for abstract problems)."""
        if self.origin is None:
            return None
        if self.unit == "day":
            weeks, day = divmod(period, self.period_days)
            return self.origin + dt.timedelta(weeks=weeks, days=day)
        return self.origin + dt.timedelta(days=period * self.period_days)

    def finish_date(self, end: int) -> dt.date | None:
        """Last working day of the period before ``end``: the date work ending at period
        ``end`` is done (a Friday for weekly plans with five working days)."""
        if self.origin is None:
            return None
        if end <= 0:
            return self.origin
        if self.unit == "day":
            return self.date_of(end - 1)
        start = self.date_of(end - 1)
        assert start is not None
        return start + dt.timedelta(days=min(self.working_days, self.period_days) - 1)

    def to_dict(self) -> dict[str, Any]:
        items = []
        for item in self.items:
            row = item.to_dict()
            start, end = self.date_of(item.start), self.finish_date(item.end)
            row["start_date"] = start.isoformat() if start else None
            row["end_date"] = end.isoformat() if end else None
            items.append(row)
        return {
            "status": self.status,
            "backend": self.backend,
            "objective": self.objective,
            "bound": self.bound,
            "gap": None if self.gap is None else round(self.gap, 6),
            "runtime": round(self.runtime, 3),
            "makespan": self.makespan,
            "unit": self.unit,
            "origin": self.origin.isoformat() if self.origin else None,
            "items": items,
            "diagnosis": [f.to_dict() for f in self.diagnosis],
            "stats": dict(self.stats),
        }


__all__ = ["Finding", "PlanResult", "PlannedItem", "Status"]
