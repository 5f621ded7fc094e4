"""The org analyses on the built-in ShopScale example: invariants that hold whatever the
example's exact content (the example is edited by others)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from icalendar import Calendar

from scaleplan.analysis.org import CODES, diagnose, escalation_paths, match_mentors, plan_cadences
from scaleplan.reports.ics import cadence_calendar_files
from scaleplan.storage.files import write_files

AS_OF = dt.date(2027, 1, 4)


def test_diagnostics_are_registered_and_located(shopscale: Any) -> None:
    report = diagnose(shopscale, as_of=AS_OF)
    assert len(report.teams) == len(shopscale.teams)
    for f in report.findings:
        assert f.code in CODES and f.threshold and f.source and f.unit
    assert report.congruence is not None
    c = report.congruence
    assert 0.0 <= c.ratio <= 1.0
    assert c.ratio == (len(c.pairs) - len(c.gaps)) / len(c.pairs) if c.pairs else c.ratio == 1.0


def test_every_team_has_a_daily_and_a_calendar(shopscale: Any, tmp_path: Path) -> None:
    plan = plan_cadences(shopscale, as_of=AS_OF)
    ids = {m.id for m in plan.meetings}
    assert all(f"daily-{t.id}" in ids for t in shopscale.teams if plan.team_members[t.id])
    written = write_files(tmp_path, cadence_calendar_files(plan))
    assert len(written) == len(shopscale.teams) + 1
    for path in written:
        assert list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def test_escalation_paths_and_mentors_run(shopscale: Any) -> None:
    paths = escalation_paths(shopscale, as_of=AS_OF)
    assert [p.subject for p in paths] == [t.id for t in shopscale.teams]
    result = match_mentors(shopscale, as_of=AS_OF)
    for mentor, (used, capacity) in result.mentor_load.items():
        assert used <= capacity or any(p.declared and p.mentor == mentor for p in result.pairs)


def test_demo_section_runs_on_shopscale(shopscale: Any, shopscale_path: Path) -> None:
    from rich.console import Console

    from scaleplan.cli.org import demo

    con = Console(record=True, width=140)
    demo(shopscale, shopscale_path, con)
    text = con.export_text()
    assert "Meeting plan from 2027-01-04" in text and "Mentor pairs" in text
