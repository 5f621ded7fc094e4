"""Mentorship matching: scores worked out by hand, rules (gap, overlap, manager chain,
capacity, new-hire limit), and optimality proven against brute force on small cases."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

import numpy as np
import pytest
from conftest import AS_OF, load

from scaleplan.analysis.org import match_mentors, pair_score
from scaleplan.analysis.org.mentorship import mentees_of, score_matrix
from scaleplan.errors import UsageError
from scaleplan.model import Program


def doc_with(people: list[dict[str, Any]], **org: Any) -> dict[str, Any]:
    return {
        "program": {"name": "M"},
        "calendar": {"start": "2027-01-04"},
        "settings": {"org": org} if org else {},
        "people": [{"start_date": "2025-01-06", **p} for p in people],
    }


def test_pair_score_by_hand() -> None:
    program = load(
        doc_with(
            [
                {
                    "id": "m",
                    "name": "M",
                    "level": 6,
                    "skills": ["python", "kafka"],
                    "mentoring_capacity": 1,
                },
                {"id": "e", "name": "E", "level": 2, "skills": ["Python", "go"]},
            ]
        )
    )
    s = pair_score(program, program.people_by_id["m"], program.people_by_id["e"], on=AS_OF)
    # gap 4 vs ideal 3: 1000 x (1 - 1/4) = 750; skills 1 of 2: 500; 8 h overlap: 1000
    assert (s.allowed, s.score, s.gap, s.shared_skills, s.overlap_hours) == (
        True,
        2250,
        4,
        ("python",),
        8.0,
    )
    assert s.reason() == "level gap 4; shared skills: python; 8 h/day working-hours overlap"


def test_time_zone_overlap_counts_and_can_block() -> None:
    # Berlin 09-17 = 08-16 UTC in Feb; New York 09-17 = 14-22 UTC: 2 h overlap (allowed at 2)
    people = [
        {"id": "m", "name": "M", "level": 5, "timezone": "Europe/Berlin", "mentoring_capacity": 1},
        {"id": "e", "name": "E", "level": 2, "timezone": "America/New_York"},
    ]
    program = load(doc_with(people))
    s = pair_score(program, program.people_by_id["m"], program.people_by_id["e"], on=AS_OF)
    assert s.overlap_hours == 2.0 and s.allowed
    assert s.score == 1000 + 0 + 250  # ideal gap, no skills, 2/8 of a day
    strict = load(doc_with(people, mentor_min_overlap_hours=3))
    blocked = pair_score(strict, strict.people_by_id["m"], strict.people_by_id["e"], on=AS_OF)
    assert not blocked.allowed and "overlap 2 h < 3 h" in (blocked.blocker or "")


def test_manager_chain_is_excluded_unless_configured() -> None:
    people = [
        {"id": "boss", "name": "Boss", "level": 7, "mentoring_capacity": 2},
        {"id": "lead", "name": "Lead", "level": 6, "manager": "boss", "mentoring_capacity": 1},
        {"id": "peer", "name": "Peer", "level": 6, "manager": "boss", "mentoring_capacity": 1},
        {"id": "junior", "name": "Junior", "level": 2, "manager": "lead"},
    ]
    result = match_mentors(load(doc_with(people)), as_of=AS_OF)
    # boss is above junior; lead is junior's manager; peer is fine
    assert [(p.mentor, p.mentee) for p in result.pairs] == [("peer", "junior")]
    relaxed = match_mentors(load(doc_with(people, mentor_outside_manager_chain=False)), as_of=AS_OF)
    # all three allowed; boss (gap 5) scores 500 on the gap, lead and peer (gap 4) 750 each
    assert relaxed.pairs[0].mentor in {"lead", "peer"}


def test_same_direct_manager_is_excluded() -> None:
    people = [
        {"id": "mgr", "name": "Mgr", "level": 6},
        {"id": "senior", "name": "Senior", "level": 5, "manager": "mgr", "mentoring_capacity": 1},
        {"id": "junior", "name": "Junior", "level": 2, "manager": "mgr"},
    ]
    result = match_mentors(load(doc_with(people)), as_of=AS_OF)
    assert result.pairs == ()
    assert result.unmatched[0].reason == "no allowed mentor among 1: same manager (1)"


def test_capacity_and_declared_pairs() -> None:
    people = [
        {"id": "m", "name": "M", "level": 6, "mentoring_capacity": 2},
        {"id": "d", "name": "D", "level": 2, "mentor": "m"},
        {"id": "e1", "name": "E1", "level": 2, "skills": ["go"]},
        {"id": "e2", "name": "E2", "level": 1},
    ]
    program = load(doc_with(people))
    assert [p.id for p in mentees_of(program, AS_OF)] == ["e1", "e2"]
    result = match_mentors(program, as_of=AS_OF)
    assert [(p.mentor, p.mentee, p.declared) for p in result.pairs] == [
        ("m", "d", True),
        ("m", "e1", False),  # gap 4 scores 750 against e2's gap 5 (500)
    ]
    assert result.mentor_load == {"m": (2, 2)}
    assert result.unmatched[0].mentee == "e2"
    assert "are at capacity" in result.unmatched[0].reason


def test_new_hire_limit_per_mentor() -> None:
    people = [
        {"id": "m", "name": "M", "level": 6, "mentoring_capacity": 3},
        *[
            {"id": f"n{k}", "name": f"N{k}", "level": 4, "start_date": "2027-01-11"}
            for k in range(3)
        ],
    ]
    result = match_mentors(load(doc_with(people)), as_of=AS_OF)
    assert result.matched == 2  # at most 2 concurrent new hires per mentor
    assert "already have 2 new hires each" in result.unmatched[0].reason


def test_unknown_mentee_is_a_usage_error(mini: Program) -> None:
    with pytest.raises(UsageError, match="unknown mentee"):
        match_mentors(mini, as_of=AS_OF, mentees=["nobody"])


# -- optimality against brute force ---------------------------------------------------------

ZONES = ["UTC", "Europe/Berlin", "Europe/London", "Asia/Kolkata", "America/New_York"]
SKILLS = ["python", "go", "kafka", "sql"]


def random_program(seed: int) -> Program:
    rng = random.Random(seed)
    people: list[dict[str, Any]] = [
        {"id": "boss", "name": "Boss", "level": 8},
        {"id": "lead", "name": "Lead", "level": 6, "manager": "boss"},
    ]
    for k in range(rng.randint(1, 3)):
        people.append(
            {
                "id": f"m{k}",
                "name": f"M{k}",
                "level": rng.randint(4, 8),
                "mentoring_capacity": rng.randint(1, 3),
                "timezone": rng.choice(ZONES),
                "skills": rng.sample(SKILLS, rng.randint(0, 3)),
                "manager": "boss",
            }
        )
    for k in range(rng.randint(1, 6)):
        person: dict[str, Any] = {
            "id": f"e{k}",
            "name": f"E{k}",
            "level": rng.randint(1, 2),
            "timezone": rng.choice(ZONES),
            "skills": rng.sample(SKILLS, rng.randint(0, 3)),
            "manager": rng.choice(["lead", "lead", "m0"]),
        }
        if rng.random() < 0.5:
            person["start_date"] = "2027-01-11"  # new hire
        people.append(person)
    if rng.random() < 0.3:
        people[-1]["mentor"] = "m0"  # a declared pair uses up capacity
    return load(doc_with(people, mentor_max_new_hires=rng.randint(1, 2)))


def brute_force(program: Program) -> tuple[int, int]:
    """Best (matched, total score) over every assignment of mentees to mentors or nobody."""
    on = AS_OF
    t = program.settings.org
    mentees = mentees_of(program, on)
    mentors = [p for p in program.people if p.mentoring_capacity > 0]
    declared = [p for p in program.people if p.mentor]
    cap = {
        m.id: m.mentoring_capacity - sum(1 for d in declared if d.mentor == m.id) for m in mentors
    }
    new_cap = {
        m.id: t.mentor_max_new_hires
        - sum(1 for d in declared if d.mentor == m.id and d.start_date == dt.date(2027, 1, 11))
        for m in mentors
    }
    best = (0, 0)
    for choice in itertools.product([None, *mentors], repeat=len(mentees)):
        used: dict[str, int] = {}
        used_new: dict[str, int] = {}
        total, ok = 0, True
        for mentee, mentor in zip(mentees, choice, strict=True):
            if mentor is None:
                continue
            s = pair_score(program, mentor, mentee, on=on)
            new = mentee.start_date == dt.date(2027, 1, 11)
            used[mentor.id] = used.get(mentor.id, 0) + 1
            used_new[mentor.id] = used_new.get(mentor.id, 0) + int(new)
            if (
                not s.allowed
                or used[mentor.id] > cap[mentor.id]
                or used_new[mentor.id] > new_cap[mentor.id]
            ):
                ok = False
                break
            total += s.score
        if ok:
            best = max(best, (sum(1 for c in choice if c is not None), total))
    return best


@pytest.mark.parametrize("seed", range(40))
def test_matching_is_optimal_against_brute_force(seed: int) -> None:
    program = random_program(seed)
    result = match_mentors(program, as_of=AS_OF)
    assert (result.matched, result.total_score) == brute_force(program)
    # the matching itself is feasible
    for p in result.new_pairs:
        mentor, mentee = program.people_by_id[p.mentor], program.people_by_id[p.mentee]
        assert pair_score(program, mentor, mentee, on=AS_OF).allowed
    for mentor_id, (used, capacity) in result.mentor_load.items():
        assert used <= capacity, mentor_id


@pytest.mark.parametrize("seed", range(10))
def test_vectorised_scores_equal_pair_score(seed: int) -> None:
    program = random_program(seed)
    mentors = [p for p in program.people if p.mentoring_capacity > 0]
    mentees = list(program.people)
    score, allowed = score_matrix(program, mentors, mentees, on=AS_OF)
    for i, e in enumerate(mentees):
        for j, m in enumerate(mentors):
            s = pair_score(program, m, e, on=AS_OF)
            assert (int(score[i, j]), bool(allowed[i, j])) == (s.score, s.allowed), (e.id, m.id)
    assert np.all(score >= 0)
