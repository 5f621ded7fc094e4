"""Time model: calendar, planning increments (quarters / PIs), sprints and holidays."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, model_validator

from scaleplan.model.base import Entity, Frozen


class Increment(Entity):
    """A planning increment (SAFe PI, a quarter)."""

    name: str | None = None
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _order(self) -> Increment:
        if self.end <= self.start:
            raise ValueError(f"increment ends ({self.end}) on or before it starts ({self.start})")
        return self


class Holiday(Frozen):
    date: dt.date
    name: str = "holiday"
    #: Time zones or regions it applies to; empty means everyone.
    regions: tuple[str, ...] = ()


class Calendar(Frozen):
    """The program's calendar. Planning time is counted in weeks from ``start``."""

    start: dt.date
    sprint_weeks: Annotated[int, Field(ge=1, le=8)] = 2
    increments: tuple[Increment, ...] = ()
    holidays: tuple[Holiday, ...] = ()
    working_days: Annotated[int, Field(ge=1, le=7)] = 5

    @property
    def end(self) -> dt.date | None:
        """End of the last increment, if any."""
        return max((i.end for i in self.increments), default=None)


__all__ = ["Calendar", "Holiday", "Increment"]
