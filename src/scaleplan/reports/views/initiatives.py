"""The initiatives section: each initiative with its RAG status and progress."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from scaleplan.analysis.capacity import remaining_effort
from scaleplan.model import Status
from scaleplan.reports.registry import ReportContext, View, section
from scaleplan.reports.views._common import rag_of


@dataclass(frozen=True)
class InitiativeRow(View):
    id: str
    title: str
    kind: str
    owner: str | None
    status: str
    moscow: str | None
    due: dt.date | None
    key_results: tuple[str, ...]
    items_done: int
    items_total: int
    remaining_effort: float
    rag: Literal["green", "amber", "red"] | None
    reason: str | None


@dataclass(frozen=True)
class InitiativesView(View):
    rows: tuple[InitiativeRow, ...]
    total: int


@section("initiatives", "Initiatives and RAG", page="overview", order=15)
def initiatives(ctx: ReportContext) -> InitiativesView:
    """Every initiative with its status, progress and RAG with the reason."""
    program = ctx.program
    rag = {r.id: r for r in rag_of(ctx).initiatives}
    rows = []
    for i in program.initiatives:
        r = rag.get(i.id)
        items = [
            w
            for w in program.work_items_by_initiative.get(i.id, ())
            if w.status.value != "cancelled"
        ]
        rows.append(
            InitiativeRow(
                id=i.id,
                title=i.title,
                kind=i.kind.value,
                owner=i.owner,
                status=i.status.value,
                moscow=i.moscow.value if i.moscow else None,
                due=i.deadline,
                key_results=i.key_results,
                items_done=sum(1 for w in items if w.status is Status.DONE),
                items_total=len(items),
                remaining_effort=round(sum(remaining_effort(program, w) for w in items), 1),
                rag=r.rag if r else None,
                reason=r.reason if r else None,
            )
        )
    return InitiativesView(rows=tuple(rows[: ctx.limit]), total=len(rows))


__all__ = ["InitiativeRow", "InitiativesView", "initiatives"]
