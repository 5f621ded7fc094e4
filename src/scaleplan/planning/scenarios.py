"""What-if scenarios, planning side: the plans before and after a scenario, compared.

A scenario is read and applied by :mod:`scaleplan.loading.scenarios` (it re-validates the
changed program); this module only compares two :class:`ProgramPlan` results.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from scaleplan.errors import InputError
from scaleplan.model.scenario import Scenario
from scaleplan.planning.program_plan import ProgramPlan
from scaleplan.planning.result import PlannedItem, PlanResult

# -- comparison --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Move:
    item: str
    team: str | None
    before: str | None
    after: str | None
    delta_start: int
    delta_end: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "team": self.team,
            "before_end": self.before,
            "after_end": self.after,
            "delta_start": self.delta_start,
            "delta_end": self.delta_end,
        }


@dataclass(frozen=True, slots=True)
class LandingChange:
    initiative: str
    before: str | None
    after: str | None
    #: Periods later (positive) or earlier; None when dropped or new.
    delta: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "initiative": self.initiative,
            "before": self.before,
            "after": self.after,
            "delta": self.delta,
        }


@dataclass(frozen=True)
class Comparison:
    """What a scenario changes in the plan."""

    scenario: str
    changes: tuple[str, ...]
    before_status: str
    after_status: str
    before_end: str | None
    after_end: str | None
    moved: tuple[Move, ...]
    landings: tuple[LandingChange, ...]
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    before_warnings: int = 0
    after_warnings: int = 0
    stats: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "changes": list(self.changes),
            "before": {
                "status": self.before_status,
                "last_end": self.before_end,
                "warnings": self.before_warnings,
            },
            "after": {
                "status": self.after_status,
                "last_end": self.after_end,
                "warnings": self.after_warnings,
            },
            "moved": [m.to_dict() for m in self.moved],
            "landings": [x.to_dict() for x in self.landings],
            "added": list(self.added),
            "removed": list(self.removed),
            "stats": dict(self.stats),
        }


def compare_plans(
    before: ProgramPlan, after: ProgramPlan, *, scenario: Scenario | None = None
) -> Comparison:
    """Item-by-item and initiative-by-initiative differences of two program plans."""
    b, a = before.shown, after.shown
    b_items, a_items = b.by_id, a.by_id
    moved = []
    for ident in sorted(set(b_items) & set(a_items)):
        x, y = b_items[ident], a_items[ident]
        if ident.startswith("@"):
            continue
        if (x.start, x.end) != (y.start, y.end):
            moved.append(
                Move(
                    ident, y.team, _iso(b, x.end), _iso(a, y.end), y.start - x.start, y.end - x.end
                )
            )
    moved.sort(key=lambda m: (-abs(m.delta_end), m.item))
    landings = _landing_changes(before, after)
    b_board, a_board = before.board, after.board
    return Comparison(
        scenario=scenario.name if scenario else "scenario",
        changes=tuple(scenario.describe()) if scenario else (),
        before_status=before.result.status,
        after_status=after.result.status,
        before_end=_iso(b, b.makespan or 0),
        after_end=_iso(a, a.makespan or 0),
        moved=tuple(moved),
        landings=landings,
        added=tuple(sorted(i for i in set(a_items) - set(b_items) if not i.startswith("@"))),
        removed=tuple(sorted(i for i in set(b_items) - set(a_items) if not i.startswith("@"))),
        before_warnings=len(b_board.warnings) if b_board else 0,
        after_warnings=len(a_board.warnings) if a_board else 0,
        stats={"before_objective": b.objective, "after_objective": a.objective},
    )


def _landing_changes(before: ProgramPlan, after: ProgramPlan) -> tuple[LandingChange, ...]:
    def ends(pp: ProgramPlan) -> dict[str, int]:
        items = pp.shown.by_id
        problem = pp.shown_problem
        return {
            ms.id: max(items[problem.activities[i].id].end for i in ms.activities)
            for ms in problem.milestones
            if ms.activities and all(problem.activities[i].id in items for i in ms.activities)
        }

    b, a = ends(before), ends(after)
    out = []
    for init in sorted(set(b) | set(a)):
        x, y = b.get(init), a.get(init)
        if x == y:
            continue
        out.append(
            LandingChange(
                init,
                None if x is None else _iso(before.shown, x),
                None if y is None else _iso(after.shown, y),
                None if x is None or y is None else y - x,
            )
        )
    out.sort(key=lambda c: (-(abs(c.delta) if c.delta is not None else 10**9), c.initiative))
    return tuple(out)


def _iso(result: PlanResult, period: int) -> str | None:
    """The date work ending at ``period`` is done (the period number without a calendar)."""
    d = result.finish_date(period)
    return d.isoformat() if d else str(period)


def plan_from_json(data: Any, source: str = "<plan>") -> PlanResult:
    """A :class:`PlanResult` from ``plan.json`` written by ``scaleplan plan --out`` (its
    ``plan`` key) or from ``PlanResult.to_dict()`` output - used as a re-planning baseline."""
    if isinstance(data, dict) and "plan" in data and isinstance(data["plan"], dict):
        data = data["plan"]
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise InputError(f"{source}: not a plan (expected 'items' from scaleplan plan --out)")
    items = []
    for k, row in enumerate(data["items"]):
        try:
            items.append(
                PlannedItem(
                    id=str(row["id"]),
                    team=row.get("team"),
                    start=int(row["start"]),
                    end=int(row["end"]),
                    people=float(row.get("people", 0.0)),
                    mode=int(row.get("mode", 0)),
                )
            )
        except (KeyError, TypeError, ValueError):
            raise InputError(f"{source}: items[{k}] needs id, start and end") from None
    origin = data.get("origin")
    status = data.get("status", "feasible")
    if status not in ("optimal", "feasible", "infeasible", "unknown"):
        raise InputError(f"{source}: unknown plan status {status!r}")
    return PlanResult(
        status=status,
        backend=str(data.get("backend", "baseline")),
        objective=data.get("objective"),
        bound=data.get("bound"),
        runtime=0.0,
        items=tuple(items),
        unit=str(data.get("unit", "week")),
        origin=dt.date.fromisoformat(origin) if origin else None,
    )


__all__ = [
    "Comparison",
    "LandingChange",
    "Move",
    "compare_plans",
    "plan_from_json",
]
