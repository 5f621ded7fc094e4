"""Pydantic models of the JSON API, built from the section view classes so the OpenAPI spec
describes exactly what each page's JSON twin returns."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, create_model

from scaleplan.reports.sections import PAGES, SectionSpec, load_sections, sections_of_page


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str


class ErrorBody(BaseModel):
    """Every error of the API has this shape."""

    error: ErrorDetail


class JobInfo(BaseModel):
    id: str
    title: str
    state: Literal["queued", "running", "done", "failed"]
    progress: float
    message: str
    seconds: float
    error: str | None


class Health(BaseModel):
    ok: bool
    version: str


class ProgramInfo(BaseModel):
    name: str
    version: str
    as_of: dt.date
    loaded_at: str
    files: list[str]
    counts: dict[str, int]
    errors: list[dict[str, Any]]
    warnings: list[dict[str, Any]]


class FileList(BaseModel):
    files: list[str]


class ChangesPage(BaseModel):
    since: str
    complete: bool
    job: JobInfo | None = None
    #: ``StatusReport.to_dict()`` once computed (see docs/reports.md).
    status: dict[str, Any] | None = None


_STRICT = ConfigDict(extra="forbid")


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace("-", "_").split("_"))


@cache
def envelope_model(spec: SectionSpec) -> type[BaseModel]:
    fields: dict[str, Any] = {
        "id": (Literal[spec.id], ...),
        "title": (str, ...),
        "status": (Literal["ok", "unavailable", "error", "pending"], ...),
        "reason": (str | None, None),
        "data": (spec.view_type | None, None),
    }
    return create_model(f"{_camel(spec.id)}Section", __config__=_STRICT, **fields)


@cache
def page_model(page: str) -> type[BaseModel]:
    """The response model of ``/api/<page>``."""
    load_sections()
    sections: dict[str, Any] = {
        spec.id: (envelope_model(spec), ...) for spec in sections_of_page(page)
    }
    fields: dict[str, Any] = {
        "page": (Literal[page], ...),
        "title": (str, ...),
        "program": (str, ...),
        "version": (str, ...),
        "as_of": (dt.date, ...),
        "complete": (bool, ...),
        "job": (JobInfo | None, None),
        "sections": (create_model(f"{_camel(page)}Sections", __config__=_STRICT, **sections), ...),
    }
    return create_model(f"{_camel(page)}Page", __config__=_STRICT, **fields)


def all_page_models() -> dict[str, type[BaseModel]]:
    return {page: page_model(page) for page in PAGES}


__all__ = [
    "ChangesPage",
    "ErrorBody",
    "FileList",
    "Health",
    "JobInfo",
    "ProgramInfo",
    "all_page_models",
    "envelope_model",
    "page_model",
]
