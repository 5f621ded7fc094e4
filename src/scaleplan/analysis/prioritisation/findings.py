"""Findings of the prioritisation and OKR analyses: a code from ``docs/errors.md``, a message and
what it is about. Codes listed in ``settings.ignore`` are dropped, as for load-time warnings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scaleplan.model import Program


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    #: Id of the initiative, key result, objective or team it is about.
    subject: str | None = None
    hint: str | None = None

    @property
    def severity(self) -> str:
        return "error" if self.code.startswith("E") else "warning"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "subject": self.subject,
            "hint": self.hint,
        }

    def format(self) -> str:
        hint = f" Hint: {self.hint}" if self.hint else ""
        return f"{self.code} {self.message}.{hint}"


def kept(program: Program, findings: list[Finding]) -> tuple[Finding, ...]:
    """``findings`` without the warning codes the program silences."""
    ignored = set(program.settings.ignore)
    return tuple(f for f in findings if not (f.code.startswith("W") and f.code in ignored))


__all__ = ["Finding", "kept"]
