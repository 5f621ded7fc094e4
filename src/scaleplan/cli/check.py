"""``check``, ``show`` and ``schema``: validate a program, summarise it, export its schema."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from scaleplan.cli.common import (
    CheckFormat,
    FormatOpt,
    PathArg,
    console,
    emit_json,
    load_or_exit,
    report_check,
)
from scaleplan.model import Program

DEMO_ORDER = 10
DEMO_TITLE = "The program: what is in it, and each team's capacity and load"


def register(app: typer.Typer) -> None:
    @app.command()
    def check(
        path: PathArg,
        format: Annotated[
            CheckFormat,
            typer.Option("--format", "-f", help="text, json, or github (PR annotations)."),
        ] = CheckFormat.TEXT,
        strict: Annotated[bool, typer.Option(help="Treat warnings as errors.")] = False,
    ) -> None:
        """Validate a program: every problem at once, with file:line:col and a hint.

        Exit 0 when valid, 1 when there are errors (or warnings with --strict), 2 on usage errors.
        """
        from scaleplan.loading import check_program

        result = check_program(path)
        report_check(result, format.value)
        if result.errors or (strict and result.warnings):
            raise typer.Exit(1)

    @app.command()
    def show(path: PathArg, format: FormatOpt = "text") -> None:  # type: ignore[assignment]
        """Summarise a program: counts per kind, teams, increments."""
        program = load_or_exit(path, format)
        data = summary(program)
        if format == "json":
            emit_json(data)
            return
        render_summary(program, data)

    @app.command()
    def schema(
        out: Annotated[
            Path | None, typer.Option("--out", "-o", help="Write to this file (else stdout).")
        ] = None,
        force: Annotated[bool, typer.Option(help="Overwrite a different existing file.")] = False,
    ) -> None:
        """Write the JSON Schema of program files (for yaml-language-server and editors)."""
        from scaleplan.loading.schema import schema_text
        from scaleplan.storage.files import write_atomic

        text = schema_text()
        if out is None:
            typer.echo(text, nl=False)
            return
        write_atomic(out, text, force=force)
        console.print(f"wrote {out}")


def summary(program: Program) -> dict[str, object]:
    from scaleplan.analysis.capacity import remaining_effort, team_capacity

    counts = program.counts()
    items_by_team: dict[str, int] = {}
    effort_by_team: dict[str, float] = {}
    for item in program.work_items:
        items_by_team[item.team] = items_by_team.get(item.team, 0) + 1
        effort_by_team[item.team] = effort_by_team.get(item.team, 0.0) + remaining_effort(
            program, item
        )
    teams = [
        {
            "id": t.id,
            "name": t.name,
            "type": t.type.value,
            "tribe": t.tribe,
            "members": len(program.members_by_team.get(t.id, ())),
            "capacity_per_week": round(team_capacity(program, t.id, 0), 2),
            "services": len(program.services_by_owner.get(t.id, ())),
            "work_items": items_by_team.get(t.id, 0),
            "remaining_effort": round(effort_by_team.get(t.id, 0.0), 1),
        }
        for t in program.teams
    ]
    return {
        "name": program.program.name,
        **counts,
        "counts": counts,
        "calendar": {
            "start": program.calendar.start.isoformat(),
            "end": program.calendar.end.isoformat() if program.calendar.end else None,
            "sprint_weeks": program.calendar.sprint_weeks,
            "increments": [
                {"id": i.id, "start": i.start.isoformat(), "end": i.end.isoformat()}
                for i in program.calendar.increments
            ],
        },
        "team_summary": teams,
    }


def render_summary(program: Program, data: dict[str, object]) -> None:
    counts = program.counts()
    console.print(f"[bold]{program.program.name}[/bold]")
    if program.program.description:
        console.print(program.program.description.strip())
    table = Table("kind", "count", title="Program contents", title_justify="left")
    for kind, n in counts.items():
        if n:
            table.add_row(kind.replace("_", " "), str(n))
    console.print(table)
    teams = Table(
        "team",
        "type",
        "tribe",
        "people",
        "capacity/wk",
        "services",
        "items",
        "remaining pw",
        title="Teams (capacity in person-weeks per week, after focus factor and tech-debt reserve)",
        title_justify="left",
    )
    for row in data["team_summary"]:  # type: ignore[attr-defined]
        teams.add_row(
            row["id"],
            row["type"],
            row["tribe"] or "-",
            str(row["members"]),
            f"{row['capacity_per_week']:.1f}",
            str(row["services"]),
            str(row["work_items"]),
            f"{row['remaining_effort']:.0f}",
        )
    console.print(teams)


def demo(program: Program, path: Path, con: object) -> None:
    render_summary(program, summary(program))
