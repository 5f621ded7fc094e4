"""The risks section: a ROAM board (resolved, owned, accepted, mitigated)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scaleplan.model import RoamStatus
from scaleplan.reports.registry import ReportContext, View, section


@dataclass(frozen=True)
class RiskCard(View):
    id: str
    title: str
    owner: str | None
    probability: float
    impact_weeks: float
    exposure_weeks: float
    items: tuple[str, ...]
    raised: dt.date | None


@dataclass(frozen=True)
class RoamColumn(View):
    status: str
    title: str
    cards: tuple[RiskCard, ...]
    exposure_weeks: float


@dataclass(frozen=True)
class RisksView(View):
    columns: tuple[RoamColumn, ...]
    total: int
    open_exposure_weeks: float


_ROAM = (
    (RoamStatus.OPEN, "Open (not yet ROAMed)"),
    (RoamStatus.OWNED, "Owned"),
    (RoamStatus.ACCEPTED, "Accepted"),
    (RoamStatus.MITIGATED, "Mitigated"),
    (RoamStatus.RESOLVED, "Resolved"),
)


@section("risks", "Risks (ROAM board)", page="risks", order=90)
def risks(ctx: ReportContext) -> RisksView:
    """Risks by ROAM status, largest exposure (probability x impact) first."""
    columns = []
    for status, title in _ROAM:
        cards = sorted(
            (
                RiskCard(
                    r.id,
                    r.title,
                    r.owner,
                    r.probability,
                    r.impact_weeks,
                    round(r.probability * r.impact_weeks, 2),
                    r.items,
                    r.raised,
                )
                for r in ctx.program.risks
                if r.status is status
            ),
            key=lambda c: (-c.exposure_weeks, c.id),
        )
        columns.append(
            RoamColumn(
                status.value,
                title,
                tuple(cards[: ctx.limit]),
                round(sum(c.exposure_weeks for c in cards), 2),
            )
        )
    return RisksView(
        columns=tuple(columns),
        total=len(ctx.program.risks),
        open_exposure_weeks=columns[0].exposure_weeks,
    )


__all__ = ["RiskCard", "RisksView", "RoamColumn", "risks"]
