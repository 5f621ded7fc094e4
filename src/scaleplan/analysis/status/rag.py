"""RAG per initiative with every reason found (rules in :mod:`scaleplan.analysis.status`)."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from scaleplan.analysis.capacity import remaining_effort
from scaleplan.analysis.status._common import (
    AMBER_LOAD,
    RED_LOAD,
    RISK_EXPOSURE_WEEKS,
    CapacityFrom,
    Rag,
    _fmt,
    _open,
    _team_queues,
    _ToDict,
    due_of,
)
from scaleplan.analysis.status.slips import Chain, earliest_finish
from scaleplan.model import (
    Initiative,
    Program,
    Risk,
    RoamStatus,
    Status,
    WorkItem,
)


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


__all__ = ["InitiativeRag", "RagReport", "TeamLoad", "initiative_rag"]
