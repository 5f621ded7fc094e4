"""Every validation rule has a bad-input fixture and the exact diagnostics it must produce.

Fixtures live in tests/loading/cases/<case>/ with the program files and expected.txt.
Regenerate after an intended message change with: SCALEPLAN_REGOLD=1 pytest tests/loading
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scaleplan import check_program
from scaleplan.loading.diagnostics import CODES

CASES = Path(__file__).parent / "cases"
CASE_DIRS = sorted(p for p in CASES.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_case_produces_exactly_the_expected_diagnostics(case: Path) -> None:
    result = check_program(case)
    actual = "".join(d.format() + "\n" for d in result.diagnostics)
    expected_file = case / "expected.txt"
    if os.environ.get("SCALEPLAN_REGOLD"):
        expected_file.write_text(actual)
    assert actual == expected_file.read_text()


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_case_named_after_a_code_reports_that_code_with_a_location(case: Path) -> None:
    code = case.name.split("-")[0]
    if code not in CODES:
        return
    hits = [d for d in check_program(case).diagnostics if d.code == code]
    assert hits, f"{case.name} does not report {code}"
    assert all(d.file for d in hits)


def test_every_core_code_has_a_golden_case() -> None:
    covered = {p.name.split("-")[0] for p in CASE_DIRS}
    assert set(CODES) - covered == set()


def test_valid_case_has_no_diagnostics_and_loads() -> None:
    result = check_program(CASES / "valid")
    assert result.diagnostics == ()
    assert result.program is not None
    assert result.program.counts()["work_items"] == 2


def test_all_problems_are_reported_in_one_run_across_files() -> None:
    result = check_program(CASES / "many-errors-at-once")
    assert {d.code for d in result.diagnostics} == {"E100", "E102", "E104"}
    assert {d.file for d in result.diagnostics} == {"program.yaml", "work/broken.yaml"}
    assert result.program is None


def test_api_contracts_beside_the_program_are_not_read_as_fragments(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(CASES / "valid", tmp_path / "p")
    (tmp_path / "p" / "services" / "contracts").mkdir(parents=True)
    (tmp_path / "p" / "services" / "contracts" / "api.yaml").write_text("openapi: 3.0.0\n")
    (tmp_path / "p" / "orders-api.yaml").write_text("openapi: 3.1.0\ninfo: {title: x}\n")
    result = check_program(tmp_path / "p")
    assert result.diagnostics == ()
