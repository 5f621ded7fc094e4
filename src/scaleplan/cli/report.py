"""Report: the program report (HTML, Markdown), weekly status, the dashboard and chat digests."""

from __future__ import annotations

import datetime as dt
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from scaleplan.cli.common import PathArg, console, emit_json, err_console, load_or_exit
from scaleplan.errors import UsageError
from scaleplan.model import Program

DEMO_ORDER = 90
#: Where ``scaleplan demo`` writes the example's report.
DEMO_REPORT = Path("out") / "shopscale-report.html"
WEBHOOK_ENV = "SCALEPLAN_WEBHOOK_URL"


class ReportFormat(StrEnum):
    HTML = "html"
    MD = "md"
    JSON = "json"


class StatusFormat(StrEnum):
    TEXT = "text"
    MD = "md"
    SLACK = "slack"
    JSON = "json"


class ServeFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class Flavor(StrEnum):
    SLACK = "slack"
    TEAMS = "teams"


AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Date the report is as of, YYYY-MM-DD (default: today)."),
]


def parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of must be a date like 2026-03-02, got '{value}'") from None


def _progress_build(program: Program, path: Path, fmt: str, **options: Any) -> list[Any]:
    """Build every section, with a progress bar on stderr in text mode."""
    from scaleplan.reports import build_report

    if fmt == "json" or not sys.stderr.isatty():
        return build_report(program, path=path, **options)
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task("building sections", total=None)

        def progress(done: int, total: int, title: str) -> None:
            bar.update(task, completed=done, total=total, description=f"report: {title}")

        return build_report(program, path=path, progress=progress, **options)


def _load(path: Path, fmt: str) -> tuple[Program, tuple[Any, ...]]:
    """The program and its load warnings (shown in the report's overview); on errors print
    them and exit 1."""
    from scaleplan.cli.common import report_check
    from scaleplan.loading import check_program

    result = check_program(path)
    if result.program is None:
        report_check(result, fmt)
        raise typer.Exit(1)
    return result.program, result.warnings


def register(app: typer.Typer) -> None:
    @app.command()
    def report(
        path: PathArg,
        out: Annotated[
            Path | None,
            typer.Option("--out", "-o", help="Write to this file (default: standard output)."),
        ] = None,
        format: Annotated[
            ReportFormat,
            typer.Option("--format", "-f", help="html (self-contained), md, or json."),
        ] = ReportFormat.HTML,
        as_of: AsOfOpt = None,
        sections: Annotated[
            str | None,
            typer.Option(help="Comma-separated section ids to include (default: all)."),
        ] = None,
        time_limit: Annotated[
            float, typer.Option(help="Seconds each solver (cut line, plan) may use.")
        ] = 2.0,
        seed: Annotated[int, typer.Option(help="Seed of every randomised analysis.")] = 7,
        force: Annotated[bool, typer.Option(help="Overwrite a different existing file.")] = False,
    ) -> None:
        """Write the program report: overview and RAG, OKRs, priorities and cut line, roadmap,
        program board, team load, forecasts, org, risks (ROAM) and cadences.

        HTML is one self-contained file (works offline); md suits GitHub and Confluence.
        Sections whose analysis is not available say so instead of failing.
        """
        from scaleplan.reports import load_sections, render_html, render_markdown
        from scaleplan.storage.files import write_atomic

        program, warnings = _load(path, "json" if format is ReportFormat.JSON else "text")
        when = parse_date(as_of) or dt.date.today()
        wanted = None
        if sections:
            wanted = [s.strip() for s in sections.split(",") if s.strip()]
            known = load_sections()
            unknown = [s for s in wanted if s not in known]
            if unknown:
                raise UsageError(
                    f"unknown section {', '.join(unknown)}; sections are: {', '.join(known)}"
                )
        results = _progress_build(
            program,
            path,
            format.value,
            as_of=when,
            warnings=warnings,
            sections=wanted,
            time_limit=time_limit,
            seed=seed,
        )
        name, description = program.program.name, program.program.description
        if format is ReportFormat.JSON:
            data = {
                "program": program.program.name,
                "as_of": when.isoformat(),
                "sections": [r.to_dict() for r in results],
            }
            if out is None:
                emit_json(data)
                return
            import json

            write_atomic(out, json.dumps(data, indent=2, ensure_ascii=False) + "\n", force=force)
        else:
            text = (
                render_html(results, name=name, as_of=when, description=description)
                if format is ReportFormat.HTML
                else render_markdown(results, name=name, as_of=when, description=description)
            )
            if out is None:
                sys.stdout.write(text)
                return
            write_atomic(out, text, force=force)
        missing = [r for r in results if r.status != "ok"]
        for r in missing:
            err_console.print(f"[yellow]{r.title}[/yellow]: {r.reason}", soft_wrap=True)
        size = out.stat().st_size
        console.print(
            f"wrote {out} ({size / 1024:,.0f} KB, {len(results) - len(missing)} of "
            f"{len(results)} sections)"
        )

    @app.command()
    def status(
        path: PathArg,
        since: Annotated[
            str | None,
            typer.Option(
                "--since",
                "-s",
                help="Git ref (HEAD~1, v1.2, main@{1.week.ago}) of the repo holding PATH, "
                "or a snapshot file; without it: today's RAG only.",
            ),
        ] = None,
        format: Annotated[
            StatusFormat,
            typer.Option("--format", "-f", help="text, md, slack (mrkdwn) or json."),
        ] = StatusFormat.TEXT,
        limit: Annotated[int, typer.Option(help="Entries per list before 'and N more'.")] = 5,
        as_of: AsOfOpt = None,
        save: Annotated[
            Path | None,
            typer.Option(help="Also save today's program as a snapshot file for a later --since."),
        ] = None,
        force: Annotated[bool, typer.Option(help="Overwrite a different snapshot file.")] = False,
    ) -> None:
        """What changed since a git ref or snapshot: items done / added / removed, projected
        dates that slipped or improved and why, KR progress, risks, capacity, RAG. Short
        enough to paste into a channel."""
        from scaleplan.analysis.status import diff_programs, initiative_rag
        from scaleplan.reports.digest import Style, rag_digest, status_digest
        from scaleplan.storage.snapshots import baseline, save_snapshot

        if limit < 1:
            raise UsageError("--limit must be at least 1")
        program = load_or_exit(path, "json" if format is StatusFormat.JSON else "text")
        when = parse_date(as_of) or dt.date.today()
        styles: dict[StatusFormat, Style] = {
            StatusFormat.TEXT: "text",
            StatusFormat.MD: "md",
            StatusFormat.SLACK: "slack",
            StatusFormat.JSON: "text",
        }
        style = styles[format]
        if save is not None:
            save_snapshot(program, save, taken=when, force=force)
            err_console.print(f"saved snapshot {save}")
        if since is None:
            rag = initiative_rag(program, as_of=when)
            if format is StatusFormat.JSON:
                emit_json({"program": program.program.name, "since": None, "rag": rag.to_dict()})
                return
            typer.echo(rag_digest(rag, program.program.name, style=style, limit=limit), nl=False)
            return
        before = baseline(path, since)
        report = diff_programs(
            before.program, program, since=before.label, as_of=when, before_as_of=before.taken
        )
        if format is StatusFormat.JSON:
            emit_json(report.to_dict())
            return
        typer.echo(status_digest(report, style=style, limit=limit), nl=False)

    @app.command()
    def serve(
        path: PathArg,
        host: Annotated[
            str, typer.Option(help="Address to bind; beyond loopback a token is required.")
        ] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
        token: Annotated[
            str | None,
            typer.Option(
                help="Require this token (Bearer header, or ?token= once in a browser). "
                "Default: $SCALEPLAN_TOKEN."
            ),
        ] = None,
        as_of: AsOfOpt = None,
        time_limit: Annotated[
            float, typer.Option(help="Seconds each solver may use for background sections.")
        ] = 2.0,
        format: Annotated[
            ServeFormat, typer.Option("--format", "-f", help="text, or json (one line at start).")
        ] = ServeFormat.TEXT,
    ) -> None:
        """Serve the dashboard: overview, OKRs, priorities, roadmap, program board, teams and
        org, forecasts, risks, changes; each page has a JSON twin under /api. Reloads when the
        program files change. Binds 127.0.0.1 unless given a token."""
        import uvicorn

        from scaleplan.web import create_app
        from scaleplan.web.security import TOKEN_ENV, check_bind, is_loopback

        token = token or os.environ.get(TOKEN_ENV) or None
        check_bind(host, token)
        app = create_app(
            path,
            token=token,
            check_host=is_loopback(host),
            as_of=parse_date(as_of),
            time_limit=time_limit,
        )
        shown = f"[{host}]" if ":" in host else host
        url = f"http://{shown}:{port}/"
        if format is ServeFormat.JSON:
            emit_json({"url": url, "host": host, "port": port, "token_required": bool(token)})
        else:
            hint = " (open it once with ?token=YOUR_TOKEN)" if token else ""
            err_console.print(f"serving {path} at {url}{hint}; Ctrl+C to stop")
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)

    @app.command()
    def notify(
        path: PathArg,
        webhook: Annotated[
            str | None,
            typer.Option(help=f"Incoming-webhook URL (default: ${WEBHOOK_ENV})."),
        ] = None,
        since: Annotated[
            str | None,
            typer.Option("--since", "-s", help="Git ref or snapshot file to report changes since."),
        ] = None,
        flavor: Annotated[
            Flavor, typer.Option(help="slack (mrkdwn) or teams (MessageCard).")
        ] = Flavor.SLACK,
        retries: Annotated[int, typer.Option(help="Retries on timeouts, 429 and 5xx.", min=0)] = 3,
        backoff: Annotated[
            float, typer.Option(help="First wait between attempts in seconds (doubles).", min=0)
        ] = 1.0,
        timeout: Annotated[float, typer.Option(help="Seconds per attempt.", min=0.1)] = 10.0,
        limit: Annotated[int, typer.Option(help="Entries per list before 'and N more'.")] = 5,
        as_of: AsOfOpt = None,
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Print the message instead of posting it.")
        ] = False,
        format: Annotated[
            ServeFormat, typer.Option("--format", "-f", help="text or json.")
        ] = ServeFormat.TEXT,
    ) -> None:
        """Post the status digest to a Slack- or Teams-compatible incoming webhook, with
        retries and backoff; a bad URL or a refused message is a clear error (exit 2 / 4)."""
        from scaleplan.analysis.status import diff_programs, initiative_rag
        from scaleplan.outbound.notify import check_url, post_webhook, slack_payload, teams_payload
        from scaleplan.reports.digest import Style, rag_digest, status_digest
        from scaleplan.storage.snapshots import baseline

        url = webhook or os.environ.get(WEBHOOK_ENV)
        if not url and not dry_run:
            raise UsageError(f"give --webhook URL or set {WEBHOOK_ENV}")
        if url:
            check_url(url)
        program = load_or_exit(path, format.value)
        when = parse_date(as_of) or dt.date.today()
        style: Style = "slack" if flavor is Flavor.SLACK else "md"
        if since is None:
            text = rag_digest(
                initiative_rag(program, as_of=when), program.program.name, style=style, limit=limit
            )
        else:
            before = baseline(path, since)
            report = diff_programs(
                before.program, program, since=before.label, as_of=when, before_as_of=before.taken
            )
            text = status_digest(report, style=style, limit=limit)
        title = f"{program.program.name} status {when.isoformat()}"
        payload = slack_payload(text) if flavor is Flavor.SLACK else teams_payload(title, text)
        if dry_run:
            if format is ServeFormat.JSON:
                emit_json({"posted": False, "payload": payload})
            else:
                typer.echo(text, nl=False)
            return
        assert url is not None
        delivery = post_webhook(url, payload, retries=retries, backoff=backoff, timeout=timeout)
        if format is ServeFormat.JSON:
            emit_json({"posted": True, **delivery.to_dict()})
        else:
            console.print(
                f"posted to {delivery.url} (HTTP {delivery.status}, "
                f"{delivery.attempts} attempt{'s' * (delivery.attempts != 1)})"
            )


def demo(program: Program, path: Path, con: Any) -> None:
    """Write the example's report to ``out/shopscale-report.html`` and print the path."""
    from scaleplan.loading import check_program
    from scaleplan.reports import build_report, render_html
    from scaleplan.storage.files import write_atomic

    warnings = check_program(path).warnings
    results = build_report(program, path=path, warnings=warnings, time_limit=2.0)
    html = render_html(
        results,
        name=program.program.name,
        as_of=dt.date.today(),
        description=program.program.description,
    )
    # The demo's own output file: always refreshed.
    write_atomic(DEMO_REPORT, html, force=True)
    shown = sum(1 for r in results if r.status == "ok")
    con.print(f"report with {shown} of {len(results)} sections: {DEMO_REPORT.resolve()}")
