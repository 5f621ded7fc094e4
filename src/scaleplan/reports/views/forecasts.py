"""The forecasts section: Monte Carlo landing dates (P50/P85/P95) per initiative."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from scaleplan.reports.registry import ReportContext, View, section
from scaleplan.reports.views._plan import _as_dict, _date, _first_list, _float, optional


@dataclass(frozen=True)
class ForecastRow(View):
    id: str
    title: str
    deadline: dt.date | None
    p50: dt.date | None
    p70: dt.date | None
    p85: dt.date | None
    p95: dt.date | None
    #: Probability of finishing by the deadline.
    probability: float | None


@dataclass(frozen=True)
class ForecastsView(View):
    as_of: dt.date
    method: str
    trials: int | None
    rows: tuple[ForecastRow, ...]
    total: int
    note: str


#: Monte Carlo trials of the plan-based forecast in reports and the dashboard.
REPORT_TRIALS = 2_000


@section("forecasts", "Forecasts", page="forecasts", order=60, slow=True)
def forecasts(ctx: ReportContext) -> ForecastsView:
    """Monte Carlo forecasts from the plan: P50-P95 finish dates per initiative as cones and
    the probability of meeting each deadline."""
    (run,) = optional(
        "scaleplan.analysis.forecasting.plan", "forecast_plan", what="the forecasting analysis"
    )
    program = ctx.program
    # 2,000 trials keep the report fast; the Monte Carlo error of each date is in the JSON.
    result = _as_dict(
        ctx.memo("forecast", lambda: run(program, seed=ctx.seed, trials=REPORT_TRIALS))
    )
    rows = []
    for row in _first_list(result, "initiatives", "milestones", "rows", "forecasts"):
        if not isinstance(row, dict):
            continue
        ident = str(row.get("id") or row.get("initiative") or "")
        initiative = program.initiatives_by_id.get(ident)
        pct = row.get("percentiles") if isinstance(row.get("percentiles"), dict) else row
        assert isinstance(pct, dict)

        def pick(key: str, pct: dict[str, Any] = pct) -> dt.date | None:
            return _date(pct.get(key, pct.get(key.upper(), pct.get(key[1:]))))

        deadline = _date(row.get("deadline")) or (initiative.deadline if initiative else None)
        rows.append(
            ForecastRow(
                id=ident,
                title=str(row.get("title") or (initiative.title if initiative else ident)),
                deadline=deadline,
                p50=pick("p50"),
                p70=pick("p70"),
                p85=pick("p85"),
                p95=pick("p95"),
                probability=_float(
                    row.get("probability", row.get("p_deadline", row.get("on_time")))
                ),
            )
        )
    return ForecastsView(
        as_of=ctx.as_of,
        method=str(result.get("method") or "monte-carlo"),
        trials=int(result["trials"]) if isinstance(result.get("trials"), int) else None,
        rows=tuple(rows[: ctx.limit]),
        total=len(rows),
        note=str(result.get("coverage") or result.get("note") or ""),
    )


__all__ = ["REPORT_TRIALS", "ForecastRow", "ForecastsView", "forecasts"]
