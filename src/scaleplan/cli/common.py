"""Helpers shared by CLI commands: output formats, loading with diagnostics, JSON output."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from scaleplan.loading import CheckResult, Diagnostic, Severity, check_program
from scaleplan.model import Program

# Pipes and CI logs get a wide console so tables are not cut at 80 columns.
console = Console(highlight=False, width=None if sys.stdout.isatty() else 140)
err_console = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 140)


class Format(StrEnum):
    TEXT = "text"
    JSON = "json"


class CheckFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


PathArg = Annotated[
    Path,
    typer.Argument(help="Program directory (with program.yaml) or a single program YAML file."),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def emit_json(data: Any) -> None:
    """Write ``data`` as JSON to stdout (dates and other values as strings)."""
    sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def print_diagnostics(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> None:
    for d in diagnostics:
        style = "red" if d.severity is Severity.ERROR else "yellow"
        console.print(
            f"[{style}]{d.code}[/{style}] {_escape(d.format()[len(d.code) + 1 :])}", soft_wrap=True
        )


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def load_or_exit(path: Path, fmt: str = "text") -> Program:
    """Load the program at ``path``; on errors print them (in ``fmt``) and exit 1."""
    result = check_program(path)
    if result.program is None:
        report_check(result, fmt)
        raise typer.Exit(1)
    if result.warnings and fmt == "text":
        for d in result.warnings:
            err_console.print(f"[yellow]{_escape(d.format())}[/yellow]", soft_wrap=True)
    return result.program


def report_check(result: CheckResult, fmt: str) -> None:
    if fmt == "json":
        emit_json(result.to_dict())
        return
    if fmt == "github":
        for d in result.diagnostics:
            sys.stdout.write(d.format_github() + "\n")
    else:
        print_diagnostics(result.diagnostics)
    errors, warnings = len(result.errors), len(result.warnings)
    files = len(result.files)
    if errors:
        err_console.print(
            f"[red]✗[/red] {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)} in {files} file{'s' * (files != 1)}"
        )
    else:
        err_console.print(
            f"[green]✓[/green] valid ({warnings} warning{'s' * (warnings != 1)}, "
            f"{files} file{'s' * (files != 1)})"
        )
