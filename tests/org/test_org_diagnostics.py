"""Every org diagnostic has a failing fixture (the code fires, on the right unit, with the
measured value worked out by hand) and a passing one (the healthy Mini org, or a near miss
right at the threshold)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import AS_OF, load, person, team

from scaleplan.analysis.org import CODES, diagnose
from scaleplan.model import Program

Doc = dict[str, Any]


def add_people(doc: Doc, team_id: str, prefix: str, n: int, **extra: Any) -> None:
    lead = team(doc, team_id)["lead"]
    for k in range(n):
        doc["people"].append(
            {
                "id": f"{prefix}{k}",
                "name": f"Extra {prefix}{k}",
                "team": team_id,
                "manager": lead,
                "start_date": "2025-01-06",
                **extra,
            }
        )


# -- failing fixtures: (code, mutation, unit, measured) ------------------------------------


def team_of_four(doc: Doc) -> None:
    for pid in ("ca5", "ca6"):
        person(doc, pid)["team"] = None
        person(doc, pid)["manager"] = "cto"  # cto: 6 + 2 = 8 reports -> also ORG005


def team_of_ten(doc: Doc) -> None:
    add_people(doc, "checkout", "x", 4)  # 6 + 4 = 10: warning, not yet an error


def team_of_eleven(doc: Doc) -> None:
    add_people(doc, "checkout", "x", 5)  # 11 people > 10


def paths_limit_ten(doc: Doc) -> None:
    doc["settings"]["org"] = {"communication_paths_max": 10}  # 6 people: 15 paths; infra 5: 10


def narrow_and_wide_spans(doc: Doc) -> None:
    for pid in ("ck5", "ck6"):
        person(doc, pid)["manager"] = "pa1"  # ck1 manages 3, pa1 manages 5 + 2 = 7


def wide_span(doc: Doc) -> None:
    for pid in ("ck5", "ck6", "ca5", "ca6"):
        person(doc, pid)["manager"] = "pa1"  # pa1 manages 5 + 4 = 9 > 8


def manager_of_seven_managers(doc: Doc) -> None:
    person(doc, "tpm")["manager"] = "cto"  # cto: 6 + 1 = 7 > 6, and reports include managers


def tribe_over_ten(doc: Doc) -> None:
    doc["settings"]["org"] = {"tribe_max": 10}  # shopping 12, core 11


def small_release_train(doc: Doc) -> None:
    doc["tribes"][0]["release_train"] = True  # shopping: 12 people, 2 teams


def dunbar_ten(doc: Doc) -> None:
    doc["settings"]["org"] = {"unit_max": 10}  # tribes 12 and 11 > 10


def chapter_across_tribes(doc: Doc) -> None:
    person(doc, "pa2")["chapter"] = "backend"


def one_stream_aligned_team(doc: Doc) -> None:
    team(doc, "catalog")["type"] = "complicated-subsystem"
    team(doc, "payments")["type"] = "enabling"


def platform_unused(doc: Doc) -> None:
    team(doc, "checkout")["interactions"] = []
    doc["services"][2]["depends_on"] = []


def old_collaboration(doc: Doc) -> None:
    team(doc, "payments")["interactions"][0]["since"] = "2026-10-05"  # 17 weeks before AS_OF


def collaboration_planned_too_long(doc: Doc) -> None:
    interaction = team(doc, "payments")["interactions"][0]
    interaction["since"] = "2027-01-04"  # only 4 weeks old, but planned for 26 weeks
    interaction["until"] = "2027-07-05"


def unowned_service(doc: Doc) -> None:
    doc["services"].append({"id": "legacy", "name": "Legacy"})


def overloaded_infra(doc: Doc) -> None:
    team(doc, "infra")["max_services"] = 1
    doc["services"].append({"id": "metrics-svc", "name": "Metrics", "owner": "infra"})


def overloaded_dependency(doc: Doc) -> None:
    doc["work_items"][0]["effort"] = 60  # payments: 6 x 0.8 x 0.8 x 13 weeks = 49.92 pw


def low_debt_reserve(doc: Doc) -> None:
    doc["settings"]["tech_debt_reserve"] = 0.1


def busy_mentor(doc: Doc) -> None:
    for pid in ("ck6", "ca6", "pa6"):
        person(doc, pid)["start_date"] = "2027-01-11"
        person(doc, pid)["mentor"] = "in1"


def new_hire_heavy_team(doc: Doc) -> None:
    for pid in ("ck4", "ck5", "ck6"):
        person(doc, pid)["start_date"] = "2027-01-11"  # 3 of 6 = 50% > 33%


def catalog_without_lead(doc: Doc) -> None:
    del team(doc, "catalog")["lead"]


def centre_gap(doc: Doc) -> None:
    doc["centres"][0]["key_skills"].append("Chaos-Engineering")


def meeting_limit_two(doc: Doc) -> None:
    doc["settings"]["org"] = {"meeting_hours_max": 2}


def sydney_member(doc: Doc) -> None:
    person(doc, "ca3")["timezone"] = "Australia/Sydney"


def no_guild(doc: Doc) -> None:
    person(doc, "ck3")["guilds"] = []
    person(doc, "pa3")["guilds"] = []


def departed_mentor(doc: Doc) -> None:
    # Unknown mentor ids are load errors (E104); a mentor who has left is ORG026.
    person(doc, "ck2")["mentor"] = "ck1"
    person(doc, "ck1")["end_date"] = "2026-06-30"


FAILING: list[tuple[str, Callable[[Doc], None] | None, str, Any]] = [
    ("ORG001", team_of_four, "catalog", 4),
    ("ORG001", team_of_ten, "checkout", 10),
    ("ORG002", team_of_eleven, "checkout", 11),
    ("ORG003", paths_limit_ten, "checkout", 15),
    ("ORG004", narrow_and_wide_spans, "ck1", 3),
    ("ORG004", wide_span, "pa1", 9),
    ("ORG005", manager_of_seven_managers, "cto", 7),
    ("ORG005", team_of_four, "cto", 8),
    ("ORG006", tribe_over_ten, "shopping", 12),
    ("ORG007", small_release_train, "shopping", 12),
    ("ORG008", small_release_train, "shopping", 2),
    ("ORG009", dunbar_ten, "shopping", 12),
    ("ORG010", None, "ck2", 2),  # built without the loader, which rejects it (E302)
    ("ORG011", chapter_across_tribes, "backend", 2),
    ("ORG012", one_stream_aligned_team, "Mini", 0.25),
    ("ORG013", platform_unused, "infra", 0),
    ("ORG014", old_collaboration, "payments", 17.0),
    ("ORG014", collaboration_planned_too_long, "payments", 26.0),
    ("ORG015", unowned_service, "legacy", None),
    ("ORG016", overloaded_infra, "infra", 2),
    ("ORG017", overloaded_dependency, "payments", round(60 / 49.92, 4)),
    ("ORG018", low_debt_reserve, "Mini", 0.1),
    ("ORG019", busy_mentor, "in1", 3),
    ("ORG020", new_hire_heavy_team, "checkout", 0.5),
    ("ORG021", catalog_without_lead, "catalog", 1),
    ("ORG022", centre_gap, "reliability", round(2 / 3, 4)),
    ("ORG023", meeting_limit_two, "ck1", 2.81),
    ("ORG024", sydney_member, "daily-catalog", 1),
    ("ORG025", no_guild, "checkout+payments", 1),
    ("ORG026", departed_mentor, "ck2", "ck1"),
]


def _program(mutation: Callable[[Doc], None] | None, doc: Doc) -> Program:
    if mutation is None:  # ORG010: a person claimed by two squads
        team(doc, "catalog")["members"] = ["ck2"]
        return Program.model_validate(doc)
    mutation(doc)
    return load(doc)


@pytest.mark.parametrize(
    ("code", "mutation", "unit", "measured"),
    FAILING,
    ids=[f"{c}-{m.__name__ if m is not None else 'two-squads'}" for c, m, _, _ in FAILING],
)
def test_failing_fixture_fires_the_code_on_the_unit(
    code: str, mutation: Callable[[Doc], None] | None, unit: str, measured: Any, mini_doc: Doc
) -> None:
    program = _program(mutation, mini_doc)
    report = diagnose(program, as_of=AS_OF)
    hits = [f for f in report.by_code(code) if f.unit == unit]
    assert hits, [(f.code, f.unit) for f in report.findings]
    found = hits[0]
    assert found.measured == measured
    assert found.severity == CODES[code].severity
    assert found.source == CODES[code].source
    assert found.threshold


def test_every_code_has_a_failing_fixture() -> None:
    assert {c for c, *_ in FAILING} == set(CODES)


def test_the_healthy_mini_org_passes_every_check(mini: Program) -> None:
    report = diagnose(mini, as_of=AS_OF)
    assert report.findings == ()
    assert report.congruence is not None and report.congruence.ratio == 1.0


# -- passing fixtures at the threshold ------------------------------------------------------


def nine_people(doc: Doc) -> None:
    add_people(doc, "checkout", "x", 3)  # 9 people, 36 paths: at the limit


def span_of_eight(doc: Doc) -> None:
    add_people(doc, "payments", "x", 3)  # pa1 manages 5 + 3 = 8


def collaboration_of_twelve_weeks(doc: Doc) -> None:
    team(doc, "payments")["interactions"][0]["since"] = "2026-11-09"  # exactly 12 weeks


def ended_collaboration(doc: Doc) -> None:
    interaction = team(doc, "payments")["interactions"][0]
    interaction["since"] = "2026-06-01"
    interaction["until"] = "2026-08-01"  # long over by AS_OF


def time_boxed_collaboration(doc: Doc) -> None:
    interaction = team(doc, "payments")["interactions"][0]
    interaction["since"] = "2026-12-14"  # 7 weeks before AS_OF, planned for 10 weeks
    interaction["until"] = "2027-02-22"


def train_in_range(doc: Doc) -> None:
    doc["tribes"][0]["release_train"] = True
    doc["settings"]["org"] = {"art_people_min": 12, "art_teams_min": 2}


def two_new_hires(doc: Doc) -> None:
    for pid in ("ck5", "ck6"):
        person(doc, pid)["start_date"] = "2027-01-11"  # 2 of 6 = 33%, not more
        person(doc, pid)["mentor"] = "in1"  # 2 new hires: at the limit


def hires_long_ago(doc: Doc) -> None:
    for pid in ("ck4", "ck5", "ck6"):
        person(doc, pid)["start_date"] = "2026-08-03"  # 26 weeks before AS_OF: no longer new


def reserve_at_twenty(doc: Doc) -> None:
    doc["settings"]["tech_debt_reserve"] = 0.2


def platform_used_only_through_services(doc: Doc) -> None:
    team(doc, "checkout")["interactions"] = []  # payments-svc still depends on infra-svc


def load_at_capacity(doc: Doc) -> None:
    doc["work_items"][0]["effort"] = 49.9  # just under 49.92 pw of capacity


def retired_unowned(doc: Doc) -> None:
    doc["services"].append({"id": "old", "name": "Old", "lifecycle": "retired"})


def left_member_not_counted(doc: Doc) -> None:
    add_people(doc, "checkout", "x", 5, end_date="2026-12-31")  # left before AS_OF


def ignored_warning(doc: Doc) -> None:
    doc["settings"]["tech_debt_reserve"] = 0.1
    doc["settings"]["ignore"] = ["ORG018"]


def lead_is_decision_maker(doc: Doc) -> None:
    doc["tribes"][1]["lead"] = "cto"


PASSING = [
    ("ORG001", nine_people),
    ("ORG003", nine_people),
    ("ORG004", span_of_eight),
    ("ORG007", train_in_range),
    ("ORG008", train_in_range),
    ("ORG013", platform_used_only_through_services),
    ("ORG014", collaboration_of_twelve_weeks),
    ("ORG014", ended_collaboration),
    ("ORG014", time_boxed_collaboration),
    ("ORG015", retired_unowned),
    ("ORG017", load_at_capacity),
    ("ORG018", reserve_at_twenty),
    ("ORG018", ignored_warning),
    ("ORG019", two_new_hires),
    ("ORG020", two_new_hires),
    ("ORG020", hires_long_ago),
    ("ORG002", left_member_not_counted),
    ("ORG021", lead_is_decision_maker),
]


@pytest.mark.parametrize(
    ("code", "mutation"), PASSING, ids=[f"{c}-{m.__name__}" for c, m in PASSING]
)
def test_near_miss_at_the_threshold_does_not_fire(
    code: str, mutation: Callable[[Doc], None], mini_doc: Doc
) -> None:
    mutation(mini_doc)
    report = diagnose(load(mini_doc), as_of=AS_OF)
    assert report.by_code(code) == ()


def test_team_of_ten_is_a_warning_and_eleven_an_error(mini_doc: Doc) -> None:
    team_of_ten(mini_doc)
    ten = diagnose(load(mini_doc), as_of=AS_OF, include_cadences=False, include_congruence=False)
    assert [f.code for f in ten.findings if f.unit == "checkout"] == ["ORG001", "ORG003"]
    add_people(mini_doc, "checkout", "y", 1)
    eleven = diagnose(load(mini_doc), as_of=AS_OF, include_cadences=False, include_congruence=False)
    codes = [f.code for f in eleven.findings if f.unit == "checkout"]
    assert codes == ["ORG002", "ORG003"]  # errors first
    assert eleven.errors[0].measured == 11


def test_team_figures_count_paths_and_load_by_hand(mini: Program) -> None:
    report = diagnose(mini, as_of=AS_OF, include_cadences=False, include_congruence=False)
    figures = {t.id: t for t in report.teams}
    assert figures["checkout"].communication_paths == 15  # 6 * 5 / 2
    assert figures["infra"].communication_paths == 10
    # payments: 4 pw due in PI-1 over 13 weeks x 6 people x 0.8 focus x 0.8 after reserve
    assert figures["payments"].load == pytest.approx(4 / 49.92)
    assert report.increment == "PI-1"


def test_dunbar_replaces_the_tribe_warning(mini_doc: Doc) -> None:
    dunbar_ten(mini_doc)
    mini_doc["settings"]["org"]["tribe_max"] = 5
    report = diagnose(load(mini_doc), as_of=AS_OF)
    assert report.by_code("ORG006") == ()
    assert {f.unit for f in report.by_code("ORG009")} == {"shopping", "core"}


def test_unknown_increment_is_a_usage_error(mini: Program) -> None:
    from scaleplan.errors import UsageError

    with pytest.raises(UsageError, match="unknown increment 'PI-9'"):
        diagnose(mini, as_of=AS_OF, increment="PI-9")


def test_report_to_dict_is_plain_json(mini_doc: Doc) -> None:
    import json

    low_debt_reserve(mini_doc)
    data = diagnose(load(mini_doc), as_of=AS_OF).to_dict()
    text = json.dumps(data)
    assert json.loads(text)["findings"][0]["code"] == "ORG018"
    assert data["findings"][0]["title"] == "technical-debt reserve too small"
