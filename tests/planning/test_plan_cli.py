"""`scaleplan plan / explain / compare` as a user runs them: output, formats, exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from planning_helpers import BASE

from scaleplan.cli.main import main


def write_program(tmp_path: Path, doc: dict[str, Any] | None = None) -> Path:
    path = tmp_path / "program.yaml"
    path.write_text(yaml.safe_dump(doc or BASE, sort_keys=False))
    return path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


FAST = ["--time-limit", "1"]


def test_plan_json_has_the_result_and_the_board(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["plan", str(write_program(tmp_path)), "--format", "json", *FAST], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["result"]["status"] in ("optimal", "feasible")
    items = {i["id"]: i for i in data["result"]["items"]}
    assert (items["y"]["start"], items["y"]["end"]) == (1, 4)
    assert data["board"]["board"] == {"alpha": {"1": ["x"]}, "beta": {"2": ["y"]}}


def test_plan_text_shows_landings_board_load_and_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["plan", str(write_program(tmp_path)), "--increment", "PI-1", *FAST], capsys)
    assert code == 0
    for heading in ("When each initiative lands", "Program board", "Team load", "warnings"):
        assert heading in out
    assert "lands in sprint 1" in out


def test_plan_writes_exports_and_replans_against_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = write_program(tmp_path)
    out_dir = tmp_path / "out"
    code, _, _ = run(
        ["plan", str(program), "--out", str(out_dir), "--format", "json", *FAST], capsys
    )
    assert code == 0
    assert (out_dir / "items.csv").read_text().startswith("item,title,team")
    code, out, _ = run(
        ["plan", str(program), "--baseline", str(out_dir / "plan.json"), "--format", "json", *FAST],
        capsys,
    )
    assert code == 0
    assert json.loads(out)["result"]["items"][0]["id"] == "x"


def test_unmeetable_hard_deadline_exits_3_with_a_diagnosis_and_a_relaxed_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = {
        **BASE,
        "work_items": [
            BASE["work_items"][0],
            {**BASE["work_items"][1], "deadline": "2027-01-15", "deadline_kind": "hard"},
        ],
    }
    code, out, _ = run(["plan", str(write_program(tmp_path, doc)), *FAST], capsys)
    assert code == 3
    assert "No plan meets every hard deadline" in out
    assert "chain x -> y" in out
    assert "misses its hard deadline (it cannot be met; see the diagnosis) by 2 week(s)" in out


def test_suggest_capacity_answers_in_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = {
        **BASE,
        "work_items": [
            BASE["work_items"][0],
            {
                **BASE["work_items"][1],
                "deadline": "2027-01-15",
                "deadline_kind": "hard",
                "max_people": 3,
            },
        ],
    }
    code, out, _ = run(
        [
            "plan",
            str(write_program(tmp_path, doc)),
            "--suggest-capacity",
            "y",
            "--format",
            "json",
            *FAST,
        ],
        capsys,
    )
    assert code == 0
    data = json.loads(out)
    assert data["status"] == "optimal"
    assert data["additions"][0]["team"] == "beta"


def test_explain_names_the_binding_dependency(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = str(write_program(tmp_path))
    code, out, _ = run(["explain", program, "y", *FAST], capsys)
    assert code == 0
    assert "Binding constraint: dependency" in out
    assert "Its critical chain: x -> y" in out
    code, out, _ = run(["explain", program, "y", "--format", "json", *FAST], capsys)
    assert json.loads(out)["explanation"]["predecessors"] == ["x"]


def test_explain_unknown_or_finished_items_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = str(write_program(tmp_path))
    code, _, err = run(["explain", program, "yy", *FAST], capsys)
    assert code == 2
    assert "unknown work item 'yy'" in err and "Traceback" not in err
    doc = {
        **BASE,
        "work_items": [
            {**BASE["work_items"][0], "status": "done"},
            {**BASE["work_items"][1], "depends_on": []},
        ],
    }
    code, _, err = run(["explain", str(write_program(tmp_path, doc)), "x", *FAST], capsys)
    assert code == 2
    assert "is done" in err


def test_bad_options_are_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    program = str(write_program(tmp_path))
    for args in (["--backend", "gurobi"], ["--objective", "fast"], ["--increment", "PI-9"]):
        code, _, err = run(["plan", program, *args, *FAST], capsys)
        assert code == 2, args
        assert "Traceback" not in err


def test_compare_shows_what_a_scenario_moves(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = {
        **BASE,
        "work_items": [
            *BASE["work_items"],
            {
                "id": "z",
                "title": "Z",
                "team": "beta",
                "effort": 1.92,
                "initiative": "init",
                "depends_on": ["x"],
            },
        ],
    }
    program = str(write_program(tmp_path, doc))
    scenario = tmp_path / "hire.yaml"
    scenario.write_text("name: hire\nchanges:\n  - add_people: {team: beta, count: 1}\n")
    code, out, _ = run(
        ["compare", program, "--scenario", str(scenario), "--format", "json", *FAST], capsys
    )
    assert code == 0
    data = json.loads(out)
    assert data["landings"][0]["delta"] == -3
    code, out, _ = run(["compare", program, "--scenario", str(scenario), *FAST], capsys)
    assert code == 0
    assert "Initiative landings that move" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("changes:\n  - hire: 3\n")
    code, _, err = run(["compare", program, "--scenario", str(bad), *FAST], capsys)
    assert code == 1
    assert "unknown change 'hire'" in err


def test_shopscale_plan_passes_the_checker_and_infeasibility_is_diagnosed(
    shopscale_path: Path,
) -> None:
    from scaleplan import load_program
    from scaleplan.planning import check_plan, plan_program

    program = load_program(shopscale_path)
    pp = plan_program(program, increment="PI-1", backend="heuristic", time_limit=2.0)
    if pp.result.status == "infeasible":  # ShopScale's hard deadlines are deliberately tight
        assert pp.result.diagnosis
        assert pp.relaxed is not None
    assert pp.shown.items
    assert check_plan(pp.shown_problem, pp.shown) == []
    assert pp.board is not None
    assert set(pp.board.roadmap) <= {t.id for t in program.teams}


def test_demo_section_prints_roadmap_summary_and_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scaleplan import load_program
    from scaleplan.cli import plan as plan_cli
    from scaleplan.cli.common import console

    path = write_program(tmp_path)
    plan_cli.demo(load_program(path), path, console)
    out = capsys.readouterr().out
    assert "Roadmap summary" in out
    assert "First initiatives to land: init" in out
    assert "Program-board warnings (1)" in out
