"""The meeting plan generated from the org structure, plus the program's declared cadences.

Generated (ids in brackets; declare a cadence with the same id to replace one):

==================  ===========================  ==========  =====  ======================
meeting             attendees                    frequency   min    preferred slot
==================  ===========================  ==========  =====  ======================
team daily          team members and lead        daily       15     09:30
tribe / ART sync    tribe lead and team leads    weekly      45/60  Tue 10:00
program review      decision-maker, TPM, tribe   monthly     60     1st Wed 14:00
                    leads, leads of tribeless
                    teams
PI planning         everyone in a team           per incr.   240    first working day 10:00
chapter meeting     chapter members and lead     biweekly    60     Wed 11:00
guild meeting       guild members and lead       biweekly    60     Thu 15:00
TechTalk            everyone, optional           weekly      45     Fri 16:00
==================  ===========================  ==========  =====  ======================

``[daily-<team>]``, ``[sync-<tribe>]``, ``[program-review]``, ``[pi-planning]``,
``[chapter-<id>]``, ``[guild-<id>]``, ``[techtalk]``.

Each meeting is anchored in its attendees' most common time zone; the slot is the one that
fits most attendees' working hours (see :mod:`scaleplan.analysis.org.slots`). Meeting hours
per person per week = sum over meetings they must attend of duration x occurrences per week
(daily = working days, weekly 1, biweekly 1/2, monthly 12/52, per increment 1 / mean
increment length in weeks). Optional attendance (TechTalk) does not count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from scaleplan.analysis.org._common import (
    DAY_NAMES,
    Finding,
    finding,
    first_weekday_on_or_after,
    is_active,
    most_common,
    parse_clock,
    resolve_as_of,
    zone,
)
from scaleplan.analysis.org.meetings import (
    KINDS,
    RFC_DAYS,
    CadencePlan,
    Contact,
    Meeting,
    PersonLoad,
    Recurrence,
)
from scaleplan.analysis.org.slots import SlotFinder
from scaleplan.model import Cadence, Frequency, Program


def plan_cadences(
    program: Program, *, as_of: dt.date | None = None, start: dt.date | None = None
) -> CadencePlan:
    """Generate the meeting plan of ``program`` with series starting on ``start`` (default:
    ``as_of``, default today); people are those active on that date.

    >>> plan = plan_cadences(program, as_of=dt.date(2027, 1, 4))  # doctest: +SKIP
    >>> plan.meetings[0].recurrence.rule()  # doctest: +SKIP
    'FREQ=WEEKLY;UNTIL=20271231T225959Z;BYDAY=MO,TU,WE,TH,FR'
    """
    on = start if start is not None else resolve_as_of(as_of)
    return _Planner(program, on).run()


class _Planner:
    def __init__(self, program: Program, start: dt.date) -> None:
        self.program = program
        self.start = start
        self.active = {p.id: p for p in program.people if is_active(p, start)}
        self.finder = SlotFinder(program.calendar.working_days)
        self.work_days = tuple(range(min(program.calendar.working_days, 7)))
        end = program.calendar.end
        self.until = end if end is not None and end > start else None
        self.members = {
            t.id: tuple(p.id for p in program.members_by_team.get(t.id, ()) if p.id in self.active)
            for t in program.teams
        }
        self.team_of = {pid: tid for tid, ids in self.members.items() for pid in ids}
        self.teams_led: dict[str, list[str]] = {}
        for team in program.teams:
            if team.lead is not None:
                self.teams_led.setdefault(team.lead, []).append(team.id)
        self.team_order = {t.id: i for i, t in enumerate(program.teams)}
        increments = program.calendar.increments
        lengths = [(i.end - i.start).days / 7 for i in increments]
        self.increment_weeks = sum(lengths) / len(lengths) if lengths else 12.0

    # -- who ---------------------------------------------------------------------------
    def tribe_people(self, tribe: str) -> list[str]:
        out: list[str] = []
        for team in self.program.teams:
            if team.tribe == tribe:
                out.extend(self.members[team.id])
        lead = self.program.tribes_by_id[tribe].lead
        return [*out, *([lead] if lead else [])]

    def guild_people(self, guild: str) -> list[str]:
        lead = next((g.lead for g in self.program.guilds if g.id == guild), None)
        members = [p.id for p in self.active.values() if guild in p.guilds]
        return [*([lead] if lead else []), *members]

    def chapter_people(self, chapter: str) -> list[str]:
        lead = next((c.lead for c in self.program.chapters if c.id == chapter), None)
        members = [p.id for p in self.active.values() if p.chapter == chapter]
        return [*([lead] if lead else []), *members]

    def resolve(self, ids: Iterable[str | None]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i for i in ids if i is not None and i in self.active))

    # -- generation ----------------------------------------------------------------------
    def run(self) -> CadencePlan:
        declared_ids = {c.id for c in self.program.cadences}
        meetings: list[Meeting] = []
        for spec in self.generated():
            if spec["id"] not in declared_ids:
                meeting = self.build(**spec)
                if meeting is not None:
                    meetings.append(meeting)
        for cadence in self.program.cadences:
            meeting = self.declared(cadence)
            if meeting is not None:
                meetings.append(meeting)
        return self.finish(meetings)

    def generated(self) -> list[dict[str, Any]]:
        program = self.program
        specs: list[dict[str, Any]] = []
        for team in program.teams:
            people = self.resolve([*self.members[team.id], team.lead])
            if people:
                specs.append(
                    dict(
                        id=f"daily-{team.id}",
                        name=f"{team.name} daily",
                        kind="daily",
                        attendees=people,
                        groups=(f"team:{team.id}",),
                        facilitator=team.lead,
                        purpose="daily stand-up: progress, plan, blockers",
                    )
                )
        for tribe in program.tribes:
            leads = [t.lead for t in program.teams if t.tribe == tribe.id]
            people = self.resolve([tribe.lead, *leads])
            if len(people) > 1:
                art = tribe.release_train
                specs.append(
                    dict(
                        id=f"sync-{tribe.id}",
                        name=f"{tribe.name} {'ART sync' if art else 'sync'}",
                        kind="art-sync" if art else "tribe-sync",
                        attendees=people,
                        groups=(f"tribe:{tribe.id}:leads",),
                        facilitator=tribe.lead,
                        purpose="cross-team sync of the tribe's team leads (scrum of scrums)",
                    )
                )
        tribe_leads = [t.lead for t in program.tribes]
        loose = [t.lead for t in program.teams if t.tribe is None]
        people = self.resolve(
            [program.program.decision_maker, program.program.tpm, *tribe_leads, *loose]
        )
        if len(people) > 1:
            specs.append(
                dict(
                    id="program-review",
                    name=f"{program.program.name} program review",
                    kind="program-review",
                    attendees=people,
                    groups=("program:leads",),
                    facilitator=program.program.tpm,
                    purpose="monthly review of OKRs, roadmap, risks and escalations",
                )
            )
        everyone = self.resolve([*self.team_of, *(t.lead for t in program.teams)])
        if everyone and any(i.start >= self.start for i in program.calendar.increments):
            specs.append(
                dict(
                    id="pi-planning",
                    name="PI planning",
                    kind="pi-planning",
                    attendees=everyone,
                    groups=("program:teams",),
                    facilitator=program.program.tpm,
                    purpose="plan the next increment together (SAFe PI planning)",
                )
            )
        for chapter in program.chapters:
            people = self.resolve(self.chapter_people(chapter.id))
            if len(people) > 1:
                specs.append(
                    dict(
                        id=f"chapter-{chapter.id}",
                        name=_suffixed(chapter.name, "chapter"),
                        kind="chapter",
                        attendees=people,
                        groups=(f"chapter:{chapter.id}",),
                        facilitator=chapter.lead,
                        purpose="craft, standards and growth of the chapter",
                    )
                )
        for guild in program.guilds:
            people = self.resolve(self.guild_people(guild.id))
            if len(people) > 1:
                specs.append(
                    dict(
                        id=f"guild-{guild.id}",
                        name=_suffixed(guild.name, "guild"),
                        kind="guild",
                        attendees=people,
                        groups=(f"guild:{guild.id}",),
                        facilitator=guild.lead,
                        purpose=guild.topic or "community of interest",
                    )
                )
        optional = self.resolve(self.active)
        if optional:
            specs.append(
                dict(
                    id="techtalk",
                    name="TechTalk",
                    kind="techtalk",
                    attendees=(),
                    optional=optional,
                    groups=("program:everyone",),
                    facilitator=program.program.tpm,
                    purpose="weekly tech talk; speakers rotate (scaleplan talks)",
                )
            )
        return specs

    def build(
        self,
        *,
        id: str,
        name: str,
        kind: str,
        attendees: tuple[str, ...],
        groups: tuple[str, ...],
        facilitator: str | None,
        purpose: str | None,
        optional: tuple[str, ...] = (),
    ) -> Meeting | None:
        spec = KINDS[kind]
        required = self.resolve([*attendees, facilitator])
        opt = tuple(p for p in optional if p not in set(required))
        return self.schedule(
            id=id,
            name=name,
            kind=kind,
            frequency=spec.frequency,
            minutes=spec.minutes,
            day=spec.day,
            fixed_time=None,
            preferred=spec.preferred,
            tz=None,
            required=required,
            optional=opt,
            groups=groups,
            facilitator=facilitator if facilitator in self.active else None,
            broadcast=spec.broadcast,
            declared=False,
            purpose=purpose,
        )

    def declared(self, cadence: Cadence) -> Meeting | None:
        a = cadence.attendees
        ids: list[str | None] = []
        groups: list[str] = []
        for team in a.teams:
            if team in self.members:
                ids.extend([*self.members[team], self.program.teams_by_id[team].lead])
            groups.append(f"team:{team}")
        for tribe in a.tribes:
            if tribe in self.program.tribes_by_id:
                ids.extend(self.tribe_people(tribe))
            groups.append(f"tribe:{tribe}")
        for guild in a.guilds:
            ids.extend(self.guild_people(guild))
            groups.append(f"guild:{guild}")
        for chapter in a.chapters:
            ids.extend(self.chapter_people(chapter))
            groups.append(f"chapter:{chapter}")
        roles = set(a.roles)
        if roles:
            ids.extend(p.id for p in self.active.values() if p.role in roles)
            groups.extend(f"role:{r}" for r in a.roles)
        ids.extend(a.people)
        groups.extend(f"person:{p}" for p in a.people)
        required = self.resolve([*ids, cadence.facilitator])
        present = set(required)
        staffed = [members for members in self.members.values() if members]
        broadcast = len(staffed) > 2 and all(present.intersection(m) for m in staffed)
        return self.schedule(
            id=cadence.id,
            name=cadence.name,
            kind="declared",
            frequency=cadence.frequency,
            minutes=cadence.duration_minutes,
            day=cadence.day,
            fixed_time=cadence.time,
            preferred=cadence.time or "10:00",
            tz=cadence.timezone,
            required=required,
            optional=(),
            groups=tuple(groups),
            facilitator=cadence.facilitator if cadence.facilitator in self.active else None,
            broadcast=broadcast,
            declared=True,
            purpose=cadence.purpose,
        )

    # -- scheduling ----------------------------------------------------------------------
    def schedule(
        self,
        *,
        id: str,
        name: str,
        kind: str,
        frequency: Frequency,
        minutes: int,
        day: str | None,
        fixed_time: str | None,
        preferred: str,
        tz: str | None,
        required: tuple[str, ...],
        optional: tuple[str, ...],
        groups: tuple[str, ...],
        facilitator: str | None,
        broadcast: bool,
        declared: bool,
        purpose: str | None,
    ) -> Meeting | None:
        people = [self.active[p] for p in required]
        fit_people = people or [self.active[p] for p in optional]
        anchor = tz or most_common((p.timezone for p in fit_people), "UTC")
        anchor = anchor if zone(anchor).key == anchor or anchor == "UTC" else "UTC"
        options, days = self.options(frequency, day)
        if frequency is Frequency.PER_INCREMENT:
            firsts = self.increment_dates(day)
            if not firsts:
                return None
            options = [[firsts[0]]]
        if fixed_time is not None:
            minute = parse_clock(fixed_time)
            slot = self.finder.check(fit_people, anchor, options[0], minutes, minute)
        else:
            slot = self.finder.pick(fit_people, anchor, options, minutes, parse_clock(preferred))
        chosen = days[slot.option]
        hh, mm = divmod(slot.minute, 60)
        clock = dt.time(hh, mm)
        tzinfo = zone(anchor)
        extra: tuple[dt.datetime, ...] = ()
        if frequency is Frequency.PER_INCREMENT:
            firsts = self.increment_dates(day)
            first = dt.datetime.combine(firsts[0], clock, tzinfo=tzinfo)
            extra = tuple(dt.datetime.combine(d, clock, tzinfo=tzinfo) for d in firsts[1:])
        else:
            first = dt.datetime.combine(options[slot.option][0], clock, tzinfo=tzinfo)
        recurrence = self.recurrence(frequency, chosen, first, tzinfo)
        outside = slot.outside if people else ()
        teams = self.teams_of(required)
        return Meeting(
            id=id,
            name=name,
            kind=kind,
            frequency=frequency.value,
            duration_minutes=minutes,
            timezone=anchor,
            day=None if frequency in (Frequency.DAILY, Frequency.PER_INCREMENT) else chosen,
            time=f"{hh:02d}:{mm:02d}",
            start=first,
            extra_starts=extra,
            recurrence=recurrence,
            attendees=required,
            optional=optional,
            groups=groups,
            teams=teams,
            facilitator=facilitator,
            broadcast=broadcast,
            declared=declared,
            outside_hours=outside,
            weekly_hours=minutes / 60 * self.per_week(frequency),
            purpose=purpose,
        )

    def options(
        self, frequency: Frequency, day: str | None
    ) -> tuple[list[list[dt.date]], list[str]]:
        """Candidate occurrence dates of the first week per weekday option, preferred first."""
        if frequency is Frequency.DAILY:
            week = [self.start + dt.timedelta(days=k) for k in range(7)]
            dates = [d for d in week if d.weekday() in self.work_days]
            return [dates or [self.start]], ["daily"]
        order = list(self.work_days) or [0]
        if day is not None:
            wanted = DAY_NAMES.index(day)
            order = [wanted] + [d for d in order if d != wanted]
        options: list[list[dt.date]] = []
        names: list[str] = []
        for weekday in order:
            if frequency is Frequency.MONTHLY:
                first = self.first_monthly(weekday)
            else:
                first = first_weekday_on_or_after(self.start, weekday)
            options.append([first])
            names.append(DAY_NAMES[weekday])
        return options, names

    def first_monthly(self, weekday: int) -> dt.date:
        """First <weekday> of the month, on or after the plan's start."""
        month = self.start.replace(day=1)
        for _ in range(2):
            first = first_weekday_on_or_after(month, weekday)
            if first >= self.start:
                return first
            month = (month + dt.timedelta(days=32)).replace(day=1)
        return first

    def increment_dates(self, day: str | None) -> list[dt.date]:
        out: list[dt.date] = []
        for inc in sorted(self.program.calendar.increments, key=lambda i: i.start):
            if inc.start < self.start:
                continue
            if day is not None:
                out.append(first_weekday_on_or_after(inc.start, DAY_NAMES.index(day)))
            else:
                d = inc.start
                while d.weekday() not in self.work_days:
                    d += dt.timedelta(days=1)
                out.append(d)
        return out

    def recurrence(
        self, frequency: Frequency, day: str, first: dt.datetime, tzinfo: dt.tzinfo
    ) -> Recurrence:
        until = None
        if self.until is not None:
            last = dt.datetime.combine(
                self.until - dt.timedelta(days=1), dt.time(23, 59, 59), tzinfo
            )
            until = last.astimezone(dt.UTC)
        if frequency is Frequency.DAILY:
            return Recurrence("WEEKLY", 1, tuple(RFC_DAYS[d] for d in self.work_days), until)
        if frequency is Frequency.PER_INCREMENT:
            return Recurrence(None)
        rfc = RFC_DAYS[DAY_NAMES.index(day)]
        if frequency is Frequency.MONTHLY:
            return Recurrence("MONTHLY", 1, (f"1{rfc}",), until)
        interval = 2 if frequency is Frequency.BIWEEKLY else 1
        return Recurrence("WEEKLY", interval, (rfc,), until)

    def per_week(self, frequency: Frequency) -> float:
        return {
            Frequency.DAILY: float(len(self.work_days)),
            Frequency.WEEKLY: 1.0,
            Frequency.BIWEEKLY: 0.5,
            Frequency.MONTHLY: 12 / 52,
            Frequency.PER_INCREMENT: 1 / self.increment_weeks,
        }[frequency]

    def teams_of(self, people: Sequence[str]) -> tuple[str, ...]:
        teams: set[str] = set()
        for pid in people:
            if pid in self.team_of:
                teams.add(self.team_of[pid])
            teams.update(self.teams_led.get(pid, ()))
        return tuple(sorted(teams, key=lambda t: self.team_order[t]))

    # -- load ----------------------------------------------------------------------------
    def finish(self, meetings: list[Meeting]) -> CadencePlan:
        limit = self.program.settings.org.meeting_hours_max
        hours: dict[str, float] = {pid: 0.0 for pid in self.active}
        count: dict[str, int] = {pid: 0 for pid in self.active}
        findings: list[Finding] = []
        for meeting in meetings:
            for pid in meeting.attendees:
                hours[pid] += meeting.weekly_hours
                count[pid] += 1
            if meeting.outside_hours:
                shown = ", ".join(meeting.outside_hours[:5])
                more = len(meeting.outside_hours) - 5
                findings.append(
                    finding(
                        "ORG024",
                        "cadence",
                        meeting.id,
                        f"'{meeting.name}' ({meeting.day or meeting.frequency} {meeting.time} "
                        f"{meeting.timezone}) is outside the working hours of "
                        f"{len(meeting.outside_hours)} of {len(meeting.attendees)} attendees: "
                        f"{shown}{f' and {more} more' if more > 0 else ''}",
                        len(meeting.outside_hours),
                        "0 attendees outside their working hours",
                        hint="split the meeting by region, rotate its time, or record it",
                        extra={"outside": list(meeting.outside_hours)},
                    )
                )
        load = [
            PersonLoad(
                pid, self.active[pid].name, hours[pid], count[pid], hours[pid] > limit + 1e-9
            )
            for pid in self.active
        ]
        load.sort(key=lambda p: (-p.hours, p.person))
        for p in load:
            if p.over:
                findings.append(
                    finding(
                        "ORG023",
                        "person",
                        p.person,
                        f"{p.name} has {p.hours:.1f} h of recurring meetings a week "
                        f"({p.meetings} meetings), over the {limit:g} h limit",
                        round(p.hours, 2),
                        f"<= {limit:g} h/week",
                        hint="delegate a sync, merge meetings, or raise settings.org.meeting_hours_max",
                    )
                )
        contacts = {pid: Contact(p.name, p.email) for pid, p in self.active.items()}
        return CadencePlan(
            program=self.program.program.name,
            start=self.start,
            until=self.until,
            meetings=tuple(meetings),
            load=tuple(load),
            limit=limit,
            findings=tuple(findings),
            contacts=contacts,
            team_members=self.members,
        )


def _suffixed(name: str, word: str) -> str:
    return name if name.lower().rstrip().endswith(word) else f"{name} {word}"


def meeting_hours(plan: CadencePlan) -> dict[str, float]:
    """Person id -> meeting hours per week."""
    return {p.person: p.hours for p in plan.load}


__all__ = [
    "KINDS",
    "CadencePlan",
    "Contact",
    "Meeting",
    "PersonLoad",
    "Recurrence",
    "meeting_hours",
    "plan_cadences",
]
