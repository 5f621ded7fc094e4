"""Plan-based Monte Carlo: hand-computed schedules on one team with a fixed capacity."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from scaleplan import program_from_document
from scaleplan.analysis.forecasting.plan import (
    forecast_plan,
    learn_error_factors,
    learn_scope_growth,
)
from scaleplan.errors import InputError
from scaleplan.model import Program
from scaleplan.model.history import History, HistoryItem

START = dt.date(2027, 1, 4)


def item(ident: str, effort: float, **extra: Any) -> dict[str, Any]:
    # low = high = effort: an exact estimate (no widening)
    return {
        "id": ident,
        "title": ident,
        "team": "web",
        "initiative": "launch",
        "effort": effort,
        "low": effort,
        "high": effort,
        "max_people": 5,
        **extra,
    }


def program(items: list[dict[str, Any]], **extra: Any) -> Program:
    doc: dict[str, Any] = {
        "program": {"name": "Plan"},
        "calendar": {"start": START.isoformat()},
        # 2 person-weeks a week, no reserve; a person does 1 person-week a week
        "settings": {"tech_debt_reserve": 0.0, "focus_factor": 1.0},
        "teams": [{"id": "web", "name": "Web", "capacity": 2.0}],
        "initiatives": [{"id": "launch", "title": "Launch", "deadline": "2027-01-24"}],
        "work_items": items,
    }
    doc.update(extra)
    result = program_from_document(doc)
    assert result.program is not None, [d.format() for d in result.diagnostics]
    return result.program


def weeks(result: Any, ident: str = "launch") -> dict[str, float | None]:
    for row in (*result.initiatives, *result.milestones):
        if row.id == ident:
            return dict(row.weeks)
    raise KeyError(ident)


def test_dependent_items_run_one_after_the_other_at_team_capacity() -> None:
    # A: 4 pw at 2/week = 2 weeks; then B: 2 pw = 1 week -> done at the end of week 3
    p = program([item("a", 4), item("b", 2, depends_on=["a"])])
    result = forecast_plan(p, trials=200)
    launch = result.initiatives[0]
    assert list(launch.weeks.values()) == [pytest.approx(3.0)] * 4
    assert set(launch.percentiles.values()) == {dt.date(2027, 1, 24)}
    assert launch.probability == 1.0  # deadline 2027-01-24 is the finish day


def test_deadline_a_day_early_is_missed_in_every_trial() -> None:
    p = program(
        [item("a", 4), item("b", 2, depends_on=["a"])],
        initiatives=[{"id": "launch", "title": "Launch", "deadline": "2027-01-23"}],
    )
    assert forecast_plan(p, trials=200).initiatives[0].probability == 0.0


def test_max_people_caps_the_weekly_burn() -> None:
    p = program([item("a", 4, max_people=1)])  # 1 person-week a week despite capacity 2
    assert weeks(forecast_plan(p, trials=100))["p50"] == pytest.approx(4.0)


def test_capacity_goes_to_the_earlier_deadline_first() -> None:
    p = program(
        [
            item("y", 2, max_people=2, initiative=None),
            item("x", 2, max_people=2, initiative=None, deadline="2027-02-01"),
        ]
    )
    result = forecast_plan(p, trials=100)
    assert weeks(result, "x")["p50"] == pytest.approx(1.0)
    assert {m.id for m in result.milestones} == {"x"}
    # y has no deadline, so no milestone row: check through a dependent initiative instead
    q = program(
        [
            item("y", 2, max_people=2),
            item("x", 2, max_people=2, initiative=None, deadline="2027-02-01"),
        ]
    )
    assert weeks(forecast_plan(q, trials=100))["p50"] == pytest.approx(2.0)


def test_parallel_items_share_capacity_up_to_their_caps() -> None:
    # two 2-pw items, each capped at 1 person: both run side by side and finish in 2 weeks
    p = program([item("a", 2, max_people=1), item("b", 2, max_people=1)])
    assert weeks(forecast_plan(p, trials=100))["p50"] == pytest.approx(2.0)


def test_dependency_lag_and_earliest_start_delay_the_work() -> None:
    p = program([item("a", 4), item("b", 2, depends_on=[{"item": "a", "lag_weeks": 2}])])
    assert weeks(forecast_plan(p, trials=100))["p50"] == pytest.approx(5.0)
    q = program([item("a", 2, earliest_start="2027-01-18")])
    assert weeks(forecast_plan(q, trials=100))["p50"] == pytest.approx(3.0)


def test_a_certain_risk_delays_its_item_and_everything_after_it() -> None:
    risk = {
        "id": "r",
        "title": "Vendor late",
        "items": ["a"],
        "probability": 1.0,
        "impact_weeks": 3,
    }
    p = program([item("a", 4), item("b", 2, depends_on=["a"])], risks=[risk])
    assert weeks(forecast_plan(p, trials=100))["p50"] == pytest.approx(6.0)
    assert weeks(forecast_plan(p, trials=100, risks=False))["p50"] == pytest.approx(3.0)


def test_fixed_scope_growth_scales_every_item_of_the_initiative() -> None:
    p = program([item("a", 4), item("b", 2, depends_on=["a"])])
    # 6 pw then 3 pw at 2 a week: 3 + 1.5 weeks
    assert weeks(forecast_plan(p, trials=100, scope_growth=0.5))["p50"] == pytest.approx(4.5)


def test_items_without_a_range_get_the_default_error_triangle() -> None:
    p = program(
        [
            {
                "id": "a",
                "title": "A",
                "team": "web",
                "initiative": "launch",
                "effort": 4,
                "max_people": 5,
            }
        ]
    )
    result = forecast_plan(p, trials=20_000, seed=3)
    # median of triangle(0.67, 1, 1.5) is 1.5 - sqrt(0.5 * 0.83 * 0.5) = 1.0445; 4 pw at 2/week
    assert weeks(result)["p50"] == pytest.approx(2 * 1.0445, abs=0.02)
    assert weeks(result)["p95"] > weeks(result)["p50"]  # type: ignore[operator]
    errors = result.initiatives[0].mc_error_weeks
    assert errors["p50"] is not None and errors["p50"] < 0.02


def test_items_without_a_range_take_history_error_factors_and_ranged_items_keep_theirs() -> None:
    bare = {"id": "a", "title": "A", "team": "web", "initiative": "launch", "effort": 4}
    p = program([{**bare, "max_people": 5}, item("b", 2, depends_on=["a"])])
    # factors 2 or 3 with equal weight: a takes 8 or 12 pw (4 or 6 weeks at 2 a week) and b
    # stays exact at 2 pw (1 week), so the launch takes 5 or 7 weeks: P95 = 7; factor 2 only: 5
    result = forecast_plan(p, trials=4_000, error_factors=np.array([2.0, 3.0]))
    assert result.error_model == "history-learned factors"
    w = weeks(result)
    assert w["p95"] == pytest.approx(7.0)
    assert weeks(forecast_plan(p, trials=200, error_factors=np.array([2.0])))["p50"] == (
        pytest.approx(5.0)
    )


def test_same_seed_same_plan_forecast() -> None:
    p = program([item("a", 4, low=2, high=9), item("b", 2, low=1, high=5, depends_on=["a"])])
    a = forecast_plan(p, trials=500, seed=1).to_dict()
    assert a == forecast_plan(p, trials=500, seed=1).to_dict()
    assert a != forecast_plan(p, trials=500, seed=2).to_dict()


def test_done_initiatives_are_reported_as_done() -> None:
    p = program([item("a", 4, status="done")])
    row = forecast_plan(p, trials=100).initiatives[0]
    assert row.done and row.items == 0


def test_learned_error_factors_and_scope_growth() -> None:
    t0 = dt.datetime(2025, 1, 1)
    items = []
    for k in range(30):
        cycle = 2.0 * (1 + k % 3)  # 2, 4, 6 days for 1 point
        items.append(
            HistoryItem(
                f"S-{k}",
                points=1.0,
                created=t0,
                started=t0,
                done=t0 + dt.timedelta(days=cycle),
                epic=f"E-{k % 5}",
            )
        )
    # one late addition to each of the five epics, created after work started
    for e in range(5):
        items.append(HistoryItem(f"L-{e}", epic=f"E-{e}", created=t0 + dt.timedelta(days=3)))
    history = History(tuple(items))
    factors = learn_error_factors(history)
    assert sorted(set(np.round(factors, 3).tolist())) == [0.5, 1.0, 1.5]
    growth = learn_scope_growth(history)
    assert growth.tolist() == [1 / 6] * 5
    with pytest.raises(InputError):
        learn_error_factors(History(tuple(items[:5])))


def test_shopscale_plan_forecast_covers_every_initiative(shopscale: Program) -> None:
    result = forecast_plan(shopscale, trials=300)
    with_items = [i for i in shopscale.initiatives if shopscale.work_items_by_initiative.get(i.id)]
    assert len(result.initiatives) == len(with_items)
    for row in result.initiatives:
        if row.done or row.unfinished:
            continue
        assert row.weeks["p50"] <= row.weeks["p85"] <= row.weeks["p95"]  # type: ignore[operator]
        if row.deadline is not None:
            assert row.probability is not None and 0.0 <= row.probability <= 1.0


def test_plan_forecasts_from_several_threads_match_the_sequential_one() -> None:
    from concurrent.futures import ThreadPoolExecutor

    p = program([item("a", 4, low=2, high=9), item("b", 2, low=1, high=5, depends_on=["a"])])
    expected = forecast_plan(p, trials=2_000, seed=5).to_dict()
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(
            pool.map(lambda _: forecast_plan(p, trials=2_000, seed=5).to_dict(), range(3))
        )
    assert all(r == expected for r in results)
