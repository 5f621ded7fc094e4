"""Delivery forecasts (from the plan, with honest confidence)

Commands ``forecast when|how-many|set|plan``, ``backtest`` and ``history show|import``; the
first line of this docstring is the title of the section in ``scaleplan demo``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
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
from scaleplan.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from scaleplan.analysis.forecasting.plan import PlanForecast
    from scaleplan.analysis.forecasting.results import Coverage, ThroughputForecast
    from scaleplan.analysis.forecasting.throughput import SplitRate
    from scaleplan.model import Program
    from scaleplan.model.history import History

DEMO_ORDER = 40

HistoryArg = Annotated[
    Path,
    typer.Argument(
        help="History file: Jira CSV export, Jira REST JSON (search response, array or JSON "
        "Lines; .gz ok), GitHub issues JSON, plain CSV, TAWOS CSV or one date per line."
    ),
]
InputFormatOpt = Annotated[
    str,
    typer.Option(
        "--input-format",
        help="auto, jira-csv, jira-json, github-json, csv, tawos or dates.",
    ),
]
FieldOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--field",
        help="Map a field: story_points=customfield_10016, sprint=..., epic=..., team=... "
        "(or a CSV column). Repeatable.",
    ),
]
DeadlineOpt = Annotated[
    dt.datetime | None,
    typer.Option(formats=["%Y-%m-%d"], help="Also give the chance of being done by it."),
]
MethodOpt = Annotated[str, typer.Option(help="calibrated or bootstrap.")]
StartOpt = Annotated[
    dt.datetime | None,
    typer.Option(
        formats=["%Y-%m-%d"],
        help="Forecast from this day, using only what was known before it (default: the day "
        "after the last event in the history).",
    ),
]
ProjectOpt = Annotated[
    str | None,
    typer.Option(help="Only this project's items (for files holding several projects)."),
]
TrialsOpt = Annotated[int, typer.Option(help="Monte Carlo trials.", min=100)]
SeedOpt = Annotated[int, typer.Option(help="Random seed: the same seed gives the same output.")]
SplitOpt = Annotated[
    str | None,
    typer.Option(
        help="Delivered items per backlog item (e.g. 1.3), or 'learn' to learn it from the "
        "history's split links; items and counts are then backlog items.",
    ),
]
ChartOpt = Annotated[
    Path | None, typer.Option("--chart", help="Also write a forecast chart (SVG) here.")
]
ForceOpt = Annotated[bool, typer.Option(help="Overwrite a different existing chart file.")]


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


def _fields(values: list[str] | None) -> dict[str, str] | None:
    if not values:
        return None
    out: dict[str, str] = {}
    for value in values:
        if "=" not in value:
            raise UsageError(f"--field takes name=field, got {value!r}")
        key, _, target = value.partition("=")
        out[key.strip()] = target.strip()
    return out


def _load(
    path: Path, input_format: str, fields: list[str] | None, project: str | None = None
) -> History:
    from scaleplan.adapters import load_history
    from scaleplan.errors import InputError

    history = load_history(path, format=input_format, fields=_fields(fields))
    if project is not None:
        if project not in history.projects:
            known = ", ".join(history.projects) or "none"
            raise InputError(f"no project {project!r} in {path} (projects: {known})")
        from dataclasses import replace

        history = replace(history.select(project=project), name=f"{history.name}:{project}")
    if history.report is not None and history.report.skipped:
        skipped = history.report.skipped
        err_console.print(
            f"[yellow]{len(skipped)} row(s) skipped[/yellow] (see 'scaleplan history show'): "
            + escape(skipped[0].format(history.report.source)),
            soft_wrap=True,
        )
    return history


def _split(history: History, value: str | None) -> SplitRate | None:
    """``--split-rate``: a number, or ``learn`` to learn it from the history's split links."""
    from scaleplan.analysis.forecasting import SplitRate as Rate
    from scaleplan.analysis.forecasting import learn_split_rate

    if value is None:
        return None
    if value.strip().lower() == "learn":
        return learn_split_rate(history)
    try:
        rate = float(value)
    except ValueError:
        raise UsageError(f"--split-rate takes a number or 'learn', got {value!r}") from None
    return Rate.given(rate)


def _coverage_line(coverage: Coverage | None) -> str:
    if coverage is None:
        return "Coverage not measured: the history is too short to replay."
    return "Measured on this history: " + coverage.describe() + "."


def _write_chart(path: Path | None, svg: str, force: bool) -> None:
    if path is None:
        return
    from scaleplan.storage.files import write_atomic

    write_atomic(path, svg, force=force)
    err_console.print(f"wrote {path}")


def register(app: typer.Typer) -> None:
    forecast_app = typer.Typer(
        help="Forecast delivery: when N items are done, how many by a date, a specific set, "
        "or a whole plan; each with the coverage it achieved on its own history.",
        no_args_is_help=True,
    )
    history_app = typer.Typer(
        help="Import work-item history and show its flow metrics.", no_args_is_help=True
    )
    app.add_typer(forecast_app, name="forecast")
    app.add_typer(history_app, name="history")

    @forecast_app.command("when")
    def when_command(
        history_path: HistoryArg,
        items: Annotated[int, typer.Option("--items", "-n", help="Items still to do.", min=1)],
        start: StartOpt = None,
        deadline: DeadlineOpt = None,
        method: MethodOpt = "calibrated",
        split_rate: SplitOpt = None,
        trials: TrialsOpt = 10_000,
        seed: SeedOpt = 7,
        project: ProjectOpt = None,
        input_format: InputFormatOpt = "auto",
        field: FieldOpt = None,
        chart: ChartOpt = None,
        force: ForceOpt = False,
        format: FormatOpt = Format.TEXT,
    ) -> None:
        """When will the next N items be done? Dates at 50/70/85/95% confidence.

        Start defaults to the day after the last event in the history.
        """
        from scaleplan.analysis.forecasting import forecast_when

        history = _load(history_path, input_format, field, project)
        result = forecast_when(
            history,
            items,
            start=_day(start),
            trials=trials,
            seed=seed,
            method=method,
            deadline=_day(deadline),
            split=_split(history, split_rate),
        )
        _write_chart(chart, _throughput_chart(history, result), force)
        if format == Format.JSON:
            emit_json(result.to_dict())
            return
        _render_throughput(result, console)

    @forecast_app.command("how-many")
    def how_many_command(
        history_path: HistoryArg,
        by: Annotated[
            dt.datetime | None,
            typer.Option(
                formats=["%Y-%m-%d"], help="Count the items done up to and including this day."
            ),
        ] = None,
        weeks: Annotated[float | None, typer.Option(help="Instead of --by: weeks ahead.")] = None,
        at_least: Annotated[
            int | None, typer.Option(help="Also give the chance of at least this many.")
        ] = None,
        start: StartOpt = None,
        method: MethodOpt = "calibrated",
        split_rate: SplitOpt = None,
        trials: TrialsOpt = 10_000,
        seed: SeedOpt = 7,
        project: ProjectOpt = None,
        input_format: InputFormatOpt = "auto",
        field: FieldOpt = None,
        chart: ChartOpt = None,
        force: ForceOpt = False,
        format: FormatOpt = Format.TEXT,
    ) -> None:
        """How many items will be done by a date? P85 = at least that many with 85% confidence."""
        from scaleplan.analysis.forecasting import forecast_how_many

        history = _load(history_path, input_format, field, project)
        result = forecast_how_many(
            history,
            by=_day(by),
            weeks=weeks,
            start=_day(start),
            trials=trials,
            seed=seed,
            method=method,
            at_least=at_least,
            split=_split(history, split_rate),
        )
        _write_chart(chart, _throughput_chart(history, result), force)
        if format == Format.JSON:
            emit_json(result.to_dict())
            return
        _render_throughput(result, console)

    @forecast_app.command("set")
    def set_command(
        history_path: HistoryArg,
        items: Annotated[
            list[str] | None, typer.Option("--item", help="Item key in the set. Repeatable.")
        ] = None,
        epic: Annotated[str | None, typer.Option(help="Every item of this epic/parent.")] = None,
        fix_version: Annotated[
            str | None, typer.Option(help="Every item with this fix version (release).")
        ] = None,
        start: StartOpt = None,
        deadline: DeadlineOpt = None,
        cohort: Annotated[
            str,
            typer.Option(
                help="Past sets replayed to calibrate: in-progress (items in progress at each "
                "past date) or recent (items created in the 4 weeks before)."
            ),
        ] = "in-progress",
        trials: TrialsOpt = 10_000,
        seed: SeedOpt = 7,
        project: ProjectOpt = None,
        input_format: InputFormatOpt = "auto",
        field: FieldOpt = None,
        format: FormatOpt = Format.TEXT,
    ) -> None:
        """When will this specific set (items, an epic, a release) be done?"""
        from scaleplan.analysis.forecasting.sets import forecast_set

        if cohort not in ("in-progress", "recent"):
            raise UsageError("--cohort is in-progress or recent")
        history = _load(history_path, input_format, field, project)
        keys = list(items or [])
        if epic:
            keys += [i.key for i in history.items if epic in (i.epic, i.parent)]
        if fix_version:
            keys += [
                i.key for i in history.items if any(v.name == fix_version for v in i.fix_versions)
            ]
        if not keys:
            raise UsageError("the set is empty: give --item, --epic or --fix-version")
        result = forecast_set(
            history,
            keys,
            start=_day(start),
            trials=trials,
            seed=seed,
            deadline=_day(deadline),
            cohort=cohort,  # type: ignore[arg-type]
        )
        if format == Format.JSON:
            emit_json(result.to_dict())
            return
        table = Table(
            "confidence",
            "done by",
            "days",
            "± (MC)",
            "throughput only",
            title=(f"{len(result.keys)} items, {result.open_items} open, from {result.start}"),
            title_justify="left",
        )
        for p, b in zip(result.percentiles, result.baseline, strict=True):
            table.add_row(
                f"P{round(p.level * 100)}",
                (str(p.date) if p.date else "beyond") if result.open_items else "done",
                f"{p.value:.0f}",
                f"{p.mc_error:.1f}" if p.mc_error is not None else "-",
                str(b.date) if b.date else "beyond",
            )
        console.print(table)
        if result.probability is not None and result.deadline is not None:
            console.print(f"Chance of being done by {result.deadline}: {result.probability:.0%}")
        console.print(_coverage_line(result.coverage))

    @forecast_app.command("plan")
    def plan_command(
        path: PathArg,
        start: Annotated[
            dt.datetime | None,
            typer.Option(
                formats=["%Y-%m-%d"], help="Forecast from this day (default: the calendar start)."
            ),
        ] = None,
        history_path: Annotated[
            Path | None,
            typer.Option(
                "--history",
                help="Learn estimate errors (cycle time per point) and scope growth (epics) "
                "from this history.",
            ),
        ] = None,
        scope_growth: Annotated[
            float | None, typer.Option(help="Fixed scope growth per initiative (0.15 = +15%).")
        ] = None,
        risks: Annotated[bool, typer.Option(help="Simulate the program's risks.")] = True,
        trials: TrialsOpt = 10_000,
        seed: SeedOpt = 7,
        chart: ChartOpt = None,
        force: ForceOpt = False,
        format: FormatOpt = Format.TEXT,
    ) -> None:
        """Forecast every initiative and milestone from the plan: efforts, dependencies, team
        capacity, scope growth and risks, with the chance of meeting each deadline."""
        from scaleplan.analysis.forecasting.plan import (
            forecast_plan,
            learn_error_factors,
            learn_scope_growth,
        )
        from scaleplan.errors import InputError

        program = load_or_exit(path, format.value)
        errors = growth = None
        if history_path is not None:
            history = _load(history_path, "auto", None)
            try:
                errors = learn_error_factors(history)
            except InputError as exc:
                err_console.print(f"[yellow]{escape(str(exc))}; using the default[/yellow]")
            if scope_growth is None:
                try:
                    growth = learn_scope_growth(history)
                except InputError as exc:
                    err_console.print(f"[yellow]{escape(str(exc))}[/yellow]")
        result = forecast_plan(
            program,
            start=_day(start),
            trials=trials,
            seed=seed,
            error_factors=errors,
            scope_growth=scope_growth if scope_growth is not None else growth,
            risks=risks,
        )
        _write_chart(chart, _plan_chart(result), force)
        if format == Format.JSON:
            emit_json(result.to_dict())
            return
        _render_plan(result, console)

    @app.command("backtest")
    def backtest_command(
        history_path: Annotated[
            Path, typer.Argument(help="A history file, or a directory of history files.")
        ],
        questions: Annotated[
            str, typer.Option(help="Comma-separated: when, how-many.")
        ] = "when,how-many",
        horizons: Annotated[str, typer.Option(help="Horizons in weeks, comma-separated.")] = (
            "4,13,26"
        ),
        methods: Annotated[
            str,
            typer.Option(help="Comma-separated: bootstrap, drift, conformal, calibrated."),
        ] = "bootstrap,calibrated",
        prior: Annotated[
            str,
            typer.Option(
                help="auto, builtin (shipped TAWOS prior), pooled (the other histories, "
                "leave-one-out, no look-ahead) or none."
            ),
        ] = "auto",
        sets: Annotated[
            str | None,
            typer.Option(help="Also replay specific-set forecasts: in-progress or recent."),
        ] = None,
        trials: Annotated[int, typer.Option(help="Trials per replayed forecast.", min=100)] = 300,
        seed: SeedOpt = 7,
        input_format: InputFormatOpt = "auto",
        format: FormatOpt = Format.TEXT,
    ) -> None:
        """Replay the history at every past week and measure how often P50/P85/P95 held,
        per question and horizon, for the plain bootstrap and the calibrated forecasts."""
        from scaleplan.adapters import load_histories
        from scaleplan.analysis.forecasting.backtest import backtest

        histories = load_histories(history_path, format=input_format)
        q_list = [q.strip() for q in questions.split(",") if q.strip()]
        for q in q_list:
            if q not in ("when", "how-many"):
                raise UsageError(f"unknown question {q!r}; expected when or how-many")
        try:
            h_list = [int(h) for h in horizons.split(",") if h.strip()]
        except ValueError:
            raise UsageError(f"horizons are whole weeks, got {horizons!r}") from None
        if not h_list or min(h_list) < 1:
            raise UsageError("horizons are whole weeks of at least 1")
        if prior not in ("auto", "builtin", "pooled", "none"):
            raise UsageError("--prior is auto, builtin, pooled or none")
        m_list = [m.strip() for m in methods.split(",") if m.strip()]
        with _progress(format, "replaying") as progress:
            result = backtest(
                histories,
                questions=q_list,  # type: ignore[arg-type]
                horizons=h_list,
                methods=m_list,
                prior=prior,  # type: ignore[arg-type]
                trials=trials,
                seed=seed,
                progress=progress,
            )
        set_result = None
        if sets:
            set_result = _set_backtest(histories, sets, trials, seed, format)
        if format == Format.JSON:
            data = result.to_dict()
            if set_result is not None:
                data["sets"] = set_result
            emit_json(data)
            return
        _render_backtest(result, console)
        if set_result is not None:
            _render_set_backtest(set_result, console)

    @history_app.command("show")
    def history_show(
        history_path: HistoryArg,
        as_of: Annotated[
            dt.datetime | None,
            typer.Option(
                formats=["%Y-%m-%d"],
                help="Flow metrics as known on this day (default: the last day with an event).",
            ),
        ] = None,
        weeks: Annotated[int, typer.Option(help="Weeks of throughput to show.", min=1)] = 12,
        project: ProjectOpt = None,
        input_format: InputFormatOpt = "auto",
        field: FieldOpt = None,
        format: FormatOpt = Format.TEXT,
    ) -> None:
        """Import a history and show what was read (skipped rows with their line) and its flow
        metrics: throughput, cycle time, lead time, WIP and item age."""
        from scaleplan.analysis.forecasting import flow_metrics

        history = _load(history_path, input_format, field, project)
        metrics = flow_metrics(history, as_of=_day(as_of), weeks=weeks)
        if format == Format.JSON:
            emit_json(
                {
                    "report": history.report.to_dict() if history.report else None,
                    "metrics": metrics.to_dict(),
                }
            )
            return
        _render_history(history, metrics, console)

    @history_app.command("import")
    def history_import(
        out: Annotated[
            Path, typer.Argument(help="Where to write the issues (JSON Lines; .gz ok).")
        ],
        jira: Annotated[str | None, typer.Option(help="Jira site URL.")] = None,
        jql: Annotated[str | None, typer.Option(help="JQL of the issues to fetch.")] = None,
        email: Annotated[
            str | None, typer.Option(help="Jira Cloud account e-mail (basic auth with the token).")
        ] = None,
        github: Annotated[str | None, typer.Option(help="GitHub repository owner/name.")] = None,
        api_url: Annotated[
            str | None, typer.Option(help="GitHub API URL (GitHub Enterprise).")
        ] = None,
        token_env: Annotated[
            str | None,
            typer.Option(
                help="Environment variable holding the token (JIRA_API_TOKEN, GITHUB_TOKEN)."
            ),
        ] = None,
        max_items: Annotated[int | None, typer.Option(help="Stop after this many.")] = None,
        force: ForceOpt = False,
        format: FormatOpt = Format.TEXT,
    ) -> None:
        """Fetch issues live from Jira (with status history) or GitHub into a file that every
        other command reads."""
        import gzip
        import json

        from scaleplan.adapters import fetch_github_raw, fetch_jira_raw
        from scaleplan.adapters.github import DEFAULT_API
        from scaleplan.storage.files import write_atomic

        if (jira is None) == (github is None):
            raise UsageError("give either --jira URL --jql QUERY or --github owner/name")
        records: list[Any]
        if jira is not None:
            if not jql:
                raise UsageError("--jira needs --jql")
            records, _names = fetch_jira_raw(
                jira, jql, email=email, token_env=token_env or "JIRA_API_TOKEN", max_items=max_items
            )
        else:
            assert github is not None
            records = fetch_github_raw(
                github,
                token_env=token_env or "GITHUB_TOKEN",
                api_url=api_url or DEFAULT_API,
                max_items=max_items,
            )
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        data: bytes = text.encode("utf-8")
        if out.suffix == ".gz":
            data = gzip.compress(data, mtime=0)
        write_atomic(out, data, force=force)
        if format == Format.JSON:
            emit_json({"out": str(out), "records": len(records)})
            return
        console.print(f"wrote {len(records)} issues to {out}")


@contextmanager
def _progress(fmt: Format, label: str) -> Iterator[Any]:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=fmt == Format.JSON,
    ) as bar:
        task = bar.add_task(label, total=None)

        def report(done: int, total: int, what: str) -> None:
            bar.update(task, completed=done, total=total, description=f"{label} {what}")

        yield report


def _set_backtest(
    histories: list[History], kind: str, trials: int, seed: int, fmt: Format
) -> dict[str, Any]:
    import numpy as np

    from scaleplan.analysis.forecasting.sets import backtest_sets

    if kind not in ("in-progress", "recent"):
        raise UsageError("--sets is in-progress or recent")
    with _progress(fmt, "replaying sets") as progress:
        result = backtest_sets(
            histories,
            kind,  # type: ignore[arg-type]
            trials=trials,
            rng=np.random.default_rng(seed),
            progress=progress,
        )
    return result


def _render_set_backtest(result: dict[str, Any], con: Console) -> None:
    table = Table(
        "method",
        "sets",
        "P50 held",
        "P85 held",
        "P95 held",
        "median actual/P50",
        title=f"Specific sets ({result['cohort']} cohorts, {result['histories']} histories)",
        title_justify="left",
    )
    for row in result["methods"]:
        cov = row["coverage"]
        table.add_row(
            row["method"],
            str(row["forecasts"]),
            f"{cov['p50']:.0%}",
            f"{cov['p85']:.0%}",
            f"{cov['p95']:.0%}",
            f"{row['median_actual_over_p50']:.2f}",
        )
    con.print(table)


def _render_throughput(result: ThroughputForecast, con: Console) -> None:
    when = result.question == "when"
    title = (
        f"When will {result.items} more items be done? (from {result.start})"
        if when
        else f"How many items from {result.start} to {result.by}?"
    )
    columns = ["confidence", "done by", "days"] if when else ["confidence", "at least"]
    table = Table(*columns, "± (MC)", "plain bootstrap", title=title, title_justify="left")
    for p, b in zip(result.percentiles, result.baseline, strict=True):
        cells = [f"P{round(p.level * 100)}"]
        cells += [str(p.date or "beyond"), f"{p.value:.0f}"] if when else [f"{p.value:.0f}"]
        cells.append(f"{p.mc_error:.1f}" if p.mc_error is not None else "-")
        cells.append(str(b.date or "beyond") if when else f"{b.value:.0f}")
        table.add_row(*cells)
    con.print(table)
    con.print(
        f"Throughput: {result.mean_per_week:.1f} items/week over the last "
        f"{result.window_weeks} weeks; {result.trials} trials, seed {result.seed}; "
        f"method {result.method}."
    )
    if result.split_source != "none":
        simulated = (
            f"{result.items} backlog items -> {result.delivered_items} delivered items"
            if when
            else "counts are delivered items / the rate, rounded down"
        )
        con.print(f"Split rate {result.split_rate:.2f} ({result.split_source}): {simulated}.")
    if result.probability is not None:
        con.print(f"Chance of meeting {result.target}: {result.probability:.0%}")
    con.print(_coverage_line(result.coverage))


def _throughput_chart(history: History, result: ThroughputForecast) -> str:
    from scaleplan.analysis.forecasting import flow_metrics
    from scaleplan.reports.forecast_chart import ConePoint, burnup_svg

    metrics = flow_metrics(history, as_of=result.start - dt.timedelta(days=1), weeks=26)
    total = result.done_before - sum(w.done for w in metrics.weeks)
    points = []
    for week in metrics.weeks:
        total += week.done
        points.append((week.start + dt.timedelta(days=6), total))
    # the burn-up counts delivered items: convert backlog items with the split rate
    cone = []
    delivered = result.delivered_items or result.items
    for p in result.percentiles:
        label = f"P{round(p.level * 100)}"
        if result.question == "when":
            assert delivered is not None
            cone.append(ConePoint(label, p.date, result.done_before + delivered))
        else:
            cone.append(
                ConePoint(label, result.by, result.done_before + p.value * result.split_rate)
            )
    if result.question == "when":
        title = f"{history.name}: next {result.items} items"
        if result.delivered_items is not None and result.delivered_items != result.items:
            title += f" ({result.delivered_items} delivered)"
    else:
        title = f"{history.name}: items by {result.by}"
    return burnup_svg(points, cone, start=result.start, done_before=result.done_before, title=title)


def _render_plan(result: PlanForecast, con: Console) -> None:
    def day(value: dt.date | None) -> str:
        return str(value) if value else "beyond"

    table = Table(
        "initiative",
        "items",
        "P50",
        "P85",
        "P95",
        "deadline",
        "P(on time)",
        title=f"{result.program}: forecast from {result.start} ({result.trials} trials, "
        f"seed {result.seed})",
        title_justify="left",
    )
    for row in result.initiatives:
        if row.done:
            table.add_row(escape(row.id), "0", "done", "", "", str(row.deadline or "-"), "")
            continue
        probability = (
            f"{row.probability:.0%} ±{row.probability_error:.1%}"
            if row.probability is not None and row.probability_error is not None
            else "-"
        )
        style = "red" if row.probability is not None and row.probability < 0.5 else ""
        table.add_row(
            escape(row.id),
            str(row.items),
            day(row.percentiles.get("p50")),
            day(row.percentiles.get("p85")),
            day(row.percentiles.get("p95")),
            str(row.deadline or "-"),
            f"[{style}]{probability}[/{style}]" if style else probability,
        )
    con.print(table)
    if result.milestones:
        ms = Table(
            "milestone",
            "P50",
            "P85",
            "P95",
            "deadline",
            "P(on time)",
            title="Milestones",
            title_justify="left",
        )
        for row in result.milestones:
            ms.add_row(
                escape(row.id),
                day(row.percentiles.get("p50")),
                day(row.percentiles.get("p85")),
                day(row.percentiles.get("p95")),
                str(row.deadline),
                f"{row.probability:.0%}" if row.probability is not None else "-",
            )
        con.print(ms)
    con.print(
        f"Efforts: ranges as given, else {result.error_model}; scope growth: "
        f"{result.scope_growth}; {result.risks} risk(s) simulated. A plan forecast is only as "
        "calibrated as its estimates: backtest the team's history with 'scaleplan backtest'."
    )
    for warning in result.warnings:
        con.print(f"[yellow]{escape(warning)}[/yellow]")


def _plan_chart(result: PlanForecast) -> str:
    from scaleplan.reports.forecast_chart import RangeRow, plan_svg

    rows = [
        RangeRow(
            r.id,
            r.percentiles.get("p50"),
            r.percentiles.get("p85"),
            r.percentiles.get("p95"),
            r.deadline,
        )
        for r in result.initiatives
        if not r.done
    ]
    return plan_svg(rows, start=result.start, title=f"{result.program}: initiative forecast")


def _render_backtest(result: Any, con: Console) -> None:
    table = Table(
        "question",
        "horizon",
        "method",
        "forecasts",
        "P50 held",
        "P85 held",
        "P95 held",
        "actual/P50",
        "P85/P50",
        "P95/P50",
        title=f"Backtest of {len(result.histories)} histories (prior: {result.prior})",
        title_justify="left",
    )
    for cell in result.cells:
        for m in cell.methods:
            table.add_row(
                cell.question,
                f"{cell.horizon_weeks}w",
                m.method,
                str(m.forecasts),
                f"{m.coverage['p50']:.0%}",
                f"{m.coverage['p85']:.0%}",
                f"{m.coverage['p95']:.0%}",
                f"{m.median_actual_over_p50:.2f}",
                f"{m.median_p85_over_p50:.2f}",
                f"{m.median_p95_over_p50:.2f}",
            )
    con.print(table)
    if result.excluded:
        con.print(
            f"Excluded (too short to replay): {escape(', '.join(result.excluded))}", soft_wrap=True
        )


def _render_history(history: History, metrics: Any, con: Console) -> None:
    report = history.report
    if report is not None:
        con.print(
            f"[bold]{escape(report.source)}[/bold] ({report.format}): {report.records} records, "
            f"{report.items} items, {len(report.skipped)} skipped, {len(report.notes)} notes"
        )
        for line in report.lines()[:20]:
            con.print(escape(line), soft_wrap=True)
        if len(report.problems) > 20:
            con.print(f"... and {len(report.problems) - 20} more (use --format json)")
    table = Table(
        "metric",
        "count",
        "mean",
        "P50",
        "P85",
        "P95",
        title=f"Flow as of {metrics.as_of}",
        title_justify="left",
    )
    for name, dist in (
        ("throughput / week", metrics.throughput),
        ("cycle time (days)", metrics.cycle_time),
        ("lead time (days)", metrics.lead_time),
    ):
        p = dist.percentiles
        table.add_row(
            name,
            str(dist.count),
            f"{dist.mean:.1f}" if dist.mean is not None else "-",
            f"{p['p50']:.1f}" if p else "-",
            f"{p['p85']:.1f}" if p else "-",
            f"{p['p95']:.1f}" if p else "-",
        )
    con.print(table)
    con.print(
        f"{metrics.items} items, {metrics.done} done, {metrics.open} open; WIP "
        f"{metrics.wip if metrics.wip is not None else 'unknown (no start dates)'}"
    )
    late = [a for a in metrics.aging if a.late]
    if metrics.aging:
        con.print(
            "Oldest in progress: "
            + ", ".join(f"{escape(a.key)} {a.age_days:.0f}d" for a in metrics.aging[:5])
            + f"; {len(late)} older than the P85 cycle time"
        )
    weeks = Table("week", "done", "WIP", title="Recent weeks", title_justify="left")
    for w in metrics.weeks:
        weeks.add_row(str(w.start), str(w.done), "-" if w.wip is None else str(w.wip))
    con.print(weeks)


def demo(program: Program, path: Path, con: Console) -> None:
    """Forecast ShopScale's initiatives from its plan (2,000 trials to stay quick)."""
    from scaleplan.analysis.forecasting.plan import forecast_plan

    result = forecast_plan(program, trials=2_000, seed=7)
    _render_plan(result, con)
