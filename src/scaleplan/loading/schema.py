"""JSON Schema of a program file, for editors (yaml-language-server) and other tools."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ConfigDict, create_model

from scaleplan.model import LIST_SECTIONS, SINGLE_SECTIONS
from scaleplan.model.program import Program

SCHEMA_ID = "https://scaleplan.dev/schema/program-v1.json"


def program_file_schema() -> dict[str, Any]:
    """Schema of one program file: every section optional, unknown sections rejected."""
    fields: dict[str, Any] = {}
    for name in (*SINGLE_SECTIONS, *LIST_SECTIONS):
        annotation: Any = Program.model_fields[name].annotation
        if name in LIST_SECTIONS:
            inner = annotation.__args__[0]
            fields[name] = (list[inner] | None, None)  # type: ignore[valid-type]
        else:
            fields[name] = (annotation | None, None)
    file_model = create_model("ProgramFile", __config__=ConfigDict(extra="forbid"), **fields)
    schema: dict[str, Any] = file_model.model_json_schema()
    classes = model_classes()
    for name, definition in schema.get("$defs", {}).items():
        cls = classes.get(name)
        if cls is None:
            continue
        for field, text in field_docs(cls).items():
            prop = definition.get("properties", {}).get(field)
            if prop is not None and "description" not in prop:
                prop["description"] = text
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "scaleplan program file"
    schema["description"] = (
        "A file of a scaleplan program repository: program.yaml or any fragment "
        "(org/, services/, okrs/, initiatives/, work/). See docs/program-format.md."
    )
    return schema


def schema_text() -> str:
    return json.dumps(program_file_schema(), indent=2, sort_keys=True) + "\n"


def field_docs(cls: type) -> dict[str, str]:
    """Field name -> the ``#:`` comment written above it in the model's source."""
    import inspect

    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        return {}
    docs: dict[str, str] = {}
    pending: list[str] = []
    for raw in source.splitlines():
        line = raw.strip()
        if line.startswith("#:"):
            pending.append(line[2:].strip())
            continue
        if pending and ":" in line and not line.startswith(("def ", "@", "class ", "#")):
            name = line.split(":", 1)[0].strip()
            if name.isidentifier():
                docs[name] = " ".join(pending)
        pending = []
    return docs


def model_classes() -> dict[str, type]:
    """Every pydantic model reachable from a program file, by class name."""
    from pydantic import BaseModel

    from scaleplan import model

    return {
        name: obj
        for name, obj in vars(model).items()
        if isinstance(obj, type)
        and issubclass(obj, BaseModel)
        and obj.__module__.startswith("scaleplan.model")
    }
