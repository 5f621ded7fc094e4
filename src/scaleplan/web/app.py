"""The dashboard: FastAPI, server-rendered pages, each with a JSON twin under ``/api``.

Pages (``/``, ``/okrs``, ``/priorities``, ``/roadmap``, ``/board``, ``/teams``,
``/forecasts``, ``/risks``) show the report's sections; ``/api/<page>`` returns the same view
data as JSON (schema in ``/openapi.json``). Slow sections (plans, forecasts) are computed by a
background job: the page shows a progress bar and polls ``/api/jobs/<id>``; API clients poll
the same way, or pass ``?wait=SECONDS``. ``/changes?since=REF`` shows what changed since a git
ref or a snapshot. ``/api/files`` lists, and ``/api/files/<path>`` serves, the program's own
files and API contracts — nothing else, whatever the path says.

>>> app = create_app("examples/shopscale")  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from scaleplan.reports.render import environment, render_section_html, stylesheet
from scaleplan.reports.sections import PAGES
from scaleplan.web.jobs import Job, JobManager
from scaleplan.web.models import (
    ChangesPage,
    ErrorBody,
    FileList,
    Health,
    JobInfo,
    ProgramInfo,
    page_model,
)
from scaleplan.web.security import GuardMiddleware, error_body
from scaleplan.web.store import ProgramStore, State

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Bad request"},
    401: {"model": ErrorBody, "description": "Token required"},
    404: {"model": ErrorBody, "description": "Not found"},
    422: {"model": ErrorBody, "description": "Invalid parameters"},
}
MAX_WAIT = 60.0


def _json(data: Any, status: int = 200) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return Response(body.encode(), status_code=status, media_type="application/json")


def create_app(
    path: str | Path,
    *,
    token: str | None = None,
    check_host: bool = True,
    as_of: dt.date | None = None,
    check_interval: float = 1.0,
    time_limit: float = 10.0,
    limit: int = 200,
) -> FastAPI:
    """The dashboard app for the program at ``path``.

    ``token`` makes every request need it; ``check_host`` (for loopback binding without a
    token) rejects requests whose Host is not a loopback name.
    """
    from scaleplan import __version__

    store = ProgramStore(
        Path(path),
        as_of=as_of,
        check_interval=check_interval,
        time_limit=time_limit,
        limit=limit,
        jobs=JobManager(),
    )
    app = FastAPI(
        title="scaleplan dashboard",
        version=__version__,
        description="Every page of the dashboard has a JSON twin here. Errors share one shape: "
        '`{"error": {"status", "code", "message"}}`.',
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.add_middleware(GuardMiddleware, token=token, check_host=check_host and token is None)
    app.mount(
        "/static",
        StaticFiles(packages=[("scaleplan.web", "static")]),
        name="static",
    )
    _register_errors(app)
    env = environment()

    # -- helpers -------------------------------------------------------------------------
    def page_data(state: State, page: str, wait: float) -> tuple[dict[str, Any], Job | None]:
        results, job = store.page_sections(state, page)
        if job is not None and wait > 0 and store.wait(job, min(wait, MAX_WAIT)):
            results, job = store.page_sections(state, page)
        return {
            "page": page,
            "title": PAGES[page],
            "program": state.program.program.name,
            "version": state.version,
            "as_of": state.ctx.as_of.isoformat(),
            "complete": job is None,
            "job": job.to_dict() if job is not None else None,
            "sections": {r.id: r.to_dict() for r in results},
        }, job

    def render_page(
        state: State, page: str, title: str, body: list[Markup], job: Job | None = None
    ) -> str:
        return env.get_template("page.html.j2").render(
            page=page,
            title=title,
            name=state.program.program.name,
            version=state.version,
            as_of=state.ctx.as_of,
            pages=list(PAGES.items()),
            errors=state.errors[:10],
            error_count=len(state.errors),
            sections=body,
            job=job,
        )

    def build_html(page: str) -> bytes:
        state = store.current()
        cached = state.cache.get(("html", page))
        if cached is not None:
            return cached
        results, job = store.page_sections(state, page)
        body = [render_section_html(r, job=job.id if job else None) for r in results]
        html = render_page(state, page, PAGES[page], body, job).encode()
        if job is None:
            state.cache[("html", page)] = html
        return html

    def build_json(page: str, wait: float) -> bytes:
        state = store.current()
        cached = state.cache.get(("json", page))
        if cached is not None:
            return cached
        data, job = page_data(state, page, wait)
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        if job is None:
            state.cache[("json", page)] = body
        return body

    # Cache hits are answered on the event loop; anything that may load, build or wait runs
    # in the thread pool so the loop keeps serving other requests.
    async def html_page(page: str) -> Response:
        state = store.fresh()
        cached = state.cache.get(("html", page)) if state is not None else None
        if cached is None:
            cached = await run_in_threadpool(build_html, page)
        return Response(cached, media_type="text/html; charset=utf-8")

    async def api_page(page: str, wait: float) -> Response:
        state = store.fresh()
        cached = state.cache.get(("json", page)) if state is not None else None
        if cached is None:
            cached = await run_in_threadpool(build_json, page, wait)
        return Response(cached, media_type="application/json")

    # -- pages and their JSON twins ------------------------------------------------------
    for page in PAGES:
        _add_page_routes(app, page, html_page, api_page)

    @app.get("/style.css", include_in_schema=False)
    async def style() -> Response:
        return Response(stylesheet(), media_type="text/css; charset=utf-8")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return RedirectResponse("/static/favicon.svg", status_code=301)

    @app.get("/healthz", response_model=Health, tags=["meta"])
    async def healthz() -> Response:
        """Liveness probe (no token needed)."""
        return _json({"ok": True, "version": __version__})

    @app.get("/api/program", responses={200: {"model": ProgramInfo}, **ERRORS}, tags=["meta"])
    def program_info() -> Response:
        """The loaded program: version, files, counts, and errors of the files on disk if the
        last edit broke them (the dashboard keeps showing the last valid version)."""
        return _json(store.summary(store.current()))

    @app.get("/api/jobs/{job_id}", responses={200: {"model": JobInfo}, **ERRORS}, tags=["meta"])
    def job_status(job_id: str) -> Response:
        """Progress of a background job (poll until ``state`` is ``done`` or ``failed``)."""
        job = store.jobs.get(job_id)
        if job is None:
            return _json(error_body(404, "not_found", f"no job '{job_id}'"), 404)
        return _json(job.to_dict())

    @app.get("/api/files", responses={200: {"model": FileList}, **ERRORS}, tags=["files"])
    def list_files() -> Response:
        """The program's files and API contract files, relative to the program directory."""
        return _json({"files": sorted(store.files(store.current()))})

    @app.get(
        "/api/files/{file_path:path}",
        responses={200: {"content": {"text/plain": {}}}, **ERRORS},
        tags=["files"],
    )
    def get_file(file_path: str) -> Response:
        """One program or contract file as text. Only files listed by ``/api/files``."""
        allowed = store.files(store.current())
        full = allowed.get(file_path)
        if full is None:
            return _json(
                error_body(404, "not_found", f"'{file_path}' is not a file of this program"), 404
            )
        try:
            text = full.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            return _json(error_body(404, "not_found", f"cannot read '{file_path}': {exc}"), 404)
        return PlainTextResponse(text, media_type="text/plain; charset=utf-8")

    @app.get("/api/changes", responses={200: {"model": ChangesPage}, **ERRORS}, tags=["pages"])
    def api_changes(
        since: str = Query(..., description="git ref, or a snapshot file inside the program"),
        wait: float = Query(0.0, ge=0.0, le=MAX_WAIT),
    ) -> Response:
        """What changed since a git ref or snapshot (computed in the background)."""
        job = _changes_job(store, since)
        if wait > 0 and job.state not in ("done", "failed"):
            store.wait(job, wait)
        if job.state == "failed":
            return _json(error_body(400, "bad_since", job.error or "failed"), 400)
        done = job.state == "done"
        return _json(
            {
                "since": since,
                "complete": done,
                "job": None if done else job.to_dict(),
                "status": job.result.to_dict() if done else None,
            }
        )

    @app.get("/changes", response_class=HTMLResponse, include_in_schema=False)
    def changes(since: str | None = None) -> Response:
        state = store.current()
        content: list[Markup] = []
        job = None
        if since:
            job = _changes_job(store, since)
            if job.state == "done":
                content.append(
                    Markup(env.get_template("changes.html.j2").render(r=job.result, since=since))
                )
                job = None
            elif job.state == "failed":
                content.append(
                    Markup(
                        env.get_template("changes.html.j2").render(
                            r=None, error=job.error, since=since
                        )
                    )
                )
                job = None
        form = Markup(env.get_template("changes_form.html.j2").render(since=since or "", job=job))
        return HTMLResponse(render_page(state, "changes", "Changes", [form, *content], job))

    return app


def _add_page_routes(app: FastAPI, page: str, html_page: Any, api_page: Any) -> None:
    url = "/" if page == "overview" else f"/{page}"

    async def html() -> Response:
        response: Response = await html_page(page)
        return response

    async def api(
        wait: float = Query(
            0.0, ge=0.0, le=MAX_WAIT, description="seconds to wait for background sections"
        ),
    ) -> Response:
        response: Response = await api_page(page, wait)
        return response

    html.__name__ = f"page_{page}"
    api.__name__ = f"api_{page}"
    api.__doc__ = (
        f"The {PAGES[page]} page as JSON. ``complete`` is false while background sections "
        "are computed; poll ``job`` or pass ``wait``."
    )
    app.get(url, response_class=HTMLResponse, include_in_schema=False)(html)
    app.get(
        f"/api/{page}",
        responses={200: {"model": page_model(page)}, **ERRORS},
        tags=["pages"],
        operation_id=f"get_{page}",
    )(api)


def _changes_job(store: ProgramStore, since: str) -> Job:
    from scaleplan.analysis.status import diff_programs
    from scaleplan.errors import InputError, UsageError
    from scaleplan.storage.snapshots import load_snapshot, program_at_ref

    state = store.current()
    if since.startswith("-") or "\x00" in since or len(since) > 200:
        raise StarletteHTTPException(400, f"'{since}' is not a git ref")
    root = store.root.resolve()
    candidate = (root / since).resolve()
    is_file = since.endswith(".json")
    if is_file and not candidate.is_relative_to(root):
        raise StarletteHTTPException(400, "snapshot files must be inside the program directory")

    def work(progress: Any) -> Any:
        progress(0.1, f"reading {since}")
        try:
            before = load_snapshot(candidate) if is_file else program_at_ref(store.path, since)
        except (InputError, UsageError) as exc:
            raise ValueError(str(exc)) from None
        progress(0.6, "comparing")
        return diff_programs(
            before.program,
            state.program,
            since=before.label,
            as_of=state.ctx.as_of,
            before_as_of=before.taken,
        )

    return store.jobs.submit(f"{state.version}:changes:{since}", f"changes since {since}", work)


def _register_errors(app: FastAPI) -> None:
    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api") or request.url.path == "/openapi.json"

    def respond(request: Request, status: int, code: str, message: str) -> Response:
        if wants_json(request):
            return _json(error_body(status, code, message), status)
        from html import escape

        return HTMLResponse(
            "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>scaleplan</title>"
            f"<link rel='stylesheet' href='/style.css'></head><body><main><h1>{status}</h1>"
            f"<p>{escape(message)}</p><p><a href='/'>Overview</a></p></main></body></html>",
            status_code=status,
        )

    codes = {400: "bad_request", 401: "unauthorized", 404: "not_found", 405: "method_not_allowed"}

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"no page or endpoint at {request.url.path}"
        return respond(request, exc.status_code, codes.get(exc.status_code, "error"), message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for err in exc.errors():
            where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path"))
            parts.append(f"{where}: {err.get('msg')}")
        return respond(request, 422, "invalid_parameters", "; ".join(parts) or "invalid request")

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        return respond(request, 500, "internal_error", f"{type(exc).__name__}: {exc}")


__all__ = ["create_app"]
