"""Benchmark: forecasting speed and calibration on the real data in ../shared/data/issues.

Sections (all by default; pick with ``--only``):

* ``speed``: a 100,000-trial throughput Monte Carlo (the simulation alone, and the full
  calibrated forecast with its self-replay), and a 10,000-trial plan forecast of a synthetic
  1,000-item program; each against the plain weekly bootstrap measured in the same process.
* ``tawos``: the backtest of every TAWOS completion-date history (``pooled`` prior: the other
  projects' errors due before each forecast date, so no look-ahead), methods bootstrap
  (baseline), drift, conformal and calibrated, horizons 4/13/26 weeks.
* ``industrial``: the same on the two industrial projects (``builtin`` prior, learned on TAWOS,
  so out of sample).
* ``sets``: specific-set forecasts on cohorts of ``tawos-sp-effort`` (in-progress and recent).
* ``prior``: recompute the built-in prior table (prints Python to paste into
  ``src/scaleplan/analysis/forecasting/prior.py``).

Run: ``python -m bench.forecasting [--only speed,tawos,industrial,sets] [--trials 300]
[--json FILE]``. Numbers go into docs/benchmarks/forecasting.md with the command.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("SCALEPLAN_SHARED_DATA", ROOT.parent / "shared" / "data")) / "issues"


def _timed(fn: Any, repeat: int = 3) -> tuple[float, Any]:
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def speed(out: dict[str, Any]) -> None:
    from scaleplan import program_from_document
    from scaleplan.adapters import load_history
    from scaleplan.analysis.forecasting import forecast_when
    from scaleplan.analysis.forecasting.montecarlo import simulate_when, winsorize
    from scaleplan.analysis.forecasting.plan import forecast_plan
    from scaleplan.analysis.forecasting.series import completion_series
    from scaleplan.synthetic import generate_program

    history = load_history(DATA / "tawos-completion-dates" / "Moodle.csv")
    window = completion_series(history).weekly()[-26:]
    rng = np.random.default_rng(7)
    items = 600
    base, _ = _timed(lambda: simulate_when(window, items, 100_000, rng))
    ours_mc, _ = _timed(lambda: simulate_when(winsorize(window), items, 100_000, rng))
    from scaleplan.analysis.forecasting.montecarlo import use_kernel

    try:
        use_kernel(False)
        full_numpy, _ = _timed(lambda: forecast_when(history, items, trials=100_000), repeat=3)
        use_kernel(True)
        full, forecast = _timed(lambda: forecast_when(history, items, trials=100_000), repeat=3)
    finally:
        use_kernel(None)
    print("\n## Speed\n")
    print("| case | seconds | vs plain bootstrap |")
    print("| --- | --- | --- |")
    print(f"| plain bootstrap, 100,000 trials, {items} items (baseline) | {base:.3f} | 1.00 |")
    print(f"| winsorized bootstrap, 100,000 trials | {ours_mc:.3f} | {ours_mc / base:.2f} |")
    print(
        f"| calibrated forecast incl. replay of {forecast.coverage.forecasts} past weeks, "
        f"numpy path (a fresh process) | {full_numpy:.3f} | {full_numpy / base:.2f} |"
    )
    print(f"| same, compiled path (once numba is loaded) | {full:.3f} | {full / base:.2f} |")
    program = program_from_document(
        generate_program(teams=20, items=1000, people=160, seed=1)
    ).program
    assert program is not None
    import numba

    first, _ = _timed(lambda: forecast_plan(program, trials=100), repeat=1)
    threads = numba.get_num_threads()
    plan_time, _ = _timed(lambda: forecast_plan(program, trials=10_000), repeat=3)
    plan_small, _ = _timed(lambda: forecast_plan(program, trials=1_000), repeat=3)
    numba.set_num_threads(1)
    try:
        plan_single, _ = _timed(lambda: forecast_plan(program, trials=10_000), repeat=3)
    finally:
        numba.set_num_threads(threads)
    print("\n| plan forecast (1,000 items, 20 teams) | seconds | vs 1 thread |")
    print("| --- | --- | --- |")
    print(
        f"| first call in the process (kernel from numba's cache), 100 trials | {first:.3f} | - |"
    )
    print(f"| 10,000 trials, 1 thread (baseline) | {plan_single:.3f} | 1.00 |")
    print(f"| 10,000 trials, {threads} threads | {plan_time:.3f} | {plan_time / plan_single:.2f} |")
    print(f"| 1,000 trials, {threads} threads | {plan_small:.3f} | - |")
    out["speed"] = {
        "bootstrap_100k": base,
        "winsorized_100k": ours_mc,
        "calibrated_forecast_100k": full,
        "calibrated_forecast_100k_numpy": full_numpy,
        "plan_first_call": first,
        "plan_threads": threads,
        "plan_1000_items_10k_trials": plan_time,
        "plan_1000_items_10k_trials_1_thread": plan_single,
        "plan_1000_items_1k_trials": plan_small,
    }


def _table(result: Any) -> None:
    print(
        "| question | horizon | method | forecasts | P50 held | P85 held | P95 held | "
        "median actual/P50 | median P85/P50 | median P95/P50 | unbounded |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for cell in result.cells:
        for m in cell.methods:
            c = m.coverage
            print(
                f"| {cell.question} | {cell.horizon_weeks}w | {m.method} | {m.forecasts} | "
                f"{c['p50']:.1%} | {c['p85']:.1%} | {c['p95']:.1%} | "
                f"{m.median_actual_over_p50:.2f} | {m.median_p85_over_p50:.2f} | "
                f"{m.median_p95_over_p50:.2f} | {m.unbounded:.1%} |"
            )


def calibration(out: dict[str, Any], name: str, path: Path, prior: str, trials: int) -> None:
    from rich.console import Console
    from rich.progress import Progress

    from scaleplan.adapters import load_histories
    from scaleplan.analysis.forecasting.backtest import backtest

    histories = load_histories(path)
    start = time.perf_counter()
    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(name, total=None)

        def report(done: int, total: int, what: str) -> None:
            bar.update(task, completed=done, total=total, description=f"{name} {what}")

        result = backtest(
            histories,
            methods=("bootstrap", "drift", "conformal", "calibrated"),
            prior=prior,  # type: ignore[arg-type]
            trials=trials,
            progress=report,
        )
    seconds = time.perf_counter() - start
    print(f"\n## Calibration: {name} ({len(result.histories)} histories, prior {prior})\n")
    if result.excluded:
        print(f"Excluded (too short): {', '.join(result.excluded)}\n")
    _table(result)
    print(f"\n{seconds:.0f} s for the backtest (4 methods, {trials} trials per replay).")
    out[name] = {"seconds": seconds, **result.to_dict()}


def sets(out: dict[str, Any], trials: int) -> None:
    from scaleplan.adapters import load_histories
    from scaleplan.analysis.forecasting.sets import backtest_sets

    histories = load_histories(DATA / "tawos-sp-effort")
    print("\n## Specific sets on tawos-sp-effort cohorts\n")
    print("| cohort | method | sets | P50 held | P85 held | P95 held | median actual/P50 |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for kind in ("in-progress", "recent"):
        start = time.perf_counter()
        result = backtest_sets(
            histories,
            kind,  # type: ignore[arg-type]
            trials=trials,
            rng=np.random.default_rng(7),
        )
        for m in result["methods"]:
            c = m["coverage"]
            print(
                f"| {kind} | {m['method']} | {m['forecasts']} | {c['p50']:.1%} | "
                f"{c['p85']:.1%} | {c['p95']:.1%} | {m['median_actual_over_p50']:.2f} |"
            )
        out[f"sets-{kind}"] = {"seconds": time.perf_counter() - start, **result}


def prior_table(trials: int) -> None:
    from scaleplan.adapters import load_histories
    from scaleplan.analysis.forecasting.backtest import reference_scores
    from scaleplan.analysis.forecasting.replay import prepare
    from scaleplan.analysis.forecasting.series import completion_series

    series = [completion_series(h) for h in load_histories(DATA / "tawos-completion-dates")]
    rng = np.random.default_rng(7)
    print("TABLE: dict[str, dict[int, tuple[float, ...]]] = {")
    for question in ("when", "how-many"):
        print(f'    "{question}": {{')
        for horizon in (1, 2, 4, 8, 13, 26, 52):
            prepared = [
                prepare(s, question, horizon, trials=trials, methods=("calibrated",), rng=rng)  # type: ignore[arg-type]
                for s in series
                if s.weekly().size >= 26 + horizon + 1
            ]
            values = [round(float(v), 4) for v in reference_scores(prepared)]
            print(f"        {horizon}: (")
            for k in range(0, 40, 8):
                print("            " + ", ".join(str(v) for v in values[k : k + 8]) + ",")
            print("        ),")
        print("    },")
    print("}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("section", nargs="?", default="all", choices=["all", "prior"])
    parser.add_argument("--only", default="speed,tawos,industrial,sets")
    parser.add_argument("--trials", type=int, default=300)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        print(f"no shared data at {DATA}", file=sys.stderr)
        return 2
    if args.section == "prior":
        prior_table(args.trials)
        return 0
    only = set(args.only.split(","))
    out: dict[str, Any] = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "cpus": os.cpu_count(),
    }
    print(f"# forecasting benchmark (python {out['python']}, numpy {out['numpy']})")
    if "speed" in only:
        speed(out)
    if "tawos" in only:
        calibration(out, "tawos", DATA / "tawos-completion-dates", "pooled", args.trials)
    if "industrial" in only:
        calibration(out, "industrial", DATA / "rueedlinger-agile-projects", "builtin", args.trials)
    if "sets" in only:
        sets(out, args.trials)
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
