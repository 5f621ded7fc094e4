"""Benchmark: the planning back-ends on the PSPLIB single-mode RCPSP sets j30/j60/j90/j120.

Each instance is read with :func:`scaleplan.planning.read_sm` onto the same solver-neutral
problem the product uses, solved with :func:`scaleplan.planning.solve` (``--backend``,
``--time-limit`` seconds, ``--workers`` threads, ``--seed``), and every plan is re-checked by
the independent checker :func:`scaleplan.planning.check_plan` with the instance's proven
lower bound (a makespan below it would be a bug). Gaps are measured against ``bounds.csv``
``ub`` (the best known makespan, 2024): ``gap = (makespan - ub) / ub``.

Reported per set: % equal to the best known, % proven optimal, mean / p95 / max gap, mean and
p95 time, checker failures (must be 0); and, as the in-process baseline, the gap of a single
serial-SGS pass with the LFT rule (no search) on the same instances, with the ratio.

Run: ``python -m bench.psplib --set j30 [--limit N] [--per-group K] --time-limit S
[--workers 2] [--backend cpsat|heuristic] [--json FILE] [--data DIR]``.
Full sets take ``instances x time-limit`` (480 x 10 s = 80 min for j30); ``--per-group 1``
takes instance 1 of every parameter group (48 or 60 instances), a stratified sample.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

DEFAULT_DATA = (
    Path(
        os.environ.get(
            "SCALEPLAN_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"
        )
    )
    / "psplib"
)
SETS = ("j30", "j60", "j90", "j120")


def select(
    data: Path, name: str, *, per_group: int | None, limit: int | None, only: list[str] | None
) -> list[dict[str, str]]:
    with (data / "bounds.csv").open() as handle:
        rows = [r for r in csv.DictReader(handle) if r["set"] == name]
    if not rows:
        raise SystemExit(f"no instances of set {name} in {data / 'bounds.csv'}")
    rows.sort(key=lambda r: (int(r["param"]), int(r["inst"])))
    if only:
        wanted = set(only)
        rows = [r for r in rows if r["instance"] in wanted]
    if per_group is not None:
        rows = [r for r in rows if int(r["inst"]) <= per_group]
    if limit is not None:
        rows = rows[:limit]
    return rows


def baseline_makespan(problem: Any) -> int:
    """One serial-SGS pass with the LFT priority rule, no improvement (the baseline)."""
    from scaleplan.planning.backends.heuristic import Instance, priority_rules
    from scaleplan.planning.bounds import critical_path_bound

    inst = Instance(problem)
    keys = priority_rules(problem, critical_path_bound(problem))["LFT"]
    out = inst.forward(inst.order_by(keys))
    assert out is not None
    return max(out[1])


def run_instance(
    data: Path, name: str, row: dict[str, str], args: argparse.Namespace
) -> dict[str, Any]:
    from scaleplan.planning import check_plan, read_sm, solve

    problem = read_sm(data / name / row["instance"])
    lb, ub = int(row["lb"]), int(row["ub"])
    started = time.perf_counter()
    result = solve(
        problem,
        backend=args.backend,
        time_limit=args.time_limit,
        seed=args.seed,
        workers=args.workers,
    )
    wall = time.perf_counter() - started
    violations = check_plan(problem, result, lower_bound=lb)
    makespan = result.makespan
    base = baseline_makespan(problem)
    return {
        "instance": row["instance"],
        "param": int(row["param"]),
        "inst": int(row["inst"]),
        "lb": lb,
        "ub": ub,
        "status": result.status,
        "makespan": makespan,
        "bound": result.bound,
        "gap": None if makespan is None else (makespan - ub) / ub,
        "equal": makespan == ub,
        "optimal": result.status == "optimal",
        "time": wall,
        "violations": violations,
        "baseline_makespan": base,
        "baseline_gap": (base - ub) / ub,
        "heuristic_schedules": result.stats.get("heuristic_schedules"),
    }


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    gaps = [r["gap"] for r in rows if r["gap"] is not None]
    times = [r["time"] for r in rows]
    base = [r["baseline_gap"] for r in rows]
    n = len(rows)
    mean_gap = sum(gaps) / len(gaps) if gaps else float("nan")
    mean_base = sum(base) / len(base) if base else float("nan")
    return {
        "instances": n,
        "equal_pct": 100.0 * sum(r["equal"] for r in rows) / n if n else 0.0,
        "optimal_pct": 100.0 * sum(r["optimal"] for r in rows) / n if n else 0.0,
        "mean_gap_pct": 100.0 * mean_gap,
        "p95_gap_pct": 100.0 * percentile(gaps, 0.95),
        "max_gap_pct": 100.0 * max(gaps) if gaps else float("nan"),
        "mean_time_s": sum(times) / n if n else 0.0,
        "p95_time_s": percentile(times, 0.95),
        "checker_failures": sum(bool(r["violations"]) for r in rows),
        "no_plan": sum(r["makespan"] is None for r in rows),
        "baseline_mean_gap_pct": 100.0 * mean_base,
        "gap_ratio_vs_baseline": (mean_gap / mean_base) if mean_base else float("nan"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.psplib", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--set", dest="sets", action="append", choices=SETS, required=True)
    parser.add_argument(
        "--limit", type=int, help="At most N instances per set (after --per-group)."
    )
    parser.add_argument("--per-group", type=int, help="First K instances of each parameter group.")
    parser.add_argument("--instances", help="Comma-separated instance file names.")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--backend", choices=("cpsat", "heuristic"), default="cpsat")
    parser.add_argument("--json", type=Path, help="Write per-instance rows and summaries here.")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    if not (args.data / "bounds.csv").is_file():
        print(f"PSPLIB data not found at {args.data}", file=sys.stderr)
        return 2
    only = args.instances.split(",") if args.instances else None
    report: dict[str, Any] = {
        "command": "python -m bench.psplib " + " ".join(argv if argv is not None else sys.argv[1:]),
        "backend": args.backend,
        "time_limit": args.time_limit,
        "workers": args.workers,
        "seed": args.seed,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "sets": {},
    }
    for name in args.sets:
        rows = []
        selected = select(args.data, name, per_group=args.per_group, limit=args.limit, only=only)
        for k, row in enumerate(selected, 1):
            result = run_instance(args.data, name, row, args)
            rows.append(result)
            gap = "-" if result["gap"] is None else f"{100 * result['gap']:.2f}%"
            flag = (
                " CHECKER FAILED: " + "; ".join(result["violations"][:3])
                if result["violations"]
                else ""
            )
            print(
                f"[{name} {k}/{len(selected)}] {row['instance']}: {result['status']} "
                f"makespan {result['makespan']} ub {result['ub']} gap {gap} "
                f"{result['time']:.1f}s{flag}",
                file=sys.stderr,
                flush=True,
            )
            if args.json:  # keep partial results of long runs
                report["sets"][name] = {"summary": summarise(rows), "rows": rows}
                args.json.write_text(json.dumps(report, indent=1, default=str) + "\n")
        summary = summarise(rows)
        report["sets"][name] = {"summary": summary, "rows": rows}
        print(
            f"{name} ({args.backend}, {args.time_limit:g} s, {args.workers} workers, "
            f"{summary['instances']} instances): equal to best known {summary['equal_pct']:.1f}%, "
            f"proven optimal {summary['optimal_pct']:.1f}%, gap mean {summary['mean_gap_pct']:.2f}% "
            f"p95 {summary['p95_gap_pct']:.2f}% max {summary['max_gap_pct']:.2f}%, time mean "
            f"{summary['mean_time_s']:.2f}s p95 {summary['p95_time_s']:.2f}s, checker failures "
            f"{summary['checker_failures']}; baseline (one LFT pass) gap "
            f"{summary['baseline_mean_gap_pct']:.2f}%, ratio {summary['gap_ratio_vs_baseline']:.3f}"
        )
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=str) + "\n")
    failures = sum(s["summary"]["checker_failures"] for s in report["sets"].values())
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
