"""Per-team figures the org checks share: size, communication paths, services, new hires,
planned load."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from scaleplan.analysis.org._common import (
    active_members,
    is_new_hire,
)
from scaleplan.model import Lifecycle, Program
from scaleplan.model.settings import OrgThresholds


@dataclass(frozen=True, slots=True)
class TeamFigures:
    """Per-team numbers the checks use."""

    id: str
    name: str
    type: str
    tribe: str | None
    size: int
    communication_paths: int
    services: int
    service_limit: int
    new_hires: int
    #: Planned load in the increment (remaining effort / capacity); ``None`` without one.
    load: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "tribe": self.tribe,
            "size": self.size,
            "communication_paths": self.communication_paths,
            "services": self.services,
            "service_limit": self.service_limit,
            "new_hires": self.new_hires,
            "load": _json_number(self.load),
        }


def paths(n: int) -> int:
    """Communication paths among ``n`` people: n(n-1)/2."""
    return n * (n - 1) // 2


def team_figures(
    program: Program, on: dt.date, t: OrgThresholds, loads: dict[str, float]
) -> dict[str, TeamFigures]:
    out: dict[str, TeamFigures] = {}
    for team in program.teams:
        members = active_members(program, team.id, on)
        live = [
            s
            for s in program.services_by_owner.get(team.id, ())
            if s.lifecycle is not Lifecycle.RETIRED
        ]
        out[team.id] = TeamFigures(
            id=team.id,
            name=team.name,
            type=team.type.value,
            tribe=team.tribe,
            size=len(members),
            communication_paths=paths(len(members)),
            services=len(live),
            service_limit=team.max_services or t.max_services_per_team,
            new_hires=sum(1 for p in members if is_new_hire(p, on, t.new_hire_weeks)),
            load=loads.get(team.id),
        )
    return out


def _json_number(value: float | None) -> float | str | None:
    """``None``, a rounded number, or ``"inf"`` (JSON has no infinity)."""
    if value is None:
        return None
    return round(value, 4) if value != float("inf") else "inf"
