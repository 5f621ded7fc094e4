"""The program board section: work items per team and sprint, with dependency arrows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scaleplan.analysis.capacity import (
    next_increment,
)
from scaleplan.reports.registry import ReportContext, View, section
from scaleplan.reports.views._common import rag_of
from scaleplan.reports.views._plan import RagValue, plan_of


@dataclass(frozen=True)
class BoardCard(View):
    id: str
    title: str
    team: str
    initiative: str | None
    #: Index into ``sprints``: the sprint the item is planned to finish in.
    sprint: int
    rag: RagValue | None


@dataclass(frozen=True)
class BoardArrow(View):
    #: The item depended upon (must finish first) and the item that needs it.
    source: str
    target: str
    source_team: str
    target_team: str
    #: The dependency finishes in the same or a later sprint than the item that needs it.
    warning: bool


@dataclass(frozen=True)
class BoardView(View):
    increment: str | None
    sprints: tuple[str, ...]
    sprint_starts: tuple[dt.date, ...]
    teams: tuple[str, ...]
    cards: tuple[BoardCard, ...]
    arrows: tuple[BoardArrow, ...]
    warnings: tuple[str, ...]
    total_cards: int


@section("board", "Program board", page="board", order=50, slow=True)
def board(ctx: ReportContext) -> BoardView:
    """SAFe-style program board of the current or next increment: teams x sprints, each item
    in the sprint it is planned to finish, cross-team dependencies as arrows, and a warning
    where a dependency lands in the same or a later sprint than the item that needs it."""
    program = ctx.program
    plan = plan_of(ctx)
    increment = next_increment(program, ctx.as_of)
    sprint_days = program.calendar.sprint_weeks * 7
    if increment is not None:
        first, last = increment.start, increment.end
    else:
        first = max(ctx.as_of, program.calendar.start)
        last = first + dt.timedelta(weeks=12)
    # Sprints are aligned on the calendar start.
    offset = (first - program.calendar.start).days // sprint_days
    starts: list[dt.date] = []
    day = program.calendar.start + dt.timedelta(days=offset * sprint_days)
    while day < last and len(starts) < 26:
        starts.append(day)
        day += dt.timedelta(days=sprint_days)
    if not starts:
        starts = [first]
    labels = tuple(f"S{n + 1} {d.strftime('%d %b')}" for n, d in enumerate(starts))

    def sprint_of(day: dt.date) -> int:
        return (day - starts[0]).days // sprint_days

    rag = {r.id: r.rag for r in rag_of(ctx).initiatives}
    cards: dict[str, BoardCard] = {}
    for row in plan.rows.values():
        item = program.work_items_by_id.get(row.id)
        if item is None:
            continue
        finish = row.end_date - dt.timedelta(days=1)
        s = sprint_of(finish)
        if 0 <= s < len(starts):
            cards[item.id] = BoardCard(
                item.id, item.title, item.team, item.initiative, s, rag.get(item.initiative or "")
            )
    arrows = []
    warnings = []
    for card in cards.values():
        item = program.work_items_by_id[card.id]
        for dep in item.depends_on:
            other = program.work_items_by_id.get(dep.item)
            if other is None or other.team == item.team:
                continue
            if dep.item in cards:
                warning = cards[dep.item].sprint >= card.sprint
                arrows.append(BoardArrow(dep.item, card.id, other.team, item.team, warning))
                if warning:
                    warnings.append(
                        f"{card.id} ({item.team}, {labels[card.sprint]}) needs {dep.item} "
                        f"({other.team}, {labels[cards[dep.item].sprint]}) in the same or a later sprint"
                    )
            elif dep.item in plan.rows and plan.rows[dep.item].end_date > starts[-1] + dt.timedelta(
                days=sprint_days
            ):
                warnings.append(
                    f"{card.id} ({item.team}) needs {dep.item} ({other.team}), planned after this increment"
                )
    teams = tuple(t.id for t in program.teams if any(c.team == t.id for c in cards.values()))
    ordered = sorted(cards.values(), key=lambda c: (c.sprint, c.team, c.id))
    return BoardView(
        increment=increment.id if increment else None,
        sprints=labels,
        sprint_starts=tuple(starts),
        teams=teams[:60],
        cards=tuple(ordered[: ctx.limit * 5]),
        arrows=tuple(arrows[: ctx.limit * 5]),
        warnings=tuple(warnings[: ctx.limit]),
        total_cards=len(cards),
    )


__all__ = ["BoardArrow", "BoardCard", "BoardView", "board"]
