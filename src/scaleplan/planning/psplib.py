"""Read PSPLIB single-mode RCPSP instances (``.sm``) onto the solver-neutral problem.

The dummy source and sink (duration 0, no demand) are dropped: the makespan of the problem is
then the latest end of any real activity, equal to the sink's start in the original.

Example
-------
>>> from pathlib import Path
>>> problem = read_sm(Path("j301_1.sm"))  # doctest: +SKIP
>>> problem.n, len(problem.resources), problem.objective  # doctest: +SKIP
(30, 4, 'makespan')
"""

from __future__ import annotations

import re
from pathlib import Path

from scaleplan.errors import InputError
from scaleplan.planning.problem import (
    Activity,
    Mode,
    PlanningProblem,
    Precedence,
    Resource,
)


def read_sm(path: Path) -> PlanningProblem:
    """Parse a PSPLIB ``.sm`` file into a makespan-objective :class:`PlanningProblem`."""
    try:
        text = path.read_text(encoding="latin-1")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    return parse_sm(text, name=path.stem)


def parse_sm(text: str, name: str = "psplib") -> PlanningProblem:
    """Parse the text of a PSPLIB ``.sm`` file (see ``read_sm``)."""
    lines = text.splitlines()

    def section(title: str) -> int:
        for k, line in enumerate(lines):
            if line.strip().upper().startswith(title):
                return k
        raise InputError(f"{name}: not a PSPLIB .sm file (no '{title}' section)")

    jobs_line = next((ln for ln in lines if ln.lower().startswith("jobs")), None)
    if jobs_line is None:
        raise InputError(f"{name}: not a PSPLIB .sm file (no 'jobs' line)")
    n_jobs = int(jobs_line.split(":")[1].split()[0])
    prec_at = section("PRECEDENCE RELATIONS")
    succ: dict[int, list[int]] = {}
    row = prec_at + 2
    while len(succ) < n_jobs:
        parts = lines[row].split()
        row += 1
        if not parts or not parts[0].isdigit():
            raise InputError(f"{name}: precedence table ends early at line {row}")
        job, n_succ = int(parts[0]), int(parts[2])
        succ[job] = [int(x) for x in parts[3 : 3 + n_succ]]
    req_at = section("REQUESTS/DURATIONS")
    row = req_at + 1
    while row < len(lines) and not re.match(r"^\s*-+\s*$", lines[row]):
        row += 1
    row += 1
    durations: dict[int, int] = {}
    demands: dict[int, list[int]] = {}
    while len(durations) < n_jobs:
        parts = lines[row].split()
        row += 1
        if not parts or not parts[0].isdigit():
            raise InputError(f"{name}: request table ends early at line {row}")
        job = int(parts[0])
        durations[job] = int(parts[2])
        demands[job] = [int(x) for x in parts[3:]]
    cap_at = section("RESOURCEAVAILABILITIES")
    capacities = [int(x) for x in lines[cap_at + 2].split()]
    if any(len(d) != len(capacities) for d in demands.values()):
        raise InputError(f"{name}: demand rows and resource availabilities differ in length")

    source, sink = 1, n_jobs
    real = [j for j in range(1, n_jobs + 1) if j not in (source, sink)]
    index = {job: k for k, job in enumerate(real)}
    activities = tuple(
        Activity(
            id=str(job),
            modes=(
                Mode(
                    durations[job],
                    tuple((r, q) for r, q in enumerate(demands[job]) if q > 0),
                ),
            ),
        )
        for job in real
    )
    precedences = tuple(
        Precedence(index[job], index[s]) for job in real for s in succ.get(job, ()) if s in index
    )
    resources = tuple(Resource(f"R{r + 1}", (c,)) for r, c in enumerate(capacities))
    return PlanningProblem(
        activities=activities,
        resources=resources,
        precedences=precedences,
        objective="makespan",
        name=name,
        unit="period",
    )


__all__ = ["parse_sm", "read_sm"]
