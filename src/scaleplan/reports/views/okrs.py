"""The OKR tree section: objectives, key results, their grades and linked initiatives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from scaleplan.analysis.status import kr_grade
from scaleplan.model import Program, Status
from scaleplan.reports.registry import ReportContext, View, section
from scaleplan.reports.views._common import rag_of


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


__all__ = [
    "OkrFinding",
    "OkrInitiative",
    "OkrKeyResult",
    "OkrObjective",
    "OkrView",
    "kr_state",
    "okrs",
    "program_objective_increment",
]
