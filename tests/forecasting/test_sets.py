"""Specific-set forecasts: age-conditional item times, hand-checkable; cohort backtests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from scaleplan.adapters import load_history
from scaleplan.analysis.forecasting.sets import Arrays, backtest_sets, cohorts, forecast_set
from scaleplan.errors import InputError, UsageError
from scaleplan.model.history import History, HistoryItem

T0 = dt.datetime(2025, 1, 6)
START = dt.date(2025, 7, 7)  # 182 days after T0


def team_history(*extra: HistoryItem) -> History:
    """One item finished every day for 26 weeks; each took exactly 10 days in progress and
    12 days from creation."""
    items = []
    for day in range(182):
        done = T0 + dt.timedelta(days=day)
        items.append(
            HistoryItem(
                f"D-{day}",
                created=done - dt.timedelta(days=12),
                started=done - dt.timedelta(days=10),
                done=done,
            )
        )
    return History((*items, *extra), name="team")


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def test_in_progress_item_needs_its_remaining_cycle_time() -> None:
    # started 4 days before the start: every finished item took 10 days, so 6 remain
    x = HistoryItem(
        "X",
        created=midnight(START) - dt.timedelta(days=5),
        started=midnight(START) - dt.timedelta(days=4),
    )
    result = forecast_set(team_history(x), ["X"], start=START, trials=500, method="raw")
    assert {p.value for p in result.percentiles} == {6.0}
    assert result.percentile(0.85).date == START + dt.timedelta(days=5)


def test_set_ends_with_its_slowest_item() -> None:
    x = HistoryItem(
        "X",
        created=midnight(START) - dt.timedelta(days=5),
        started=midnight(START) - dt.timedelta(days=4),
    )
    # not started, open for 2 days: lead times are all 12 days, so 10 remain
    y = HistoryItem("Y", created=midnight(START) - dt.timedelta(days=2))
    result = forecast_set(team_history(x, y), ["X", "Y"], start=START, trials=500, method="raw")
    assert {p.value for p in result.percentiles} == {10.0}
    assert result.open_items == 2
    # throughput alone (7 a week) would promise both in 2 days
    assert result.baseline[0].value == 2.0


def test_set_of_finished_items_is_done() -> None:
    result = forecast_set(team_history(), ["D-1", "D-2"], start=START, trials=200)
    assert result.open_items == 0
    assert {p.value for p in result.percentiles} == {0.0}


def test_unknown_or_empty_sets_are_clear_errors() -> None:
    with pytest.raises(InputError, match="NOPE-1"):
        forecast_set(team_history(), ["NOPE-1"], start=START)
    with pytest.raises(UsageError):
        forecast_set(team_history(), [], start=START)


def test_cohorts_are_the_items_open_at_each_date_with_their_real_finish() -> None:
    history = team_history()
    arrays = Arrays.of(history)
    found = cohorts(arrays, "in-progress", warmup_weeks=4, step_weeks=4)
    assert found
    first = found[0]
    # at a replay date, the items in progress are the next 10 days' finishes (started 10 days
    # before each finish), and the last of them is done 10 days later at most
    assert first.members.size == 10
    assert 9 <= first.actual <= 10


def test_calibrated_set_forecasts_hold_far_more_often_than_throughput(shared_data: Path) -> None:
    history = load_history(shared_data / "issues" / "tawos-sp-effort" / "MULE.csv")
    result = backtest_sets([history], "in-progress", trials=200, rng=np.random.default_rng(1))
    scores = {m["method"]: m for m in result["methods"]}
    assert scores["throughput"]["forecasts"] == scores["calibrated"]["forecasts"] > 50
    assert scores["throughput"]["coverage"]["p85"] < 0.2
    assert scores["calibrated"]["coverage"]["p85"] > 0.7
