"""The section registry (the ``section`` decorator and the view types) shared by the HTML report, the Markdown report and the web dashboard.

A section is one small function that turns a program (and the analyses that exist) into *view
data* — a frozen dataclass with ``to_dict()`` — plus one template block per output format
(``templates/section_<id>.html.j2`` and ``templates/section_<id>.md.j2``). The same view data
feeds the report, the dashboard page and the page's JSON twin. Wiring a new analysis in is::

    @section("capacity_plan", "Capacity plan", page="roadmap", order=45, slow=True)
    def capacity_plan(ctx: ReportContext) -> CapacityPlanView:
        try:
            from scaleplan.analysis.capacity_plan import plan
        except ImportError:
            raise Unavailable("needs scaleplan.analysis.capacity_plan") from None
        return CapacityPlanView.from_result(plan(ctx.program))

and the two template files. A builder raises :class:`Unavailable` when its analysis is not
installed or does not apply; the section then shows why instead of failing the whole report.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from scaleplan.model import Program

SectionStatus = Literal["ok", "unavailable", "error", "pending"]

#: Pages of the dashboard, in navigation order, with their titles.
PAGES: dict[str, str] = {
    "overview": "Overview",
    "okrs": "OKRs",
    "priorities": "Priorities",
    "roadmap": "Roadmap",
    "board": "Program board",
    "teams": "Teams & org",
    "forecasts": "Forecasts",
    "risks": "Risks",
}


class Unavailable(Exception):
    """Raised by a section builder when it cannot show anything, with the reason why."""


def jsonable(value: Any) -> Any:
    """Plain JSON values: dates as ISO strings, tuples as lists, dataclasses as dicts."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return None
    return value


class View:
    """Base of view data classes: ``to_dict()`` gives plain JSON values."""

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)


@dataclass
class ReportContext:
    """What a section builder gets: the program, the date the report is as of, load warnings,
    options, and a memo so sections share expensive results (a plan, scores)."""

    program: Program
    as_of: dt.date
    path: Path | None = None
    #: Warnings from loading (``Diagnostic`` objects), shown in the overview.
    warnings: tuple[Any, ...] = ()
    time_limit: float = 10.0
    seed: int = 7
    #: Most rows a table shows; the total is always given.
    limit: int = 200
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _key_locks: dict[str, threading.Lock] = field(default_factory=dict, repr=False)

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per context; the result (or the exception) is shared.

        Each key has its own lock, so a slow computation (a plan) never blocks a fast one.
        """
        with self._lock:
            if key in self._memo:
                ok, value = self._memo[key]
                if not ok:
                    raise value
                return value
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                done = self._memo.get(key)
            if done is None:
                try:
                    done = (True, compute())
                except Exception as exc:  # remembered so every section reports the same
                    done = (False, exc)
                with self._lock:
                    self._memo[key] = done
        ok, value = done
        if not ok:
            raise value
        return value


@dataclass(frozen=True)
class SectionSpec:
    id: str
    title: str
    page: str
    order: int
    build: Callable[[ReportContext], Any]
    view_type: type
    #: Slow sections run as background jobs on the dashboard.
    slow: bool = False
    description: str = ""


@dataclass(frozen=True)
class SectionResult:
    """One built section: its data, or why there is none."""

    id: str
    title: str
    status: SectionStatus
    reason: str | None = None
    data: Any = None
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "reason": self.reason,
            "data": self.data.to_dict() if self.data is not None else None,
        }


SECTIONS: dict[str, SectionSpec] = {}

V = TypeVar("V")


def section(
    id: str, title: str, *, page: str, order: int, slow: bool = False
) -> Callable[[Callable[[ReportContext], V]], Callable[[ReportContext], V]]:
    """Register a section builder; its return annotation is the view type (for the OpenAPI)."""
    if page not in PAGES:
        raise ValueError(f"unknown page {page!r}")

    def register(fn: Callable[[ReportContext], V]) -> Callable[[ReportContext], V]:
        hints = typing.get_type_hints(fn)
        view_type = hints.get("return")
        if not isinstance(view_type, type):
            raise TypeError(f"section {id}: annotate the return type with its view class")
        doc = (fn.__doc__ or "").strip().splitlines()
        SECTIONS[id] = SectionSpec(
            id, title, page, order, fn, view_type, slow, doc[0] if doc else ""
        )
        return fn

    return register


def build_section(spec: SectionSpec, ctx: ReportContext) -> SectionResult:
    """Run one builder; never raises (an unexpected error becomes status ``error``)."""
    started = time.perf_counter()
    try:
        data = spec.build(ctx)
    except Unavailable as exc:
        return SectionResult(spec.id, spec.title, "unavailable", str(exc))
    except Exception as exc:
        import os

        if os.environ.get("SCALEPLAN_DEBUG"):
            raise
        message = f"{type(exc).__name__}: {exc}"
        return SectionResult(spec.id, spec.title, "error", message)
    return SectionResult(
        spec.id, spec.title, "ok", None, data, round(time.perf_counter() - started, 4)
    )


__all__ = [
    "PAGES",
    "SECTIONS",
    "ReportContext",
    "SectionResult",
    "SectionSpec",
    "Unavailable",
    "View",
    "build_section",
    "jsonable",
    "section",
]
