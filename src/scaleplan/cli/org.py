"""Org design and communication

Commands ``org``, ``congruence``, ``escalation``, ``cadences``, ``mentors`` and ``talks``; the
first line of this docstring is the title of the section in ``scaleplan demo``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from scaleplan.cli.common import (
    Format,
    FormatOpt,
    PathArg,
    console,
    emit_json,
    err_console,
    load_or_exit,
)

if TYPE_CHECKING:
    from rich.console import Console

    from scaleplan.analysis.org import (
        BoundarySuggestion,
        CadencePlan,
        CongruenceReport,
        EscalationPath,
        Finding,
        MentorshipResult,
        OrgReport,
    )
    from scaleplan.model import Program

DEMO_ORDER = 50

AsOfOpt = Annotated[
    dt.datetime | None,
    typer.Option(
        "--as-of",
        formats=["%Y-%m-%d"],
        help="Reference date (YYYY-MM-DD): who is active, new hires, ages. Default: today.",
    ),
]


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


def register(app: typer.Typer) -> None:
    @app.command("org")
    def org_command(
        path: PathArg,
        as_of: AsOfOpt = None,
        increment: Annotated[
            str | None,
            typer.Option(
                help="Increment whose planned load ORG017 checks (default: current/next)."
            ),
        ] = None,
        strict: Annotated[bool, typer.Option(help="Exit 1 on warnings too.")] = False,
        format: FormatOpt = Format.TEXT,
    ) -> None:
        """Check the org against rules of thumb (team size, spans, Dunbar, SAFe, Team
        Topologies, congruence, meeting load...): codes ORG001-ORG026, see docs/org.md.

        Exit 0 when there is no error-level finding (or no finding at all with --strict), 1
        otherwise.
        """
        from scaleplan.analysis.org import diagnose

        program = load_or_exit(path, format.value)
        report = diagnose(program, as_of=_day(as_of), increment=increment)
        if format == Format.JSON:
            emit_json(report.to_dict())
        else:
            render_org(report, console)
        if report.errors or (strict and report.warnings):
            raise typer.Exit(1)

    @app.command("congruence")
    def congruence_command(
        path: PathArg,
        as_of: AsOfOpt = None,
        suggest: Annotated[
            bool, typer.Option(help="Also suggest a service -> team assignment (CP-SAT).")
        ] = False,
        max_moves: Annotated[
            int,
            typer.Option(help="With --suggest: move at most this many services (-1: no cap)."),
        ] = 3,
        time_limit: Annotated[
            float, typer.Option(help="With --suggest: solver's deterministic time limit (s).")
        ] = 5.0,
        seed: Annotated[int, typer.Option(help="With --suggest: solver seed.")] = 0,
        format: FormatOpt = Format.TEXT,
    ) -> None:
        """Socio-technical congruence (Cataldo et al.): the team pairs that must coordinate
        because their services depend on each other, and whether they have a channel."""
        from scaleplan.analysis.org import congruence, suggest_boundaries

        program = load_or_exit(path, format.value)
        report = congruence(program, as_of=_day(as_of))
        suggestion = None
        if suggest:
            with _spinner(format, "searching for better team boundaries (CP-SAT)"):
                suggestion = suggest_boundaries(
                    program,
                    as_of=_day(as_of),
                    max_moves=max_moves if max_moves >= 0 else None,
                    time_limit=time_limit,
                    seed=seed,
                )
        if format == Format.JSON:
            data = report.to_dict()
            data["suggestion"] = suggestion.to_dict() if suggestion else None
            emit_json(data)
            return
        render_congruence(report, console)
        if suggestion is not None:
            render_suggestion(suggestion, console)

    @app.command("escalation")
    def escalation_command(
        path: PathArg,
        team: Annotated[str | None, typer.Option(help="Show this team's path only.")] = None,
        person: Annotated[str | None, typer.Option(help="Show this person's path only.")] = None,
        as_of: AsOfOpt = None,
        format: FormatOpt = Format.TEXT,
    ) -> None:
        """Escalation paths: team lead -> tribe lead -> decision-maker, for every team (or one
        team or person), with the gaps. Exit 1 when a team's path is incomplete."""
        from scaleplan.analysis.org import escalation_path, escalation_paths
        from scaleplan.errors import UsageError

        if team is not None and person is not None:
            raise UsageError("give --team or --person, not both")
        program = load_or_exit(path, format.value)
        if team is not None or person is not None:
            found: tuple[EscalationPath, ...] = (
                escalation_path(program, team=team, person=person, as_of=_day(as_of)),
            )
        else:
            found = escalation_paths(program, as_of=_day(as_of))
        if format == Format.JSON:
            emit_json({"paths": [p.to_dict() for p in found]})
        else:
            table = Table(
                "subject", "escalates to", "gaps", title="Escalation paths", title_justify="left"
            )
            for p in found:
                chain = " -> ".join(f"{s.name} ({s.role})" for s in p.steps) or "-"
                gaps = "; ".join(p.gaps) or ("[green]complete[/green]" if p.complete else "")
                table.add_row(f"{p.subject_kind} {p.subject}", escape(chain), gaps)
            console.print(table)
        if any(not p.complete for p in found):
            raise typer.Exit(1)

    @app.command("cadences")
    def cadences_command(
        path: PathArg,
        as_of: AsOfOpt = None,
        start: Annotated[
            dt.datetime | None,
            typer.Option(formats=["%Y-%m-%d"], help="First day of the series (default: --as-of)."),
        ] = None,
        out: Annotated[
            Path | None,
            typer.Option("--out", "-o", help="Write program.ics and team-<id>.ics here."),
        ] = None,
        force: Annotated[
            bool, typer.Option(help="Overwrite different existing .ics files.")
        ] = False,
        format: FormatOpt = Format.TEXT,
    ) -> None:
        """The meeting plan generated from the org (dailies, tribe/ART syncs, program review,
        PI planning, chapters, guilds, TechTalk) plus declared cadences, slotted inside
        everyone's working hours; meeting hours per person; RFC 5545 calendars with --out."""
        from scaleplan.analysis.org import plan_cadences

        program = load_or_exit(path, format.value)
        plan = plan_cadences(program, as_of=_day(as_of), start=_day(start))
        written: list[Path] = []
        if out is not None:
            written = _write_calendars(plan, out, force, format)
        if format == Format.JSON:
            data = plan.to_dict()
            data["written"] = [str(p) for p in written]
            emit_json(data)
            return
        render_cadences(plan, console)
        if written:
            console.print(f"[green]✓[/green] wrote {len(written)} calendars to {out}")

    @app.command("mentors")
    def mentors_command(
        path: PathArg,
        as_of: AsOfOpt = None,
        mentee: Annotated[
            list[str] | None,
            typer.Option(help="Match only these people (repeat); default: juniors and new hires."),
        ] = None,
        format: FormatOpt = Format.TEXT,
    ) -> None:
        """Mentorship matching as an optimal assignment (most mentees matched, then best
        seniority gap, skill overlap and time-zone overlap), with a reason for each pair."""
        from scaleplan.analysis.org import match_mentors

        program = load_or_exit(path, format.value)
        result = match_mentors(program, as_of=_day(as_of), mentees=mentee or None)
        if format == Format.JSON:
            emit_json(result.to_dict())
            return
        render_mentors(result, program, console)

    @app.command("talks")
    def talks_command(
        path: PathArg,
        weeks: Annotated[int, typer.Option(help="Number of weeks to schedule.")] = 12,
        start: Annotated[
            dt.datetime | None,
            typer.Option(formats=["%Y-%m-%d"], help="First week (default: today)."),
        ] = None,
        seed: Annotated[int, typer.Option(help="Seed of the host and speaker order.")] = 0,
        role: Annotated[
            list[str] | None, typer.Option(help="Only people with this role speak (repeat).")
        ] = None,
        out: Annotated[
            Path | None, typer.Option("--out", "-o", help="Write the rotation as an .ics file.")
        ] = None,
        force: Annotated[bool, typer.Option(help="Overwrite a different existing file.")] = False,
        format: FormatOpt = Format.TEXT,
    ) -> None:
        """A fair TechTalk rotation across teams and guilds: nobody speaks twice before
        everyone eligible has spoken once."""
        from scaleplan.analysis.org import talk_rotation
        from scaleplan.reports.ics import talks_calendar
        from scaleplan.storage.files import write_atomic

        program = load_or_exit(path, format.value)
        schedule = talk_rotation(
            program, weeks=weeks, start=_day(start), seed=seed, roles=tuple(role or ())
        )
        if out is not None:
            write_atomic(out, talks_calendar(schedule), force=force)
        if format == Format.JSON:
            data = schedule.to_dict()
            data["written"] = str(out) if out is not None else None
            emit_json(data)
            return
        table = Table(
            "week",
            "date",
            "speaker",
            "host",
            "round",
            title="TechTalk rotation",
            title_justify="left",
        )
        for t in schedule.talks:
            table.add_row(
                str(t.week + 1),
                t.start.strftime("%a %Y-%m-%d %H:%M ") + schedule.timezone,
                f"{escape(t.speaker_name)} ({t.speaker})",
                f"{t.host_kind} {escape(t.host_name)}",
                str(t.round),
            )
        console.print(table)
        console.print(f"{schedule.eligible} eligible speakers; {len(schedule.talks)} talks")
        if out is not None:
            console.print(f"[green]✓[/green] wrote {out}")


# -- rendering --------------------------------------------------------------------------------


def _spinner(fmt: Format, text: str) -> Any:
    from contextlib import nullcontext

    if fmt == Format.JSON:
        return nullcontext()
    return err_console.status(text)


def _write_calendars(plan: CadencePlan, out: Path, force: bool, fmt: Format) -> list[Path]:
    from rich.progress import Progress

    from scaleplan.reports.ics import cadence_calendar
    from scaleplan.storage.files import write_atomic

    jobs: list[tuple[Path, str | None]] = [(out / "program.ics", None)]
    jobs += [(out / f"team-{t}.ics", t) for t in plan.team_members]
    written: list[Path] = []
    with Progress(console=err_console, transient=True, disable=fmt == Format.JSON) as progress:
        task = progress.add_task("writing calendars", total=len(jobs))
        for target, team in jobs:
            write_atomic(target, cadence_calendar(plan, team=team), force=force)
            written.append(target)
            progress.advance(task)
    return written


def _finding_table(findings: tuple[Finding, ...] | list[Finding], title: str) -> Table:
    table = Table(
        "code", "unit", "measured", "threshold", "finding", title=title, title_justify="left"
    )
    for f in findings:
        style = "red" if f.severity == "error" else "yellow"
        table.add_row(
            f"[{style}]{f.code}[/{style}]",
            f"{f.unit_kind} {escape(f.unit)}",
            escape(str(f.measured)),
            escape(f.threshold),
            escape(f.message),
        )
    return table


def render_org(report: OrgReport, con: Console, *, limit: int | None = None) -> None:
    teams = Table(
        "team",
        "type",
        "tribe",
        "people",
        "paths",
        "services",
        "new hires",
        "load",
        title=f"Teams as of {report.as_of}"
        + (f" (load in {report.increment})" if report.increment else ""),
        title_justify="left",
    )
    for t in report.teams:
        load = "-" if t.load is None else f"{t.load:.0%}"
        teams.add_row(
            t.id,
            t.type,
            t.tribe or "-",
            str(t.size),
            str(t.communication_paths),
            f"{t.services}/{t.service_limit}",
            str(t.new_hires),
            load,
        )
    con.print(teams)
    shown = report.findings if limit is None else report.findings[:limit]
    if report.findings:
        con.print(_finding_table(shown, "Findings (thresholds and sources: docs/org.md)"))
        if len(shown) < len(report.findings):
            con.print(f"... and {len(report.findings) - len(shown)} more (scaleplan org)")
    if report.congruence is not None:
        c = report.congruence
        con.print(
            f"Congruence {c.ratio:.0%}: {len(c.pairs) - len(c.gaps)} of {len(c.pairs)} team pairs "
            "that must coordinate have a channel"
        )
    errors, warnings = len(report.errors), len(report.warnings)
    mark = "[red]✗[/red]" if errors else ("[yellow]![/yellow]" if warnings else "[green]✓[/green]")
    con.print(
        f"{mark} {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
        f"({report.people} people, {len(report.teams)} team{'s' * (len(report.teams) != 1)})"
    )


def render_congruence(report: CongruenceReport, con: Console, *, limit: int | None = None) -> None:
    con.print(
        f"Congruence {report.ratio:.0%} ({len(report.pairs) - len(report.gaps)} of "
        f"{len(report.pairs)} required team pairs coordinate); {report.cross_team_dependencies} "
        f"cross-team service dependencies, {report.internal_dependencies} inside a team"
        + (
            f", {report.unowned_dependencies} touching unowned services"
            if report.unowned_dependencies
            else ""
        )
    )
    pairs = report.pairs if limit is None else report.pairs[:limit]
    if not pairs:
        return
    table = Table(
        "teams", "because", "channels", title="Required coordination", title_justify="left"
    )
    for p in pairs:
        deps = ", ".join(f"{a} -> {b}" for a, b in p.dependencies[:3])
        if len(p.dependencies) > 3:
            deps += f" (+{len(p.dependencies) - 3})"
        channels = ", ".join(p.channels) if p.channels else "[red]none[/red]"
        table.add_row(f"{p.a} + {p.b}", escape(deps), channels)
    con.print(table)
    if limit is not None and len(pairs) < len(report.pairs):
        con.print(f"... and {len(report.pairs) - len(pairs)} more (scaleplan congruence)")


def render_suggestion(s: BoundarySuggestion, con: Console) -> None:
    con.print(
        f"Suggested boundaries ({s.status}, {s.scope}): cross-team dependencies "
        f"{s.cross_before} -> {s.cross_after} (bound {s.cross_bound}); congruence "
        f"{s.congruence_before:.0%} -> {s.congruence_after:.0%}; {escape(s.explanation)}"
    )
    if s.moves:
        table = Table("service", "from", "to", title="Moves", title_justify="left")
        for m in s.moves:
            table.add_row(m.service, m.from_team or "(unowned)", m.to_team)
        con.print(table)


def render_cadences(plan: CadencePlan, con: Console, *, limit: int | None = None) -> None:
    meetings = plan.meetings if limit is None else plan.meetings[:limit]
    table = Table(
        "meeting",
        "when",
        "min",
        "attendees",
        "h/wk each",
        "outside hours",
        title=f"Meeting plan from {plan.start}",
        title_justify="left",
    )
    for m in meetings:
        when = f"{m.day or m.frequency} {m.time} {m.timezone}"
        if m.frequency not in ("daily", "weekly"):
            when = f"{m.frequency}, {when}" if m.day else when
        people = f"{len(m.attendees)}" + (f" (+{len(m.optional)} optional)" if m.optional else "")
        table.add_row(
            escape(m.name),
            when,
            str(m.duration_minutes),
            people,
            f"{m.weekly_hours:.2f}",
            str(len(m.outside_hours)) if m.outside_hours else "-",
        )
    con.print(table)
    if limit is not None and len(meetings) < len(plan.meetings):
        con.print(
            f"... and {len(plan.meetings) - len(meetings)} more meetings (scaleplan cadences)"
        )
    if plan.load:
        hours = [p.hours for p in plan.load]
        con.print(
            f"Meeting hours per person per week: mean {sum(hours) / len(hours):.1f}, max "
            f"{max(hours):.1f} ({plan.load[0].name}); {len(plan.over_limit)} over {plan.limit:g} h"
        )
    other = [f for f in plan.findings if f.code != "ORG023"]
    if plan.over_limit or other:
        con.print(_finding_table(list(plan.findings)[: limit or None], "Cadence findings"))


def render_mentors(
    result: MentorshipResult, program: Program, con: Console, *, limit: int | None = None
) -> None:
    names = {p.id: p.name for p in program.people}
    pairs = result.pairs if limit is None else result.pairs[:limit]
    table = Table(
        "mentor",
        "mentee",
        "score",
        "why",
        title=f"Mentor pairs as of {result.as_of}",
        title_justify="left",
    )
    for p in pairs:
        table.add_row(
            escape(names.get(p.mentor, p.mentor)),
            escape(names.get(p.mentee, p.mentee)) + (" (new hire)" if p.new_hire else ""),
            str(p.score),
            escape(p.reason),
        )
    con.print(table)
    con.print(
        f"{result.matched} new pair{'s' * (result.matched != 1)} (total score {result.total_score}), "
        f"{len(result.pairs) - len(result.new_pairs)} declared, {len(result.unmatched)} unmatched"
    )
    for u in result.unmatched[: limit or None]:
        con.print(f"  unmatched {escape(names.get(u.mentee, u.mentee))}: {escape(u.reason)}")


def demo(program: Program, path: Path, con: Console) -> None:
    """ShopScale's org diagnostics, congruence, and a sample of cadences and mentor pairs, as
    of the program's calendar start (so the demo prints the same every day)."""
    from scaleplan.analysis.org import diagnose, match_mentors, plan_cadences

    as_of = program.calendar.start
    plan = plan_cadences(program, as_of=as_of)
    report = diagnose(program, as_of=as_of, plan=plan)
    render_org(report, con, limit=12)
    if report.congruence is not None:
        render_congruence(report.congruence, con, limit=6)
    render_cadences(plan, con, limit=8)
    render_mentors(match_mentors(program, as_of=as_of), program, con, limit=6)
