"""Roadmap, program board and load heatmap drawn from a plan (a hand-made planner result).

Plan of the tiny program, in weeks from 2026-01-05 (sprints of 2 weeks; capacities are 4
people = 400 units a week per team):

    ca-1  catalog   [0, 2)  200/wk      co-1  checkout  [0, 3)  200/wk
    co-2  checkout  [2, 4)  400/wk      ci-1  platform  [0, 2)  300/wk   (needs ca-1)
"""

from __future__ import annotations

import datetime as dt

import pytest
from reports_factory import AS_OF, program

from scaleplan.reports.sections import ReportContext
from scaleplan.reports.views._plan import plan_from
from scaleplan.reports.views.board import board
from scaleplan.reports.views.load import load
from scaleplan.reports.views.roadmap import roadmap

planning = pytest.importorskip("scaleplan.planning.problem")
result_mod = pytest.importorskip("scaleplan.planning.result")


def hand_plan():  # type: ignore[no-untyped-def]
    P = planning
    resources = tuple(
        P.Resource(t, (400,), team=t, scale=100) for t in ("checkout", "catalog", "platform")
    )
    spec = {  # id: (team index, duration, units per week, start)
        "ca-1": (1, 2, 200, 0),
        "co-1": (0, 3, 200, 0),
        "co-2": (0, 2, 400, 2),
        "ci-1": (2, 2, 300, 0),
    }
    names = ("checkout", "catalog", "platform")
    activities = tuple(
        P.Activity(i, (P.Mode(d, ((r, q),), q / 100),), team=names[r])
        for i, (r, d, q, _) in spec.items()
    )
    problem = P.PlanningProblem(activities, resources, unit="week", origin=AS_OF)
    items = tuple(
        result_mod.PlannedItem(i, names[r], s, s + d, q / 100) for i, (r, d, q, s) in spec.items()
    )
    result = result_mod.PlanResult(
        "feasible", "heuristic", 10.0, 9.0, 0.01, items, origin=AS_OF, period_days=7
    )
    return plan_from(problem, result, AS_OF)


@pytest.fixture
def ctx() -> ReportContext:
    c = ReportContext(program(), AS_OF)
    c._memo["plan"] = (True, hand_plan())
    return c


def test_load_heatmap_is_planned_demand_over_capacity_per_sprint(ctx: ReportContext) -> None:
    view = load(ctx)
    assert view.source == "plan"
    assert view.columns[:2] == ("S1 05 Jan", "S2 19 Jan")
    rows = dict(zip(view.teams, view.values, strict=True))
    # checkout S1: co-1 200 x 2 weeks / 800 = 0.5; S2: (200 + 2 x 400) / 800 = 1.25.
    assert rows["checkout"][:3] == (0.5, 1.25, 0.0)
    assert rows["catalog"][:2] == (0.5, 0.0)
    assert rows["platform"][:2] == (0.75, 0.0)
    assert view.overloaded == ("checkout · S2 19 Jan",)


def test_board_places_items_in_their_finish_sprint_and_flags_late_dependencies(
    ctx: ReportContext,
) -> None:
    view = board(ctx)
    assert view.increment == "PI1" and len(view.sprints) == 6  # 12 weeks / 2
    sprint = {c.id: c.sprint for c in view.cards}
    assert sprint == {"ca-1": 0, "co-1": 1, "co-2": 1, "ci-1": 0}
    arrows = {(a.source, a.target): a.warning for a in view.arrows}
    assert arrows == {("ca-1", "co-2"): False, ("ca-1", "ci-1"): True}
    assert view.warnings == (
        "ci-1 (platform, S1 05 Jan) needs ca-1 (catalog, S1 05 Jan) in the same or a later sprint",
    )


def test_roadmap_bars_run_from_first_start_to_last_finish(ctx: ReportContext) -> None:
    view = roadmap(ctx)
    bars = {b.id: b for b in view.bars}
    assert view.source == "plan"
    assert (bars["checkout-v2"].start, bars["checkout-v2"].end) == (AS_OF, dt.date(2026, 2, 2))
    assert bars["checkout-v2"].late is False  # ends on its deadline
    assert (bars["catalog-split"].end, bars["catalog-split"].items) == (dt.date(2026, 1, 19), 1)


def test_without_a_planner_the_roadmap_shows_deadlines() -> None:
    from scaleplan.reports.sections import Unavailable

    ctx = ReportContext(program(), AS_OF)
    ctx._memo["plan"] = (False, Unavailable("needs the planning engine"))
    view = roadmap(ctx)
    assert view.source == "deadlines" and view.bars == ()
    assert [(m.id, m.day, m.rag) for m in view.milestones] == [
        ("checkout-v2", dt.date(2026, 2, 2), "amber")
    ]
    heat = load(ctx)
    assert heat.source == "deadlines"
    # PI1: checkout has 14 pw due 2026-02-02 against 12 weeks x 4 = 48 pw -> 0.292.
    assert dict(zip(heat.teams, heat.values, strict=True))["checkout"][0] == 0.292
