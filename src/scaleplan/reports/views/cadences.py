"""The cadences section: the sync meetings the org plan schedules, with attendees and hours."""

from __future__ import annotations

from dataclasses import dataclass

from scaleplan.reports.registry import ReportContext, View, section


@dataclass(frozen=True)
class CadenceRow(View):
    id: str
    name: str
    frequency: str
    when: str
    duration_minutes: int
    attendees: str
    people: int
    #: Person-hours per week the meeting costs.
    person_hours_per_week: float
    facilitator: str | None
    purpose: str | None


@dataclass(frozen=True)
class CadencesView(View):
    rows: tuple[CadenceRow, ...]
    total_person_hours_per_week: float


@section("cadences", "Cadences", page="teams", order=95)
def cadences(ctx: ReportContext) -> CadencesView:
    """Declared sync meetings, who attends, and what they cost per week: the declared meetings
    of the org cadence plan (:func:`scaleplan.analysis.org.plan_cadences`), so the report and
    ``scaleplan org cadences`` count the same people (members and leads active on the report
    date) and the same hours."""
    from scaleplan.analysis.org import plan_cadences

    program = ctx.program
    plan = ctx.memo("cadences", lambda: plan_cadences(program, as_of=ctx.as_of))
    meetings = {m.id: m for m in plan.meetings if m.declared}
    rows = []
    total = 0.0
    for c in program.cadences:
        meeting = meetings.get(c.id)
        if meeting is None:  # nobody it names is active on the report date
            continue
        a = c.attendees
        parts = [
            label + ": " + ", ".join(values)
            for label, values in (
                ("teams", a.teams),
                ("tribes", a.tribes),
                ("guilds", a.guilds),
                ("chapters", a.chapters),
                ("roles", a.roles),
                ("people", a.people),
            )
            if values
        ]
        when = " ".join(x for x in (meeting.day, meeting.time, meeting.timezone) if x)
        hours = len(meeting.attendees) * meeting.weekly_hours
        total += hours
        rows.append(
            CadenceRow(
                id=c.id,
                name=c.name,
                frequency=c.frequency.value,
                when=when or "-",
                duration_minutes=c.duration_minutes,
                attendees="; ".join(parts) or "-",
                people=len(meeting.attendees),
                person_hours_per_week=round(hours, 1),
                facilitator=meeting.facilitator,
                purpose=c.purpose,
            )
        )
    return CadencesView(
        rows=tuple(rows[: ctx.limit]),
        total_person_hours_per_week=round(total, 1),
    )


__all__ = ["CadenceRow", "CadencesView", "cadences"]
