"""Benchmark: load and validate a large program repository.

Generates a synthetic program (default 10,000 work items, 200 teams, 2,000 people), writes it in
the split layout to a temporary directory, then measures ``check_program`` (discover, parse with
locations, validate, cross-reference checks, build the Program) against a baseline measured in
the same process: plain ``yaml.load(text, Loader=yaml.CSafeLoader)`` of the same files, with no
validation at all. Prints a table of times (best and mean of ``--repeat`` runs), peak memory
(tracemalloc, and max RSS measured in a fresh interpreter per case) and the ratios.

Run: ``python -m bench.load [--items N --teams N --people N --repeat 3 --json FILE]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

#: Load + validate of the default size must stay under this many seconds.
TARGET_SECONDS = 2.0


def files_of(root: Path) -> list[Path]:
    """The files the loader reads, in its order (so the baseline reads exactly the same)."""
    from scaleplan.loading.sources import discover

    return discover(root)[1]


def baseline(root: Path) -> int:
    """Parse every program file with libyaml's safe loader; no locations, no validation.

    The parsed documents are kept until the end, as a loader must keep them."""
    documents = [
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        for path in files_of(root)
    ]
    return sum(len(v) for d in documents for v in d.values() if isinstance(v, list))


def scaleplan_load(root: Path) -> int:
    from scaleplan import check_program

    try:
        result = check_program(root)
        if result.program is None:
            errors = [d.format() for d in result.errors[:5]]
            raise SystemExit(f"generated program is invalid: {errors}")
        return len(result.program.work_items)
    finally:
        _forget_constructed_nodes()


def _forget_constructed_nodes() -> None:
    """Drop the YAML nodes the loader's shared constructor keeps after every load.

    ``scaleplan.loading.yamlsrc`` builds scalars with one module-level ``SafeConstructor``
    whose ``constructed_objects`` cache is never cleared, so each load leaves every non-string
    scalar node (and its two marks) alive. Without this reset every later measurement in the
    process, the baseline included, pays for a growing heap in each garbage collection."""
    from scaleplan.loading import yamlsrc

    constructor = getattr(yamlsrc, "_constructor", None)
    for name in ("constructed_objects", "recursive_objects"):
        cache = getattr(constructor, name, None)
        if isinstance(cache, dict | set):
            cache.clear()


def retained_objects(root: Path) -> int:
    """Objects still alive after one ``check_program`` whose result is dropped (a leak if > 0)."""
    from scaleplan import check_program

    gc.collect()
    before = len(gc.get_objects())
    check_program(root)
    gc.collect()
    retained = len(gc.get_objects()) - before
    _forget_constructed_nodes()
    return retained


def scaleplan_load_gc_paused(root: Path) -> int:
    """``check_program`` with Python's cyclic garbage collector paused around the call.

    Not what the loader does today: a what-if that shows how much of the time is spent in the
    collector re-scanning the hundreds of thousands of new containers parsing creates."""
    gc.disable()
    try:
        return scaleplan_load(root)
    finally:
        gc.enable()


CASES: dict[str, Callable[[Path], int]] = {
    "scaleplan": scaleplan_load,
    "baseline": baseline,
    "scaleplan_gc_paused": scaleplan_load_gc_paused,
}


def timed(
    cases: dict[str, Callable[[Path], int]], root: Path, repeat: int
) -> dict[str, tuple[list[float], list[float]]]:
    """Wall-clock and CPU seconds of ``repeat`` runs of each case.

    Runs are interleaved (a, b, a, b, ...) so that both cases see the same background load;
    CPU time is the steadier number on a busy machine."""
    out: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in cases}
    for _ in range(repeat):
        for name, fn in cases.items():
            gc.collect()
            start, start_cpu = time.perf_counter(), time.process_time()
            fn(root)
            out[name][0].append(time.perf_counter() - start)
            out[name][1].append(time.process_time() - start_cpu)
    return out


def traced_peak(fn: Callable[[Path], int], root: Path) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        fn(root)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def max_rss_bytes() -> int:
    """Peak resident memory of this process.

    On Linux ``ru_maxrss`` survives ``exec`` (a child starts with its parent's high-water mark),
    so the per-address-space ``VmHWM`` from ``/proc/self/status`` is read instead.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024  # Linux reports KiB


def child_rss(case: str, root: Path) -> int:
    """Max RSS of a fresh interpreter that imports both stacks and runs one case once."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.load", "--child", case, str(root)],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    return int(out.stdout.strip())


def run_child(case: str, root: Path) -> None:
    import scaleplan.loading  # noqa: F401  (import cost is the same for every case)

    if case != "idle":
        CASES[case](root)
    print(max_rss_bytes())


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from scaleplan.synthetic import document_counts, generate_program, write_program

    with tempfile.TemporaryDirectory(prefix="scaleplan-bench-") as tmp:
        root = Path(tmp) / "program"
        start = time.perf_counter()
        doc = generate_program(
            teams=args.teams, items=args.items, people=args.people, seed=args.seed
        )
        generate_s = time.perf_counter() - start
        start = time.perf_counter()
        write_program(doc, root, layout="split")
        write_s = time.perf_counter() - start
        counts = document_counts(doc)
        del doc  # a live 10,000-item document would make every garbage collection slower
        gc.collect()
        paths = files_of(root)
        size = sum(p.stat().st_size for p in paths)
        scaleplan_load(root)  # warm-up: imports, time zone table, pydantic schemas
        baseline(root)
        leaked = retained_objects(root)
        results: dict[str, Any] = {}
        for case, (times, cpu) in timed(CASES, root, args.repeat).items():
            results[case] = {
                "best_s": min(times),
                "mean_s": statistics.fmean(times),
                "times_s": times,
                "best_cpu_s": min(cpu),
                "mean_cpu_s": statistics.fmean(cpu),
                "tracemalloc_peak_bytes": traced_peak(CASES[case], root),
            }
        idle = child_rss("idle", root)
        for case in ("scaleplan", "baseline"):
            rss = child_rss(case, root)
            results[case]["max_rss_bytes"] = rss
            results[case]["max_rss_above_idle_bytes"] = rss - idle
        return {
            "command": "python -m bench.load " + " ".join(sys.argv[1:]),
            "python": platform.python_version(),
            "machine": f"{platform.system()} {platform.machine()}, {_cpus()} CPUs",
            "yaml_libyaml": yaml.__with_libyaml__,
            "program": {
                "counts": counts,
                "files": len(paths),
                "bytes": size,
                "generate_s": generate_s,
                "write_s": write_s,
            },
            "idle_rss_bytes": idle,
            "objects_retained_per_load": leaked,
            "results": results,
            "ratios": {
                key: results["scaleplan"][key] / results["baseline"][key]
                for key in (
                    "best_s",
                    "mean_s",
                    "best_cpu_s",
                    "mean_cpu_s",
                    "tracemalloc_peak_bytes",
                    "max_rss_above_idle_bytes",
                )
                if results["baseline"][key]
            },
            "target_s": TARGET_SECONDS,
            "target_met": results["scaleplan"]["best_s"] < TARGET_SECONDS,
            "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        }


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _mb(n: float) -> str:
    return f"{n / 2**20:.1f} MB"


def render(report: dict[str, Any]) -> str:
    prog = report["program"]
    counts = prog["counts"]
    res, ratios = report["results"], report["ratios"]
    sp, base = res["scaleplan"], res["baseline"]
    rows = [
        ("best time", f"{sp['best_s']:.3f} s", f"{base['best_s']:.3f} s", ratios.get("best_s")),
        ("mean time", f"{sp['mean_s']:.3f} s", f"{base['mean_s']:.3f} s", ratios.get("mean_s")),
        (
            "best CPU time",
            f"{sp['best_cpu_s']:.3f} s",
            f"{base['best_cpu_s']:.3f} s",
            ratios.get("best_cpu_s"),
        ),
        (
            "mean CPU time",
            f"{sp['mean_cpu_s']:.3f} s",
            f"{base['mean_cpu_s']:.3f} s",
            ratios.get("mean_cpu_s"),
        ),
        (
            "peak traced memory",
            _mb(sp["tracemalloc_peak_bytes"]),
            _mb(base["tracemalloc_peak_bytes"]),
            ratios.get("tracemalloc_peak_bytes"),
        ),
        (
            "max RSS above idle",
            _mb(sp["max_rss_above_idle_bytes"]),
            _mb(base["max_rss_above_idle_bytes"]),
            ratios.get("max_rss_above_idle_bytes"),
        ),
        ("max RSS (process)", _mb(sp["max_rss_bytes"]), _mb(base["max_rss_bytes"]), None),
    ]
    lines = [
        f"program: {counts['work_items']} work items, {counts['teams']} teams, "
        f"{counts['people']} people, {counts['initiatives']} initiatives, "
        f"{counts['dependencies']} dependencies; {prog['files']} files, {_mb(prog['bytes'])}",
        f"generate {prog['generate_s']:.2f} s, write (split layout) {prog['write_s']:.2f} s; "
        f"python {report['python']}, {report['machine']}, libyaml {report['yaml_libyaml']}",
        "",
        f"| {'metric':<20} | {'scaleplan check':>16} | {'CSafeLoader only':>16} | {'ratio':>6} |",
        f"|{'-' * 22}|{'-' * 18}|{'-' * 18}|{'-' * 8}|",
    ]
    for name, a, b, ratio in rows:
        shown = f"{ratio:.1f}x" if ratio is not None else ""
        lines.append(f"| {name:<20} | {a:>16} | {b:>16} | {shown:>6} |")
    verdict = "met" if report["target_met"] else "MISSED"
    leaked = report.get("objects_retained_per_load", 0)
    if leaked > 100:
        lines += [
            "",
            f"leak: {leaked} objects stay alive after each check_program (YAML nodes kept by the "
            "loader's shared SafeConstructor); the benchmark clears them between runs",
        ]
    load = report.get("load_average")
    if load:
        lines += ["", f"load average during the run: {load[0]:.2f} (1 min) on {_cpus()} CPUs"]
    paused = res.get("scaleplan_gc_paused")
    if paused:
        lines += [
            "",
            "what-if, garbage collector paused around check_program: "
            f"best {paused['best_s']:.3f} s wall, {paused['best_cpu_s']:.3f} s CPU "
            f"({paused['best_cpu_s'] / base['best_cpu_s']:.1f}x the baseline's CPU time), "
            f"peak traced memory {_mb(paused['tracemalloc_peak_bytes'])}",
        ]
    lines += ["", f"target: load + validate < {report['target_s']:g} s (best wall time): {verdict}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--teams", type=int, default=200)
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    parser.add_argument("--child", nargs=2, metavar=("CASE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        run_child(args.child[0], Path(args.child[1]))
        return 0
    report = measure(args)
    print(render(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
