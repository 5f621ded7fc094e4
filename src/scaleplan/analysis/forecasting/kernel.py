"""Compiled Monte Carlo kernels (numba).

* :func:`simulate`, the plan Monte Carlo: sample one trial's efforts and delays, schedule it
  week by week, and reduce it to the finish of every group (initiative or milestone);
* :func:`first_passage`, the throughput Monte Carlo's inner loop: add sampled weeks until a
  target count is reached.

The plan kernel is described first.

Compiled with numba (``cache=True``: the machine code is kept beside this file, or in numba's
user cache when that is read-only, so only the first run on a machine pays the ~2 s compile).
Trials are independent, so they are split into chunks run in parallel threads; the result does
not depend on the number of threads.

The random numbers are drawn by the caller with numpy (seeded) and passed in as uniforms, so a
seed gives the same result on every machine and thread count. Effort of item ``k`` in a trial:

* ``kind[k] == 0``: the triangle ``(low, mode, high)`` at quantile ``u`` (inverse CDF);
* ``kind[k] == 1``: ``mode`` times ``factors[floor(u * len(factors))]`` (history-learned);

times ``1 + growth[trial, growth_of[k]]`` when ``growth_of[k] >= 0``. Its risk delay is the sum
of ``risk_delay[trial, r]`` over its risks ``risk_idx[risk_ptr[k]:risk_ptr[k + 1]]``.

Rules of one trial's schedule:

* week ``w`` spans ``[w, w + 1)``; every team starts it with ``capacity[team, w]``;
* each team works down its ready items in priority order (``order``, a topological order of
  the dependencies); an item ready at ``r`` may use the share ``clip(w + 1 - r, 0, 1)`` of the
  week and takes ``min(rate * share, remaining effort, what its team has left)``;
* an item finishes at the moment its effort runs out inside the week, plus its risk delay; its
  successors become ready at their latest predecessor finish plus the dependency lag. One that
  becomes ready during a week is served in that week after the items that were ready at its
  start (newly ready items among themselves in priority order), from what its team has left,
  so the result does not depend on the order of the teams;
* items that never finish within ``max_weeks`` get ``inf``.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

_DONE = 1e-6


@njit(cache=True, nogil=True)
def _push(heap: np.ndarray, size: int, key: int) -> int:
    i = size
    while i > 0:
        parent = (i - 1) // 2
        if heap[parent] <= key:
            break
        heap[i] = heap[parent]
        i = parent
    heap[i] = key
    return size + 1


@njit(cache=True, nogil=True)
def _pop(heap: np.ndarray, size: int) -> int:
    """Remove the smallest key (read it first from ``heap[0]``); return the new size."""
    size -= 1
    key = heap[size]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and heap[child + 1] < heap[child]:
            child += 1
        if heap[child] >= key:
            break
        heap[i] = heap[child]
        i = child
    if size > 0:
        heap[i] = key
    return size


@njit(cache=True, nogil=True)
def _sample(
    trial: int,
    uniform: np.ndarray,
    kind: np.ndarray,
    low: np.ndarray,
    mode: np.ndarray,
    high: np.ndarray,
    factors: np.ndarray,
    growth: np.ndarray,
    growth_of: np.ndarray,
    risk_delay: np.ndarray,
    risk_ptr: np.ndarray,
    risk_idx: np.ndarray,
    remaining: np.ndarray,
    delay: np.ndarray,
) -> None:
    for k in range(uniform.shape[1]):
        u = float(uniform[trial, k])
        if kind[k] == 1:
            pick = min(int(u * factors.size), factors.size - 1)
            value = mode[k] * factors[pick]
        else:
            span = high[k] - low[k]
            if span <= 1e-12:
                value = mode[k]
            elif u * span < mode[k] - low[k]:
                value = low[k] + math.sqrt(u * span * (mode[k] - low[k]))
            else:
                value = high[k] - math.sqrt((1.0 - u) * span * (high[k] - mode[k]))
        if growth_of[k] >= 0:
            value *= 1.0 + growth[trial, growth_of[k]]
        remaining[k] = value
        total = 0.0
        for e in range(risk_ptr[k], risk_ptr[k + 1]):
            total += risk_delay[trial, risk_idx[e]]
        delay[k] = total


_DEBRUIJN = np.uint64(0x03F79D71B4CB0A89)
_DEBRUIJN_INDEX = np.array(
    [
        0, 1, 48, 2, 57, 49, 28, 3, 61, 58, 50, 42, 38, 29, 17, 4,
        62, 55, 59, 36, 53, 51, 43, 22, 45, 39, 33, 30, 24, 18, 12, 5,
        63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21, 44, 32, 23, 11,
        46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9, 13, 8, 7, 6,
    ],
    dtype=np.int64,
)  # fmt: skip


@njit(cache=True, nogil=True)
def _schedule(
    remaining: np.ndarray,
    delay: np.ndarray,
    rate: np.ndarray,
    capacity: np.ndarray,
    team_of: np.ndarray,
    order: np.ndarray,
    rank: np.ndarray,
    preds: np.ndarray,
    succ_ptr: np.ndarray,
    succ_idx: np.ndarray,
    succ_lag: np.ndarray,
    earliest: np.ndarray,
    max_weeks: int,
    slot: np.ndarray,
    slot_item: np.ndarray,
    word_start: np.ndarray,
    finish: np.ndarray,
    scratch: np.ndarray,
    pending: np.ndarray,
    active: np.ndarray,
    heap: np.ndarray,
    fresh: np.ndarray,
) -> None:
    """One trial's schedule. Each team's items have fixed slots in priority order (``slot``;
    ``slot_item`` maps back), and ``active`` holds one bit per slot for the items that are
    ready and unfinished (the team's words are ``word_start[t]:word_start[t + 1]``). A team
    works down its set bits until its week's capacity is spent. Items that become ready during
    the week (``heap``, by priority) are served after that, from what their teams have left,
    and then get their bits."""
    n = remaining.size
    teams = capacity.shape[0]
    latest = scratch[0]
    ready_at = scratch[1]
    budget = scratch[2]
    one = np.uint64(1)
    debruijn = _DEBRUIJN_INDEX
    queued = 0
    for w in range(active.size):
        active[w] = np.uint64(0)
    for k in range(n):
        pending[k] = preds[k]
        latest[k] = earliest[k]
        finish[k] = math.inf
        if preds[k] == 0:
            ready_at[k] = latest[k]
            active[slot[k] >> 6] |= one << np.uint64(slot[k] & 63)
            queued += 1
        else:
            ready_at[k] = math.inf
    for week in range(min(max_weeks, capacity.shape[1])):
        if queued == 0:
            break
        size = 0
        fresh_count = 0
        limit = week + 1.0
        for team in range(teams):
            budget[team] = capacity[team, week]
            for w in range(word_start[team], word_start[team + 1]):
                bits = active[w]
                while bits != np.uint64(0) and budget[team] > _DONE:
                    low = bits & (~bits + one)
                    bit = debruijn[(low * _DEBRUIJN) >> np.uint64(58)]
                    mask = one << np.uint64(bit)
                    bits ^= mask
                    k = slot_item[(w << 6) + bit]
                    share = min(limit - ready_at[k], 1.0)
                    if share <= 0.0:
                        continue
                    alloc = min(rate[k] * share, remaining[k], max(budget[team], 0.0))
                    remaining[k] -= alloc
                    budget[team] -= alloc
                    if remaining[k] > _DONE:
                        continue
                    rate_now = max(min(rate[k], capacity[team, week]), 1e-12)
                    end = (limit - share) + min(alloc / rate_now, share) + delay[k]
                    finish[k] = end
                    queued -= 1
                    active[w] ^= mask
                    for e in range(succ_ptr[k], succ_ptr[k + 1]):
                        s = succ_idx[e]
                        pending[s] -= 1
                        latest[s] = max(latest[s], end + succ_lag[e])
                        if pending[s] == 0:
                            ready_at[s] = latest[s]
                            size = _push(heap, size, rank[s])
                if budget[team] <= _DONE:
                    break
        # Newly ready items, in priority order. The allocation below repeats the one above on
        # purpose: a helper taking the arrays costs reference counting on every call, and
        # inlining by hand halved the kernel's time (docs/benchmarks/forecasting.md).
        while size > 0:
            k = order[heap[0]]
            size = _pop(heap, size)
            team = team_of[k]
            share = min(limit - ready_at[k], 1.0)
            if budget[team] > _DONE and share > 0.0:
                alloc = min(rate[k] * share, remaining[k], max(budget[team], 0.0))
                remaining[k] -= alloc
                budget[team] -= alloc
                if remaining[k] <= _DONE:
                    rate_now = max(min(rate[k], capacity[team, week]), 1e-12)
                    end = (limit - share) + min(alloc / rate_now, share) + delay[k]
                    finish[k] = end
                    for e in range(succ_ptr[k], succ_ptr[k + 1]):
                        s = succ_idx[e]
                        pending[s] -= 1
                        latest[s] = max(latest[s], end + succ_lag[e])
                        if pending[s] == 0:
                            ready_at[s] = latest[s]
                            size = _push(heap, size, rank[s])
                    continue
            fresh[fresh_count] = k
            fresh_count += 1
        for f in range(fresh_count):
            k = fresh[f]
            active[slot[k] >> 6] |= one << np.uint64(slot[k] & 63)
            queued += 1


@njit(cache=True, parallel=True)
def simulate(
    uniform: np.ndarray,
    kind: np.ndarray,
    low: np.ndarray,
    mode: np.ndarray,
    high: np.ndarray,
    factors: np.ndarray,
    growth: np.ndarray,
    growth_of: np.ndarray,
    risk_delay: np.ndarray,
    risk_ptr: np.ndarray,
    risk_idx: np.ndarray,
    rate: np.ndarray,
    capacity: np.ndarray,
    team_of: np.ndarray,
    order: np.ndarray,
    preds: np.ndarray,
    succ_ptr: np.ndarray,
    succ_idx: np.ndarray,
    succ_lag: np.ndarray,
    earliest: np.ndarray,
    max_weeks: int,
    group_ptr: np.ndarray,
    group_idx: np.ndarray,
) -> np.ndarray:
    """Finish week (from the start; ``inf`` = not within ``max_weeks``) of every group in every
    trial, ``(groups, trials)``: the latest finish of the items
    ``group_idx[group_ptr[g]:group_ptr[g + 1]]``. ``uniform`` is ``(trials, items)``; the
    successors of item ``k`` are ``succ_idx[succ_ptr[k]:succ_ptr[k + 1]]`` with lags
    ``succ_lag``; ``preds[k]`` counts its predecessors; ``order`` is a topological order."""
    trials, n = uniform.shape
    groups = group_ptr.size - 1
    teams = capacity.shape[0]
    ends = np.empty((groups, trials))
    rank = np.empty(n, dtype=np.int64)
    for position in range(n):
        rank[order[position]] = position
    # slots: each team's items in priority order, from a 64-aligned start
    count = np.zeros(teams, dtype=np.int64)
    for k in range(n):
        count[team_of[k]] += 1
    word_start = np.zeros(teams + 1, dtype=np.int64)
    for t in range(teams):
        word_start[t + 1] = word_start[t] + (count[t] + 63) // 64
    slot = np.empty(n, dtype=np.int64)
    slot_item = np.full(64 * word_start[teams] + 1, -1, dtype=np.int64)
    used = np.zeros(teams, dtype=np.int64)
    for position in range(n):
        k = order[position]
        t = team_of[k]
        slot[k] = 64 * word_start[t] + used[t]
        slot_item[slot[k]] = k
        used[t] += 1
    words = max(int(word_start[teams]), 1)
    chunks = min(trials, 64)
    for c in prange(chunks):
        remaining = np.empty(n)
        delay = np.empty(n)
        finish = np.empty(n)
        scratch = np.empty((3, max(n, teams)))
        pending = np.empty(n, dtype=np.int64)
        active = np.empty(words, dtype=np.uint64)
        heap = np.empty(n, dtype=np.int64)
        fresh = np.empty(n, dtype=np.int64)
        for trial in range(c * trials // chunks, (c + 1) * trials // chunks):
            _sample(
                trial,
                uniform,
                kind,
                low,
                mode,
                high,
                factors,
                growth,
                growth_of,
                risk_delay,
                risk_ptr,
                risk_idx,
                remaining,
                delay,
            )
            _schedule(
                remaining,
                delay,
                rate,
                capacity,
                team_of,
                order,
                rank,
                preds,
                succ_ptr,
                succ_idx,
                succ_lag,
                earliest,
                max_weeks,
                slot,
                slot_item,
                word_start,
                finish,
                scratch,
                pending,
                active,
                heap,
                fresh,
            )
            for g in range(groups):
                end = -math.inf
                for e in range(group_ptr[g], group_ptr[g + 1]):
                    end = max(end, finish[group_idx[e]])
                ends[g, trial] = end
    return ends


@njit(cache=True, nogil=True)
def first_passage(
    flat: np.ndarray,
    width: int,
    row: np.ndarray,
    scale: np.ndarray,
    need: np.ndarray,
    total: np.ndarray,
    picks: np.ndarray,
    done_weeks: int,
    days: np.ndarray,
) -> np.ndarray:
    """One chunk of "when will ``need`` items be done" for many running trials.

    Trial ``r`` adds the weeks ``flat[row[r] * width + picks[r, j]] * scale[r]`` to its running
    ``total`` (updated in place). In the week ``j`` that reaches ``need[r]`` it is done on day
    ``7 * (done_weeks + j) + ceil(7 * missing / that week)`` (written to ``days[r]``), the
    completions of a week being spread evenly. Returns which trials are still running."""
    running = np.ones(row.size, dtype=np.bool_)
    chunk = picks.shape[1]
    for r in range(row.size):
        base = row[r] * width
        target = need[r] - 1e-9
        so_far = total[r]
        for j in range(chunk):
            week = flat[base + picks[r, j]] * scale[r]
            if so_far + week >= target:
                share = (need[r] - so_far) / week
                days[r] = 7.0 * (done_weeks + j) + math.ceil(7.0 * share - 1e-9)
                running[r] = False
                break
            so_far += week
        total[r] = so_far
    return running


__all__ = ["first_passage", "simulate"]
