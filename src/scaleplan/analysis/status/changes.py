"""What changed between two versions of a program: items, key results, risks, capacity, dates and RAG."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from scaleplan.analysis.capacity import remaining_effort
from scaleplan.analysis.status._common import (
    _CLOSED,
    _RANK,
    MIN_SHIFT_DAYS,
    CapacityFrom,
    Rag,
    _open,
    _raw_grade,
    _ToDict,
    kr_grade,
)
from scaleplan.analysis.status.rag import RagReport, initiative_rag
from scaleplan.analysis.status.slips import Projection, project_finish
from scaleplan.model import (
    Initiative,
    Program,
    Status,
    WorkItem,
)

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
    "CapacityChange",
    "DateChange",
    "ItemChange",
    "ItemChangeKind",
    "KrDelta",
    "RagChange",
    "RiskChange",
    "StatusReport",
    "diff_programs",
]
