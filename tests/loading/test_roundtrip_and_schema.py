"""Load -> dump -> load gives an equal program; the committed JSON Schema is current and
accepts every file of the examples."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from scaleplan import load_program
from scaleplan.loading.schema import program_file_schema, schema_text
from scaleplan.scaffold import init_program
from scaleplan.storage.program_files import dump_program

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "schema" / "scaleplan.schema.json"


@pytest.mark.parametrize("layout", ["split", "single"])
def test_scaffold_round_trips(tmp_path: Path, layout: str) -> None:
    init_program(tmp_path / "src")
    program = load_program(tmp_path / "src")
    target = tmp_path / "out" if layout == "split" else tmp_path / "out.yaml"
    dump_program(program, target, layout=layout)  # type: ignore[arg-type]
    assert load_program(target) == program


def test_shopscale_round_trips(tmp_path: Path, shopscale_path: Path) -> None:
    if not (shopscale_path / "program.yaml").exists():
        pytest.skip("ShopScale example not written yet")
    program = load_program(shopscale_path)
    dump_program(program, tmp_path / "copy")
    again = load_program(tmp_path / "copy")
    assert again == program
    assert again.counts() == program.counts()


def test_dump_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    from scaleplan.errors import UsageError

    init_program(tmp_path / "src")
    program = load_program(tmp_path / "src")
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    with pytest.raises(UsageError):
        dump_program(program, tmp_path / "busy")
    assert (tmp_path / "busy" / "notes.txt").read_text() == "mine"


def test_committed_schema_is_current() -> None:
    assert SCHEMA_FILE.read_text() == schema_text(), (
        "run: scaleplan schema -o schema/scaleplan.schema.json --force"
    )


def _yaml_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml") if "cases" not in p.parts)


@pytest.mark.parametrize("example", ["examples/shopscale", "src/scaleplan/scaffold"])
def test_every_example_file_validates_against_the_schema(example: str) -> None:
    validator = jsonschema.Draft202012Validator(program_file_schema())
    files = _yaml_files(ROOT / example)
    if not files:
        pytest.skip(f"{example} has no files yet")
    for path in files:
        if path.name.startswith("_"):
            continue
        text = path.read_text().replace("{name}", "Example")
        document = json.loads(json.dumps(yaml.safe_load(text), default=str))
        errors = list(validator.iter_errors(document))
        assert not errors, f"{path}: {errors[0].message}"


def test_schema_rejects_a_typo_like_the_loader() -> None:
    validator = jsonschema.Draft202012Validator(program_file_schema())
    bad = {"people": [{"id": "ann", "name": "Ann", "levell": 3}]}
    assert list(validator.iter_errors(bad))
