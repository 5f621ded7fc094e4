"""A small, complete program document with hand-checkable numbers, for report and web tests.

Capacity: every team has ``capacity: 5`` person-weeks per week, the tech-debt reserve is 20 %,
so each team can plan 4.0 pw per week. A person delivers focus 0.8 x (1 - 0.2) = 0.64 pw a
week. There are no holidays. The calendar starts on Monday 2026-01-05, which is also the default
"as of" date of the tests. Shortest durations at max_people: co-1 6 / (3 x 0.64) = 3.125 weeks,
ca-1 4 / (5 x 0.64) = 1.25 weeks, then co-2 8 / (5 x 0.64) = 2.5 weeks: 3.75 weeks, before
checkout-v2's deadline 2026-02-02 (4 weeks).
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

AS_OF = dt.date(2026, 1, 5)

_PEOPLE = [
    # id, name, role, manager, team, level
    ("cto", "Casey CTO", "cto", None, None, 8),
    ("em-a", "Ana Lead", "manager", "cto", "checkout", 6),
    ("em-b", "Ben Lead", "manager", "cto", "catalog", 6),
    ("em-p", "Pia Lead", "manager", "cto", "platform", 6),
    ("a1", "Ari", "engineer", "em-a", "checkout", 3),
    ("a2", "Ada", "engineer", "em-a", "checkout", 4),
    ("a3", "Abe", "engineer", "em-a", "checkout", 2),
    ("a4", "Amy", "engineer", "em-a", "checkout", 5),
    ("b1", "Bo", "engineer", "em-b", "catalog", 3),
    ("b2", "Bea", "engineer", "em-b", "catalog", 4),
    ("b3", "Bill", "engineer", "em-b", "catalog", 2),
    ("b4", "Bob", "engineer", "em-b", "catalog", 5),
    ("p1", "Pat", "engineer", "em-p", "platform", 3),
    ("p2", "Pam", "engineer", "em-p", "platform", 4),
    ("p3", "Pete", "engineer", "em-p", "platform", 5),
]

BASE: dict[str, Any] = {
    "program": {
        "name": "Tiny Shop",
        "description": "A tiny e-commerce program.",
        "decision_maker": "cto",
    },
    "calendar": {
        "start": "2026-01-05",
        "sprint_weeks": 2,
        "increments": [
            {"id": "PI1", "start": "2026-01-05", "end": "2026-03-30"},
            {"id": "PI2", "start": "2026-03-30", "end": "2026-06-22"},
        ],
    },
    "settings": {"tech_debt_reserve": 0.2},
    "tribes": [
        {"id": "commerce", "name": "Commerce", "lead": "cto"},
        {"id": "foundations", "name": "Foundations", "lead": "cto"},
    ],
    "teams": [
        {"id": "checkout", "name": "Checkout", "tribe": "commerce", "lead": "em-a", "capacity": 5},
        {"id": "catalog", "name": "Catalog", "tribe": "commerce", "lead": "em-b", "capacity": 5},
        {
            "id": "platform",
            "name": "Platform",
            "type": "platform",
            "tribe": "foundations",
            "lead": "em-p",
            "capacity": 5,
        },
    ],
    "people": [
        {
            "id": i,
            "name": n,
            "role": r,
            "level": lv,
            **({"manager": m} if m else {}),
            **({"team": t} if t else {}),
        }
        for i, n, r, m, t, lv in _PEOPLE
    ],
    "services": [
        {
            "id": "monolith",
            "name": "Shop monolith",
            "owner": "checkout",
            "lifecycle": "monolith-module",
            "tier": 1,
        },
        {
            "id": "catalog-svc",
            "name": "Catalog service",
            "owner": "catalog",
            "depends_on": ["monolith"],
            "apis": [
                {"name": "catalog-api", "version": "1.2.0", "contract": "contracts/catalog.json"}
            ],
        },
        {
            "id": "checkout-svc",
            "name": "Checkout service",
            "owner": "checkout",
            "depends_on": ["catalog-svc"],
        },
        {"id": "ci", "name": "CI/CD", "owner": "platform", "tier": 3},
    ],
    "objectives": [
        {
            "id": "O1",
            "title": "Sell more",
            "key_results": [
                {"id": "KR1", "title": "Conversion", "baseline": 0, "target": 10, "current": 7},
                {
                    "id": "KR2",
                    "title": "Checkout p95 ms",
                    "baseline": 100,
                    "target": 50,
                    "current": 75,
                    "kind": "committed",
                },
            ],
        },
        {
            "id": "O2",
            "title": "Ship faster",
            "key_results": [{"id": "KR3", "title": "Deploys per day", "baseline": 0, "target": 4}],
        },
    ],
    "initiatives": [
        {
            "id": "checkout-v2",
            "title": "Checkout v2",
            "owner": "checkout",
            "key_results": ["KR1", "KR2"],
            "deadline": "2026-02-02",
            "status": "in-progress",
            "moscow": "must",
        },
        {
            "id": "catalog-split",
            "title": "Extract catalog",
            "owner": "catalog",
            "key_results": ["KR1"],
            "status": "todo",
        },
        {
            "id": "ci-pipeline",
            "title": "CI pipeline",
            "owner": "platform",
            "kind": "platform",
            "status": "todo",
        },
        {"id": "old-idea", "title": "Old idea", "status": "cancelled"},
    ],
    "work_items": [
        {
            "id": "co-1",
            "title": "Cart API",
            "initiative": "checkout-v2",
            "team": "checkout",
            "effort": 6,
            "status": "in-progress",
            "started": "2026-01-05",
            "max_people": 3,
        },
        {
            "id": "co-2",
            "title": "Payment step",
            "initiative": "checkout-v2",
            "team": "checkout",
            "effort": 8,
            "depends_on": ["ca-1"],
            "max_people": 5,
        },
        {
            "id": "ca-1",
            "title": "Product API",
            "initiative": "catalog-split",
            "team": "catalog",
            "effort": 4,
            "max_people": 5,
        },
        {
            "id": "ca-2",
            "title": "Search",
            "initiative": "catalog-split",
            "team": "catalog",
            "effort": 6,
            "status": "done",
        },
        {
            "id": "ci-1",
            "title": "Pipeline",
            "initiative": "ci-pipeline",
            "team": "platform",
            "effort": 5,
            "depends_on": ["ca-1"],
        },
    ],
    "risks": [
        {
            "id": "R1",
            "title": "PSP contract late",
            "items": ["co-2"],
            "probability": 0.5,
            "impact_weeks": 4,
        },
        {
            "id": "R2",
            "title": "Search load",
            "status": "mitigated",
            "probability": 0.2,
            "impact_weeks": 2,
        },
    ],
    "cadences": [
        {
            "id": "checkout-daily",
            "name": "Checkout daily",
            "frequency": "daily",
            "duration_minutes": 15,
            "attendees": {"teams": ["checkout"]},
            "time": "09:30",
            "timezone": "Europe/Berlin",
        },
        {
            "id": "program-review",
            "name": "Program review",
            "frequency": "monthly",
            "duration_minutes": 60,
            "attendees": {"roles": ["manager", "cto"]},
            "day": "mon",
            "time": "14:00",
        },
    ],
}


def document(**changes: Any) -> dict[str, Any]:
    """A deep copy of the base document with top-level sections replaced."""
    doc = copy.deepcopy(BASE)
    doc.update(copy.deepcopy(changes))
    return doc


def program(doc: dict[str, Any] | None = None) -> Any:
    from scaleplan import program_from_document

    result = program_from_document(doc if doc is not None else document())
    assert result.program is not None, [d.format() for d in result.diagnostics]
    return result.program
