"""Architecture model: services, modules of the monolith and their APIs."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from scaleplan.model.base import Entity, Frozen, Id


class Lifecycle(StrEnum):
    """Where a component stands on the way from monolith to services."""

    MONOLITH_MODULE = "monolith-module"
    SERVICE = "service"
    RETIRED = "retired"


class Api(Frozen):
    """An API a service offers, with its contract file (OpenAPI, protobuf...)."""

    name: str
    version: str = "1.0.0"
    #: Path of the contract file, relative to the program directory.
    contract: str | None = None
    consumers: tuple[Id, ...] = ()


class Service(Entity):
    """A deployable service or a module of the monolith."""

    name: str
    owner: Id | None = None
    #: Criticality: 1 is customer-facing and critical, 3 is internal tooling.
    tier: Annotated[int, Field(ge=1, le=4)] = 2
    lifecycle: Lifecycle = Lifecycle.SERVICE
    depends_on: tuple[Id, ...] = ()
    apis: tuple[Api, ...] = ()
    repository: str | None = None
    description: str | None = None


__all__ = ["Api", "Lifecycle", "Service"]
