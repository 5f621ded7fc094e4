"""Direction model: objectives and key results, initiatives, work items and their dependencies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from scaleplan.model.base import Entity, Frozen, Id

#: The modified-Fibonacci scale used by WSJF inputs.
FIBONACCI = (1, 2, 3, 5, 8, 13, 20)
#: RICE impact scale (massive .. minimal) and confidence levels in percent.
RICE_IMPACT = (3.0, 2.0, 1.0, 0.5, 0.25)
RICE_CONFIDENCE = (100, 80, 50)


class KrKind(StrEnum):
    """Committed key results must reach 1.0; aspirational ones are good at 0.7."""

    COMMITTED = "committed"
    ASPIRATIONAL = "aspirational"


class KeyResult(Entity):
    """A measurable key result; progress is graded from baseline, target and current."""

    title: str
    metric: str | None = None
    unit: str | None = None
    baseline: float = 0.0
    target: float
    current: float | None = None
    kind: KrKind = KrKind.ASPIRATIONAL
    owner: Id | None = None
    #: Escalation note for a committed key result that is forecast to miss.
    escalation: str | None = None


class Objective(Entity):
    """A qualitative objective with its key results."""

    title: str
    owner: Id | None = None
    #: Planning increment or period the objective belongs to.
    increment: Id | None = None
    key_results: tuple[KeyResult, ...] = ()
    description: str | None = None


class InitiativeKind(StrEnum):
    FEATURE = "feature"
    TECH_DEBT = "tech-debt"
    PLATFORM = "platform"
    KTLO = "ktlo"


class MoSCoW(StrEnum):
    MUST = "must"
    SHOULD = "should"
    COULD = "could"
    WONT = "wont"


class Status(StrEnum):
    PROPOSED = "proposed"
    TODO = "todo"
    IN_PROGRESS = "in-progress"
    BLOCKED = "blocked"
    DONE = "done"
    CANCELLED = "cancelled"


def _on_scale(scale: tuple[float, ...], name: str) -> Callable[[float], float]:
    def check(value: float) -> float:
        if value not in scale:
            allowed = ", ".join(f"{s:g}" for s in scale)
            raise ValueError(f"{name} must be one of {allowed}, got {value:g}")
        return value

    return check


#: A WSJF input on the modified Fibonacci scale.
Fibonacci = Annotated[
    int, AfterValidator(_on_scale(tuple(float(f) for f in FIBONACCI), "WSJF input"))
]


class IceInputs(Frozen):
    """ICE: impact, confidence and ease, each 1-10."""

    impact: Annotated[float, Field(ge=1, le=10)]
    confidence: Annotated[float, Field(ge=1, le=10)]
    ease: Annotated[float, Field(ge=1, le=10)]


class RiceInputs(Frozen):
    """RICE: reach per period, impact (3/2/1/0.5/0.25), confidence (100/80/50 %), effort."""

    reach: Annotated[float, Field(ge=0)]
    impact: Annotated[float, AfterValidator(_on_scale(RICE_IMPACT, "RICE impact"))]
    confidence: Annotated[
        float,
        AfterValidator(_on_scale(tuple(float(c) for c in RICE_CONFIDENCE), "RICE confidence (%)")),
    ]
    #: Person-months; defaults from the initiative's work items when left out.
    effort: Annotated[float, Field(gt=0)] | None = None


class WsjfInputs(Frozen):
    """WSJF cost-of-delay components and job size on the 1, 2, 3, 5, 8, 13, 20 scale."""

    business_value: Fibonacci
    time_criticality: Fibonacci
    risk_reduction: Fibonacci
    #: Defaults from the initiative's effort, relative within the set, when left out.
    job_size: Fibonacci | None = None


class Initiative(Entity):
    """A body of work that serves key results; made of work items."""

    title: str
    kind: InitiativeKind = InitiativeKind.FEATURE
    owner: Id | None = None
    key_results: tuple[Id, ...] = ()
    #: Initiatives that must be in (and done first) for this one to make sense.
    depends_on: tuple[Id, ...] = ()
    moscow: MoSCoW | None = None
    status: Status = Status.PROPOSED
    deadline: dt.date | None = None
    ice: IceInputs | None = None
    rice: RiceInputs | None = None
    wsjf: WsjfInputs | None = None
    #: Inputs of custom weighted scoring models, by input name.
    scores: dict[str, float] = Field(default_factory=dict)
    description: str | None = None


def _dependency_from_str(value: Any) -> Any:
    if isinstance(value, str):
        return {"item": value}
    return value


class Dependency(Frozen):
    """Finish-to-start dependency on another work item, with an optional lag in weeks."""

    item: Id
    lag_weeks: Annotated[float, Field(ge=0)] = 0.0


#: A dependency written as a plain work-item id or as ``{item: id, lag_weeks: n}``.
DependencyRef = Annotated[
    Dependency, BeforeValidator(_dependency_from_str, json_schema_input_type=Id | Dependency)
]


class WorkItem(Entity):
    """A plannable piece of work of one team (an epic or feature in Jira terms)."""

    title: str
    initiative: Id | None = None
    team: Id
    #: Most likely effort in person-weeks (or give ``points``).
    effort: Annotated[float, Field(ge=0)] | None = None
    points: Annotated[float, Field(ge=0)] | None = None
    #: Optional range, in the same unit as ``effort`` or ``points``.
    low: Annotated[float, Field(ge=0)] | None = None
    high: Annotated[float, Field(ge=0)] | None = None
    #: How many people can usefully work on it at once.
    max_people: Annotated[int, Field(ge=1)] = 1
    depends_on: tuple[DependencyRef, ...] = ()
    earliest_start: dt.date | None = None
    deadline: dt.date | None = None
    #: A hard deadline must hold; a soft one costs a penalty per week late.
    deadline_kind: Literal["hard", "soft"] = "soft"
    status: Status = Status.TODO
    #: When work actually started (pins an in-progress item in planning).
    started: dt.date | None = None
    finished: dt.date | None = None
    #: Fraction done, for in-progress items.
    progress: Annotated[float, Field(ge=0, le=1)] = 0.0
    external_key: str | None = None
    skills: tuple[str, ...] = ()
    description: str | None = None

    @model_validator(mode="after")
    def _estimate(self) -> WorkItem:
        if self.effort is None and self.points is None:
            raise ValueError("give an estimate: 'effort' (person-weeks) or 'points'")
        if self.effort is not None and self.points is not None:
            raise ValueError("give 'effort' or 'points', not both")
        likely = self.effort if self.effort is not None else self.points
        assert likely is not None
        if self.low is not None and self.low > likely:
            raise ValueError(f"'low' ({self.low:g}) is above the likely estimate ({likely:g})")
        if self.high is not None and self.high < likely:
            raise ValueError(f"'high' ({self.high:g}) is below the likely estimate ({likely:g})")
        return self

    @property
    def depends_on_ids(self) -> tuple[str, ...]:
        return tuple(d.item for d in self.depends_on)


__all__ = [
    "FIBONACCI",
    "RICE_CONFIDENCE",
    "RICE_IMPACT",
    "Dependency",
    "IceInputs",
    "Initiative",
    "InitiativeKind",
    "KeyResult",
    "KrKind",
    "MoSCoW",
    "Objective",
    "RiceInputs",
    "Status",
    "WorkItem",
    "WsjfInputs",
]
