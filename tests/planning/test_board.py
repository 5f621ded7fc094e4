"""Roadmap, program board, team load and export of the tiny program's plan.

Plan (hand-computed in test_build): x on alpha with both people in week 0; y on beta in
weeks 1-3. Two-week sprints from 2027-01-04: sprint 1 = weeks 0-1, sprint 2 = weeks 2-3.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from scaleplan.errors import UsageError
from scaleplan.model import Program
from scaleplan.planning import build_board, build_problem, export_files, solve
from scaleplan.planning.board import Board
from scaleplan.storage.files import write_files


def board_of(program: Program) -> tuple[Board, object, object]:
    problem = build_problem(program, increment="PI-1", priorities={"init": 1.0})
    result = solve(problem, backend="cpsat", time_limit=2.0)
    return build_board(problem, result), problem, result


def test_roadmap_lists_each_team_with_dates_and_sprints(tiny: Program) -> None:
    board, _, _ = board_of(tiny)
    (x,) = board.roadmap["alpha"]
    (y,) = board.roadmap["beta"]
    assert (x.start_date, x.end_date, x.start_sprint, x.end_sprint) == (
        "2027-01-04",
        "2027-01-08",
        1,
        1,
    )
    assert (y.start_date, y.end_date, y.start_sprint, y.end_sprint) == (
        "2027-01-11",
        "2027-01-29",
        1,
        2,
    )
    assert board.cells == {"alpha": {1: ("x",)}, "beta": {2: ("y",)}}
    assert board.increment_sprints == tuple(range(1, 8))  # PI-1 is 13 weeks


def test_a_dependency_delivered_in_the_sprint_its_dependent_starts_is_flagged(
    tiny: Program,
) -> None:
    board, _, _ = board_of(tiny)
    (dep,) = board.dependencies
    assert (dep.before, dep.after, dep.before_sprint, dep.after_sprint, dep.flag) == (
        "x",
        "y",
        1,
        1,
        "same-sprint",
    )
    assert any("x (alpha) -> y (beta) lands in sprint 1" in w for w in board.warnings)


def test_team_load_is_planned_effort_against_capacity_per_sprint(tiny: Program) -> None:
    board, _, _ = board_of(tiny)
    load = {(c.team, c.sprint): (round(c.planned, 2), round(c.capacity, 2)) for c in board.load}
    # a person-week present is 0.64 person-weeks of planned work
    assert load == {
        ("alpha", 1): (1.28, 2.56),
        ("alpha", 2): (0.0, 2.56),
        ("beta", 1): (0.64, 1.28),
        ("beta", 2): (1.28, 1.28),
    }


def test_initiative_landing_is_its_last_items_end(tiny: Program) -> None:
    board, _, _ = board_of(tiny)
    (landing,) = board.landings
    assert (landing.initiative, landing.end, landing.end_date) == ("init", 4, "2027-01-29")


def test_export_writes_json_and_csv_and_refuses_to_clobber(tiny: Program, tmp_path: Path) -> None:
    _, problem, result = board_of(tiny)
    files = export_files(problem, result)  # type: ignore[arg-type]
    assert set(files) == {"plan.json", "items.csv", "board.csv", "load.csv", "dependencies.csv"}
    rows = list(csv.DictReader(io.StringIO(files["items.csv"])))
    assert [(r["item"], r["team"], r["start_date"], r["end_date"]) for r in rows] == [
        ("x", "alpha", "2027-01-04", "2027-01-08"),
        ("y", "beta", "2027-01-11", "2027-01-29"),
    ]
    data = json.loads(files["plan.json"])
    assert data["plan"]["items"][0]["id"] == "x"
    written = write_files(tmp_path / "out", export_files(problem, result))  # type: ignore[arg-type]
    assert sorted(p.name for p in written) == sorted(files)
    (tmp_path / "out" / "load.csv").write_text("edited\n")
    with pytest.raises(UsageError, match="--force"):
        write_files(tmp_path / "out", export_files(problem, result))  # type: ignore[arg-type]
    write_files(tmp_path / "out", export_files(problem, result), force=True)  # type: ignore[arg-type]
    assert (tmp_path / "out" / "load.csv").read_text() == files["load.csv"]


def test_board_to_dict_is_json_serialisable(tiny: Program) -> None:
    board, _, _ = board_of(tiny)
    data = json.loads(json.dumps(board.to_dict()))
    assert data["board"] == {"alpha": {"1": ["x"]}, "beta": {"2": ["y"]}}
    assert data["dependencies"][0]["flag"] == "same-sprint"
