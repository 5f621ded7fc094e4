"""The report's overview section: headline tiles, RAG rows and warnings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from scaleplan.analysis.capacity import remaining_effort
from scaleplan.analysis.status import InitiativeRag
from scaleplan.model import RoamStatus, Status
from scaleplan.reports.registry import ReportContext, View, section
from scaleplan.reports.views._common import Tone, capacity_now, rag_of
from scaleplan.reports.views.okrs import OkrView, okrs


@dataclass(frozen=True)
class Tile(View):
    label: str
    value: str
    tone: Tone
    detail: str


@dataclass(frozen=True)
class RagRow(View):
    id: str
    title: str
    rag: Literal["green", "amber", "red"]
    reason: str
    reasons: tuple[str, ...]
    owner: str | None
    status: str
    due: dt.date | None
    items_done: int
    items_total: int
    remaining_effort: float

    @classmethod
    def of(cls, r: InitiativeRag) -> RagRow:
        return cls(
            r.id,
            r.title,
            r.rag,
            r.reason,
            r.reasons,
            r.owner,
            r.status,
            r.due,
            r.items_done,
            r.items_total,
            r.remaining_effort,
        )


@dataclass(frozen=True)
class WarningRow(View):
    code: str
    where: str
    message: str


@dataclass(frozen=True)
class OverviewView(View):
    name: str
    description: str | None
    as_of: dt.date
    counts: dict[str, int]
    tiles: tuple[Tile, ...]
    rag_counts: dict[str, int]
    attention: tuple[RagRow, ...]
    attention_total: int
    warnings: tuple[WarningRow, ...]
    warnings_total: int


def _kr_tile(ctx: ReportContext) -> Tile:
    program = ctx.program
    view: OkrView = ctx.memo("okrs_view", lambda: okrs(ctx))
    krs = [k for o in view.objectives for k in o.key_results]
    grades = [k.grade for k in krs if k.grade is not None]
    committed_low = [k.id for k in krs if k.state == "behind" and k.kind == "committed"]
    if not grades:
        return Tile("Key results", "no data", "info", f"{len(program.key_results)} key results")
    mean = sum(grades) / len(grades)
    tone: Tone = "good" if mean >= 0.7 else "warn" if mean >= 0.4 else "bad"
    detail = f"{len(grades)} of {len(program.key_results)} measured"
    if committed_low:
        detail += f"; {len(committed_low)} committed below 1.0 without escalation"
        tone = "bad" if tone == "bad" else "warn"
    return Tile("Key results", f"mean grade {mean:.2f}", tone, detail)


@section("overview", "Overview", page="overview", order=10)
def overview(ctx: ReportContext) -> OverviewView:
    """Program health at a glance and the initiatives that need attention."""
    program = ctx.program
    rag = rag_of(ctx)
    counts = rag.counts
    items = [i for i in program.work_items if i.status is not Status.CANCELLED]
    done = sum(1 for i in items if i.status is Status.DONE)
    blocked = sum(1 for i in items if i.status is Status.BLOCKED)
    remaining = sum(remaining_effort(program, i) for i in items)
    capacity = sum(capacity_now(ctx).values())
    open_risks = [r for r in program.risks if r.status is RoamStatus.OPEN]
    exposure = sum(r.probability * r.impact_weeks for r in open_risks)
    weeks = remaining / capacity if capacity > 0 else None
    tiles = (
        Tile(
            "Initiatives",
            f"{counts['green']} green · {counts['amber']} amber · {counts['red']} red",
            "bad" if counts["red"] else "warn" if counts["amber"] else "good",
            f"{len(rag.initiatives)} active (not cancelled)",
        ),
        _kr_tile(ctx),
        Tile(
            "Work items",
            f"{done} / {len(items)} done",
            "info",
            f"{remaining:,.0f} person-weeks remaining",
        ),
        Tile(
            "Capacity",
            f"{capacity:,.1f} pw / week",
            "info",
            f"{len(program.teams)} teams, after focus factor and "
            f"{program.settings.tech_debt_reserve:.0%} tech-debt reserve"
            + (f"; {weeks:,.1f} weeks of work" if weeks is not None else ""),
        ),
        Tile(
            "Blocked items",
            str(blocked),
            "warn" if blocked else "good",
            "items with status blocked",
        ),
        Tile(
            "Open risks",
            str(len(open_risks)),
            "warn" if open_risks else "good",
            f"not yet ROAMed; exposure {exposure:.1f} weeks",
        ),
        Tile(
            "Validation warnings",
            str(len(ctx.warnings)),
            "warn" if ctx.warnings else "good",
            "from scaleplan check",
        ),
    )
    rank = {"red": 0, "amber": 1, "green": 2}
    attention = sorted(
        (r for r in rag.initiatives if r.rag != "green"),
        key=lambda r: (rank[r.rag], r.due or dt.date.max, r.id),
    )
    warnings = tuple(
        WarningRow(
            d.code,
            ":".join(str(x) for x in (d.file, d.line, d.column) if x is not None),
            d.message,
        )
        for d in ctx.warnings[:50]
    )
    return OverviewView(
        name=program.program.name,
        description=(program.program.description or "").strip() or None,
        as_of=ctx.as_of,
        counts={k: v for k, v in program.counts().items() if v},
        tiles=tiles,
        rag_counts=counts,
        attention=tuple(RagRow.of(r) for r in attention[:25]),
        attention_total=len(attention),
        warnings=warnings,
        warnings_total=len(ctx.warnings),
    )


__all__ = ["OverviewView", "RagRow", "Tile", "WarningRow", "overview"]
