"""Benchmark: planning at product scale on synthetic programs.

For each size (default 5,000 items / 20 teams / 26-week calendar, and 10,000 items / 200
teams), a program is generated with :func:`scaleplan.synthetic.generate_program`, validated,
and mapped with :func:`scaleplan.planning.build_problem`. Then, with the clock started after
the problem is built:

* **first plan**: one serial-SGS pass (the LFT rule) - the in-process baseline;
* **heuristic**: :func:`solve` with ``backend="heuristic"`` and ``--feasible-limit`` seconds
  (target: a feasible plan within 5 s for 5,000 items, 30 s for 10,000);
* **cpsat**: :func:`solve` with ``backend="cpsat"`` and ``--improve-limit`` seconds (target:
  an improved plan within 60 s for 5,000 items).

Every plan is re-checked by :func:`check_plan`. Reported: build time, wall time, status,
objective, its ratio to the first plan's objective (lower is better), makespan, schedules.

Run: ``python -m bench.planning [--sizes 5000x20 10000x200] [--feasible-limit 5]
[--improve-limit 60] [--workers 2] [--seed 1] [--json FILE]``.
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

DEFAULT_SIZES = ("5000x20", "10000x200")
FEASIBLE_TARGET = {"5000x20": 5.0, "10000x200": 30.0}


def build(items: int, teams: int, weeks: int, seed: int) -> tuple[Any, dict[str, float]]:
    from scaleplan import program_from_document
    from scaleplan.planning import build_problem
    from scaleplan.planning.diagnose import diagnose
    from scaleplan.planning.transform import relax_for_plan
    from scaleplan.synthetic import generate_program

    t0 = time.perf_counter()
    doc = generate_program(teams=teams, items=items, weeks=weeks, seed=seed)
    t1 = time.perf_counter()
    checked = program_from_document(doc)
    if checked.program is None:
        raise SystemExit(f"synthetic program {items}x{teams} is invalid")
    t2 = time.perf_counter()
    problem = build_problem(checked.program)
    problem = relax_for_plan(problem, diagnose(problem))
    t3 = time.perf_counter()
    return problem, {"generate_s": t1 - t0, "validate_s": t2 - t1, "build_s": t3 - t2}


def first_plan(problem: Any) -> tuple[float, int, float]:
    """Objective, makespan and time of one LFT serial-SGS pass."""
    from scaleplan.planning.backends.heuristic import Instance, priority_rules
    from scaleplan.planning.bounds import critical_path_bound
    from scaleplan.planning.problem import WEIGHT_SCALE, objective_value

    t0 = time.perf_counter()
    inst = Instance(problem)
    keys = priority_rules(problem, critical_path_bound(problem))["LFT"]
    out = inst.forward(inst.order_by(keys))
    assert out is not None
    starts, ends, _, _ = out
    wall = time.perf_counter() - t0
    return objective_value(problem, starts, ends) / WEIGHT_SCALE, max(ends), wall


def run_size(size: str, args: argparse.Namespace) -> dict[str, Any]:
    from scaleplan.planning import check_plan, solve

    items, teams = (int(x) for x in size.split("x"))
    problem, times = build(items, teams, args.weeks, args.seed)
    base_obj, base_ms, base_wall = first_plan(problem)
    row: dict[str, Any] = {
        "size": size,
        "items": problem.n,
        "resources": len(problem.resources),
        "precedences": len(problem.precedences),
        "relaxed_hard_deadlines": len(problem.meta.get("relaxed_deadlines", ())),
        "unpinned_in_progress": len(problem.meta.get("unpinned", ())),
        **{k: round(v, 2) for k, v in times.items()},
        "first_plan": {"objective": base_obj, "makespan": base_ms, "wall_s": round(base_wall, 2)},
    }
    runs = [("heuristic", args.feasible_limit)]
    if not args.skip_cpsat and size in args.improve_sizes:
        runs.append(("cpsat", args.improve_limit))
    for backend, limit in runs:
        t0 = time.perf_counter()
        result = solve(problem, backend=backend, time_limit=limit, workers=args.workers, seed=0)
        wall = time.perf_counter() - t0
        violations = check_plan(problem, result)
        row[backend] = {
            "time_limit": limit,
            "wall_s": round(wall, 2),
            "status": result.status,
            "objective": result.objective,
            "bound": result.bound,
            "ratio_to_first_plan": None
            if result.objective is None
            else round(result.objective / base_obj, 4),
            "makespan": result.makespan,
            "schedules": result.stats.get("heuristic_schedules"),
            "cpsat_status": result.stats.get("cpsat_status"),
            "checker_failures": len(violations),
        }
        print(f"  {size} {backend}: {row[backend]}", file=sys.stderr, flush=True)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.planning")
    parser.add_argument("--sizes", nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--weeks", type=int, default=26, help="Calendar length of the program.")
    parser.add_argument("--feasible-limit", type=float, default=5.0)
    parser.add_argument("--improve-limit", type=float, default=60.0)
    parser.add_argument(
        "--improve-sizes", nargs="+", default=["5000x20"], help="Sizes that also run CP-SAT."
    )
    parser.add_argument("--skip-cpsat", action="store_true")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    report: dict[str, Any] = {
        "command": "python -m bench.planning "
        + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "rows": [],
    }
    failures = 0
    for size in args.sizes:
        print(f"{size}: generating and building", file=sys.stderr, flush=True)
        row = run_size(size, args)
        report["rows"].append(row)
        h = row["heuristic"]
        line = (
            f"{size}: {row['items']} items, {row['resources']} resources, build {row['build_s']}s; "
            f"first plan {row['first_plan']['wall_s']}s objective {row['first_plan']['objective']:,.0f}; "
            f"heuristic {h['status']} in {h['wall_s']}s ratio {h['ratio_to_first_plan']}"
        )
        if "cpsat" in row:
            c = row["cpsat"]
            line += f"; cpsat {c['status']} in {c['wall_s']}s ratio {c['ratio_to_first_plan']}"
        print(line)
        failures += sum(row[b]["checker_failures"] for b in ("heuristic", "cpsat") if b in row)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=str) + "\n")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
