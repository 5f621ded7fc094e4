"""The OKR tree: objectives -> key results -> initiatives -> work items, with Google-style grades,
forecasts and the alignment gaps a TPM has to close.

Grading (Google's OKR playbook): a key result scores 0.0-1.0 as the share of the way from
``baseline`` to ``target`` that ``current`` has come, clamped to [0, 1]; a decreasing metric
(target below baseline, e.g. latency) works the same way because the sign of ``target -
baseline`` flips. 0.7 is good for an aspirational key result; a committed one must reach 1.0 or
be escalated. Without a ``current`` value the grade is rolled up from the linked work: the share
of the effort of the work items of the initiatives serving the key result that is done. An
objective's grade is the mean of its key results' grades.

Forecast: linear extrapolation over the objective's period (its ``increment``, else the whole
calendar): ``forecast = min(1, grade / elapsed)`` where ``elapsed`` is the share of the period
gone at ``as_of``. Before 10% of the period has gone there is no forecast (too early to
extrapolate); after the period it is the grade itself.

>>> from scaleplan import load_program  # doctest: +SKIP
>>> tree = okr_tree(load_program("examples/shopscale"))  # doctest: +SKIP
>>> tree.objectives[0].grade  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from scaleplan.analysis.capacity import effort_of
from scaleplan.analysis.prioritisation.findings import Finding, kept
from scaleplan.model import (
    Initiative,
    InitiativeKind,
    KeyResult,
    KrKind,
    Objective,
    Program,
    Status,
    WorkItem,
)

#: Share of the period that must have passed before a trend is extrapolated.
MIN_ELAPSED = 0.1
#: Google's grading bands: below 0.4 red, below 0.7 yellow, else green.
YELLOW_FROM = 0.4
GREEN_FROM = 0.7
#: Initiative kinds that need not serve a key result (funded from the technical-debt reserve
#: or keeping the lights on).
EXEMPT_KINDS = (InitiativeKind.TECH_DEBT, InitiativeKind.KTLO)


def grade(baseline: float, target: float, current: float) -> float:
    """Google-style grade: ``(current - baseline) / (target - baseline)`` clamped to [0, 1].

    >>> round(grade(400, 4000, 520), 4)
    0.0333
    >>> round(grade(1200, 300, 1050), 4)  # decreasing metric: 150 of 900 ms saved
    0.1667
    """
    if target == baseline:
        raise ValueError("target equals baseline; the key result cannot be graded")
    return min(max((current - baseline) / (target - baseline), 0.0), 1.0)


def band(value: float | None, kind: KrKind = KrKind.ASPIRATIONAL) -> str | None:
    """``green`` / ``yellow`` / ``red`` per Google's bands; a committed key result is green only
    at 1.0."""
    if value is None:
        return None
    if kind is KrKind.COMMITTED:
        return "green" if value >= 1.0 else "yellow" if value >= YELLOW_FROM else "red"
    return "green" if value >= GREEN_FROM else "yellow" if value >= YELLOW_FROM else "red"


def forecast(value: float, elapsed: float | None) -> float | None:
    """Linear extrapolation of a grade reached after ``elapsed`` (0-1) of the period."""
    if elapsed is None or elapsed < MIN_ELAPSED:
        return None
    if elapsed >= 1.0:
        return value
    return min(value / elapsed, 1.0)


@dataclass(frozen=True)
class ItemNode:
    id: str
    title: str
    team: str
    status: str
    #: Likely effort in person-weeks and the share of it done.
    effort: float
    done: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "team": self.team,
            "status": self.status,
            "effort_pw": round(self.effort, 4),
            "done": round(self.done, 4),
        }


@dataclass(frozen=True)
class InitiativeNode:
    id: str
    title: str
    status: str
    kind: str
    #: Share of the effort of its (not cancelled) work items that is done; ``None`` without any.
    done: float | None
    work_items: tuple[ItemNode, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "kind": self.kind,
            "done": _r(self.done),
            "work_items": [w.to_dict() for w in self.work_items],
        }


@dataclass(frozen=True)
class KrNode:
    id: str
    title: str
    kind: str
    metric: str | None
    unit: str | None
    baseline: float
    target: float
    current: float | None
    #: ``increase`` or ``decrease`` (target below baseline).
    direction: str
    #: Grade 0.0-1.0 from the metric, else from linked work; ``None`` when neither exists.
    grade: float | None
    #: ``metric``, ``work`` or ``None``.
    source: str | None
    #: Share of the linked work done (``None`` without linked work items).
    work_done: float | None
    band: str | None
    #: Share of the objective's period gone at ``as_of`` (the on-track line).
    elapsed: float | None
    forecast: float | None
    escalation: str | None
    owner: str | None
    initiatives: tuple[InitiativeNode, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "metric": self.metric,
            "unit": self.unit,
            "baseline": self.baseline,
            "target": self.target,
            "current": self.current,
            "direction": self.direction,
            "grade": _r(self.grade),
            "source": self.source,
            "work_done": _r(self.work_done),
            "band": self.band,
            "elapsed": _r(self.elapsed),
            "forecast": _r(self.forecast),
            "escalation": self.escalation,
            "owner": self.owner,
            "initiatives": [i.to_dict() for i in self.initiatives],
        }


@dataclass(frozen=True)
class ObjectiveNode:
    id: str
    title: str
    owner: str | None
    #: Period of the objective: its increment, else the calendar.
    period: str | None
    start: str | None
    end: str | None
    #: Mean of the key results' grades (those that have one).
    grade: float | None
    band: str | None
    key_results: tuple[KrNode, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "owner": self.owner,
            "period": self.period,
            "start": self.start,
            "end": self.end,
            "grade": _r(self.grade),
            "band": self.band,
            "key_results": [k.to_dict() for k in self.key_results],
        }


@dataclass(frozen=True)
class OkrTree:
    as_of: str
    objectives: tuple[ObjectiveNode, ...]
    #: Open initiatives that serve no key result (including exempt kinds).
    unaligned: tuple[InitiativeNode, ...]
    findings: tuple[Finding, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "objectives": [o.to_dict() for o in self.objectives],
            "unaligned": [i.to_dict() for i in self.unaligned],
            "findings": [f.to_dict() for f in self.findings],
        }


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _item_node(program: Program, item: WorkItem) -> ItemNode:
    effort = effort_of(program, item).likely
    done = 1.0 if item.status is Status.DONE else item.progress
    return ItemNode(item.id, item.title, item.team, item.status.value, effort, done)


def _done_share(items: tuple[ItemNode, ...]) -> float | None:
    counted = [i for i in items if i.status != Status.CANCELLED.value]
    total = sum(i.effort for i in counted)
    if not counted:
        return None
    if total <= 0:
        return sum(i.done for i in counted) / len(counted)
    return sum(i.effort * i.done for i in counted) / total


def _initiative_node(program: Program, initiative: Initiative) -> InitiativeNode:
    items = tuple(
        _item_node(program, w) for w in program.work_items_by_initiative.get(initiative.id, ())
    )
    return InitiativeNode(
        initiative.id,
        initiative.title,
        initiative.status.value,
        initiative.kind.value,
        _done_share(items),
        items,
    )


def _period(
    program: Program, objective: Objective
) -> tuple[str | None, dt.date | None, dt.date | None]:
    if objective.increment is not None:
        for inc in program.calendar.increments:
            if inc.id == objective.increment:
                return inc.id, inc.start, inc.end
    end = program.calendar.end
    if end is None:
        return None, None, None
    return "calendar", program.calendar.start, end


def _elapsed(start: dt.date | None, end: dt.date | None, as_of: dt.date) -> float | None:
    if start is None or end is None or end <= start:
        return None
    share = (as_of - start).days / (end - start).days
    return min(max(share, 0.0), 1.0)


def okr_tree(program: Program, *, as_of: dt.date | None = None) -> OkrTree:
    """Objectives -> key results -> initiatives -> work items, graded at ``as_of`` (default:
    today), with the alignment findings W510-W513 (see ``docs/errors.md``)."""
    today = as_of or dt.date.today()
    nodes = {i.id: _initiative_node(program, i) for i in program.initiatives}
    serving: dict[str, list[Initiative]] = {}
    for initiative in program.initiatives:
        for kr_id in initiative.key_results:
            serving.setdefault(kr_id, []).append(initiative)
    findings: list[Finding] = []
    objectives = []
    for objective in program.objectives:
        period, start, end = _period(program, objective)
        elapsed = _elapsed(start, end, today)
        krs = tuple(
            _kr_node(kr, serving.get(kr.id, []), nodes, elapsed, findings)
            for kr in objective.key_results
        )
        grades = [k.grade for k in krs if k.grade is not None]
        mean = sum(grades) / len(grades) if grades else None
        if not objective.key_results:
            findings.append(
                Finding(
                    "W512",
                    f"objective '{objective.id}' has no key results, so it cannot be graded",
                    subject=objective.id,
                    hint="add 2-5 measurable key results with baseline and target",
                )
            )
        objectives.append(
            ObjectiveNode(
                objective.id,
                objective.title,
                objective.owner,
                period,
                start.isoformat() if start else None,
                end.isoformat() if end else None,
                mean,
                band(mean),
                krs,
            )
        )
    unaligned = []
    for initiative in program.initiatives:
        if initiative.key_results or initiative.status in (Status.DONE, Status.CANCELLED):
            continue
        unaligned.append(nodes[initiative.id])
        if initiative.kind not in EXEMPT_KINDS:
            findings.append(
                Finding(
                    "W510",
                    f"initiative '{initiative.id}' ({initiative.kind.value}) serves no key result",
                    subject=initiative.id,
                    hint="link it with 'key_results: [...]', or question why it is being done",
                )
            )
    order = {"W510": 0, "W511": 1, "W512": 2, "W513": 3}
    findings.sort(key=lambda f: order.get(f.code, 9))
    return OkrTree(today.isoformat(), tuple(objectives), tuple(unaligned), kept(program, findings))


def _kr_node(
    kr: KeyResult,
    initiatives: list[Initiative],
    nodes: dict[str, InitiativeNode],
    elapsed: float | None,
    findings: list[Finding],
) -> KrNode:
    linked = tuple(nodes[i.id] for i in initiatives)
    items = tuple(w for node in linked for w in node.work_items)
    work_done = _done_share(items)
    if kr.current is not None:
        value: float | None = grade(kr.baseline, kr.target, kr.current)
        source: str | None = "metric"
    else:
        value, source = work_done, "work" if work_done is not None else None
    ahead = forecast(value, elapsed) if value is not None else None
    if not [i for i in initiatives if i.status is not Status.CANCELLED]:
        findings.append(
            Finding(
                "W511",
                f"key result '{kr.id}' has no initiative serving it",
                subject=kr.id,
                hint="list it under an initiative's key_results, or drop it",
            )
        )
    if kr.kind is KrKind.COMMITTED and ahead is not None and ahead < 1.0 and not kr.escalation:
        findings.append(
            Finding(
                "W513",
                f"committed key result '{kr.id}' is forecast at {ahead:.2f} (grade {value:.2f} "
                f"with {elapsed:.0%} of the period gone) and has no escalation note",
                subject=kr.id,
                hint="a committed key result must reach 1.0: escalate and record it under "
                "'escalation:'",
            )
        )
    return KrNode(
        id=kr.id,
        title=kr.title,
        kind=kr.kind.value,
        metric=kr.metric,
        unit=kr.unit,
        baseline=kr.baseline,
        target=kr.target,
        current=kr.current,
        direction="decrease" if kr.target < kr.baseline else "increase",
        grade=value,
        source=source,
        work_done=work_done,
        band=band(value, kr.kind),
        elapsed=elapsed,
        forecast=ahead,
        escalation=kr.escalation,
        owner=kr.owner,
        initiatives=linked,
    )


__all__ = [
    "InitiativeNode",
    "ItemNode",
    "KrNode",
    "ObjectiveNode",
    "OkrTree",
    "band",
    "forecast",
    "grade",
    "okr_tree",
]
