"""Onboarding checks: mentors with too many new hires (ORG019), teams with too many new
hires (ORG020), declared mentors that do not exist (ORG026)."""

from __future__ import annotations

import datetime as dt

from scaleplan.analysis.org._common import (
    Finding,
    finding,
    is_active,
    is_new_hire,
)
from scaleplan.analysis.org.figures import TeamFigures
from scaleplan.model import Program
from scaleplan.model.settings import OrgThresholds


def onboarding_findings(
    program: Program, on: dt.date, t: OrgThresholds, figures: dict[str, TeamFigures]
) -> list[Finding]:
    out: list[Finding] = []
    people = program.people_by_id
    mentees: dict[str, list[str]] = {}
    for person in program.people:
        if person.mentor is None or not is_active(person, on):
            continue
        mentor = people.get(person.mentor)
        if mentor is None or person.mentor == person.id or not is_active(mentor, on):
            state = (
                "not a known person"
                if mentor is None
                else (
                    "the person themselves" if person.mentor == person.id else f"not active on {on}"
                )
            )
            out.append(
                finding(
                    "ORG026",
                    "person",
                    person.id,
                    f"{person.name}'s declared mentor '{person.mentor}' is {state}",
                    person.mentor,
                    "a known, active person other than the mentee",
                    hint="fix 'mentor:' or remove it (scaleplan mentors proposes one)",
                )
            )
            continue
        if is_new_hire(person, on, t.new_hire_weeks):
            mentees.setdefault(person.mentor, []).append(person.id)
    for mentor_id, new in mentees.items():
        if len(new) > t.mentor_max_new_hires:
            out.append(
                finding(
                    "ORG019",
                    "person",
                    mentor_id,
                    f"{people[mentor_id].name} mentors {len(new)} new hires at once, more than "
                    f"{t.mentor_max_new_hires}: {', '.join(new)}",
                    len(new),
                    f"<= {t.mentor_max_new_hires} concurrent new hires",
                    hint="spread new hires over more mentors (scaleplan mentors)",
                    extra={"mentees": new},
                )
            )
    for f in figures.values():
        if f.size and f.new_hires / f.size > t.new_hire_max_share:
            out.append(
                finding(
                    "ORG020",
                    "team",
                    f.id,
                    f"team '{f.id}' has {f.new_hires} new hires among {f.size} people "
                    f"({f.new_hires / f.size:.0%}), more than {t.new_hire_max_share:.0%}",
                    round(f.new_hires / f.size, 4),
                    f"<= {t.new_hire_max_share:.0%} new hires (started within {t.new_hire_weeks} weeks)",
                    hint="stagger start dates or place new hires across more teams",
                )
            )
    return out
