"""Benchmark: the dashboard under load and the program report, on a large synthetic program.

1. Generates a synthetic program (default 2,000 people, 10,000 work items, 200 teams, seed 1)
   and writes it to a temporary directory.
2. Report: times ``build_report`` + ``render_html`` in this process (target < 10 s), against
   the baseline of loading and validating the same files (``check_program``).
3. Dashboard: starts ``scaleplan serve`` in a separate process on a free 127.0.0.1 port, warms
   it up (every page and its JSON twin once, background sections finished), then runs
   ``--clients`` concurrent clients (threads, each with a keep-alive ``httpx.Client``; or
   ``--client asyncio``: coroutines on one loop) that request the pages and their JSON twins
   round-robin until ``--requests`` requests or ``--duration`` seconds. Prints
   p50 / p95 / p99 / max latency per endpoint (target p95 < 200 ms) against the baseline of
   ``/healthz`` measured under the same load.

Run: ``python -m bench.web [--people N --items N --teams N --clients 20 --requests 4000
--duration 60 --client threads|asyncio --json FILE]``. Exit status 1 when a target is missed.
The CPU time of the server and of the load generator is printed too: on a small machine the
Python client can cost more than the server, and its queueing shows up as latency.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import json
import os
import platform
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import yaml

REPORT_TARGET_S = 10.0
P95_TARGET_MS = 200.0
AS_OF = "2026-01-05"
PAGES = ("overview", "okrs", "priorities", "roadmap", "board", "teams", "forecasts", "risks")


def write_program(root: Path, document: dict[str, Any]) -> None:
    """Split layout: ``program.yaml`` plus one file per section (as a TPM would keep it)."""
    root.mkdir(parents=True, exist_ok=True)
    head = {k: document[k] for k in ("program", "calendar", "settings") if k in document}
    dump = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    (root / "program.yaml").write_text(yaml.dump(head, Dumper=dump, sort_keys=False))
    for key, value in document.items():
        if key in head:
            continue
        (root / f"{key}.yaml").write_text(yaml.dump({key: value}, Dumper=dump, sort_keys=False))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def bench_report(root: Path) -> dict[str, Any]:
    from scaleplan import check_program
    from scaleplan.reports import build_report, render_html

    started = time.perf_counter()
    result = check_program(root)
    load_s = time.perf_counter() - started
    assert result.program is not None, [d.format() for d in result.errors[:3]]
    started = time.perf_counter()
    sections = build_report(
        result.program,
        as_of=dt.date.fromisoformat(AS_OF),
        path=root,
        warnings=result.warnings,
        time_limit=2.0,
    )
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    html = render_html(
        sections, name=result.program.program.name, as_of=dt.date.fromisoformat(AS_OF)
    )
    render_s = time.perf_counter() - started
    return {
        "load_s": round(load_s, 3),
        "build_s": round(build_s, 3),
        "render_s": round(render_s, 3),
        "report_s": round(build_s + render_s, 3),
        "html_kb": len(html.encode()) // 1024,
        "sections": {s.id: {"status": s.status, "seconds": s.seconds} for s in sections},
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(root: Path, port: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "scaleplan", "serve", str(root),
        "--port", str(port), "--as-of", AS_OF, "--time-limit", "2",
    ]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(
                f"server exited: {server.stderr.read().decode() if server.stderr else ''}"
            )
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("server did not start within 120 s")


def warm_up(base: str) -> dict[str, float]:
    """Each JSON twin until complete (background jobs done), then each HTML page; seconds."""
    out = {}
    with httpx.Client(base_url=base, timeout=300) as client:
        for page in PAGES:
            started = time.perf_counter()
            data = client.get(f"/api/{page}", params={"wait": 60}).json()
            while not data["complete"]:
                data = client.get(f"/api/{page}", params={"wait": 60}).json()
            client.get("/" if page == "overview" else f"/{page}")
            out[page] = round(time.perf_counter() - started, 3)
    return out


def _targets() -> list[str]:
    targets = ["/healthz"]
    for page in PAGES:
        targets += ["/" if page == "overview" else f"/{page}", f"/api/{page}"]
    return targets


def load_threads(base: str, clients: int, requests: int, duration: float) -> dict[str, list[float]]:
    """``clients`` threads, each with its own keep-alive ``httpx.Client``, taking request
    numbers from a shared counter until ``requests`` are done or ``duration`` is over."""
    targets = _targets()
    latencies: dict[str, list[float]] = {t: [] for t in targets}
    counter = itertools.count()
    stop = time.monotonic() + duration
    errors: list[str] = []

    def client_loop(n: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            k = n
            while next(counter) < requests and time.monotonic() < stop:
                target = targets[k % len(targets)]
                k += 1
                started = time.perf_counter()
                response = client.get(target)
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    errors.append(f"{target}: {response.status_code}")
                latencies[target].append(elapsed)

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"{len(errors)} failed requests, e.g. {errors[:3]}")
    return latencies


async def load_asyncio(
    base: str, clients: int, requests: int, duration: float
) -> dict[str, list[float]]:
    """The same with ``clients`` coroutines sharing one event loop (``httpx.AsyncClient``)."""
    targets = _targets()
    latencies: dict[str, list[float]] = {t: [] for t in targets}
    counter = itertools.count()
    stop = time.monotonic() + duration
    errors: list[str] = []

    async def client_loop(n: int) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            k = n
            while next(counter) < requests and time.monotonic() < stop:
                target = targets[k % len(targets)]
                k += 1
                started = time.perf_counter()
                response = await client.get(target)
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    errors.append(f"{target}: {response.status_code}")
                latencies[target].append(elapsed)

    await asyncio.gather(*(client_loop(n) for n in range(clients)))
    if errors:
        raise SystemExit(f"{len(errors)} failed requests, e.g. {errors[:3]}")
    return latencies


def cpu_seconds(pid: int | None = None) -> float:
    """CPU time (user + system) of this process, or of ``pid`` from /proc."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--teams", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument(
        "--client",
        choices=("threads", "asyncio"),
        default="threads",
        help="load generator: one thread per client (default) or one event loop",
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    from scaleplan.synthetic import generate_program

    print(
        f"scaleplan web benchmark: {args.people} people, {args.items} items, {args.teams} teams; "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    document = generate_program(
        teams=args.teams, items=args.items, people=args.people, seed=args.seed
    )
    with tempfile.TemporaryDirectory(prefix="scaleplan-bench-web-") as tmp:
        root = Path(tmp) / "program"
        write_program(root, document)
        report = bench_report(root)
        print(
            f"report: build {report['build_s']:.2f} s + render {report['render_s']:.2f} s = "
            f"{report['report_s']:.2f} s ({report['html_kb']:,} KB HTML); baseline load+validate "
            f"{report['load_s']:.2f} s; ratio {report['report_s'] / report['load_s']:.1f}x "
            f"(target < {REPORT_TARGET_S:.0f} s)"
        )
        port = free_port()
        server = start_server(root, port)
        try:
            base = f"http://127.0.0.1:{port}"
            warm = warm_up(base)
            print(f"warm-up (first request per page, background jobs included): {warm}")
            cpu_client, cpu_server = cpu_seconds(), cpu_seconds(server.pid)
            started = time.perf_counter()
            if args.client == "threads":
                latencies = load_threads(base, args.clients, args.requests, args.duration)
            else:
                latencies = asyncio.run(
                    load_asyncio(base, args.clients, args.requests, args.duration)
                )
            wall = time.perf_counter() - started
            cpu_client = cpu_seconds() - cpu_client
            cpu_server = cpu_seconds(server.pid) - cpu_server
        finally:
            server.terminate()
            server.wait(timeout=10)
    total = sum(len(v) for v in latencies.values())
    base_p95 = percentile(latencies["/healthz"], 0.95)
    print(
        f"load: {args.clients} {args.client} clients, {total} requests in {wall:.1f} s "
        f"({total / wall:.0f} req/s); CPU: server {cpu_server:.1f} s "
        f"({cpu_server / total * 1000:.2f} ms/request), load generator {cpu_client:.1f} s; "
        f"load average {Path('/proc/loadavg').read_text().split()[0]}"
    )
    print(
        f"{'endpoint':<18}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'p95/healthz':>13}"
    )
    rows = {}
    ok = report["report_s"] < REPORT_TARGET_S
    for target, values in latencies.items():
        p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
        p99, worst = percentile(values, 0.99), max(values)
        rows[target] = {
            "n": len(values),
            "p50_ms": round(p50, 1),
            "p95_ms": round(p95, 1),
            "p99_ms": round(p99, 1),
            "max_ms": round(worst, 1),
            "mean_ms": round(statistics.fmean(values), 1),
        }
        if target != "/healthz" and p95 >= P95_TARGET_MS:
            ok = False
        print(
            f"{target:<18}{len(values):>6}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}{worst:>9.1f}"
            f"{p95 / base_p95:>12.1f}x"
        )
    pages_p95 = max(r["p95_ms"] for t, r in rows.items() if t != "/healthz")
    print(
        f"worst page p95 {pages_p95:.1f} ms (target < {P95_TARGET_MS:.0f} ms); "
        f"{'PASS' if ok else 'FAIL'}"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "size": {"people": args.people, "items": args.items, "teams": args.teams},
                    "report": report,
                    "warm_up_s": warm,
                    "load": {
                        "client": args.client,
                        "clients": args.clients,
                        "requests": total,
                        "seconds": round(wall, 2),
                        "server_cpu_s": round(cpu_server, 2),
                        "client_cpu_s": round(cpu_client, 2),
                    },
                    "latency": rows,
                    "pass": ok,
                },
                indent=2,
            )
            + "\n"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
