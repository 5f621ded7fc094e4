"""Program repository -> validated :class:`~scaleplan.model.Program`, with every problem found.

Stages: discover files -> parse each (YAML with locations, or CSV) -> split into sections ->
validate each element on its own (one bad item hides nothing else) -> cross-reference checks
-> build the immutable Program.
"""

from __future__ import annotations

import gc
import types
import typing
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any

from pydantic import BaseModel, ValidationError

from scaleplan.errors import ProgramInvalid, UsageError
from scaleplan.loading.checks import run_checks
from scaleplan.loading.context import Element, LoadContext, format_rel
from scaleplan.loading.diagnostics import Diagnostic, Severity, did_you_mean, sort_key
from scaleplan.loading.sources import ROOT_FILE, SourceFile, discover, read_source
from scaleplan.model import LIST_SECTIONS, SINGLE_SECTIONS, Program
from scaleplan.model.program import Program as _Program

#: The model class of each section's entries (list sections) or value (single sections).
SECTION_MODELS: dict[str, type[BaseModel]] = {
    name: _Program.model_fields[name].annotation.__args__[0]  # type: ignore[union-attr]
    for name in LIST_SECTIONS
}
SECTION_MODELS.update(
    {name: _Program.model_fields[name].annotation for name in SINGLE_SECTIONS}  # type: ignore[misc]
)
#: Top-level keys that mark a YAML file as an API contract rather than a program fragment.
CONTRACT_KEYS = ("openapi", "swagger", "asyncapi")
SECTION_NOUNS = {
    "tribes": "tribe",
    "teams": "team",
    "people": "person",
    "chapters": "chapter",
    "guilds": "guild",
    "centres": "centre of excellence",
    "services": "service",
    "objectives": "objective",
    "initiatives": "initiative",
    "work_items": "work item",
    "risks": "risk",
    "cadences": "cadence",
    "capacity_exceptions": "capacity exception",
    "events": "delivery event",
}


@dataclass(frozen=True)
class CheckResult:
    """The outcome of loading: the program (``None`` when there are errors) and diagnostics."""

    program: Program | None
    diagnostics: tuple[Diagnostic, ...]
    files: tuple[str, ...]

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "files": list(self.files),
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }


def load_program(path: str | FsPath) -> Program:
    """Load and validate a program; raise :class:`ProgramInvalid` with all diagnostics if wrong.

    >>> program = load_program("examples/shopscale")  # doctest: +SKIP
    >>> program.counts()["teams"]  # doctest: +SKIP
    10
    """
    result = check_program(path)
    if result.program is None:
        raise ProgramInvalid(result.diagnostics)
    return result.program


def check_program(path: str | FsPath) -> CheckResult:
    """Load a program and return it with every diagnostic; never raises for bad content.

    Raises :class:`UsageError` only when ``path`` does not exist.
    """
    # Loading allocates hundreds of thousands of small, long-lived objects and no cycles the
    # collector could free; pausing it halves the load time of a large program.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _check_program(FsPath(path))
    finally:
        if enabled:
            gc.enable()


def _check_program(root: FsPath) -> CheckResult:
    if not root.exists():
        raise UsageError(f"no such file or directory: {root}")
    base, files = discover(root)
    ctx = LoadContext()
    if root.is_dir() and not (root / ROOT_FILE).exists():
        missing = Diagnostic(
            "E001",
            f"no {ROOT_FILE} in directory '{root.resolve().name}'",
            file=ROOT_FILE,
            hint="run 'scaleplan init DIR' to create a program, or point at the program directory",
        )
        return CheckResult(None, (missing,), tuple(p.relative_to(base).as_posix() for p in files))
    sources = [read_source(p, base) for p in files]
    singles: dict[str, tuple[Any, SourceFile]] = {}
    for source in sources:
        ctx.diagnostics.extend(source.diagnostics)
        _split_sections(source, ctx, singles)
    return _build(ctx, singles, sources)


def program_from_document(document: dict[str, Any], name: str = "<document>") -> CheckResult:
    """Validate an in-memory single-file document (used by tests, scenarios and the web)."""
    from scaleplan.loading.yamlsrc import ParsedFile

    source = SourceFile(path=FsPath(name), rel=name, parsed=ParsedFile(value=document))
    ctx = LoadContext()
    singles: dict[str, tuple[Any, SourceFile]] = {}
    _split_sections(source, ctx, singles)
    return _build(ctx, singles, [source])


def _build(
    ctx: LoadContext, singles: dict[str, tuple[Any, SourceFile]], sources: list[SourceFile]
) -> CheckResult:
    values = _validate_singles(ctx, singles)
    for section in LIST_SECTIONS:
        for element in ctx.elements.get(section, []):
            _validate_element(element, ctx)
    program = None
    if "program" in values and "calendar" in values:
        run_checks(ctx, values)
        collections = {
            s: tuple(e.model for e in ctx.elements.get(s, []) if e.model is not None)
            for s in LIST_SECTIONS
        }
        if not any(d.severity is Severity.ERROR for d in ctx.diagnostics):
            program = Program(**values, **collections)
    ignored = set(values["settings"].ignore) if "settings" in values else set()
    diagnostics = sorted(
        (d for d in ctx.diagnostics if not (d.code.startswith("W") and d.code in ignored)),
        key=sort_key,
    )
    return CheckResult(program, tuple(diagnostics), tuple(s.rel for s in sources))


def _split_sections(
    source: SourceFile, ctx: LoadContext, singles: dict[str, tuple[Any, SourceFile]]
) -> None:
    parsed = source.parsed
    if parsed is None:
        return
    for path, first, again in parsed.duplicate_keys:
        key = path[-1]
        ctx.diagnostics.append(
            Diagnostic(
                "E106",
                f"key '{key}' appears twice in one mapping (first at line {first[0]}); "
                "YAML would silently keep only the last",
                file=source.rel,
                line=again[0],
                column=again[1],
                path=format_rel(path).lstrip("."),
                id=str(key),
                hint="remove or rename one of them",
            )
        )
    doc = parsed.value
    if doc is None:
        return
    if isinstance(doc, dict) and any(k in doc for k in CONTRACT_KEYS):
        return  # an API contract (OpenAPI, AsyncAPI) kept beside the program, not a fragment
    if not isinstance(doc, dict):
        ctx.report(
            "E108",
            f"a program file must be a mapping of sections, not a {_kind(doc)}",
            source=source,
            hint="start the file with a section such as 'teams:' or 'work_items:'",
        )
        return
    known = (*SINGLE_SECTIONS, *LIST_SECTIONS)
    for key, value in doc.items():
        if key in SINGLE_SECTIONS:
            if key in singles:
                ctx.report(
                    "E107",
                    f"section '{key}' is already defined in {singles[key][1].rel}",
                    source=source,
                    rel=(key,),
                    key=True,
                    path=str(key),
                    hint=f"keep one '{key}' section, usually in {ROOT_FILE}",
                )
                continue
            singles[key] = (value, source)
        elif key in LIST_SECTIONS:
            if value is None:
                continue
            if not isinstance(value, list):
                ctx.report(
                    "E108",
                    f"section '{key}' must be a list of entries, not a {_kind(value)}",
                    source=source,
                    rel=(key,),
                    path=str(key),
                    hint=f"write each entry on its own line starting with '- ' under '{key}:'",
                )
                continue
            bucket = ctx.elements.setdefault(key, [])
            ids = ctx.known_ids.setdefault(key, set())
            for index, raw in enumerate(value):
                element = Element(key, raw, source, (key, index))
                bucket.append(element)
                if element.raw_id is not None:
                    ids.add(element.raw_id)
                if key == "objectives" and isinstance(raw, dict):
                    krs = raw.get("key_results")
                    for kr in krs if isinstance(krs, list) else []:
                        if isinstance(kr, dict) and isinstance(kr.get("id"), str):
                            ctx.known_ids.setdefault("key_results", set()).add(kr["id"])
        else:
            ctx.report(
                "E102",
                f"unknown section '{key}'",
                source=source,
                rel=(key,),
                key=True,
                path=str(key),
                id=str(key),
                hint=did_you_mean(str(key), known) or "sections are: " + ", ".join(known),
            )


def _validate_singles(
    ctx: LoadContext, singles: dict[str, tuple[Any, SourceFile]]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in SINGLE_SECTIONS:
        if name not in singles:
            if name in ("program", "calendar"):
                example = (
                    "program:\n  name: My program"
                    if name == "program"
                    else "calendar:\n  start: 2026-01-05"
                )
                ctx.diagnostics.append(
                    Diagnostic(
                        "E103",
                        f"the program has no '{name}' section",
                        file=ROOT_FILE,
                        path=name,
                        hint=f"add to {ROOT_FILE}: {example!r}",
                    )
                )
            continue
        raw, source = singles[name]
        element = Element(name, raw if raw is not None else {}, source, (name,))
        ctx.single_elements[name] = element
        _validate_element(element, ctx, label=name)
        if element.model is not None:
            values[name] = element.model
    return values


def _validate_element(element: Element, ctx: LoadContext, label: str | None = None) -> None:
    model_cls = SECTION_MODELS[element.section]
    try:
        element.model = model_cls.model_validate(element.raw)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            _report_validation_error(element, err, model_cls, ctx, label)


def _report_validation_error(
    element: Element,
    err: Any,
    model_cls: type[BaseModel],
    ctx: LoadContext,
    label: str | None,
) -> None:
    rel = _data_path(element.raw, tuple(err["loc"]))
    path = (label if label is not None else element.label()) + format_rel(rel)
    kind = err["type"]
    if kind == "extra_forbidden":
        key = str(rel[-1]) if rel else "?"
        fields = _fields_at(model_cls, rel[:-1])
        ctx.report(
            "E102",
            f"unknown key '{key}'",
            element,
            rel,
            id=key,
            key=True,
            path=path,
            hint=did_you_mean(key, fields)
            or ("allowed keys: " + ", ".join(sorted(fields)) if fields else None),
        )
    elif kind == "missing":
        key = str(rel[-1]) if rel else "?"
        ctx.report(
            "E103",
            f"missing required key '{key}'",
            element,
            rel[:-1],
            path=path,
            hint=f"add '{key}:' to this entry",
        )
    else:
        message = str(err["msg"])
        message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        value = err.get("input")
        shown = ""
        if kind not in ("value_error",) and not isinstance(value, dict | list):
            shown = f" (got {value!r})"
        ctx.report("E101", f"{message}{shown}", element, rel, path=path)


def _data_path(raw: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """The part of a pydantic error location that exists in the data (drops type tags)."""
    out: list[Any] = []
    node = raw
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and not _looks_like_tag(part):
            out.append(part)  # a missing key: keep it so the message can name it
            break
        else:
            continue
    return tuple(out)


def _looks_like_tag(part: str) -> bool:
    return "[" in part or part in {"str", "int", "float", "bool", "date", "list", "dict", "none"}


def _fields_at(model_cls: type[BaseModel], rel: tuple[Any, ...]) -> list[str]:
    """Field names of the (nested) model found at ``rel`` inside ``model_cls``."""
    current: Any = model_cls
    for part in rel:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(part)
        if info is None:
            return []
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _inner_model(typing.get_args(annotation)[0])
    if origin in (tuple, list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _inner_model(arg)
            if found is not None:
                return found
    return None


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    if value is None:
        return "empty value"
    return f"{type(value).__name__} ({value!r})"
