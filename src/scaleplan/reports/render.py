"""Render built sections as one self-contained HTML file or as Markdown.

Templates live in ``scaleplan/reports/templates``: ``section_<id>.html.j2`` and
``section_<id>.md.j2`` per section, ``report.html.j2`` / ``report.md.j2`` around them, and
``report.css`` inlined into the HTML (the dashboard serves the same file). Charts are inline
SVG from :mod:`scaleplan.reports.svg`. No computation here: only view data goes in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    PackageLoader,
    StrictUndefined,
    TemplateNotFound,
    select_autoescape,
)
from markupsafe import Markup

from scaleplan.reports import svg
from scaleplan.reports.sections import SectionResult


def _pct(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:.{digits}%}"


def _num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def _date(value: dt.date | str | None) -> str:
    if value is None:
        return "–"
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _md(value: object) -> str:
    """Escape a value for a Markdown table cell."""
    text = "–" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("\r", " ")


def _grade(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


# --- chart glue: view data -> svg ----------------------------------------------------------


def _incs(d: Any) -> list[tuple[str, dt.date, dt.date]]:
    return [(i.name, i.start, i.end) for i in d.increments]


def chart_roadmap(d: Any) -> Markup:
    if d.source == "plan":
        bars = [
            svg.Bar(
                f"{b.id} {b.title}", b.start, b.end, b.rag, b.deadline, "late" if b.late else ""
            )
            for b in d.bars
        ]
        return Markup(svg.gantt(bars, start=d.start, end=d.end, increments=_incs(d), today=d.today))
    points = [svg.Milestone(f"{m.id} {m.title}", m.day, m.rag) for m in d.milestones]
    return Markup(
        svg.milestones(points, start=d.start, end=d.end, increments=_incs(d), today=d.today)
    )


def chart_load(d: Any) -> Markup:
    return Markup(svg.heatmap(d.teams, d.columns, d.values))


def chart_board(d: Any) -> Markup:
    cards = [svg.Card(c.id, c.team, c.sprint, c.title, c.rag) for c in d.cards]
    arrows = [svg.Arrow(a.source, a.target, a.warning) for a in d.arrows]
    return Markup(svg.board(d.teams, d.sprints, cards, arrows))


def chart_forecasts(d: Any, start: dt.date) -> Markup:
    ranges = [
        svg.Range(f"{r.id} {r.title}", r.p50, r.p85, r.p95, r.p70, r.deadline, r.probability)
        for r in d.rows
        if r.p50 and r.p85 and r.p95
    ]
    if not ranges:
        return Markup("")
    return Markup(svg.forecast_ranges(ranges, start=start, today=start))


def chart_services(d: Any, limit: int = 120) -> Markup:
    if not d.services or len(d.services) > limit:
        return Markup("")
    nodes = [svg.Node(s.id, s.name, s.owner, s.lifecycle) for s in d.services]
    edges = [(s.id, dep) for s in d.services for dep in s.depends_on]
    return Markup(svg.layered_graph(nodes, edges))


def chart_rag(counts: dict[str, int]) -> Markup:
    return Markup(svg.rag_bar(counts))


def chart_grade(grade: float | None, kind: str) -> Markup:
    return Markup(svg.grade_bar(grade, kind))


@cache
def environment() -> Environment:
    """The Jinja environment of reports (and, through its loader, of the dashboard)."""
    env = Environment(
        loader=ChoiceLoader(
            [
                PackageLoader("scaleplan.reports", "templates"),
                PackageLoader("scaleplan.web", "templates"),
            ]
        ),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(pct=_pct, num=_num, date=_date, md=_md, grade=_grade)
    env.globals.update(
        chart_roadmap=chart_roadmap,
        chart_load=chart_load,
        chart_board=chart_board,
        chart_forecasts=chart_forecasts,
        chart_services=chart_services,
        chart_rag=chart_rag,
        chart_grade=chart_grade,
    )
    return env


@cache
def stylesheet() -> str:
    """The CSS shared by the report (inlined) and the dashboard (served)."""
    return resources.files("scaleplan.reports").joinpath("templates/report.css").read_text("utf-8")


def render_section_html(result: SectionResult, *, job: str | None = None) -> Markup:
    """One section as an HTML ``<section>``: its template, or why it is not shown."""
    env = environment()
    body = Markup("")
    if result.status == "ok":
        try:
            template = env.get_template(f"section_{result.id}.html.j2")
        except TemplateNotFound:
            template = env.get_template("section_generic.html.j2")
        body = Markup(template.render(d=result.data, s=result))
    return Markup(env.get_template("_section.html.j2").render(s=result, body=body, job=job))


def tidy_markdown(text: str) -> str:
    """Blank lines where Markdown needs them (before headings, tables and lists), at most one
    blank line in a row, no trailing spaces."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.rstrip()
        prev = out[-1] if out else ""
        starts_block = (
            line.startswith("#")
            or (line.startswith("|") and not prev.startswith("|"))
            or (line.lstrip().startswith("- ") and not prev.lstrip().startswith("- "))
        )
        if starts_block and prev:
            out.append("")
        if not line and not prev:
            continue
        out.append(line)
    return "\n".join(out).strip() + "\n"


def render_section_md(result: SectionResult) -> str:
    env = environment()
    if result.status != "ok":
        return f"## {result.title}\n\n_{result.reason or result.status}_\n"
    try:
        template = env.get_template(f"section_{result.id}.md.j2")
    except TemplateNotFound:
        template = env.get_template("section_generic.md.j2")
    text = template.render(d=result.data, s=result)
    return f"## {result.title}\n\n{text.strip()}\n"


def render_html(
    sections: Sequence[SectionResult],
    *,
    name: str,
    as_of: dt.date,
    description: str | None = None,
    source: str | None = None,
) -> str:
    """The whole report as one HTML file: CSS inline, charts inline SVG, no external links."""
    from scaleplan import __version__

    env = environment()
    parts = [(s, render_section_html(s)) for s in sections]
    return env.get_template("report.html.j2").render(
        name=name,
        description=description,
        as_of=as_of,
        source=source,
        sections=parts,
        css=Markup(stylesheet()),
        version=__version__,
    )


def render_markdown(
    sections: Iterable[SectionResult],
    *,
    name: str,
    as_of: dt.date,
    description: str | None = None,
    source: str | None = None,
) -> str:
    """The report as GitHub-flavoured Markdown (tables; charts become tables or lists)."""
    from scaleplan import __version__

    env = environment()
    text = env.get_template("report.md.j2").render(
        name=name,
        description=description,
        as_of=as_of,
        source=source,
        sections=[render_section_md(s) for s in sections],
        version=__version__,
    )
    return tidy_markdown(text)


__all__ = [
    "environment",
    "render_html",
    "render_markdown",
    "render_section_html",
    "render_section_md",
    "stylesheet",
]
