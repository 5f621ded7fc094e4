"""`scaleplan prioritize / okrs / cutline` as a user runs them: formats and exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from prio_factory import document, initiative, item, wsjf

from scaleplan.cli.main import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def small(tmp_path: Path) -> Path:
    doc = document(
        objectives=[
            {
                "id": "o1",
                "title": "Grow",
                "increment": "PI-1",
                "key_results": [
                    {
                        "id": "k1",
                        "title": "Sign-ups",
                        "target": 100,
                        "current": 10,
                        "kind": "committed",
                    },
                ],
            },
        ],
        initiatives=[
            initiative("i1", wsjf=wsjf(20, 20, 20, 1), key_results=["k1"]),
            initiative("i2", wsjf=wsjf(13, 13, 13, 1), key_results=["k1"]),
            initiative("i3", wsjf=wsjf(8, 8, 8, 1), key_results=["k1"]),
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
    (tmp_path / "program.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    return tmp_path


def test_prioritize_prints_a_ranked_table(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["prioritize", str(small)], capsys)
    assert code == 0
    assert "WSJF ranking, 4 of 4 open initiatives scored" in out
    assert out.index("i1") < out.index("i2") < out.index("i3") < out.index("i4")
    assert "(20 + 20 + 20) / 1 = 60" in out
    assert "then id (A-Z)" in out


def test_prioritize_json_and_csv(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["prioritize", str(small), "--format", "json", "--top", "2"], capsys)
    assert code == 0
    data = json.loads(out)
    assert [e["id"] for e in data["entries"]] == ["i1", "i2"]
    assert data["entries"][0]["score"] == 60.0
    code, out, _ = run(["prioritize", str(small), "-f", "csv", "-m", "wsjf"], capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == ["i1", "i2", "i3", "i4"]
    assert rows[3]["formula"] == "(1 + 1 + 1) / 1 = 3"


def test_prioritize_unknown_method_exits_2(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["prioritize", str(small), "--method", "moscow"], capsys)
    assert code == 2
    assert "unknown scoring method 'moscow'" in err
    assert "Traceback" not in err


def test_okrs_json_carries_grades_and_findings(
    small: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["okrs", str(small), "--as-of", "2025-01-13", "-f", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    kr = data["objectives"][0]["key_results"][0]
    assert (kr["grade"], kr["forecast"]) == (0.1, 0.2)
    assert {f["code"] for f in data["findings"]} == {"W510", "W513"}


def test_okrs_text_shows_the_tree(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["okrs", str(small), "--as-of", "2025-01-13", "--items"], capsys)
    assert code == 0
    assert "o1" in out and "k1" in out and "needs escalation" in out
    assert "w1" in out  # --items shows work items
    assert "W513" in out


def test_okrs_bad_date_exits_2(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["okrs", str(small), "--as-of", "13/01/2025"], capsys)
    assert code == 2
    assert "YYYY-MM-DD" in err


def test_cutline_json_reports_status_and_reasons(
    small: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["cutline", str(small), "--format", "json", "--workers", "1"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["status"] == "optimal"
    assert data["increment"]["id"] == "PI-1"
    assert [i["id"] for i in data["selected"]] == ["i2", "i3", "i4"]
    [below] = data["below"]
    assert below["reasons"][0]["team"] == "web" and below["reasons"][0]["short_pw"] == 5.0
    assert data["greedy_value"] < data["objective"]


def test_cutline_text_and_through(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["cutline", str(small), "--through", "PI-2"], capsys)
    assert code == 0
    assert "Cut line PI-1..PI-2" in out and "4 of 4 initiatives fit" in out
    assert "CP-SAT optimal" in out


def test_cutline_unknown_increment_exits_2(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["cutline", str(small), "--increment", "Q9"], capsys)
    assert code == 2
    assert "unknown increment 'Q9'" in err


def test_commands_on_an_invalid_program_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = document(initiatives=[initiative("i1", ice={"impact": 11, "confidence": 1, "ease": 1})])
    (tmp_path / "program.yaml").write_text(yaml.safe_dump(bad))
    for command in ("prioritize", "okrs", "cutline"):
        code, out, _ = run([command, str(tmp_path), "-f", "json"], capsys)
        assert code == 1
        assert json.loads(out)["valid"] is False


def test_shopscale_cutline_json_is_optimal(
    shopscale_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["cutline", str(shopscale_path), "-f", "json"], capsys)
    assert code == 0
    assert json.loads(out)["status"] == "optimal"


def test_demo_section_prints_top_initiatives_grades_and_cut_line(
    shopscale,
    shopscale_path: Path,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    from scaleplan.cli.common import console
    from scaleplan.cli.prioritize import demo

    demo(shopscale, shopscale_path, console)
    out = capsys.readouterr().out
    assert "Top initiatives by WSJF" in out
    assert "OKR grades" in out
    assert "Cut line PI-1" in out
