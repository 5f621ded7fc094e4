"""The report's sections: every built-in section, in order, and building them.

The ``section`` decorator and the view types live in :mod:`scaleplan.reports.registry`; the
section builders live in :mod:`scaleplan.reports.views` (one module per section), which this
module imports to fill the registry. Nothing in ``views`` imports this module back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from scaleplan.reports.registry import (
    PAGES,
    SECTIONS,
    ReportContext,
    SectionResult,
    SectionSpec,
    Unavailable,
    View,
    build_section,
    jsonable,
    section,
)


def load_sections() -> dict[str, SectionSpec]:
    """Every registered section, in report order (imports the built-in section modules)."""
    import scaleplan.reports.views  # noqa: F401  (each view module registers its section)

    return dict(sorted(SECTIONS.items(), key=lambda kv: (kv[1].order, kv[0])))


def sections_of_page(page: str) -> list[SectionSpec]:
    return [s for s in load_sections().values() if s.page == page]


def build_sections(
    ctx: ReportContext,
    ids: Iterable[str] | None = None,
    *,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[SectionResult]:
    """Build the given sections (default: all) in report order; ``progress(done, total,
    title)`` is called before each one and once at the end."""
    specs = load_sections()
    wanted = list(specs) if ids is None else [i for i in specs if i in set(ids)]
    out = []
    for n, sid in enumerate(wanted):
        if progress is not None:
            progress(n, len(wanted), specs[sid].title)
        out.append(build_section(specs[sid], ctx))
    if progress is not None:
        progress(len(wanted), len(wanted), "done")
    return out


__all__ = [
    "PAGES",
    "SECTIONS",
    "ReportContext",
    "SectionResult",
    "SectionSpec",
    "Unavailable",
    "View",
    "build_section",
    "build_sections",
    "jsonable",
    "load_sections",
    "section",
    "sections_of_page",
]
