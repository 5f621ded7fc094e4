"""Inline SVG charts for the report and the dashboard: no JavaScript, no external resources.

Each function takes plain values and returns an ``<svg>`` string that scales to its container
(``viewBox`` plus ``width="100%"``). Colours use presentation attributes, not ``style``, so
the dashboard's content security policy needs no inline styles for charts. Text is escaped.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

RAG_COLOURS = {"green": "#2e7d32", "amber": "#f2a900", "red": "#c62828", None: "#8a8f98"}
GRID = "#d9dde3"
INK = "#1f2933"
MUTED = "#616e7c"
ACCENT = "#3559c7"
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"'


def _t(value: object) -> str:
    return escape(str(value), quote=True)


def _svg(width: float, height: float, body: list[str], label: str, *, fluid: bool = True) -> str:
    size = 'width="100%"' if fluid else f'width="{width:.0f}" height="{height:.0f}"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'{size} role="img" aria-label="{_t(label)}" {FONT} font-size="12">'
        f"<title>{_t(label)}</title>" + "".join(body) + "</svg>"
    )


def _clip(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: max(chars - 1, 1)] + "…"


def rag_bar(counts: dict[str, int], width: int = 480) -> str:
    """A stacked bar of green / amber / red counts with labels."""
    total = sum(counts.get(k, 0) for k in ("green", "amber", "red"))
    body: list[str] = []
    x = 0.0
    for key in ("green", "amber", "red"):
        n = counts.get(key, 0)
        if not n:
            continue
        w = width * n / total
        body.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="22" fill="{RAG_COLOURS[key]}">'
            f"<title>{n} {key}</title></rect>"
        )
        if w > 28:
            body.append(
                f'<text x="{x + w / 2:.1f}" y="15" text-anchor="middle" fill="#fff" '
                f'font-weight="600">{n}</text>'
            )
        x += w
    if not total:
        body.append(f'<rect x="0" y="0" width="{width}" height="22" fill="{GRID}"/>')
    label = ", ".join(f"{counts.get(k, 0)} {k}" for k in ("green", "amber", "red"))
    return _svg(width, 22, body, f"RAG: {label}", fluid=False)


def grade_bar(grade: float | None, kind: str = "aspirational", width: int = 160) -> str:
    """A 0.0-1.0 grade bar with a tick at 0.7 (good for aspirational) and at 1.0."""
    body = [f'<rect x="0" y="3" width="{width}" height="10" rx="2" fill="{GRID}"/>']
    if grade is not None:
        colour = (
            RAG_COLOURS["green"]
            if grade >= (1.0 if kind == "committed" else 0.7)
            else RAG_COLOURS["amber"]
            if grade >= 0.4
            else RAG_COLOURS["red"]
        )
        body.append(
            f'<rect x="0" y="3" width="{width * min(max(grade, 0.0), 1.0):.1f}" height="10" '
            f'rx="2" fill="{colour}"/>'
        )
    tick = width * (1.0 if kind == "committed" else 0.7)
    body.append(f'<line x1="{tick:.1f}" y1="0" x2="{tick:.1f}" y2="16" stroke="{INK}"/>')
    label = "no data" if grade is None else f"{grade:.2f}"
    return _svg(width, 16, body, f"grade {label}", fluid=False)


# --- time axis -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Axis:
    start: dt.date
    end: dt.date
    x0: float
    x1: float

    def x(self, day: dt.date) -> float:
        span = max((self.end - self.start).days, 1)
        return self.x0 + (self.x1 - self.x0) * (day - self.start).days / span

    def ticks(self) -> list[dt.date]:
        """First days of months (or quarters when the span is long) inside the axis."""
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
        step = 1 if months <= 14 else 3 if months <= 40 else 12
        day = dt.date(self.start.year, self.start.month, 1)
        out = []
        while day <= self.end:
            if day >= self.start and (day.month - 1) % step == 0:
                out.append(day)
            year, month = divmod(day.month, 12)
            day = dt.date(day.year + year, month + 1, 1)
        return out


def _axis_layers(
    axis: _Axis,
    top: float,
    bottom: float,
    increments: Sequence[tuple[str, dt.date, dt.date]],
    today: dt.date | None,
) -> list[str]:
    body: list[str] = []
    for n, (name, start, end) in enumerate(increments):
        if end < axis.start or start > axis.end:
            continue
        a, b = axis.x(max(start, axis.start)), axis.x(min(end, axis.end))
        fill = "#f3f5f9" if n % 2 == 0 else "#e9edf5"
        body.append(
            f'<rect x="{a:.1f}" y="{top:.1f}" width="{max(b - a, 0):.1f}" '
            f'height="{bottom - top:.1f}" fill="{fill}"/>'
            f'<text x="{(a + b) / 2:.1f}" y="{top - 18:.1f}" text-anchor="middle" '
            f'fill="{MUTED}" font-weight="600">{_t(_clip(name, 18))}</text>'
        )
    for day in axis.ticks():
        x = axis.x(day)
        body.append(
            f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" stroke="{GRID}"/>'
            f'<text x="{x + 2:.1f}" y="{top - 4:.1f}" fill="{MUTED}" font-size="10">'
            f"{day.strftime('%b %y')}</text>"
        )
    if today is not None and axis.start <= today <= axis.end:
        x = axis.x(today)
        body.append(
            f'<line x1="{x:.1f}" y1="{top - 2:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" '
            f'stroke="{ACCENT}" stroke-dasharray="4 3"><title>today {today}</title></line>'
        )
    return body


@dataclass(frozen=True)
class Bar:
    label: str
    start: dt.date
    end: dt.date
    rag: str | None = None
    deadline: dt.date | None = None
    note: str = ""


def gantt(
    bars: Sequence[Bar],
    *,
    start: dt.date,
    end: dt.date,
    increments: Sequence[tuple[str, dt.date, dt.date]] = (),
    today: dt.date | None = None,
    width: int = 960,
) -> str:
    """Horizontal bars on a date axis, coloured by RAG, with a deadline tick each."""
    label_w, row_h, top = 250.0, 20.0, 40.0
    axis = _Axis(start, max(end, start + dt.timedelta(days=7)), label_w, width - 10)
    bottom = top + row_h * len(bars)
    body = _axis_layers(axis, top, bottom, increments, today)
    for n, bar in enumerate(bars):
        y = top + n * row_h
        a, b = axis.x(max(bar.start, start)), axis.x(min(bar.end, axis.end))
        colour = RAG_COLOURS.get(bar.rag, RAG_COLOURS[None])
        tip = f"{bar.label}: {bar.start} → {bar.end}" + (f" ({bar.note})" if bar.note else "")
        body.append(
            f'<text x="{label_w - 6:.0f}" y="{y + 14:.1f}" text-anchor="end" fill="{INK}">'
            f"{_t(_clip(bar.label, 34))}</text>"
            f'<rect x="{a:.1f}" y="{y + 4:.1f}" width="{max(b - a, 2):.1f}" height="{row_h - 8:.0f}" '
            f'rx="3" fill="{colour}"><title>{_t(tip)}</title></rect>'
        )
        if bar.deadline is not None and start <= bar.deadline <= axis.end:
            x = axis.x(bar.deadline)
            body.append(
                f'<path d="M{x:.1f} {y + 2:.1f} l5 8 l-5 8 l-5 -8 z" fill="none" '
                f'stroke="{INK}" stroke-width="1.5"><title>deadline {bar.deadline}</title></path>'
            )
    return _svg(width, bottom + 8, body, "Roadmap Gantt chart")


@dataclass(frozen=True)
class Milestone:
    label: str
    day: dt.date
    rag: str | None = None


def milestones(
    points: Sequence[Milestone],
    *,
    start: dt.date,
    end: dt.date,
    increments: Sequence[tuple[str, dt.date, dt.date]] = (),
    today: dt.date | None = None,
    width: int = 960,
) -> str:
    """Deadlines as diamonds on a date axis, one row each, coloured by RAG."""
    label_w, row_h, top = 250.0, 18.0, 40.0
    axis = _Axis(start, max(end, start + dt.timedelta(days=7)), label_w, width - 14)
    bottom = top + row_h * max(len(points), 1)
    body = _axis_layers(axis, top, bottom, increments, today)
    for n, p in enumerate(points):
        y = top + n * row_h + row_h / 2
        x = axis.x(min(max(p.day, start), axis.end))
        colour = RAG_COLOURS.get(p.rag, RAG_COLOURS[None])
        body.append(
            f'<text x="{label_w - 6:.0f}" y="{y + 4:.1f}" text-anchor="end" fill="{INK}">'
            f"{_t(_clip(p.label, 34))}</text>"
            f'<line x1="{label_w:.0f}" y1="{y:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<path d="M{x:.1f} {y - 7:.1f} l7 7 l-7 7 l-7 -7 z" fill="{colour}">'
            f"<title>{_t(p.label)}: {p.day}</title></path>"
        )
    return _svg(width, bottom + 8, body, "Milestones")


# --- heatmap -------------------------------------------------------------------------------


def load_colour(ratio: float | None) -> str:
    """White at 0, blue up to 85 %, amber to 100 %, red above."""
    if ratio is None:
        return "#f1f3f6"
    if ratio > 1.0:
        return "#c62828" if ratio > 1.2 else "#e57373"
    if ratio > 0.85:
        return "#f2a900"
    shade = min(max(ratio, 0.0) / 0.85, 1.0)
    r = round(235 - shade * (235 - 53))
    g = round(241 - shade * (241 - 89))
    b = round(250 - shade * (250 - 199))
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    width: int = 960,
    label: str = "Load vs capacity",
) -> str:
    """Rows x columns of ratios (load / capacity) with the percentage in each cell."""
    label_w, head, row_h = 170.0, 36.0, 20.0
    cols = max(len(columns), 1)
    cell_w = max((width - label_w - 4) / cols, 14.0)
    total_w = label_w + cell_w * cols + 4
    body: list[str] = []
    every = max(1, math.ceil(34 / cell_w))
    for j, col in enumerate(columns):
        if j % every == 0:
            x = label_w + j * cell_w + cell_w / 2
            body.append(
                f'<text x="{x:.1f}" y="{head - 8:.0f}" text-anchor="middle" fill="{MUTED}" '
                f'font-size="10">{_t(_clip(col, max(int(cell_w * every / 6), 6)))}</text>'
            )
    for i, row in enumerate(rows):
        y = head + i * row_h
        body.append(
            f'<text x="{label_w - 6:.0f}" y="{y + 14:.1f}" text-anchor="end" fill="{INK}">'
            f"{_t(_clip(row, 24))}</text>"
        )
        for j, value in enumerate(values[i]):
            x = label_w + j * cell_w
            shown = "–" if value is None else f"{value:.0%}"
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell_w - 1:.1f}" height="{row_h - 1:.0f}" '
                f'fill="{load_colour(value)}"><title>{_t(row)} · {_t(columns[j])}: {shown}'
                f"</title></rect>"
            )
            if cell_w >= 34 and value is not None:
                ink = "#fff" if value > 0.6 else INK
                body.append(
                    f'<text x="{x + cell_w / 2:.1f}" y="{y + 14:.1f}" text-anchor="middle" '
                    f'fill="{ink}" font-size="10">{value:.0%}</text>'
                )
    return _svg(total_w, head + row_h * len(rows) + 4, body, label)


# --- program board -------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    id: str
    team: str
    column: int
    title: str = ""
    rag: str | None = None


@dataclass(frozen=True)
class Arrow:
    source: str
    target: str
    #: The dependency lands in the same or a later column than its dependent.
    warning: bool = False


def board(
    teams: Sequence[str],
    columns: Sequence[str],
    cards: Sequence[Card],
    arrows: Sequence[Arrow],
    *,
    per_cell: int = 4,
    width: int = 1100,
) -> str:
    """SAFe-style program board: teams x sprints, item cards, dependency arrows (red when the
    dependency lands in the same or a later sprint than the item that needs it)."""
    label_w, head = 150.0, 28.0
    cols = max(len(columns), 1)
    cell_w = max((width - label_w) / cols, 70.0)
    card_h = 16.0
    cell_h = per_cell * (card_h + 3) + 18
    total_w = label_w + cell_w * cols
    body: list[str] = [
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" '
        'markerHeight="6" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" '
        f'fill="{MUTED}"/></marker><marker id="arrow-bad" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" '
        f'fill="{RAG_COLOURS["red"]}"/></marker></defs>'
    ]
    for j, col in enumerate(columns):
        x = label_w + j * cell_w
        body.append(
            f'<text x="{x + cell_w / 2:.1f}" y="18" text-anchor="middle" fill="{MUTED}" '
            f'font-weight="600">{_t(col)}</text>'
        )
    row_of = {t: i for i, t in enumerate(teams)}
    placed: dict[str, tuple[float, float]] = {}
    hidden: dict[tuple[int, int], int] = {}
    slots: dict[tuple[int, int], int] = {}
    for i, team in enumerate(teams):
        y = head + i * cell_h
        body.append(
            f'<text x="{label_w - 8:.0f}" y="{y + 16:.1f}" text-anchor="end" fill="{INK}" '
            f'font-weight="600">{_t(_clip(team, 20))}</text>'
        )
        for j in range(cols):
            body.append(
                f'<rect x="{label_w + j * cell_w:.1f}" y="{y:.1f}" width="{cell_w - 2:.1f}" '
                f'height="{cell_h - 2:.1f}" fill="#f7f8fa" stroke="{GRID}"/>'
            )
    for card in cards:
        found = row_of.get(card.team)
        if found is None or not 0 <= card.column < cols:
            continue
        key = (found, card.column)
        slot = slots.get(key, 0)
        if slot >= per_cell:
            hidden[key] = hidden.get(key, 0) + 1
            continue
        slots[key] = slot + 1
        x = label_w + card.column * cell_w + 4
        y = head + found * cell_h + 4 + slot * (card_h + 3)
        edge = RAG_COLOURS.get(card.rag, RAG_COLOURS[None])
        tip = f"{card.id}: {card.title}" if card.title else card.id
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell_w - 10:.1f}" height="{card_h:.0f}" rx="3" '
            f'fill="#fff" stroke="{edge}" stroke-width="1.5"><title>{_t(tip)}</title></rect>'
            f'<text x="{x + 4:.1f}" y="{y + 12:.1f}" font-size="10" fill="{INK}">'
            f"{_t(_clip(card.id, max(int((cell_w - 16) / 6), 4)))}</text>"
        )
        placed[card.id] = (x + (cell_w - 10) / 2, y + card_h / 2)
    for (i, j), n in hidden.items():
        x = label_w + j * cell_w + 6
        y = head + i * cell_h + cell_h - 8
        body.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="10" fill="{MUTED}">+{n} more</text>')
    for arrow in arrows:
        if arrow.source not in placed or arrow.target not in placed:
            continue
        (x1, y1), (x2, y2) = placed[arrow.source], placed[arrow.target]
        colour = RAG_COLOURS["red"] if arrow.warning else MUTED
        marker = "arrow-bad" if arrow.warning else "arrow"
        bend = (x1 + x2) / 2
        body.append(
            f'<path d="M{x1:.1f} {y1:.1f} C{bend:.1f} {y1:.1f} {bend:.1f} {y2:.1f} {x2:.1f} {y2:.1f}" '
            f'fill="none" stroke="{colour}" stroke-width="{1.8 if arrow.warning else 1.1}" '
            f'opacity="0.85" marker-end="url(#{marker})"><title>{_t(arrow.source)} → '
            f"{_t(arrow.target)}</title></path>"
        )
    return _svg(total_w, head + cell_h * len(teams) + 4, body, "Program board")


# --- forecast ranges -----------------------------------------------------------------------


@dataclass(frozen=True)
class Range:
    """Percentile dates of one forecast (P50 <= P70 <= P85 <= P95) and its deadline."""

    label: str
    p50: dt.date
    p85: dt.date
    p95: dt.date
    p70: dt.date | None = None
    deadline: dt.date | None = None
    probability: float | None = None


def forecast_ranges(
    ranges: Sequence[Range],
    *,
    start: dt.date,
    today: dt.date | None = None,
    width: int = 960,
) -> str:
    """A cone per forecast: a band from P50 to P95 (darker to P85), a dot at P50 and the
    deadline as a vertical tick, coloured by the probability of meeting it."""
    label_w, row_h, top = 230.0, 22.0, 28.0
    end = max([r.p95 for r in ranges] + [r.deadline for r in ranges if r.deadline] + [start])
    axis = _Axis(start, end + dt.timedelta(days=7), label_w, width - 60)
    bottom = top + row_h * len(ranges)
    body = _axis_layers(axis, top, bottom, (), today)
    for n, r in enumerate(ranges):
        y = top + n * row_h
        mid = y + row_h / 2
        colour = (
            RAG_COLOURS[None]
            if r.probability is None
            else RAG_COLOURS["green"]
            if r.probability >= 0.85
            else RAG_COLOURS["amber"]
            if r.probability >= 0.5
            else RAG_COLOURS["red"]
        )
        a50, a85, a95 = axis.x(r.p50), axis.x(r.p85), axis.x(r.p95)
        body.append(
            f'<text x="{label_w - 6:.0f}" y="{mid + 4:.1f}" text-anchor="end" fill="{INK}">'
            f"{_t(_clip(r.label, 34))}</text>"
            f'<path d="M{a50:.1f} {mid:.1f} L{a95:.1f} {mid - 7:.1f} L{a95:.1f} {mid + 7:.1f} z" '
            f'fill="{colour}" opacity="0.25"/>'
            f'<path d="M{a50:.1f} {mid:.1f} L{a85:.1f} {mid - 5:.1f} L{a85:.1f} {mid + 5:.1f} z" '
            f'fill="{colour}" opacity="0.55"/>'
            f'<circle cx="{a50:.1f}" cy="{mid:.1f}" r="3.5" fill="{colour}"><title>'
            f"{_t(r.label)}: P50 {r.p50}, P85 {r.p85}, P95 {r.p95}</title></circle>"
        )
        if r.deadline is not None:
            x = axis.x(r.deadline)
            body.append(
                f'<line x1="{x:.1f}" y1="{y + 2:.1f}" x2="{x:.1f}" y2="{y + row_h - 2:.1f}" '
                f'stroke="{INK}" stroke-width="2"><title>deadline {r.deadline}</title></line>'
            )
        if r.probability is not None:
            body.append(
                f'<text x="{width - 54:.0f}" y="{mid + 4:.1f}" fill="{INK}">'
                f"{r.probability:.0%}</text>"
            )
    return _svg(width, bottom + 6, body, "Forecast ranges")


# --- services map --------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    group: str | None = None
    shape: str = "service"


def layered_graph(
    nodes: Sequence[Node], edges: Sequence[tuple[str, str]], *, width: int = 1000
) -> str:
    """A left-to-right layered drawing: a node's layer is its longest dependency chain, so
    every edge ``a -> b`` (``a`` depends on ``b``) points right to left, foundations on the
    right. Nodes are coloured by group (owner team); monolith modules are drawn dashed."""
    ids = {n.id for n in nodes}
    deps: dict[str, list[str]] = {n.id: [] for n in nodes}
    for a, b in edges:
        if a in ids and b in ids and a != b:
            deps[a].append(b)
    layer: dict[str, int] = {}

    def depth(node: str, stack: frozenset[str]) -> int:
        if node in layer:
            return layer[node]
        below = [depth(d, stack | {node}) for d in deps[node] if d not in stack]
        layer[node] = 1 + max(below, default=-1)
        return layer[node]

    for n in nodes:
        depth(n.id, frozenset())
    levels = max(layer.values(), default=0) + 1
    columns: dict[int, list[Node]] = {}
    for n in nodes:
        columns.setdefault(levels - 1 - layer[n.id], []).append(n)
    groups = sorted({n.group or "" for n in nodes})
    palette = ["#3559c7", "#2e7d32", "#8e24aa", "#ef6c00", "#00838f", "#6d4c41", "#c2185b"]
    colour = {g: palette[k % len(palette)] for k, g in enumerate(groups)}
    node_w, node_h, gap_y = 150.0, 26.0, 10.0
    col_w = max(width / max(levels, 1), node_w + 40)
    height = max(len(c) for c in columns.values()) * (node_h + gap_y) + 20 if columns else 40
    pos: dict[str, tuple[float, float]] = {}
    body: list[str] = [
        '<defs><marker id="dep" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" '
        f'markerHeight="6" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="{MUTED}"/>'
        "</marker></defs>"
    ]
    for c, col in sorted(columns.items()):
        col.sort(key=lambda n: (n.group or "", n.id))
        for r, n in enumerate(col):
            pos[n.id] = (20 + c * col_w, 10 + r * (node_h + gap_y))
    for a, targets in deps.items():
        for b in targets:
            (xa, ya), (xb, yb) = pos[a], pos[b]
            x1, y1 = xa + node_w, ya + node_h / 2
            x2, y2 = xb, yb + node_h / 2
            if xb <= xa:  # same or earlier column (a cycle): go around
                x1, x2 = xa + node_w / 2, xb + node_w / 2
            body.append(
                f'<path d="M{x1:.1f} {y1:.1f} C{(x1 + x2) / 2:.1f} {y1:.1f} {(x1 + x2) / 2:.1f} '
                f'{y2:.1f} {x2:.1f} {y2:.1f}" fill="none" stroke="{MUTED}" opacity="0.6" '
                f'marker-end="url(#dep)"/>'
            )
    for n in nodes:
        x, y = pos[n.id]
        dash = ' stroke-dasharray="4 3"' if n.shape == "monolith-module" else ""
        fill = "#f1f3f6" if n.shape == "retired" else "#fff"
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{node_w:.0f}" height="{node_h:.0f}" rx="5" '
            f'fill="{fill}" stroke="{colour[n.group or ""]}" stroke-width="2"{dash}>'
            f"<title>{_t(n.label)} ({_t(n.group or 'no owner')})</title></rect>"
            f'<text x="{x + 8:.1f}" y="{y + 17:.1f}" fill="{INK}">{_t(_clip(n.label, 22))}</text>'
        )
    total_w = 20 + col_w * (levels - 1) + node_w + 20
    return _svg(total_w, height, body, "Services map")


__all__ = [
    "RAG_COLOURS",
    "Arrow",
    "Bar",
    "Card",
    "Milestone",
    "Node",
    "Range",
    "board",
    "forecast_ranges",
    "gantt",
    "grade_bar",
    "heatmap",
    "layered_graph",
    "load_colour",
    "milestones",
    "rag_bar",
]
