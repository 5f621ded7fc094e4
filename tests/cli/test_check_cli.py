"""`scaleplan check/show/schema/init` as a user runs them: output, formats and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scaleplan.cli.main import main

CASES = Path(__file__).resolve().parents[1] / "loading" / "cases"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_check_valid_program_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check", str(CASES / "valid")], capsys)
    assert code == 0
    assert "valid" in err


def test_check_invalid_program_exits_1_with_one_line_per_problem(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["check", str(CASES / "many-errors-at-once")], capsys)
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("E102 program.yaml:16:26 people[ann].levell: unknown key")
    assert "3 errors" in err


def test_check_missing_path_is_a_usage_error_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(["check", str(tmp_path / "nope")], capsys)
    assert code == 2
    assert "no such file or directory" in err
    assert "Traceback" not in err


def test_unknown_option_is_a_usage_error_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check", str(CASES / "valid"), "--frobnicate"], capsys)
    assert code == 2
    assert "frobnicate" in err


def test_check_json_lists_diagnostics_with_locations(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", str(CASES / "E104-unknown-reference"), "--format", "json"], capsys)
    assert code == 1
    data = json.loads(out)
    assert data["valid"] is False
    unknown = [d for d in data["diagnostics"] if d["code"] == "E104"]
    assert {d["id"] for d in unknown} == {"apii", "aa", "i1"}
    first = unknown[0]
    assert first["severity"] == "error"
    assert first["file"] == "program.yaml" and first["line"] == 17 and first["column"] == 32
    assert first["hint"] == "did you mean 'api'?"


def test_check_github_format_prints_workflow_annotations(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(["check", str(CASES / "W400-outside-calendar"), "-f", "github"], capsys)
    assert code == 0
    assert out.startswith("::warning file=program.yaml,line=27,col=72,title=W400 date outside")


def test_strict_turns_warnings_into_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(["check", str(CASES / "W400-outside-calendar"), "--strict"], capsys)
    assert code == 1


def test_show_json_has_plain_counts_per_kind(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["show", str(CASES / "valid"), "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    for key, expected in {
        "teams": 2,
        "people": 3,
        "services": 0,
        "objectives": 1,
        "key_results": 1,
        "initiatives": 1,
        "work_items": 2,
    }.items():
        assert data[key] == expected, key
    web = next(t for t in data["team_summary"] if t["id"] == "web")
    # 2 people x focus 0.8 x (1 - 0.2 reserve) = 1.28 person-weeks per week
    assert web["capacity_per_week"] == 1.28


def test_show_of_invalid_program_prints_diagnostics_and_exits_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(["show", str(CASES / "E105-duplicate-id")], capsys)
    assert code == 1
    assert out.startswith("E105 work/more.yaml:2:10")


def test_schema_refuses_to_overwrite_a_different_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "schema.json"
    target.write_text("{}")
    code, _, err = run(["schema", "--out", str(target)], capsys)
    assert code == 2
    assert "--force" in err
    assert target.read_text() == "{}"
    code, _, _ = run(["schema", "--out", str(target), "--force"], capsys)
    assert code == 0
    assert json.loads(target.read_text())["title"] == "scaleplan program file"


def test_init_scaffolds_a_valid_program_and_refuses_a_non_empty_dir(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "my-program"
    code, _, _ = run(["init", str(target), "--name", "My Program"], capsys)
    assert code == 0
    assert (target / ".github" / "workflows" / "scaleplan.yml").exists()
    assert (target / ".pre-commit-config.yaml").exists()
    assert (target / "work" / "backlog.csv").exists()
    code, _, err = run(["check", str(target)], capsys)
    assert code == 0, err
    code, out, _ = run(["show", str(target), "-f", "json"], capsys)
    assert json.loads(out)["name"] == "My Program"
    code, _, err = run(["init", str(target)], capsys)
    assert code == 2
    assert "not empty" in err


def test_version_flag(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--version"], capsys)
    assert code == 0
    assert out.startswith("scaleplan ")


def test_python_dash_m_runs_the_cli() -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "scaleplan", "check", str(CASES / "valid")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
