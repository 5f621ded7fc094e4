"""Reports: the program report (self-contained HTML or Markdown), status digests and charts.

Renderers only: numbers come from the model and from :mod:`scaleplan.analysis`; the section
registry (:mod:`scaleplan.reports.sections`) turns them into view data shared with the web
dashboard.

>>> from scaleplan import load_program  # doctest: +SKIP
>>> html = report_html(load_program("examples/shopscale"))  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from scaleplan.model import Program
from scaleplan.reports.render import render_html, render_markdown
from scaleplan.reports.sections import (
    PAGES,
    ReportContext,
    SectionResult,
    Unavailable,
    build_sections,
    load_sections,
    section,
)


def build_report(
    program: Program,
    *,
    as_of: dt.date | None = None,
    path: Path | None = None,
    warnings: tuple[Any, ...] = (),
    sections: Iterable[str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    time_limit: float = 10.0,
    seed: int = 7,
    limit: int = 200,
) -> list[SectionResult]:
    """Build every section (or the given ones) for ``program`` as of ``as_of`` (default today)."""
    ctx = ReportContext(
        program=program,
        as_of=as_of or dt.date.today(),
        path=path,
        warnings=warnings,
        time_limit=time_limit,
        seed=seed,
        limit=limit,
    )
    return build_sections(ctx, sections, progress=progress)


def report_html(program: Program, **options: Any) -> str:
    """The program report as one self-contained HTML document."""
    as_of = options.get("as_of") or dt.date.today()
    results = build_report(program, **{**options, "as_of": as_of})
    return render_html(
        results,
        name=program.program.name,
        as_of=as_of,
        description=program.program.description,
    )


def report_markdown(program: Program, **options: Any) -> str:
    """The program report as GitHub-flavoured Markdown."""
    as_of = options.get("as_of") or dt.date.today()
    results = build_report(program, **{**options, "as_of": as_of})
    return render_markdown(
        results,
        name=program.program.name,
        as_of=as_of,
        description=program.program.description,
    )


__all__ = [
    "PAGES",
    "ReportContext",
    "SectionResult",
    "Unavailable",
    "build_report",
    "build_sections",
    "load_sections",
    "render_html",
    "render_markdown",
    "report_html",
    "report_markdown",
    "section",
]
