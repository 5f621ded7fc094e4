"""The services map section: services, owners and the APIs between them."""

from __future__ import annotations

from dataclasses import dataclass

from scaleplan.reports.registry import ReportContext, View, section


@dataclass(frozen=True)
class ApiRow(View):
    name: str
    version: str
    contract: str | None
    consumers: tuple[str, ...]


@dataclass(frozen=True)
class ServiceRow(View):
    id: str
    name: str
    owner: str | None
    tier: int
    lifecycle: str
    depends_on: tuple[str, ...]
    apis: tuple[ApiRow, ...]


@dataclass(frozen=True)
class ServicesView(View):
    services: tuple[ServiceRow, ...]
    total: int
    monolith_modules: int
    retired: int
    unowned: tuple[str, ...]


@section("services", "Services map", page="teams", order=76)
def services(ctx: ReportContext) -> ServicesView:
    """Services and monolith modules with owners, tiers and dependencies."""
    program = ctx.program
    rows = tuple(
        ServiceRow(
            s.id,
            s.name,
            s.owner,
            s.tier,
            s.lifecycle.value,
            s.depends_on,
            tuple(ApiRow(a.name, a.version, a.contract, a.consumers) for a in s.apis),
        )
        for s in program.services
    )
    return ServicesView(
        services=rows[: ctx.limit],
        total=len(rows),
        monolith_modules=sum(1 for s in rows if s.lifecycle == "monolith-module"),
        retired=sum(1 for s in rows if s.lifecycle == "retired"),
        unowned=tuple(s.id for s in rows if s.owner is None and s.lifecycle != "retired"),
    )


__all__ = ["ApiRow", "ServiceRow", "ServicesView", "services"]
