"""A small, healthy org ("Mini") that passes every org diagnostic; tests mutate a fresh copy.

Mini (as of 2027-02-01): tribes shopping (checkout, catalog) and core (payments, infra);
four teams of 6, 6, 6 and 5 people, each lead managing the rest of the team; the CTO manages
the four team leads and both tribe leads (6, a manager of managers); the TPM reports to no
one. Services: checkout-svc -> catalog-svc, checkout-svc -> payments-svc, payments-svc ->
infra-svc; checkout consumes infra x-as-a-service; payments collaborates with infra since
2027-01-04. Everyone works 09:00-17:00 UTC.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from scaleplan import program_from_document
from scaleplan.model import Program

AS_OF = dt.date(2027, 2, 1)


def _team(prefix: str, team: str, n: int) -> list[dict[str, Any]]:
    lead = f"{prefix}1"
    people = [
        {
            "id": lead,
            "name": f"{team.title()} Lead",
            "role": "engineering-manager",
            "level": 6,
            "team": team,
            "manager": "cto",
            "start_date": "2025-01-06",
            "skills": ["python"],
        },
    ]
    for k in range(2, n + 1):
        people.append(
            {
                "id": f"{prefix}{k}",
                "name": f"{team.title()} {k}",
                "level": 3,
                "team": team,
                "manager": lead,
                "start_date": "2025-01-06",
                "skills": ["python"],
            }
        )
    return people


def mini_document() -> dict[str, Any]:
    people = [
        {"id": "cto", "name": "Cee Tio", "role": "cto", "level": 8, "start_date": "2024-01-01"},
        {"id": "tpm", "name": "Tee Pem", "role": "tpm", "level": 6, "start_date": "2024-01-01"},
        {
            "id": "tl-shop",
            "name": "Shop Lead",
            "role": "tribe-lead",
            "level": 7,
            "manager": "cto",
            "start_date": "2024-01-01",
        },
        {
            "id": "tl-core",
            "name": "Core Lead",
            "role": "tribe-lead",
            "level": 7,
            "manager": "cto",
            "start_date": "2024-01-01",
        },
        *_team("ck", "checkout", 6),
        *_team("ca", "catalog", 6),
        *_team("pa", "payments", 6),
        *_team("in", "infra", 5),
    ]
    by_id = {p["id"]: p for p in people}
    by_id["ck2"]["chapter"] = "backend"
    by_id["ca2"]["chapter"] = "backend"
    by_id["ck3"]["guilds"] = ["security"]
    by_id["pa3"]["guilds"] = ["security"]
    by_id["in2"]["skills"] = ["kubernetes"]
    by_id["in3"]["skills"] = ["observability"]
    return {
        "program": {"name": "Mini", "decision_maker": "cto", "tpm": "tpm"},
        "calendar": {
            "start": "2027-01-04",
            "increments": [
                {"id": "PI-1", "start": "2027-01-04", "end": "2027-04-05"},
                {"id": "PI-2", "start": "2027-04-05", "end": "2027-07-05"},
            ],
        },
        "settings": {"tech_debt_reserve": 0.2},
        "tribes": [
            {"id": "shopping", "name": "Shopping", "lead": "tl-shop"},
            {"id": "core", "name": "Core", "lead": "tl-core"},
        ],
        "teams": [
            {
                "id": "checkout",
                "name": "Checkout",
                "tribe": "shopping",
                "lead": "ck1",
                "interactions": [{"team": "infra", "mode": "x-as-a-service"}],
            },
            {"id": "catalog", "name": "Catalog", "tribe": "shopping", "lead": "ca1"},
            {
                "id": "payments",
                "name": "Payments",
                "tribe": "core",
                "lead": "pa1",
                "interactions": [{"team": "infra", "mode": "collaboration", "since": "2027-01-04"}],
            },
            {"id": "infra", "name": "Infra", "type": "platform", "tribe": "core", "lead": "in1"},
        ],
        "people": people,
        "chapters": [{"id": "backend", "name": "Backend", "lead": "ck1"}],
        "guilds": [{"id": "security", "name": "Security", "topic": "appsec"}],
        "centres": [
            {
                "id": "reliability",
                "name": "Reliability CoE",
                "domain": "SRE",
                "lead": "in1",
                "members": ["in2", "in3"],
                "key_skills": ["kubernetes", "observability"],
            },
        ],
        "services": [
            {
                "id": "checkout-svc",
                "name": "Checkout",
                "owner": "checkout",
                "depends_on": ["catalog-svc", "payments-svc"],
            },
            {"id": "catalog-svc", "name": "Catalog", "owner": "catalog"},
            {
                "id": "payments-svc",
                "name": "Payments",
                "owner": "payments",
                "depends_on": ["infra-svc"],
            },
            {"id": "infra-svc", "name": "Infra", "owner": "infra"},
        ],
        "work_items": [
            {
                "id": "pay-api",
                "title": "Payments API",
                "team": "payments",
                "effort": 4,
                "deadline": "2027-02-15",
            },
            {
                "id": "ck-flow",
                "title": "Checkout flow",
                "team": "checkout",
                "effort": 5,
                "deadline": "2027-03-01",
                "depends_on": ["pay-api"],
            },
        ],
    }


def load(document: dict[str, Any]) -> Program:
    result = program_from_document(document)
    assert result.program is not None, [d.format() for d in result.errors]
    return result.program


def person(doc: dict[str, Any], pid: str) -> dict[str, Any]:
    return next(p for p in doc["people"] if p["id"] == pid)


def team(doc: dict[str, Any], tid: str) -> dict[str, Any]:
    return next(t for t in doc["teams"] if t["id"] == tid)


@pytest.fixture
def mini_doc() -> dict[str, Any]:
    return copy.deepcopy(mini_document())


@pytest.fixture(scope="session")
def mini() -> Program:
    return load(mini_document())


@pytest.fixture
def build() -> Callable[[dict[str, Any]], Program]:
    return load
