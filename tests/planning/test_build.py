"""Building the planning problem from a program: capacities, modes, dates, pins, gates.

In these programs one full-time person delivers 0.8 (focus) x 0.8 (1 - 20% reserve) = 0.64
person-weeks of planned work per week, and capacity is counted in hundredths of a person.
"""

from __future__ import annotations

import sys

import pytest
from planning_helpers import BASE, make_program

from scaleplan.errors import UsageError
from scaleplan.model import Program
from scaleplan.planning import build_problem, check_plan, solve

UNIFORM = {"init": 1.0}


def items(**changes: object) -> list[dict[str, object]]:
    """BASE work items with fields of item x changed."""
    out = [dict(i) for i in BASE["work_items"]]
    out[0].update(changes)
    return out


def test_team_capacity_is_the_people_present_in_hundredths(tiny: Program) -> None:
    problem = build_problem(tiny, priorities=UNIFORM)
    caps = {r.id: r.capacity[:3] for r in problem.resources}
    assert caps == {"alpha": (200, 200, 200), "beta": (100, 100, 100)}
    assert problem.meta["rate_per_person_week"]["alpha"] == pytest.approx(0.64)


def test_a_hire_adds_capacity_from_the_week_they_start() -> None:
    program = make_program(
        extra_people=[{"id": "a3", "name": "A3", "team": "alpha", "start_date": "2027-01-18"}]
    )
    alpha = build_problem(program, priorities=UNIFORM).resources[0]
    assert alpha.capacity[:4] == (200, 200, 300, 300)


def test_time_off_and_part_time_lower_the_capacity_of_those_weeks() -> None:
    program = make_program(
        people=[
            {"id": "a1", "name": "A1", "team": "alpha"},
            {"id": "a2", "name": "A2", "team": "alpha", "fte": 0.5},
            {"id": "b1", "name": "B1", "team": "beta"},
        ],
        capacity_exceptions=[{"person": "a1", "start": "2027-01-11", "end": "2027-01-17"}],
    )
    alpha = build_problem(program, priorities=UNIFORM).resources[0]
    assert alpha.capacity[:3] == (150, 50, 150)


def test_a_holiday_slows_work_everywhere_instead_of_blocking_its_week() -> None:
    program = make_program(
        calendar={**BASE["calendar"], "holidays": [{"date": "2027-01-11", "name": "Day off"}]}
    )
    problem = build_problem(program, priorities=UNIFORM)
    assert problem.resources[0].capacity[:3] == (200, 200, 200)
    weeks = 15  # calendar end 2027-04-05 is in week 13; the profile runs two weeks past it
    share = (weeks - 0.2) / weeks
    assert problem.meta["holiday_share"] == pytest.approx(round(share, 4))
    assert problem.meta["rate_per_person_week"]["alpha"] == pytest.approx(0.64 * share)


def test_modes_trade_people_for_weeks_up_to_max_people(tiny: Program) -> None:
    problem = build_problem(tiny, priorities=UNIFORM)
    x = problem.activities[problem.index["x"]]
    # 1.28 pw: 2 weeks alone, 1 week with two people
    assert [(m.duration, m.demands, m.people) for m in x.modes] == [
        (2, ((0, 100),), 1.0),
        (1, ((0, 200),), 2.0),
    ]
    y = problem.activities[problem.index["y"]]
    assert [m.duration for m in y.modes] == [3]


def test_days_unit_counts_working_days(tiny: Program) -> None:
    problem = build_problem(tiny, priorities=UNIFORM, unit="day")
    x = problem.activities[problem.index["x"]]
    assert [m.duration for m in x.modes] == [10, 5]
    assert len(problem.resources[0].capacity) % 5 == 0


def test_dependency_lag_rounds_up_to_whole_periods() -> None:
    program = make_program(
        work_items=[
            BASE["work_items"][0],
            {**BASE["work_items"][1], "depends_on": [{"item": "x", "lag_weeks": 1.5}]},
        ]
    )
    problem = build_problem(program, priorities=UNIFORM)
    (prec,) = problem.precedences
    assert (prec.before, prec.after, prec.lag) == (problem.index["x"], problem.index["y"], 2)


def test_dates_become_periods_earliest_start_rounds_up_deadline_allows_its_week() -> None:
    # Wednesday of week 1 -> the item can start in week 2; Friday of week 2 -> may end at 3
    program = make_program(
        work_items=items(earliest_start="2027-01-13", deadline="2027-01-22", deadline_kind="hard")
    )
    problem = build_problem(program, priorities=UNIFORM)
    x = problem.activities[problem.index["x"]]
    assert (x.release, x.deadline, x.hard_deadline) == (2, 3, True)


def test_in_progress_item_is_pinned_with_its_remaining_effort() -> None:
    program = make_program(
        work_items=items(status="in-progress", started="2026-12-28", progress=0.5)
    )
    problem = build_problem(program, priorities=UNIFORM)
    x = problem.activities[problem.index["x"]]
    assert x.pinned_start == 0
    assert [m.duration for m in x.modes] == [1]  # 0.64 pw left: one week alone


def test_dependencies_into_in_progress_items_are_dropped_and_reported() -> None:
    program = make_program(
        work_items=[
            BASE["work_items"][0],
            {**BASE["work_items"][1], "status": "in-progress", "started": "2027-01-04"},
        ]
    )
    problem = build_problem(program, priorities=UNIFORM)
    assert problem.precedences == ()
    assert problem.meta["dropped_dependencies"] == [{"item": "y", "depends_on": "x"}]


def test_wip_limit_is_a_resource_every_item_of_the_team_uses() -> None:
    program = make_program(teams=[{"id": "alpha", "name": "A", "wip_limit": 1}, BASE["teams"][1]])
    problem = build_problem(program, priorities=UNIFORM)
    wip = next(r for r in problem.resources if r.kind == "wip")
    assert (wip.id, wip.capacity) == ("alpha:wip", (1,))
    w = problem.resources.index(wip)
    x = problem.activities[problem.index["x"]]
    assert all((w, 1) in m.demands for m in x.modes)


def test_done_cancelled_and_wont_work_is_not_planned() -> None:
    program = make_program(
        initiatives=[{"id": "init", "title": "I"}, {"id": "nope", "title": "N", "moscow": "wont"}],
        work_items=[
            {**BASE["work_items"][0], "status": "done"},
            {**BASE["work_items"][1], "depends_on": []},
            {"id": "z", "title": "Z", "team": "beta", "effort": 1, "initiative": "nope"},
            {"id": "c", "title": "C", "team": "beta", "effort": 1, "status": "cancelled"},
        ],
    )
    problem = build_problem(program, priorities=UNIFORM)
    assert [a.id for a in problem.activities] == ["y"]


def test_initiative_dependency_gates_the_last_items_of_the_dependent_initiative() -> None:
    program = make_program(
        initiatives=[
            {"id": "init", "title": "I"},
            {"id": "later", "title": "L", "depends_on": ["init"]},
        ],
        extra_work_items=[
            {"id": "l1", "title": "L1", "team": "beta", "effort": 1, "initiative": "later"},
            {
                "id": "l2",
                "title": "L2",
                "team": "beta",
                "effort": 1,
                "initiative": "later",
                "depends_on": ["l1"],
            },
        ],
    )
    problem = build_problem(program, priorities={"init": 1.0, "later": 1.0})
    gate = problem.index["@init"]
    before = {problem.activities[p].id for p, _ in problem.predecessors[gate]}
    after = {problem.activities[s].id for s, _ in problem.successors[gate]}
    assert before == {"x", "y"}
    assert after == {"l2"}  # l1 may start early; the initiative cannot land before init


def test_priorities_become_milestone_weights_and_default_to_uniform_without_the_module(
    tiny: Program, monkeypatch: pytest.MonkeyPatch
) -> None:
    problem = build_problem(tiny, priorities={"init": 2.5})
    (milestone,) = problem.milestones
    assert (milestone.id, milestone.weight) == ("init", 2.5)
    # each item gets a tenth of the initiative's weight, shared
    assert [a.weight for a in problem.activities] == [0.125, 0.125]
    monkeypatch.setitem(sys.modules, "scaleplan.analysis.prioritisation", None)
    assert build_problem(tiny).milestones[0].weight == 1.0


def test_plan_of_the_tiny_program_is_hand_computable(tiny: Program) -> None:
    # x with both alpha people takes week 0; y (beta, 3 weeks) follows: lands at week 4.
    # objective = 1.0 x 4 (initiative) + 0.05 x 1 + 0.05 x 4 (items) = 4.25
    problem = build_problem(tiny, priorities=UNIFORM)
    for backend in ("heuristic", "cpsat"):
        result = solve(problem, backend=backend, time_limit=2.0, max_schedules=100)
        assert check_plan(problem, result) == []
        assert (result.by_id["x"].start, result.by_id["x"].end) == (0, 1)
        assert result.by_id["x"].people == 2
        assert (result.by_id["y"].start, result.by_id["y"].end) == (1, 4)
        assert result.objective == pytest.approx(4.25)
        assert result.date_of(4).isoformat() == "2027-02-01"


def test_increment_sets_the_plan_start_and_unknown_ones_are_usage_errors() -> None:
    program = make_program(
        calendar={
            **BASE["calendar"],
            "increments": [
                {"id": "PI-1", "start": "2027-01-04", "end": "2027-04-05"},
                {"id": "PI-2", "start": "2027-04-05", "end": "2027-07-05"},
            ],
        }
    )
    problem = build_problem(program, increment="PI-2", priorities=UNIFORM)
    assert problem.origin is not None and problem.origin.isoformat() == "2027-04-05"
    assert problem.meta["increment_periods"] == 13
    with pytest.raises(UsageError, match="unknown increment 'PI-9'"):
        build_problem(program, increment="PI-9")


def test_bad_options_are_usage_errors(tiny: Program) -> None:
    with pytest.raises(UsageError, match="objective"):
        build_problem(tiny, objective="fastest")
    with pytest.raises(UsageError, match="unit"):
        build_problem(tiny, unit="month")
    with pytest.raises(UsageError, match="above 0"):
        build_problem(tiny, priorities={"init": 0.0})
