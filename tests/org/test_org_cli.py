"""The org commands as a user runs them: output formats, files and exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import mini_document, person, team

from scaleplan.cli.main import main


def write(doc: dict[str, Any], tmp_path: Path) -> str:
    path = tmp_path / "program.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return str(path)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


AS_OF = ["--as-of", "2027-02-01"]


def test_org_json_on_a_healthy_org_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["org", write(mini_document(), tmp_path), *AS_OF, "-f", "json"], capsys)
    data = json.loads(out)
    assert code == 0
    assert (data["errors"], data["warnings"], data["findings"]) == (0, 0, [])
    assert data["congruence"] == {"ratio": 1.0, "required_pairs": 3, "gaps": 0}
    assert [t["id"] for t in data["teams"]] == ["checkout", "catalog", "payments", "infra"]


def test_org_warning_passes_unless_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = mini_document()
    doc["settings"]["tech_debt_reserve"] = 0.1
    path = write(doc, tmp_path)
    code, out, _ = run(["org", path, *AS_OF], capsys)
    assert code == 0 and "ORG018" in out and "0 errors, 1 warning" in out
    code, _, _ = run(["org", path, *AS_OF, "--strict"], capsys)
    assert code == 1


def test_org_error_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = mini_document()
    for k in range(5):
        doc["people"].append({"id": f"x{k}", "name": f"X{k}", "team": "checkout", "manager": "ck1"})
    code, out, _ = run(["org", write(doc, tmp_path), *AS_OF, "-f", "json"], capsys)
    assert code == 1
    assert json.loads(out)["findings"][0]["code"] == "ORG002"


def test_org_bad_date_and_increment_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(mini_document(), tmp_path)
    code, _, err = run(["org", path, "--as-of", "01/02/2027"], capsys)
    assert code == 2 and "--as-of" in err
    code, _, err = run(["org", path, *AS_OF, "--increment", "PI-9"], capsys)
    assert code == 2 and "unknown increment 'PI-9'" in err


def test_congruence_with_suggestion_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = mini_document()
    person(doc, "ck3")["guilds"] = []
    code, out, _ = run(
        ["congruence", write(doc, tmp_path), *AS_OF, "--suggest", "-f", "json"], capsys
    )
    data = json.loads(out)
    assert code == 0
    assert data["gaps"] == [["checkout", "payments"]]
    assert data["ratio"] == pytest.approx(2 / 3, abs=1e-4)
    assert data["suggestion"]["status"] == "optimal"
    assert data["suggestion"]["cross_team_dependencies"]["before"] == 3


def test_congruence_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["congruence", write(mini_document(), tmp_path), *AS_OF, "--suggest"], capsys
    )
    assert code == 0
    assert "Congruence 100%" in out and "Suggested boundaries (optimal" in out


def test_escalation_exits_1_on_an_incomplete_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = mini_document()
    del team(doc, "catalog")["lead"]
    path = write(doc, tmp_path)
    code, out, _ = run(["escalation", path, *AS_OF, "-f", "json"], capsys)
    paths = {p["subject"]: p for p in json.loads(out)["paths"]}
    assert code == 1
    assert paths["catalog"]["gaps"] == ["team 'catalog' has no lead"]
    code, out, _ = run(["escalation", path, *AS_OF, "--person", "pa4", "-f", "json"], capsys)
    assert code == 0
    assert [s["person"] for s in json.loads(out)["paths"][0]["steps"]] == ["pa1", "tl-core", "cto"]
    code, _, err = run(["escalation", path, "--team", "a", "--person", "b"], capsys)
    assert code == 2 and "not both" in err


def test_cadences_write_calendars_and_refuse_to_clobber(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(mini_document(), tmp_path)
    out_dir = tmp_path / "ics"
    code, out, _ = run(["cadences", path, *AS_OF, "--out", str(out_dir), "-f", "json"], capsys)
    data = json.loads(out)
    assert code == 0
    assert sorted(Path(p).name for p in data["written"]) == [
        "program.ics",
        "team-catalog.ics",
        "team-checkout.ics",
        "team-infra.ics",
        "team-payments.ics",
    ]
    assert data["load_summary"]["over_limit"] == 0
    assert data["meetings"][0]["recurrence"]["rrule"].startswith("FREQ=WEEKLY")
    code, _, err = run(["cadences", path, "--as-of", "2027-02-08", "--out", str(out_dir)], capsys)
    assert code == 2 and "pass --force" in err
    code, out, _ = run(
        ["cadences", path, "--as-of", "2027-02-08", "--out", str(out_dir), "--force"], capsys
    )
    assert code == 0 and "wrote 5 calendars" in out


def test_mentors_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = mini_document()
    person(doc, "in1")["mentoring_capacity"] = 2
    person(doc, "ck6")["level"] = 1
    code, out, _ = run(["mentors", write(doc, tmp_path), *AS_OF, "-f", "json"], capsys)
    data = json.loads(out)
    assert code == 0
    assert [(p["mentor"], p["mentee"]) for p in data["pairs"]] == [("in1", "ck6")]
    assert data["mentors"] == {"in1": {"used": 1, "capacity": 2}}


def test_talks_text_and_ics(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ics = tmp_path / "talks.ics"
    code, out, _ = run(
        [
            "talks",
            write(mini_document(), tmp_path),
            "--weeks",
            "3",
            "--start",
            "2027-02-01",
            "--out",
            str(ics),
        ],
        capsys,
    )
    assert code == 0 and "TechTalk rotation" in out
    assert ics.read_bytes().count(b"BEGIN:VEVENT") == 3
    code, out, _ = run(
        [
            "talks",
            write(mini_document(), tmp_path),
            "--weeks",
            "2",
            "--start",
            "2027-02-01",
            "-f",
            "json",
        ],
        capsys,
    )
    assert [t["week"] for t in json.loads(out)["talks"]] == [0, 1]


def test_demo_section_prints_org_congruence_cadences_and_mentors(tmp_path: Path) -> None:
    from rich.console import Console

    from scaleplan.cli.org import DEMO_ORDER, demo
    from scaleplan.loading import load_program

    doc = mini_document()
    person(doc, "in1")["mentoring_capacity"] = 1
    person(doc, "ck6")["level"] = 1
    program = load_program(write(doc, tmp_path))
    con = Console(record=True, width=160)
    demo(program, tmp_path, con)
    text = con.export_text()
    assert DEMO_ORDER == 50
    for expected in (
        "Teams as of 2027-01-04",
        "Congruence 100%",
        "Meeting plan from",
        "Mentor pairs",
    ):
        assert expected in text
