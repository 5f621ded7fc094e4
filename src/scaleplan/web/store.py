"""The program behind the dashboard: loaded once, reloaded when its files change, with the
sections built for it cached per version.

Every request asks :meth:`ProgramStore.current`; at most once per ``check_interval`` seconds
that compares the files' names, sizes and modification times with the last load and reloads
on any change. An edit that breaks the program keeps the last valid version on screen, with
the errors in a banner, until the files are valid again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaleplan.errors import UsageError
from scaleplan.loading import Diagnostic, check_program
from scaleplan.loading.sources import discover
from scaleplan.model import Program
from scaleplan.reports.sections import (
    PAGES,
    ReportContext,
    SectionResult,
    build_section,
    sections_of_page,
)
from scaleplan.web.jobs import Job, JobManager, Progress


@dataclass
class State:
    """One loaded version of the program and everything computed from it."""

    version: str
    program: Program
    warnings: tuple[Diagnostic, ...]
    files: tuple[str, ...]
    loaded_at: float
    ctx: ReportContext
    #: Errors of the files on disk when they are invalid (the program shown is older).
    errors: tuple[Diagnostic, ...] = ()
    results: dict[str, SectionResult] = field(default_factory=dict)
    #: Rendered responses: ``(kind, page) -> bytes``.
    cache: dict[tuple[str, str], bytes] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    base, files = discover(root)
    out = []
    for path in files:
        try:
            st = path.stat()
        except OSError:
            continue
        out.append((path.relative_to(base).as_posix(), st.st_mtime_ns, st.st_size))
    return tuple(out)


class ProgramStore:
    """Loads the program at ``path`` and keeps it fresh; builds and caches sections."""

    def __init__(
        self,
        path: Path,
        *,
        as_of: dt.date | None = None,
        check_interval: float = 1.0,
        time_limit: float = 10.0,
        limit: int = 200,
        jobs: JobManager | None = None,
    ) -> None:
        self.path = Path(path).resolve()
        if not self.path.exists():
            raise UsageError(f"no such file or directory: {path}")
        self.root = self.path if self.path.is_dir() else self.path.parent
        self.fixed_as_of = as_of
        self.check_interval = check_interval
        self.time_limit = time_limit
        self.limit = limit
        self.jobs = jobs or JobManager()
        self._lock = threading.Lock()
        self._state: State | None = None
        self._fingerprint: tuple[tuple[str, int, int], ...] = ()
        self._checked = 0.0
        self.reloads = 0
        self.current()
        if self._state is None:
            errors = self._pending_errors
            first = errors[0].format() if errors else "the program is invalid"
            raise UsageError(f"cannot serve {path}: {first}")

    _pending_errors: tuple[Diagnostic, ...] = ()

    def fresh(self) -> State | None:
        """The state if no check of the files is due (never blocks), else ``None``."""
        state = self._state
        if state is not None and time.monotonic() - self._checked < self.check_interval:
            return state
        return None

    def current(self) -> State:
        """The state to serve now (reloading first if the files changed)."""
        now = time.monotonic()
        state = self._state
        if state is not None and now - self._checked < self.check_interval:
            return state
        with self._lock:
            if self._state is not None and time.monotonic() - self._checked < self.check_interval:
                return self._state
            fingerprint = _fingerprint(self.path)
            self._checked = time.monotonic()
            if self._state is None or fingerprint != self._fingerprint:
                self._reload(fingerprint)
            assert self._state is not None or self._pending_errors
            return self._state  # type: ignore[return-value]

    def _reload(self, fingerprint: tuple[tuple[str, int, int], ...]) -> None:
        result = check_program(self.path)
        self._fingerprint = fingerprint
        version = hashlib.sha1(repr(fingerprint).encode()).hexdigest()[:10]
        self.reloads += 1
        if result.program is None:
            self._pending_errors = result.errors
            if self._state is not None:  # keep showing the last valid program
                old = self._state
                self._state = State(
                    version=f"{old.version}+{version[:4]}",
                    program=old.program,
                    warnings=old.warnings,
                    files=old.files,
                    loaded_at=old.loaded_at,
                    ctx=old.ctx,
                    errors=result.errors,
                    results=old.results,
                )
            return
        self._pending_errors = ()
        as_of = self.fixed_as_of or dt.date.today()
        ctx = ReportContext(
            program=result.program,
            as_of=as_of,
            path=self.path,
            warnings=result.warnings,
            time_limit=self.time_limit,
            limit=self.limit,
        )
        self._state = State(
            version=version,
            program=result.program,
            warnings=result.warnings,
            files=result.files,
            loaded_at=time.time(),
            ctx=ctx,
        )

    # -- sections ------------------------------------------------------------------------
    def page_sections(self, state: State, page: str) -> tuple[list[SectionResult], Job | None]:
        """The sections of ``page``: fast ones built now, slow ones from a background job
        (status ``pending`` until it is done). Returns the job when one is running."""
        if page not in PAGES:
            raise KeyError(page)
        specs = sections_of_page(page)
        out: list[SectionResult] = []
        missing_slow = []
        for spec in specs:
            result = state.results.get(spec.id)
            if result is None and not spec.slow:
                result = build_section(spec, state.ctx)
                state.results[spec.id] = result
            if result is None:
                missing_slow.append(spec)
                result = SectionResult(
                    spec.id, spec.title, "pending", "computing in the background"
                )
            out.append(result)
        if not missing_slow:
            return out, None

        def work(progress: Progress) -> None:
            for n, spec in enumerate(missing_slow):
                progress(n / len(missing_slow), f"computing {spec.title.lower()}")
                if spec.id not in state.results:
                    state.results[spec.id] = build_section(spec, state.ctx)

        title = ", ".join(s.title for s in missing_slow)
        job = self.jobs.submit(f"{state.version}:{page}", title, work)
        if job.state in ("done", "failed"):
            # Finished between the check above and now: serve the results.
            return [state.results.get(r.id, r) for r in out], None
        return out, job

    def wait(self, job: Job, seconds: float) -> bool:
        """Wait up to ``seconds`` for ``job``; True when it finished."""
        return job.done_event.wait(timeout=max(seconds, 0.0))

    def files(self, state: State) -> dict[str, Path]:
        """Files the dashboard may serve: the program's files and its API contract files,
        by path relative to the program directory; each resolves inside the directory."""
        root = self.root.resolve()
        allowed: dict[str, Path] = {}
        candidates = list(state.files)
        for service in state.program.services:
            candidates.extend(api.contract for api in service.apis if api.contract)
        for rel in candidates:
            full = (root / rel).resolve()
            if full.is_relative_to(root) and full.is_file():
                allowed[full.relative_to(root).as_posix()] = full
        return allowed

    def summary(self, state: State) -> dict[str, Any]:
        return {
            "name": state.program.program.name,
            "version": state.version,
            "as_of": state.ctx.as_of.isoformat(),
            "loaded_at": dt.datetime.fromtimestamp(state.loaded_at, dt.UTC).isoformat(),
            "files": list(state.files),
            "counts": state.program.counts(),
            "errors": [d.to_dict() for d in state.errors],
            "warnings": [d.to_dict() for d in state.warnings],
        }


__all__ = ["ProgramStore", "State"]
