"""Property-based: no input, however broken, produces a traceback; every diagnostic says where."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scaleplan import check_program, program_from_document

VALID = (Path(__file__).parent / "cases" / "valid" / "program.yaml").read_text()
VALID_DOC: dict[str, Any] = yaml.safe_load(VALID)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.dates().map(str),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


PATHS = [p for p in _paths(VALID_DOC) if p]


def _replace(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    import copy

    doc = copy.deepcopy(doc)
    node = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return doc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), value=values)
def test_mutated_documents_never_raise_and_errors_have_a_path(path: Any, value: Any) -> None:
    doc = _replace(VALID_DOC, path, value)
    result = program_from_document(doc)
    for d in result.diagnostics:
        assert d.code[0] in "EW"
        assert d.file is not None
        assert d.path or d.code in {"E108"}
    if result.program is None:
        assert result.errors


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cut=st.integers(0, len(VALID)),
    insert=st.text(alphabet=" \t:-[]{}#&*!|>'\"%@`\n,?abc0", max_size=6),
)
def test_mutated_yaml_text_never_raises_and_errors_have_a_location(
    tmp_path_factory: Any, cut: int, insert: str
) -> None:
    directory: Path = tmp_path_factory.mktemp("prop")
    (directory / "program.yaml").write_text(VALID[:cut] + insert + VALID[cut:])
    result = check_program(directory)
    for d in result.diagnostics:
        assert d.file == "program.yaml"
        if d.code not in {"E103", "E107"}:  # a missing section has no line to point at
            assert d.line is not None and d.line >= 1
            assert d.column is not None and d.column >= 1


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=200))
def test_arbitrary_text_files_never_raise(tmp_path_factory: Any, text: str) -> None:
    directory: Path = tmp_path_factory.mktemp("text")
    (directory / "program.yaml").write_text(VALID)
    (directory / "extra.yaml").write_text(text)
    result = check_program(directory)
    assert isinstance(result.diagnostics, tuple)
