"""Cross-reference and semantic checks over validated elements (stage 2 of loading).

Each check reads ``ctx.elements`` (entries whose ``model`` is set passed their own
validation) and reports through ``ctx.report`` with the element and the path inside it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from scaleplan.loading.context import Element, LoadContext
from scaleplan.loading.diagnostics import did_you_mean, extra_check_modules
from scaleplan.model import Calendar, Settings, Status
from scaleplan.model.graphs import find_cycles


def run_checks(ctx: LoadContext, singles: dict[str, Any]) -> None:
    calendar: Calendar = singles["calendar"]
    settings: Settings = singles.get("settings") or Settings()
    ctx.known_ids["increments"] = {i.id for i in calendar.increments}
    _duplicate_ids(ctx)
    _references(ctx)
    _program_refs(ctx, singles)
    _cycles(ctx)
    _teams_and_people(ctx, settings)
    _periods(ctx, calendar)
    _scoring(ctx, settings)
    _timezones(ctx)
    for module in extra_check_modules():
        runner = getattr(module, "run", None)
        if runner is not None:
            runner(ctx, singles)


def valid(ctx: LoadContext, section: str) -> Iterator[tuple[Element, Any]]:
    for element in ctx.elements.get(section, []):
        if element.model is not None:
            yield element, element.model


def _duplicate_ids(ctx: LoadContext) -> None:
    for elements in ctx.elements.values():
        first: dict[str, Element] = {}
        for element in elements:
            rid = element.raw_id
            if rid is None:
                continue
            if rid in first:
                where = first[rid]
                ctx.report(
                    "E105",
                    f"id '{rid}' is already used by another entry "
                    f"({where.source.rel}:{_line(where)})",
                    element,
                    ("id",),
                    hint="ids must be unique within a kind; rename one of them",
                )
            else:
                first[rid] = element
    seen: dict[str, Element] = {}
    for element, objective in valid(ctx, "objectives"):
        for k, kr in enumerate(objective.key_results):
            if kr.id in seen:
                ctx.report(
                    "E105",
                    f"key result id '{kr.id}' is already used (objective '{seen[kr.id].raw_id}')",
                    element,
                    ("key_results", k, "id"),
                    id=kr.id,
                    hint="key result ids must be unique across all objectives",
                )
            else:
                seen[kr.id] = element


def _line(element: Element) -> int | str:
    parsed = element.source.parsed
    loc = parsed.locate(element.base) if parsed else None
    return loc[0] if loc else "?"


RefCheck = tuple[str, str, str | None]  # kind, noun, alternative kind


def _refs(
    ctx: LoadContext, element: Element, rel: tuple[Any, ...], value: Any, spec: RefCheck
) -> None:
    kind, noun, also = spec
    if value is None:
        return
    if isinstance(value, tuple):
        for i, v in enumerate(value):
            ctx.check_ref(element, (*rel, i), v, kind, noun, also=also)
    else:
        ctx.check_ref(element, rel, value, kind, noun, also=also)


PERSON: RefCheck = ("people", "person", None)
TEAM: RefCheck = ("teams", "team", None)

_FIELD_REFS: dict[str, dict[str, RefCheck]] = {
    "tribes": {"lead": PERSON},
    "teams": {"tribe": ("tribes", "tribe", None), "lead": PERSON, "members": PERSON},
    "people": {
        "manager": PERSON,
        "mentor": PERSON,
        "team": TEAM,
        "chapter": ("chapters", "chapter", None),
        "guilds": ("guilds", "guild", None),
    },
    "chapters": {"lead": PERSON},
    "guilds": {"lead": PERSON},
    "centres": {"lead": PERSON, "members": PERSON},
    "services": {"owner": TEAM, "depends_on": ("services", "service", None)},
    "objectives": {"owner": PERSON, "increment": ("increments", "increment", None)},
    "initiatives": {
        "owner": TEAM,
        "key_results": ("key_results", "key result", None),
        "depends_on": ("initiatives", "initiative", None),
    },
    "work_items": {"initiative": ("initiatives", "initiative", None), "team": TEAM},
    "risks": {"owner": PERSON, "items": ("work_items", "work item or initiative", "initiatives")},
    "cadences": {"facilitator": PERSON},
    "capacity_exceptions": {"person": PERSON, "team": TEAM},
    "events": {"service": ("services", "service", None)},
}


def _references(ctx: LoadContext) -> None:
    for section, fields in _FIELD_REFS.items():
        for element, model in valid(ctx, section):
            for name, spec in fields.items():
                _refs(ctx, element, (name,), getattr(model, name), spec)
    for element, team in valid(ctx, "teams"):
        for i, interaction in enumerate(team.interactions):
            _refs(ctx, element, ("interactions", i, "team"), interaction.team, TEAM)
    for element, service in valid(ctx, "services"):
        for i, api in enumerate(service.apis):
            _refs(
                ctx,
                element,
                ("apis", i, "consumers"),
                api.consumers,
                ("teams", "team or service", "services"),
            )
    for element, objective in valid(ctx, "objectives"):
        for k, kr in enumerate(objective.key_results):
            _refs(ctx, element, ("key_results", k, "owner"), kr.owner, PERSON)
    for element, item in valid(ctx, "work_items"):
        for i, dep in enumerate(item.depends_on):
            ctx.check_ref(element, ("depends_on", i), dep.item, "work_items", "work item")
            if dep.item == item.id:
                ctx.report(
                    "E200",
                    f"work item '{item.id}' depends on itself",
                    element,
                    ("depends_on", i),
                    hint="remove the dependency",
                )
    attendee_kinds: dict[str, RefCheck] = {
        "teams": TEAM,
        "tribes": ("tribes", "tribe", None),
        "guilds": ("guilds", "guild", None),
        "chapters": ("chapters", "chapter", None),
        "people": PERSON,
    }
    for element, cadence in valid(ctx, "cadences"):
        for name, spec in attendee_kinds.items():
            _refs(ctx, element, ("attendees", name), getattr(cadence.attendees, name), spec)
    for element, exc in valid(ctx, "capacity_exceptions"):
        if (exc.person is None) == (exc.team is None):
            ctx.report(
                "E103",
                "a capacity exception names exactly one of 'person' or 'team'",
                element,
                hint="add 'person: <id>' or 'team: <id>'",
            )


def _program_refs(ctx: LoadContext, singles: dict[str, Any]) -> None:
    meta = singles.get("program")
    if meta is None:
        return
    element = ctx.single_elements.get("program")
    if element is None:
        return
    for name in ("decision_maker", "tpm"):
        ctx.check_ref(element, (name,), getattr(meta, name), "people", "person")


def _cycles(ctx: LoadContext) -> None:
    graphs: list[tuple[str, str, str, Callable[[Any], tuple[str, ...]], str]] = [
        ("work_items", "E200", "work item", lambda m: m.depends_on_ids, "depends_on"),
        ("initiatives", "E201", "initiative", lambda m: m.depends_on, "depends_on"),
        ("people", "E202", "manager", lambda m: (m.manager,) if m.manager else (), "manager"),
        ("services", "W210", "service", lambda m: m.depends_on, "depends_on"),
    ]
    for section, code, noun, succ, field in graphs:
        by_id = {model.id: element for element, model in valid(ctx, section)}
        models = {model.id: model for _, model in valid(ctx, section)}
        edges = {
            i: [s for s in succ(m) if s in models and (s != i or section != "work_items")]
            for i, m in models.items()
        }
        for cycle in find_cycles(edges):
            shown = " -> ".join([*cycle, cycle[0]])
            what = "management chain" if code == "E202" else f"{noun} dependencies"
            ctx.report(
                code,
                f"{what} {'forms' if code == 'E202' else 'form'} a cycle: {shown}",
                by_id[cycle[0]],
                (field,),
                id=cycle[0],
                hint=(
                    "a cycle can never be scheduled; remove one of these dependencies"
                    if code in ("E200", "E201")
                    else "break the cycle"
                ),
                extra={"cycle": cycle},
            )


def _teams_and_people(ctx: LoadContext, settings: Settings) -> None:
    people = {p.id: (e, p) for e, p in valid(ctx, "people")}
    membership: dict[str, list[tuple[str, Element, tuple[Any, ...]]]] = {}
    for element, person in people.values():
        if person.team is not None:
            membership.setdefault(person.id, []).append((person.team, element, ("team",)))
    for element, team in valid(ctx, "teams"):
        for i, pid in enumerate(team.members):
            entries = membership.setdefault(pid, [])
            if not any(t == team.id for t, _, _ in entries):
                entries.append((team.id, element, ("members", i)))
    team_sizes: dict[str, int] = {}
    for pid, entries in membership.items():
        teams = [t for t, _, _ in entries]
        for t in teams:
            team_sizes[t] = team_sizes.get(t, 0) + 1
        if len(set(teams)) > 1:
            _, element, rel = entries[-1]
            ctx.report(
                "E302",
                f"person '{pid}' is in more than one team: {', '.join(dict.fromkeys(teams))}",
                element,
                rel,
                id=pid,
                hint="a person belongs to one squad; use a guild or chapter for the other",
            )
    for element, team in valid(ctx, "teams"):
        if team.capacity is not None and team.capacity <= 0:
            ctx.report(
                "E300",
                f"team '{team.id}' has capacity {team.capacity:g} person-weeks per week",
                element,
                ("capacity",),
                hint="capacity must be above 0; leave it out to derive it from members",
            )
        focus = team.focus_factor if team.focus_factor is not None else settings.focus_factor
        if team.capacity is None and focus <= 0:
            ctx.report(
                "E300",
                f"team '{team.id}' has a focus factor of 0, so no capacity",
                element,
                ("focus_factor",) if team.focus_factor is not None else (),
                hint="set a focus factor above 0 (0.7-0.8 is usual)",
            )
        if team_sizes.get(team.id, 0) == 0 and team.capacity is None:
            ctx.report(
                "E303",
                f"team '{team.id}' has no members",
                element,
                hint="give people 'team: " + team.id + "', list 'members:', or set 'capacity:'",
            )
    for element, person in people.values():
        if person.start_date and person.end_date and person.end_date < person.start_date:
            ctx.report(
                "E304",
                f"end_date {person.end_date} is before start_date {person.start_date}",
                element,
                ("end_date",),
                hint="swap the dates or remove end_date",
            )
    for element, team in valid(ctx, "teams"):
        for i, inter in enumerate(team.interactions):
            if inter.since and inter.until and inter.until < inter.since:
                ctx.report(
                    "E304",
                    f"interaction with '{inter.team}' ends ({inter.until}) before it starts "
                    f"({inter.since})",
                    element,
                    ("interactions", i, "until"),
                )
    for element, exc in valid(ctx, "capacity_exceptions"):
        if exc.end < exc.start:
            ctx.report(
                "E304",
                f"capacity exception ends ({exc.end}) before it starts ({exc.start})",
                element,
                ("end",),
            )


def _periods(ctx: LoadContext, calendar: Calendar) -> None:
    first, last = calendar.start, calendar.end

    def outside(element: Element, rel: tuple[Any, ...], when: dt.date | None) -> None:
        if when is None:
            return
        if when < first or (last is not None and when > last):
            span = f"{first} .. {last}" if last else f"from {first}"
            ctx.report(
                "W400",
                f"date {when} is outside the program calendar ({span})",
                element,
                rel,
                hint="extend the calendar's increments or fix the date",
            )

    for element, item in valid(ctx, "work_items"):
        if item.deadline and item.earliest_start and item.deadline < item.earliest_start:
            ctx.report(
                "E301",
                f"deadline {item.deadline} is before earliest_start {item.earliest_start}",
                element,
                ("deadline",),
                hint="move the deadline after the earliest start, or drop earliest_start",
            )
        outside(element, ("earliest_start",), item.earliest_start)
        outside(element, ("deadline",), item.deadline)
        if item.status is Status.IN_PROGRESS and item.started is None:
            ctx.report(
                "W401",
                "in-progress item has no 'started' date; planning assumes it started at the "
                "calendar start",
                element,
                ("status",),
                hint="add 'started: YYYY-MM-DD'",
            )
    for element, initiative in valid(ctx, "initiatives"):
        outside(element, ("deadline",), initiative.deadline)
    for element, objective in valid(ctx, "objectives"):
        for k, kr in enumerate(objective.key_results):
            if kr.target == kr.baseline:
                ctx.report(
                    "E305",
                    f"key result '{kr.id}' has target equal to baseline ({kr.target:g}), so "
                    "progress cannot be graded",
                    element,
                    ("key_results", k, "target"),
                    id=kr.id,
                    hint="set a target different from the baseline",
                )
    increments = sorted(calendar.increments, key=lambda i: i.start)
    cal = ctx.single_elements.get("calendar")
    for a, b in itertools.pairwise(increments):
        if b.start < a.end and cal is not None:
            index = calendar.increments.index(b)
            ctx.report(
                "W402",
                f"increment '{b.id}' starts ({b.start}) before '{a.id}' ends ({a.end})",
                cal,
                ("increments", index, "start"),
                id=b.id,
            )


def _scoring(ctx: LoadContext, settings: Settings) -> None:
    builtin = {"ice", "rice", "wsjf"}
    custom = {m.id: m for m in settings.scoring.custom_models}
    method = settings.scoring.method
    element = ctx.single_elements.get("settings")
    if method not in builtin and method not in custom and element is not None:
        ctx.report(
            "E104",
            f"unknown scoring method '{method}'",
            element,
            ("scoring", "method"),
            id=method,
            hint=did_you_mean(method, builtin | set(custom))
            or "use ice, rice, wsjf or the id of a custom model",
        )
    for model in custom.values():
        for element, initiative in valid(ctx, "initiatives"):
            if not initiative.scores:
                continue
            missing = [k for k in model.weights if k not in initiative.scores]
            if missing:
                ctx.report(
                    "E306",
                    f"scores lack input(s) {', '.join(missing)} of custom model '{model.id}'",
                    element,
                    ("scores",),
                    hint=f"add {missing[0]}: <number> under scores",
                )


_ZONES: set[str] | None = None


def _timezones(ctx: LoadContext) -> None:
    global _ZONES
    if _ZONES is None:
        _ZONES = available_timezones() | {"UTC"}
    checked: dict[str, bool] = {}
    for section, field in (("people", "timezone"), ("cadences", "timezone")):
        for element, model in valid(ctx, section):
            zone = getattr(model, field)
            if zone not in checked:
                ok = zone in _ZONES
                if not ok:
                    try:
                        ZoneInfo(zone)
                        ok = True
                    except (ZoneInfoNotFoundError, ValueError):
                        ok = False
                checked[zone] = ok
            if not checked[zone]:
                ctx.report(
                    "W403",
                    f"unknown time zone '{zone}'",
                    element,
                    (field,),
                    hint=did_you_mean(zone, _ZONES) or "use an IANA name such as Europe/Berlin",
                )
