"""Shared building blocks of the domain model: ids, the frozen base class, small value types."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

#: Identifier of any entity: letters, digits, ``-``, ``_`` and ``.``; starts with a letter or digit.
Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", max_length=120)]

#: A share of something, 0.0-1.0.
Fraction = Annotated[float, Field(ge=0.0, le=1.0)]

#: A non-negative quantity (effort, capacity...).
NonNegative = Annotated[float, Field(ge=0.0)]


class Frozen(BaseModel):
    """Base of every model: immutable after validation, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Entity(Frozen):
    """Something with a stable id that others can reference."""

    id: Id
