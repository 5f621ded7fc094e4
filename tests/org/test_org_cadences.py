"""Meeting plan from the structure: attendees, time-zone-aware slots, meeting load, and the
RFC 5545 export checked with icalendar and with an independent minimal parser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF, load, person
from dateutil.rrule import rrulestr
from icalendar import Calendar

from scaleplan.analysis.org import plan_cadences
from scaleplan.errors import UsageError
from scaleplan.model import Program
from scaleplan.reports.ics import cadence_calendar, cadence_calendar_files, talks_calendar
from scaleplan.storage.files import write_files

# -- a minimal RFC 5545 reader, independent of icalendar ------------------------------------


def unfold(data: bytes) -> list[str]:
    """Content lines: CRLF-separated, a line starting with space or tab continues the last."""
    text = data.decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    lines: list[str] = []
    for raw in text.split("\r\n"):
        assert len(raw.encode("utf-8")) <= 75, f"line longer than 75 octets: {raw!r}"
        if raw[:1] in (" ", "\t"):
            lines[-1] += raw[1:]
        elif raw:
            lines.append(raw)
    return lines


def split_line(line: str) -> tuple[str, dict[str, str], str]:
    """``NAME;P=V;Q="x:y":value`` -> (NAME, {P: V, Q: x:y}, value)."""
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            head, value = line[:i], line[i + 1 :]
            break
    else:
        raise AssertionError(f"no value in {line!r}")
    name, *params = head.split(";")
    parsed = {}
    for p in params:
        key, _, val = p.partition("=")
        parsed[key.upper()] = val.strip('"')
    return name.upper(), parsed, value


def components(data: bytes) -> dict[str, Any]:
    """Nested components: {"name", "props": [(name, params, value)], "children": [...]}."""
    root: dict[str, Any] = {"name": "ROOT", "props": [], "children": []}
    stack = [root]
    for line in unfold(data):
        name, params, value = split_line(line)
        if name == "BEGIN":
            child = {"name": value.upper(), "props": [], "children": []}
            stack[-1]["children"].append(child)
            stack.append(child)
        elif name == "END":
            assert stack[-1]["name"] == value.upper(), f"END:{value} closes {stack[-1]['name']}"
            stack.pop()
        else:
            stack[-1]["props"].append((name, params, value))
    assert len(stack) == 1, "unclosed component"
    [cal] = root["children"]
    return cal


def prop(component: dict[str, Any], name: str) -> tuple[dict[str, str], str]:
    found = [(p, v) for n, p, v in component["props"] if n == name]
    assert len(found) == 1, f"{name}: {len(found)} values"
    return found[0]


def rule_parts(rule: str) -> dict[str, str]:
    """RRULE parts are unordered: ``FREQ=WEEKLY;BYDAY=TU`` -> {"FREQ": "WEEKLY", ...}."""
    return dict(part.split("=", 1) for part in rule.split(";"))


def unescape(value: str) -> str:
    return value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


# -- programs ------------------------------------------------------------------------------


def zones_doc(zones: list[str], hours: str = "09:00-17:00") -> dict[str, Any]:
    people = [
        {
            "id": f"p{k}",
            "name": f"P{k}",
            "team": "t",
            "timezone": z,
            "working_hours": hours,
            "email": f"p{k}@example.com",
            "start_date": "2026-01-05",
        }
        for k, z in enumerate(zones)
    ]
    return {
        "program": {"name": "Zones"},
        "calendar": {
            "start": "2027-01-04",
            "increments": [{"id": "PI-1", "start": "2027-03-01", "end": "2027-05-31"}],
        },
        "teams": [{"id": "t", "name": "T", "lead": "p0"}],
        "people": people,
    }


def meeting(program: Program, mid: str, as_of: dt.date = AS_OF) -> Any:
    plan = plan_cadences(program, as_of=as_of)
    return next(m for m in plan.meetings if m.id == mid)


# -- structure -------------------------------------------------------------------------------


def test_meetings_follow_the_structure(mini: Program) -> None:
    plan = plan_cadences(mini, as_of=AS_OF)
    by_id = {m.id: m for m in plan.meetings}
    assert list(by_id) == [
        "daily-checkout",
        "daily-catalog",
        "daily-payments",
        "daily-infra",
        "sync-shopping",
        "sync-core",
        "program-review",
        "pi-planning",
        "chapter-backend",
        "guild-security",
        "techtalk",
    ]
    assert by_id["daily-checkout"].attendees == ("ck1", "ck2", "ck3", "ck4", "ck5", "ck6")
    assert by_id["sync-shopping"].attendees == ("tl-shop", "ck1", "ca1")
    assert by_id["program-review"].attendees == ("cto", "tpm", "tl-shop", "tl-core")
    assert len(by_id["pi-planning"].attendees) == 24  # everyone in a team + the TPM facilitating
    assert by_id["pi-planning"].start == dt.datetime(
        2027, 4, 5, 10, tzinfo=by_id["pi-planning"].start.tzinfo
    )
    assert by_id["techtalk"].attendees == ("tpm",) and len(by_id["techtalk"].optional) == 26
    assert by_id["chapter-backend"].attendees == ("ck1", "ck2", "ca2")


def test_recurrences_are_rfc_5545_rules(mini: Program) -> None:
    plan = plan_cadences(mini, as_of=AS_OF)
    rules = {m.id: m.recurrence.rule() for m in plan.meetings}
    # the calendar ends on 2027-07-05 (exclusive): last possible start 2027-07-04 23:59:59 UTC
    assert rules["daily-checkout"] == "FREQ=WEEKLY;UNTIL=20270704T235959Z;BYDAY=MO,TU,WE,TH,FR"
    assert rules["sync-core"] == "FREQ=WEEKLY;UNTIL=20270704T235959Z;BYDAY=TU"
    assert rules["program-review"] == "FREQ=MONTHLY;UNTIL=20270704T235959Z;BYDAY=1WE"
    assert rules["guild-security"] == "FREQ=WEEKLY;INTERVAL=2;UNTIL=20270704T235959Z;BYDAY=TH"
    assert rules["pi-planning"] is None


def test_meeting_hours_per_person_by_hand(mini: Program) -> None:
    plan = plan_cadences(mini, as_of=AS_OF)
    hours = {p.person: p.hours for p in plan.load}
    pi = 4 / 13  # 4 h per 13-week increment
    # ck1: daily 5 x 15 min + tribe sync 45 min + PI planning + chapter 60 min every 2 weeks
    assert hours["ck1"] == pytest.approx(1.25 + 0.75 + pi + 0.5)
    assert hours["ck2"] == pytest.approx(1.25 + pi + 0.5)  # daily, PI, chapter
    # the TPM facilitates the monthly review, PI planning and the weekly TechTalk
    assert hours["tpm"] == pytest.approx(12 / 52 + pi + 0.75)
    assert plan.load[0].person == "ck1" and not plan.over_limit


def test_people_over_the_meeting_limit_are_flagged(mini_doc: dict[str, Any]) -> None:
    mini_doc["settings"]["org"] = {"meeting_hours_max": 2.5}
    plan = plan_cadences(load(mini_doc), as_of=AS_OF)
    assert [p.person for p in plan.over_limit] == ["ck1"]  # 2.81 h
    assert [(f.code, f.unit) for f in plan.findings] == [("ORG023", "ck1")]


# -- time zones --------------------------------------------------------------------------------


def test_slot_inside_two_time_zones_overlap() -> None:
    # Feb: Berlin UTC+1, New York UTC-5. NY 09:00 = Berlin 15:00 and Berlin closes at 17:00:
    # a 15-minute daily fits 15:00-16:45 Berlin; nearest to the preferred 09:30 is 15:00.
    program = load(zones_doc(["Europe/Berlin"] * 3 + ["America/New_York"] * 2))
    daily = meeting(program, "daily-t")
    assert (daily.timezone, daily.time, daily.outside_hours) == ("Europe/Berlin", "15:00", ())


def test_no_common_slot_fits_the_majority_and_warns() -> None:
    # Sydney (UTC+11 in Feb) and Berlin working hours do not overlap at all
    program = load(zones_doc(["Europe/Berlin"] * 4 + ["Australia/Sydney"] * 2))
    plan = plan_cadences(program, as_of=AS_OF)
    daily = next(m for m in plan.meetings if m.id == "daily-t")
    assert daily.timezone == "Europe/Berlin" and daily.time == "09:30"
    assert daily.outside_hours == ("p4", "p5")
    warned = [f for f in plan.findings if f.code == "ORG024" and f.unit == "daily-t"]
    assert warned and warned[0].measured == 2


def test_slot_respects_local_weekdays_across_the_date_line() -> None:
    # Feb: Auckland UTC+13, Los Angeles UTC-8 (21 h behind). Auckland's working hours overlap
    # LA's only on Auckland Tue-Fri 09:00-14:00 (LA Mon-Thu 12:00-17:00); on Auckland's
    # Monday it is Sunday in LA. A Mon-Fri daily anchored in Auckland never fits LA.
    program = load(zones_doc(["Pacific/Auckland"] * 2 + ["America/Los_Angeles"]))
    daily = meeting(program, "daily-t")
    assert daily.outside_hours == ("p2",)


def test_declared_cadence_at_a_fixed_time_is_checked(mini_doc: dict[str, Any]) -> None:
    mini_doc["cadences"] = [
        {
            "id": "late-sync",
            "name": "Late sync",
            "frequency": "weekly",
            "day": "thu",
            "time": "18:00",
            "timezone": "UTC",
            "attendees": {"teams": ["infra"]},
        },
    ]
    plan = plan_cadences(load(mini_doc), as_of=AS_OF)
    late = next(m for m in plan.meetings if m.id == "late-sync")
    assert late.declared and (late.day, late.time) == ("thu", "18:00")
    assert set(late.outside_hours) == {"in1", "in2", "in3", "in4", "in5"}


def test_declared_cadence_replaces_the_generated_one_with_the_same_id(
    mini_doc: dict[str, Any],
) -> None:
    mini_doc["cadences"] = [
        {
            "id": "techtalk",
            "name": "Friday demo & talk",
            "frequency": "biweekly",
            "attendees": {"roles": ["tpm"]},
            "duration_minutes": 60,
        },
    ]
    plan = plan_cadences(load(mini_doc), as_of=AS_OF)
    talks = [m for m in plan.meetings if m.id == "techtalk"]
    assert len(talks) == 1 and talks[0].declared and talks[0].attendees == ("tpm",)
    assert talks[0].weekly_hours == pytest.approx(0.5)


def test_bad_working_hours_are_a_clear_error(mini_doc: dict[str, Any]) -> None:
    from scaleplan.errors import InputError

    person(mini_doc, "ck2")["working_hours"] = "25:00-17:00"
    with pytest.raises(InputError, match="working hours '25:00-17:00'"):
        plan_cadences(load(mini_doc), as_of=AS_OF)


# -- calendars ---------------------------------------------------------------------------------


def test_calendars_parse_with_icalendar_and_the_independent_reader(
    mini: Program, tmp_path: Path
) -> None:
    plan = plan_cadences(mini, as_of=AS_OF)
    written = write_files(tmp_path, cadence_calendar_files(plan))
    assert [p.name for p in written] == [
        "program.ics",
        "team-checkout.ics",
        "team-catalog.ics",
        "team-payments.ics",
        "team-infra.ics",
    ]
    for path in written:
        data = path.read_bytes()
        team = None if path.name == "program.ics" else path.stem.removeprefix("team-")
        expected = plan.meetings if team is None else plan.meetings_of_team(team)
        lib = Calendar.from_ical(data)
        lib_events = [c for c in lib.walk("VEVENT")]
        assert [str(e["UID"]) for e in lib_events] == [f"{m.id}@mini.scaleplan" for m in expected]
        cal = components(data)
        assert prop(cal, "VERSION")[1] == "2.0"
        events = [c for c in cal["children"] if c["name"] == "VEVENT"]
        assert len(events) == len(expected)
        for event, m in zip(events, expected, strict=True):
            assert prop(event, "UID")[1] == f"{m.id}@mini.scaleplan"
            assert prop(event, "DTSTAMP")[1] == "20270201T000000Z"
            assert unescape(prop(event, "SUMMARY")[1]) == m.name
            assert prop(event, "DURATION")[1] == (
                f"PT{m.duration_minutes // 60}H"
                if m.duration_minutes % 60 == 0
                else f"PT{m.duration_minutes}M"
            )
            rules = [rule_parts(v) for n, _, v in event["props"] if n == "RRULE"]
            wanted = m.recurrence.rule()
            assert rules == ([rule_parts(wanted)] if wanted else [])


def test_daily_rrule_expands_to_working_days_until_the_calendar_end(mini: Program) -> None:
    plan = plan_cadences(mini, as_of=AS_OF)
    cal = components(cadence_calendar(plan, team="checkout"))
    daily = next(c for c in cal["children"] if prop(c, "UID")[1].startswith("daily-checkout"))
    start = dt.datetime.strptime(prop(daily, "DTSTART")[1], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    dates = list(rrulestr(prop(daily, "RRULE")[1], dtstart=start))
    assert all(d.weekday() < 5 for d in dates)
    assert dates[0] == dt.datetime(2027, 2, 1, 9, 30, tzinfo=dt.UTC)
    assert dates[-1] == dt.datetime(2027, 7, 2, 9, 30, tzinfo=dt.UTC)  # last Friday before 07-05
    assert len(dates) == 22 * 5  # 2027-02-01 .. 2027-07-02: 22 full weeks


def test_zoned_meetings_carry_tzid_and_a_vtimezone() -> None:
    program = load(zones_doc(["Europe/Berlin"] * 3 + ["America/New_York"] * 2))
    data = cadence_calendar(plan_cadences(program, as_of=AS_OF))
    cal = components(data)
    zones = {prop(c, "TZID")[1] for c in cal["children"] if c["name"] == "VTIMEZONE"}
    events = [c for c in cal["children"] if c["name"] == "VEVENT"]
    daily = next(e for e in events if prop(e, "UID")[1].startswith("daily-t"))
    params, value = prop(daily, "DTSTART")
    assert (params["TZID"], value) == ("Europe/Berlin", "20270201T150000")
    assert {prop(e, "DTSTART")[0]["TZID"] for e in events} <= zones
    attendees = [(p, v) for n, p, v in daily["props"] if n == "ATTENDEE"]
    assert ({"CN": "P0", "ROLE": "REQ-PARTICIPANT"}, "mailto:p0@example.com") in [
        ({k: p[k] for k in ("CN", "ROLE")}, v) for p, v in attendees
    ]
    pi = next(e for e in events if prop(e, "UID")[1].startswith("pi-planning"))
    assert not [v for n, _, v in pi["props"] if n == "RRULE"]
    lib = Calendar.from_ical(data)
    assert {str(tz["TZID"]) for tz in lib.walk("VTIMEZONE")} == zones


def test_calendar_output_is_deterministic(mini: Program) -> None:
    a = cadence_calendar(plan_cadences(mini, as_of=AS_OF))
    b = cadence_calendar(plan_cadences(mini, as_of=AS_OF))
    assert a == b


def test_rewriting_different_calendars_needs_force(mini: Program, tmp_path: Path) -> None:
    write_files(tmp_path, cadence_calendar_files(plan_cadences(mini, as_of=AS_OF)))
    later = plan_cadences(mini, as_of=AS_OF + dt.timedelta(days=7))
    with pytest.raises(UsageError, match="exists; pass --force"):
        write_files(tmp_path, cadence_calendar_files(later))
    write_files(tmp_path, cadence_calendar_files(later), force=True)


def test_talks_calendar_has_one_event_per_talk(mini: Program) -> None:
    from scaleplan.analysis.org import talk_rotation

    schedule = talk_rotation(mini, weeks=6, start=AS_OF, seed=2)
    data = talks_calendar(schedule)
    cal = components(data)
    events = [c for c in cal["children"] if c["name"] == "VEVENT"]
    assert [unescape(prop(e, "SUMMARY")[1]) for e in events] == [
        f"TechTalk: {t.speaker_name} ({t.host_name})" for t in schedule.talks
    ]
    assert len({prop(e, "UID")[1] for e in events}) == 6
    assert len(list(Calendar.from_ical(data).walk("VEVENT"))) == 6


def test_per_increment_cadence_uses_rdate_in_its_zone(mini_doc: dict[str, Any]) -> None:
    mini_doc["cadences"] = [
        {
            "id": "inspect-adapt",
            "name": "Inspect & adapt",
            "frequency": "per-increment",
            "day": "thu",
            "time": "13:00",
            "timezone": "Europe/Berlin",
            "duration_minutes": 180,
            "attendees": {"roles": ["tpm", "cto"]},
        },
    ]
    plan = plan_cadences(load(mini_doc), start=dt.date(2027, 1, 4))
    ia = next(m for m in plan.meetings if m.id == "inspect-adapt")
    # PI-1 starts Mon 2027-01-04 -> Thu 01-07; PI-2 starts Mon 2027-04-05 -> Thu 04-08
    assert ia.start.isoformat() == "2027-01-07T13:00:00+01:00"
    assert [s.isoformat() for s in ia.extra_starts] == ["2027-04-08T13:00:00+02:00"]
    assert ia.weekly_hours == pytest.approx(3 / 13)  # 3 h per 13-week increment
    cal = components(cadence_calendar(plan))
    events = [c for c in cal["children"] if c["name"] == "VEVENT"]
    event = next(e for e in events if prop(e, "UID")[1].startswith("inspect-adapt@"))
    assert prop(event, "DTSTART") == ({"TZID": "Europe/Berlin"}, "20270107T130000")
    assert prop(event, "RDATE") == ({"TZID": "Europe/Berlin"}, "20270408T130000")
    assert not [v for n, _, v in event["props"] if n == "RRULE"]
