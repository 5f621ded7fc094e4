"""Tech-talk rotation: one speaker a week for N weeks, hosted in turn by teams and guilds.

Rules: hosts (teams and guilds, in a seeded order) take turns; the speaker is the next member
of the host (members in a seeded order) who has not spoken in the current round; a round ends
when everyone eligible that week has spoken, so nobody speaks twice before every eligible
person has spoken once. Eligible on a week: active that day and in a team or a guild (and, if
``roles`` is given, with one of those roles). Hosts with no one left this round are skipped.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from scaleplan.analysis.org._common import (
    DAY_NAMES,
    first_weekday_on_or_after,
    is_active,
    parse_clock,
    resolve_as_of,
    zone,
)
from scaleplan.errors import UsageError
from scaleplan.model import Person, Program


@dataclass(frozen=True, slots=True)
class Talk:
    week: int
    start: dt.datetime
    speaker: str
    speaker_name: str
    host_kind: str
    host: str
    host_name: str
    round: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "week": self.week,
            "start": self.start.isoformat(),
            "speaker": self.speaker,
            "speaker_name": self.speaker_name,
            "host_kind": self.host_kind,
            "host": self.host,
            "host_name": self.host_name,
            "round": self.round,
        }


@dataclass(frozen=True)
class TalkSchedule:
    program: str
    talks: tuple[Talk, ...]
    weeks: int
    duration_minutes: int
    timezone: str
    #: Weeks with nobody eligible (no talk).
    empty_weeks: tuple[int, ...]
    eligible: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "weeks": self.weeks,
            "duration_minutes": self.duration_minutes,
            "timezone": self.timezone,
            "eligible_at_start": self.eligible,
            "talks": [t.to_dict() for t in self.talks],
            "empty_weeks": list(self.empty_weeks),
        }


def talk_rotation(
    program: Program,
    *,
    weeks: int,
    start: dt.date | None = None,
    seed: int = 0,
    day: str | None = None,
    time: str | None = None,
    timezone: str | None = None,
    duration_minutes: int = 45,
    roles: tuple[str, ...] = (),
) -> TalkSchedule:
    """A fair rotation of TechTalk speakers for ``weeks`` weeks from ``start`` (default today).

    Day, time and zone default to the generated TechTalk meeting's slot (Fri, the hour that
    fits most people's working hours, in the most common zone).

    >>> s = talk_rotation(program, weeks=4, start=dt.date(2027, 1, 4), seed=1)  # doctest: +SKIP
    >>> [t.speaker for t in s.talks]  # doctest: +SKIP
    ['ana', 'lee', 'raj', 'kim']
    """
    if weeks < 1:
        raise UsageError("--weeks must be 1 or more")
    if day is not None and day not in DAY_NAMES:
        raise UsageError(f"day must be one of {', '.join(DAY_NAMES)}, got '{day}'")
    begin = resolve_as_of(start)
    if day is None or time is None or timezone is None:
        from scaleplan.analysis.org.cadences import plan_cadences

        plan = plan_cadences(program, start=begin)
        slot = next((m for m in plan.meetings if m.id == "techtalk"), None)
        day = day or (slot.day if slot and slot.day else "fri")
        time = time or (slot.time if slot else "16:00")
        timezone = timezone or (slot.timezone if slot else "UTC")
    minute = parse_clock(time)
    tzinfo = zone(timezone)
    rng = random.Random(seed)

    hosts: list[tuple[str, str, str, list[Person]]] = []
    for team in program.teams:
        members = list(program.members_by_team.get(team.id, ()))
        hosts.append(("team", team.id, team.name, members))
    for guild in program.guilds:
        members = [p for p in program.people if guild.id in p.guilds]
        hosts.append(("guild", guild.id, guild.name, members))
    rng.shuffle(hosts)
    for host in hosts:
        rng.shuffle(host[3])
    in_unit = {p.id for h in hosts for p in h[3]}

    def eligible(person: Person, on: dt.date) -> bool:
        return (
            person.id in in_unit and is_active(person, on) and (not roles or person.role in roles)
        )

    first = first_weekday_on_or_after(begin, DAY_NAMES.index(day))
    spoken: set[str] = set()
    talks: list[Talk] = []
    empty: list[int] = []
    pointer = 0
    round_no = 1
    for week in range(weeks):
        on = first + dt.timedelta(weeks=week)
        pick = _next_speaker(hosts, pointer, spoken, on, eligible)
        if pick is None and spoken:
            spoken = set()
            round_no += 1
            pick = _next_speaker(hosts, pointer, spoken, on, eligible)
        if pick is None:
            empty.append(week)
            continue
        h, person = pick
        kind, host_id, host_name, _ = hosts[h]
        spoken.add(person.id)
        pointer = (h + 1) % len(hosts)
        hh, mm = divmod(minute, 60)
        talks.append(
            Talk(
                week=week,
                start=dt.datetime.combine(on, dt.time(hh, mm), tzinfo=tzinfo),
                speaker=person.id,
                speaker_name=person.name,
                host_kind=kind,
                host=host_id,
                host_name=host_name,
                round=round_no,
            )
        )
    count = len({p.id for h in hosts for p in h[3] if eligible(p, first)})
    return TalkSchedule(
        program=program.program.name,
        talks=tuple(talks),
        weeks=weeks,
        duration_minutes=duration_minutes,
        timezone=timezone,
        empty_weeks=tuple(empty),
        eligible=count,
    )


def _next_speaker(
    hosts: list[tuple[str, str, str, list[Person]]],
    pointer: int,
    spoken: set[str],
    on: dt.date,
    eligible: Any,
) -> tuple[int, Person] | None:
    for step in range(len(hosts)):
        h = (pointer + step) % len(hosts)
        for person in hosts[h][3]:
            if person.id not in spoken and eligible(person, on):
                return h, person
    return None
