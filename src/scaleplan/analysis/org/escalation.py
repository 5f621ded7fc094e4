"""Escalation paths: who a team or a person escalates to, step by step, up to the program's
decision-maker; and whether every team has a complete path.

Path of a team: team lead -> tribe lead -> program decision-maker (``program.decision_maker``).
A team without a lead escalates to its members' most common manager instead (and the path
records the gap). A person outside any team escalates up their management chain.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from scaleplan.analysis.org._common import (
    Finding,
    active_members,
    finding,
    is_active,
    manager_chain,
    most_common,
    resolve_as_of,
)
from scaleplan.errors import UsageError
from scaleplan.model import Program


@dataclass(frozen=True, slots=True)
class EscalationStep:
    """One step: the person to go to, in which role, for which unit."""

    role: str
    person: str
    name: str
    unit: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, "person": self.person, "name": self.name, "unit": self.unit}


@dataclass(frozen=True, slots=True)
class EscalationPath:
    """The chain a team or a person escalates through, and what is missing from it."""

    subject_kind: str
    subject: str
    steps: tuple[EscalationStep, ...]
    gaps: tuple[str, ...]
    ends_at_decision_maker: bool

    @property
    def complete(self) -> bool:
        return not self.gaps and self.ends_at_decision_maker

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject_kind": self.subject_kind,
            "subject": self.subject,
            "steps": [s.to_dict() for s in self.steps],
            "gaps": list(self.gaps),
            "ends_at_decision_maker": self.ends_at_decision_maker,
            "complete": self.complete,
        }


def escalation_path(
    program: Program,
    *,
    team: str | None = None,
    person: str | None = None,
    as_of: dt.date | None = None,
) -> EscalationPath:
    """The escalation chain of ``team`` or of ``person`` (exactly one of them).

    >>> escalation_path(program, team="checkout")  # doctest: +SKIP
    EscalationPath(subject='checkout', steps=(team lead sam, tribe lead ana, decision-maker cto))
    """
    if (team is None) == (person is None):
        raise UsageError("give exactly one of a team or a person")
    on = resolve_as_of(as_of)
    if team is not None:
        if team not in program.teams_by_id:
            raise UsageError(f"unknown team '{team}'")
        return _team_path(program, team, on, subject=("team", team), skip=None)
    assert person is not None
    if person not in program.people_by_id:
        raise UsageError(f"unknown person '{person}'")
    team_id = program.team_of_person.get(person)
    if team_id is not None:
        return _team_path(program, team_id, on, subject=("person", person), skip=person)
    return _chain_path(program, person, on)


def escalation_paths(
    program: Program, *, as_of: dt.date | None = None
) -> tuple[EscalationPath, ...]:
    """The escalation path of every team, in file order."""
    on = resolve_as_of(as_of)
    return tuple(
        _team_path(program, t.id, on, subject=("team", t.id), skip=None) for t in program.teams
    )


def escalation_findings(paths: tuple[EscalationPath, ...]) -> list[Finding]:
    """ORG021 for each team whose path has a gap or does not end at a named decision-maker."""
    out: list[Finding] = []
    for path in paths:
        if path.complete:
            continue
        problems = list(path.gaps)
        if not path.ends_at_decision_maker and not any("decision-maker" in g for g in problems):
            problems.append("the path does not end at the program's decision-maker")
        last = path.steps[-1].person if path.steps else "nobody"
        out.append(
            finding(
                "ORG021",
                path.subject_kind,
                path.subject,
                f"escalation path of {path.subject_kind} '{path.subject}' is incomplete: "
                + "; ".join(problems),
                len(problems),
                "0 gaps: team lead -> tribe lead -> decision-maker, all named and active",
                hint="set the team's 'lead', its tribe's 'lead' and 'program.decision_maker'",
                extra={"ends_at": last, "gaps": problems},
            )
        )
    return out


def _name(program: Program, pid: str) -> str:
    person = program.people_by_id.get(pid)
    return person.name if person is not None else pid


def _team_path(
    program: Program,
    team_id: str,
    on: dt.date,
    *,
    subject: tuple[str, str],
    skip: str | None,
) -> EscalationPath:
    team = program.teams_by_id[team_id]
    steps: list[EscalationStep] = []
    gaps: list[str] = []

    def add(role: str, pid: str, unit: str | None) -> None:
        if pid == skip or any(s.person == pid for s in steps):
            return
        steps.append(EscalationStep(role, pid, _name(program, pid), unit))

    if team.lead is None:
        gaps.append(f"team '{team.id}' has no lead")
        managers = [p.manager for p in active_members(program, team.id, on) if p.manager]
        fallback = most_common(managers, "")
        if fallback:
            add("members' manager", fallback, team.id)
    else:
        _check_active(program, team.lead, on, f"lead of team '{team.id}'", gaps)
        add("team lead", team.lead, team.id)
    if team.tribe is not None:
        tribe = program.tribes_by_id.get(team.tribe)
        if tribe is None or tribe.lead is None:
            gaps.append(f"tribe '{team.tribe}' has no lead")
        else:
            _check_active(program, tribe.lead, on, f"lead of tribe '{tribe.id}'", gaps)
            add("tribe lead", tribe.lead, tribe.id)
    return _finish(program, steps, gaps, subject, on, add)


def _chain_path(program: Program, person_id: str, on: dt.date) -> EscalationPath:
    steps: list[EscalationStep] = []
    gaps: list[str] = []

    def add(role: str, pid: str, unit: str | None) -> None:
        if pid == person_id or any(s.person == pid for s in steps):
            return
        steps.append(EscalationStep(role, pid, _name(program, pid), unit))

    chain = manager_chain(program, person_id)
    if not chain and person_id != program.program.decision_maker:
        gaps.append(f"person '{person_id}' has no team and no manager")
    for manager in chain:
        _check_active(program, manager, on, f"manager '{manager}'", gaps)
        add("manager", manager, None)
    return _finish(program, steps, gaps, ("person", person_id), on, add)


def _finish(
    program: Program,
    steps: list[EscalationStep],
    gaps: list[str],
    subject: tuple[str, str],
    on: dt.date,
    add: Any,
) -> EscalationPath:
    decider = program.program.decision_maker
    ends = False
    if decider is None or decider not in program.people_by_id:
        gaps.append("the program has no decision-maker (program.decision_maker)")
    else:
        _check_active(program, decider, on, "the decision-maker", gaps)
        add("decision-maker", decider, None)
        at = next((i for i, s in enumerate(steps) if s.person == decider), None)
        if at is not None:
            del steps[at + 1 :]  # the path ends where the decision-maker is reached
        ends = at is not None or subject == ("person", decider)
    return EscalationPath(subject[0], subject[1], tuple(steps), tuple(gaps), ends)


def _check_active(program: Program, pid: str, on: dt.date, what: str, gaps: list[str]) -> None:
    person = program.people_by_id.get(pid)
    if person is None:
        gaps.append(f"{what} '{pid}' is not a known person")
    elif not is_active(person, on):
        when = person.end_date if person.end_date and person.end_date < on else person.start_date
        gaps.append(f"{what} '{pid}' is not active on {on} (dates: {when})")
