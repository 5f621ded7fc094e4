"""Small hand-built programs for the prioritisation tests (imported by the test modules).

``build(...)`` returns a valid Program from a single-file document: two teams with a fixed
capacity (``capacity`` overrides members, so a team of capacity 5 has 5 x (1 - 0.2 reserve) = 4
person-weeks a week, 8 in a two-week increment), two two-week increments (PI-1, PI-2), and
whatever initiatives, work items, objectives and settings a test passes in.
"""

from __future__ import annotations

import copy
from typing import Any

from scaleplan import Program, program_from_document

BASE: dict[str, Any] = {
    "program": {"name": "Test program"},
    "calendar": {
        "start": "2025-01-06",
        "increments": [
            {"id": "PI-1", "start": "2025-01-06", "end": "2025-01-20"},
            {"id": "PI-2", "start": "2025-01-20", "end": "2025-02-03"},
        ],
    },
    "teams": [
        {"id": "web", "name": "Web", "capacity": 5},
        {"id": "api", "name": "API", "capacity": 5},
    ],
}


def document(**sections: Any) -> dict[str, Any]:
    doc = copy.deepcopy(BASE)
    for key, value in sections.items():
        doc[key] = value
    return doc


def build(**sections: Any) -> Program:
    result = program_from_document(document(**sections))
    errors = [d.format() for d in result.diagnostics if d.code.startswith("E")]
    assert result.program is not None, errors
    return result.program


def item(
    iid: str, initiative: str | None, team: str, effort: float, **extra: Any
) -> dict[str, Any]:
    return {
        "id": iid,
        "title": iid,
        "team": team,
        "effort": effort,
        **({"initiative": initiative} if initiative else {}),
        **extra,
    }


def initiative(iid: str, **extra: Any) -> dict[str, Any]:
    return {"id": iid, "title": iid, **extra}


def wsjf(bv: int, tc: int, rr: int, size: int | None = None) -> dict[str, int]:
    out = {"business_value": bv, "time_criticality": tc, "risk_reduction": rr}
    if size is not None:
        out["job_size"] = size
    return out
