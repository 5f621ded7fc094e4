"""Shared by the status analyses: thresholds, KR grades, capacity from a date, the open-work queues per team."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict
from typing import Any, Literal

from scaleplan.analysis.capacity import remaining_effort, team_capacity, week_of, week_start
from scaleplan.model import (
    KeyResult,
    Program,
    Status,
    WorkItem,
)

Rag = Literal["green", "amber", "red"]


#: Demand / capacity above which a team's load before a deadline turns an initiative amber.
AMBER_LOAD = 0.85


#: Demand / capacity above which the deadline cannot be met (red).
RED_LOAD = 1.0


#: Exposure (probability x impact in weeks) from which an open risk turns an initiative amber.
RISK_EXPOSURE_WEEKS = 1.0


#: Projections further out than this many weeks are reported as "beyond the horizon" (None).
HORIZON_WEEKS = 520


#: Projected dates that move by fewer days than this are not reported as slipped or improved.
MIN_SHIFT_DAYS = 3


_CLOSED = (Status.DONE, Status.CANCELLED)


_RANK = {"green": 0, "amber": 1, "red": 2}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


class _ToDict:
    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))  # type: ignore[call-overload]


def kr_grade(kr: KeyResult) -> float | None:
    """Google-style grade 0.0-1.0: progress from baseline to target, clamped.

    Works for falling metrics too (target below baseline). ``None`` when no current value.

    >>> from scaleplan.model import KeyResult
    >>> kr_grade(KeyResult(id="k", title="t", baseline=10, target=20, current=17))
    0.7
    >>> kr_grade(KeyResult(id="k", title="t", baseline=60, target=10, current=35))
    0.5
    """
    raw = _raw_grade(kr)
    return None if raw is None else round(raw, 4)


def _raw_grade(kr: KeyResult) -> float | None:
    # one grading rule for the whole tool (target == baseline is load error E305)
    from scaleplan.analysis.okrs import grade

    return None if kr.current is None else grade(kr.baseline, kr.target, kr.current)


class CapacityFrom:
    """Capacity of each team from an "as of" date on, in person-weeks, computed lazily.

    Week ``w`` of the calendar holds ``team_capacity(w)``, spread evenly over its seven days;
    time before the as-of date is not available.
    """

    def __init__(self, program: Program, as_of: dt.date) -> None:
        self.program = program
        self.as_of = as_of
        self.week0 = week_of(program, as_of)
        self.origin = week_start(program, self.week0)
        #: Days of the first week already gone on the as-of date.
        self.gone = (as_of - self.origin).days
        self._weekly: dict[str, list[float]] = {}
        self._sums: dict[str, list[float]] = {}

    def _week(self, team: str, i: int) -> float:
        """Full capacity of the ``i``-th week from the as-of week."""
        caps = self._weekly.setdefault(team, [])
        while len(caps) <= i:
            w = self.week0 + len(caps)
            caps.append(team_capacity(self.program, team, w) if w >= 0 else 0.0)
        return caps[i]

    def _prefix(self, team: str, k: int) -> float:
        """Sum of the full capacities of weeks ``0 .. k-1`` (prefix sums, extended lazily)."""
        sums = self._sums.setdefault(team, [0.0])
        while len(sums) <= k:
            sums.append(sums[-1] + self._week(team, len(sums) - 1))
        return sums[k]

    def now(self, team: str) -> float:
        """Full-week capacity of ``team`` in the week of the as-of date (or week 0)."""
        return team_capacity(self.program, team, max(self.week0, 0))

    def until(self, team: str, day: dt.date) -> float:
        """Person-weeks ``team`` has between the as-of date and ``day`` (0 if not after it)."""
        end = min((day - self.origin).days, HORIZON_WEEKS * 7)
        if end <= self.gone:
            return 0.0
        full, rest = divmod(end, 7)
        if full == 0:
            return self._week(team, 0) * (end - self.gone) / 7.0
        total = self._prefix(team, full) - self._week(team, 0) * self.gone / 7.0
        if rest:
            total += self._week(team, full) * rest / 7.0
        return total

    def when(self, team: str, demand: float) -> dt.date | None:
        """Day by which ``team`` has spent ``demand`` person-weeks from the as-of date on."""
        if demand <= 1e-9:
            return self.as_of
        spent = 0.0
        for i in range(HORIZON_WEEKS):
            cap = self._week(team, i)
            lo = max(i * 7, self.gone)
            days = i * 7 + 7 - lo
            available = cap * days / 7.0
            if available > 0 and spent + available >= demand - 1e-9:
                used = (demand - spent) / available * days
                return self.origin + dt.timedelta(days=math.ceil(lo + used - 1e-9))
            spent += available
        return None


def due_of(program: Program, item: WorkItem) -> dt.date | None:
    """An item's effective deadline: its own or its initiative's, whichever is earlier."""
    dates = [item.deadline]
    if item.initiative is not None:
        initiative = program.initiatives_by_id.get(item.initiative)
        if initiative is not None:
            dates.append(initiative.deadline)
    present = [d for d in dates if d is not None]
    return min(present) if present else None


def _open(item: WorkItem) -> bool:
    return item.status not in _CLOSED


def _team_queues(program: Program) -> dict[str, list[tuple[WorkItem, float, dt.date | None]]]:
    """Open items of each team in EDF order (due date, then file order) with remaining effort."""
    queues: dict[str, list[tuple[int, WorkItem, float, dt.date | None]]] = {}
    for index, item in enumerate(program.work_items):
        if not _open(item) or item.team not in program.teams_by_id:
            continue
        queues.setdefault(item.team, []).append(
            (index, item, remaining_effort(program, item), due_of(program, item))
        )
    out: dict[str, list[tuple[WorkItem, float, dt.date | None]]] = {}
    for team, rows in queues.items():
        rows.sort(key=lambda r: (r[3] is None, r[3] or dt.date.max, r[0]))
        out[team] = [(item, effort, due) for _, item, effort, due in rows]
    return out


def _fmt(x: float) -> str:
    return f"{x:.1f}"


__all__ = [
    "AMBER_LOAD",
    "HORIZON_WEEKS",
    "MIN_SHIFT_DAYS",
    "RED_LOAD",
    "RISK_EXPOSURE_WEEKS",
    "CapacityFrom",
    "Rag",
    "due_of",
    "kr_grade",
]
