"""PSPLIB smoke tests on real instances: the reader, the checker, and known optima."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from scaleplan.errors import InputError
from scaleplan.planning import check_plan, parse_sm, read_sm, solve
from scaleplan.planning.bounds import critical_path_bound, makespan_bound


@pytest.fixture(scope="module")
def psplib(shared_data: Path) -> Path:
    return shared_data / "psplib"


def bounds(psplib: Path) -> dict[str, tuple[int, int]]:
    with (psplib / "bounds.csv").open() as handle:
        return {r["instance"]: (int(r["lb"]), int(r["ub"])) for r in csv.DictReader(handle)}


def test_reader_maps_j301_1_onto_the_problem(psplib: Path) -> None:
    problem = read_sm(psplib / "j30" / "j301_1.sm")
    assert problem.n == 30  # 32 jobs minus the dummy source and sink
    assert [r.capacity for r in problem.resources] == [(12,), (13,), (4,), (12,)]
    job2 = problem.activities[problem.index["2"]]
    assert job2.modes[0].duration == 8
    assert job2.modes[0].demands == ((0, 4),)
    # job 2 precedes 6, 11 and 15
    succ = {problem.activities[s].id for s, _ in problem.successors[problem.index["2"]]}
    assert succ == {"6", "11", "15"}
    assert problem.objective == "makespan"
    # the file's MPM-Time is the critical path length
    assert critical_path_bound(problem) == 38


@pytest.mark.parametrize("instance", ["j301_1.sm", "j302_1.sm", "j304_1.sm"])
def test_cpsat_reaches_the_known_optimum_and_proves_it(psplib: Path, instance: str) -> None:
    lb, ub = bounds(psplib)[instance]
    problem = read_sm(psplib / "j30" / instance)
    result = solve(problem, backend="cpsat", time_limit=10.0)
    assert check_plan(problem, result, lower_bound=lb) == []
    assert result.makespan == ub
    assert result.status == "optimal"


@pytest.mark.parametrize("instance", ["j301_1.sm", "j3013_1.sm"])
def test_heuristic_plans_pass_the_checker_and_respect_the_bounds(
    psplib: Path, instance: str
) -> None:
    lb, ub = bounds(psplib)[instance]
    problem = read_sm(psplib / "j30" / instance)
    result = solve(problem, backend="heuristic", time_limit=0.5)
    assert check_plan(problem, result, lower_bound=lb) == []
    assert result.makespan is not None and lb <= result.makespan <= ub * 1.1
    assert result.bound is not None and result.bound <= lb
    assert makespan_bound(problem) == result.bound


def test_a_file_that_is_not_psplib_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a PSPLIB"):
        parse_sm("hello\nworld\n", name="junk")
    with pytest.raises(InputError, match="cannot read"):
        read_sm(tmp_path / "missing.sm")
