"""Capacity suggestions: the least extra capacity, solved, and checked with the plan checker.

x (alpha, one week with both people) precedes y (beta, 1.92 pw). Beta has one person; y may
use up to 3 people: 3 weeks alone, 1 week with three. Deadline Friday 15 January 2027 means
y must end by week 2, i.e. run in week 1 with three people: two more people for one week.
"""

from __future__ import annotations

import pytest
from planning_helpers import BASE, make_program

from scaleplan.errors import UsageError
from scaleplan.planning import build_problem
from scaleplan.planning.suggest import suggest_capacity


def problem():  # type: ignore[no-untyped-def]
    program = make_program(
        work_items=[
            BASE["work_items"][0],
            {
                **BASE["work_items"][1],
                "deadline": "2027-01-15",
                "deadline_kind": "hard",
                "max_people": 3,
            },
        ]
    )
    return build_problem(program, priorities={"init": 1.0})


def test_least_extra_capacity_is_two_people_for_one_week() -> None:
    s = suggest_capacity(problem(), "y", block_weeks=1, time_limit=5.0)
    assert s.status == "optimal"
    assert [(a.team, a.start, a.end, a.people) for a in s.additions] == [("beta", 1, 2, 2.0)]
    assert s.total_person_weeks == 2.0
    assert s.deadline_date == "2027-01-15"
    assert s.checker_violations == ()
    assert {p.id: (p.start, p.end, p.people) for p in s.plan}["y"] == (1, 2, 3.0)


def test_capacity_comes_in_sprint_blocks_by_default() -> None:
    s = suggest_capacity(problem(), "y", time_limit=5.0)
    assert [(a.team, a.start, a.end, a.people) for a in s.additions] == [("beta", 0, 2, 2.0)]
    assert s.total_person_weeks == 4.0


def test_a_deadline_behind_the_dependency_chain_cannot_be_bought() -> None:
    s = suggest_capacity(problem(), "y", deadline=1, time_limit=2.0)
    assert s.status == "impossible"
    assert s.chain == ("x", "y")
    assert "no amount of extra capacity helps" in s.message


def test_only_the_allowed_teams_may_grow() -> None:
    # beta may not grow, so y stays at one person (3 weeks) and cannot end by week 2
    s = suggest_capacity(problem(), "y", teams=("alpha",), time_limit=2.0)
    assert s.status == "impossible"
    assert s.chain == ("x", "y")


def test_a_reachable_deadline_needs_nothing() -> None:
    s = suggest_capacity(problem(), "y", deadline=4, time_limit=2.0)
    assert (s.status, s.additions, s.total_person_weeks) == ("not-needed", (), 0.0)


def test_target_must_be_planned_and_have_a_deadline() -> None:
    with pytest.raises(UsageError, match="neither a planned item"):
        suggest_capacity(problem(), "nope")
    with pytest.raises(UsageError, match="has no deadline"):
        suggest_capacity(problem(), "x")
