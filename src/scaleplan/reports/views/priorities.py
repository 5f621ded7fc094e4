"""The priorities section: ranked initiatives and the cut line per team."""

from __future__ import annotations

from dataclasses import dataclass

from scaleplan.analysis.capacity import (
    next_increment,
)
from scaleplan.reports.registry import ReportContext, Unavailable, View, section
from scaleplan.reports.views._common import rag_of
from scaleplan.reports.views._plan import RagValue


@dataclass(frozen=True)
class PriorityRow(View):
    rank: int
    id: str
    title: str
    score: float | None
    #: The formula with this initiative's numbers, or why it has no score.
    breakdown: str
    #: Above the cut line (None when no cut line was computed or the initiative is closed).
    selected: bool | None
    reason: str | None
    rag: RagValue | None


@dataclass(frozen=True)
class TeamCut(View):
    team: str
    load: float
    capacity: float


@dataclass(frozen=True)
class PrioritiesView(View):
    method: str
    formula: str
    tie_break: str
    rows: tuple[PriorityRow, ...]
    total: int
    cut_status: str | None
    increment: str | None
    #: Total priority weight above the line, and what the greedy baseline reaches.
    objective: float | None
    greedy_value: float | None
    teams: tuple[TeamCut, ...]
    note: str


@section("priorities", "Priorities and cut line", page="priorities", order=30, slow=True)
def priorities(ctx: ReportContext) -> PrioritiesView:
    """Initiatives ranked by the program's scoring method, and which fit the capacity of the
    next increment (the cut line), with the reason for each one left out."""
    try:
        from scaleplan.analysis.prioritisation import cut_line, score
    except ImportError:
        raise Unavailable(
            "needs the prioritisation analysis (scaleplan.analysis.prioritisation), "
            "not in this version"
        ) from None
    program = ctx.program
    ranking = ctx.memo("score", lambda: score(program))
    note = ""
    cut = None
    try:
        # The increment in progress on the as-of date (or the next one), for reproducibility.
        increment = next_increment(program, ctx.as_of)
        cut = ctx.memo(
            "cut_line",
            lambda: cut_line(
                program,
                increment.id if increment is not None else None,
                time_limit=ctx.time_limit,
                seed=ctx.seed,
            ),
        )
    except Exception as exc:  # the ranking is still worth showing
        note = f"Cut line not computed: {exc}"
    selected: dict[str, bool] = {}
    reasons: dict[str, str] = {}
    if cut is not None:
        for item in cut.selected:
            selected[item.id] = True
        for item in cut.below:
            selected[item.id] = False
            reasons[item.id] = "; ".join(r.message for r in item.reasons)
    rag = {r.id: r.rag for r in rag_of(ctx).initiatives}
    rows = [
        PriorityRow(
            rank=e.rank,
            id=e.id,
            title=e.title,
            score=e.score,
            breakdown=e.formula if e.score is not None else f"no score: {e.missing or 'no inputs'}",
            selected=selected.get(e.id),
            reason=reasons.get(e.id) or None,
            rag=rag.get(e.id),
        )
        for e in ranking.entries
    ]
    return PrioritiesView(
        method=ranking.label or ranking.method,
        formula=ranking.formula,
        tie_break=ranking.tie_break,
        rows=tuple(rows[: ctx.limit]),
        total=len(rows),
        cut_status=cut.status if cut is not None else None,
        increment=cut.increment if cut is not None else None,
        objective=round(cut.objective, 4) if cut is not None else None,
        greedy_value=round(cut.greedy_value, 4) if cut is not None else None,
        teams=tuple(TeamCut(t.team, round(t.load, 2), round(t.capacity, 2)) for t in cut.teams)
        if cut is not None
        else (),
        note=note,
    )


__all__ = ["PrioritiesView", "PriorityRow", "TeamCut", "priorities"]
