"""The report's section builders, one module per section.

Importing this package registers every built-in section with
:func:`scaleplan.reports.registry.section`; :func:`scaleplan.reports.sections.load_sections`
does that import. Each module holds one section: its view types (frozen dataclasses with
``to_dict()``) and its builder. Shared helpers are in ``_common`` (the model views) and
``_plan`` (the one plan that every plan-based section shows).
"""

from scaleplan.reports.views import (
    board,
    cadences,
    forecasts,
    initiatives,
    load,
    okrs,
    org_chart,
    org_diagnostics,
    overview,
    priorities,
    risks,
    roadmap,
    services,
    teams,
)

__all__ = [
    "board",
    "cadences",
    "forecasts",
    "initiatives",
    "load",
    "okrs",
    "org_chart",
    "org_diagnostics",
    "overview",
    "priorities",
    "risks",
    "roadmap",
    "services",
    "teams",
]
