"""The program report: self-contained HTML, Markdown and JSON from one set of sections."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
import yaml
from reports_factory import AS_OF, document, program

from scaleplan.cli.main import main
from scaleplan.reports import build_report, render_html, render_markdown, report_html
from scaleplan.reports.sections import (
    SECTIONS,
    ReportContext,
    Unavailable,
    View,
    build_sections,
    load_sections,
    section,
)

MODEL_SECTIONS = (
    "overview",
    "initiatives",
    "okrs",
    "teams",
    "org_chart",
    "services",
    "risks",
    "cadences",
)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def program_dir(tmp_path: Path) -> Path:
    d = tmp_path / "tiny"
    d.mkdir()
    (d / "program.yaml").write_text(yaml.safe_dump(document(), sort_keys=False))
    return d


def test_every_model_section_is_built_without_errors() -> None:
    results = {r.id: r for r in build_report(program(), as_of=AS_OF)}
    for sid in MODEL_SECTIONS:
        assert results[sid].status == "ok", (sid, results[sid].reason)
    assert not [r for r in results.values() if r.status == "error"]


def test_html_is_one_self_contained_file() -> None:
    html = report_html(program(), as_of=AS_OF)
    assert html.startswith("<!doctype html>")
    # Nothing is fetched: no external scripts, styles, images or fonts.
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", html)
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
    assert "<style>" in html and "<svg" in html
    for sid in load_sections():
        assert f'id="sec-{sid}"' in html


def test_html_shows_rag_with_reason_okr_grades_and_the_roam_board() -> None:
    html = report_html(program(), as_of=AS_OF)
    assert "team checkout at 88% of its capacity before 2026-02-02 (14.0 of 16.0 pw)" in html
    assert '<span class="state behind">behind</span>' in html  # KR2, committed at 0.50
    assert "Open (not yet ROAMed)" in html and "PSP contract late" in html
    assert "Casey CTO" in html and "span 3" in html  # org chart from managers


def test_text_from_the_program_is_escaped() -> None:
    doc = document()
    doc["initiatives"][0]["title"] = "<script>alert(1)</script> & more"
    html = report_html(program(doc), as_of=AS_OF)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


def test_markdown_has_one_heading_per_section_and_escapes_table_cells() -> None:
    doc = document()
    doc["initiatives"][1]["title"] = "Extract | catalog"
    results = build_report(program(doc), as_of=AS_OF)
    md = render_markdown(results, name="Tiny Shop", as_of=AS_OF)
    headings = [line[3:] for line in md.splitlines() if line.startswith("## ")]
    assert headings == [r.title for r in results]
    assert "Extract \\| catalog" in md
    assert (
        "| AMBER | checkout-v2 Checkout v2 | feature | checkout | in-progress | 2026-02-02 |" in md
    )


def test_unavailable_analysis_says_why_instead_of_failing() -> None:
    @section("needs_magic", "Magic", page="overview", order=999)
    def needs_magic(ctx: ReportContext) -> MagicView:
        raise Unavailable("needs scaleplan.analysis.magic, not in this version")

    try:
        results = {r.id: r for r in build_report(program(), as_of=AS_OF)}
        assert results["needs_magic"].status == "unavailable"
        html = render_html(list(results.values()), name="x", as_of=AS_OF)
        assert "Not shown: needs scaleplan.analysis.magic, not in this version" in html
    finally:
        SECTIONS.pop("needs_magic")


@dataclasses.dataclass(frozen=True)
class MagicView(View):
    answer: int
    words: tuple[str, ...]


def test_a_new_section_is_wired_in_with_one_function() -> None:
    @section("magic", "Magic numbers", page="overview", order=998)
    def magic(ctx: ReportContext) -> MagicView:
        return MagicView(answer=len(ctx.program.teams), words=("a", "b"))

    try:
        (result,) = build_sections(ReportContext(program(), AS_OF), ["magic"])
        assert result.to_dict()["data"] == {"answer": 3, "words": ["a", "b"]}
        html = render_html([result], name="x", as_of=AS_OF)
        assert "Magic numbers" in html and "&quot;answer&quot;" not in html
        assert '<pre class="small">{\n  "answer": 3,' in html  # the generic template
        assert '"answer": 3' in render_markdown([result], name="x", as_of=AS_OF)
    finally:
        SECTIONS.pop("magic")


def test_a_failing_section_is_reported_and_the_rest_still_render() -> None:
    @section("broken", "Broken", page="overview", order=997)
    def broken(ctx: ReportContext) -> MagicView:
        raise ZeroDivisionError("division by zero")

    try:
        results = {r.id: r for r in build_report(program(), as_of=AS_OF)}
        assert results["broken"].status == "error"
        assert results["broken"].reason == "ZeroDivisionError: division by zero"
        assert results["overview"].status == "ok"
    finally:
        SECTIONS.pop("broken")


def test_report_command_writes_html_atomically_and_refuses_to_clobber(
    program_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    args = ["report", str(program_dir), "--out", str(out), "--as-of", "2026-01-05"]
    code, stdout, _ = run(args, capsys)
    assert code == 0 and stdout.startswith(f"wrote {out}")
    first = out.read_text()
    assert "Tiny Shop" in first
    assert run(args, capsys)[0] == 0  # same content: allowed
    out.write_text("my own notes")
    code, _, err = run(args, capsys)
    assert code == 2 and "exists; pass --force" in err
    assert out.read_text() == "my own notes"
    assert run([*args, "--force"], capsys)[0] == 0 and out.read_text() == first
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_report_command_markdown_and_json(
    program_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, md, _ = run(["report", str(program_dir), "-f", "md", "--as-of", "2026-01-05"], capsys)
    assert code == 0 and md.startswith("# Tiny Shop — program report")
    code, out, _ = run(
        ["report", str(program_dir), "-f", "json", "--as-of", "2026-01-05", "--sections", "risks"],
        capsys,
    )
    data = json.loads(out)
    assert [s["id"] for s in data["sections"]] == ["risks"]
    assert data["sections"][0]["data"]["open_exposure_weeks"] == 2.0


def test_unknown_section_is_a_usage_error(
    program_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["report", str(program_dir), "--sections", "risk"], capsys)
    assert code == 2 and "unknown section risk" in err


def test_invalid_program_gives_diagnostics_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    doc = document()
    doc["work_items"][0]["team"] = "nobody"
    (bad / "program.yaml").write_text(yaml.safe_dump(doc))
    code, out, err = run(["report", str(bad)], capsys)
    assert code == 1 and "E104" in out and "Traceback" not in out + err


def test_shopscale_report_builds_every_model_section(shopscale) -> None:  # type: ignore[no-untyped-def]
    results = {r.id: r for r in build_report(shopscale, time_limit=2.0)}
    for sid in MODEL_SECTIONS:
        assert results[sid].status == "ok", (sid, results[sid].reason)
    assert not [r.id for r in results.values() if r.status == "error"]


def test_cadence_cost_counts_the_attendees_of_teams_and_roles() -> None:
    from scaleplan.reports.views.cadences import cadences

    view = cadences(ReportContext(program(), AS_OF))
    daily, review = view.rows
    # Checkout daily: the 5 people of checkout, 15 minutes, 5 working days = 6.25 h a week.
    assert (daily.people, daily.person_hours_per_week) == (5, 6.2)
    # Program review: 3 managers + the CTO, 60 minutes, 12 times a year = 0.92 h a week.
    assert (review.people, review.person_hours_per_week) == (4, 0.9)
    assert view.total_person_hours_per_week == 7.2


def test_cadence_cost_counts_tribe_leads_and_only_people_active_on_the_report_date() -> None:
    import datetime as dt

    from scaleplan.analysis.org import plan_cadences
    from scaleplan.reports.views.cadences import cadences

    doc = document()
    doc["cadences"].append(
        {
            "id": "commerce-sync",
            "name": "Commerce sync",
            "frequency": "weekly",
            "duration_minutes": 30,
            "attendees": {"tribes": ["commerce"]},
            "day": "tue",
            "time": "10:00",
        }
    )
    for person in doc["people"]:
        if person["id"] in ("b3", "b4"):  # left before the report date
            person["end_date"] = (AS_OF - dt.timedelta(days=30)).isoformat()
    p = program(doc)
    view = cadences(ReportContext(p, AS_OF))
    sync = next(r for r in view.rows if r.id == "commerce-sync")
    # checkout 5 + catalog 5 - b3, b4 (left) + the tribe lead (cto) = 9 people x 0.5 h
    assert (sync.people, sync.person_hours_per_week) == (9, 4.5)
    # the same people and hours as the org cadence plan
    meeting = next(m for m in plan_cadences(p, as_of=AS_OF).meetings if m.id == "commerce-sync")
    assert sync.people == len(meeting.attendees)
    assert sync.person_hours_per_week == round(len(meeting.attendees) * meeting.weekly_hours, 1)
