"""Small programs and problems built in code, with hand-computable plans."""

from __future__ import annotations

import copy
from typing import Any

from scaleplan import program_from_document
from scaleplan.model import Program
from scaleplan.planning.problem import Activity, Mode, PlanningProblem, Precedence, Resource

#: Two teams; calendar starts on Monday 2027-01-04; focus 0.8 and reserve 0.2 by default,
#: so one full-time person delivers 0.64 person-weeks of planned work per week.
BASE: dict[str, Any] = {
    "program": {"name": "Tiny"},
    "calendar": {
        "start": "2027-01-04",
        "sprint_weeks": 2,
        "increments": [{"id": "PI-1", "start": "2027-01-04", "end": "2027-04-05"}],
    },
    "teams": [{"id": "alpha", "name": "Alpha"}, {"id": "beta", "name": "Beta"}],
    "people": [
        {"id": "a1", "name": "A One", "team": "alpha"},
        {"id": "a2", "name": "A Two", "team": "alpha"},
        {"id": "b1", "name": "B One", "team": "beta"},
    ],
    "initiatives": [{"id": "init", "title": "Initiative"}],
    "work_items": [
        # 1.28 pw / 0.64 = 2 weeks with one person, 1 week with two
        {
            "id": "x",
            "title": "X",
            "team": "alpha",
            "effort": 1.28,
            "initiative": "init",
            "max_people": 2,
        },
        # 1.92 pw / 0.64 = 3 weeks
        {
            "id": "y",
            "title": "Y",
            "team": "beta",
            "effort": 1.92,
            "initiative": "init",
            "depends_on": ["x"],
        },
    ],
}


def make_program(**changes: Any) -> Program:
    """BASE with top-level sections replaced (or extended with ``extra_<section>``)."""
    doc = copy.deepcopy(BASE)
    for key, value in changes.items():
        if key.startswith("extra_"):
            doc.setdefault(key[6:], []).extend(value)
        else:
            doc[key] = value
    result = program_from_document(doc)
    assert result.program is not None, [d.format() for d in result.diagnostics]
    return result.program


def single(duration: int, demand: int = 1, resource: int = 0) -> tuple[Mode, ...]:
    return (Mode(duration, ((resource, demand),) if demand else ()),)


def chain_problem(objective: str = "makespan") -> PlanningProblem:
    """a(2) -> b(3), c(2) independent, all on one resource of capacity 1: makespan 7."""
    return PlanningProblem(
        activities=(
            Activity("a", single(2)),
            Activity("b", single(3)),
            Activity("c", single(2)),
        ),
        resources=(Resource("r", (1,)),),
        precedences=(Precedence(0, 1),),
        objective=objective,  # type: ignore[arg-type]
    )
