"""Sections that need only the program model (and the RAG of :mod:`scaleplan.analysis.status`):
overview, initiatives, OKR tree, teams, org chart, services, risks (ROAM board), cadences.

Builders shape data for display; the numbers come from the model and from analyses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from scaleplan.analysis.capacity import remaining_effort, team_capacity, week_of
from scaleplan.analysis.status import InitiativeRag, RagReport, initiative_rag, kr_grade
from scaleplan.model import Program, RoamStatus, Status
from scaleplan.reports.sections import ReportContext, View, section

Tone = Literal["good", "warn", "bad", "info"]


def rag_of(ctx: ReportContext) -> RagReport:
    """The RAG report of the context's program, computed once per context."""
    return ctx.memo("rag", lambda: initiative_rag(ctx.program, as_of=ctx.as_of))


def _week_now(ctx: ReportContext) -> int:
    return max(week_of(ctx.program, ctx.as_of), 0)


def capacity_now(ctx: ReportContext) -> dict[str, float]:
    """Capacity of each team in the as-of week (person-weeks per week)."""

    def compute() -> dict[str, float]:
        w = _week_now(ctx)
        return {t.id: team_capacity(ctx.program, t.id, w) for t in ctx.program.teams}

    return ctx.memo("capacity_now", compute)


# --- overview ------------------------------------------------------------------------------


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


# --- initiatives ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InitiativeRow(View):
    id: str
    title: str
    kind: str
    owner: str | None
    status: str
    moscow: str | None
    due: dt.date | None
    key_results: tuple[str, ...]
    items_done: int
    items_total: int
    remaining_effort: float
    rag: Literal["green", "amber", "red"] | None
    reason: str | None


@dataclass(frozen=True)
class InitiativesView(View):
    rows: tuple[InitiativeRow, ...]
    total: int


@section("initiatives", "Initiatives and RAG", page="overview", order=15)
def initiatives(ctx: ReportContext) -> InitiativesView:
    """Every initiative with its status, progress and RAG with the reason."""
    program = ctx.program
    rag = {r.id: r for r in rag_of(ctx).initiatives}
    rows = []
    for i in program.initiatives:
        r = rag.get(i.id)
        items = [
            w
            for w in program.work_items_by_initiative.get(i.id, ())
            if w.status.value != "cancelled"
        ]
        rows.append(
            InitiativeRow(
                id=i.id,
                title=i.title,
                kind=i.kind.value,
                owner=i.owner,
                status=i.status.value,
                moscow=i.moscow.value if i.moscow else None,
                due=i.deadline,
                key_results=i.key_results,
                items_done=sum(1 for w in items if w.status is Status.DONE),
                items_total=len(items),
                remaining_effort=round(sum(remaining_effort(program, w) for w in items), 1),
                rag=r.rag if r else None,
                reason=r.reason if r else None,
            )
        )
    return InitiativesView(rows=tuple(rows[: ctx.limit]), total=len(rows))


# --- OKRs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OkrInitiative(View):
    id: str
    title: str
    rag: Literal["green", "amber", "red"] | None
    status: str
    items_done: int
    items_total: int


@dataclass(frozen=True)
class OkrKeyResult(View):
    id: str
    title: str
    metric: str | None
    unit: str | None
    baseline: float
    target: float
    current: float | None
    grade: float | None
    #: Where the grade comes from: ``current`` (the metric) or ``work`` (share of linked
    #: work done, when there is no current value).
    source: str | None
    #: Linear extrapolation of the grade to the end of the objective's period.
    forecast: float | None
    kind: str
    #: ``met``, ``on-track`` (aspirational >= 0.7), ``behind``, ``escalated``, ``no-data``.
    state: str
    escalation: str | None
    owner: str | None
    initiatives: tuple[OkrInitiative, ...]


@dataclass(frozen=True)
class OkrObjective(View):
    id: str
    title: str
    owner: str | None
    increment: str | None
    grade: float | None
    key_results: tuple[OkrKeyResult, ...]


@dataclass(frozen=True)
class OkrFinding(View):
    code: str
    message: str
    subject: str | None


@dataclass(frozen=True)
class OkrView(View):
    objectives: tuple[OkrObjective, ...]
    mean_grade: float | None
    #: Initiatives that serve no key result.
    unaligned: tuple[str, ...]
    #: Key results no initiative serves.
    orphan_key_results: tuple[str, ...]
    findings: tuple[OkrFinding, ...]


def kr_state(kind: str, grade: float | None, escalation: str | None) -> str:
    """``met`` / ``on-track`` / ``behind`` / ``escalated`` / ``no-data`` (0.7 is good for
    aspirational key results; committed ones must reach 1.0 or be escalated)."""
    if grade is None:
        return "no-data"
    if grade >= 1.0:
        return "met"
    if kind == "committed":
        return "escalated" if escalation else "behind"
    return "on-track" if grade >= 0.7 else "behind"


@section("okrs", "OKR tree", page="okrs", order=20)
def okrs(ctx: ReportContext) -> OkrView:
    """Objectives, key results graded 0.0-1.0 from baseline, target and current (or from the
    linked work done), their forecast, and the initiatives serving each."""
    program = ctx.program
    rag = {r.id: r for r in rag_of(ctx).initiatives}

    def initiative(iid: str) -> OkrInitiative:
        r = rag.get(iid)
        i = program.initiatives_by_id[iid]
        return OkrInitiative(
            iid,
            i.title,
            r.rag if r else None,
            i.status.value,
            r.items_done if r else 0,
            r.items_total if r else 0,
        )

    try:
        from scaleplan.analysis.okrs import okr_tree
    except ImportError:  # grade from the model alone
        return _okrs_from_model(ctx, initiative)
    tree = ctx.memo("okr_tree", lambda: okr_tree(program, as_of=ctx.as_of))
    objectives = []
    grades: list[float] = []
    for o in tree.objectives:
        krs = []
        for k in o.key_results:
            if k.grade is not None:
                grades.append(k.grade)
            krs.append(
                OkrKeyResult(
                    id=k.id,
                    title=k.title,
                    metric=k.metric,
                    unit=k.unit,
                    baseline=k.baseline,
                    target=k.target,
                    current=k.current,
                    grade=_round(k.grade),
                    source=k.source,
                    forecast=_round(k.forecast),
                    kind=k.kind,
                    state=kr_state(k.kind, k.grade, k.escalation),
                    escalation=k.escalation,
                    owner=k.owner,
                    initiatives=tuple(initiative(i.id) for i in k.initiatives),
                )
            )
        increment = program_objective_increment(program, o.id)
        objectives.append(
            OkrObjective(o.id, o.title, o.owner, increment, _round(o.grade), tuple(krs))
        )
    served = {k.id for o in objectives for k in o.key_results if k.initiatives}
    return OkrView(
        objectives=tuple(objectives),
        mean_grade=_round(sum(grades) / len(grades)) if grades else None,
        unaligned=tuple(i.id for i in tree.unaligned),
        orphan_key_results=tuple(
            k.id for o in objectives for k in o.key_results if k.id not in served
        ),
        findings=tuple(OkrFinding(f.code, f.message, f.subject) for f in tree.findings),
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def program_objective_increment(program: Program, objective_id: str) -> str | None:
    for o in program.objectives:
        if o.id == objective_id:
            return o.increment
    return None


def _okrs_from_model(ctx: ReportContext, initiative: Any) -> OkrView:
    program = ctx.program
    serving: dict[str, list[OkrInitiative]] = {}
    for i in program.initiatives:
        for kr in i.key_results:
            serving.setdefault(kr, []).append(initiative(i.id))
    objectives = []
    all_grades: list[float] = []
    for o in program.objectives:
        krs = []
        grades = []
        for k in o.key_results:
            g = kr_grade(k)
            if g is not None:
                grades.append(g)
            krs.append(
                OkrKeyResult(
                    id=k.id,
                    title=k.title,
                    metric=k.metric,
                    unit=k.unit,
                    baseline=k.baseline,
                    target=k.target,
                    current=k.current,
                    grade=g,
                    source="current" if g is not None else None,
                    forecast=None,
                    kind=k.kind.value,
                    state=kr_state(k.kind.value, g, k.escalation),
                    escalation=k.escalation,
                    owner=k.owner,
                    initiatives=tuple(serving.get(k.id, ())),
                )
            )
        all_grades.extend(grades)
        objectives.append(
            OkrObjective(
                o.id,
                o.title,
                o.owner,
                o.increment,
                round(sum(grades) / len(grades), 4) if grades else None,
                tuple(krs),
            )
        )
    return OkrView(
        objectives=tuple(objectives),
        mean_grade=round(sum(all_grades) / len(all_grades), 4) if all_grades else None,
        unaligned=tuple(
            i.id
            for i in program.initiatives
            if not i.key_results and i.status is not Status.CANCELLED
        ),
        orphan_key_results=tuple(k.id for k in program.key_results if k.id not in serving),
        findings=(),
    )


# --- teams ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamRow(View):
    id: str
    name: str
    type: str
    tribe: str | None
    lead: str | None
    members: int
    capacity_per_week: float
    services: int
    open_items: int
    remaining_effort: float
    #: Remaining effort / weekly capacity; None without capacity.
    weeks_of_work: float | None


@dataclass(frozen=True)
class TribeRow(View):
    id: str
    name: str
    lead: str | None
    teams: int
    people: int
    release_train: bool


@dataclass(frozen=True)
class TeamsView(View):
    teams: tuple[TeamRow, ...]
    tribes: tuple[TribeRow, ...]
    total_teams: int
    people: int


@section("teams", "Teams", page="teams", order=70)
def teams(ctx: ReportContext) -> TeamsView:
    """Teams with their size, capacity this week (after focus factor and the tech-debt
    reserve), services owned and open work."""
    program = ctx.program
    caps = capacity_now(ctx)
    open_items: dict[str, int] = {}
    effort: dict[str, float] = {}
    for item in program.work_items:
        if item.status.value in ("done", "cancelled"):
            continue
        open_items[item.team] = open_items.get(item.team, 0) + 1
        effort[item.team] = effort.get(item.team, 0.0) + remaining_effort(program, item)
    rows = []
    for t in program.teams:
        cap = caps.get(t.id, 0.0)
        rem = effort.get(t.id, 0.0)
        rows.append(
            TeamRow(
                id=t.id,
                name=t.name,
                type=t.type.value,
                tribe=t.tribe,
                lead=t.lead,
                members=len(program.members_by_team.get(t.id, ())),
                capacity_per_week=round(cap, 2),
                services=len(program.services_by_owner.get(t.id, ())),
                open_items=open_items.get(t.id, 0),
                remaining_effort=round(rem, 1),
                weeks_of_work=round(rem / cap, 1) if cap > 0 else None,
            )
        )
    tribes = []
    for tribe in program.tribes:
        members = [t for t in program.teams if t.tribe == tribe.id]
        people = sum(len(program.members_by_team.get(t.id, ())) for t in members)
        tribes.append(
            TribeRow(tribe.id, tribe.name, tribe.lead, len(members), people, tribe.release_train)
        )
    return TeamsView(tuple(rows[: ctx.limit]), tuple(tribes), len(rows), len(program.people))


# --- org chart -----------------------------------------------------------------------------


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


# --- services ------------------------------------------------------------------------------


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


# --- risks ---------------------------------------------------------------------------------


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


# --- cadences ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CadenceRow(View):
    id: str
    name: str
    frequency: str
    when: str
    duration_minutes: int
    attendees: str
    people: int
    #: Person-hours per week the meeting costs.
    person_hours_per_week: float
    facilitator: str | None
    purpose: str | None


@dataclass(frozen=True)
class CadencesView(View):
    rows: tuple[CadenceRow, ...]
    total_person_hours_per_week: float


@section("cadences", "Cadences", page="teams", order=95)
def cadences(ctx: ReportContext) -> CadencesView:
    """Declared sync meetings, who attends, and what they cost per week: the declared meetings
    of the org cadence plan (:func:`scaleplan.analysis.org.plan_cadences`), so the report and
    ``scaleplan org cadences`` count the same people (members and leads active on the report
    date) and the same hours."""
    from scaleplan.analysis.org import plan_cadences

    program = ctx.program
    plan = ctx.memo("cadences", lambda: plan_cadences(program, as_of=ctx.as_of))
    meetings = {m.id: m for m in plan.meetings if m.declared}
    rows = []
    total = 0.0
    for c in program.cadences:
        meeting = meetings.get(c.id)
        if meeting is None:  # nobody it names is active on the report date
            continue
        a = c.attendees
        parts = [
            label + ": " + ", ".join(values)
            for label, values in (
                ("teams", a.teams),
                ("tribes", a.tribes),
                ("guilds", a.guilds),
                ("chapters", a.chapters),
                ("roles", a.roles),
                ("people", a.people),
            )
            if values
        ]
        when = " ".join(x for x in (meeting.day, meeting.time, meeting.timezone) if x)
        hours = len(meeting.attendees) * meeting.weekly_hours
        total += hours
        rows.append(
            CadenceRow(
                id=c.id,
                name=c.name,
                frequency=c.frequency.value,
                when=when or "-",
                duration_minutes=c.duration_minutes,
                attendees="; ".join(parts) or "-",
                people=len(meeting.attendees),
                person_hours_per_week=round(hours, 1),
                facilitator=meeting.facilitator,
                purpose=c.purpose,
            )
        )
    return CadencesView(
        rows=tuple(rows[: ctx.limit]),
        total_person_hours_per_week=round(total, 1),
    )
