"""A what-if scenario: a named list of changes to the program document.

Reading a scenario file and applying it (with re-validation) is :mod:`scaleplan.loading.scenarios`;
comparing the plans before and after is :mod:`scaleplan.planning.scenarios`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Scenario:
    name: str
    changes: tuple[dict[str, Any], ...]
    source: str = "<scenario>"

    def describe(self) -> list[str]:
        return [describe_change(c) for c in self.changes]


def describe_change(change: dict[str, Any]) -> str:
    """One line for a change, e.g. ``drop item: rec-ab-test``."""
    ((kind, value),) = change.items()
    if isinstance(value, dict):
        args = ", ".join(f"{k}={v}" for k, v in value.items())
    else:
        args = str(value)
    return f"{kind.replace('_', ' ')}: {args}"


__all__ = ["Scenario", "describe_change"]
