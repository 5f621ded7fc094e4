"""The plan every plan-based section shows, and small coercion helpers for analysis results."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from scaleplan.reports.registry import ReportContext, Unavailable

RagValue = Literal["green", "amber", "red"]


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _first_list(data: Mapping[str, Any], *keys: str) -> list[Any]:
    for key in keys:
        value = data.get(key)
        if isinstance(value, list):
            return value
    return []


def _as_dict(result: Any) -> dict[str, Any]:
    if hasattr(result, "to_dict"):
        data = result.to_dict()
        if isinstance(data, dict):
            return data
    if isinstance(result, Mapping):
        return dict(result)
    raise TypeError(f"unexpected analysis result {type(result).__name__}")


@dataclass(frozen=True)
class PlannedRow:
    id: str
    team: str | None
    start: int
    end: int
    start_date: dt.date
    end_date: dt.date


@dataclass(frozen=True)
class Plan:
    """A plan reduced to what the charts need."""

    status: str
    backend: str
    origin: dt.date
    period_days: int
    rows: dict[str, PlannedRow]
    problem: Any
    result: Any


def optional(module: str, *names: str, what: str) -> list[Any]:
    """Attributes ``names`` of ``module``, or :class:`Unavailable` naming ``what`` is missing.

    Used for analyses that may not be installed (imported by name, so type checking does not
    depend on them being present)."""
    try:
        mod = importlib.import_module(module)
        return [getattr(mod, name) for name in names]
    except (ImportError, AttributeError):
        raise Unavailable(f"needs {what} ({module}), not in this version") from None


def plan_of(ctx: ReportContext) -> Plan:
    """Plan the program once per context with the planner's fast back-end; when hard deadlines
    cannot all hold, the plan shown is the planner's best one with them relaxed (as
    ``scaleplan plan`` shows it)."""
    (plan_program,) = optional("scaleplan.planning", "plan_program", what="the planning engine")

    def compute() -> Plan:
        planned = plan_program(
            ctx.program, backend="heuristic", time_limit=ctx.time_limit, seed=ctx.seed
        )
        shown = planned.shown
        problem = planned.problem
        if shown is not planned.result and planned.relaxed_problem is not None:
            problem = planned.relaxed_problem
        return plan_from(problem, shown, ctx.program.calendar.start)

    plan: Plan = ctx.memo("plan", compute)
    return plan


def _short(reason: object) -> str:
    """The first clause of a reason (the full one is shown by the program board)."""
    text = str(reason)
    return text.split(": ", 1)[0] if text.startswith("no feasible plan") else text


def plan_from(problem: Any, result: Any, default_origin: dt.date) -> Plan:
    """A :class:`Plan` from the planner's problem and ``PlanResult``; :class:`Unavailable`
    when the result holds no plan (with the planner's diagnosis)."""
    if not result.has_plan:
        findings = "; ".join(f.message for f in result.diagnosis[:3])
        raise Unavailable(
            f"no feasible plan ({result.status}){': ' + findings if findings else ''}"
        )
    origin = result.origin or default_origin
    rows = {}
    for item in result.items:
        start, end = result.date_of(item.start), result.date_of(item.end)
        rows[item.id] = PlannedRow(
            item.id, item.team, item.start, item.end, start or origin, end or origin
        )
    return Plan(result.status, result.backend, origin, result.period_days, rows, problem, result)


__all__ = ["Plan", "PlannedRow", "RagValue", "optional", "plan_from", "plan_of"]
