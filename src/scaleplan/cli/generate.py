"""``generate``: write a synthetic program of any size (benchmarks, demos, load tests)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from scaleplan.cli.common import Format, FormatOpt, console, emit_json


class LayoutChoice(StrEnum):
    SINGLE = "single"
    SPLIT = "split"


def register(app: typer.Typer) -> None:
    @app.command()
    def generate(
        out_dir: Annotated[Path, typer.Argument(help="Directory to write the program to.")],
        teams: Annotated[int, typer.Option(help="Number of teams (squads).")] = 8,
        items: Annotated[int, typer.Option(help="Number of work items.")] = 200,
        people: Annotated[
            int | None, typer.Option(help="People in total, managers included (default: derived).")
        ] = None,
        services: Annotated[
            int | None, typer.Option(help="Number of services (default: 1.5 per team).")
        ] = None,
        initiatives: Annotated[
            int | None, typer.Option(help="Number of initiatives (default: one per 8 items).")
        ] = None,
        weeks: Annotated[int, typer.Option(help="Length of the calendar in weeks.")] = 52,
        seed: Annotated[
            int, typer.Option(help="Random seed; the same seed gives the same program.")
        ] = 1,
        layout: Annotated[
            LayoutChoice,
            typer.Option(help="single: one program.yaml; split: org/, services/, work/... files."),
        ] = LayoutChoice.SPLIT,
        force: Annotated[bool, typer.Option(help="Overwrite a non-empty directory.")] = False,
        format: FormatOpt = Format.TEXT,
    ) -> None:
        """Generate a realistic synthetic program: tribes, teams, people, services, OKRs,
        initiatives and work items with a DAG of dependencies. Deterministic for a seed."""
        from scaleplan.synthetic import document_counts, generate_program, write_program

        doc = generate_program(
            teams=teams,
            items=items,
            people=people,
            services=services,
            initiatives=initiatives,
            weeks=weeks,
            seed=seed,
        )
        path = write_program(doc, out_dir, layout=layout.value, force=force)
        counts = document_counts(doc)
        if format == Format.JSON:
            emit_json({"path": str(path), "counts": counts})
            return
        shown = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items() if n)
        console.print(f"[green]✓[/green] generated {path} ({layout.value} layout, seed {seed})")
        console.print(f"  {shown}")
        console.print(f"Next: scaleplan check {path}")
