"""Program status: RAG per initiative with its reason, and what changed between two versions.

Everything here is a pure function of one or two :class:`~scaleplan.model.Program` values and an
"as of" date, so the same inputs always give the same answer.

RAG rules (first match wins for the colour; every reason found is kept)
-----------------------------------------------------------------------
* **red** — the initiative itself is ``blocked``; its deadline (or an open item's) has passed;
  an item cannot finish by its deadline even with unlimited capacity (its chain of open
  prerequisites, each at ``max_people``); or a team cannot do, before the deadline, the work
  due by then (EDF demand / capacity > 1.0).
* **amber** — a team needs more than 85 % of its capacity before the deadline; an item is
  ``blocked``; an open (not yet ROAMed) risk with exposure >= 1 week threatens it; or an
  initiative it depends on is red.
* **green** — none of the above, or done.

The demand / capacity test is the earliest-deadline-first (EDF) fluid bound: a team can meet
every deadline only if, for each deadline ``D``, the remaining effort of its open items due by
``D`` fits in its capacity between today and ``D`` (capacity from
:mod:`scaleplan.analysis.capacity`: focus factor, holidays, time off, hiring, tech-debt reserve).
It ignores dependencies and so never calls red what a plan could still save; red is certain.

Projected finish dates (used for "slipped / improved") come from the same EDF queue: each team
works through its open items by due date (then file order) at its weekly capacity. It is a
capacity projection, not a schedule; the planner and the forecasts give better dates.

>>> from scaleplan import load_program  # doctest: +SKIP
>>> report = initiative_rag(load_program("examples/shopscale"))  # doctest: +SKIP
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from scaleplan.analysis.capacity import remaining_effort, team_capacity, week_of, week_start
from scaleplan.model import (
    Initiative,
    KeyResult,
    Program,
    Risk,
    RoamStatus,
    Status,
    WorkItem,
)

Rag = Literal["green", "amber", "red"]

#: Demand / capacity above which a team's load before a deadline turns an initiative amber.
AMBER_LOAD = 0.85
#: Demand / capacity above which the deadline cannot be met (red).
RED_LOAD = 1.0
#: Exposure (probability x impact in weeks) from which an open risk turns an initiative amber.
RISK_EXPOSURE_WEEKS = 1.0
#: Projections further out than this many weeks are reported as "beyond the horizon" (None).
HORIZON_WEEKS = 520
#: Projected dates that move by fewer days than this are not reported as slipped or improved.
MIN_SHIFT_DAYS = 3

_CLOSED = (Status.DONE, Status.CANCELLED)
_RANK = {"green": 0, "amber": 1, "red": 2}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


class _ToDict:
    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))  # type: ignore[call-overload]


# --- key results ---------------------------------------------------------------------------


def kr_grade(kr: KeyResult) -> float | None:
    """Google-style grade 0.0-1.0: progress from baseline to target, clamped.

    Works for falling metrics too (target below baseline). ``None`` when no current value.

    >>> from scaleplan.model import KeyResult
    >>> kr_grade(KeyResult(id="k", title="t", baseline=10, target=20, current=17))
    0.7
    >>> kr_grade(KeyResult(id="k", title="t", baseline=60, target=10, current=35))
    0.5
    """
    raw = _raw_grade(kr)
    return None if raw is None else round(raw, 4)


def _raw_grade(kr: KeyResult) -> float | None:
    # one grading rule for the whole tool (target == baseline is load error E305)
    from scaleplan.analysis.okrs import grade

    return None if kr.current is None else grade(kr.baseline, kr.target, kr.current)


# --- capacity helpers ----------------------------------------------------------------------


class CapacityFrom:
    """Capacity of each team from an "as of" date on, in person-weeks, computed lazily.

    Week ``w`` of the calendar holds ``team_capacity(w)``, spread evenly over its seven days;
    time before the as-of date is not available.
    """

    def __init__(self, program: Program, as_of: dt.date) -> None:
        self.program = program
        self.as_of = as_of
        self.week0 = week_of(program, as_of)
        self.origin = week_start(program, self.week0)
        #: Days of the first week already gone on the as-of date.
        self.gone = (as_of - self.origin).days
        self._weekly: dict[str, list[float]] = {}
        self._sums: dict[str, list[float]] = {}

    def _week(self, team: str, i: int) -> float:
        """Full capacity of the ``i``-th week from the as-of week."""
        caps = self._weekly.setdefault(team, [])
        while len(caps) <= i:
            w = self.week0 + len(caps)
            caps.append(team_capacity(self.program, team, w) if w >= 0 else 0.0)
        return caps[i]

    def _prefix(self, team: str, k: int) -> float:
        """Sum of the full capacities of weeks ``0 .. k-1`` (prefix sums, extended lazily)."""
        sums = self._sums.setdefault(team, [0.0])
        while len(sums) <= k:
            sums.append(sums[-1] + self._week(team, len(sums) - 1))
        return sums[k]

    def now(self, team: str) -> float:
        """Full-week capacity of ``team`` in the week of the as-of date (or week 0)."""
        return team_capacity(self.program, team, max(self.week0, 0))

    def until(self, team: str, day: dt.date) -> float:
        """Person-weeks ``team`` has between the as-of date and ``day`` (0 if not after it)."""
        end = min((day - self.origin).days, HORIZON_WEEKS * 7)
        if end <= self.gone:
            return 0.0
        full, rest = divmod(end, 7)
        if full == 0:
            return self._week(team, 0) * (end - self.gone) / 7.0
        total = self._prefix(team, full) - self._week(team, 0) * self.gone / 7.0
        if rest:
            total += self._week(team, full) * rest / 7.0
        return total

    def when(self, team: str, demand: float) -> dt.date | None:
        """Day by which ``team`` has spent ``demand`` person-weeks from the as-of date on."""
        if demand <= 1e-9:
            return self.as_of
        spent = 0.0
        for i in range(HORIZON_WEEKS):
            cap = self._week(team, i)
            lo = max(i * 7, self.gone)
            days = i * 7 + 7 - lo
            available = cap * days / 7.0
            if available > 0 and spent + available >= demand - 1e-9:
                used = (demand - spent) / available * days
                return self.origin + dt.timedelta(days=math.ceil(lo + used - 1e-9))
            spent += available
        return None


def due_of(program: Program, item: WorkItem) -> dt.date | None:
    """An item's effective deadline: its own or its initiative's, whichever is earlier."""
    dates = [item.deadline]
    if item.initiative is not None:
        initiative = program.initiatives_by_id.get(item.initiative)
        if initiative is not None:
            dates.append(initiative.deadline)
    present = [d for d in dates if d is not None]
    return min(present) if present else None


def _open(item: WorkItem) -> bool:
    return item.status not in _CLOSED


def _team_queues(program: Program) -> dict[str, list[tuple[WorkItem, float, dt.date | None]]]:
    """Open items of each team in EDF order (due date, then file order) with remaining effort."""
    queues: dict[str, list[tuple[int, WorkItem, float, dt.date | None]]] = {}
    for index, item in enumerate(program.work_items):
        if not _open(item) or item.team not in program.teams_by_id:
            continue
        queues.setdefault(item.team, []).append(
            (index, item, remaining_effort(program, item), due_of(program, item))
        )
    out: dict[str, list[tuple[WorkItem, float, dt.date | None]]] = {}
    for team, rows in queues.items():
        rows.sort(key=lambda r: (r[3] is None, r[3] or dt.date.max, r[0]))
        out[team] = [(item, effort, due) for _, item, effort, due in rows]
    return out


# --- RAG -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamLoad(_ToDict):
    """Work a team must finish before a date against the capacity it has until then."""

    team: str
    demand: float
    capacity: float

    @property
    def ratio(self) -> float:
        if self.capacity <= 0:
            return float("inf") if self.demand > 0 else 0.0
        return self.demand / self.capacity


@dataclass(frozen=True)
class InitiativeRag(_ToDict):
    """Red / amber / green of one initiative with every reason found, worst first."""

    id: str
    title: str
    rag: Rag
    reason: str
    reasons: tuple[str, ...]
    status: str
    due: dt.date | None
    items_done: int
    items_total: int
    remaining_effort: float
    owner: str | None = None


@dataclass(frozen=True)
class RagReport(_ToDict):
    as_of: dt.date
    initiatives: tuple[InitiativeRag, ...]

    @property
    def counts(self) -> dict[str, int]:
        out = {"green": 0, "amber": 0, "red": 0}
        for row in self.initiatives:
            out[row.rag] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "counts": self.counts,
            "initiatives": [r.to_dict() for r in self.initiatives],
        }


def _fmt(x: float) -> str:
    return f"{x:.1f}"


def initiative_rag(program: Program, *, as_of: dt.date | None = None) -> RagReport:
    """RAG of every initiative that is not cancelled, in file order (rules in the module doc)."""
    today = as_of or dt.date.today()
    cap = CapacityFrom(program, today)
    queues = _team_queues(program)
    # Demand by due date per team: sorted (due, cumulative demand) for items with a due date.
    cumulative: dict[str, list[tuple[dt.date, float]]] = {}
    for team, queue in queues.items():
        total = 0.0
        by_due: list[tuple[dt.date, float]] = []
        for _item, effort, due in queue:
            if due is None:
                continue
            total += effort
            by_due.append((due, total))
        cumulative[team] = by_due
    risks_by_target: dict[str, list[Risk]] = {}
    for risk in program.risks:
        if risk.status is RoamStatus.OPEN:
            for target in risk.items:
                risks_by_target.setdefault(target, []).append(risk)

    def demand_by(team: str, day: dt.date) -> float:
        rows = cumulative.get(team, [])
        k = bisect.bisect_right(rows, day, key=lambda r: r[0])
        return rows[k - 1][1] if k else 0.0

    chains = earliest_finish(program, as_of=today)

    found: dict[str, tuple[Rag, list[tuple[int, str]]]] = {}
    rows: dict[str, InitiativeRag] = {}
    for initiative in program.initiatives:
        if initiative.status is Status.CANCELLED:
            continue
        items = program.work_items_by_initiative.get(initiative.id, ())
        live = [i for i in items if i.status is not Status.CANCELLED]
        open_items = [i for i in live if _open(i)]
        done = sum(1 for i in live if i.status is Status.DONE)
        remaining = sum(remaining_effort(program, i) for i in open_items)
        reasons: list[tuple[int, str]] = []  # (severity 0..2, text)
        finished = initiative.status is Status.DONE or (bool(live) and not open_items)
        if finished:
            reasons.append((0, "done"))
        else:
            reasons.extend(
                _rag_reasons(program, initiative, open_items, today, cap, demand_by, chains)
            )
            for target in (initiative.id, *(i.id for i in open_items)):
                for risk in risks_by_target.get(target, ()):
                    exposure = risk.probability * risk.impact_weeks
                    if exposure >= RISK_EXPOSURE_WEEKS:
                        reasons.append(
                            (
                                1,
                                f"open risk {risk.id} not ROAMed "
                                f"(exposure {risk.probability:.0%} x {risk.impact_weeks:g} wk "
                                f"= {exposure:.1f} wk)",
                            )
                        )
        found[initiative.id] = ("green", reasons)
        rows[initiative.id] = InitiativeRag(
            id=initiative.id,
            title=initiative.title,
            rag="green",
            reason="",
            reasons=(),
            status=initiative.status.value,
            due=initiative.deadline,
            items_done=done,
            items_total=len(live),
            remaining_effort=round(remaining, 2),
            owner=initiative.owner,
        )
    # Upstream red makes dependants amber; walk in dependency order so chains propagate.
    for initiative in _dependency_order(program.initiatives):
        if initiative.id not in found:
            continue
        _, reasons = found[initiative.id]
        if reasons and reasons[0] == (0, "done"):
            continue
        for dep in initiative.depends_on:
            if dep in found and _worst(found[dep][1]) == 2:
                reasons.append((1, f"depends on {dep}, which is red"))
        found[initiative.id] = (_colour(reasons), reasons)
    out = []
    for initiative_id, row in rows.items():
        colour, reasons = found[initiative_id]
        colour = _colour(reasons)
        ordered = sorted(reasons, key=lambda r: -r[0])
        texts = tuple(dict.fromkeys(text for _, text in ordered))
        if not texts:
            texts = (_green_reason(row),)
        out.append(
            InitiativeRag(
                **{**asdict(row), "rag": colour, "reason": texts[0], "reasons": texts},
            )
        )
    return RagReport(as_of=today, initiatives=tuple(out))


def _green_reason(row: InitiativeRag) -> str:
    if row.items_total == 0:
        return "no work items yet"
    if row.due is None:
        return f"no deadline; {row.items_done}/{row.items_total} items done"
    return f"fits the capacity before {row.due.isoformat()}"


def _worst(reasons: list[tuple[int, str]]) -> int:
    return max((s for s, _ in reasons), default=0)


def _colour(reasons: list[tuple[int, str]]) -> Rag:
    colours: tuple[Rag, Rag, Rag] = ("green", "amber", "red")
    return colours[_worst(reasons)]


def _rag_reasons(
    program: Program,
    initiative: Initiative,
    open_items: list[WorkItem],
    today: dt.date,
    cap: CapacityFrom,
    demand_by: Any,
    chains: dict[str, Chain],
) -> list[tuple[int, str]]:
    reasons: list[tuple[int, str]] = []
    if initiative.status is Status.BLOCKED:
        reasons.append((2, "initiative is blocked"))
    blocked = [i.id for i in open_items if i.status is Status.BLOCKED]
    if blocked:
        shown = ", ".join(blocked[:3]) + (
            f" and {len(blocked) - 3} more" if len(blocked) > 3 else ""
        )
        reasons.append((1, f"{len(blocked)} item{'s' * (len(blocked) != 1)} blocked: {shown}"))
    remaining = sum(remaining_effort(program, i) for i in open_items)
    if initiative.deadline is not None and initiative.deadline < today:
        reasons.append(
            (
                2,
                f"deadline {initiative.deadline.isoformat()} passed with "
                f"{_fmt(remaining)} person-weeks left",
            )
        )
    late = [i for i in open_items if i.deadline is not None and i.deadline < today]
    if late:
        first = min(late, key=lambda i: (i.deadline, i.id))
        more = f" (and {len(late) - 1} more)" if len(late) > 1 else ""
        assert first.deadline is not None
        reasons.append((2, f"item {first.id} missed its deadline {first.deadline}{more}"))
    # Dependency chains: the earliest an item can finish with every item at its max_people.
    worst: tuple[float, WorkItem, dt.date] | None = None
    for item in open_items:
        due = due_of(program, item)
        chain = chains.get(item.id)
        if due is None or due < today or chain is None:
            continue
        overdue = chain.weeks - (due - today).days / 7.0
        if overdue > 1e-6 and (worst is None or overdue > worst[0]):
            worst = (overdue, item, due)
    if worst is not None:
        _, item, due = worst
        chain = chains[item.id]
        path = " -> ".join(chain.path[-4:])
        if len(chain.path) > 4:
            path = "… -> " + path
        reasons.append(
            (
                2,
                f"item {item.id} cannot finish before {chain.finish(today).isoformat()}, after "
                f"its deadline {due.isoformat()} ({path}: {chain.weeks:.1f} weeks even at "
                "max_people)",
            )
        )
    # Capacity before each due date the initiative's open items have.
    checks: dict[str, TeamLoad] = {}
    for item in open_items:
        due = due_of(program, item)
        if due is None or due < today or item.team not in program.teams_by_id:
            continue
        load = TeamLoad(item.team, demand_by(item.team, due), cap.until(item.team, due))
        previous = checks.get(item.team)
        if previous is None or load.ratio > previous.ratio:
            checks[item.team] = load
    for team, load in sorted(checks.items(), key=lambda kv: -kv[1].ratio):
        due_text = _due_text(program, initiative, open_items, team)
        if load.capacity <= 0 and load.demand > 0:
            reasons.append((2, f"team {team} has no capacity before {due_text}"))
        elif load.ratio > RED_LOAD:
            reasons.append(
                (
                    2,
                    f"team {team} needs {_fmt(load.demand)} pw by {due_text} "
                    f"but has {_fmt(load.capacity)} pw ({load.ratio:.0%})",
                )
            )
        elif load.ratio > AMBER_LOAD:
            reasons.append(
                (
                    1,
                    f"team {team} at {load.ratio:.0%} of its capacity before {due_text} "
                    f"({_fmt(load.demand)} of {_fmt(load.capacity)} pw)",
                )
            )
    return reasons


def _due_text(
    program: Program, initiative: Initiative, open_items: list[WorkItem], team: str
) -> str:
    dues = [due_of(program, i) for i in open_items if i.team == team]
    present = [d for d in dues if d is not None]
    return (min(present) if present else initiative.deadline or dt.date.max).isoformat()


def _dependency_order(initiatives: Iterable[Initiative]) -> list[Initiative]:
    from scaleplan.model.graphs import topological_order

    items = list(initiatives)
    by_id = {i.id: i for i in items}
    edges: dict[str, list[str]] = {i.id: [] for i in items}
    for i in items:
        for dep in i.depends_on:
            if dep in edges:
                edges[dep].append(i.id)
    try:
        return [by_id[n] for n in topological_order(edges)]
    except ValueError:  # a cycle is a load error; be safe anyway
        return items


@dataclass(frozen=True)
class Chain:
    """The earliest an open item can finish: ``weeks`` from the as-of date along ``path``
    (its longest chain of open prerequisites, ending with the item)."""

    weeks: float
    path: tuple[str, ...]

    def finish(self, as_of: dt.date) -> dt.date:
        return as_of + dt.timedelta(days=math.ceil(self.weeks * 7 - 1e-9))


def person_rate(program: Program, team_id: str) -> float:
    """Person-weeks of effort one full-time person of ``team_id`` delivers in a week: focus
    factor x (1 - tech-debt reserve), as the planner counts it (holidays left out, so the
    bound stays optimistic)."""
    from scaleplan.analysis.capacity import focus_of

    team = program.teams_by_id.get(team_id)
    if team is None:
        return 0.0
    return focus_of(program, team) * (1.0 - program.settings.tech_debt_reserve)


def earliest_finish(program: Program, *, as_of: dt.date | None = None) -> dict[str, Chain]:
    """For each open work item, the earliest finish if capacity were unlimited: its remaining
    effort / (people x a person's weekly rate, :func:`person_rate`) with ``max_people`` people
    (at most the team's size), after its open prerequisites (plus lags) and its earliest
    start. Items of unknown teams are left out (and so are their dependants). A lower bound:
    a deadline before it cannot be met."""
    from scaleplan.model.graphs import topological_order

    today = as_of or dt.date.today()
    items = {i.id: i for i in program.work_items if _open(i)}
    edges: dict[str, list[str]] = {i: [] for i in items}
    for item in items.values():
        for dep in item.depends_on:
            if dep.item in items:
                edges[dep.item].append(item.id)
    try:
        order = topological_order(edges)
    except ValueError:  # a cycle is a load error; stay safe
        return {}
    out: dict[str, Chain] = {}
    for item_id in order:
        item = items[item_id]
        members = len(program.members_by_team.get(item.team, ()))
        people = min(item.max_people, members) if members else item.max_people
        rate = person_rate(program, item.team) * people
        if rate <= 0:
            continue
        start: float = 0.0
        path: tuple[str, ...] = ()
        if item.earliest_start is not None:
            start = max((item.earliest_start - today).days / 7.0, 0.0)
        blocked = False
        for dep in item.depends_on:
            if dep.item not in items:
                continue
            before = out.get(dep.item)
            if before is None:
                blocked = True
                break
            if before.weeks + dep.lag_weeks > start:
                start, path = before.weeks + dep.lag_weeks, before.path
        if blocked:
            continue
        weeks = start + remaining_effort(program, item) / rate
        out[item_id] = Chain(round(weeks, 6), (*path, item_id))
    return out


# --- projection ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Projection(_ToDict):
    """EDF capacity projection of one initiative's finish."""

    initiative: str
    finish: dt.date | None
    remaining_effort: float
    #: Person-weeks of other work queued ahead of its last item, per team.
    ahead: dict[str, float] = field(default_factory=dict)
    capacity_now: dict[str, float] = field(default_factory=dict)


def project_finish(program: Program, *, as_of: dt.date | None = None) -> dict[str, Projection]:
    """Projected finish of each open initiative (see the module doc); ``finish`` is ``None``
    when beyond the horizon or when a team has no capacity."""
    today = as_of or dt.date.today()
    cap = CapacityFrom(program, today)
    queues = _team_queues(program)
    finish_of: dict[str, dt.date | None] = {}
    ahead_of: dict[str, dict[str, float]] = {}
    for team, queue in queues.items():
        total = 0.0
        own: dict[str, float] = {}
        for item, effort, _due in queue:
            total += effort
            finish_of[item.id] = cap.when(team, total)
            if item.initiative is not None:
                own[item.initiative] = own.get(item.initiative, 0.0) + effort
                # Work of other initiatives queued before this initiative's last item.
                ahead_of.setdefault(item.initiative, {})[team] = round(
                    total - own[item.initiative], 4
                )
    out: dict[str, Projection] = {}
    for initiative in program.initiatives:
        if initiative.status in _CLOSED:
            continue
        open_items = [
            i for i in program.work_items_by_initiative.get(initiative.id, ()) if _open(i)
        ]
        if not open_items:
            continue
        dates = [finish_of.get(i.id) for i in open_items]
        finish = None if any(d is None for d in dates) else max(d for d in dates if d)
        teams = sorted({i.team for i in open_items if i.team in program.teams_by_id})
        out[initiative.id] = Projection(
            initiative=initiative.id,
            finish=finish,
            remaining_effort=round(sum(remaining_effort(program, i) for i in open_items), 4),
            ahead=ahead_of.get(initiative.id, {}),
            capacity_now={t: round(cap.now(t), 4) for t in teams},
        )
    return out


# --- diff of two programs ------------------------------------------------------------------

ItemChangeKind = Literal["added", "removed", "completed", "reopened", "blocked", "unblocked"]


@dataclass(frozen=True)
class ItemChange(_ToDict):
    id: str
    title: str
    team: str
    initiative: str | None
    change: ItemChangeKind
    before: str | None
    after: str | None


@dataclass(frozen=True)
class KrDelta(_ToDict):
    id: str
    title: str
    objective: str
    before: float | None
    after: float | None
    grade_before: float | None
    grade_after: float | None
    #: Change of the grade (after - before); None when either grade is unknown.
    delta: float | None
    kind: str


@dataclass(frozen=True)
class RiskChange(_ToDict):
    id: str
    title: str
    change: Literal["new", "removed", "changed"]
    before: str | None
    after: str | None
    details: tuple[str, ...]
    exposure_weeks: float


@dataclass(frozen=True)
class CapacityChange(_ToDict):
    team: str
    name: str
    people_before: int
    people_after: int
    capacity_before: float
    capacity_after: float
    joined: tuple[str, ...]
    left: tuple[str, ...]


@dataclass(frozen=True)
class DateChange(_ToDict):
    initiative: str
    title: str
    before: dt.date | None
    after: dt.date | None
    #: Positive = later (slipped), negative = earlier (improved), in days.
    shift_days: int | None
    direction: Literal["slipped", "improved", "now-open", "beyond-horizon"]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class RagChange(_ToDict):
    initiative: str
    title: str
    before: Rag | None
    after: Rag
    reason: str


@dataclass(frozen=True)
class StatusReport(_ToDict):
    """What changed between ``before`` (at ``since``) and now, plus today's RAG."""

    program: str
    since: str
    before_as_of: dt.date
    as_of: dt.date
    items: tuple[ItemChange, ...]
    key_results: tuple[KrDelta, ...]
    risks: tuple[RiskChange, ...]
    capacity: tuple[CapacityChange, ...]
    dates: tuple[DateChange, ...]
    rag_changes: tuple[RagChange, ...]
    rag: RagReport
    #: Open initiatives with exactly the remaining work they had (no progress recorded).
    stale: tuple[str, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        kinds = ("added", "removed", "completed", "reopened", "blocked", "unblocked")
        out = {k: sum(1 for c in self.items if c.change == k) for k in kinds}
        out["slipped"] = sum(1 for d in self.dates if d.direction == "slipped")
        out["improved"] = sum(1 for d in self.dates if d.direction == "improved")
        out["risks_new"] = sum(1 for r in self.risks if r.change == "new")
        out["risks_changed"] = sum(1 for r in self.risks if r.change != "new")
        out["key_results_moved"] = len(self.key_results)
        out["teams_changed"] = len(self.capacity)
        out["stale"] = len(self.stale)
        return out

    @property
    def summary(self) -> str:
        """One line of counts: items, projected dates, RAG."""
        c = self.counts
        rag = self.rag.counts
        parts = [
            f"{c['completed']} item{'s' * (c['completed'] != 1)} done",
            f"{c['added']} added",
            f"{c['removed']} removed",
        ]
        if c["blocked"]:
            parts.append(f"{c['blocked']} newly blocked")
        dates = f"{c['slipped']} slipped, {c['improved']} improved"
        return (
            f"{', '.join(parts)}; {dates}; "
            f"RAG {rag['green']} green / {rag['amber']} amber / {rag['red']} red"
        )

    @property
    def headline(self) -> str:
        return f"{self.program} since {self.since}: {self.summary}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "since": self.since,
            "before_as_of": self.before_as_of.isoformat(),
            "as_of": self.as_of.isoformat(),
            "headline": self.headline,
            "summary": self.summary,
            "counts": self.counts,
            "stale": list(self.stale),
            "items": [c.to_dict() for c in self.items],
            "key_results": [k.to_dict() for k in self.key_results],
            "risks": [r.to_dict() for r in self.risks],
            "capacity": [c.to_dict() for c in self.capacity],
            "dates": [d.to_dict() for d in self.dates],
            "rag_changes": [r.to_dict() for r in self.rag_changes],
            "rag": self.rag.to_dict(),
        }


def diff_programs(
    before: Program,
    after: Program,
    *,
    since: str = "before",
    as_of: dt.date | None = None,
    before_as_of: dt.date | None = None,
    min_shift_days: int = MIN_SHIFT_DAYS,
) -> StatusReport:
    """Compare two versions of a program: items added / removed / completed / blocked, KR
    progress, risks, team capacity, projected finish dates (with why) and RAG changes.

    ``as_of`` is the date of ``after`` (default today); ``before_as_of`` the date ``before``
    was taken (default ``as_of``). RAG and capacity of each version are taken at its own date;
    projected finish dates of both versions are made from ``as_of``, so a date moves only
    because the program changed (scope, progress, capacity, deadlines) — initiatives whose
    remaining work did not change while time passed are listed in ``stale`` instead.
    """
    today = as_of or dt.date.today()
    then = before_as_of or today
    rag_after = initiative_rag(after, as_of=today)
    rag_before = initiative_rag(before, as_of=then)
    return StatusReport(
        program=after.program.name,
        since=since,
        before_as_of=then,
        as_of=today,
        items=_item_changes(before, after),
        key_results=_kr_deltas(before, after),
        risks=_risk_changes(before, after),
        capacity=_capacity_changes(before, after, then, today),
        dates=_date_changes(before, after, today, min_shift_days),
        rag_changes=_rag_changes(rag_before, rag_after),
        rag=rag_after,
        stale=_stale(before, after) if then < today else (),
    )


def _stale(before: Program, after: Program) -> tuple[str, ...]:
    """Open initiatives whose remaining effort is exactly what it was: no progress recorded."""
    out = []
    for initiative in after.initiatives:
        if initiative.status in _CLOSED or initiative.id not in before.initiatives_by_id:
            continue
        now = [i for i in after.work_items_by_initiative.get(initiative.id, ()) if _open(i)]
        was = [i for i in before.work_items_by_initiative.get(initiative.id, ()) if _open(i)]
        if not now:
            continue
        left_now = sum(remaining_effort(after, i) for i in now)
        left_was = sum(remaining_effort(before, i) for i in was)
        if abs(left_now - left_was) < 1e-9 and {i.id for i in now} == {i.id for i in was}:
            out.append(initiative.id)
    return tuple(out)


def _item_changes(before: Program, after: Program) -> tuple[ItemChange, ...]:
    old = before.work_items_by_id
    new = after.work_items_by_id
    out: list[ItemChange] = []

    def change(item: WorkItem, kind: ItemChangeKind, b: str | None, a: str | None) -> None:
        out.append(ItemChange(item.id, item.title, item.team, item.initiative, kind, b, a))

    for item in after.work_items:
        prev = old.get(item.id)
        if prev is None:
            change(item, "added", None, item.status.value)
            continue
        b, a = prev.status, item.status
        if b == a:
            continue
        if a is Status.DONE:
            change(item, "completed", b.value, a.value)
        elif b is Status.DONE:
            change(item, "reopened", b.value, a.value)
        elif a is Status.BLOCKED:
            change(item, "blocked", b.value, a.value)
        elif b is Status.BLOCKED:
            change(item, "unblocked", b.value, a.value)
    for item in before.work_items:
        if item.id not in new:
            change(item, "removed", item.status.value, None)
    return tuple(out)


def _kr_deltas(before: Program, after: Program) -> tuple[KrDelta, ...]:
    old = before.key_results_by_id
    out: list[KrDelta] = []
    for kr in after.key_results:
        prev = old.get(kr.id)
        grade = kr_grade(kr)
        prev_grade = kr_grade(prev) if prev is not None else None
        prev_current = prev.current if prev is not None else None
        if prev is not None and prev_current == kr.current and prev_grade == grade:
            continue
        raw, prev_raw = _raw_grade(kr), _raw_grade(prev) if prev is not None else None
        delta = None if raw is None or prev_raw is None else round(raw - prev_raw, 4)
        out.append(
            KrDelta(
                id=kr.id,
                title=kr.title,
                objective=after.objective_of_kr[kr.id].id,
                before=prev_current,
                after=kr.current,
                grade_before=prev_grade,
                grade_after=grade,
                delta=delta,
                kind=kr.kind.value,
            )
        )
    return tuple(out)


def _risk_changes(before: Program, after: Program) -> tuple[RiskChange, ...]:
    old = {r.id: r for r in before.risks}
    new_ids = {r.id for r in after.risks}
    out: list[RiskChange] = []
    for risk in after.risks:
        exposure = round(risk.probability * risk.impact_weeks, 4)
        prev = old.get(risk.id)
        if prev is None:
            out.append(
                RiskChange(risk.id, risk.title, "new", None, risk.status.value, (), exposure)
            )
            continue
        details: list[str] = []
        if prev.status != risk.status:
            details.append(f"status {prev.status.value} -> {risk.status.value}")
        if prev.probability != risk.probability:
            details.append(f"probability {prev.probability:.0%} -> {risk.probability:.0%}")
        if prev.impact_weeks != risk.impact_weeks:
            details.append(f"impact {prev.impact_weeks:g} -> {risk.impact_weeks:g} wk")
        if prev.owner != risk.owner:
            details.append(f"owner {prev.owner or '-'} -> {risk.owner or '-'}")
        if set(prev.items) != set(risk.items):
            details.append("threatened items changed")
        if details:
            out.append(
                RiskChange(
                    risk.id,
                    risk.title,
                    "changed",
                    prev.status.value,
                    risk.status.value,
                    tuple(details),
                    exposure,
                )
            )
    for risk in before.risks:
        if risk.id not in new_ids:
            out.append(RiskChange(risk.id, risk.title, "removed", risk.status.value, None, (), 0.0))
    return tuple(out)


def _capacity_changes(
    before: Program, after: Program, then: dt.date, today: dt.date
) -> tuple[CapacityChange, ...]:
    old_cap = CapacityFrom(before, then)
    new_cap = CapacityFrom(after, today)
    out: list[CapacityChange] = []
    team_ids = [t.id for t in after.teams] + [
        t.id for t in before.teams if t.id not in after.teams_by_id
    ]
    for tid in team_ids:
        old_members = {p.id for p in before.members_by_team.get(tid, ())}
        new_members = {p.id for p in after.members_by_team.get(tid, ())}
        cap_before = round(old_cap.now(tid), 2) if tid in before.teams_by_id else 0.0
        cap_after = round(new_cap.now(tid), 2) if tid in after.teams_by_id else 0.0
        if old_members == new_members and abs(cap_before - cap_after) < 0.05:
            continue
        team = after.teams_by_id.get(tid) or before.teams_by_id[tid]
        out.append(
            CapacityChange(
                team=tid,
                name=team.name,
                people_before=len(old_members),
                people_after=len(new_members),
                capacity_before=cap_before,
                capacity_after=cap_after,
                joined=tuple(sorted(new_members - old_members)),
                left=tuple(sorted(old_members - new_members)),
            )
        )
    return tuple(out)


def _date_changes(
    before: Program, after: Program, today: dt.date, min_shift_days: int
) -> tuple[DateChange, ...]:
    old = project_finish(before, as_of=today)
    new = project_finish(after, as_of=today)
    old_items = before.work_items_by_initiative
    new_items = after.work_items_by_initiative
    out: list[DateChange] = []
    for initiative in after.initiatives:
        proj = new.get(initiative.id)
        prev = old.get(initiative.id)
        if proj is None:
            continue  # done, cancelled or without open work: reported as items completed
        if prev is None:
            out.append(
                DateChange(
                    initiative.id,
                    initiative.title,
                    None,
                    proj.finish,
                    None,
                    "now-open",
                    ("has open work it did not have before",),
                )
            )
            continue
        if proj.finish is None or prev.finish is None:
            if proj.finish is None and prev.finish is not None:
                out.append(
                    DateChange(
                        initiative.id,
                        initiative.title,
                        prev.finish,
                        None,
                        None,
                        "beyond-horizon",
                        _why(before, after, initiative, prev, proj, old_items, new_items),
                    )
                )
            continue
        shift = (proj.finish - prev.finish).days
        if abs(shift) < min_shift_days:
            continue
        out.append(
            DateChange(
                initiative.id,
                initiative.title,
                prev.finish,
                proj.finish,
                shift,
                "slipped" if shift > 0 else "improved",
                _why(before, after, initiative, prev, proj, old_items, new_items),
            )
        )
    out.sort(key=lambda d: -(abs(d.shift_days) if d.shift_days is not None else 10**6))
    return tuple(out)


def _signed(x: float, unit: str) -> str:
    return f"{'+' if x > 0 else '-'}{abs(x):.1f} {unit}"


def _why(
    before: Program,
    after: Program,
    initiative: Initiative,
    prev: Projection,
    proj: Projection,
    old_items: dict[str, tuple[WorkItem, ...]],
    new_items: dict[str, tuple[WorkItem, ...]],
) -> tuple[str, ...]:
    reasons: list[str] = []
    scope = proj.remaining_effort - prev.remaining_effort
    old_ids = {i.id for i in old_items.get(initiative.id, ())}
    new_ids = {i.id for i in new_items.get(initiative.id, ())}
    added, removed = len(new_ids - old_ids), len(old_ids - new_ids)
    if abs(scope) >= 0.05:
        detail = []
        if added:
            detail.append(f"{added} item{'s' * (added != 1)} added")
        if removed:
            detail.append(f"{removed} removed")
        extra = f" ({', '.join(detail)})" if detail else ""
        reasons.append(f"remaining effort {_signed(scope, 'pw')}{extra}")
    old_init = before.initiatives_by_id.get(initiative.id)
    if old_init is not None and old_init.deadline != initiative.deadline:
        reasons.append(
            f"deadline moved {old_init.deadline or 'none'} -> {initiative.deadline or 'none'} "
            "(changes its place in the team queues)"
        )
    for team in sorted(set(proj.capacity_now) | set(prev.capacity_now)):
        delta_cap = proj.capacity_now.get(team, 0.0) - prev.capacity_now.get(team, 0.0)
        if abs(delta_cap) >= 0.05 and team in proj.capacity_now and team in prev.capacity_now:
            reasons.append(f"team {team} capacity {_signed(delta_cap, 'pw/wk')}")
        delta_ahead = proj.ahead.get(team, 0.0) - prev.ahead.get(team, 0.0)
        if abs(delta_ahead) >= 0.05 and team in proj.ahead and team in prev.ahead:
            more = "more" if delta_ahead > 0 else "less"
            reasons.append(
                f"{more} work queued ahead in team {team} ({_signed(delta_ahead, 'pw')})"
            )
    if not reasons:
        reasons.append("capacity calendar (holidays, time off, hiring dates) differs")
    return tuple(reasons)


def _rag_changes(before: RagReport, after: RagReport) -> tuple[RagChange, ...]:
    old = {r.id: r.rag for r in before.initiatives}
    out = []
    for row in after.initiatives:
        prev = old.get(row.id)
        if prev != row.rag:
            out.append(RagChange(row.id, row.title, prev, row.rag, row.reason))
    out.sort(key=lambda c: -_RANK[c.after])
    return tuple(out)


__all__ = [
    "AMBER_LOAD",
    "RED_LOAD",
    "RISK_EXPOSURE_WEEKS",
    "CapacityChange",
    "CapacityFrom",
    "Chain",
    "DateChange",
    "InitiativeRag",
    "ItemChange",
    "KrDelta",
    "Projection",
    "RagChange",
    "RagReport",
    "RiskChange",
    "StatusReport",
    "TeamLoad",
    "diff_programs",
    "due_of",
    "earliest_finish",
    "initiative_rag",
    "kr_grade",
    "person_rate",
    "project_finish",
]
