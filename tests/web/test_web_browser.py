"""Every dashboard page in a real browser (Debian's Chromium via Playwright): no console
errors, the key elements present, screenshots kept in test-artifacts/."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import write_program
from reports_factory import document

from scaleplan.reports.sections import PAGES

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

#: A CSS selector that must be visible on each page.
KEY_ELEMENTS = {
    "overview": ["#sec-overview .tile", "#rag-bar svg", "#sec-initiatives table"],
    "okrs": ["#okr-O1 .kr", "#sec-okrs svg"],
    "priorities": ["#sec-priorities"],
    "roadmap": ["#sec-roadmap svg", "#sec-load svg"],
    "board": ["#sec-board"],
    "teams": [
        "#sec-teams table.teams",
        ".orgtree summary",
        "#services-map svg",
        "#sec-cadences table",
    ],
    "forecasts": ["#sec-forecasts"],
    "risks": [".roam .col.open .card"],
}


def clean(problems: list[str]) -> list[str]:
    # A reload while a poll is in flight aborts that request; that is not an error.
    return [p for p in problems if "ERR_ABORTED" not in p]


def test_every_page_loads_without_console_errors(
    program_dir: Path,
    serve,
    page: Any,
    artifacts: Path,  # type: ignore[no-untyped-def]
) -> None:
    server = serve(program_dir)
    for name in PAGES:
        url = server.base + ("/" if name == "overview" else f"/{name}")
        page.goto(url)
        # Background sections show a progress bar and reload the page when done.
        expect(page.locator(".pending")).to_have_count(0, timeout=30000)
        page.wait_for_load_state("load")
        assert page.locator("nav.pages a.current").inner_text() == PAGES[name]
        for selector in KEY_ELEMENTS[name]:
            assert page.locator(selector).first.is_visible(), (name, selector)
        assert page.locator(".error-box").count() == 0, name
        page.screenshot(path=str(artifacts / f"dashboard-{name}.png"), full_page=True)
    assert clean(page.problems) == []


def test_the_changes_page_and_json_link(
    program_dir: Path, serve, page: Any, artifacts: Path
) -> None:  # type: ignore[no-untyped-def]
    server = serve(program_dir)
    page.goto(server.base + "/changes")
    assert page.locator("form input#since").is_visible()
    page.goto(server.base + "/")
    page.click("#json-twin")
    assert page.url.endswith("/api/overview")
    assert '"page":"overview"' in page.content()
    assert clean(page.problems) == []


def test_a_slow_section_shows_progress_then_appears(
    program_dir: Path,
    serve,
    page: Any,
    artifacts: Path,  # type: ignore[no-untyped-def]
) -> None:
    from dataclasses import dataclass

    from scaleplan.reports.sections import SECTIONS, SectionSpec, View
    from scaleplan.web import models

    @dataclass(frozen=True)
    class SlowView(View):
        answer: int

    release = threading.Event()

    def build(ctx: Any) -> SlowView:
        release.wait(20)
        return SlowView(42)

    SECTIONS["slowtest"] = SectionSpec("slowtest", "Slow test", "risks", 999, build, SlowView, True)
    models.page_model.cache_clear()
    try:
        server = serve(program_dir)
        page.goto(server.base + "/risks")
        assert page.locator("#sec-slowtest progress").is_visible()
        page.screenshot(path=str(artifacts / "dashboard-pending.png"))
        release.set()
        page.wait_for_selector("#sec-slowtest.status-ok", timeout=15000)
        assert '"answer": 42' in page.locator("#sec-slowtest pre").inner_text()
    finally:
        release.set()
        SECTIONS.pop("slowtest")
        models.page_model.cache_clear()
    assert clean(page.problems) == []


def test_the_page_reloads_itself_when_the_program_changes(
    program_dir: Path,
    serve,
    page: Any,  # type: ignore[no-untyped-def]
) -> None:
    server = serve(program_dir)
    page.goto(server.base + "/")
    assert "Checkout v2" in page.content()
    doc = document()
    doc["initiatives"][0]["title"] = "Checkout reloaded"
    time.sleep(0.05)
    write_program(program_dir, doc)
    page.wait_for_selector("text=Checkout reloaded", timeout=15000)
    assert clean(page.problems) == []


def test_a_token_opened_once_in_the_browser_is_remembered(
    program_dir: Path, serve, page: Any
) -> None:  # type: ignore[no-untyped-def]
    token = "browser-token-42"
    server = serve(program_dir, token=token)
    page.goto(server.base + f"/okrs?token={token}")
    assert page.url == server.base + "/okrs"  # the token left the address bar
    page.click("text=Risks")
    assert page.locator(".roam").is_visible()
    assert clean(page.problems) == []


def test_the_report_file_renders_offline_without_errors(
    page: Any, tmp_path: Path, artifacts: Path
) -> None:
    from reports_factory import AS_OF, program

    from scaleplan.reports import report_html

    out = tmp_path / "report.html"
    out.write_text(report_html(program(document()), as_of=AS_OF))
    page.route(
        "**/*",
        lambda route: (
            route.abort() if not route.request.url.startswith("file:") else route.continue_()
        ),
    )
    page.goto(out.as_uri())
    assert page.locator("#sec-overview .tile").count() == 7
    page.screenshot(path=str(artifacts / "report.png"), full_page=True)
    assert page.problems == []
