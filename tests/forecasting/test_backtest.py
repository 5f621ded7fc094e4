"""Backtests: no look-ahead, calibration on data where the truth is known, determinism."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from forecasting_helpers import START, daily_history, poisson_history

from scaleplan.adapters import load_history
from scaleplan.analysis.forecasting import backtest
from scaleplan.analysis.forecasting import replay as replay_module
from scaleplan.analysis.forecasting.backtest import pooled_priors
from scaleplan.analysis.forecasting.replay import calibrate, prepare
from scaleplan.analysis.forecasting.series import completion_series
from scaleplan.errors import InputError
from scaleplan.model.history import History, HistoryItem


def _with_future_replaced(history: History, cut: dt.datetime, seed: int) -> History:
    """Same items up to ``cut``; afterwards a very different (slower) pace, same last day."""
    rng = np.random.default_rng(seed)
    past = [i for i in history.items if i.done is not None and i.done <= cut]
    last = max(i.done for i in history.items if i.done is not None)
    items = list(past)
    day = cut + dt.timedelta(days=1)
    k = 0
    while day < last:
        for _ in range(int(rng.poisson(0.4))):
            items.append(HistoryItem(key=f"future-{k}", created=day, done=day))
            k += 1
        day += dt.timedelta(days=1)
    items.append(HistoryItem(key="last", created=last, done=last))
    return History(tuple(items), name=history.name)


def _forecasts(history: History, question: str, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    series = completion_series(history)
    p = prepare(series, question, horizon, trials=200, rng=np.random.default_rng(4))  # type: ignore[arg-type]
    calibrate(p, prior=None)
    return p.t, p.quantiles["calibrated"]


@pytest.mark.parametrize(("question", "horizon"), [("when", 4), ("how-many", 13)])
def test_forecasts_before_a_date_do_not_change_when_the_future_changes(
    question: str, horizon: int
) -> None:
    history = poisson_history(20, 160, seed=3)
    cut = dt.datetime.combine(START + dt.timedelta(weeks=110), dt.time())
    other = _with_future_replaced(history, cut, seed=9)
    t_a, q_a = _forecasts(history, question, horizon)
    t_b, q_b = _forecasts(other, question, horizon)
    assert np.array_equal(t_a, t_b)
    cut_day = (cut.date() - completion_series(history).origin).days
    before = t_a < cut_day
    assert before.sum() > 40
    assert np.array_equal(q_a[before], q_b[before])
    # the future did change: later forecasts differ
    assert not np.array_equal(q_a[~before], q_b[~before])


def test_the_no_look_ahead_test_catches_a_leak(monkeypatch: pytest.MonkeyPatch) -> None:
    """A calibration that peeked at outcomes not yet known would change past forecasts."""

    def leaky(p: replay_module.Prepared, at: int, idx: np.ndarray) -> np.ndarray:
        actual = np.where(np.isfinite(p.actual[idx]), p.actual[idx], 10_000.0)
        if p.question == "when":
            return np.log(np.maximum(actual, 1.0) / p.raw50[idx])
        return -np.log((p.actual[idx] + 1.0) / (p.raw50[idx] + 1.0))

    history = poisson_history(20, 160, seed=3)
    cut = dt.datetime.combine(START + dt.timedelta(weeks=110), dt.time())
    other = _with_future_replaced(history, cut, seed=9)
    monkeypatch.setattr(replay_module, "own_scores", leaky)
    # a leak through the horizon filter: count every earlier origin, due or not
    monkeypatch.setattr(
        replay_module, "calibrate_sequence", _peeking(replay_module.calibrate_sequence)
    )
    t_a, q_a = _forecasts(history, "when", 4)
    _, q_b = _forecasts(other, "when", 4)
    cut_day = (cut.date() - completion_series(history).origin).days
    before = t_a < cut_day
    assert not np.array_equal(q_a[before], q_b[before])


def _peeking(real):  # type: ignore[no-untyped-def]
    def wrapper(times, scores_at, decide, *, horizon_days, **kwargs):  # type: ignore[no-untyped-def]
        return real(times, scores_at, decide, horizon_days=-10_000, **kwargs)

    return wrapper


def test_pooled_prior_only_uses_other_histories_due_before_the_date() -> None:
    a = completion_series(poisson_history(10, 120, seed=1, name="a"))
    b = completion_series(poisson_history(10, 120, seed=2, name="b"))
    rng = np.random.default_rng(1)
    prepared = [prepare(s, "how-many", 4, trials=100, rng=rng) for s in (a, b)]
    priors = pooled_priors(prepared, minimum=5)
    first_due = prepared[1].t[0] + 28
    assert priors[0](int(prepared[0].t[0])) is None  # nothing of b is due yet
    later = priors[0](int(first_due) + 400)
    assert later is not None and later.size == 40


def test_stationary_history_is_calibrated_by_every_method() -> None:
    histories = [poisson_history(15, 200, seed=s, name=f"s{s}") for s in range(3)]
    result = backtest(histories, horizons=(4,), trials=300, prior="none")
    for question in ("when", "how-many"):
        cell = result.cell(question, 4)
        for method in ("bootstrap", "calibrated"):
            score = cell.method(method)
            assert 0.75 <= score.coverage["p85"] <= 0.95, (question, method, score)
            assert 0.85 <= score.median_actual_over_p50 <= 1.15
            assert score.unbounded == 0.0


def test_backtest_is_deterministic_for_a_seed() -> None:
    histories = [poisson_history(8, 90, seed=5)]
    a = backtest(histories, horizons=(4,), trials=200, seed=3).to_dict()
    b = backtest(histories, horizons=(4,), trials=200, seed=3).to_dict()
    assert a == b


def test_histories_too_short_to_replay_are_excluded_or_refused() -> None:
    short = daily_history([1] * 7 * 20, name="short")
    long = poisson_history(10, 80, name="long")
    result = backtest([short, long], horizons=(4,), trials=200)
    assert result.excluded == ("short",)
    with pytest.raises(InputError, match="weeks of completions"):
        backtest([short], horizons=(4,))


def test_real_project_backtest_beats_the_plain_bootstrap(shared_data: Path) -> None:
    history = load_history(shared_data / "issues" / "tawos-completion-dates" / "Apache_Mesos.csv")
    result = backtest([history], questions=("when",), horizons=(13,), trials=200)
    cell = result.cell("when", 13)
    ours, plain = cell.method("calibrated"), cell.method("bootstrap")
    assert ours.forecasts == plain.forecasts > 300
    assert ours.coverage["p85"] > plain.coverage["p85"]
    assert abs(ours.coverage["p85"] - 0.85) < abs(plain.coverage["p85"] - 0.85)
