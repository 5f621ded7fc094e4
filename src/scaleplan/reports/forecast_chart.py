"""Forecast charts as standalone SVG (hand-written, no JavaScript, no computation).

* :func:`burnup_svg`: items done over time (the burn-up), then the forecast cone: for a "when"
  forecast, lines from today to the target at the P50, P85 and P95 dates; for a "how many"
  forecast, the P50-P95 range of items at the chosen date.
* :func:`plan_svg`: one row per initiative or milestone: the P50-P95 range of its finish date,
  the P85 mark and its deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

INK = "#1f2933"
MUTED = "#616e7c"
GRID = "#d9dde3"
DONE = "#3559c7"
CONE = "#f2a900"
LATE = "#c62828"
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"'


def _t(value: object) -> str:
    return escape(str(value), quote=True)


def _svg(width: int, height: int, body: list[str], label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{_t(label)}" {FONT} '
        f'font-size="12"><title>{_t(label)}</title><rect width="{width}" height="{height}" '
        f'fill="#ffffff"/>' + "".join(body) + "</svg>\n"
    )


def _month_ticks(first: dt.date, last: dt.date, limit: int = 8) -> list[dt.date]:
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = max(1, -(-months // limit))
    ticks = []
    year, month = first.year, first.month
    for k in range(months + 1):
        if k % step == 0:
            day = dt.date(year, month, 1)
            if first <= day <= last:
                ticks.append(day)
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return ticks


@dataclass(frozen=True)
class ConePoint:
    """One forecast percentile: its label (``P85``), date, and items at that date."""

    label: str
    date: dt.date | None
    items: float


def burnup_svg(
    history: Sequence[tuple[dt.date, int]],
    cone: Sequence[ConePoint],
    *,
    start: dt.date,
    done_before: int,
    title: str,
    width: int = 760,
    height: int = 380,
) -> str:
    """Burn-up of ``history`` (date, cumulative items done) and a forecast ``cone`` drawn from
    (``start``, ``done_before``) to each point."""
    left, right, top, bottom = 64, 96, 36, 44
    dates = [d for d, _ in history] + [start] + [p.date for p in cone if p.date is not None]
    first, last = min(dates), max(dates)
    if last <= first:
        last = first + dt.timedelta(days=7)
    top_items = max([c for _, c in history] + [done_before] + [p.items for p in cone] + [1])
    bottom_items = min([c for _, c in history] + [done_before])
    span_days = (last - first).days or 1
    span_items = max(top_items - bottom_items, 1.0)
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(day: dt.date) -> float:
        return left + plot_w * (day - first).days / span_days

    def y(items: float) -> float:
        return top + plot_h * (1 - (items - bottom_items) / span_items)

    body = [
        f'<text x="{left}" y="22" font-size="14" font-weight="600" fill="{INK}">{_t(title)}</text>'
    ]
    for k in range(5):
        value = bottom_items + span_items * k / 4
        body.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="{GRID}"/><text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" '
            f'fill="{MUTED}">{value:.0f}</text>'
        )
    for tick in _month_ticks(first, last):
        body.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{top}" y2="{top + plot_h}" '
            f'stroke="{GRID}"/><text x="{x(tick):.1f}" y="{height - bottom + 16}" '
            f'text-anchor="middle" fill="{MUTED}">{tick:%b %Y}</text>'
        )
    if history:
        points = " ".join(f"{x(d):.1f},{y(c):.1f}" for d, c in history)
        body.append(
            f'<polyline points="{points}" fill="none" stroke="{DONE}" stroke-width="2">'
            "<title>items done</title></polyline>"
        )
    dated = [p for p in cone if p.date is not None]
    if len(dated) >= 2:
        lo, hi = dated[0], dated[-1]
        assert lo.date is not None and hi.date is not None
        polygon = (
            f"{x(start):.1f},{y(done_before):.1f} {x(lo.date):.1f},{y(lo.items):.1f} "
            f"{x(hi.date):.1f},{y(hi.items):.1f}"
        )
        body.append(f'<polygon points="{polygon}" fill="{CONE}" fill-opacity="0.25"/>')
    for p in dated:
        assert p.date is not None
        body.append(
            f'<line x1="{x(start):.1f}" y1="{y(done_before):.1f}" x2="{x(p.date):.1f}" '
            f'y2="{y(p.items):.1f}" stroke="{CONE}" stroke-width="1.5" stroke-dasharray="5 3"/>'
            f'<circle cx="{x(p.date):.1f}" cy="{y(p.items):.1f}" r="3.5" fill="{CONE}">'
            f"<title>{_t(p.label)}: {p.date.isoformat()} ({p.items:.0f} items)</title></circle>"
            f'<text x="{x(p.date) + 6:.1f}" y="{y(p.items) - 6:.1f}" fill="{INK}">'
            f"{_t(p.label)} {p.date:%d %b}</text>"
        )
    body.append(
        f'<line x1="{x(start):.1f}" x2="{x(start):.1f}" y1="{top}" y2="{top + plot_h}" '
        f'stroke="{MUTED}" stroke-dasharray="2 3"/><text x="{x(start) + 4:.1f}" y="{top + 12}" '
        f'fill="{MUTED}">start</text>'
    )
    return _svg(width, height, body, title)


@dataclass(frozen=True)
class RangeRow:
    """One row of :func:`plan_svg`."""

    label: str
    p50: dt.date | None
    p85: dt.date | None
    p95: dt.date | None
    deadline: dt.date | None = None


def plan_svg(rows: Sequence[RangeRow], *, start: dt.date, title: str, width: int = 760) -> str:
    """Finish-date ranges (P50 to P95, P85 marked) with deadlines, one row per entry."""
    left, right, top, row_h = 220, 24, 44, 22
    height = top + row_h * max(len(rows), 1) + 36
    dates = [start] + [d for r in rows for d in (r.p50, r.p95, r.deadline) if d is not None]
    first, last = min(dates), max(dates)
    if last <= first:
        last = first + dt.timedelta(days=7)
    span = (last - first).days or 1
    plot_w = width - left - right

    def x(day: dt.date) -> float:
        return left + plot_w * (day - first).days / span

    body = [f'<text x="12" y="22" font-size="14" font-weight="600" fill="{INK}">{_t(title)}</text>']
    for tick in _month_ticks(first, last):
        body.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{top - 6}" '
            f'y2="{height - 30}" stroke="{GRID}"/><text x="{x(tick):.1f}" y="{height - 14}" '
            f'text-anchor="middle" fill="{MUTED}">{tick:%b %y}</text>'
        )
    for k, row in enumerate(rows):
        cy = top + row_h * k + row_h / 2
        label = row.label if len(row.label) <= 32 else row.label[:31] + "…"
        body.append(
            f'<text x="{left - 8}" y="{cy + 4:.1f}" text-anchor="end" fill="{INK}">'
            f"{_t(label)}</text>"
        )
        late = row.deadline is not None and row.p85 is not None and row.p85 > row.deadline
        colour = LATE if late else DONE
        if row.p50 is not None:
            end = row.p95 or last
            body.append(
                f'<rect x="{x(row.p50):.1f}" y="{cy - 6:.1f}" width="{max(x(end) - x(row.p50), 2):.1f}" '
                f'height="12" fill="{colour}" fill-opacity="0.35"><title>P50 {row.p50} - P95 '
                f"{row.p95 or 'beyond the horizon'}</title></rect>"
            )
        if row.p85 is not None:
            body.append(
                f'<line x1="{x(row.p85):.1f}" x2="{x(row.p85):.1f}" y1="{cy - 8:.1f}" '
                f'y2="{cy + 8:.1f}" stroke="{colour}" stroke-width="2"><title>P85 {row.p85}'
                "</title></line>"
            )
        if row.deadline is not None:
            body.append(
                f'<path d="M{x(row.deadline):.1f},{cy - 8:.1f} l4,8 l-4,8 l-4,-8 z" fill="{INK}">'
                f"<title>deadline {row.deadline}</title></path>"
            )
    return _svg(width, height, body, title)


__all__ = ["ConePoint", "RangeRow", "burnup_svg", "plan_svg"]
