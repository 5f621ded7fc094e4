"""Throughput forecasts: hand-checkable cases, determinism, probabilities, clear errors."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from forecasting_helpers import START, daily_history, poisson_history

from scaleplan.analysis.forecasting import (
    CalibrationSettings,
    SplitRate,
    forecast_how_many,
    forecast_when,
    learn_split_rate,
)
from scaleplan.analysis.forecasting.montecarlo import (
    quantile_error,
    simulate_how_many,
    simulate_when,
    simulate_when_batch,
    winsorize,
)
from scaleplan.errors import InputError, UsageError
from scaleplan.model.history import History

OWN_ONLY = CalibrationSettings(prior_weight=0.0)


def test_constant_weeks_give_an_exact_number_of_days() -> None:
    rng = np.random.default_rng(3)
    # 5 a week: 10 after two weeks, the 12th comes 2/5 into week 3 -> day 14 + ceil(2.8) = 17
    days = simulate_when(np.array([5, 5, 5]), 12, 1000, rng)
    assert set(days.tolist()) == {17.0}
    assert set(simulate_when(np.array([5]), 10, 10, rng).tolist()) == {14.0}


def test_batch_simulation_matches_the_single_window_one() -> None:
    windows = np.array([[5.0, 5.0], [2.0, 2.0], [0.0, 0.0]])
    days = simulate_when_batch(windows, np.array([12, 3, 4]), 50, np.random.default_rng(1))
    assert set(days[0].tolist()) == {17.0}
    assert set(days[1].tolist()) == {11.0}  # 2 in week 1, the 3rd halfway into week 2
    assert np.isinf(days[2]).all()  # no throughput: never


def test_how_many_counts_whole_weeks_and_a_share_of_extra_days() -> None:
    rng = np.random.default_rng(1)
    counts = simulate_how_many(np.array([7, 7]), 3, 100, rng, days=3)
    assert set(counts.tolist()) == {24.0}  # 21 + 3/7 of 7


def test_winsorize_caps_bulk_cleanups_at_three_times_the_mean() -> None:
    window = np.array([10, 10, 10, 370])  # mean 100 -> cap 300
    assert winsorize(window).tolist() == [10, 10, 10, 300]


def test_constant_daily_throughput_gives_exact_dates() -> None:
    history = daily_history([2] * 7 * 60)  # 2 a day for 60 weeks
    start = START + dt.timedelta(weeks=60)
    for method, settings in (("bootstrap", OWN_ONLY), ("calibrated", OWN_ONLY)):
        result = forecast_when(history, 28, trials=500, method=method, settings=settings)
        assert result.start == start
        # 14 a week: 28 items take exactly two weeks, the last on day 14
        assert {p.date for p in result.percentiles} == {start + dt.timedelta(days=13)}
        assert result.calibrated == (method == "calibrated")
    counts = forecast_how_many(history, weeks=3, trials=500, settings=OWN_ONLY)
    assert {p.value for p in counts.percentiles} == {42.0}
    assert counts.coverage is not None and counts.coverage.p85 == 1.0


def test_deadline_probability_on_constant_throughput() -> None:
    history = daily_history([2] * 7 * 60)
    start = START + dt.timedelta(weeks=60)
    done_day = start + dt.timedelta(days=13)
    on_time = forecast_when(history, 28, trials=500, deadline=done_day, settings=OWN_ONLY)
    late = forecast_when(
        history, 28, trials=500, deadline=done_day - dt.timedelta(days=1), settings=OWN_ONLY
    )
    assert on_time.probability == pytest.approx(1.0)
    assert late.probability == pytest.approx(0.0)


def test_same_seed_same_forecast_other_seed_other_draws() -> None:
    history = poisson_history(12, 120)
    a = forecast_when(history, 60, trials=2000, seed=11).to_dict()
    b = forecast_when(history, 60, trials=2000, seed=11).to_dict()
    assert a == b
    c = forecast_when(history, 60, trials=2000, seed=12).to_dict()
    assert [p["mc_error"] for p in a["baseline"]] != [p["mc_error"] for p in c["baseline"]] or (
        a["baseline"] != c["baseline"]
    )


def test_percentiles_are_ordered_and_coverage_is_reported() -> None:
    history = poisson_history(12, 120)
    when = forecast_when(history, 60, trials=2000)
    days = [p.value for p in when.percentiles]
    assert days == sorted(days)
    assert when.coverage is not None and when.coverage.forecasts > 50
    assert 0.0 <= when.coverage.p85 <= 1.0  # type: ignore[operator]
    assert "P85 held" in when.coverage.describe()
    many = forecast_how_many(history, weeks=8, trials=2000)
    counts = [p.value for p in many.percentiles]
    assert counts == sorted(counts, reverse=True)  # P95 promises the fewest items


def test_short_history_has_no_measured_coverage_but_still_forecasts() -> None:
    history = daily_history([1] * 7 * 8)
    result = forecast_when(history, 5, trials=500)
    assert result.coverage is None
    assert result.window_weeks == 8


def test_monte_carlo_error_shrinks_with_more_trials() -> None:
    rng = np.random.default_rng(5)
    sample_small = rng.normal(size=1000)
    sample_big = rng.normal(size=100_000)
    assert quantile_error(sample_big, 0.85) < quantile_error(sample_small, 0.85) / 5


def test_bad_questions_are_clear_errors() -> None:
    history = daily_history([1] * 7 * 30)
    with pytest.raises(UsageError):
        forecast_when(history, 0)
    with pytest.raises(UsageError):
        forecast_when(history, 5, trials=10)
    with pytest.raises(UsageError):
        forecast_how_many(history)
    with pytest.raises(InputError, match="at least 4"):
        forecast_when(daily_history([1] * 10), 5)
    idle = daily_history([1] * 7 * 10)
    with pytest.raises(InputError, match="nothing was finished"):
        forecast_when(idle, 5, start=START + dt.timedelta(weeks=40))


def _with_splits(history: History, splits: dict[str, list[str]], inward: bool = False) -> History:
    """``splits[key]`` = the keys split off ``key``: outward links on the original, or inward
    "split from" links on the split-off items."""
    from dataclasses import replace

    from scaleplan.model.history import Link

    parents = {child: parent for parent, kids in splits.items() for child in kids}
    items = []
    for item in history.items:
        if not inward and item.key in splits:
            links = tuple(Link("Issue split", k, "outward", "split to") for k in splits[item.key])
            item = replace(item, links=links)
        elif inward and item.key in parents:
            item = replace(
                item, links=(Link("Issue split", parents[item.key], "inward", "split from"),)
            )
        items.append(item)
    return History(tuple(items), name=history.name)


def test_split_rate_counts_every_item_over_the_items_not_split_off() -> None:
    base = daily_history([2] * 7 * 60)  # 840 items
    keys = [i.key for i in base.items]
    # 20 originals split into 3 pieces each (2 split-offs each): 840 / (840 - 40) = 1.05
    splits = {keys[k]: [keys[400 + 2 * k], keys[401 + 2 * k]] for k in range(20)}
    for inward in (False, True):
        rate = learn_split_rate(_with_splits(base, splits, inward=inward))
        assert rate.rate == pytest.approx(840 / 800)
        assert "40 split off 800 others" in rate.source


def test_split_rate_needs_split_links_or_a_number() -> None:
    with pytest.raises(InputError, match="no split links"):
        learn_split_rate(daily_history([2] * 70))
    with pytest.raises(InputError, match="need 20"):
        learn_split_rate(daily_history([1] * 5))
    with pytest.raises(UsageError, match="positive"):
        SplitRate.given(0.0)


def test_split_rate_turns_backlog_items_into_delivered_items() -> None:
    history = daily_history([2] * 7 * 60)  # 14 a week
    start = START + dt.timedelta(weeks=60)
    # 14 backlog items at 2 delivered items each = 28 delivered: two weeks, as without splits
    result = forecast_when(history, 14, trials=500, settings=OWN_ONLY, split=SplitRate.given(2.0))
    assert (result.items, result.delivered_items, result.split_rate) == (14, 28, 2.0)
    assert {p.date for p in result.percentiles} == {start + dt.timedelta(days=13)}
    # 3 weeks deliver 42 items = 21 backlog items; at least 21 is certain, 22 is not
    counts = forecast_how_many(
        history, weeks=3, trials=500, settings=OWN_ONLY, split=SplitRate.given(2.0), at_least=21
    )
    assert {p.value for p in counts.percentiles} == {21.0}
    assert counts.probability == pytest.approx(1.0)
    assert counts.to_dict()["split_source"] == "given"
