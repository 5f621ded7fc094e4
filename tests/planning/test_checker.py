"""The independent checker catches every kind of violation (hand-made bad plans)."""

from __future__ import annotations

from planning_helpers import single

from scaleplan.planning import check_plan
from scaleplan.planning.problem import (
    Activity,
    Milestone,
    Mode,
    PlanningProblem,
    Precedence,
    Resource,
)
from scaleplan.planning.result import PlannedItem, PlanResult

PROBLEM = PlanningProblem(
    activities=(
        Activity("a", single(2)),
        Activity("b", (Mode(3, ((0, 1),), 1), Mode(1, ((0, 2),), 2)), release=1),
        Activity("c", single(1), pinned_start=4, deadline=6, hard_deadline=True),
    ),
    resources=(Resource("r", (2, 2, 1, 2)),),
    precedences=(Precedence(0, 1, lag=1),),
    milestones=(Milestone("m", (0, 1), deadline=7, hard_deadline=True),),
    objective="makespan",
)


def plan(*items: tuple[str, int, int, int]) -> PlanResult:
    return PlanResult(
        "feasible",
        "test",
        None,
        None,
        0.0,
        tuple(PlannedItem(i, None, s, e, 1, m) for i, s, e, m in items),
    )


def test_a_valid_plan_has_no_violations() -> None:
    good = plan(("a", 0, 2, 0), ("b", 3, 6, 0), ("c", 4, 5, 0))
    assert check_plan(PROBLEM, good) == []


def test_lag_is_checked() -> None:
    bad = plan(("a", 0, 2, 0), ("b", 2, 5, 0), ("c", 4, 5, 0))
    assert check_plan(PROBLEM, bad) == ["b: starts at 2 but depends on a, which ends at 2 + lag 1"]


def test_capacity_is_checked_per_period_against_the_profile() -> None:
    problem = PROBLEM.with_changes(precedences=())
    fits = plan(("a", 0, 2, 0), ("b", 3, 4, 1), ("c", 4, 5, 0))  # 2 units in period 3 (cap 2)
    assert check_plan(problem, fits) == []
    over = plan(("a", 0, 2, 0), ("b", 2, 3, 1), ("c", 4, 5, 0))  # 2 units in period 2 (cap 1)
    assert check_plan(problem, over) == ["resource r: period 2 uses 2 of capacity 1"]


def test_mode_duration_pin_release_and_deadlines_are_checked() -> None:
    bad = plan(("a", 0, 3, 0), ("b", 0, 3, 0), ("c", 6, 7, 0))
    found = check_plan(PROBLEM, bad)
    assert "a: runs 3 periods but mode 0 lasts 2" in found
    assert "b: starts at 0, before its release 1" in found
    assert "c: pinned at 4 but starts at 6" in found
    assert "c: ends at 7, after its hard deadline 6" in found


def test_missing_unknown_and_duplicate_items_are_reported() -> None:
    bad = plan(("a", 0, 2, 0), ("a", 0, 2, 0), ("zz", 0, 1, 0), ("c", 4, 5, 0))
    found = check_plan(PROBLEM, bad)
    assert "a: planned more than once" in found
    assert "zz: not an activity of the problem" in found
    assert "b: missing from the plan" in found


def test_milestone_hard_deadline_and_lower_bound_are_checked() -> None:
    late = plan(("a", 0, 2, 0), ("b", 5, 8, 0), ("c", 4, 5, 0))
    assert check_plan(PROBLEM, late) == ["m: lands at 8, after its hard deadline 7"]
    ok = plan(("a", 0, 2, 0), ("b", 3, 6, 0), ("c", 4, 5, 0))
    assert check_plan(PROBLEM, ok, lower_bound=7) == [
        "makespan 6 is below the proven lower bound 7 (a bug)"
    ]


def test_a_result_without_a_plan_has_nothing_to_check_unless_it_claims_one() -> None:
    none = PlanResult("infeasible", "test", None, None, 0.0)
    assert check_plan(PROBLEM, none) == []
    claims = PlanResult("feasible", "test", None, None, 0.0)
    assert check_plan(PROBLEM, claims) == ["status is feasible but the plan has no items"]
