"""Planning engine: a solver-neutral problem built from the program, CP-SAT and heuristic
back-ends behind one :func:`solve`, an independent plan checker, explanations, program
board / roadmap / load outputs, what-if scenarios and capacity suggestions.

Public API::

    build_problem(program, *, increment=None, horizon_weeks=None, priorities=None,
                  objective="weighted") -> PlanningProblem
    solve(problem, backend="cpsat" | "heuristic", time_limit=10.0, seed=0, workers=2,
          hint=None, progress=None) -> PlanResult
    check_plan(problem, result) -> list[str]
    explain(problem, result, item_id) -> Explanation
    plan_program(program, ...) -> ProgramPlan          (build + solve + relaxed fallback)
    build_board(problem, result) -> Board               (roadmap, program board, load, Gantt)
    compare_plans(before, after) -> Comparison  (scenarios are applied by scaleplan.loading.scenarios)
    suggest_capacity(problem, target, ...) -> CapacitySuggestion
    read_sm(path) -> PlanningProblem                    (PSPLIB instances)
    schedule_durations(problem, durations, ...)         (fast SGS for Monte Carlo)

See ``docs/planning.md``.
"""

from scaleplan.planning.backends.heuristic import Instance, schedule_durations
from scaleplan.planning.board import Board, build_board, export_files, team_load
from scaleplan.planning.build import build_problem
from scaleplan.planning.checker import check_plan
from scaleplan.planning.explain import Explanation, critical_chain, explain
from scaleplan.planning.problem import (
    Activity,
    Milestone,
    Mode,
    PlanningProblem,
    Precedence,
    Resource,
    objective_value,
)
from scaleplan.planning.program_plan import ProgramPlan, plan_program
from scaleplan.planning.psplib import parse_sm, read_sm
from scaleplan.planning.result import Finding, PlannedItem, PlanResult
from scaleplan.planning.scenarios import Comparison, compare_plans
from scaleplan.planning.solve import BACKENDS, solve
from scaleplan.planning.suggest import CapacitySuggestion, suggest_capacity
from scaleplan.planning.transform import (
    relax_for_plan,
    relax_hard_deadlines,
    with_baseline,
    with_hard_deadline,
)

__all__ = [
    "BACKENDS",
    "Activity",
    "Board",
    "CapacitySuggestion",
    "Comparison",
    "Explanation",
    "Finding",
    "Instance",
    "Milestone",
    "Mode",
    "PlanResult",
    "PlannedItem",
    "PlanningProblem",
    "Precedence",
    "ProgramPlan",
    "Resource",
    "build_board",
    "build_problem",
    "check_plan",
    "compare_plans",
    "critical_chain",
    "explain",
    "export_files",
    "objective_value",
    "parse_sm",
    "plan_program",
    "read_sm",
    "relax_for_plan",
    "relax_hard_deadlines",
    "schedule_durations",
    "solve",
    "suggest_capacity",
    "team_load",
    "with_baseline",
    "with_hard_deadline",
]
