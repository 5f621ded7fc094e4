"""Contract tests: every back-end gets the same small problems with hand-computed answers,
and every plan passes the independent checker."""

from __future__ import annotations

import pytest
from planning_helpers import chain_problem, single

from scaleplan.errors import UsageError
from scaleplan.planning import check_plan, solve
from scaleplan.planning.problem import (
    Activity,
    Milestone,
    Mode,
    PlanningProblem,
    Precedence,
    Resource,
)

BACKENDS = ["heuristic", "cpsat"]


def run(problem: PlanningProblem, backend: str, **kw: object):  # type: ignore[no-untyped-def]
    result = solve(problem, backend=backend, time_limit=2.0, **kw)  # type: ignore[arg-type]
    assert check_plan(problem, result) == []
    return result


@pytest.mark.parametrize("backend", BACKENDS)
def test_one_resource_of_capacity_one_runs_everything_in_sequence(backend: str) -> None:
    result = run(chain_problem(), backend)
    assert result.status == "optimal"
    assert result.makespan == 7
    assert result.objective == 7.0
    assert result.gap == 0.0
    assert result.by_id["b"].start >= result.by_id["a"].end


@pytest.mark.parametrize("backend", BACKENDS)
def test_lag_delays_the_successor(backend: str) -> None:
    problem = PlanningProblem(
        activities=(Activity("a", single(2)), Activity("b", single(1))),
        resources=(Resource("r", (5,)),),
        precedences=(Precedence(0, 1, lag=3),),
        objective="makespan",
    )
    result = run(problem, backend)
    assert (result.by_id["b"].start, result.makespan) == (5, 6)


@pytest.mark.parametrize("backend", BACKENDS)
def test_time_varying_capacity_is_respected(backend: str) -> None:
    # capacity 0 in periods 0-1, 2 in 2-3, then 1: two unit items of length 2 both fit at 2
    problem = PlanningProblem(
        activities=(Activity("a", single(2)), Activity("b", single(2))),
        resources=(Resource("r", (0, 0, 2, 2, 1)),),
        objective="makespan",
    )
    result = run(problem, backend)
    assert result.by_id["a"].start == 2 and result.by_id["b"].start == 2
    assert result.makespan == 4


@pytest.mark.parametrize("backend", BACKENDS)
def test_modes_trade_people_for_time(backend: str) -> None:
    # a: 4 periods with 1 unit or 2 periods with 2 units; b needs 1 unit for 2 periods;
    # capacity 2. Best: a with 2 units [0,2) then b [2,4)? or a slow [0,4) with b [0,2):
    # both end at 4; the makespan optimum is 4 either way, never 6.
    problem = PlanningProblem(
        activities=(
            Activity("a", (Mode(4, ((0, 1),), 1), Mode(2, ((0, 2),), 2))),
            Activity("b", single(2)),
        ),
        resources=(Resource("r", (2,)),),
        objective="makespan",
    )
    result = run(problem, backend)
    assert result.makespan == 4
    a = result.by_id["a"]
    assert a.end - a.start == (4 if a.mode == 0 else 2)
    assert a.people == (1 if a.mode == 0 else 2)


@pytest.mark.parametrize("backend", BACKENDS)
def test_release_and_pin_fix_starts(backend: str) -> None:
    problem = PlanningProblem(
        activities=(
            Activity("late", single(1), release=4),
            Activity("pinned", single(2), pinned_start=3),
            Activity("free", single(1)),
        ),
        resources=(Resource("r", (1,)),),
        objective="makespan",
    )
    result = run(problem, backend)
    assert result.by_id["pinned"].start == 3
    assert result.by_id["late"].start >= 5  # 4 is taken by the pinned item
    assert result.by_id["free"].start == 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_wip_limit_serialises_items_of_a_team(backend: str) -> None:
    # plenty of people (capacity 10) but WIP limit 1: three 2-period items take 6 periods
    acts = tuple(Activity(f"i{k}", (Mode(2, ((0, 1), (1, 1)), 1),)) for k in range(3))
    problem = PlanningProblem(
        activities=acts,
        resources=(Resource("team", (10,)), Resource("team:wip", (1,), "wip")),
        objective="makespan",
    )
    assert run(problem, backend).makespan == 6


@pytest.mark.parametrize("backend", BACKENDS)
def test_weighted_objective_puts_the_heavy_item_first(backend: str) -> None:
    # two 3-period items on capacity 1; weight 5 first costs 5*3 + 1*6 = 21, the other
    # order 1*3 + 5*6 = 33
    problem = PlanningProblem(
        activities=(
            Activity("light", single(3), weight=1.0),
            Activity("heavy", single(3), weight=5.0),
        ),
        resources=(Resource("r", (1,)),),
        objective="weighted",
    )
    result = run(problem, backend)
    assert result.by_id["heavy"].start == 0
    assert result.objective == 21.0


@pytest.mark.parametrize("backend", BACKENDS)
def test_soft_deadline_costs_late_penalty_per_period(backend: str) -> None:
    # one item of 4 periods due at 2: late by 2 at 10 per period, completion weight 1 -> 4 + 20
    problem = PlanningProblem(
        activities=(Activity("a", single(4), deadline=2, weight=1.0),),
        resources=(Resource("r", (1,)),),
        late_penalty=10.0,
    )
    assert run(problem, backend).objective == 24.0


@pytest.mark.parametrize("backend", BACKENDS)
def test_milestone_completion_counts_its_last_item(backend: str) -> None:
    # items of 2 and 3 periods in parallel (capacity 2): the milestone lands at 3, weight 2
    problem = PlanningProblem(
        activities=(Activity("a", single(2)), Activity("b", single(3))),
        resources=(Resource("r", (2,)),),
        milestones=(Milestone("m", (0, 1), weight=2.0),),
    )
    assert run(problem, backend).objective == 6.0


@pytest.mark.parametrize("backend", BACKENDS)
def test_hard_deadline_behind_a_chain_is_infeasible_with_a_diagnosis(backend: str) -> None:
    problem = PlanningProblem(
        activities=(
            Activity("a", single(3)),
            Activity("b", single(4), deadline=5, hard_deadline=True),
        ),
        resources=(Resource("r", (1,)),),
        precedences=(Precedence(0, 1),),
    )
    result = solve(problem, backend=backend, time_limit=1.0)
    assert result.status == "infeasible"
    assert result.items == ()
    (finding,) = result.diagnosis
    assert finding.kind == "deadline-chain"
    assert finding.chain == ("a", "b")
    assert finding.late == 2


@pytest.mark.parametrize("backend", BACKENDS)
def test_hard_deadline_short_of_capacity_says_how_much(backend: str) -> None:
    # three parallel 4-period items of 1 unit, capacity 2, all due by 4: 12 unit-periods of
    # work, 8 available -> 4 short
    acts = tuple(Activity(f"i{k}", single(4)) for k in range(3))
    problem = PlanningProblem(
        activities=acts,
        resources=(Resource("r", (2,)),),
        milestones=(Milestone("m", (0, 1, 2), deadline=4, hard_deadline=True),),
    )
    result = solve(problem, backend=backend, time_limit=1.0)
    assert result.status == "infeasible"
    (finding,) = result.diagnosis
    assert finding.kind == "capacity-short"
    assert finding.short == 4.0


@pytest.mark.parametrize("backend", BACKENDS)
def test_pinned_work_overloading_a_team_is_diagnosed(backend: str) -> None:
    problem = PlanningProblem(
        activities=(
            Activity("p1", single(2), pinned_start=0),
            Activity("p2", single(2), pinned_start=1),
        ),
        resources=(Resource("r", (1,)),),
    )
    result = solve(problem, backend=backend, time_limit=1.0)
    assert result.status == "infeasible"
    assert [f.kind for f in result.diagnosis] == ["pinned-overload"]
    assert set(result.diagnosis[0].chain) == {"p1", "p2"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_demand_above_any_capacity_is_diagnosed(backend: str) -> None:
    problem = PlanningProblem(
        activities=(Activity("big", single(1, demand=3)),), resources=(Resource("r", (2,)),)
    )
    result = solve(problem, backend=backend, time_limit=1.0)
    assert result.status == "infeasible"
    assert result.diagnosis[0].kind == "no-capacity"


def test_hard_deadlines_in_conflict_are_a_status_not_an_exception() -> None:
    # each deadline alone is fine, together they are not: a and b both need the resource
    # for [0, 2) to meet deadline 2
    problem = PlanningProblem(
        activities=(
            Activity("a", single(2), deadline=2, hard_deadline=True),
            Activity("b", single(2), deadline=2, hard_deadline=True),
        ),
        resources=(Resource("r", (1,)),),
    )
    result = solve(problem, backend="cpsat", time_limit=2.0)
    assert result.status == "infeasible"
    assert result.diagnosis


def test_same_seed_gives_the_same_plan() -> None:
    problem = PlanningProblem(
        activities=tuple(Activity(f"i{k}", single(1 + k % 4, demand=1 + k % 2)) for k in range(14)),
        resources=(Resource("r", (3,)),),
        precedences=tuple(Precedence(k, k + 5) for k in range(9)),
        objective="makespan",
    )
    runs = [
        solve(problem, backend=b, time_limit=5.0, seed=3, deterministic=True, max_schedules=60)
        for b in ("heuristic", "heuristic", "cpsat", "cpsat")
    ]
    assert runs[0].items == runs[1].items
    assert runs[2].items == runs[3].items


def test_unknown_backend_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown backend"):
        solve(chain_problem(), backend="gurobi")


def test_to_dict_has_status_objective_bound_gap_runtime_and_items() -> None:
    data = solve(chain_problem(), backend="heuristic", time_limit=1.0).to_dict()
    assert {"status", "objective", "bound", "gap", "runtime", "items"} <= set(data)
    assert {"id", "team", "start", "end", "people"} <= set(data["items"][0])


def test_schedule_durations_replays_a_plan_with_new_durations() -> None:
    from scaleplan.planning import Instance, schedule_durations

    problem = chain_problem()
    result = solve(problem, backend="heuristic", time_limit=1.0)
    same = [result.by_id[a.id].end - result.by_id[a.id].start for a in problem.activities]
    starts, ends = schedule_durations(problem, same, result=result)
    assert ends == [result.by_id[a.id].end for a in problem.activities]
    # a takes 4 instead of 2: b (after a) and whatever followed on the resource slip by 2
    longer = [4, 3, 2]
    inst = Instance(problem)
    starts, ends = schedule_durations(problem, longer, result=result, instance=inst)
    assert max(ends) == 9
    assert starts[1] >= ends[0]
    with pytest.raises(ValueError, match="need 3 durations"):
        schedule_durations(problem, [1, 2])


def test_plan_program_unpins_in_progress_work_that_overloads_its_team() -> None:
    from planning_helpers import BASE, make_program

    from scaleplan.planning import plan_program

    # beta has one person but two items in progress: no plan keeps both going
    program = make_program(
        work_items=[
            {
                **BASE["work_items"][1],
                "depends_on": [],
                "status": "in-progress",
                "started": "2027-01-04",
            },
            {
                "id": "w",
                "title": "W",
                "team": "beta",
                "effort": 0.64,
                "status": "in-progress",
                "started": "2027-01-04",
                "initiative": "init",
            },
        ]
    )
    pp = plan_program(program, time_limit=1.0)
    assert pp.result.status == "infeasible"
    assert [f.kind for f in pp.result.diagnosis] == ["pinned-overload"]
    assert pp.shown_problem.meta["unpinned"] == ["w", "y"]
    assert check_plan(pp.shown_problem, pp.shown) == []
    y, w = pp.shown.by_id["y"], pp.shown.by_id["w"]
    assert {(y.start, y.end), (w.start, w.end)} in ({(0, 3), (3, 4)}, {(1, 4), (0, 1)})
    assert pp.board is not None
    assert any("more in-progress work than people" in x for x in pp.board.warnings)
