"""Structural org checks: team size and communication paths (ORG001-ORG003), spans of
control (ORG004-ORG005), tribes, trains and Dunbar's number (ORG006-ORG009), squads and
chapters (ORG010-ORG011), team types and interactions (ORG012-ORG014), service ownership and
cognitive load (ORG015-ORG016)."""

from __future__ import annotations

import datetime as dt

from scaleplan.analysis.org._common import (
    Finding,
    direct_reports,
    finding,
    is_active,
    team_memberships,
)
from scaleplan.analysis.org.figures import TeamFigures, paths
from scaleplan.model import InteractionMode, Lifecycle, Program, TeamType
from scaleplan.model.settings import OrgThresholds


def team_size_findings(figures: dict[str, TeamFigures], t: OrgThresholds) -> list[Finding]:
    out: list[Finding] = []
    max_paths = t.communication_paths_max
    if max_paths is None:
        max_paths = paths(t.team_size_max)
    for f in figures.values():
        if f.size > t.team_size_error:
            out.append(
                finding(
                    "ORG002",
                    "team",
                    f.id,
                    f"team '{f.id}' has {f.size} people, more than {t.team_size_error}",
                    f.size,
                    f"<= {t.team_size_error} people",
                    hint="split the team along a stream of work or a service boundary",
                )
            )
        elif not t.team_size_min <= f.size <= t.team_size_max and f.size > 0:
            out.append(
                finding(
                    "ORG001",
                    "team",
                    f.id,
                    f"team '{f.id}' has {f.size} people, outside {t.team_size_min}-{t.team_size_max}",
                    f.size,
                    f"{t.team_size_min}-{t.team_size_max} people",
                    hint="merge small teams or grow them; split large ones",
                )
            )
        if f.communication_paths > max_paths:
            out.append(
                finding(
                    "ORG003",
                    "team",
                    f.id,
                    f"team '{f.id}' has {f.communication_paths} communication paths "
                    f"({f.size} people: n(n-1)/2), more than {max_paths}",
                    f.communication_paths,
                    f"<= {max_paths} paths",
                    hint="smaller teams talk more easily; split the team",
                )
            )
    return out


def span_findings(program: Program, on: dt.date, t: OrgThresholds) -> list[Finding]:
    reports = direct_reports(program, on)
    out: list[Finding] = []
    for manager, direct in reports.items():
        person = program.people_by_id.get(manager)
        if person is None or not is_active(person, on):
            continue
        n = len(direct)
        if any(d in reports for d in direct):
            if not t.span_of_managers_min <= n <= t.span_of_managers_max:
                out.append(
                    finding(
                        "ORG005",
                        "person",
                        manager,
                        f"{person.name} manages {n} people including managers, outside "
                        f"{t.span_of_managers_min}-{t.span_of_managers_max}",
                        n,
                        f"{t.span_of_managers_min}-{t.span_of_managers_max} direct reports",
                        hint="add or remove a layer, or rebalance reports between managers",
                        extra={"reports": direct},
                    )
                )
        elif not t.span_min <= n <= t.span_max:
            out.append(
                finding(
                    "ORG004",
                    "person",
                    manager,
                    f"{person.name} manages {n} people, outside {t.span_min}-{t.span_max}",
                    n,
                    f"{t.span_min}-{t.span_max} direct reports",
                    hint="under 4: a tech-lead manager role; over 8: hire or promote a manager",
                    extra={"reports": direct},
                )
            )
    return out


def unit_findings(
    program: Program, on: dt.date, t: OrgThresholds, figures: dict[str, TeamFigures]
) -> list[Finding]:
    out: list[Finding] = []
    for tribe in program.tribes:
        teams = [f for f in figures.values() if f.tribe == tribe.id]
        people = sum(f.size for f in teams)
        if people > t.unit_max:
            out.append(_dunbar("tribe", tribe.id, people, t))
        elif people > t.tribe_max:
            out.append(
                finding(
                    "ORG006",
                    "tribe",
                    tribe.id,
                    f"tribe '{tribe.id}' has {people} people, more than {t.tribe_max}",
                    people,
                    f"<= {t.tribe_max} people",
                    hint="split the tribe along business areas",
                )
            )
        if tribe.release_train:
            if not t.art_people_min <= people <= t.art_people_max:
                out.append(
                    finding(
                        "ORG007",
                        "tribe",
                        tribe.id,
                        f"release train '{tribe.id}' has {people} people, outside "
                        f"{t.art_people_min}-{t.art_people_max}",
                        people,
                        f"{t.art_people_min}-{t.art_people_max} people",
                        hint="merge small trains, split large ones along value streams",
                    )
                )
            if not t.art_teams_min <= len(teams) <= t.art_teams_max:
                out.append(
                    finding(
                        "ORG008",
                        "tribe",
                        tribe.id,
                        f"release train '{tribe.id}' has {len(teams)} teams, outside "
                        f"{t.art_teams_min}-{t.art_teams_max}",
                        len(teams),
                        f"{t.art_teams_min}-{t.art_teams_max} teams",
                        hint="an ART of 5-12 teams plans and syncs well together",
                    )
                )
    for f in figures.values():
        if f.size > t.unit_max:
            out.append(_dunbar("team", f.id, f.size, t))
    for chapter in program.chapters:
        n = sum(1 for p in program.people if p.chapter == chapter.id and is_active(p, on))
        if n > t.unit_max:
            out.append(_dunbar("chapter", chapter.id, n, t))
    for centre in program.centres:
        ids = {*centre.members, *([centre.lead] if centre.lead else [])}
        n = sum(
            1
            for pid in ids
            if pid in program.people_by_id and is_active(program.people_by_id[pid], on)
        )
        if n > t.unit_max:
            out.append(_dunbar("centre", centre.id, n, t))
    return out


def _dunbar(kind: str, unit: str, n: int, t: OrgThresholds) -> Finding:
    return finding(
        "ORG009",
        kind,
        unit,
        f"{kind} '{unit}' has {n} people, more than {t.unit_max} (Dunbar's number)",
        n,
        f"<= {t.unit_max} people",
        hint="past ~150 people know each other too little to coordinate informally; split it",
    )


def membership_findings(program: Program, on: dt.date) -> list[Finding]:
    out: list[Finding] = []
    for pid, teams in team_memberships(program).items():
        person = program.people_by_id.get(pid)
        if person is None or not is_active(person, on) or len(teams) < 2:
            continue
        out.append(
            finding(
                "ORG010",
                "person",
                pid,
                f"{person.name} is in {len(teams)} squads: {', '.join(teams)}",
                len(teams),
                "1 squad per person",
                hint="keep one squad; join the other as a guild or chapter member",
                extra={"teams": teams},
            )
        )
    tribe_of = {t.id: t.tribe for t in program.teams}
    for chapter in program.chapters:
        people = [p for p in program.people if p.chapter == chapter.id and is_active(p, on)]
        if chapter.lead and chapter.lead in program.people_by_id:
            people.append(program.people_by_id[chapter.lead])
        tribes: dict[str, list[str]] = {}
        for p in people:
            team = program.team_of_person.get(p.id)
            tribe = tribe_of.get(team) if team else None
            if tribe is not None:
                tribes.setdefault(tribe, [])
                if p.id not in tribes[tribe]:
                    tribes[tribe].append(p.id)
        if len(tribes) > 1:
            out.append(
                finding(
                    "ORG011",
                    "chapter",
                    chapter.id,
                    f"chapter '{chapter.id}' spans {len(tribes)} tribes: {', '.join(tribes)}",
                    len(tribes),
                    "1 tribe per chapter",
                    hint="split the chapter per tribe; a guild spans tribes",
                    extra={"tribes": tribes},
                )
            )
    return out


def topology_findings(
    program: Program, on: dt.date, t: OrgThresholds, figures: dict[str, TeamFigures]
) -> list[Finding]:
    out: list[Finding] = []
    teams = program.teams
    if teams:
        stream = sum(1 for team in teams if team.type is TeamType.STREAM_ALIGNED)
        share = stream / len(teams)
        if share < t.stream_aligned_min_share:
            out.append(
                finding(
                    "ORG012",
                    "program",
                    program.program.name,
                    f"{stream} of {len(teams)} teams are stream-aligned ({share:.0%}), under "
                    f"{t.stream_aligned_min_share:.0%}",
                    round(share, 4),
                    f">= {t.stream_aligned_min_share:.0%} stream-aligned",
                    hint="most teams should deliver to users; platform and enabling teams serve them",
                )
            )
    owner = {s.id: s.owner for s in program.services}
    consumers: dict[str, set[str]] = {team.id: set() for team in teams}
    for team in teams:
        for inter in team.interactions:
            if inter.mode is InteractionMode.X_AS_A_SERVICE and inter.team != team.id:
                if inter.team in consumers:
                    consumers[inter.team].add(team.id)
                consumers[team.id].add(inter.team)
    for service in program.services:
        if service.lifecycle is Lifecycle.RETIRED:
            continue
        for dep in service.depends_on:
            provider = owner.get(dep)
            if provider in consumers and service.owner and service.owner != provider:
                consumers[provider].add(service.owner)
        for api in service.apis:
            for consumer in api.consumers:
                user = owner.get(consumer, consumer)
                if service.owner in consumers and user and user != service.owner:
                    consumers[service.owner].add(user)
    for team in teams:
        if team.type is TeamType.PLATFORM and not consumers[team.id]:
            out.append(
                finding(
                    "ORG013",
                    "team",
                    team.id,
                    f"platform team '{team.id}' has no consumer: no x-as-a-service interaction "
                    "and no other team's service depends on its services",
                    0,
                    ">= 1 consuming team",
                    hint="declare x-as-a-service interactions with the teams it serves, "
                    "or reconsider the team's purpose",
                )
            )
    for team in teams:
        for inter in team.interactions:
            if inter.mode is not InteractionMode.COLLABORATION or inter.since is None:
                continue
            if inter.until is not None and inter.until < on:
                continue  # the collaboration has ended
            # a time-boxed collaboration is judged by its planned length, an open one by its age
            weeks = ((inter.until or on) - inter.since).days / 7
            if weeks > t.collaboration_max_weeks:
                out.append(
                    finding(
                        "ORG014",
                        "team",
                        team.id,
                        f"team '{team.id}' has collaborated with '{inter.team}' since "
                        f"{inter.since} ({weeks:.0f} weeks), longer than {t.collaboration_max_weeks}",
                        round(weeks, 1),
                        f"<= {t.collaboration_max_weeks} weeks",
                        hint="collaboration is for discovery; move to x-as-a-service or facilitating",
                        extra={"with": inter.team, "since": inter.since.isoformat()},
                    )
                )
    return out


def service_findings(program: Program, figures: dict[str, TeamFigures]) -> list[Finding]:
    out: list[Finding] = []
    for service in program.services:
        if service.lifecycle is Lifecycle.RETIRED:
            continue
        if service.owner is None or service.owner not in program.teams_by_id:
            out.append(
                finding(
                    "ORG015",
                    "service",
                    service.id,
                    f"service '{service.id}' has no owner team",
                    None,
                    "every live service owned by one team",
                    hint="set 'owner:'; scaleplan congruence --suggest proposes one",
                )
            )
    for f in figures.values():
        if f.services > f.service_limit:
            out.append(
                finding(
                    "ORG016",
                    "team",
                    f.id,
                    f"team '{f.id}' owns {f.services} services, more than its cognitive-load "
                    f"limit of {f.service_limit}",
                    f.services,
                    f"<= {f.service_limit} services",
                    hint="hand services to a team with room (scaleplan congruence --suggest) "
                    "or raise the team's max_services",
                )
            )
    return out
