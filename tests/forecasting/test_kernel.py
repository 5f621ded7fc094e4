"""The compiled plan kernel against a plain-Python statement of the same rules, on random small
programs: same efforts (scipy's triangle), same weekly allocation, same finish weeks."""

from __future__ import annotations

import heapq
import math

import numpy as np
import pytest
from scipy import stats

from scaleplan.analysis.forecasting.kernel import first_passage, simulate

DONE = 1e-6


def _effort(
    u: float, kind: int, low: float, mode: float, high: float, factors: np.ndarray
) -> float:
    if kind == 1:
        return mode * float(factors[min(int(u * factors.size), factors.size - 1)])
    if high - low <= 1e-12:
        return mode
    c = (mode - low) / (high - low)
    return float(stats.triang(c, loc=low, scale=high - low).ppf(u))


def _reference(case: dict, trial: int) -> list[float]:
    """One trial by the documented rules, written for clarity rather than speed."""
    n = len(case["team_of"])
    order = list(case["order"])
    rank = {k: i for i, k in enumerate(order)}
    succs: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for k, preds in enumerate(case["preds"]):
        for p, lag in preds:
            succs[p].append((k, lag))
    remaining = []
    delay = []
    for k in range(n):
        value = _effort(
            float(case["uniform"][trial, k]),
            int(case["kind"][k]),
            case["low"][k],
            case["mode"][k],
            case["high"][k],
            case["factors"],
        )
        g = case["growth_of"][k]
        if g >= 0:
            value *= 1.0 + case["growth"][trial, g]
        remaining.append(value)
        delay.append(sum(case["risk_delay"][trial, r] for r in case["risks_of"][k]))
    pending = [len(p) for p in case["preds"]]
    latest = list(case["earliest"])
    ready_at = [latest[k] if pending[k] == 0 else math.inf for k in range(n)]
    finish = [math.inf] * n
    capacity = case["capacity"]

    def work(k: int, week: int, budget: np.ndarray, newly: list[tuple[int, int]]) -> None:
        team = case["team_of"][k]
        limit = week + 1.0
        share = min(limit - ready_at[k], 1.0)
        if share <= 0 or budget[team] <= DONE:
            return
        alloc = min(case["rate"][k] * share, remaining[k], max(budget[team], 0.0))
        remaining[k] -= alloc
        budget[team] -= alloc
        if remaining[k] > DONE:
            return
        rate_now = max(min(case["rate"][k], capacity[team, week]), 1e-12)
        finish[k] = (limit - share) + min(alloc / rate_now, share) + delay[k]
        for s, lag in succs[k]:
            pending[s] -= 1
            latest[s] = max(latest[s], finish[k] + lag)
            if pending[s] == 0:
                ready_at[s] = latest[s]
                heapq.heappush(newly, (rank[s], s))

    for week in range(capacity.shape[1]):
        budget = capacity[:, week].astype(float).copy()
        newly: list[tuple[int, int]] = []
        # items ready at the start of the week, in priority order (teams do not interact here)
        for k in [k for k in order if pending[k] == 0 and finish[k] == math.inf]:
            work(k, week, budget, newly)
        # then the items that became ready during the week, in priority order
        while newly:
            _, k = heapq.heappop(newly)
            work(k, week, budget, newly)
    return finish


def _random_case(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 12))
    teams = int(rng.integers(1, 4))
    weeks = int(rng.integers(3, 30))
    trials = 4
    order = list(range(n))  # items are created in priority order, dependencies point back
    preds: list[list[tuple[int, float]]] = []
    for k in range(n):
        chosen = [p for p in range(k) if rng.random() < 0.3]
        preds.append([(p, float(rng.choice([0.0, 0.0, 0.5, 1.0, 2.0]))) for p in chosen])
    perm = rng.permutation(n)  # shuffle item ids so order != index order
    inverse = np.argsort(perm)
    preds = [[(int(perm[p]), lag) for p, lag in preds[int(inverse[k])]] for k in range(n)]
    order = [int(perm[k]) for k in order]
    kind = rng.integers(0, 2, size=n).astype(np.int8)
    mode = rng.uniform(0.0, 4.0, size=n)
    low = mode * rng.uniform(0.3, 1.0, size=n)
    high = mode * rng.uniform(1.0, 2.5, size=n)
    risks = int(rng.integers(0, 3))
    risks_of = [[r for r in range(risks) if rng.random() < 0.3] for _ in range(n)]
    growth_of = rng.integers(-1, 2, size=n)
    capacity = rng.choice([0.0, 0.5, 1.0, 2.0, 3.5], size=(teams, weeks))
    return {
        "uniform": rng.random((trials, n)).astype(np.float32),
        "kind": kind,
        "low": low,
        "mode": mode,
        "high": high,
        "factors": rng.uniform(0.5, 2.0, size=7),
        "growth": rng.uniform(0.0, 0.5, size=(trials, 2)),
        "growth_of": growth_of.astype(np.int64),
        "risk_delay": rng.choice([0.0, 1.0, 2.5], size=(trials, max(risks, 1))),
        "risks_of": risks_of,
        "rate": rng.choice([0.5, 1.0, 1.5, 3.0], size=n),
        "capacity": capacity,
        "team_of": rng.integers(0, teams, size=n).astype(np.int64),
        "order": np.array(order, dtype=np.int64),
        "preds": preds,
        "earliest": rng.choice([0.0, 0.0, 1.5, 4.0], size=n),
        "trials": trials,
    }


def _run_kernel(case: dict) -> np.ndarray:
    n = len(case["team_of"])
    succ: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for k, preds in enumerate(case["preds"]):
        for p, lag in preds:
            succ[p].append((k, lag))
    succ_ptr = np.concatenate([[0], np.cumsum([len(s) for s in succ])]).astype(np.int64)
    succ_idx = np.array([s for row in succ for s, _ in row], dtype=np.int64)
    succ_lag = np.array([lag for row in succ for _, lag in row], dtype=np.float64)
    risk_ptr = np.concatenate([[0], np.cumsum([len(r) for r in case["risks_of"]])])
    risk_idx = np.array([r for row in case["risks_of"] for r in row], dtype=np.int64)
    groups = [[k] for k in range(n)] + [list(range(n))]
    group_ptr = np.concatenate([[0], np.cumsum([len(g) for g in groups])]).astype(np.int64)
    group_idx = np.array([k for g in groups for k in g], dtype=np.int64)
    ends = simulate(
        case["uniform"],
        case["kind"],
        case["low"],
        case["mode"],
        case["high"],
        case["factors"],
        case["growth"],
        case["growth_of"],
        case["risk_delay"].astype(np.float64),
        risk_ptr.astype(np.int64),
        risk_idx,
        case["rate"].astype(np.float64),
        case["capacity"].astype(np.float64),
        case["team_of"],
        case["order"],
        np.array([len(p) for p in case["preds"]], dtype=np.int64),
        succ_ptr,
        succ_idx,
        succ_lag,
        case["earliest"].astype(np.float64),
        case["capacity"].shape[1],
        group_ptr,
        group_idx,
    )
    return np.asarray(ends)


@pytest.mark.parametrize("seed", range(60))
def test_kernel_matches_the_rules_written_out(seed: int) -> None:
    case = _random_case(seed)
    ends = _run_kernel(case)
    n = len(case["team_of"])
    for trial in range(case["trials"]):
        expected = _reference(case, trial)
        # float32 uniforms go through float64 maths in both; scipy's ppf differs in the last bits
        np.testing.assert_allclose(ends[:n, trial], expected, rtol=1e-6, atol=1e-6)
        assert ends[n, trial] == pytest.approx(max(expected), rel=1e-6, abs=1e-6)


def test_first_passage_spreads_the_last_week_evenly() -> None:
    # one window [5, 5, 5]: 12 items need 2 full weeks and 2 of the 5 in the third week
    days = np.full(2, np.inf)
    total = np.zeros(2)
    running = first_passage(
        np.array([5.0, 5.0, 5.0]),
        3,
        np.zeros(2, dtype=np.int64),
        np.array([1.0, 2.0]),
        np.array([12.0, 12.0]),
        total,
        np.zeros((2, 4), dtype=np.uint8),
        0,
        days,
    )
    assert not running.any()
    # scale 1: 5 + 5 + 2/5 of a week -> day 14 + ceil(2.8) = 17; scale 2: 10 + 2/10 -> 7 + 2
    assert days.tolist() == [17.0, 9.0]


def test_kernel_result_does_not_depend_on_the_thread_count() -> None:
    import numba

    case = _random_case(7)
    case["uniform"] = np.random.default_rng(1).random((257, case["uniform"].shape[1]))
    case["uniform"] = case["uniform"].astype(np.float32)
    case["growth"] = np.zeros((257, 2))
    case["risk_delay"] = np.zeros((257, case["risk_delay"].shape[1]))
    threads = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = _run_kernel(case)
    finally:
        numba.set_num_threads(threads)
    assert np.array_equal(one, _run_kernel(case))


@pytest.mark.parametrize("seed", range(5))
def test_first_passage_numpy_and_kernel_agree_exactly(seed: int) -> None:
    from scaleplan.analysis.forecasting.kernel import first_passage as compiled
    from scaleplan.analysis.forecasting.montecarlo import first_passage_numpy

    rng = np.random.default_rng(seed)
    width, windows, running = 26, 7, 500
    flat = np.round(rng.gamma(2.0, 3.0, size=windows * width), 2)  # non-integer weeks too
    flat[rng.random(flat.size) < 0.2] = 0.0
    row = rng.integers(0, windows, size=running)
    scale = rng.uniform(0.05, 2.0, size=running)
    need = rng.integers(1, 200, size=running).astype(np.float64)
    picks = rng.integers(0, width, size=(running, 16)).astype(np.uint8)
    start = rng.uniform(0.0, 1.0, size=running) * (need - 1)  # running trials are short of need
    results = []
    for fn in (compiled, first_passage_numpy):
        total = start.copy()
        days = np.full(running, np.inf)
        still = fn(flat, width, row, scale, need, total, picks, 3, days)
        results.append((still, days, total[still]))
    (a_still, a_days, a_total), (b_still, b_days, b_total) = results
    assert np.array_equal(a_still, b_still) and 0 < a_still.sum() < running
    assert np.array_equal(a_days, b_days)
    assert np.array_equal(a_total, b_total)


def test_throughput_forecast_is_the_same_on_either_path() -> None:
    from forecasting_helpers import poisson_history

    from scaleplan.analysis.forecasting import forecast_when
    from scaleplan.analysis.forecasting.montecarlo import use_kernel

    history = poisson_history(9.0, 80)
    try:
        use_kernel(False)
        plain = forecast_when(history, 40, trials=2_000).to_dict()
        use_kernel(True)
        compiled = forecast_when(history, 40, trials=2_000).to_dict()
    finally:
        use_kernel(None)
    assert plain == compiled
