"""Escalation paths, the TechTalk rotation and centres-of-excellence coverage."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from conftest import AS_OF, load, person, team

from scaleplan.analysis.org import (
    centre_coverage,
    escalation_path,
    escalation_paths,
    talk_rotation,
)
from scaleplan.errors import UsageError
from scaleplan.model import Program

# -- escalation ------------------------------------------------------------------------------


def steps(path: Any) -> list[tuple[str, str]]:
    return [(s.role, s.person) for s in path.steps]


def test_team_escalates_lead_tribe_lead_decision_maker(mini: Program) -> None:
    path = escalation_path(mini, team="payments", as_of=AS_OF)
    assert steps(path) == [
        ("team lead", "pa1"),
        ("tribe lead", "tl-core"),
        ("decision-maker", "cto"),
    ]
    assert path.complete


def test_person_starts_above_themselves(mini: Program) -> None:
    member = escalation_path(mini, person="pa4", as_of=AS_OF)
    assert [p for _, p in steps(member)] == ["pa1", "tl-core", "cto"]
    lead = escalation_path(mini, person="pa1", as_of=AS_OF)
    assert [p for _, p in steps(lead)] == ["tl-core", "cto"]
    top = escalation_path(mini, person="cto", as_of=AS_OF)
    assert top.steps == () and top.complete


def test_person_without_team_follows_the_management_chain(mini: Program) -> None:
    path = escalation_path(mini, person="tl-shop", as_of=AS_OF)
    assert steps(path) == [("manager", "cto")]  # cto is also the decision-maker
    assert path.complete


def test_missing_lead_falls_back_to_the_members_manager(mini_doc: dict[str, Any]) -> None:
    del team(mini_doc, "catalog")["lead"]
    path = escalation_path(load(mini_doc), team="catalog", as_of=AS_OF)
    assert steps(path)[0] == ("members' manager", "ca1")
    assert path.gaps == ("team 'catalog' has no lead",)
    assert not path.complete


def test_no_decision_maker_and_departed_lead_are_gaps(mini_doc: dict[str, Any]) -> None:
    del mini_doc["program"]["decision_maker"]
    person(mini_doc, "tl-core")["end_date"] = "2027-01-15"
    paths = {p.subject: p for p in escalation_paths(load(mini_doc), as_of=AS_OF)}
    core = paths["payments"]
    assert not core.ends_at_decision_maker
    assert (
        "lead of tribe 'core' 'tl-core' is not active on 2027-02-01 (dates: 2027-01-15)"
        in core.gaps
    )
    assert "the program has no decision-maker (program.decision_maker)" in core.gaps


def test_escalation_needs_exactly_one_subject(mini: Program) -> None:
    with pytest.raises(UsageError, match="exactly one"):
        escalation_path(mini, as_of=AS_OF)
    with pytest.raises(UsageError, match="unknown team 'nope'"):
        escalation_path(mini, team="nope", as_of=AS_OF)


# -- tech talks --------------------------------------------------------------------------------


def test_nobody_speaks_twice_before_everyone_eligible_spoke(mini: Program) -> None:
    # 23 people in teams; ck3 and pa3 are also in the security guild
    schedule = talk_rotation(mini, weeks=50, start=AS_OF, seed=5)
    speakers = [t.speaker for t in schedule.talks]
    assert schedule.eligible == 23
    assert len(set(speakers[:23])) == 23  # the first round covers everyone once
    assert len(set(speakers[23:46])) == 23  # and so does the second
    assert [t.round for t in schedule.talks][22:24] == [1, 2]
    counts = Counter(speakers)
    assert max(counts.values()) - min(counts.values()) <= 1


def test_hosts_take_turns_across_teams_and_guilds(mini: Program) -> None:
    schedule = talk_rotation(mini, weeks=5, start=AS_OF, seed=0)
    hosts = [(t.host_kind, t.host) for t in schedule.talks]
    assert len(set(hosts)) == 5  # 4 teams and the guild, one each
    assert ("guild", "security") in hosts
    assert all(t.start.weekday() == 4 for t in schedule.talks)  # Fridays (the TechTalk slot)


def test_people_join_the_rotation_when_they_start(mini_doc: dict[str, Any]) -> None:
    mini_doc["people"].append(
        {
            "id": "late",
            "name": "Late",
            "team": "infra",
            "manager": "in1",
            "start_date": "2027-04-01",
        }
    )
    schedule = talk_rotation(load(mini_doc), weeks=30, start=AS_OF, seed=1)
    weeks_of_late = [t.week for t in schedule.talks if t.speaker == "late"]
    first_friday_after_start = 8  # 2027-04-02 = 2027-02-05 + 8 weeks
    assert weeks_of_late and weeks_of_late[0] >= first_friday_after_start


def test_rotation_is_seeded_and_deterministic(mini: Program) -> None:
    a = talk_rotation(mini, weeks=10, start=AS_OF, seed=3).to_dict()
    assert a == talk_rotation(mini, weeks=10, start=AS_OF, seed=3).to_dict()
    assert a != talk_rotation(mini, weeks=10, start=AS_OF, seed=4).to_dict()


def test_roles_filter_and_bad_arguments(mini: Program) -> None:
    leads = talk_rotation(mini, weeks=4, start=AS_OF, roles=("engineering-manager",))
    assert {t.speaker for t in leads.talks} == {"ck1", "ca1", "pa1", "in1"}
    with pytest.raises(UsageError, match="--weeks"):
        talk_rotation(mini, weeks=0, start=AS_OF)
    empty = talk_rotation(mini, weeks=2, start=AS_OF, roles=("astronaut",))
    assert empty.talks == () and empty.empty_weeks == (0, 1)


# -- centres -----------------------------------------------------------------------------------


def test_centre_coverage_gaps_single_holders_and_candidates(mini_doc: dict[str, Any]) -> None:
    mini_doc["centres"][0]["key_skills"] += ["Chaos_Engineering", "python"]
    person(mini_doc, "ck4")["skills"] = ["chaos engineering"]
    [c] = centre_coverage(load(mini_doc), as_of=AS_OF)
    assert c.members == ("in1", "in2", "in3")
    assert c.key_skills == ("kubernetes", "observability", "chaos engineering", "python")
    assert c.gaps == ("chaos engineering",)
    assert c.candidates == {"chaos engineering": ("ck4",)}
    assert c.single_holder == ("kubernetes", "observability", "python")  # python: in1 only
    assert c.coverage == 0.75
