"""Diagnostics: what is wrong with a program, where, and how to fix it.

Every code is registered in :data:`CODES` and documented in ``docs/errors.md`` (a test keeps
the two in step). Codes starting with ``E`` are errors (the model is invalid, exit 1); codes
starting with ``W`` are warnings (reported, exit 0).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from scaleplan.errors import did_you_mean as did_you_mean  # re-exported for loaders


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


#: code -> short title. The title is the heading of the code's section in docs/errors.md.
CODES: dict[str, str] = {
    "E001": "program not found",
    "E002": "file cannot be read",
    "E100": "YAML syntax error",
    "E101": "invalid value",
    "E102": "unknown key",
    "E103": "missing required key",
    "E104": "unknown reference",
    "E105": "duplicate id",
    "E106": "duplicate key in a mapping",
    "E107": "section defined twice",
    "E108": "wrong document shape",
    "E109": "CSV row invalid",
    "E200": "work item dependency cycle",
    "E201": "initiative dependency cycle",
    "E202": "management chain cycle",
    "E300": "capacity not positive",
    "E301": "deadline before earliest start",
    "E302": "person in more than one team",
    "E303": "team has no members",
    "E304": "period ends before it starts",
    "E305": "key result cannot be graded",
    "E306": "custom scoring input missing",
    "W210": "service dependency cycle",
    "W400": "date outside the calendar",
    "W401": "in-progress item without a start date",
    "W402": "increments overlap",
    "W403": "unknown time zone",
}


def all_codes() -> dict[str, str]:
    """Every registered code: the core ones here plus ``CODES`` of each
    ``scaleplan.loading.checks_*`` module (checks contributed by an analysis area)."""
    merged = dict(CODES)
    for module in extra_check_modules():
        merged.update(getattr(module, "CODES", {}))
    return merged


def extra_check_modules() -> list[Any]:
    """Modules ``scaleplan.loading.checks_*``: each may define ``CODES`` and
    ``run(ctx, singles)``, called after the core checks."""
    global _EXTRA
    if _EXTRA is None:
        import importlib
        import pkgutil
        from pathlib import Path

        # list the folder rather than import the package: no import circle with its __init__
        folder = [str(Path(__file__).parent)]
        _EXTRA = [
            importlib.import_module(f"scaleplan.loading.{m.name}")
            for m in sorted(pkgutil.iter_modules(folder), key=lambda m: m.name)
            if m.name.startswith("checks_")
        ]
    return _EXTRA


_EXTRA: list[Any] | None = None


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a program: code, location, offending id, message and hint."""

    code: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    #: Where inside the program document, e.g. ``work_items[checkout-api].depends_on[1]``.
    path: str | None = None
    #: The offending value or entity id.
    id: str | None = None
    hint: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def severity(self) -> Severity:
        return Severity.ERROR if self.code.startswith("E") else Severity.WARNING

    @property
    def title(self) -> str:
        return all_codes().get(self.code, "")

    def location(self) -> str:
        if self.file is None:
            return "<program>"
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.column or 1}"

    def format(self) -> str:
        """One line: ``E104 work/checkout.yaml:12:7 work_items[x].depends_on[1]: message. Hint: ...``."""
        where = self.location()
        text = f"{self.code} {where} "
        if self.path:
            text += f"{self.path}: "
        text += self.message
        if self.hint:
            text += f" Hint: {self.hint}"
        return text

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity.value,
            "title": self.title,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "id": self.id,
            "hint": self.hint,
        }
        if self.extra:
            data["extra"] = self.extra
        return data

    def format_github(self) -> str:
        """A GitHub Actions workflow command, shown as an annotation on the pull request."""
        level = "error" if self.severity is Severity.ERROR else "warning"
        parts = []
        if self.file:
            parts.append(f"file={self.file}")
        if self.line:
            parts.append(f"line={self.line}")
        if self.column:
            parts.append(f"col={self.column}")
        parts.append(f"title={self.code} {self.title}")
        body = (f"{self.path}: " if self.path else "") + self.message
        if self.hint:
            body += f" Hint: {self.hint}"
        body = body.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        props = ",".join(p.replace(",", "%2C").replace(":", "%3A") for p in parts)
        return f"::{level} {props}::{body}"


def sort_key(d: Diagnostic) -> tuple[str, int, int, str]:
    return (d.file or "", d.line or 0, d.column or 0, d.code)
