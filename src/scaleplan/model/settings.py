"""Program-wide settings: defaults for capacity, scoring and org diagnostics thresholds."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from scaleplan.model.base import Entity, Fraction, Frozen, Id


class CustomScoringModel(Entity):
    """A weighted scoring model like Jira Product Discovery's: inputs normalised 0-100 across
    initiatives, multiplied by weights and summed; negative weights divide instead."""

    name: str | None = None
    weights: dict[str, float]


class ScoringSettings(Frozen):
    #: ``ice``, ``rice``, ``wsjf`` or the id of a custom model.
    method: str = "wsjf"
    ice_variant: Literal["product", "average"] = "product"
    custom_models: tuple[CustomScoringModel, ...] = ()
    #: MoSCoW check of the cut line: Must-haves above this share of a team's capacity in the
    #: increment are a warning (DSDM's rule of thumb: at most 60% of the effort).
    must_max_share: Fraction = 0.6


class OrgThresholds(Frozen):
    """Rules of thumb the org diagnostics check against (sources in docs/org.md)."""

    team_size_min: int = 5
    team_size_max: int = 9
    team_size_error: int = 10
    span_min: int = 4
    span_max: int = 8
    span_of_managers_min: int = 4
    span_of_managers_max: int = 6
    tribe_max: int = 100
    art_people_min: int = 50
    art_people_max: int = 125
    art_teams_min: int = 5
    art_teams_max: int = 12
    unit_max: int = 150
    stream_aligned_min_share: Fraction = 0.5
    collaboration_max_weeks: int = 12
    max_services_per_team: int = 4
    mentor_max_new_hires: int = 2
    new_hire_max_share: Fraction = Field(default=1 / 3)
    new_hire_weeks: int = 26
    meeting_hours_max: float = 10.0
    #: Most communication paths n(n-1)/2 inside one team; ``None`` derives it from team_size_max.
    communication_paths_max: int | None = None
    #: Least share of capacity kept for technical debt (``settings.tech_debt_reserve``).
    tech_debt_reserve_min: Fraction = 0.2
    #: Mentorship matching: people at or below this level (or new hires) look for a mentor.
    mentee_max_level: int = 2
    #: Mentorship matching: least seniority gap between mentor and mentee.
    mentor_min_level_gap: int = 2
    #: Mentorship matching: least overlap of working hours (hours per day).
    mentor_min_overlap_hours: float = 2.0
    #: Mentorship matching: mentor must not manage the mentee (directly or up the chain)
    #: nor report to the same manager.
    mentor_outside_manager_chain: bool = True


class Settings(Frozen):
    #: Share of a person's week that goes to planned work.
    focus_factor: Fraction = 0.8
    #: Share of capacity kept for technical debt and non-functional work.
    tech_debt_reserve: Fraction = 0.2
    #: Story points a person delivers per week, for items estimated in points.
    points_per_person_week: Annotated[float, Field(gt=0)] = 3.0
    hours_per_week: Annotated[float, Field(gt=0, le=80)] = 40.0
    scoring: ScoringSettings = ScoringSettings()
    org: OrgThresholds = OrgThresholds()
    #: Diagnostic codes to silence (warnings only).
    ignore: tuple[str, ...] = ()


class ProgramMeta(Frozen):
    name: str
    description: str | None = None
    #: Where escalations end: the person who decides.
    decision_maker: Id | None = None
    tpm: Id | None = None
    #: JSON Schema / scaleplan format version of the files.
    version: Literal[1] = 1


__all__ = ["CustomScoringModel", "OrgThresholds", "ProgramMeta", "ScoringSettings", "Settings"]
