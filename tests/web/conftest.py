"""Fixtures of the dashboard tests: a program directory, a real uvicorn server on a free
127.0.0.1 port in a thread, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reports"))

from reports_factory import AS_OF, document

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def write_program(directory: Path, doc: dict[str, Any] | None = None) -> None:
    """The tiny program as ``program.yaml`` (program, calendar, settings) + ``plan.yaml``."""
    doc = doc or document()
    directory.mkdir(parents=True, exist_ok=True)
    head = {k: doc[k] for k in ("program", "calendar", "settings")}
    (directory / "program.yaml").write_text(yaml.safe_dump(head, sort_keys=False))
    rest = {k: v for k, v in doc.items() if k not in head}
    (directory / "plan.yaml").write_text(yaml.safe_dump(rest, sort_keys=False))
    (directory / "contracts").mkdir(exist_ok=True)
    (directory / "contracts" / "catalog.json").write_text('{"openapi": "3.0.0"}\n')


@pytest.fixture
def program_dir(tmp_path: Path) -> Path:
    d = tmp_path / "tiny"
    write_program(d)
    return d


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Running:
    def __init__(self, app: Any) -> None:
        import uvicorn

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Running:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def serve() -> Iterator[Callable[..., Running]]:
    """``serve(path, **create_app_options)`` starts the dashboard; stopped after the test."""
    from scaleplan.web import create_app

    started: list[Running] = []

    def start(path: Path, **options: Any) -> Running:
        options.setdefault("as_of", AS_OF)
        options.setdefault("check_interval", 0.0)
        running = Running(create_app(path, **options)).__enter__()
        started.append(running)
        return running

    yield start
    for running in started:
        running.__exit__()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium; skips without one, except under CI=true where it fails."""
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        reason = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}: browser tests must run under CI=true")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A fresh page that records console errors and failed requests in ``page.problems``."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    problems: list[str] = []
    pg.on(
        "console",
        lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} {r.failure}"))
    pg.problems = problems
    yield pg
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
