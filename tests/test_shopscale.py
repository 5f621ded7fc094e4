"""The built-in ShopScale example: valid, big enough and shaped like the case study."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from scaleplan import Program, check_program
from scaleplan.model import InitiativeKind, KrKind, Lifecycle, RoamStatus, Status, TeamType


@pytest.fixture(scope="module")
def program(shopscale: Program) -> Program:
    return shopscale


def test_example_loads_without_errors_or_warnings(shopscale_path: Path) -> None:
    result = check_program(shopscale_path)
    assert [d.format() for d in result.diagnostics] == []
    assert result.program is not None


def test_example_mixes_yaml_fragments_and_a_csv_of_work_items(shopscale_path: Path) -> None:
    files = check_program(shopscale_path).files
    assert files[0] == "program.yaml"
    assert any(f.startswith("org/") for f in files)
    assert any(f.startswith("work/") and f.endswith(".csv") for f in files)
    first_line = (shopscale_path / "program.yaml").read_text().splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../../schema/scaleplan.schema.json"


def test_org_has_at_least_eight_teams_in_two_tribes_with_every_topology(program: Program) -> None:
    assert len(program.teams) >= 8
    assert len(program.tribes) >= 2
    assert all(t.tribe in program.tribes_by_id for t in program.teams)
    assert len({t.tribe for t in program.teams}) >= 2
    types = {t.type for t in program.teams}
    assert {TeamType.PLATFORM, TeamType.ENABLING, TeamType.COMPLICATED_SUBSYSTEM} <= types


def test_every_team_has_five_to_nine_members(program: Program) -> None:
    for team in program.teams:
        assert 5 <= len(program.members_by_team[team.id]) <= 9, team.id


def test_people_form_one_management_tree_under_the_cto(program: Program) -> None:
    assert len(program.people) >= 60
    roots = [p for p in program.people if p.manager is None]
    assert [p.role for p in roots] == ["cto"]
    assert program.program.decision_maker == roots[0].id
    assert program.program.tpm in program.people_by_id
    reports: dict[str, int] = {}
    for person in program.people:
        if person.manager:
            reports[person.manager] = reports.get(person.manager, 0) + 1
    assert all(4 <= n <= 8 for n in reports.values()), reports


def test_people_span_levels_time_zones_skills_and_planned_hires(program: Program) -> None:
    assert {p.level for p in program.people} == set(range(1, 9))
    zones = {p.timezone for p in program.people}
    assert {"Europe/Berlin", "America/New_York", "Asia/Kolkata"} <= zones
    assert all(p.skills for p in program.people)
    hires = [p for p in program.people if p.start_date and p.start_date > program.calendar.start]
    assert len(hires) >= 5
    assert all(h.start_date and h.start_date.year == 2027 for h in hires)
    seniors = [p for p in program.people if p.level >= 6]
    assert all(p.mentoring_capacity > 0 for p in seniors)


def test_communities_cover_chapters_security_and_performance_guilds(program: Program) -> None:
    assert len(program.chapters) >= 3
    assert {"security", "performance"} <= {g.id for g in program.guilds}
    assert program.centres
    assert all(p.chapter for p in program.people if p.team and p.role == "engineer")


def test_services_have_dependencies_apis_contracts_and_monolith_modules(
    program: Program, shopscale_path: Path
) -> None:
    assert len(program.services) >= 15
    assert sum(1 for s in program.services if s.depends_on) >= 10
    modules = [s for s in program.services if s.lifecycle is Lifecycle.MONOLITH_MODULE]
    assert {"mono-catalog", "mono-orders"} <= {m.id for m in modules}
    contracts = [a.contract for s in program.services for a in s.apis if a.contract]
    assert contracts
    for contract in contracts:
        spec = json.loads((shopscale_path / contract).read_text())
        assert spec["openapi"].startswith("3.")


def test_okrs_have_committed_and_aspirational_key_results(program: Program) -> None:
    assert len(program.objectives) >= 4
    krs = program.key_results
    assert len(krs) >= 12
    assert {kr.kind for kr in krs} == {KrKind.COMMITTED, KrKind.ASPIRATIONAL}
    assert all(kr.current is not None and kr.target != kr.baseline for kr in krs)


def test_initiatives_have_every_kind_and_scoring_inputs_on_scale(program: Program) -> None:
    assert len(program.initiatives) >= 30
    assert {i.kind for i in program.initiatives} == set(InitiativeKind)
    for initiative in program.initiatives:
        assert initiative.ice and initiative.rice and initiative.wsjf, initiative.id
        assert initiative.moscow is not None
        assert initiative.key_results, initiative.id
    assert sum(1 for i in program.initiatives if i.depends_on) >= 5


def test_work_items_have_estimates_ranges_points_and_jira_keys(program: Program) -> None:
    items = program.work_items
    assert len(items) >= 200
    assert sum(1 for w in items if w.low is not None and w.high is not None) >= 30
    assert any(w.points is not None for w in items)
    assert any(w.max_people > 1 for w in items)
    assert all(w.external_key and w.external_key.startswith("SHOP-") for w in items)
    assert len({w.external_key for w in items}) == len(items)


def test_work_items_depend_on_other_teams(program: Program) -> None:
    by_id = program.work_items_by_id
    cross = [
        (w.id, d.item)
        for w in program.work_items
        for d in w.depends_on
        if by_id[d.item].team != w.team
    ]
    assert len(cross) >= 30
    # The platform's pipeline template comes before the first service extraction.
    assert "cicd-pipeline-template" in by_id["cat-service-skeleton"].depends_on_ids
    assert "cat-events" in by_id["srch-index-pipeline"].depends_on_ids


def test_work_items_have_hard_and_soft_deadlines_and_progress(program: Program) -> None:
    items = program.work_items
    kinds = {w.deadline_kind for w in items if w.deadline}
    assert kinds == {"hard", "soft"}
    assert any(w.status is Status.DONE for w in items)
    in_progress = [w for w in items if w.status is Status.IN_PROGRESS]
    assert in_progress and all(w.started for w in in_progress)


def test_plan_is_ambitious_but_roughly_feasible(program: Program) -> None:
    from scaleplan.analysis.capacity import capacity_table, remaining_effort

    capacity = sum(sum(weeks) for weeks in capacity_table(program, range(52)).values())
    demand = sum(remaining_effort(program, w) for w in program.work_items)
    assert 1.05 < demand / capacity < 1.4


def test_governance_has_roam_risks_cadences_time_off_and_delivery_events(program: Program) -> None:
    assert {r.status for r in program.risks} == set(RoamStatus)
    frequencies = {c.frequency.value for c in program.cadences}
    assert {"daily", "weekly", "monthly", "per-increment"} <= frequencies
    assert any("TechTalk" in c.name for c in program.cadences)
    assert any(c.attendees.guilds for c in program.cadences)
    assert program.capacity_exceptions
    kinds = {e.kind.value for e in program.events}
    assert {"deploy", "incident"} <= kinds
    assert len(program.events) >= 24


def test_calendar_has_eight_quarterly_increments_over_2027_and_2028(program: Program) -> None:
    calendar = program.calendar
    assert calendar.start == dt.date(2027, 1, 4)
    assert calendar.sprint_weeks == 2
    assert [i.id for i in calendar.increments] == [f"PI-{n}" for n in range(1, 9)]
    for before, after in zip(calendar.increments, calendar.increments[1:], strict=False):
        assert before.end == after.start
        assert 12 <= (before.end - before.start).days // 7 <= 14
    assert calendar.holidays
    assert program.settings.tech_debt_reserve == pytest.approx(0.2)
