"""Synthetic programs: valid at any size, deterministic, realistic, written as a repository."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from scaleplan import UsageError, load_program, program_from_document
from scaleplan.model.graphs import find_cycles
from scaleplan.synthetic import document_counts, generate_program, write_program

SIZES: list[dict[str, Any]] = [
    {"teams": 1, "items": 5},
    {"teams": 3, "items": 0},
    {"teams": 8, "items": 200},
    {"teams": 14, "items": 150, "people": 130, "weeks": 13},
    {"teams": 30, "items": 1000, "people": 300, "services": 60, "initiatives": 90},
]


@pytest.fixture(scope="module")
def medium() -> dict[str, Any]:
    return generate_program(teams=30, items=1500, people=280, seed=7)


@pytest.mark.parametrize("sizes", SIZES, ids=lambda s: "-".join(f"{k}{v}" for k, v in s.items()))
def test_generated_program_is_valid_without_warnings(sizes: dict[str, Any]) -> None:
    doc = generate_program(**sizes)
    result = program_from_document(doc)
    assert [d.format() for d in result.diagnostics] == []
    assert result.program is not None
    counts = result.program.counts()
    assert counts == document_counts(doc)
    assert counts["teams"] == sizes["teams"]
    assert counts["work_items"] == sizes["items"]
    for key in ("people", "services", "initiatives"):
        if key in sizes:
            assert counts[key] == sizes[key]


@pytest.mark.parametrize("seed", range(25))
def test_every_seed_gives_a_valid_program(seed: int) -> None:
    doc = generate_program(teams=6, items=60, seed=seed)
    assert program_from_document(doc).diagnostics == ()


def test_same_seed_gives_the_same_document() -> None:
    assert generate_program(teams=12, items=300, seed=42) == generate_program(
        teams=12, items=300, seed=42
    )


def test_another_seed_gives_another_document() -> None:
    a = generate_program(teams=12, items=300, seed=1)
    b = generate_program(teams=12, items=300, seed=2)
    assert a != b
    assert a["work_items"] != b["work_items"]
    assert document_counts(a)["work_items"] == document_counts(b)["work_items"]


def test_dependencies_point_only_to_earlier_items_so_they_form_a_dag(
    medium: dict[str, Any],
) -> None:
    position = {w["id"]: n for n, w in enumerate(medium["work_items"])}
    edges: dict[str, list[str]] = {}
    for n, item in enumerate(medium["work_items"]):
        deps = [d if isinstance(d, str) else d["item"] for d in item.get("depends_on", [])]
        assert all(position[d] < n for d in deps), item["id"]
        edges[item["id"]] = deps
    assert find_cycles(edges) == []
    initiatives = {i["id"]: n for n, i in enumerate(medium["initiatives"])}
    for n, initiative in enumerate(medium["initiatives"]):
        assert all(initiatives[d] < n for d in initiative.get("depends_on", []))


def test_dependencies_stay_mostly_inside_an_initiative_and_a_team(medium: dict[str, Any]) -> None:
    by_id = {w["id"]: w for w in medium["work_items"]}
    edges = [
        (w, by_id[d if isinstance(d, str) else d["item"]])
        for w in medium["work_items"]
        for d in w.get("depends_on", [])
    ]
    assert len(edges) > len(by_id) // 3
    same_initiative = sum(a["initiative"] == b["initiative"] for a, b in edges) / len(edges)
    cross_team = sum(a["team"] != b["team"] for a, b in edges) / len(edges)
    assert same_initiative > 0.85
    assert 0.05 <= cross_team <= 0.25


def test_org_follows_the_rules_of_thumb(medium: dict[str, Any]) -> None:
    program = program_from_document(medium).program
    assert program is not None
    assert all(5 <= len(m) <= 9 for m in program.members_by_team.values())
    per_tribe = Counter(t.tribe for t in program.teams)
    assert all(5 <= n <= 12 for n in per_tribe.values())
    reports = Counter(p.manager for p in program.people if p.manager)
    assert max(reports.values()) <= 9
    roots = [p for p in program.people if p.manager is None]
    assert len(roots) == 1 and roots[0].id == program.program.decision_maker
    assert {t.type.value for t in program.teams} >= {"stream-aligned", "platform"}
    assert program.chapters and program.guilds
    assert any(p.start_date and p.start_date > program.calendar.start for p in program.people)


def test_estimates_are_skewed_and_on_their_scales(medium: dict[str, Any]) -> None:
    program = program_from_document(medium).program
    assert program is not None
    efforts = sorted(w.effort for w in program.work_items if w.effort is not None)
    assert efforts[0] >= 1 and efforts[-1] <= 12
    median, mean = efforts[len(efforts) // 2], sum(efforts) / len(efforts)
    assert mean > median  # right-skewed, like real estimates
    assert any(w.points is not None for w in program.work_items)
    assert any(w.low is not None and w.high is not None for w in program.work_items)
    assert {w.max_people for w in program.work_items} <= {1, 2, 3}
    assert any(w.deadline_kind == "hard" for w in program.work_items if w.deadline)
    for initiative in program.initiatives:
        assert initiative.ice and initiative.rice and initiative.wsjf


def test_services_depend_on_each_other_without_cycles(medium: dict[str, Any]) -> None:
    services = medium["services"]
    edges = {s["id"]: s.get("depends_on", []) for s in services}
    assert sum(1 for deps in edges.values() if deps) > len(services) // 2
    assert find_cycles(edges) == []
    assert any(s.get("lifecycle") == "monolith-module" for s in services)


def test_people_that_do_not_fit_the_teams_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="do not fit"):
        generate_program(teams=10, items=10, people=20)
    with pytest.raises(UsageError):
        generate_program(teams=0, items=10)


def test_large_program_is_generated_in_a_few_seconds() -> None:
    start = time.perf_counter()
    doc = generate_program(teams=200, items=10_000, people=2_000)
    assert time.perf_counter() - start < 5
    counts = document_counts(doc)
    assert (counts["teams"], counts["work_items"], counts["people"]) == (200, 10_000, 2_000)
    assert program_from_document(doc).ok


def test_split_layout_reloads_with_identical_counts(tmp_path: Path) -> None:
    doc = generate_program(teams=20, items=400, people=170, seed=3)
    root = write_program(doc, tmp_path / "program", layout="split")
    for folder in ("org", "services", "okrs", "initiatives", "work"):
        assert any((root / folder).rglob("*.yaml")), folder
    program = load_program(root)
    assert program.counts() == document_counts(doc)
    assert program.work_items_by_id.keys() == {w["id"] for w in doc["work_items"]}
    assert not list(root.rglob("*.tmp"))


def test_single_layout_is_one_program_file(tmp_path: Path) -> None:
    doc = generate_program(teams=4, items=40)
    root = write_program(doc, tmp_path / "single", layout="single")
    assert [p.name for p in root.iterdir()] == ["program.yaml"]
    assert load_program(root).counts() == document_counts(doc)


def test_refuses_to_overwrite_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me")
    with pytest.raises(UsageError, match="not empty"):
        write_program(generate_program(teams=2, items=5), tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_force_replaces_the_program_and_removes_stale_program_files(tmp_path: Path) -> None:
    write_program(generate_program(teams=12, items=100, seed=1), tmp_path, layout="split")
    (tmp_path / "README.md").write_text("kept: not a program file")
    doc = generate_program(teams=3, items=20, seed=2)
    write_program(doc, tmp_path, layout="single", force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "program.yaml"]
    assert load_program(tmp_path).counts() == document_counts(doc)


def test_unknown_layout_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="layout"):
        write_program(generate_program(teams=1, items=1), tmp_path / "x", layout="tree")  # type: ignore[arg-type]


def test_cli_generate_prints_path_and_counts_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scaleplan.cli.main import main

    out_dir = tmp_path / "gen"
    code = main(["generate", str(out_dir), "--teams", "10", "--items", "120", "--format", "json"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["path"] == str(out_dir)
    assert report["counts"]["teams"] == 10 and report["counts"]["work_items"] == 120
    assert load_program(out_dir).counts() == report["counts"]


def test_cli_generate_text_summary_and_usage_error_on_non_empty_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scaleplan.cli.main import main

    code = main(
        ["generate", str(tmp_path / "a"), "--teams", "3", "--items", "30", "--layout", "single"]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "3 teams" in out and "30 work items" in out
    code = main(["generate", str(tmp_path / "a"), "--teams", "3", "--items", "30"])
    assert code == 2
    assert "not empty" in capsys.readouterr().err
