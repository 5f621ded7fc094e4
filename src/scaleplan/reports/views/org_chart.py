"""The org chart section: the reporting tree with spans of control."""

from __future__ import annotations

from dataclasses import dataclass

from scaleplan.reports.registry import ReportContext, View, section


@dataclass(frozen=True)
class OrgNode(View):
    id: str
    name: str
    role: str
    team: str | None
    #: Direct reports in the whole org (not only those shown).
    span: int
    reports: tuple[OrgNode, ...]
    #: Direct reports left out to keep the chart readable.
    hidden: int


@dataclass(frozen=True)
class OrgChartView(View):
    roots: tuple[OrgNode, ...]
    people: int
    managers: int
    depth: int
    mean_span: float | None
    #: Managers whose span is outside the program's thresholds (default 4-8).
    span_outliers: tuple[str, ...]
    span_min: int
    span_max: int
    shown: int


@section("org_chart", "Org chart", page="teams", order=72)
def org_chart(ctx: ReportContext) -> OrgChartView:
    """Reporting lines from each person's manager, with spans of control."""
    program = ctx.program
    reports: dict[str | None, list[str]] = {}
    ids = set(program.people_by_id)
    for p in program.people:
        boss = p.manager if p.manager in ids and p.manager != p.id else None
        reports.setdefault(boss, []).append(p.id)
    cap = max(ctx.limit * 2, 400)
    made = [0]
    depth = [0]

    def node(pid: str, level: int, seen: frozenset[str]) -> OrgNode:
        person = program.people_by_id[pid]
        made[0] += 1
        depth[0] = max(depth[0], level)
        kids = [k for k in reports.get(pid, []) if k not in seen]
        shown = []
        for kid in kids:
            if made[0] >= cap:
                break
            shown.append(node(kid, level + 1, seen | {kid}))
        return OrgNode(
            pid,
            person.name,
            person.role,
            program.team_of_person.get(pid),
            len(kids),
            tuple(shown),
            len(kids) - len(shown),
        )

    roots = []
    for pid in reports.get(None, []):
        if made[0] >= cap:
            break
        roots.append(node(pid, 1, frozenset({pid})))
    spans = {m: len(r) for m, r in reports.items() if m is not None}
    thresholds = program.settings.org
    outliers = tuple(
        sorted(m for m, n in spans.items() if n < thresholds.span_min or n > thresholds.span_max)
    )
    return OrgChartView(
        roots=tuple(roots),
        people=len(program.people),
        managers=len(spans),
        depth=depth[0],
        mean_span=round(sum(spans.values()) / len(spans), 2) if spans else None,
        span_outliers=outliers,
        span_min=thresholds.span_min,
        span_max=thresholds.span_max,
        shown=made[0],
    )


__all__ = ["OrgChartView", "OrgNode", "org_chart"]
