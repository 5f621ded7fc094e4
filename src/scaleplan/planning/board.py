"""Plan outputs: per-team roadmap, SAFe-style program board, team load per sprint, Gantt data,
and their CSV / JSON export. Pure functions of a problem built by ``build_problem`` and a plan.

Sprints are numbered from the calendar start (sprint 1 starts on ``calendar.start``), so the
numbers match the program's sprint calendar whatever the plan start is.

Program board (SAFe PI planning): teams x sprints; each item sits in the sprint where it is
delivered (its last week). A cross-team dependency is drawn from the item depended on to the
dependent item; it is **flagged** when the item depended on is delivered in the same sprint as,
or a later sprint than, the sprint in which the dependent item starts (no buffer, or too late).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from typing import Any

from scaleplan.planning.problem import PlanningProblem
from scaleplan.planning.result import PlanResult


@dataclass(frozen=True, slots=True)
class RoadmapEntry:
    item: str
    title: str
    team: str
    initiative: str | None
    start: int
    end: int
    people: float
    start_date: str | None
    end_date: str | None
    start_sprint: int
    end_sprint: int
    deadline: int | None
    late_by: int
    beyond_increment: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "title": self.title,
            "team": self.team,
            "initiative": self.initiative,
            "start": self.start,
            "end": self.end,
            "people": self.people,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "start_sprint": self.start_sprint,
            "end_sprint": self.end_sprint,
            "deadline": self.deadline,
            "late_by": self.late_by,
            "beyond_increment": self.beyond_increment,
        }


@dataclass(frozen=True, slots=True)
class Landing:
    """When an initiative lands (its last item ends)."""

    initiative: str
    title: str
    weight: float
    end: int
    end_date: str | None
    deadline: int | None
    late_by: int
    items: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "initiative": self.initiative,
            "title": self.title,
            "weight": self.weight,
            "end": self.end,
            "end_date": self.end_date,
            "deadline": self.deadline,
            "late_by": self.late_by,
            "items": self.items,
        }


@dataclass(frozen=True, slots=True)
class BoardDependency:
    before: str
    before_team: str
    before_sprint: int
    after: str
    after_team: str
    after_sprint: int
    #: ``ok``, ``same-sprint`` (delivered in the sprint the dependent starts) or ``late``.
    flag: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "before": self.before,
            "before_team": self.before_team,
            "before_sprint": self.before_sprint,
            "after": self.after,
            "after_team": self.after_team,
            "after_sprint": self.after_sprint,
            "flag": self.flag,
        }


@dataclass(frozen=True, slots=True)
class LoadCell:
    team: str
    sprint: int
    planned: float
    capacity: float

    @property
    def utilisation(self) -> float | None:
        return None if self.capacity <= 0 else self.planned / self.capacity

    def to_dict(self) -> dict[str, Any]:
        u = self.utilisation
        return {
            "team": self.team,
            "sprint": self.sprint,
            "planned_pw": round(self.planned, 2),
            "capacity_pw": round(self.capacity, 2),
            "utilisation": None if u is None else round(u, 3),
        }


@dataclass(frozen=True)
class Board:
    """Everything a TPM reads off a plan."""

    sprints: tuple[int, ...]
    sprint_dates: dict[int, str]
    roadmap: dict[str, tuple[RoadmapEntry, ...]]
    cells: dict[str, dict[int, tuple[str, ...]]]
    dependencies: tuple[BoardDependency, ...]
    landings: tuple[Landing, ...]
    load: tuple[LoadCell, ...]
    warnings: tuple[str, ...]
    increment: str | None = None
    increment_sprints: tuple[int, ...] = ()
    gantt: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "increment": self.increment,
            "sprints": [{"sprint": s, "start": self.sprint_dates.get(s)} for s in self.sprints],
            "increment_sprints": list(self.increment_sprints),
            "roadmap": {t: [e.to_dict() for e in es] for t, es in self.roadmap.items()},
            "board": {
                t: {str(s): list(items) for s, items in cells.items()}
                for t, cells in self.cells.items()
            },
            "dependencies": [d.to_dict() for d in self.dependencies],
            "landings": [landing.to_dict() for landing in self.landings],
            "load": [c.to_dict() for c in self.load],
            "gantt": list(self.gantt),
            "warnings": list(self.warnings),
        }


class _Calendar:
    def __init__(self, problem: PlanningProblem, result: PlanResult) -> None:
        meta = problem.meta
        self.origin_week = int(meta.get("origin_week", 0))
        self.sprint_weeks = int(meta.get("sprint_weeks", 2))
        self.per_week = int(meta.get("working_days", 5)) if problem.unit == "day" else 1
        self.result = result
        self.origin = problem.origin

    def week(self, period: int) -> int:
        """Absolute planning week (from the calendar start) of ``period``."""
        return self.origin_week + period // self.per_week

    def sprint(self, period: int) -> int:
        """Sprint number (1-based, from the calendar start) containing ``period``."""
        return self.week(period) // self.sprint_weeks + 1

    def sprint_start(self, sprint: int) -> str | None:
        if self.origin is None:
            return None
        cal_start = self.origin - dt.timedelta(weeks=self.origin_week)
        return (cal_start + dt.timedelta(weeks=(sprint - 1) * self.sprint_weeks)).isoformat()

    def iso(self, period: int) -> str | None:
        d = self.result.date_of(period)
        return d.isoformat() if d else None

    def iso_end(self, period: int) -> str | None:
        d = self.result.finish_date(period)
        return d.isoformat() if d else None


def build_board(problem: PlanningProblem, result: PlanResult) -> Board:
    """Roadmap, program board, load and warnings of ``result`` (a plan of ``problem``)."""
    cal = _Calendar(problem, result)
    meta = problem.meta
    items_meta: dict[str, dict[str, Any]] = meta.get("items", {})
    inc_end = meta.get("increment_periods")
    by_id = result.by_id
    roadmap: dict[str, list[RoadmapEntry]] = {}
    cells: dict[str, dict[int, list[str]]] = {}
    warnings: list[str] = []
    team_of: dict[str, str] = {}
    relaxed = set(meta.get("relaxed_deadlines", ()))
    for a in problem.activities:
        if a.team is None or a.id not in by_id:
            continue
        p = by_id[a.id]
        info = items_meta.get(a.id, {})
        last = max(p.end - 1, p.start)
        late = max(p.end - a.deadline, 0) if a.deadline is not None else 0
        entry = RoadmapEntry(
            item=a.id,
            title=str(info.get("title", a.name)),
            team=a.team,
            initiative=info.get("initiative"),
            start=p.start,
            end=p.end,
            people=p.people,
            start_date=cal.iso(p.start),
            end_date=cal.iso_end(p.end),
            start_sprint=cal.sprint(p.start),
            end_sprint=cal.sprint(last),
            deadline=a.deadline,
            late_by=late,
            beyond_increment=inc_end is not None and p.end > inc_end,
        )
        roadmap.setdefault(a.team, []).append(entry)
        cells.setdefault(a.team, {}).setdefault(entry.end_sprint, []).append(a.id)
        team_of[a.id] = a.team
        if late:
            if a.id in relaxed:
                kind = "hard deadline (it cannot be met; see the diagnosis)"
            else:
                kind = "hard deadline" if a.hard_deadline else "soft deadline"
            warnings.append(f"{a.id} ({a.team}) misses its {kind} by {late} {_unit(problem)}(s)")
    for entries in roadmap.values():
        entries.sort(key=lambda e: (e.start, e.end, e.item))

    deps: list[BoardDependency] = []
    for prec in problem.precedences:
        a, b = problem.activities[prec.before], problem.activities[prec.after]
        if a.team is None or b.team is None or a.team == b.team:
            continue
        pa, pb = by_id[a.id], by_id[b.id]
        before_sprint = cal.sprint(max(pa.end - 1, pa.start))
        after_sprint = cal.sprint(pb.start)
        flag = "ok"
        if pa.end + prec.lag > pb.start:
            flag = "late"
        elif before_sprint >= after_sprint:
            flag = "same-sprint"
        deps.append(BoardDependency(a.id, a.team, before_sprint, b.id, b.team, after_sprint, flag))
    index = problem.index
    for dropped in meta.get("dropped_dependencies", ()):
        after, before = dropped["item"], dropped["depends_on"]
        if before in index and after in index and before in by_id and after in by_id:
            pa, pb = by_id[before], by_id[after]
            ta, tb = team_of.get(before, "?"), team_of.get(after, "?")
            deps.append(
                BoardDependency(
                    before,
                    ta,
                    cal.sprint(max(pa.end - 1, pa.start)),
                    after,
                    tb,
                    cal.sprint(pb.start),
                    "late",
                )
            )
            warnings.append(
                f"{after} is in progress but depends on {before}, which ends only in sprint "
                f"{cal.sprint(max(pa.end - 1, pa.start))}"
            )
    for d in deps:
        if d.flag == "same-sprint":
            warnings.append(
                f"dependency {d.before} ({d.before_team}) -> {d.after} ({d.after_team}) lands "
                f"in sprint {d.before_sprint}, the sprint {d.after} starts: no buffer"
            )

    landings = _landings(problem, result, cal)
    for landing in landings:
        if landing.late_by:
            warnings.append(
                f"initiative {landing.initiative} lands {landing.late_by} {_unit(problem)}(s) "
                "after its deadline"
            )
    if inc_end is not None:
        beyond = [e.item for es in roadmap.values() for e in es if e.beyond_increment]
        if beyond:
            warnings.append(
                f"{len(beyond)} item(s) end after increment {meta.get('increment')}: "
                + ", ".join(sorted(beyond)[:8])
                + (" ..." if len(beyond) > 8 else "")
            )
    for ident in meta.get("unpinned", ()):
        if ident in by_id:
            warnings.append(
                f"{ident} is in progress, but its team has more in-progress work than people; "
                f"planned to continue from {_unit(problem)} {by_id[ident].start}"
            )
    for skipped in meta.get("skipped_initiative_dependencies", ()):
        warnings.append(
            f"initiative {skipped['initiative']} depends on {skipped['depends_on']}, but item "
            "dependencies run the other way; the initiative dependency was not enforced"
        )

    load = team_load(problem, result)
    sprints = sorted({c.sprint for c in load})
    inc_sprints: tuple[int, ...] = ()
    if inc_end is not None:
        inc_sprints = tuple(range(cal.sprint(0), cal.sprint(max(inc_end - 1, 0)) + 1))
    gantt = tuple(
        {
            "id": a.id,
            "title": str(items_meta.get(a.id, {}).get("title", a.name)),
            "team": a.team,
            "initiative": items_meta.get(a.id, {}).get("initiative"),
            "start": by_id[a.id].start,
            "end": by_id[a.id].end,
            "start_date": cal.iso(by_id[a.id].start),
            "end_date": cal.iso_end(by_id[a.id].end),
            "people": by_id[a.id].people,
            "depends_on": [
                problem.activities[p].id
                for p, _ in problem.predecessors[j]
                if problem.activities[p].team is not None
            ],
        }
        for j, a in enumerate(problem.activities)
        if a.team is not None and a.id in by_id
    )
    return Board(
        sprints=tuple(sprints),
        sprint_dates={s: cal.sprint_start(s) or "" for s in sprints},
        roadmap={t: tuple(es) for t, es in roadmap.items()},
        cells={t: {s: tuple(v) for s, v in sorted(c.items())} for t, c in cells.items()},
        dependencies=tuple(deps),
        landings=landings,
        load=load,
        warnings=tuple(warnings),
        increment=meta.get("increment"),
        increment_sprints=inc_sprints,
        gantt=gantt,
    )


def _landings(problem: PlanningProblem, result: PlanResult, cal: _Calendar) -> tuple[Landing, ...]:
    by_id = result.by_id
    out = []
    for ms in problem.milestones:
        ends = [by_id[problem.activities[i].id].end for i in ms.activities]
        end = max(ends, default=0)
        late = max(end - ms.deadline, 0) if ms.deadline is not None else 0
        out.append(
            Landing(
                ms.id,
                ms.name or ms.id,
                ms.weight,
                end,
                cal.iso_end(end),
                ms.deadline,
                late,
                len(ends),
            )
        )
    out.sort(key=lambda x: (x.end, x.initiative))
    return tuple(out)


def team_load(problem: PlanningProblem, result: PlanResult) -> tuple[LoadCell, ...]:
    """Planned effort vs capacity per team and sprint, in person-weeks."""
    cal = _Calendar(problem, result)
    rates: dict[str, float] = problem.meta.get("effort_per_unit", {})
    by_id = result.by_id
    makespan = max((p.end for p in result.items), default=0)
    planned: dict[tuple[str, int], float] = {}
    capacity: dict[tuple[str, int], float] = {}
    team_resources = [
        (r, res) for r, res in enumerate(problem.resources) if res.kind == "capacity" and res.team
    ]
    for _r, res in team_resources:
        rate = rates.get(res.id, 1.0)
        for t in range(makespan):
            key = (res.team or res.id, cal.sprint(t))
            capacity[key] = capacity.get(key, 0.0) + res.cap(t) * rate
            planned.setdefault(key, 0.0)
    for a in problem.activities:
        if a.id not in by_id:
            continue
        p = by_id[a.id]
        mode = a.modes[p.mode]
        for r, q in mode.demands:
            res = problem.resources[r]
            if res.kind != "capacity" or not res.team:
                continue
            rate = rates.get(res.id, 1.0)
            for t in range(p.start, p.end):
                key = (res.team, cal.sprint(t))
                planned[key] = planned.get(key, 0.0) + q * rate
    return tuple(
        LoadCell(team, sprint, planned.get((team, sprint), 0.0), capacity.get((team, sprint), 0.0))
        for team, sprint in sorted(set(planned) | set(capacity), key=lambda k: (k[0], k[1]))
    )


def _unit(problem: PlanningProblem) -> str:
    return {"week": "week", "day": "day"}.get(problem.unit, "period")


# -- export ------------------------------------------------------------------------------


def export_files(
    problem: PlanningProblem, result: PlanResult, board: Board | None = None
) -> dict[str, str]:
    """File name -> content for ``--out DIR``: plan.json, items.csv, board.csv, load.csv,
    dependencies.csv."""
    board = board or build_board(problem, result)
    files: dict[str, str] = {}
    files["plan.json"] = (
        json.dumps({"plan": result.to_dict(), "board": board.to_dict()}, indent=2, default=str)
        + "\n"
    )
    rows = [e.to_dict() for es in board.roadmap.values() for e in es]
    rows.sort(key=lambda r: (r["team"], r["start"], r["item"]))
    files["items.csv"] = _csv(
        [
            "item",
            "title",
            "team",
            "initiative",
            "start_date",
            "end_date",
            "start",
            "end",
            "people",
            "start_sprint",
            "end_sprint",
            "deadline",
            "late_by",
            "beyond_increment",
        ],
        rows,
    )
    files["board.csv"] = _csv(
        ["team", "sprint", "sprint_start", "items"],
        [
            {
                "team": team,
                "sprint": sprint,
                "sprint_start": board.sprint_dates.get(sprint, ""),
                "items": " ".join(items),
            }
            for team, cells in sorted(board.cells.items())
            for sprint, items in cells.items()
        ],
    )
    files["load.csv"] = _csv(
        ["team", "sprint", "planned_pw", "capacity_pw", "utilisation"],
        [c.to_dict() for c in board.load],
    )
    files["dependencies.csv"] = _csv(
        ["before", "before_team", "before_sprint", "after", "after_team", "after_sprint", "flag"],
        [d.to_dict() for d in board.dependencies],
    )
    return files


def _csv(columns: list[str], rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in columns})
    return buffer.getvalue()


__all__ = [
    "Board",
    "BoardDependency",
    "Landing",
    "LoadCell",
    "RoadmapEntry",
    "build_board",
    "export_files",
    "team_load",
]
