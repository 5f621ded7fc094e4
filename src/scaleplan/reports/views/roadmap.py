"""The roadmap section: planned initiative bars and milestones over the increments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from scaleplan.reports.registry import ReportContext, Unavailable, View, section
from scaleplan.reports.views._common import rag_of
from scaleplan.reports.views._plan import RagValue, _short, plan_of


@dataclass(frozen=True)
class IncrementSpan(View):
    id: str
    name: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class RoadmapBar(View):
    id: str
    title: str
    start: dt.date
    end: dt.date
    deadline: dt.date | None
    rag: RagValue | None
    #: Planned to end after its deadline.
    late: bool
    items: int


@dataclass(frozen=True)
class RoadmapMilestone(View):
    id: str
    title: str
    day: dt.date
    rag: RagValue | None


@dataclass(frozen=True)
class RoadmapView(View):
    #: ``plan`` (bars from the planner) or ``deadlines`` (model only: a milestone timeline).
    source: Literal["plan", "deadlines"]
    note: str
    start: dt.date
    end: dt.date
    today: dt.date
    increments: tuple[IncrementSpan, ...]
    bars: tuple[RoadmapBar, ...]
    milestones: tuple[RoadmapMilestone, ...]
    total: int
    plan_status: str | None


def _increments(ctx: ReportContext) -> tuple[IncrementSpan, ...]:
    return tuple(
        IncrementSpan(i.id, i.name or i.id, i.start, i.end)
        for i in sorted(ctx.program.calendar.increments, key=lambda i: i.start)
    )


@section("roadmap", "Roadmap", page="roadmap", order=40, slow=True)
def roadmap(ctx: ReportContext) -> RoadmapView:
    """Initiatives on a timeline: planned start to finish (from the plan) with deadlines and
    increments; without a planner, the deadlines on the calendar."""
    program = ctx.program
    rag = {r.id: r.rag for r in rag_of(ctx).initiatives}
    increments = _increments(ctx)
    cal_start = program.calendar.start
    cal_end = program.calendar.end or cal_start + dt.timedelta(weeks=26)
    try:
        plan = plan_of(ctx)
    except Unavailable as exc:
        points = sorted(
            (
                RoadmapMilestone(i.id, i.title, i.deadline, rag.get(i.id))
                for i in program.initiatives
                if i.deadline is not None and i.status.value not in ("done", "cancelled")
            ),
            key=lambda m: (m.day, m.id),
        )
        end = max([cal_end, *(m.day for m in points)])
        return RoadmapView(
            source="deadlines",
            note=f"deadlines only: {_short(exc)}",
            start=min(cal_start, ctx.as_of),
            end=end,
            today=ctx.as_of,
            increments=increments,
            bars=(),
            milestones=tuple(points[: ctx.limit]),
            total=len(points),
            plan_status=None,
        )
    bars = []
    for initiative in program.initiatives:
        rows = [
            plan.rows[w.id]
            for w in program.work_items_by_initiative.get(initiative.id, ())
            if w.id in plan.rows
        ]
        if not rows:
            continue
        start = min(r.start_date for r in rows)
        end = max(r.end_date for r in rows)
        bars.append(
            RoadmapBar(
                initiative.id,
                initiative.title,
                start,
                end,
                initiative.deadline,
                rag.get(initiative.id),
                initiative.deadline is not None and end > initiative.deadline,
                len(rows),
            )
        )
    bars.sort(key=lambda b: (b.start, b.end, b.id))
    end = max([cal_end, *(b.end for b in bars), *(b.deadline for b in bars if b.deadline)])
    return RoadmapView(
        source="plan",
        note=f"planned with the {plan.backend} back-end ({plan.status})",
        start=min([cal_start, ctx.as_of, *(b.start for b in bars)]),
        end=end,
        today=ctx.as_of,
        increments=increments,
        bars=tuple(bars[: ctx.limit]),
        milestones=(),
        total=len(bars),
        plan_status=plan.status,
    )


__all__ = ["IncrementSpan", "RoadmapBar", "RoadmapMilestone", "RoadmapView", "roadmap"]
