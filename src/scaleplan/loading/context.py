"""Load-time context: the raw elements of every section, where each came from, and the sink
for diagnostics. Shared by the loader and the cross-reference checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scaleplan.loading.diagnostics import Diagnostic, did_you_mean
from scaleplan.loading.sources import SourceFile
from scaleplan.loading.yamlsrc import Path


@dataclass
class Element:
    """One entry of a list section (a team, a work item...) as read from a file."""

    section: str
    raw: Any
    source: SourceFile
    #: Path of the element inside its file, e.g. ``("work_items", 3)``.
    base: Path
    model: Any = None

    @property
    def raw_id(self) -> str | None:
        if isinstance(self.raw, dict):
            value = self.raw.get("id")
            if isinstance(value, str | int) and not isinstance(value, bool):
                return str(value)
        return None

    def label(self) -> str:
        if len(self.base) == 1:  # a single section: program, calendar, settings
            return self.section
        rid = self.raw_id
        return f"{self.section}[{rid}]" if rid is not None else f"{self.section}[{self.base[-1]}]"


def format_rel(rel: Path) -> str:
    out = ""
    for part in rel:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


@dataclass
class LoadContext:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    elements: dict[str, list[Element]] = field(default_factory=dict)
    #: Raw ids per kind, including those of elements that failed validation (so one bad item
    #: does not also produce "unknown reference" errors everywhere it is used).
    known_ids: dict[str, set[str]] = field(default_factory=dict)
    #: The single sections (program, calendar, settings) as elements, for locating problems.
    single_elements: dict[str, Element] = field(default_factory=dict)

    def report(
        self,
        code: str,
        message: str,
        element: Element | None = None,
        rel: Path = (),
        *,
        id: str | None = None,
        hint: str | None = None,
        key: bool = False,
        source: SourceFile | None = None,
        path: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        file = line = column = None
        src = element.source if element is not None else source
        if src is not None:
            file = src.rel
            if src.parsed is not None:
                full = (*element.base, *rel) if element is not None else rel
                loc = src.parsed.locate(full, key=key)
                if loc is not None:
                    line, column = loc
        if path is None and element is not None:
            path = element.label() + format_rel(rel)
        self.diagnostics.append(
            Diagnostic(
                code,
                message,
                file=file,
                line=line,
                column=column,
                path=path,
                id=id if id is not None else (element.raw_id if element is not None else None),
                hint=hint,
                extra=extra or {},
            )
        )

    def check_ref(
        self,
        element: Element,
        rel: Path,
        value: str | None,
        kind: str,
        noun: str,
        *,
        also: str | None = None,
    ) -> bool:
        """Report E104 when ``value`` is not an id of ``kind`` (or of ``also``)."""
        if value is None:
            return True
        pool = self.known_ids.get(kind, set())
        if value in pool:
            return True
        if also is not None and value in self.known_ids.get(also, set()):
            return True
        candidates = set(pool) | (self.known_ids.get(also, set()) if also else set())
        hint = did_you_mean(value, candidates)
        if hint is None:
            other = next((k for k, ids in self.known_ids.items() if value in ids), None)
            if other is not None:
                hint = f"'{value}' is one of the {other.replace('_', ' ')}, not a {noun}"
            elif candidates:
                hint = f"define {noun} '{value}' or fix the reference"
        self.report(
            "E104",
            f"unknown {noun} '{value}'",
            element,
            rel,
            id=value,
            hint=hint,
        )
        return False
