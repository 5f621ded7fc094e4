"""``init``: scaffold a program repository."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scaleplan.cli.common import FormatOpt, console, emit_json


def register(app: typer.Typer) -> None:
    @app.command()
    def init(
        directory: Annotated[Path, typer.Argument(help="Directory to create the program in.")],
        name: Annotated[str | None, typer.Option(help="Program name.")] = None,
        force: Annotated[bool, typer.Option(help="Write into a non-empty directory.")] = False,
        format: FormatOpt = "text",  # type: ignore[assignment]
    ) -> None:
        """Scaffold a new program (program.yaml, org/, services/, okrs/, initiatives/, work/),
        with a JSON Schema for editors, a pre-commit hook and a GitHub workflow."""
        from scaleplan.scaffold import init_program

        written = init_program(directory, name=name, force=force)
        if format == "json":
            emit_json({"directory": str(directory), "files": [str(p) for p in written]})
            return
        for path in written:
            console.print(f"  created {path}")
        console.print(
            f"[green]✓[/green] program scaffolded in {directory}. Next: scaleplan check {directory}"
        )
