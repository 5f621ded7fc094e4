"""Sections that show analyses: priorities and cut line, roadmap Gantt, program board, team load
heatmap, forecasts and org diagnostics.

Each builder imports its analysis inside ``try/except ImportError`` and raises
:class:`Unavailable` when it is missing, so the section appears as soon as the analysis lands.
Where the model alone can say something useful (deadlines on a timeline, demand against
capacity), the builder falls back to that and says so in ``note``.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from scaleplan.analysis.capacity import (
    next_increment,
    remaining_effort,
    week_of,
    week_start,
)
from scaleplan.analysis.status import CapacityFrom, due_of
from scaleplan.reports.sections import ReportContext, Unavailable, View, section
from scaleplan.reports.views_model import rag_of

RagValue = Literal["green", "amber", "red"]


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _first_list(data: Mapping[str, Any], *keys: str) -> list[Any]:
    for key in keys:
        value = data.get(key)
        if isinstance(value, list):
            return value
    return []


def _as_dict(result: Any) -> dict[str, Any]:
    if hasattr(result, "to_dict"):
        data = result.to_dict()
        if isinstance(data, dict):
            return data
    if isinstance(result, Mapping):
        return dict(result)
    raise TypeError(f"unexpected analysis result {type(result).__name__}")


# --- the plan, shared by roadmap, board and load ------------------------------------------


@dataclass(frozen=True)
class PlannedRow:
    id: str
    team: str | None
    start: int
    end: int
    start_date: dt.date
    end_date: dt.date


@dataclass(frozen=True)
class Plan:
    """A plan reduced to what the charts need."""

    status: str
    backend: str
    origin: dt.date
    period_days: int
    rows: dict[str, PlannedRow]
    problem: Any
    result: Any


def optional(module: str, *names: str, what: str) -> list[Any]:
    """Attributes ``names`` of ``module``, or :class:`Unavailable` naming ``what`` is missing.

    Used for analyses that may not be installed (imported by name, so type checking does not
    depend on them being present)."""
    try:
        mod = importlib.import_module(module)
        return [getattr(mod, name) for name in names]
    except (ImportError, AttributeError):
        raise Unavailable(f"needs {what} ({module}), not in this version") from None


def plan_of(ctx: ReportContext) -> Plan:
    """Plan the program once per context with the planner's fast back-end; when hard deadlines
    cannot all hold, the plan shown is the planner's best one with them relaxed (as
    ``scaleplan plan`` shows it)."""
    (plan_program,) = optional("scaleplan.planning", "plan_program", what="the planning engine")

    def compute() -> Plan:
        planned = plan_program(
            ctx.program, backend="heuristic", time_limit=ctx.time_limit, seed=ctx.seed
        )
        shown = planned.shown
        problem = planned.problem
        if shown is not planned.result and planned.relaxed_problem is not None:
            problem = planned.relaxed_problem
        return plan_from(problem, shown, ctx.program.calendar.start)

    plan: Plan = ctx.memo("plan", compute)
    return plan


def _short(reason: object) -> str:
    """The first clause of a reason (the full one is shown by the program board)."""
    text = str(reason)
    return text.split(": ", 1)[0] if text.startswith("no feasible plan") else text


def plan_from(problem: Any, result: Any, default_origin: dt.date) -> Plan:
    """A :class:`Plan` from the planner's problem and ``PlanResult``; :class:`Unavailable`
    when the result holds no plan (with the planner's diagnosis)."""
    if not result.has_plan:
        findings = "; ".join(f.message for f in result.diagnosis[:3])
        raise Unavailable(
            f"no feasible plan ({result.status}){': ' + findings if findings else ''}"
        )
    origin = result.origin or default_origin
    rows = {}
    for item in result.items:
        start, end = result.date_of(item.start), result.date_of(item.end)
        rows[item.id] = PlannedRow(
            item.id, item.team, item.start, item.end, start or origin, end or origin
        )
    return Plan(result.status, result.backend, origin, result.period_days, rows, problem, result)


# --- priorities ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PriorityRow(View):
    rank: int
    id: str
    title: str
    score: float | None
    #: The formula with this initiative's numbers, or why it has no score.
    breakdown: str
    #: Above the cut line (None when no cut line was computed or the initiative is closed).
    selected: bool | None
    reason: str | None
    rag: RagValue | None


@dataclass(frozen=True)
class TeamCut(View):
    team: str
    load: float
    capacity: float


@dataclass(frozen=True)
class PrioritiesView(View):
    method: str
    formula: str
    tie_break: str
    rows: tuple[PriorityRow, ...]
    total: int
    cut_status: str | None
    increment: str | None
    #: Total priority weight above the line, and what the greedy baseline reaches.
    objective: float | None
    greedy_value: float | None
    teams: tuple[TeamCut, ...]
    note: str


@section("priorities", "Priorities and cut line", page="priorities", order=30, slow=True)
def priorities(ctx: ReportContext) -> PrioritiesView:
    """Initiatives ranked by the program's scoring method, and which fit the capacity of the
    next increment (the cut line), with the reason for each one left out."""
    try:
        from scaleplan.analysis.prioritisation import cut_line, score
    except ImportError:
        raise Unavailable(
            "needs the prioritisation analysis (scaleplan.analysis.prioritisation), "
            "not in this version"
        ) from None
    program = ctx.program
    ranking = ctx.memo("score", lambda: score(program))
    note = ""
    cut = None
    try:
        # The increment in progress on the as-of date (or the next one), for reproducibility.
        increment = next_increment(program, ctx.as_of)
        cut = ctx.memo(
            "cut_line",
            lambda: cut_line(
                program,
                increment.id if increment is not None else None,
                time_limit=ctx.time_limit,
                seed=ctx.seed,
            ),
        )
    except Exception as exc:  # the ranking is still worth showing
        note = f"Cut line not computed: {exc}"
    selected: dict[str, bool] = {}
    reasons: dict[str, str] = {}
    if cut is not None:
        for item in cut.selected:
            selected[item.id] = True
        for item in cut.below:
            selected[item.id] = False
            reasons[item.id] = "; ".join(r.message for r in item.reasons)
    rag = {r.id: r.rag for r in rag_of(ctx).initiatives}
    rows = [
        PriorityRow(
            rank=e.rank,
            id=e.id,
            title=e.title,
            score=e.score,
            breakdown=e.formula if e.score is not None else f"no score: {e.missing or 'no inputs'}",
            selected=selected.get(e.id),
            reason=reasons.get(e.id) or None,
            rag=rag.get(e.id),
        )
        for e in ranking.entries
    ]
    return PrioritiesView(
        method=ranking.label or ranking.method,
        formula=ranking.formula,
        tie_break=ranking.tie_break,
        rows=tuple(rows[: ctx.limit]),
        total=len(rows),
        cut_status=cut.status if cut is not None else None,
        increment=cut.increment if cut is not None else None,
        objective=round(cut.objective, 4) if cut is not None else None,
        greedy_value=round(cut.greedy_value, 4) if cut is not None else None,
        teams=tuple(TeamCut(t.team, round(t.load, 2), round(t.capacity, 2)) for t in cut.teams)
        if cut is not None
        else (),
        note=note,
    )


# --- roadmap -------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncrementSpan(View):
    id: str
    name: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class RoadmapBar(View):
    id: str
    title: str
    start: dt.date
    end: dt.date
    deadline: dt.date | None
    rag: RagValue | None
    #: Planned to end after its deadline.
    late: bool
    items: int


@dataclass(frozen=True)
class RoadmapMilestone(View):
    id: str
    title: str
    day: dt.date
    rag: RagValue | None


@dataclass(frozen=True)
class RoadmapView(View):
    #: ``plan`` (bars from the planner) or ``deadlines`` (model only: a milestone timeline).
    source: Literal["plan", "deadlines"]
    note: str
    start: dt.date
    end: dt.date
    today: dt.date
    increments: tuple[IncrementSpan, ...]
    bars: tuple[RoadmapBar, ...]
    milestones: tuple[RoadmapMilestone, ...]
    total: int
    plan_status: str | None


def _increments(ctx: ReportContext) -> tuple[IncrementSpan, ...]:
    return tuple(
        IncrementSpan(i.id, i.name or i.id, i.start, i.end)
        for i in sorted(ctx.program.calendar.increments, key=lambda i: i.start)
    )


@section("roadmap", "Roadmap", page="roadmap", order=40, slow=True)
def roadmap(ctx: ReportContext) -> RoadmapView:
    """Initiatives on a timeline: planned start to finish (from the plan) with deadlines and
    increments; without a planner, the deadlines on the calendar."""
    program = ctx.program
    rag = {r.id: r.rag for r in rag_of(ctx).initiatives}
    increments = _increments(ctx)
    cal_start = program.calendar.start
    cal_end = program.calendar.end or cal_start + dt.timedelta(weeks=26)
    try:
        plan = plan_of(ctx)
    except Unavailable as exc:
        points = sorted(
            (
                RoadmapMilestone(i.id, i.title, i.deadline, rag.get(i.id))
                for i in program.initiatives
                if i.deadline is not None and i.status.value not in ("done", "cancelled")
            ),
            key=lambda m: (m.day, m.id),
        )
        end = max([cal_end, *(m.day for m in points)])
        return RoadmapView(
            source="deadlines",
            note=f"deadlines only: {_short(exc)}",
            start=min(cal_start, ctx.as_of),
            end=end,
            today=ctx.as_of,
            increments=increments,
            bars=(),
            milestones=tuple(points[: ctx.limit]),
            total=len(points),
            plan_status=None,
        )
    bars = []
    for initiative in program.initiatives:
        rows = [
            plan.rows[w.id]
            for w in program.work_items_by_initiative.get(initiative.id, ())
            if w.id in plan.rows
        ]
        if not rows:
            continue
        start = min(r.start_date for r in rows)
        end = max(r.end_date for r in rows)
        bars.append(
            RoadmapBar(
                initiative.id,
                initiative.title,
                start,
                end,
                initiative.deadline,
                rag.get(initiative.id),
                initiative.deadline is not None and end > initiative.deadline,
                len(rows),
            )
        )
    bars.sort(key=lambda b: (b.start, b.end, b.id))
    end = max([cal_end, *(b.end for b in bars), *(b.deadline for b in bars if b.deadline)])
    return RoadmapView(
        source="plan",
        note=f"planned with the {plan.backend} back-end ({plan.status})",
        start=min([cal_start, ctx.as_of, *(b.start for b in bars)]),
        end=end,
        today=ctx.as_of,
        increments=increments,
        bars=tuple(bars[: ctx.limit]),
        milestones=(),
        total=len(bars),
        plan_status=plan.status,
    )


# --- program board -------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardCard(View):
    id: str
    title: str
    team: str
    initiative: str | None
    #: Index into ``sprints``: the sprint the item is planned to finish in.
    sprint: int
    rag: RagValue | None


@dataclass(frozen=True)
class BoardArrow(View):
    #: The item depended upon (must finish first) and the item that needs it.
    source: str
    target: str
    source_team: str
    target_team: str
    #: The dependency finishes in the same or a later sprint than the item that needs it.
    warning: bool


@dataclass(frozen=True)
class BoardView(View):
    increment: str | None
    sprints: tuple[str, ...]
    sprint_starts: tuple[dt.date, ...]
    teams: tuple[str, ...]
    cards: tuple[BoardCard, ...]
    arrows: tuple[BoardArrow, ...]
    warnings: tuple[str, ...]
    total_cards: int


@section("board", "Program board", page="board", order=50, slow=True)
def board(ctx: ReportContext) -> BoardView:
    """SAFe-style program board of the current or next increment: teams x sprints, each item
    in the sprint it is planned to finish, cross-team dependencies as arrows, and a warning
    where a dependency lands in the same or a later sprint than the item that needs it."""
    program = ctx.program
    plan = plan_of(ctx)
    increment = next_increment(program, ctx.as_of)
    sprint_days = program.calendar.sprint_weeks * 7
    if increment is not None:
        first, last = increment.start, increment.end
    else:
        first = max(ctx.as_of, program.calendar.start)
        last = first + dt.timedelta(weeks=12)
    # Sprints are aligned on the calendar start.
    offset = (first - program.calendar.start).days // sprint_days
    starts: list[dt.date] = []
    day = program.calendar.start + dt.timedelta(days=offset * sprint_days)
    while day < last and len(starts) < 26:
        starts.append(day)
        day += dt.timedelta(days=sprint_days)
    if not starts:
        starts = [first]
    labels = tuple(f"S{n + 1} {d.strftime('%d %b')}" for n, d in enumerate(starts))

    def sprint_of(day: dt.date) -> int:
        return (day - starts[0]).days // sprint_days

    rag = {r.id: r.rag for r in rag_of(ctx).initiatives}
    cards: dict[str, BoardCard] = {}
    for row in plan.rows.values():
        item = program.work_items_by_id.get(row.id)
        if item is None:
            continue
        finish = row.end_date - dt.timedelta(days=1)
        s = sprint_of(finish)
        if 0 <= s < len(starts):
            cards[item.id] = BoardCard(
                item.id, item.title, item.team, item.initiative, s, rag.get(item.initiative or "")
            )
    arrows = []
    warnings = []
    for card in cards.values():
        item = program.work_items_by_id[card.id]
        for dep in item.depends_on:
            other = program.work_items_by_id.get(dep.item)
            if other is None or other.team == item.team:
                continue
            if dep.item in cards:
                warning = cards[dep.item].sprint >= card.sprint
                arrows.append(BoardArrow(dep.item, card.id, other.team, item.team, warning))
                if warning:
                    warnings.append(
                        f"{card.id} ({item.team}, {labels[card.sprint]}) needs {dep.item} "
                        f"({other.team}, {labels[cards[dep.item].sprint]}) in the same or a later sprint"
                    )
            elif dep.item in plan.rows and plan.rows[dep.item].end_date > starts[-1] + dt.timedelta(
                days=sprint_days
            ):
                warnings.append(
                    f"{card.id} ({item.team}) needs {dep.item} ({other.team}), planned after this increment"
                )
    teams = tuple(t.id for t in program.teams if any(c.team == t.id for c in cards.values()))
    ordered = sorted(cards.values(), key=lambda c: (c.sprint, c.team, c.id))
    return BoardView(
        increment=increment.id if increment else None,
        sprints=labels,
        sprint_starts=tuple(starts),
        teams=teams[:60],
        cards=tuple(ordered[: ctx.limit * 5]),
        arrows=tuple(arrows[: ctx.limit * 5]),
        warnings=tuple(warnings[: ctx.limit]),
        total_cards=len(cards),
    )


# --- team load vs capacity -----------------------------------------------------------------


@dataclass(frozen=True)
class LoadView(View):
    #: ``plan``: planned load per sprint; ``deadlines``: work due in each increment.
    source: Literal["plan", "deadlines"]
    note: str
    columns: tuple[str, ...]
    teams: tuple[str, ...]
    #: ``values[i][j]`` = load / capacity of team i in column j (None: no capacity, no load).
    values: tuple[tuple[float | None, ...], ...]
    #: ``team · column`` cells over 100 %.
    overloaded: tuple[str, ...]


@section("load", "Team load vs capacity", page="roadmap", order=45, slow=True)
def load(ctx: ReportContext) -> LoadView:
    """Each team's planned load against its capacity per sprint (from the plan); without a
    planner, the work due in each increment against the capacity in it."""
    program = ctx.program
    try:
        plan = plan_of(ctx)
    except Unavailable as exc:
        return _load_from_deadlines(ctx, _short(exc))
    n_sprints = 13
    sprint = program.calendar.sprint_weeks
    first_week = max(week_of(program, ctx.as_of), week_of(program, plan.origin))
    columns = tuple(
        f"S{k + 1} {week_start(program, first_week + k * sprint).strftime('%d %b')}"
        for k in range(n_sprints)
    )
    problem = plan.problem
    per_week = 1 if getattr(problem, "unit", "week") == "week" else max(plan.period_days, 1)
    first_period = (first_week - week_of(program, plan.origin)) * per_week
    span = sprint * per_week
    teams = [t.id for t in program.teams]
    resource_of = {
        r.team: k for k, r in enumerate(problem.resources) if r.kind == "capacity" and r.team
    }
    used: dict[str, list[float]] = {t: [0.0] * n_sprints for t in teams}
    cap: dict[str, list[float]] = {t: [0.0] * n_sprints for t in teams}
    for team, k in resource_of.items():
        if team not in cap:
            continue
        resource = problem.resources[k]
        for j in range(n_sprints):
            start = first_period + j * span
            cap[team][j] = float(sum(resource.cap(p) for p in range(start, start + span)))
    by_id = plan.result.by_id
    for row in plan.rows.values():
        team = row.team
        if team is None or team not in used or row.id not in problem.index:
            continue
        k = resource_of.get(team, -1)
        activity = problem.activities[problem.index[row.id]]
        mode = activity.modes[by_id[row.id].mode]
        demand = sum(q for r, q in mode.demands if r == k)
        for p in range(max(row.start, first_period), min(row.end, first_period + n_sprints * span)):
            used[team][(p - first_period) // span] += demand
    values = []
    overloaded = []
    for team in teams:
        row_values: list[float | None] = []
        for k in range(n_sprints):
            c, u = cap[team][k], used[team][k]
            ratio = None if c <= 0 and u <= 0 else (u / c if c > 0 else 9.99)
            row_values.append(None if ratio is None else round(ratio, 3))
            if ratio is not None and ratio > 1.0 + 1e-6:
                overloaded.append(f"{team} · {columns[k]}")
        values.append(tuple(row_values))
    return LoadView(
        source="plan",
        note=f"planned demand / capacity per sprint in the {plan.backend} plan ({plan.status})",
        columns=columns,
        teams=tuple(teams[: ctx.limit]),
        values=tuple(values[: ctx.limit]),
        overloaded=tuple(overloaded[: ctx.limit]),
    )


def _load_from_deadlines(ctx: ReportContext, why: str) -> LoadView:
    program = ctx.program
    cap = CapacityFrom(program, ctx.as_of)
    windows: list[tuple[str, dt.date, dt.date]] = [
        (i.name or i.id, i.start, i.end)
        for i in sorted(program.calendar.increments, key=lambda i: i.start)
        if i.end > ctx.as_of
    ][:6]
    if not windows:
        start = ctx.as_of
        windows = [
            (
                f"Q+{k + 1}",
                start + dt.timedelta(weeks=13 * k),
                start + dt.timedelta(weeks=13 * (k + 1)),
            )
            for k in range(4)
        ]
    horizon = windows[-1][2]
    demand: dict[str, list[float]] = {t.id: [0.0] * (len(windows) + 1) for t in program.teams}
    for item in program.work_items:
        if item.status.value in ("done", "cancelled") or item.team not in demand:
            continue
        effort = remaining_effort(program, item)
        demand[item.team][-1] += effort
        due = due_of(program, item)
        if due is None:
            continue
        for k, (_, start, end) in enumerate(windows):
            if due < end and (due >= start or k == 0):
                demand[item.team][k] += effort
                break
    columns = (*(w[0] for w in windows), f"all open work to {horizon.isoformat()}")
    values = []
    overloaded = []
    for team in program.teams:
        row: list[float | None] = []
        for k, (_, start, end) in enumerate(windows):
            c = cap.until(team.id, end) - cap.until(team.id, max(start, ctx.as_of))
            d = demand[team.id][k]
            row.append(None if c <= 0 and d <= 0 else round(d / c, 3) if c > 0 else 9.99)
        c = cap.until(team.id, horizon)
        d = demand[team.id][-1]
        row.append(None if c <= 0 and d <= 0 else round(d / c, 3) if c > 0 else 9.99)
        for k, v in enumerate(row):
            if v is not None and v > 1.0:
                overloaded.append(f"{team.id} · {columns[k]}")
        values.append(tuple(row))
    return LoadView(
        source="deadlines",
        note=(
            "work due in each increment / capacity in it (items without a deadline count only "
            f"in the last column); {why}"
        ),
        columns=columns,
        teams=tuple(t.id for t in program.teams[: ctx.limit]),
        values=tuple(values[: ctx.limit]),
        overloaded=tuple(overloaded[: ctx.limit]),
    )


# --- forecasts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ForecastRow(View):
    id: str
    title: str
    deadline: dt.date | None
    p50: dt.date | None
    p70: dt.date | None
    p85: dt.date | None
    p95: dt.date | None
    #: Probability of finishing by the deadline.
    probability: float | None


@dataclass(frozen=True)
class ForecastsView(View):
    as_of: dt.date
    method: str
    trials: int | None
    rows: tuple[ForecastRow, ...]
    total: int
    note: str


#: Monte Carlo trials of the plan-based forecast in reports and the dashboard.
REPORT_TRIALS = 2_000


@section("forecasts", "Forecasts", page="forecasts", order=60, slow=True)
def forecasts(ctx: ReportContext) -> ForecastsView:
    """Monte Carlo forecasts from the plan: P50-P95 finish dates per initiative as cones and
    the probability of meeting each deadline."""
    (run,) = optional(
        "scaleplan.analysis.forecasting.plan", "forecast_plan", what="the forecasting analysis"
    )
    program = ctx.program
    # 2,000 trials keep the report fast; the Monte Carlo error of each date is in the JSON.
    result = _as_dict(
        ctx.memo("forecast", lambda: run(program, seed=ctx.seed, trials=REPORT_TRIALS))
    )
    rows = []
    for row in _first_list(result, "initiatives", "milestones", "rows", "forecasts"):
        if not isinstance(row, dict):
            continue
        ident = str(row.get("id") or row.get("initiative") or "")
        initiative = program.initiatives_by_id.get(ident)
        pct = row.get("percentiles") if isinstance(row.get("percentiles"), dict) else row
        assert isinstance(pct, dict)

        def pick(key: str, pct: dict[str, Any] = pct) -> dt.date | None:
            return _date(pct.get(key, pct.get(key.upper(), pct.get(key[1:]))))

        deadline = _date(row.get("deadline")) or (initiative.deadline if initiative else None)
        rows.append(
            ForecastRow(
                id=ident,
                title=str(row.get("title") or (initiative.title if initiative else ident)),
                deadline=deadline,
                p50=pick("p50"),
                p70=pick("p70"),
                p85=pick("p85"),
                p95=pick("p95"),
                probability=_float(
                    row.get("probability", row.get("p_deadline", row.get("on_time")))
                ),
            )
        )
    return ForecastsView(
        as_of=ctx.as_of,
        method=str(result.get("method") or "monte-carlo"),
        trials=int(result["trials"]) if isinstance(result.get("trials"), int) else None,
        rows=tuple(rows[: ctx.limit]),
        total=len(rows),
        note=str(result.get("coverage") or result.get("note") or ""),
    )


# --- org diagnostics -----------------------------------------------------------------------


@dataclass(frozen=True)
class OrgFinding(View):
    code: str
    severity: str
    title: str
    unit: str
    message: str
    threshold: str
    source: str
    hint: str | None


@dataclass(frozen=True)
class OrgDiagnosticsView(View):
    findings: tuple[OrgFinding, ...]
    total: int
    errors: int
    warnings: int
    congruence: float | None
    missing_pairs: tuple[str, ...]


@section("org_diagnostics", "Org diagnostics", page="teams", order=74, slow=True)
def org_diagnostics(ctx: ReportContext) -> OrgDiagnosticsView:
    """Team sizes, spans of control, team types, cognitive load and other rules of thumb, and
    socio-technical congruence (Conway's law)."""
    try:
        from scaleplan.analysis.org import diagnose
    except ImportError:
        raise Unavailable(
            "needs the org analysis (scaleplan.analysis.org), not in this version"
        ) from None
    from scaleplan.analysis.org import plan_cadences

    program = ctx.program
    plan = ctx.memo("cadences", lambda: plan_cadences(program, as_of=ctx.as_of))
    report = ctx.memo("org", lambda: diagnose(program, as_of=ctx.as_of, plan=plan))
    findings = [
        OrgFinding(
            code=f.code,
            severity=f.severity,
            title=f.title,
            unit=f"{f.unit_kind} {f.unit}",
            message=f.message,
            threshold=f.threshold,
            source=f.source,
            hint=f.hint,
        )
        for f in report.findings
    ]
    cong = report.congruence
    return OrgDiagnosticsView(
        findings=tuple(findings[: ctx.limit]),
        total=len(findings),
        errors=len(report.errors),
        warnings=len(report.warnings),
        congruence=round(cong.ratio, 4) if cong is not None else None,
        missing_pairs=tuple(f"{p.a} ↔ {p.b}" for p in cong.gaps[: ctx.limit]) if cong else (),
    )
