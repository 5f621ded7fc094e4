"""``prioritize``, ``okrs`` and ``cutline``: what first, why, and what fits.

Thin layer over :mod:`scaleplan.analysis.prioritisation` and :mod:`scaleplan.analysis.okrs`.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.markup import escape
from rich.table import Table

from scaleplan.cli.common import FormatOpt, PathArg, console, emit_json, err_console, load_or_exit
from scaleplan.errors import UsageError
from scaleplan.model import Program

if TYPE_CHECKING:
    from rich.console import Console

    from scaleplan.analysis.okrs import OkrTree
    from scaleplan.analysis.prioritisation import CutLine, Ranking

DEMO_ORDER = 20

T = TypeVar("T")


class RankFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    CSV = "csv"


MethodOpt = Annotated[
    str | None,
    typer.Option(
        "--method",
        "-m",
        help="ice, rice, wsjf or a custom model id (default: settings.scoring.method).",
    ),
]
VariantOpt = Annotated[
    str | None,
    typer.Option("--ice-variant", help="ICE as product (1-1000) or average (1-10) of its inputs."),
]

_BAND = {"green": "green", "yellow": "yellow", "red": "red", None: "dim"}
CSV_COLUMNS = (
    "rank",
    "id",
    "title",
    "status",
    "moscow",
    "score",
    "value",
    "effort_pw",
    "weight",
    "formula",
    "notes",
    "missing",
    "tie_break",
)


def register(app: typer.Typer) -> None:
    @app.command()
    def prioritize(
        path: PathArg,
        method: MethodOpt = None,
        ice_variant: VariantOpt = None,
        top: Annotated[
            int | None, typer.Option("--top", "-n", min=1, help="Show only the first N.")
        ] = None,
        format: Annotated[
            RankFormat, typer.Option("--format", "-f", help="text, json or csv.")
        ] = RankFormat.TEXT,
    ) -> None:
        """Rank open initiatives by ICE, RICE, WSJF or a custom model, with every score's
        breakdown and the tie-break rule."""
        from scaleplan.analysis.prioritisation import score

        program = load_or_exit(path, "json" if format is RankFormat.JSON else "text")
        ranking = score(program, method, ice_variant=ice_variant)
        entries = ranking.entries[:top] if top else ranking.entries
        if format is RankFormat.JSON:
            data = ranking.to_dict()
            data["entries"] = [e.to_dict() for e in entries]
            emit_json(data)
        elif format is RankFormat.CSV:
            write_csv(ranking, top)
        else:
            render_ranking(program, ranking, top)

    @app.command()
    def okrs(
        path: PathArg,
        as_of: Annotated[
            str | None,
            typer.Option("--as-of", help="Grade and forecast as of this date (default: today)."),
        ] = None,
        items: Annotated[
            bool, typer.Option("--items", help="Show the work items under each initiative.")
        ] = False,
        format: FormatOpt = "text",  # type: ignore[assignment]
    ) -> None:
        """Print the OKR tree (objectives, key results, initiatives) with grades, forecasts and
        alignment gaps."""
        from scaleplan.analysis.okrs import okr_tree

        when = parse_date(as_of)
        program = load_or_exit(path, format)
        tree = okr_tree(program, as_of=when)
        if format == "json":
            emit_json(tree.to_dict())
            return
        render_okrs(tree, items=items)

    @app.command()
    def cutline(
        path: PathArg,
        increment: Annotated[
            str | None,
            typer.Option("--increment", "-i", help="Increment id (default: the next one)."),
        ] = None,
        through: Annotated[
            str | None,
            typer.Option(
                "--through", help="Add the capacity of every increment up to this one as well."
            ),
        ] = None,
        method: MethodOpt = None,
        ice_variant: VariantOpt = None,
        time_limit: Annotated[
            float,
            typer.Option(
                "--time-limit",
                min=0.01,
                help="Seconds for the whole cut line (CP-SAT gets the rest).",
            ),
        ] = 10.0,
        seed: Annotated[int, typer.Option(help="CP-SAT random seed.")] = 0,
        workers: Annotated[int, typer.Option(min=1, help="CP-SAT worker threads.")] = 2,
        format: FormatOpt = "text",  # type: ignore[assignment]
    ) -> None:
        """Choose the initiatives that fit the increment's capacity (after the tech-debt
        reserve) with the most priority value, solved exactly with CP-SAT; explain the rest."""
        from scaleplan.analysis.prioritisation import cut_line

        program = load_or_exit(path, format)

        def solve() -> CutLine:
            return cut_line(
                program,
                increment,
                method,
                time_limit,
                seed,
                through=through,
                workers=workers,
                ice_variant=ice_variant,
            )

        if format == "json":
            emit_json(solve().to_dict())
            return
        line = with_progress(solve, "solving the cut line (CP-SAT)", time_limit)
        render_cutline(line)


def parse_date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--as-of expects a date as YYYY-MM-DD, got '{text}'") from None


def with_progress(work: Callable[[], T], label: str, budget: float) -> T:
    """Run ``work`` with a bar on stderr that fills over the time budget."""
    import threading
    import time

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    done = threading.Event()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=budget)

        def tick() -> None:
            started = time.monotonic()
            while not done.wait(0.1):
                progress.update(task, completed=min(time.monotonic() - started, budget))

        thread = threading.Thread(target=tick, daemon=True)
        thread.start()
        try:
            return work()
        finally:
            done.set()
            thread.join()


# -- rendering ------------------------------------------------------------------------------


def _num(value: float | None, places: int = 2) -> str:
    if value is None:
        return "-"
    return f"{value:,.{places}f}"


def write_csv(ranking: Ranking, top: int | None = None) -> None:
    import csv

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in ranking.entries[:top] if top else ranking.entries:
        row = entry.to_dict()
        row["notes"] = "; ".join(entry.notes)
        writer.writerow(["" if row[c] is None else row[c] for c in CSV_COLUMNS])
    sys.stdout.flush()


def ranking_table(ranking: Ranking, top: int | None, title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for name, justify in (
        ("#", "right"),
        ("initiative", "left"),
        ("score", "right"),
        ("breakdown", "left"),
        ("weight", "right"),
        ("MoSCoW", "left"),
        ("effort pw", "right"),
        ("notes", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for entry in ranking.entries[:top] if top else ranking.entries:
        notes = [*entry.notes]
        if entry.tie_break:
            notes.insert(0, f"tie: {entry.tie_break}")
        if entry.missing:
            notes.insert(0, f"unscored: {entry.missing}")
        table.add_row(
            str(entry.rank),
            escape(entry.id),
            _num(entry.score),
            escape(entry.formula) or "-",
            _num(entry.weight),
            entry.moscow or "-",
            _num(entry.effort, 1),
            escape("; ".join(notes)),
        )
    return table


def render_ranking(program: Program, ranking: Ranking, top: int | None) -> None:
    scored, total = len(ranking.scored), len(ranking.entries)
    console.print(
        f"[bold]{escape(program.program.name)}[/bold]: {ranking.label} ranking, "
        f"{scored} of {total} open initiatives scored"
    )
    console.print(f"formula: {escape(ranking.formula)}", soft_wrap=True)
    console.print(f"ties: {escape(ranking.tie_break)}", soft_wrap=True)
    console.print(ranking_table(ranking, top, "Ranking"))


def _kr_line(kr: Any) -> str:
    colour = _BAND[kr.band]
    grade = "-" if kr.grade is None else f"{kr.grade:.2f}"
    if kr.source == "metric":
        unit = f" {kr.unit}" if kr.unit else ""
        how = f"{kr.current:g} on {kr.baseline:g} -> {kr.target:g}{unit}"
    elif kr.source == "work":
        how = "no current value; linked work done"
    else:
        how = "no current value and no linked work"
    ahead = "" if kr.forecast is None else f", forecast {kr.forecast:.2f}"
    flag = ""
    if kr.kind == "committed" and kr.forecast is not None and kr.forecast < 1.0:
        flag = " [yellow](escalated)[/yellow]" if kr.escalation else " [red]needs escalation[/red]"
    return (
        f"[{colour}]{grade}[/{colour}] {escape(kr.id)} [dim]{kr.kind}[/dim] "
        f"{escape(kr.title)} ({escape(how)}{ahead}){flag}"
    )


def render_okrs(tree: OkrTree, *, items: bool = False) -> None:
    from rich.tree import Tree

    root = Tree(
        f"[bold]OKRs[/bold] as of {tree.as_of} (grades 0.0-1.0; 0.7 is good for "
        "aspirational, committed must reach 1.0)"
    )
    for objective in tree.objectives:
        colour = _BAND[objective.band]
        grade = "-" if objective.grade is None else f"{objective.grade:.2f}"
        branch = root.add(
            f"[{colour}]{grade}[/{colour}] [bold]{escape(objective.id)}[/bold] "
            f"{escape(objective.title)} [dim]({objective.period or 'no period'})[/dim]"
        )
        for kr in objective.key_results:
            kr_branch = branch.add(_kr_line(kr))
            for initiative in kr.initiatives:
                done = "-" if initiative.done is None else f"{initiative.done:.0%}"
                node = kr_branch.add(
                    f"{escape(initiative.id)} [dim]{initiative.status}, {done} done[/dim]"
                )
                if items:
                    for w in initiative.work_items:
                        node.add(
                            f"[dim]{escape(w.id)} ({w.team}, {w.status}, {w.effort:g} pw)[/dim]"
                        )
    console.print(root)
    if tree.unaligned:
        console.print("Serving no key result: " + ", ".join(escape(i.id) for i in tree.unaligned))
    render_findings(tree.findings, "Alignment gaps")


def render_findings(findings: Any, title: str) -> None:
    """Findings grouped by code: the hint once, then one line per finding."""
    if not findings:
        console.print(f"[green]✓[/green] {title}: none")
        return
    console.print(f"[bold]{title}[/bold] ({len(findings)})")
    groups: dict[str, list[Any]] = {}
    for f in findings:
        groups.setdefault(f.code, []).append(f)
    for code, group in groups.items():
        hint = f" [dim]Hint: {escape(group[0].hint)}[/dim]" if group[0].hint else ""
        console.print(f"[yellow]{code}[/yellow] x{len(group)}{hint}")
        for f in group:
            console.print(f"  - {escape(f.message)}", soft_wrap=True)


def cut_summary(line: CutLine) -> str:
    span = line.increment if line.increment == line.through else f"{line.increment}..{line.through}"
    total = len(line.selected) + len(line.below)
    pct = 100 * line.greedy_shortfall / line.objective if line.objective else 0.0
    status = line.status if line.source == "cp-sat" else f"{line.status}, greedy shown"
    gap = f", gap {line.gap:.2%} to bound {line.bound:.2f}" if line.status != "optimal" else ""
    return (
        f"Cut line {span} ({line.start} to {line.end}, {line.weeks} weeks) by {line.method}: "
        f"{len(line.selected)} of {total} initiatives fit; total weight {line.objective:.2f} "
        f"(CP-SAT {status}{gap} in {line.runtime:.2f} s; greedy baseline "
        f"{line.greedy_value:.2f}, shortfall {line.greedy_shortfall:.2f} = {pct:.1f}%)"
    )


def cut_tables(line: CutLine, below_limit: int | None = None) -> list[Table]:
    above = Table(title="Above the line", title_justify="left")
    for name in ("#", "initiative", "weight", "effort pw", "teams", "greedy"):
        above.add_column(name, justify="right" if name in ("#", "weight", "effort pw") else "left")
    for item in line.selected:
        per_team = ", ".join(f"{t} {d:.1f}" for t, d in item.demand.items())
        above.add_row(
            str(item.rank),
            escape(item.id),
            f"{item.weight:.2f}",
            f"{item.effort:.1f}",
            escape(per_team) or "-",
            "yes" if item.in_greedy else "no",
        )
    below = Table(title="Below the line (why)", title_justify="left")
    for name in ("#", "initiative", "weight", "MoSCoW", "reason"):
        below.add_column(name, justify="right" if name in ("#", "weight") else "left")
    shown = line.below[:below_limit] if below_limit else line.below
    for item in shown:
        first = item.reasons[0].message if item.reasons else "-"
        more = f" (+{len(item.reasons) - 1} more)" if len(item.reasons) > 1 else ""
        below.add_row(
            str(item.rank),
            escape(item.id),
            f"{item.weight:.2f}",
            item.moscow or "-",
            escape(first + more),
        )
    teams = Table(
        title="Team load in person-weeks (capacity net of the tech-debt reserve)",
        title_justify="left",
    )
    for name in ("team", "capacity", "load", "free", "use", "demand", "must", "greedy load"):
        teams.add_column(name, justify="left" if name == "team" else "right")
    for t in line.teams:
        use = "-" if t.utilisation is None else f"{t.utilisation:.0%}"
        teams.add_row(
            escape(t.team),
            f"{t.capacity:.1f}",
            f"{t.load:.1f}",
            f"{t.free:.1f}",
            use,
            f"{t.demand:.1f}",
            f"{t.must:.1f}",
            f"{t.greedy_load:.1f}",
        )
    return [above, below, teams]


def render_cutline(line: CutLine) -> None:
    console.print(escape(cut_summary(line)), soft_wrap=True)
    for table in cut_tables(line):
        console.print(table)
    render_findings(line.findings, "MoSCoW checks")


def demo(program: Program, path: Path, con: Console) -> None:
    from scaleplan.analysis.okrs import okr_tree
    from scaleplan.analysis.prioritisation import cut_line, score

    ranking = score(program)
    con.print(ranking_table(ranking, 5, f"Top initiatives by {ranking.label}"))
    as_of, note = dt.date.today(), ""
    if program.calendar.increments and as_of < program.calendar.start:
        # Nothing can be forecast before the program starts; show the view at the end of the
        # first increment instead, and say so.
        as_of = min(i.end for i in program.calendar.increments)
        note = " (end of the first increment: the program has not started yet)"
    tree = okr_tree(program, as_of=as_of)
    grades = Table(title=f"OKR grades as of {tree.as_of}{note}", title_justify="left")
    for name in ("objective", "grade", "key results", "committed at risk"):
        grades.add_column(name)
    for objective in tree.objectives:
        at_risk = [
            k.id
            for k in objective.key_results
            if k.kind == "committed" and k.forecast is not None and k.forecast < 1.0
        ]
        grades.add_row(
            escape(objective.id),
            "-" if objective.grade is None else f"{objective.grade:.2f}",
            str(len(objective.key_results)),
            escape(", ".join(at_risk)) or "-",
        )
    con.print(grades)
    con.print(f"{len(tree.findings)} alignment gap(s); see `scaleplan okrs {path}`")
    line = cut_line(program)
    con.print(escape(cut_summary(line)), soft_wrap=True)
    con.print(cut_tables(line, below_limit=5)[0])
    con.print(cut_tables(line, below_limit=5)[1])
    con.print(f"{len(line.findings)} MoSCoW warning(s); see `scaleplan cutline {path}`")
    increments = sorted(program.calendar.increments, key=lambda i: i.start)
    if len(increments) > 1:
        year = cut_line(program, increments[0].id, through=increments[-1].id)
        con.print(escape(cut_summary(year)), soft_wrap=True)
