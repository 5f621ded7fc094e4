"""Generate docs/cli.md from the live command definitions (a test keeps the file current).

Run: python -m scaleplan.cli._docgen > docs/cli.md
"""

from __future__ import annotations

import sys
from typing import Any

import typer.main


def render() -> str:
    from scaleplan.cli.main import build_app

    group = typer.main.get_command(build_app())
    lines = [
        "# Command reference",
        "",
        "Generated from the code by `python -m scaleplan.cli._docgen`; a test fails when it is",
        "out of date. Every command takes `--help`. Exit codes: 0 success, 1 invalid input,",
        "2 usage error, 3 no feasible answer, 4 external service failed, 70 internal error.",
        "",
    ]
    lines += _commands(group, "scaleplan")
    return "\n".join(lines).rstrip() + "\n"


def _commands(group: Any, prefix: str) -> list[str]:
    """One section per command, depth first: a group's section, then its sub-commands."""
    lines: list[str] = []
    commands = getattr(group, "commands", {})
    for name in sorted(commands):
        cmd = commands[name]
        path = f"{prefix} {name}"
        lines += [f"## {path}", ""]
        help_text = (cmd.help or "").strip()
        if help_text:
            lines += [help_text, ""]
        args = [p for p in cmd.params if p.param_type_name == "argument"]
        opts = [p for p in cmd.params if p.param_type_name == "option" and p.name != "help"]
        sub = getattr(cmd, "commands", None)
        tail = ["COMMAND"] if sub else []
        usage = " ".join([path] + [(p.name or "").upper() for p in args] + tail + ["[OPTIONS]"])
        lines += ["```", usage, "```", ""]
        if sub:
            lines += ["Commands: " + ", ".join(f"`{c}`" for c in sorted(sub)) + ".", ""]
        rows = []
        for p in [*args, *opts]:
            names = (
                ", ".join(getattr(p, "opts", []))
                if p.param_type_name == "option"
                else (p.name or "").upper()
            )
            secondary = getattr(p, "secondary_opts", [])
            if secondary:
                names += " / " + ", ".join(secondary)
            default = p.default if p.default not in (None, False, ()) else ""
            if hasattr(default, "value"):
                default = default.value
            help_ = (getattr(p, "help", "") or "").replace("|", "\\|").replace("\n", " ")
            rows.append(f"| `{names}` | {help_} | {default} |")
        if rows:
            lines += ["| argument / option | meaning | default |", "| --- | --- | --- |", *rows, ""]
        if sub:
            lines += _commands(cmd, path)
    return lines


def _type_name(annotation: object) -> str:
    import re
    import types
    import typing

    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        parts = [_type_name(a) for a in args if a is not type(None)]
        return " or ".join(parts) + (" (optional)" if type(None) in args else "")
    if origin is tuple:
        return f"list of {_type_name(args[0])}" if args else "list"
    if origin is dict:
        return f"mapping of {_type_name(args[0])} to {_type_name(args[1])}"
    if origin is typing.Literal:
        return " / ".join(f"`{a}`" for a in args)
    if isinstance(annotation, type):
        from enum import Enum

        if issubclass(annotation, Enum):
            return " / ".join(f"`{m.value}`" for m in annotation)
        return {
            "str": "text",
            "float": "number",
            "int": "integer",
            "bool": "true/false",
            "date": "date",
            "datetime": "date-time",
        }.get(annotation.__name__, annotation.__name__)
    return re.sub(r"typing\.|datetime\.", "", str(annotation))


def render_model() -> str:
    """docs/model.md: every section of a program file and every field, from the model."""
    from pydantic import BaseModel
    from pydantic_core import PydanticUndefined

    from scaleplan.loading.schema import field_docs, model_classes
    from scaleplan.model import LIST_SECTIONS, SINGLE_SECTIONS
    from scaleplan.model.program import Program

    lines = [
        "# Program model reference",
        "",
        "Generated from the model by `python -m scaleplan.cli._docgen model`; a test fails when",
        "it is out of date. See `docs/program-format.md` for the guide. Sections of a program",
        "file, and the fields of each entry:",
        "",
    ]
    seen: set[str] = set()
    queue: list[tuple[str, type[BaseModel]]] = []
    for section in (*SINGLE_SECTIONS, *LIST_SECTIONS):
        annotation: Any = Program.model_fields[section].annotation
        cls = annotation.__args__[0] if section in LIST_SECTIONS else annotation
        queue.append((section, cls))
    classes = model_classes()
    while queue:
        label, cls = queue.pop(0)
        if cls.__name__ in seen:
            continue
        seen.add(cls.__name__)
        kind = (
            "list section"
            if label in LIST_SECTIONS
            else ("section" if label in SINGLE_SECTIONS else "object")
        )
        lines += [f"## `{label}` ({kind}: {cls.__name__})", ""]
        doc = (cls.__doc__ or "").strip()
        if doc:
            lines += [" ".join(doc.split()), ""]
        docs = field_docs(cls)
        lines += ["| field | type | default | meaning |", "| --- | --- | --- | --- |"]
        for name, info in cls.model_fields.items():
            default = "**required**" if info.is_required() else info.default
            if info.default_factory is not None:
                default = "empty"
            if default in ((), None) or default is PydanticUndefined:
                default = ""
            if hasattr(default, "value"):
                default = default.value
            if isinstance(default, BaseModel):
                default = "see below"
            text = docs.get(name, "").replace("|", "\\|")
            lines.append(f"| `{name}` | {_type_name(info.annotation)} | {default} | {text} |")
            for inner in _nested(info.annotation, classes):
                queue.append((inner.__name__, inner))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _nested(annotation: object, classes: dict[str, type]) -> list[type]:
    import typing

    out = []
    if isinstance(annotation, type) and annotation.__name__ in classes:
        out.append(annotation)
    for arg in typing.get_args(annotation):
        out.extend(_nested(arg, classes))
    return out


if __name__ == "__main__":
    sys.stdout.write(render_model() if sys.argv[1:] == ["model"] else render())
