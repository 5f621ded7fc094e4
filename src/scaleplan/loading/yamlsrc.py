"""Parse YAML into plain values while remembering where every value came from.

PyYAML's C composer gives nodes with line and column; we build the values ourselves so that
every path inside the document maps to a location, and so duplicate keys are caught (PyYAML
silently keeps the last one).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # the C composer is ~10x faster; fall back to pure Python where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the wheel
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"


@dataclass
class ParsedFile:
    """A parsed YAML document: its value, where each path starts, and problems met."""

    value: Any
    #: path -> (line, column) of the value, both 1-based.
    locations: dict[Path, tuple[int, int]] = field(default_factory=dict)
    #: path -> (line, column) of the mapping key that holds the value.
    key_locations: dict[Path, tuple[int, int]] = field(default_factory=dict)
    duplicate_keys: list[tuple[Path, tuple[int, int], tuple[int, int]]] = field(
        default_factory=list
    )

    def locate(self, path: Path, *, key: bool = False) -> tuple[int, int] | None:
        """Location of ``path``, or of its longest prefix that has one."""
        table = self.key_locations if key else self.locations
        probe = path
        while True:
            if probe in table:
                return table[probe]
            if key and probe in self.locations:
                return self.locations[probe]
            if not probe:
                return None
            probe = probe[:-1]


class YamlSyntaxError(Exception):
    def __init__(self, message: str, line: int | None, column: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def parse_yaml(text: str) -> ParsedFile:
    """Parse one YAML document. Raises :class:`YamlSyntaxError` with a location on bad YAML."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or str(exc)
        if exc.context:
            problem = f"{problem} ({exc.context})"
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        raise YamlSyntaxError(problem, line, col) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(str(exc), None, None) from None
    parsed = ParsedFile(value=None)
    if node is None:
        return parsed
    # A constructor per document: SafeConstructor caches every node it builds until
    # construct_document runs, so a shared one would keep each parsed file alive forever.
    parsed.value = _build(node, (), parsed, set(), yaml.constructor.SafeConstructor())
    return parsed


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _build(
    node: yaml.Node,
    path: Path,
    parsed: ParsedFile,
    active: set[int],
    constructor: yaml.constructor.SafeConstructor,
) -> Any:
    parsed.locations[path] = _mark(node)
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _STR:
            return node.value
        if node.tag == _NULL:
            return None
        try:
            return constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError):
            return node.value
    if id(node) in active:  # a recursive alias: cut it rather than loop forever
        return None
    active.add(id(node))
    try:
        if isinstance(node, yaml.SequenceNode):
            return [
                _build(child, (*path, i), parsed, active, constructor)
                for i, child in enumerate(node.value)
            ]
        if isinstance(node, yaml.MappingNode):
            with contextlib.suppress(yaml.YAMLError):
                constructor.flatten_mapping(node)  # YAML merge keys ('<<')
            result: dict[Any, Any] = {}
            first_seen: dict[Any, tuple[int, int]] = {}
            for key_node, value_node in node.value:
                key = _build(key_node, (*path, "<key>"), parsed, active, constructor)
                parsed.locations.pop((*path, "<key>"), None)
                if not isinstance(key, str | int | float | bool) and key is not None:
                    key = str(key)
                if key in first_seen:
                    parsed.duplicate_keys.append(((*path, key), first_seen[key], _mark(key_node)))
                else:
                    first_seen[key] = _mark(key_node)
                child_path = (*path, key)
                parsed.key_locations[child_path] = _mark(key_node)
                result[key] = _build(value_node, child_path, parsed, active, constructor)
            return result
    finally:
        active.discard(id(node))
    return None  # pragma: no cover - no other node kinds
