"""Capacity and effort: how many person-weeks each team has in each week, and how big each
work item is in person-weeks. Shared by prioritisation (cut line), planning and forecasting.

Weekly capacity of a team = sum over members present that week of
``fte x focus factor x (working days that are not holidays / working days) x availability``,
then minus the technical-debt reserve. A team's ``capacity`` overrides the member sum.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scaleplan.model import Increment, Program, Team, WorkItem


@dataclass(frozen=True, slots=True)
class Estimate:
    """Effort of a work item in person-weeks: low, likely, high (a triangle)."""

    low: float
    likely: float
    high: float


def week_start(program: Program, week: int) -> dt.date:
    """Date of the first day of planning week ``week`` (week 0 starts at the calendar start)."""
    return program.calendar.start + dt.timedelta(weeks=week)


def week_of(program: Program, when: dt.date) -> int:
    """Planning week that contains ``when`` (negative before the calendar start)."""
    return (when - program.calendar.start).days // 7


def sprint_of_week(program: Program, week: int) -> int:
    return week // program.calendar.sprint_weeks


def increment_weeks(program: Program, increment: Increment) -> range:
    """Planning weeks that fall in an increment: ``range(first, last + 1)``."""
    first = week_of(program, increment.start)
    last = week_of(program, increment.end - dt.timedelta(days=1))
    return range(max(first, 0), last + 1)


def next_increment(program: Program, today: dt.date | None = None) -> Increment | None:
    """The increment in progress at ``today`` or the next one (default: the first one)."""
    increments = sorted(program.calendar.increments, key=lambda i: i.start)
    if not increments:
        return None
    if today is None:
        return increments[0]
    for inc in increments:
        if inc.end > today:
            return inc
    return increments[-1]


def working_share(program: Program, start: dt.date) -> float:
    """Share of the week's working days that are not program-wide holidays."""
    days = program.calendar.working_days
    holidays = {h.date for h in program.calendar.holidays if not h.regions}
    off = sum(1 for d in range(days) if start + dt.timedelta(days=d) in holidays)
    return (days - off) / days


def focus_of(program: Program, team: Team) -> float:
    return team.focus_factor if team.focus_factor is not None else program.settings.focus_factor


def team_capacity(
    program: Program, team_id: str, week: int, *, reserve: float | None = None
) -> float:
    """Person-weeks ``team_id`` can spend on planned work in planning week ``week``.

    ``reserve`` defaults to the program's technical-debt reserve; pass 0 for gross capacity.
    """
    team = program.teams_by_id[team_id]
    reserve = program.settings.tech_debt_reserve if reserve is None else reserve
    start = week_start(program, week)
    end = start + dt.timedelta(days=7)
    share = working_share(program, start)
    if team.capacity is not None:
        gross = team.capacity * share * _team_availability(program, team_id, start)
    else:
        focus = focus_of(program, team)
        gross = 0.0
        for person in program.members_by_team.get(team_id, ()):
            if person.start_date is not None and person.start_date >= end:
                continue
            if person.end_date is not None and person.end_date < start:
                continue
            gross += person.fte * focus * share * _person_availability(program, person.id, start)
        gross *= _team_availability(program, team_id, start)
    return gross * (1.0 - reserve)


def capacity_table(
    program: Program, weeks: range, *, reserve: float | None = None
) -> dict[str, list[float]]:
    """``team id -> [capacity of each week in weeks]`` in person-weeks."""
    return {
        t.id: [team_capacity(program, t.id, w, reserve=reserve) for w in weeks]
        for t in program.teams
    }


def _overlap_share(program: Program, start: dt.date, a: dt.date, b: dt.date) -> float:
    """Share of the working days of the week starting at ``start`` that fall in [a, b]."""
    days = [start + dt.timedelta(days=d) for d in range(7)]
    working = [d for d in days if d.weekday() < program.calendar.working_days]
    if not working:
        return 0.0
    return sum(1 for d in working if a <= d <= b) / len(working)


def _person_availability(program: Program, person_id: str, start: dt.date) -> float:
    available = 1.0
    for exc in program.exceptions_by_owner.get(("person", person_id), ()):
        covered = _overlap_share(program, start, exc.start, exc.end)
        available -= covered * (1.0 - exc.available)
    return max(available, 0.0)


def _team_availability(program: Program, team_id: str, start: dt.date) -> float:
    available = 1.0
    for exc in program.exceptions_by_owner.get(("team", team_id), ()):
        covered = _overlap_share(program, start, exc.start, exc.end)
        available -= covered * (1.0 - exc.available)
    return max(available, 0.0)


def points_rate(program: Program, team_id: str) -> float:
    team = program.teams_by_id.get(team_id)
    if team is not None and team.points_per_person_week is not None:
        return team.points_per_person_week
    return program.settings.points_per_person_week


def effort_of(program: Program, item: WorkItem) -> Estimate:
    """Effort of ``item`` in person-weeks (points converted with the team's rate); the range
    defaults to the likely value when low or high is left out."""
    if item.effort is not None:
        scale = 1.0
        likely = item.effort
    else:
        assert item.points is not None
        scale = 1.0 / points_rate(program, item.team)
        likely = item.points
    low = item.low if item.low is not None else likely
    high = item.high if item.high is not None else likely
    return Estimate(low * scale, likely * scale, high * scale)


def remaining_effort(program: Program, item: WorkItem) -> float:
    """Likely person-weeks still to do (0 for done or cancelled items)."""
    if item.status.value in ("done", "cancelled"):
        return 0.0
    return effort_of(program, item).likely * (1.0 - item.progress)
