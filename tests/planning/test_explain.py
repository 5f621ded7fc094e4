"""Explanations: binding constraint, capacity weeks, slack and critical chain."""

from __future__ import annotations

import pytest
from planning_helpers import single

from scaleplan.errors import UsageError
from scaleplan.planning import critical_chain, explain, solve
from scaleplan.planning.problem import Activity, PlanningProblem, Precedence, Resource
from scaleplan.planning.result import PlannedItem, PlanResult

# one team of capacity 1: a [0,2), b [2,5) after a, c [5,7) waits for the team; d [0,1) on
# another team, then e [1,2) after d with lag 0; f released at 3 on the second team
PROBLEM = PlanningProblem(
    activities=(
        Activity("a", single(2), team="one"),
        Activity("b", single(3), team="one"),
        Activity("c", single(2), team="one"),
        Activity("d", single(1, resource=1), team="two"),
        Activity("e", single(1, resource=1), team="two", deadline=4),
        Activity("f", single(1, resource=1), team="two", release=3),
        Activity("p", single(1, resource=1), team="two", pinned_start=5),
    ),
    resources=(Resource("one", (1,), team="one"), Resource("two", (1,), team="two")),
    precedences=(Precedence(0, 1), Precedence(3, 4)),
    objective="makespan",
    unit="week",
)
PLAN = PlanResult(
    "feasible",
    "test",
    7.0,
    7.0,
    0.0,
    tuple(
        PlannedItem(i, t, s, e, 1)
        for i, t, s, e in [
            ("a", "one", 0, 2),
            ("b", "one", 2, 5),
            ("c", "one", 5, 7),
            ("d", "two", 0, 1),
            ("e", "two", 1, 2),
            ("f", "two", 3, 4),
            ("p", "two", 5, 6),
        ]
    ),
)


def test_an_item_waiting_for_a_dependency_names_it() -> None:
    exp = explain(PROBLEM, PLAN, "b")
    assert (exp.binding, exp.predecessors, exp.ready) == ("dependency", ("a",), 2)
    assert exp.chain == ("a", "b")


def test_an_item_waiting_for_its_team_names_the_full_weeks_and_who_holds_them() -> None:
    exp = explain(PROBLEM, PLAN, "c")
    assert exp.binding == "capacity"
    assert exp.ready == 0
    (window,) = exp.capacity
    assert (window.team, window.start, window.end) == ("one", 0, 5)
    assert window.holders == ("b", "a")  # b holds 3 of those weeks, a 2
    assert "team one is full in weeks 0-4" in exp.message
    # c follows b on the same team: the chain runs through the capacity hand-over
    assert exp.chain == ("a", "b", "c")


def test_release_pin_and_plan_start_are_binding_constraints_too() -> None:
    assert explain(PROBLEM, PLAN, "f").binding == "release"
    assert explain(PROBLEM, PLAN, "p").binding == "pinned"
    assert explain(PROBLEM, PLAN, "a").binding == "plan-start"


def test_slack_is_room_before_a_dependent_or_the_plan_end_moves() -> None:
    assert explain(PROBLEM, PLAN, "d").slack == 0  # e starts right after
    assert explain(PROBLEM, PLAN, "e").slack == 5  # nothing depends on it; plan ends at 7
    exp = explain(PROBLEM, PLAN, "e")
    assert (exp.deadline, exp.deadline_slack) == (4, 2)


def test_critical_chain_of_the_plan_ends_with_its_last_item() -> None:
    assert critical_chain(PROBLEM, PLAN) == ("a", "b", "c")


def test_unknown_item_is_a_usage_error_with_a_suggestion() -> None:
    with pytest.raises(UsageError, match="did you mean 'b'"):
        explain(PROBLEM, PLAN, "bb")


def test_solver_plans_always_have_a_binding_constraint() -> None:
    for backend in ("heuristic", "cpsat"):
        result = solve(PROBLEM, backend=backend, time_limit=1.0, max_schedules=50)
        for a in PROBLEM.activities:
            assert explain(PROBLEM, result, a.id).binding != "none"
