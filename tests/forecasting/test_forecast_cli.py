"""The forecast, backtest and history commands end to end (JSON and text, charts, errors)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from forecasting_helpers import Server, github_route

from scaleplan.cli.main import main

DATA = Path(__file__).parent / "data"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def steady_csv(tmp_path: Path) -> Path:
    """Two items a day for 60 weeks from 2024-01-01, as a plain CSV."""
    import datetime as dt

    lines = ["id,created,done"]
    day0 = dt.date(2024, 1, 1)
    for day in range(7 * 60):
        date = (day0 + dt.timedelta(days=day)).isoformat()
        lines += [f"T-{day}-a,{date},{date}", f"T-{day}-b,{date},{date}"]
    path = tmp_path / "steady.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_forecast_when_json_has_dates_and_measured_coverage(
    capsys: pytest.CaptureFixture[str], steady_csv: Path
) -> None:
    code, out, _ = run(
        capsys,
        "forecast",
        "when",
        str(steady_csv),
        "--items",
        "28",
        "--trials",
        "500",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["start"] == "2025-02-24"
    assert data["p50"] <= data["p85"] <= data["p95"]
    assert data["coverage"]["forecasts"] > 0 and data["coverage"]["horizon_weeks"] == 2
    assert [p["level"] for p in data["percentiles"]] == [0.5, 0.7, 0.85, 0.95]


def test_forecast_text_states_its_coverage_and_writes_a_chart(
    capsys: pytest.CaptureFixture[str], steady_csv: Path, tmp_path: Path
) -> None:
    chart = tmp_path / "cone.svg"
    code, out, _ = run(
        capsys,
        "forecast",
        "how-many",
        str(steady_csv),
        "--weeks",
        "3",
        "--trials",
        "500",
        "--chart",
        str(chart),
    )
    assert code == 0
    assert "Measured on this history: P85 held" in out
    root = ET.fromstring(chart.read_text())
    assert root.tag.endswith("svg") and "items by" in chart.read_text()


def test_backtest_json_per_question_and_horizon(
    capsys: pytest.CaptureFixture[str], steady_csv: Path
) -> None:
    code, out, _ = run(
        capsys,
        "backtest",
        str(steady_csv),
        "--horizons",
        "4",
        "--trials",
        "200",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    cells = {(c["question"], c["horizon_weeks"]): c for c in data["cells"]}
    assert set(cells) == {("when", 4), ("how-many", 4)}
    methods = {m["method"]: m for m in cells[("when", 4)]["methods"]}
    # constant throughput: every forecast is exact
    assert methods["bootstrap"]["coverage"]["p85"] == 1.0
    assert methods["calibrated"]["median_actual_over_p50"] == pytest.approx(1.0)


def test_history_show_lists_skipped_rows_with_lines(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "history", "show", str(DATA / "jira_export.csv"), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [s["line"] for s in data["report"]["skipped"]] == [7, 8, 10]
    assert data["metrics"]["done"] == 2
    code, out, _ = run(capsys, "history", "show", str(DATA / "jira_export.csv"))
    assert code == 0 and "jira_export.csv:7: skipped" in out


def test_forecast_plan_json_and_chart(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    doc: dict[str, Any] = {
        "program": {"name": "Tiny"},
        "calendar": {"start": "2027-01-04"},
        "settings": {"tech_debt_reserve": 0.0, "focus_factor": 1.0},
        "teams": [{"id": "web", "name": "Web", "capacity": 2.0}],
        "initiatives": [{"id": "launch", "title": "Launch", "deadline": "2027-01-24"}],
        "work_items": [
            {
                "id": "a",
                "title": "A",
                "team": "web",
                "initiative": "launch",
                "effort": 4,
                "low": 4,
                "high": 4,
                "max_people": 5,
            },
        ],
    }
    program = tmp_path / "program.yaml"
    program.write_text(yaml.safe_dump(doc))
    chart = tmp_path / "plan.svg"
    code, out, _ = run(
        capsys,
        "forecast",
        "plan",
        str(program),
        "--trials",
        "200",
        "--format",
        "json",
        "--chart",
        str(chart),
    )
    assert code == 0
    data = json.loads(out)
    launch = data["initiatives"][0]
    assert launch["p50"] == launch["p95"] == "2027-01-17"
    assert launch["probability"] == 1.0
    ET.fromstring(chart.read_text())


def test_history_import_from_github_then_forecast_reads_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    holder: dict[str, Server] = {}
    server = Server(github_route(lambda: holder["s"].url))
    holder["s"] = server
    try:
        out_file = tmp_path / "gh.jsonl.gz"
        code, _, _ = run(
            capsys,
            "history",
            "import",
            str(out_file),
            "--github",
            "acme/shop",
            "--api-url",
            server.url,
        )
        assert code == 0
        code, out, _ = run(capsys, "history", "show", str(out_file), "--format", "json")
        assert code == 0
        assert json.loads(out)["report"]["items"] == 3
    finally:
        server.close()


def test_errors_are_one_line_with_exit_codes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, steady_csv: Path
) -> None:
    code, _, err = run(capsys, "forecast", "when", str(tmp_path / "none.csv"), "--items", "3")
    assert code == 1 and "no such file" in err and "Traceback" not in err
    code, _, _ = run(capsys, "forecast", "when", str(steady_csv), "--items", "0")
    assert code == 2
    code, _, err = run(capsys, "backtest", str(steady_csv), "--horizons", "x")
    assert code == 2 and "whole weeks" in err
    code, _, err = run(capsys, "forecast", "set", str(steady_csv))
    assert code == 2 and "the set is empty" in err


def test_split_rate_option_given_learned_or_refused(
    capsys: pytest.CaptureFixture[str], steady_csv: Path
) -> None:
    args = ("forecast", "when", str(steady_csv), "--items", "14", "--trials", "500")
    code, out, _ = run(capsys, *args, "--split-rate", "2", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["items"], data["delivered_items"], data["split_rate"]) == (14, 28, 2.0)
    chart = steady_csv.parent / "split.svg"
    code, out, _ = run(capsys, *args, "--split-rate", "1.5", "--chart", str(chart))
    assert code == 0 and "Split rate 1.50 (given): 14 backlog items -> 21 delivered" in out
    # the burn-up counts delivered items: the cone aims at 21 more, and the title says so
    assert "next 14 items (21 delivered)" in chart.read_text()
    # a plain CSV has no links: learning is refused with the fix
    code, _, err = run(capsys, *args, "--split-rate", "learn")
    assert code == 1 and "no split links" in err and "--split-rate 1.2" in err
    code, _, err = run(capsys, *args, "--split-rate", "lots")
    assert code == 2 and "a number or 'learn'" in err
