"""Docs that cannot drift: generated references equal what the code produces now."""

from __future__ import annotations

from pathlib import Path

from scaleplan.cli._docgen import render, render_model

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_cli_reference_is_current() -> None:
    assert (DOCS / "cli.md").read_text() == render(), (
        "regenerate: python -m scaleplan.cli._docgen > docs/cli.md"
    )


def test_model_reference_is_current() -> None:
    assert (DOCS / "model.md").read_text() == render_model(), (
        "regenerate: python -m scaleplan.cli._docgen model > docs/model.md"
    )


def test_every_command_is_in_the_readme() -> None:
    import typer.main

    from scaleplan.cli.main import build_app

    readme = (DOCS.parent / "README.md").read_text()
    group = typer.main.get_command(build_app())
    for name in getattr(group, "commands", {}):
        assert f"scaleplan {name}" in readme, f"README does not mention 'scaleplan {name}'"
