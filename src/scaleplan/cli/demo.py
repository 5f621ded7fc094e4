"""``demo``: the main job on the built-in example, one section per analysis."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.rule import Rule

from scaleplan.cli.common import console, load_or_exit

DEFAULT_EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "shopscale"


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo_command(
        path: Annotated[
            Path | None,
            typer.Argument(help="Program to demo (default: the built-in ShopScale example)."),
        ] = None,
    ) -> None:
        """Run every analysis on the built-in ShopScale example (or PATH) and print the results."""
        from scaleplan.cli.main import command_modules
        from scaleplan.errors import UsageError

        target = path or DEFAULT_EXAMPLE
        if not target.exists():
            raise UsageError(f"example not found at {target}; pass a program directory")
        console.print(Rule(f"scaleplan demo: {target}"))
        program = load_or_exit(target)
        console.print(f"[green]✓[/green] {target} is valid")
        sections = [m for m in command_modules() if hasattr(m, "demo") and hasattr(m, "DEMO_ORDER")]
        sections.sort(key=lambda m: m.DEMO_ORDER)
        for module in sections:
            title = getattr(module, "DEMO_TITLE", None) or (
                (module.__doc__ or module.__name__).strip().splitlines()[0].replace("``", "")
            )
            console.print(Rule(title))
            module.demo(program, target, console)
