"""The ``scaleplan`` command. Maps library errors to exit codes; never shows a traceback.

Exit codes: 0 success, 1 invalid input, 2 usage error, 3 no feasible answer,
4 an external service failed, 70 internal error (a bug: please report it), 130 interrupted.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from typing import Any

import click
import typer

from scaleplan import __version__
from scaleplan.errors import EXIT_INTERNAL, ProgramInvalid, ScaleplanError

# typer >= 0.20 vendors its own click: catch both its exceptions and click's.
_EXIT: tuple[type[BaseException], ...] = (click.exceptions.Exit, typer.Exit)
_ABORT: tuple[type[BaseException], ...] = (click.exceptions.Abort, typer.Abort)
_CLICK_ERRORS: tuple[type[Exception], ...] = (click.ClickException,)
try:
    from typer._click.exceptions import ClickException as _TyperClickException

    _CLICK_ERRORS = (click.ClickException, _TyperClickException)
except ImportError:  # pragma: no cover - older typer uses click itself
    pass


def _version(value: bool) -> None:
    if value:
        typer.echo(f"scaleplan {__version__}")
        raise typer.Exit()


def build_app() -> typer.Typer:
    app = typer.Typer(
        name="scaleplan",
        help="Plan, prioritise, forecast and organise a technical program kept as code.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode="rich",
    )

    @app.callback()
    def _main(
        version: bool = typer.Option(
            False, "--version", callback=_version, is_eager=True, help="Show the version."
        ),
    ) -> None:
        """scaleplan: program-as-code for technical program managers."""

    for module in command_modules():
        register = getattr(module, "register", None)
        if register is not None:
            register(app)
    return app


def command_modules() -> list[Any]:
    import scaleplan.cli as package

    modules = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name in {"main", "common"} or info.name.startswith("_"):
            continue
        modules.append(importlib.import_module(f"scaleplan.cli.{info.name}"))
    return modules


def run(argv: list[str] | None = None) -> None:
    """Entry point of the console script and ``python -m scaleplan``."""
    sys.exit(main(argv))


def main(argv: list[str] | None = None) -> int:
    from scaleplan.cli.common import err_console, print_diagnostics

    app = build_app()
    try:
        result = app(args=argv, prog_name="scaleplan", standalone_mode=False)
    except _EXIT as exc:
        return int(getattr(exc, "exit_code", 0))
    except _CLICK_ERRORS as exc:
        exc.show()  # type: ignore[attr-defined]
        return int(getattr(exc, "exit_code", 2))
    except _ABORT:
        err_console.print("interrupted")
        return 130
    except KeyboardInterrupt:
        err_console.print("interrupted")
        return 130
    except ProgramInvalid as exc:
        from scaleplan.loading.diagnostics import Diagnostic

        # the loader is the only raiser of ProgramInvalid, so these are its Diagnostic values
        print_diagnostics([d for d in exc.diagnostics if isinstance(d, Diagnostic)])
        return exc.exit_code
    except ScaleplanError as exc:
        err_console.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never a traceback for the user; keep it for us
        if os.environ.get("SCALEPLAN_DEBUG"):
            raise
        err_console.print(
            f"[red]internal error:[/red] {type(exc).__name__}: {exc}\n"
            "This is a bug in scaleplan. Re-run with SCALEPLAN_DEBUG=1 for details and report it."
        )
        return EXIT_INTERNAL
    return int(result) if isinstance(result, int) else 0
