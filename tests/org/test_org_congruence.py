"""Socio-technical congruence against a hand-worked example, and the boundary suggestion
against small cases whose optimum is worked out by hand."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from conftest import AS_OF, load

from scaleplan.analysis.org import congruence, coordination_requirements, suggest_boundaries
from scaleplan.analysis.org.congruence import ownership, service_dependencies


def tiny(
    services: dict[str, tuple[str, list[str]]],
    *,
    interactions: dict[str, list[str]] | None = None,
    guild: tuple[str, ...] = (),
    max_services: int | None = None,
) -> dict[str, Any]:
    """Teams a, b, c (two people each, no tribes) owning ``services``: id -> (owner, deps)."""
    teams = []
    people: list[dict[str, Any]] = []
    for t in ("a", "b", "c"):
        team: dict[str, Any] = {"id": t, "name": t.upper(), "lead": f"{t}1"}
        if max_services is not None:
            team["max_services"] = max_services
        if interactions and t in interactions:
            team["interactions"] = [{"team": o, "mode": "x-as-a-service"} for o in interactions[t]]
        teams.append(team)
        for k in (1, 2):
            people.append(
                {"id": f"{t}{k}", "name": f"{t}{k}", "team": t, "start_date": "2026-01-05"}
            )
    for pid in guild:
        next(p for p in people if p["id"] == pid)["guilds"] = ["g"]
    return {
        "program": {"name": "Tiny"},
        "calendar": {"start": "2027-01-04"},
        "teams": teams,
        "people": people,
        "guilds": [{"id": "g", "name": "G"}],
        "services": [
            {"id": s, "name": s, "owner": owner, "depends_on": deps}
            for s, (owner, deps) in services.items()
        ],
    }


def hand_worked() -> dict[str, Any]:
    doc = tiny(
        {
            "a1": ("a", ["b1"]),
            "a2": ("a", ["a1"]),
            "b1": ("b", ["c1"]),
            "c1": ("c", []),
        },
        interactions={"a": ["b"]},
        guild=("b2", "c2"),
    )
    # a2 also consumes c1's API: T_D gets a2 -> c1
    doc["services"][3]["apis"] = [{"name": "c1-api", "consumers": ["a2"]}]
    return doc


def test_coordination_requirements_match_the_hand_worked_matrix() -> None:
    # services a1, a2, b1, c1; T_A rows a, b, c; T_D: a1->b1, a2->a1, b1->c1, a2->c1
    #   T_A . T_D           = [[1,0,1,1], [0,0,0,1], [0,0,0,0]]
    #   (T_A . T_D) . T_A^T = [[1,1,1], [0,0,1], [0,0,0]]
    program = load(hand_worked())
    cr = coordination_requirements(
        ["a", "b", "c"], ownership(program), service_dependencies(program)
    )
    assert cr.tolist() == [[1, 1, 1], [0, 0, 1], [0, 0, 0]]


def test_congruence_ratio_and_gap_of_the_hand_worked_example() -> None:
    # required pairs a-b, a-c, b-c; channels: a-b interaction, b-c guild; a-c none -> 2/3
    report = congruence(load(hand_worked()), as_of=AS_OF)
    assert [(p.a, p.b) for p in report.pairs] == [("a", "b"), ("a", "c"), ("b", "c")]
    assert report.ratio == pytest.approx(2 / 3)
    assert [(p.a, p.b) for p in report.gaps] == [("a", "c")]
    assert report.pairs[0].channels == ("interaction:x-as-a-service",)
    assert "guild:g" in report.pairs[2].channels
    assert report.pairs[1].dependencies == (("a2", "c1"),)
    assert (report.cross_team_dependencies, report.internal_dependencies) == (3, 1)
    # the matrix formula and the edge walk agree on which pairs must coordinate
    required = {
        (report.teams[i], report.teams[j])
        for i in range(3)
        for j in range(i + 1, 3)
        if report.cr[i, j] + report.cr[j, i] > 0
    }
    assert required == {(p.a, p.b) for p in report.pairs}


def test_gap_becomes_an_org025_finding() -> None:
    report = congruence(load(hand_worked()), as_of=AS_OF)
    [found] = report.findings()
    assert (found.code, found.unit, found.measured) == ("ORG025", "a+c", 1)


def test_no_dependencies_means_full_congruence() -> None:
    report = congruence(load(tiny({"a1": ("a", []), "b1": ("b", [])})), as_of=AS_OF)
    assert report.pairs == () and report.ratio == 1.0


def test_unowned_and_retired_services_are_left_out() -> None:
    doc = tiny({"a1": ("a", ["x"]), "x": ("a", [])})
    doc["services"][1].pop("owner")
    doc["services"].append(
        {"id": "r", "name": "r", "owner": "b", "lifecycle": "retired", "depends_on": ["a1"]}
    )
    report = congruence(load(doc), as_of=AS_OF)
    assert (report.unowned_dependencies, report.cross_team_dependencies) == (1, 0)


def test_a_tribe_sync_is_a_channel_but_pi_planning_is_not() -> None:
    doc = tiny({"a1": ("a", ["b1"]), "b1": ("b", [])})
    doc["calendar"]["increments"] = [{"id": "PI-1", "start": "2027-03-01", "end": "2027-05-31"}]
    assert congruence(load(doc), as_of=AS_OF).ratio == 0.0  # only PI planning shared
    doc["tribes"] = [{"id": "t", "name": "T", "lead": "c1"}]
    for t in doc["teams"][:2]:
        t["tribe"] = "t"
    report = congruence(load(doc), as_of=AS_OF)
    assert report.pairs[0].channels == ("cadence:sync-t",)


# -- boundary suggestion ---------------------------------------------------------------------


def movable() -> dict[str, Any]:
    # a: a1; b: b1, b2; c: c1. b1 <-> a1 both ways, b2 -> c1. Cross-team: 3.
    # Limits 2 per team, every team keeps one service. Only move that helps: b1 -> a
    # (cross 1). Moving a1 to b would empty a; b2 -> c helps less (cross 2).
    doc = tiny(
        {"a1": ("a", ["b1"]), "b1": ("b", ["a1"]), "b2": ("b", ["c1"]), "c1": ("c", [])},
        guild=("b2", "c2"),
        max_services=2,
    )
    return doc


def test_suggestion_finds_the_hand_worked_optimum() -> None:
    s = suggest_boundaries(load(movable()), as_of=AS_OF)
    assert s.status == "optimal" and s.scope == "all-teams"
    assert [(m.service, m.from_team, m.to_team) for m in s.moves] == [("b1", "b", "a")]
    assert (s.cross_before, s.cross_after, s.cross_bound) == (3, 1, 1)
    # before: a-b (no channel), b-c (guild) -> 1/2; after: only b-c, covered -> 1.0
    assert (s.congruence_before, s.congruence_after) == (0.5, 1.0)
    assert (s.gaps_before, s.gaps_after) == (1, 0)


def test_suggestion_respects_max_moves_zero() -> None:
    s = suggest_boundaries(load(movable()), as_of=AS_OF, max_moves=0)
    assert s.moves == () and s.cross_after == 3 and s.status == "optimal"


def test_without_keep_one_the_optimum_empties_a_team() -> None:
    # every 2-move answer with no cross-team dependency (a1->b & b2->c, b1->a & b2->c,
    # b1->a & c1->b) leaves one team without a service: why keep_one is the default
    s = suggest_boundaries(load(movable()), as_of=AS_OF, keep_one=False)
    assert (s.cross_after, len(s.moves)) == (0, 2)
    assert len(set(s.owners.values())) == 2


def test_limits_too_small_are_reported_as_infeasible() -> None:
    doc = movable()
    for t in doc["teams"]:
        t["max_services"] = 1  # 4 services, 3 slots
    s = suggest_boundaries(load(doc), as_of=AS_OF)
    assert s.status == "infeasible" and s.moves == ()
    assert "4 services" in s.explanation and "only 3" in s.explanation


def test_over_limit_team_must_shed_a_service() -> None:
    doc = tiny(
        {"a1": ("a", []), "a2": ("a", []), "a3": ("a", []), "b1": ("b", ["a1"])}, max_services=2
    )
    s = suggest_boundaries(load(doc), as_of=AS_OF)
    # a (3 services, limit 2) must give one away: handing a1 to b also removes b1 -> a1
    assert [(m.service, m.to_team) for m in s.moves] == [("a1", "b")]
    assert (s.cross_before, s.cross_after) == (1, 0)


def test_neighbourhood_scope_matches_the_exact_answer_on_the_small_case() -> None:
    program = load(movable())
    exact = suggest_boundaries(program, as_of=AS_OF)
    local = suggest_boundaries(program, as_of=AS_OF, exact_limit=0, spare_candidates=1)
    assert local.scope == "neighbourhood"
    assert local.cross_after == exact.cross_after
    assert [m.to_dict() for m in local.moves] == [m.to_dict() for m in exact.moves]


def test_suggestion_is_deterministic() -> None:
    program = load(movable())
    a = suggest_boundaries(program, as_of=AS_OF, seed=3).to_dict()
    b = suggest_boundaries(program, as_of=AS_OF, seed=3).to_dict()
    a.pop("runtime_seconds"), b.pop("runtime_seconds")
    assert a == b


def test_cr_is_an_integer_matrix() -> None:
    report = congruence(load(hand_worked()), as_of=AS_OF)
    assert report.cr.dtype == np.int64
