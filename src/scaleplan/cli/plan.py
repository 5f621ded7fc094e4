"""Planning: ``plan``, ``explain`` and ``compare`` - a capacity- and dependency-aware plan."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from scaleplan.cli.common import FormatOpt, PathArg, console, emit_json, err_console, load_or_exit
from scaleplan.cli.plan_render import (
    render_comparison,
    render_diagnosis,
    render_explanation,
    render_plan,
    render_warnings,
    status_line,
)
from scaleplan.errors import InputError, UsageError
from scaleplan.model import Program

if TYPE_CHECKING:
    from scaleplan.planning import PlanResult
    from scaleplan.planning.solve import Progress

DEMO_ORDER = 30

IncrementOpt = Annotated[
    str | None, typer.Option("--increment", "-i", help="Plan from this increment's start.")
]
BackendOpt = Annotated[str, typer.Option("--backend", "-b", help="cpsat or heuristic.")]
TimeOpt = Annotated[
    float, typer.Option("--time-limit", "-t", help="Seconds for the solver.", min=0.01)
]
SeedOpt = Annotated[int, typer.Option("--seed", help="Random seed (same seed, same plan).")]
WorkersOpt = Annotated[int, typer.Option("--workers", help="CP-SAT worker threads.", min=1)]
ObjectiveOpt = Annotated[
    str, typer.Option("--objective", help="weighted (priority-weighted landing) or makespan.")
]
UnitOpt = Annotated[str, typer.Option("--unit", help="Time unit: week or day.")]


def register(app: typer.Typer) -> None:
    @app.command("plan")
    def plan_command(
        path: PathArg,
        increment: IncrementOpt = None,
        backend: BackendOpt = "cpsat",
        time_limit: TimeOpt = 10.0,
        seed: SeedOpt = 0,
        workers: WorkersOpt = 2,
        objective: ObjectiveOpt = "weighted",
        unit: UnitOpt = "week",
        format: FormatOpt = "text",  # type: ignore[assignment]
        out: Annotated[
            Path | None,
            typer.Option("--out", "-o", help="Write plan.json and CSVs into this directory."),
        ] = None,
        force: Annotated[bool, typer.Option(help="Overwrite different files in --out.")] = False,
        baseline: Annotated[
            Path | None,
            typer.Option(help="A plan.json from --out: re-plan keeping committed items close."),
        ] = None,
        suggest_capacity: Annotated[
            str | None,
            typer.Option(
                "--suggest-capacity",
                help="Item or initiative: the least extra capacity that makes its deadline.",
            ),
        ] = None,
        deadline: Annotated[
            str | None,
            typer.Option(help="With --suggest-capacity: the deadline to meet (YYYY-MM-DD)."),
        ] = None,
        all_sprints: Annotated[
            bool, typer.Option("--all-sprints", help="Show every sprint on the board.")
        ] = False,
    ) -> None:
        """Plan the program: who does what when, within team capacity and dependencies.

        Prints the landing date of each initiative, the program board (teams x sprints),
        team load and warnings. Exit 3 when hard deadlines cannot all be met (the plan shown
        then treats them as soft).
        """
        from scaleplan.planning import export_files, plan_program
        from scaleplan.storage.files import write_files

        program = load_or_exit(path, format)
        _check_options(backend, objective, unit)
        base = _read_baseline(baseline) if baseline is not None else None
        if suggest_capacity is not None:
            _suggest(
                program, suggest_capacity, deadline, increment, time_limit, seed, workers, format
            )
            return
        with _progress(format, time_limit) as report:
            pp = plan_program(
                program,
                increment=increment,
                backend=backend,
                time_limit=time_limit,
                seed=seed,
                workers=workers,
                objective=objective,
                unit=unit,
                baseline=base,
                progress=report,
            )
        if out is not None and pp.shown.items:
            written = write_files(out, export_files(pp.shown_problem, pp.shown), force=force)
            if format != "json":
                err_console.print(f"wrote {len(written)} files to {out}")
        if format == "json":
            emit_json(pp.to_dict())
        else:
            render_plan(program, pp, all_sprints=all_sprints)
        if pp.result.status == "infeasible":
            raise typer.Exit(3)

    @app.command("explain")
    def explain_command(
        path: PathArg,
        item: Annotated[str, typer.Argument(help="Work item id.")],
        increment: IncrementOpt = None,
        backend: BackendOpt = "cpsat",
        time_limit: TimeOpt = 10.0,
        seed: SeedOpt = 0,
        workers: WorkersOpt = 2,
        objective: ObjectiveOpt = "weighted",
        unit: UnitOpt = "week",
        format: FormatOpt = "text",  # type: ignore[assignment]
    ) -> None:
        """Explain where ITEM lands: its binding constraint, its slack and its critical chain.

        The binding constraint is a dependency chain, or which team's capacity in which weeks held it back.
        """
        from scaleplan.planning import explain, plan_program
        from scaleplan.planning.explain import critical_chain_links

        program = load_or_exit(path, format)
        _check_options(backend, objective, unit)
        _check_item(program, item)
        with _progress(format, time_limit) as report:
            pp = plan_program(
                program,
                increment=increment,
                backend=backend,
                time_limit=time_limit,
                seed=seed,
                workers=workers,
                objective=objective,
                unit=unit,
                progress=report,
            )
        problem, result = pp.shown_problem, pp.shown
        if not result.items:
            raise InputError(f"no plan to explain (status {result.status})")
        exp = explain(problem, result, item)
        chain = critical_chain_links(problem, result)
        if format == "json":
            emit_json(
                {
                    "status": pp.result.status,
                    "explanation": exp.to_dict(),
                    "plan_critical_chain": [i for i, _ in chain],
                    "plan_critical_chain_links": [link for _, link in chain[:-1]],
                    "diagnosis": [f.to_dict() for f in pp.result.diagnosis],
                }
            )
            return
        render_explanation(program, pp, exp, chain)

    @app.command("compare")
    def compare_command(
        path: PathArg,
        scenario: Annotated[
            Path, typer.Option("--scenario", "-s", help="Scenario overlay (YAML).")
        ],
        increment: IncrementOpt = None,
        backend: BackendOpt = "cpsat",
        time_limit: TimeOpt = 10.0,
        seed: SeedOpt = 0,
        workers: WorkersOpt = 2,
        objective: ObjectiveOpt = "weighted",
        stable: Annotated[
            bool,
            typer.Option(help="Keep committed items (starting in the increment) where they were."),
        ] = True,
        format: FormatOpt = "text",  # type: ignore[assignment]
    ) -> None:
        """What moves if a scenario happens: the plan before and after, item by item.

        A scenario adds people, drops an initiative or item, moves a deadline or changes capacity (YAML, see docs/planning.md).
        """
        from functools import partial

        from scaleplan.loading.scenarios import apply_scenario, load_scenario
        from scaleplan.planning import plan_program
        from scaleplan.planning.scenarios import compare_plans

        program = load_or_exit(path, format)
        _check_options(backend, objective, "week")
        spec = load_scenario(scenario)
        changed = apply_scenario(program, spec)
        with _progress(format, 2 * time_limit) as report:
            half = _half(report)
            run = partial(
                plan_program,
                increment=increment,
                backend=backend,
                time_limit=time_limit,
                seed=seed,
                workers=workers,
                objective=objective,
            )
            before = run(program, progress=half(0))
            after = run(changed, baseline=before.shown if stable else None, progress=half(1))
        comparison = compare_plans(before, after, scenario=spec)
        if format == "json":
            emit_json(comparison.to_dict())
            return
        render_comparison(comparison)


def _check_options(backend: str, objective: str, unit: str) -> None:
    from scaleplan.planning import BACKENDS

    if backend not in BACKENDS:
        raise UsageError(f"unknown backend '{backend}'; use one of: {', '.join(BACKENDS)}")
    if objective not in ("weighted", "makespan"):
        raise UsageError(f"unknown objective '{objective}'; use weighted or makespan")
    if unit not in ("week", "day"):
        raise UsageError(f"unknown unit '{unit}'; use week or day")


def _check_item(program: Program, item: str) -> None:
    from scaleplan.loading.diagnostics import did_you_mean

    found = program.work_items_by_id.get(item)
    if found is None:
        hint = did_you_mean(item, program.work_items_by_id) or ""
        raise UsageError(f"unknown work item '{item}'. {hint}".strip())
    if found.status.value in ("done", "cancelled"):
        raise UsageError(f"work item '{item}' is {found.status.value}: it is not planned")


def _read_baseline(path: Path) -> PlanResult:
    from scaleplan.planning.scenarios import plan_from_json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read baseline ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not JSON ({exc.msg} at line {exc.lineno})") from None
    return plan_from_json(data, str(path))


@contextmanager
def _progress(fmt: str, budget: float) -> Iterator[Progress | None]:
    """A rich progress bar on stderr while solving (text mode only)."""
    if fmt == "json":
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("planning"),
        BarColumn(),
        TextColumn("{task.fields[best]}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )
    with bar:
        task = bar.add_task("plan", total=1.0, best="")

        def report(share: float, best: float | None) -> None:
            text = "" if best is None else f"best {best:,.1f}"
            bar.update(task, completed=min(max(share, 0.0), 1.0), best=text)

        yield report


def _half(report: Progress | None) -> Any:
    def part(k: int) -> Progress | None:
        if report is None:
            return None

        def inner(share: float, best: float | None) -> None:
            report((k + share) / 2, best)

        return inner

    return part


# -- rendering ---------------------------------------------------------------------------


def _suggest(
    program: Program,
    target: str,
    deadline: str | None,
    increment: str | None,
    time_limit: float,
    seed: int,
    workers: int,
    fmt: str,
) -> None:
    import datetime as dt

    from scaleplan.planning import build_problem
    from scaleplan.planning.suggest import suggest_capacity

    when = None
    if deadline is not None:
        try:
            when = dt.date.fromisoformat(deadline)
        except ValueError:
            raise UsageError(f"--deadline must be a date YYYY-MM-DD, got '{deadline}'") from None
    problem = build_problem(program, increment=increment)
    with _progress(fmt, time_limit):
        suggestion = suggest_capacity(
            problem, target, deadline_date=when, time_limit=time_limit, seed=seed, workers=workers
        )
    if fmt == "json":
        emit_json(suggestion.to_dict())
        return
    console.print(
        f"[bold]Extra capacity for {escape(target)}[/bold]: {escape(suggestion.message)}",
        soft_wrap=True,
    )
    if suggestion.additions:
        table = Table(
            "team", "from", "until", "people", "person-weeks", title="Add", title_justify="left"
        )
        for a in suggestion.additions:
            table.add_row(
                a.team,
                a.start_date or str(a.start),
                a.end_date or str(a.end),
                f"{a.people:g}",
                f"{a.person_weeks:g}",
            )
        console.print(table)


def demo(program: Program, path: Path, con: object) -> None:
    """ShopScale's roadmap summary and program-board warnings (heuristic, a few seconds)."""
    from scaleplan.planning import plan_program

    increment = program.calendar.increments[0].id if program.calendar.increments else None
    pp = plan_program(program, increment=increment, backend="cpsat", time_limit=5.0)
    console.print(f"Plan: {status_line(pp.result)}")
    render_diagnosis(pp)
    board = pp.board
    if board is None:
        return
    shown = pp.shown
    end = shown.finish_date(shown.makespan or 0)
    console.print(
        f"{sum(len(v) for v in board.roadmap.values())} items on {len(board.roadmap)} teams; "
        "the last lands "
        f"{end.isoformat() if end else shown.makespan}."
    )
    table = Table(
        "team",
        "items",
        "in " + (increment or "plan"),
        "last item ends",
        title="Roadmap summary",
        title_justify="left",
    )
    for team, entries in sorted(board.roadmap.items()):
        inside = sum(1 for e in entries if not e.beyond_increment)
        last = max(entries, key=lambda e: e.end)
        table.add_row(team, str(len(entries)), str(inside), last.end_date or str(last.end))
    console.print(table)
    first = [landing for landing in board.landings][:8]
    console.print(
        "First initiatives to land: " + ", ".join(f"{x.initiative} ({x.end_date})" for x in first)
    )
    render_warnings(board.warnings, limit=10)
