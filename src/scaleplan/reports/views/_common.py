"""Helpers shared by the report's section views: the RAG report and the capacity of the current week."""

from __future__ import annotations

from typing import Literal

from scaleplan.analysis.capacity import team_capacity, week_of
from scaleplan.analysis.status import RagReport, initiative_rag
from scaleplan.reports.registry import ReportContext

Tone = Literal["good", "warn", "bad", "info"]


def rag_of(ctx: ReportContext) -> RagReport:
    """The RAG report of the context's program, computed once per context."""
    return ctx.memo("rag", lambda: initiative_rag(ctx.program, as_of=ctx.as_of))


def _week_now(ctx: ReportContext) -> int:
    return max(week_of(ctx.program, ctx.as_of), 0)


def capacity_now(ctx: ReportContext) -> dict[str, float]:
    """Capacity of each team in the as-of week (person-weeks per week)."""

    def compute() -> dict[str, float]:
        w = _week_now(ctx)
        return {t.id: team_capacity(ctx.program, t.id, w) for t in ctx.program.teams}

    return ctx.memo("capacity_now", compute)


__all__ = ["Tone", "capacity_now", "rag_of"]
