"""cut_line(): hand-computed cut lines, every kind of reason, the MoSCoW checks, and CP-SAT
proven equal to brute force on random instances.

Teams web and api have 4 person-weeks a week after the 20% reserve, so 8 in the two-week PI-1.
"""

from __future__ import annotations

import itertools
import random

import pytest
from prio_factory import build, initiative, item, wsjf

from scaleplan import InputError, UsageError, program_from_document
from scaleplan.analysis.capacity import increment_weeks, remaining_effort, team_capacity
from scaleplan.analysis.prioritisation import cut_line, priority_weights
from scaleplan.analysis.prioritisation.knapsack import (
    KnapsackProblem,
    solve_cpsat,
    solve_greedy,
)


def four(**extra_initiatives: dict[str, object]):  # type: ignore[no-untyped-def]
    """WSJF 60, 39, 24 and 3 (job size 1): weights 60/31.5, 39/31.5, 24/31.5, 3/31.5."""
    return build(
        initiatives=[
            initiative("i1", wsjf=wsjf(20, 20, 20, 1)),
            initiative("i2", wsjf=wsjf(13, 13, 13, 1)),
            initiative("i3", wsjf=wsjf(8, 8, 8, 1)),
            initiative("i4", wsjf=wsjf(1, 1, 1, 1)),
        ],
        work_items=[
            item("w1", "i1", "web", 6),
            item("w2", "i2", "web", 4),
            item("w3", "i3", "web", 3),
            item("a3", "i3", "api", 2),
            item("a4", "i4", "api", 5),
        ],
    )


def test_cp_sat_beats_the_greedy_walk_down_the_ranking() -> None:
    line = cut_line(four())
    assert line.status == "optimal"
    assert line.increment == "PI-1" and line.weeks == 2
    # greedy takes i1 (web 6 of 8), then only i4 fits: 60 + 3; the optimum is i2 + i3 + i4 = 66
    assert {i.id for i in line.selected} == {"i2", "i3", "i4"}
    assert line.objective == pytest.approx(66 / 31.5, abs=1e-4)
    assert line.bound == line.objective
    assert line.greedy_value == pytest.approx(63 / 31.5, abs=1e-4)
    assert line.greedy_shortfall == pytest.approx(3 / 31.5, abs=1e-4)
    assert {i.id for i in line.selected if i.in_greedy} == {"i4"}


def test_each_initiative_below_the_line_says_which_team_and_by_how_much() -> None:
    line = cut_line(four())
    [out] = line.below
    assert out.id == "i1"
    [reason] = out.reasons
    assert reason.kind == "capacity"
    assert (reason.team, reason.needed, reason.free, reason.short) == ("web", 6.0, 1.0, 5.0)
    assert (
        reason.message == "needs 6.0 pw of team web, 5.0 pw more than is left (1.0 of 8.0 pw free)"
    )


def test_team_loads_compare_planned_load_with_capacity() -> None:
    teams = {t.team: t for t in cut_line(four()).teams}
    assert teams["web"].capacity == pytest.approx(8.0)
    assert teams["web"].load == pytest.approx(7.0)
    assert teams["web"].free == pytest.approx(1.0)
    assert teams["web"].demand == pytest.approx(13.0)
    assert teams["web"].greedy_load == pytest.approx(6.0)
    assert teams["api"].load == pytest.approx(7.0)
    assert teams["api"].utilisation == pytest.approx(7 / 8)


def test_capacity_is_the_sum_of_team_capacity_over_the_increment_weeks() -> None:
    program = build(
        settings={"tech_debt_reserve": 0.5},
        initiatives=[initiative("i1", wsjf=wsjf(1, 1, 1, 1))],
        work_items=[item("w1", "i1", "web", 1)],
    )
    line = cut_line(program, "PI-2")
    inc = program.calendar.increments[1]
    expected = sum(team_capacity(program, "web", w) for w in increment_weeks(program, inc))
    assert {t.team: t.capacity for t in line.teams}["web"] == pytest.approx(expected) == 5.0


def test_demand_is_remaining_effort_so_progress_and_done_items_free_capacity() -> None:
    program = build(
        initiatives=[initiative("i1", wsjf=wsjf(1, 1, 1, 1), status="in-progress")],
        work_items=[
            item("w1", "i1", "web", 10, status="in-progress", progress=0.5, started="2025-01-06"),
            item("w2", "i1", "web", 3, status="done"),
        ],
    )
    line = cut_line(program)
    [selected] = line.selected
    assert selected.demand == {"web": 5.0}
    assert selected.demand["web"] == remaining_effort(program, program.work_items[0])


def test_through_adds_the_capacity_of_later_increments() -> None:
    program = build(
        initiatives=[initiative("big", wsjf=wsjf(1, 1, 1, 1))],
        work_items=[item("w1", "big", "web", 12)],
    )
    alone = cut_line(program)
    assert [i.id for i in alone.below] == ["big"]
    assert alone.below[0].reasons[0].kind == "too-big"
    assert alone.below[0].reasons[0].short == pytest.approx(4.0)
    both = cut_line(program, through="PI-2")
    assert [i.id for i in both.selected] == ["big"]
    assert (both.increment, both.through, both.weeks) == ("PI-1", "PI-2", 4)
    assert both.end == "2025-02-03"


def test_an_initiative_is_out_when_a_prerequisite_is_out() -> None:
    program = build(
        initiatives=[
            initiative("base", wsjf=wsjf(1, 1, 1, 1)),
            initiative("top", wsjf=wsjf(20, 20, 20, 1), depends_on=["base"]),
        ],
        work_items=[item("b1", "base", "web", 9), item("t1", "top", "api", 1)],
    )
    line = cut_line(program)
    assert line.selected == ()
    top = {i.id: i for i in line.below}["top"]
    assert top.requires == ("base",)
    [reason] = top.reasons
    assert (reason.kind, reason.prerequisite, reason.via) == ("prerequisite", "base", "depends_on")


def test_work_item_dependencies_across_initiatives_count_unless_done() -> None:
    def program(status: str):  # type: ignore[no-untyped-def]
        return build(
            initiatives=[
                initiative("x", wsjf=wsjf(20, 20, 20, 1)),
                initiative("y", wsjf=wsjf(1, 1, 1, 1), status="in-progress"),
            ],
            work_items=[
                item("x1", "x", "api", 1, depends_on=["y1"]),
                item("y1", "y", "web", 3, status=status),
                item("y2", "y", "web", 9),  # keeps y from fitting
            ],
        )

    open_line = cut_line(program("todo"))
    [reason] = {i.id: i for i in open_line.below}["x"].reasons
    assert reason.prerequisite == "y" and reason.via == "work item x1 -> y1"
    done_line = cut_line(program("done"))
    assert "x" in {i.id for i in done_line.selected}


def test_done_prerequisites_hold_and_cancelled_ones_keep_dependents_out() -> None:
    program = build(
        initiatives=[
            initiative("gone", status="cancelled"),
            initiative("shipped", status="done"),
            initiative("a", wsjf=wsjf(5, 5, 5, 1), depends_on=["shipped"]),
            initiative("b", wsjf=wsjf(5, 5, 5, 1), depends_on=["gone"]),
        ],
        work_items=[item("a1", "a", "web", 1), item("b1", "b", "web", 1)],
    )
    line = cut_line(program)
    assert [i.id for i in line.selected] == ["a"]
    [reason] = line.below[0].reasons
    assert reason.kind == "cancelled-prerequisite" and reason.prerequisite == "gone"


def test_unestimated_and_wont_have_initiatives_stay_below_the_line() -> None:
    program = build(
        initiatives=[
            initiative("vague", wsjf=wsjf(20, 20, 20, 1)),
            initiative("later", wsjf=wsjf(20, 20, 20, 1), moscow="wont"),
        ],
        work_items=[item("l1", "later", "web", 1)],
    )
    reasons = {i.id: i.reasons[0].kind for i in cut_line(program).below}
    assert reasons == {"vague": "unestimated", "later": "wont"}


def must_program(must_effort: float):  # type: ignore[no-untyped-def]
    return build(
        initiatives=[initiative("m", wsjf=wsjf(5, 5, 5, 1), moscow="must")],
        work_items=[item("m1", "m", "web", must_effort)],
    )


def test_musts_above_sixty_percent_of_a_team_capacity_warn_w520() -> None:
    findings = cut_line(must_program(5.2)).findings  # 5.2 of 8 = 65%
    assert [(f.code, f.subject) for f in findings] == [("W520", "web")]
    assert "65%" in findings[0].message


def test_musts_at_or_below_sixty_percent_pass() -> None:
    assert cut_line(must_program(4.8)).findings == ()  # exactly 60%


def test_a_must_have_below_the_line_warns_w521_and_ignore_silences() -> None:
    codes = [f.code for f in cut_line(must_program(9)).findings]
    assert codes == ["W520", "W521"]
    silenced = build(
        settings={"ignore": ["W520"]},
        initiatives=[initiative("m", wsjf=wsjf(5, 5, 5, 1), moscow="must")],
        work_items=[item("m1", "m", "web", 9)],
    )
    assert [f.code for f in cut_line(silenced).findings] == ["W521"]


def test_bad_increments_are_clear_errors() -> None:
    with pytest.raises(UsageError, match="unknown increment 'PI-9'"):
        cut_line(four(), "PI-9")
    with pytest.raises(UsageError, match="starts before"):
        cut_line(four(), "PI-2", through="PI-1")
    doc = {
        "program": {"name": "x"},
        "calendar": {"start": "2025-01-06"},
        "teams": [{"id": "web", "name": "Web", "capacity": 1}],
    }
    program = program_from_document(doc).program
    assert program is not None
    with pytest.raises(InputError, match="no increments"):
        cut_line(program)


def test_shopscale_cut_line_is_proven_optimal_and_reproducible(shopscale) -> None:  # type: ignore[no-untyped-def]
    first = cut_line(shopscale, time_limit=10.0, seed=0)
    assert first.status == "optimal"
    assert first.increment == "PI-1"
    assert first.bound == first.objective >= first.greedy_value
    assert first.to_dict() == cut_line(shopscale, time_limit=10.0, seed=0).to_dict()
    year = cut_line(shopscale, through=shopscale.calendar.increments[-1].id)
    assert year.status == "optimal"
    assert year.objective >= first.objective
    for below in first.below:
        assert below.reasons, below.id


# -- CP-SAT against brute force -----------------------------------------------------------------


def random_problem(rng: random.Random) -> KnapsackProblem:
    n, teams = rng.randint(1, 10), rng.randint(1, 3)
    requires = []
    for i in range(n):
        needs = {rng.randrange(n) for _ in range(rng.choice((0, 0, 0, 1, 2)))} - {i}
        requires.append(tuple(sorted(needs)))
    return KnapsackProblem(
        values=tuple(rng.randint(1, 100) for _ in range(n)),
        demands=tuple(
            {t: rng.randint(1, 60) for t in rng.sample(range(teams), rng.randint(1, teams))}
            for _ in range(n)
        ),
        capacities=tuple(rng.randint(0, 120) for _ in range(teams)),
        requires=tuple(requires),
        forced_out=frozenset(i for i in range(n) if rng.random() < 0.1),
    )


def brute_force(problem: KnapsackProblem) -> int:
    best = 0
    for mask in range(1 << problem.size):
        chosen = {i for i in range(problem.size) if mask >> i & 1}
        if chosen & problem.forced_out:
            continue
        if any(r not in chosen for i in chosen for r in problem.requires[i]):
            continue
        load = [0] * len(problem.capacities)
        for i in chosen:
            for t, d in problem.demands[i].items():
                load[t] += d
        if all(x <= c for x, c in zip(load, problem.capacities, strict=True)):
            best = max(best, sum(problem.values[i] for i in chosen))
    return best


@pytest.mark.parametrize("seed", range(40))
def test_cp_sat_equals_brute_force_on_random_instances(seed: int) -> None:
    problem = random_problem(random.Random(seed))
    solution = solve_cpsat(problem, time_limit=5.0, workers=1)
    assert solution.status == "optimal"
    assert solution.objective == brute_force(problem)
    assert problem.feasible(solution.selected)
    greedy = solve_greedy(problem)
    assert problem.feasible(greedy)
    assert problem.value(greedy) <= solution.objective


def random_program(rng: random.Random):  # type: ignore[no-untyped-def]
    n = rng.randint(2, 7)
    initiatives = []
    items = []
    for i in range(n):
        ini = initiative(
            f"i{i}",
            wsjf=wsjf(
                *(rng.choice((1, 2, 3, 5, 8, 13, 20)) for _ in range(3)), rng.choice((1, 2, 3, 5))
            ),
        )
        if i and rng.random() < 0.3:
            ini["depends_on"] = [f"i{rng.randrange(i)}"]
        initiatives.append(ini)
        for k in range(rng.randint(1, 3)):
            extra = {}
            if i and rng.random() < 0.2:
                extra["depends_on"] = [f"w{rng.randrange(i)}-0"]
            items.append(
                item(f"w{i}-{k}", f"i{i}", rng.choice(("web", "api")), rng.randint(1, 6), **extra)
            )
    return build(initiatives=initiatives, work_items=items)


@pytest.mark.parametrize("seed", range(12))
def test_program_cut_line_equals_brute_force_over_initiative_subsets(seed: int) -> None:
    program = random_program(random.Random(seed))
    weights = priority_weights(program)
    ids = [i.id for i in program.initiatives]
    needs = {i.id: set(i.depends_on) for i in program.initiatives}
    for w in program.work_items:
        for link in w.depends_on:
            other = program.work_items_by_id[link.item].initiative
            if other != w.initiative:
                needs[w.initiative or ""].add(other or "")
    demand = {i: {"web": 0.0, "api": 0.0} for i in ids}
    for w in program.work_items:
        demand[w.initiative or ""][w.team] += w.effort or 0.0
    best = 0.0
    for r in range(len(ids) + 1):
        for subset in itertools.combinations(ids, r):
            chosen = set(subset)
            if any(not needs[i] <= chosen for i in chosen):
                continue
            if all(sum(demand[i][t] for i in chosen) <= 8.0 + 1e-9 for t in ("web", "api")):
                best = max(best, sum(weights[i] for i in chosen))
    line = cut_line(program, workers=1)
    assert line.status == "optimal"
    assert line.objective == pytest.approx(best, abs=1e-3)


def test_a_program_without_initiatives_has_an_empty_optimal_cut_line() -> None:
    line = cut_line(build())
    assert (line.status, line.selected, line.below, line.objective) == ("optimal", (), (), 0.0)
    assert {t.team for t in line.teams} == {"web", "api"}


def test_equal_value_selections_keep_the_higher_ranked_initiative() -> None:
    # a and b have the same weight and the same demand; only one fits: the tie-break bonus
    # keeps a (ranked first by id), run after run
    program = build(
        initiatives=[
            initiative("b", wsjf=wsjf(5, 5, 5, 1)),
            initiative("a", wsjf=wsjf(5, 5, 5, 1)),
        ],
        work_items=[item("b1", "b", "web", 6), item("a1", "a", "web", 6)],
    )
    for seed in range(3):
        assert [i.id for i in cut_line(program, seed=seed).selected] == ["a"]
