"""Team capacity per week and item effort, hand-computed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from scaleplan import program_from_document
from scaleplan.analysis.capacity import (
    capacity_table,
    effort_of,
    increment_weeks,
    next_increment,
    remaining_effort,
    team_capacity,
    week_of,
)
from scaleplan.model import Program


def make(**extra: Any) -> Program:
    doc: dict[str, Any] = {
        "program": {"name": "Cap"},
        "calendar": {
            "start": "2027-01-04",
            "increments": [
                {"id": "PI-1", "start": "2027-01-04", "end": "2027-04-05"},
                {"id": "PI-2", "start": "2027-04-05", "end": "2027-07-05"},
            ],
            "holidays": [{"date": "2027-01-06", "name": "Epiphany"}],
        },
        "teams": [{"id": "web", "name": "Web"}, {"id": "ops", "name": "Ops", "capacity": 2.5}],
        "people": [
            {"id": "a", "name": "A", "team": "web"},
            {"id": "b", "name": "B", "team": "web", "fte": 0.5},
            {"id": "c", "name": "C", "team": "web", "start_date": "2027-02-01"},
            {"id": "d", "name": "D", "team": "web", "end_date": "2027-01-20"},
        ],
        "work_items": [
            {"id": "x", "title": "X", "team": "web", "effort": 4, "low": 2, "high": 9},
            {"id": "y", "title": "Y", "team": "web", "points": 12},
            {
                "id": "z",
                "title": "Z",
                "team": "web",
                "effort": 10,
                "status": "in-progress",
                "started": "2027-01-04",
                "progress": 0.25,
            },
        ],
    }
    doc.update(extra)
    result = program_from_document(doc)
    assert result.program is not None, [d.format() for d in result.diagnostics]
    return result.program


def test_capacity_sums_present_members_with_focus_holidays_and_reserve() -> None:
    program = make()
    # week 0 (Jan 4-10): a, b (0.5), d present; c not yet hired; one holiday in 5 days.
    expected = (1 + 0.5 + 1) * 0.8 * (4 / 5) * (1 - 0.2)
    assert team_capacity(program, "web", 0) == pytest.approx(expected)
    # week 3 (Jan 25-31): d has left, c not started.
    assert team_capacity(program, "web", 3) == pytest.approx(1.5 * 0.8 * 0.8)
    # week 4 (Feb 1-7): c has started.
    assert team_capacity(program, "web", 4) == pytest.approx(2.5 * 0.8 * 0.8)


def test_gross_capacity_ignores_the_reserve() -> None:
    program = make()
    assert team_capacity(program, "web", 4, reserve=0.0) == pytest.approx(2.5 * 0.8)


def test_explicit_team_capacity_overrides_members() -> None:
    program = make()
    assert team_capacity(program, "ops", 1) == pytest.approx(2.5 * 0.8)


def test_time_off_reduces_capacity_for_the_days_it_covers() -> None:
    program = make(
        capacity_exceptions=[
            {"person": "a", "start": "2027-02-08", "end": "2027-02-10", "available": 0.0}
        ]
    )
    # week 5 = Mon Feb 8 - Sun Feb 14: a away Mon-Wed, 3 of the 5 working days.
    base = 2.5 * 0.8 * 0.8
    assert team_capacity(program, "web", 5) == pytest.approx(base - (3 / 5) * 0.8 * 0.8)


def test_a_working_week_off_removes_the_whole_week() -> None:
    program = make(
        capacity_exceptions=[
            {"person": "a", "start": "2027-02-08", "end": "2027-02-12", "available": 0.0}
        ]
    )
    assert team_capacity(program, "web", 5) == pytest.approx(1.5 * 0.8 * 0.8)


def test_team_exception_scales_the_whole_team() -> None:
    program = make(
        capacity_exceptions=[
            {"team": "ops", "start": "2027-02-08", "end": "2027-02-14", "available": 0.5}
        ]
    )
    assert team_capacity(program, "ops", 5) == pytest.approx(2.5 * 0.5 * 0.8)


def test_capacity_table_covers_every_team_and_week() -> None:
    program = make()
    table = capacity_table(program, range(0, 3))
    assert set(table) == {"web", "ops"}
    assert len(table["web"]) == 3


def test_effort_converts_points_with_the_default_rate_and_keeps_ranges() -> None:
    program = make()
    x = effort_of(program, program.work_items_by_id["x"])
    assert (x.low, x.likely, x.high) == (2, 4, 9)
    y = effort_of(program, program.work_items_by_id["y"])
    assert y.likely == pytest.approx(12 / 3.0)
    assert remaining_effort(program, program.work_items_by_id["z"]) == pytest.approx(7.5)


def test_increment_weeks_and_next_increment() -> None:
    program = make()
    pi1 = program.calendar.increments[0]
    assert increment_weeks(program, pi1) == range(0, 13)
    assert week_of(program, dt.date(2027, 4, 5)) == 13
    assert next_increment(program).id == "PI-1"  # type: ignore[union-attr]
    assert next_increment(program, dt.date(2027, 5, 1)).id == "PI-2"  # type: ignore[union-attr]
