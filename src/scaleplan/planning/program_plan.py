"""Plan a whole program in one call: build the problem, solve it, and when hard deadlines (or
in-progress work overloading a team) make it infeasible, also plan the relaxed problem so
there is always a roadmap to show next to the diagnosis. Used by the CLI, the demo and the
web dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, partial
from typing import Any

from scaleplan.model import Program
from scaleplan.planning.board import Board, build_board
from scaleplan.planning.build import build_problem
from scaleplan.planning.problem import PlanningProblem
from scaleplan.planning.result import PlanResult
from scaleplan.planning.solve import Progress, solve
from scaleplan.planning.transform import relax_for_plan, with_baseline


@dataclass(frozen=True)
class ProgramPlan:
    """A solved program: the problem, the result, and (when that has no plan) the plan with
    hard deadlines relaxed to soft ones."""

    problem: PlanningProblem
    result: PlanResult
    relaxed_problem: PlanningProblem | None = None
    relaxed: PlanResult | None = None

    @property
    def shown_problem(self) -> PlanningProblem:
        """The problem whose plan is shown (the relaxed one when the real one has none)."""
        if (
            self.relaxed_problem is not None
            and self.relaxed is not None
            and not self.result.has_plan
        ):
            return self.relaxed_problem
        return self.problem

    @property
    def shown(self) -> PlanResult:
        if self.relaxed is not None and not self.result.has_plan:
            return self.relaxed
        return self.result

    @cached_property
    def board(self) -> Board | None:
        shown = self.shown
        if not shown.items:
            return None
        return build_board(self.shown_problem, shown)

    def to_dict(self) -> dict[str, Any]:
        board = self.board
        return {
            "program": self.problem.meta.get("program"),
            "increment": self.problem.meta.get("increment"),
            "objective_kind": self.problem.objective,
            "result": self.result.to_dict(),
            "relaxed": None if self.relaxed is None else self.relaxed.to_dict(),
            "shown": "relaxed" if self.shown is not self.result else "result",
            "board": None if board is None else board.to_dict(),
        }


def plan_program(
    program: Program,
    *,
    increment: str | None = None,
    backend: str = "cpsat",
    time_limit: float = 10.0,
    seed: int = 0,
    workers: int = 2,
    objective: str = "weighted",
    unit: str = "week",
    horizon_weeks: int | None = None,
    deterministic: bool = True,
    baseline: PlanResult | None = None,
    progress: Progress | None = None,
) -> ProgramPlan:
    """Plan ``program`` (see :func:`build_problem` and :func:`solve` for the options).

    ``baseline``: a previous plan; committed items (those starting in the increment) then
    cost a penalty per week they move, so the new plan stays close to it.
    """
    problem = build_problem(
        program, increment=increment, objective=objective, unit=unit, horizon_weeks=horizon_weeks
    )
    if baseline is not None:
        problem = with_baseline(problem, baseline)
    run = partial(
        solve,
        backend=backend,
        time_limit=time_limit,
        seed=seed,
        workers=workers,
        hint=baseline,
        progress=progress,
        deterministic=deterministic,
    )
    result = run(problem)
    if result.has_plan:
        return ProgramPlan(problem, result)
    relaxed_problem = relax_for_plan(problem, result.diagnosis)
    return ProgramPlan(problem, result, relaxed_problem, run(relaxed_problem))


__all__ = ["ProgramPlan", "plan_program"]
