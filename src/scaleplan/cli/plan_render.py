"""Terminal rendering for ``plan``, ``explain`` and ``compare``: status, landings, board, warnings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.table import Table

from scaleplan.cli.common import console
from scaleplan.model import Program

if TYPE_CHECKING:
    from scaleplan.planning import PlanResult, ProgramPlan


def status_line(result: PlanResult) -> str:
    colour = {"optimal": "green", "feasible": "green", "infeasible": "red"}.get(
        result.status, "yellow"
    )
    parts = [f"[{colour}]{result.status}[/{colour}]"]
    if result.objective is not None:
        parts.append(f"objective {result.objective:,.1f}")
    if result.bound is not None and result.gap is not None:
        parts.append(f"bound {result.bound:,.1f} (gap {100 * result.gap:.1f}%)")
    parts.append(f"{result.runtime:.1f} s with {result.backend}")
    return ", ".join(parts)


def render_diagnosis(pp: ProgramPlan) -> None:
    result = pp.result
    if result.status not in ("infeasible", "unknown") or not result.diagnosis:
        return
    console.print("[red]No plan meets every hard deadline:[/red]")
    for f in result.diagnosis:
        console.print(f"  - {escape(f.message)}", soft_wrap=True)
    if pp.relaxed is not None and pp.relaxed.items:
        console.print("Showing the best plan with those deadlines treated as soft ones.")


def render_plan(program: Program, pp: ProgramPlan, *, all_sprints: bool = False) -> None:
    console.print(f"[bold]Plan for {escape(program.program.name)}[/bold]: {status_line(pp.result)}")
    render_diagnosis(pp)
    board = pp.board
    if board is None:
        return
    shown = pp.shown
    end = shown.finish_date(shown.makespan or 0)
    console.print(
        f"{sum(len(v) for v in board.roadmap.values())} items on {len(board.roadmap)} teams; "
        "the last lands "
        f"{end.isoformat() if end else shown.makespan}."
    )
    if board.landings:
        render_landings(shown, board)
    render_board(board, all_sprints=all_sprints)
    render_warnings(board.warnings)


def render_landings(shown: PlanResult, board: Any) -> None:
    landings = Table(
        "initiative",
        "weight",
        "items",
        "lands",
        "deadline",
        "late",
        title="When each initiative lands",
        title_justify="left",
    )
    for landing in board.landings:
        deadline = shown.finish_date(landing.deadline) if landing.deadline is not None else None
        landings.add_row(
            landing.initiative,
            f"{landing.weight:.2f}",
            str(landing.items),
            landing.end_date or str(landing.end),
            deadline.isoformat() if deadline else "-",
            f"[red]{landing.late_by} wk[/red]" if landing.late_by else "",
        )
    console.print(landings)


def _board_sprints(board: Any, all_sprints: bool) -> list[int]:
    if all_sprints or not board.sprints:
        return list(board.sprints)
    if board.increment_sprints:
        inside = [s for s in board.increment_sprints if s in board.sprints]
        if inside:
            return inside
    used = [s for cells in board.cells.values() for s in cells]
    first = min(used, default=board.sprints[0])
    return [s for s in board.sprints if s >= first][:6]


def render_board(board: Any, *, all_sprints: bool = False) -> None:
    sprints = _board_sprints(board, all_sprints)
    if not sprints:
        return
    title = "Program board: items by the sprint they are delivered in"
    if len(sprints) < len(board.sprints):
        title += f" (sprints {sprints[0]}-{sprints[-1]} of {board.sprints[0]}-{board.sprints[-1]}; --all-sprints)"
    table = Table(
        "team",
        *[f"S{s}\n{board.sprint_dates.get(s, '')[5:]}" for s in sprints],
        title=title,
        title_justify="left",
    )
    for team in sorted(board.cells):
        row = [team]
        for s in sprints:
            items = board.cells[team].get(s, ())
            row.append("\n".join(escape(i) for i in items))
        table.add_row(*row)
    console.print(table)
    load = Table(
        "team",
        *[f"S{s}" for s in sprints],
        title="Team load: planned / capacity",
        title_justify="left",
    )
    cells = {(c.team, c.sprint): c for c in board.load}
    for team in sorted({c.team for c in board.load}):
        row = [team]
        for s in sprints:
            cell = cells.get((team, s))
            u = cell.utilisation if cell else None
            row.append("-" if u is None else f"{100 * u:.0f}%")
        load.add_row(*row)
    console.print(load)


def render_warnings(warnings: tuple[str, ...], limit: int = 20) -> None:
    if not warnings:
        console.print("[green]No program-board warnings.[/green]")
        return
    console.print(f"[yellow]Program-board warnings ({len(warnings)}):[/yellow]")
    for w in warnings[:limit]:
        console.print(f"  - {escape(w)}", soft_wrap=True)
    if len(warnings) > limit:
        console.print(f"  ... and {len(warnings) - limit} more (--format json lists them all)")


def render_explanation(
    program: Program, pp: ProgramPlan, exp: Any, chain: list[tuple[str, str]]
) -> None:
    from scaleplan.planning.explain import format_chain

    item = program.work_items_by_id[exp.item]
    console.print(f"[bold]{escape(exp.item)}[/bold] - {escape(item.title)} ({exp.team})")
    if pp.result.status == "infeasible":
        console.print(
            "[yellow]The program's hard deadlines cannot all be met; explaining the plan that treats them as soft.[/yellow]"
        )
    console.print(
        f"Planned {exp.dates.get('start') or exp.start} -> {exp.dates.get('end') or exp.end} "
        f"with {exp.people:g} people (ready {exp.dates.get('ready') or exp.ready})."
    )
    console.print(
        f"Binding constraint: [bold]{exp.binding}[/bold]. {escape(exp.message)}", soft_wrap=True
    )
    for w in exp.capacity:
        who = f" by {', '.join(w.holders[:6])}" if w.holders else ""
        console.print(
            f"  - {w.resource}: full in periods {w.start}-{w.end - 1}{escape(who)}", soft_wrap=True
        )
    console.print(
        f"Slack: {exp.slack} {pp.shown_problem.unit}(s) before anything that depends on it moves."
    )
    if exp.deadline_slack is not None:
        word = "ahead of" if exp.deadline_slack >= 0 else "behind"
        console.print(
            f"Deadline: {abs(exp.deadline_slack)} {pp.shown_problem.unit}(s) {word} its deadline."
        )
    own = list(zip(exp.chain, (*exp.chain_links, ""), strict=True))
    console.print(f"Its critical chain: {escape(format_chain(own))}", soft_wrap=True)
    console.print(f"The plan's critical chain: {escape(format_chain(chain))}", soft_wrap=True)
    console.print(escape("(-> waits for a dependency, =[team]=> waits for that team's capacity)"))


def render_comparison(comparison: Any) -> None:
    console.print(f"[bold]Scenario: {escape(comparison.scenario)}[/bold]")
    for change in comparison.changes:
        console.print(f"  - {escape(change)}")
    console.print(
        f"Before: {comparison.before_status}, last item lands {comparison.before_end}; "
        f"after: {comparison.after_status}, last item lands {comparison.after_end}."
    )
    if comparison.landings:
        table = Table(
            "initiative",
            "before",
            "after",
            "change (weeks)",
            title="Initiative landings that move",
            title_justify="left",
        )
        for row in comparison.landings:
            delta = row.delta
            style = "red" if delta is not None and delta > 0 else "green"
            table.add_row(
                row.initiative,
                row.before or "-",
                row.after or "dropped",
                "-" if delta is None else f"[{style}]{delta:+d}[/{style}]",
            )
        console.print(table)
    moved = comparison.moved
    if moved:
        table = Table(
            "item",
            "team",
            "before",
            "after",
            "end change",
            title=f"Items that move ({len(moved)})",
            title_justify="left",
        )
        for m in moved[:25]:
            style = "red" if m.delta_end > 0 else "green"
            table.add_row(
                m.item,
                m.team or "-",
                m.before or "-",
                m.after or "-",
                f"[{style}]{m.delta_end:+d}[/{style}]",
            )
        console.print(table)
        if len(moved) > 25:
            console.print(f"... and {len(moved) - 25} more (--format json lists them all)")
    else:
        console.print("No item moves.")
    if comparison.removed:
        console.print(f"No longer planned: {', '.join(comparison.removed)}")
    if comparison.added:
        console.print(f"Newly planned: {', '.join(comparison.added)}")


__all__ = [
    "render_board",
    "render_comparison",
    "render_diagnosis",
    "render_explanation",
    "render_landings",
    "render_plan",
    "render_warnings",
    "status_line",
]
