"""What-if scenarios: overlays applied and re-validated, plans compared, stable re-planning."""

from __future__ import annotations

from pathlib import Path

import pytest
from planning_helpers import BASE, make_program, single

from scaleplan.errors import InputError
from scaleplan.loading.scenarios import apply_scenario, load_scenario, parse_scenario
from scaleplan.model import Program
from scaleplan.planning import plan_program, solve, with_baseline
from scaleplan.planning.problem import Activity, PlanningProblem, Resource
from scaleplan.planning.scenarios import compare_plans, plan_from_json


def two_on_beta() -> Program:
    """x (alpha, week 0) then y and z on beta (3 weeks each, one person): y [1,4), z [4,7)."""
    return make_program(
        extra_work_items=[
            {
                "id": "z",
                "title": "Z",
                "team": "beta",
                "effort": 1.92,
                "initiative": "init",
                "depends_on": ["x"],
            }
        ]
    )


def test_adding_a_person_lets_the_waiting_item_run_in_parallel() -> None:
    program = two_on_beta()
    scenario = parse_scenario(
        {"name": "hire", "changes": [{"add_people": {"team": "beta", "count": 1}}]}
    )
    changed = apply_scenario(program, scenario)
    assert len(changed.members_by_team["beta"]) == 2
    before = plan_program(program, time_limit=2.0)
    after = plan_program(changed, time_limit=2.0, baseline=None)
    comparison = compare_plans(before, after, scenario=scenario)
    assert comparison.before_end == "2027-02-19"  # week 6 ends on Friday 19 February
    assert comparison.after_end == "2027-01-29"
    (landing,) = comparison.landings
    assert (landing.initiative, landing.delta) == ("init", -3)
    # whichever of y and z waited for the one beta person now runs alongside the other
    (move,) = comparison.moved
    assert move.item in {"y", "z"} and move.delta_end == -3
    assert comparison.changes == ("add people: team=beta, count=1",)


def test_dropping_an_initiative_removes_its_items_from_the_plan(tiny: Program) -> None:
    scenario = parse_scenario({"name": "drop", "changes": [{"drop_initiative": "init"}]})
    changed = apply_scenario(tiny, scenario)
    before = plan_program(tiny, time_limit=1.0)
    after = plan_program(changed, time_limit=1.0)
    comparison = compare_plans(before, after, scenario=scenario)
    assert comparison.removed == ("x", "y")
    assert comparison.landings[0].after is None


def test_moving_a_deadline_and_changing_capacity_edit_the_program(tiny: Program) -> None:
    scenario = parse_scenario(
        {
            "name": "squeeze",
            "changes": [
                {"move_deadline": {"item": "y", "to": "2027-02-26", "kind": "hard"}},
                {
                    "change_capacity": {
                        "team": "beta",
                        "from": "2027-02-01",
                        "to": "2027-02-14",
                        "available": 0.5,
                    }
                },
                {"set_effort": {"item": "y", "effort": 2.56}},
            ],
        }
    )
    changed = apply_scenario(tiny, scenario)
    y = changed.work_items_by_id["y"]
    assert (str(y.deadline), y.deadline_kind, y.effort) == ("2027-02-26", "hard", 2.56)
    (exc,) = changed.capacity_exceptions
    assert (exc.team, exc.available) == ("beta", 0.5)


def test_scenario_mistakes_are_input_errors_with_the_place(tiny: Program, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"changes\[0\]: unknown change 'hire'"):
        parse_scenario({"changes": [{"hire": {"team": "beta"}}]})
    with pytest.raises(InputError, match="did you mean 'beta'"):
        apply_scenario(
            tiny, parse_scenario({"changes": [{"add_people": {"team": "betta", "count": 1}}]})
        )
    with pytest.raises(InputError, match="must be a date"):
        apply_scenario(
            tiny, parse_scenario({"changes": [{"move_deadline": {"item": "y", "to": "soon"}}]})
        )
    with pytest.raises(InputError, match="makes the program invalid"):
        apply_scenario(
            tiny, parse_scenario({"changes": [{"set_effort": {"item": "y", "effort": -1}}]})
        )
    bad = tmp_path / "s.yaml"
    bad.write_text("changes: [drop_item: x\n")
    with pytest.raises(InputError, match="not valid YAML"):
        load_scenario(bad)
    with pytest.raises(InputError, match="cannot read"):
        load_scenario(tmp_path / "missing.yaml")


def test_explicit_team_capacity_cannot_get_people_added() -> None:
    program = make_program(teams=[BASE["teams"][0], {"id": "beta", "name": "B", "capacity": 2.0}])
    scenario = parse_scenario({"changes": [{"add_people": {"team": "beta", "count": 1}}]})
    with pytest.raises(InputError, match="use set_capacity"):
        apply_scenario(program, scenario)


def test_replanning_against_a_baseline_keeps_committed_items_in_place() -> None:
    # the new weights prefer 'heavy' first, but the baseline has 'light' first
    problem = PlanningProblem(
        activities=(
            Activity("light", single(3), weight=1.0),
            Activity("heavy", single(3), weight=2.0),
        ),
        resources=(Resource("r", (1,)),),
    )
    free = solve(problem, backend="cpsat", time_limit=2.0)
    assert free.by_id["heavy"].start == 0
    baseline = plan_from_json(
        {"items": [{"id": "light", "start": 0, "end": 3}, {"id": "heavy", "start": 3, "end": 6}]}
    )
    # swapping gains (2 - 1) x 3 = 3 but slips light by 3 (5 each) and pulls heavy in by 3
    # (0.5 each): 16.5
    stable = solve(with_baseline(problem, baseline), backend="cpsat", time_limit=2.0)
    assert stable.by_id["light"].start == 0
    assert stable.by_id["heavy"].start == 3


def test_a_plan_survives_a_json_round_trip(tiny: Program) -> None:
    result = plan_program(tiny, time_limit=1.0).result
    again = plan_from_json({"plan": result.to_dict()})
    assert again.items == result.items
    with pytest.raises(InputError, match="not a plan"):
        plan_from_json({"nothing": []})
