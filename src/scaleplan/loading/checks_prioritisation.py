"""Load-time checks of the prioritisation area, and the codes its analyses report.

``run`` reports E500 and W500 while loading. W510-W513 (OKR alignment, from
:func:`scaleplan.analysis.okrs.okr_tree`) and W520-W521 (MoSCoW checks of
:func:`scaleplan.analysis.prioritisation.cut_line`) are registered here so they are documented in
``docs/errors.md`` and can be silenced with ``settings.ignore`` like any other warning.
"""

from __future__ import annotations

from typing import Any

from scaleplan.loading.checks import valid
from scaleplan.loading.context import LoadContext
from scaleplan.model import Settings, Status
from scaleplan.model.graphs import find_cycles

CODES: dict[str, str] = {
    "E500": "custom scoring model shadows a built-in method",
    "W500": "initiatives depend on each other through work items",
    "W510": "initiative serves no key result",
    "W511": "key result has no initiative",
    "W512": "objective has no key results",
    "W513": "committed key result forecast to miss without escalation",
    "W520": "Must-haves above their share of capacity",
    "W521": "Must-have below the cut line",
}

_BUILTIN = ("ice", "rice", "wsjf")
_CLOSED = (Status.DONE, Status.CANCELLED)


def run(ctx: LoadContext, singles: dict[str, Any]) -> None:
    settings: Settings = singles.get("settings") or Settings()
    _shadowed_methods(ctx, settings)
    _work_item_cycles(ctx)


def _shadowed_methods(ctx: LoadContext, settings: Settings) -> None:
    element = ctx.single_elements.get("settings")
    if element is None:
        return
    for k, model in enumerate(settings.scoring.custom_models):
        if model.id in _BUILTIN:
            ctx.report(
                "E500",
                f"custom scoring model '{model.id}' has the name of a built-in method",
                element,
                ("scoring", "custom_models", k, "id"),
                id=model.id,
                hint=f"rename it (e.g. '{model.id}-custom'); '{model.id}' always means the "
                "built-in formula",
            )


def _work_item_cycles(ctx: LoadContext) -> None:
    initiatives = {m.id: (e, m) for e, m in valid(ctx, "initiatives")}
    items = {m.id: m for _, m in valid(ctx, "work_items")}
    edges: dict[str, dict[str, str]] = {i: {} for i in initiatives}
    for iid, (_, initiative) in initiatives.items():
        for dep in initiative.depends_on:
            if dep in initiatives:
                edges[iid].setdefault(dep, "depends_on")
    for item in items.values():
        if item.initiative not in initiatives or item.status in _CLOSED:
            continue
        for link in item.depends_on:
            other = items.get(link.item)
            if other is None or other.status in _CLOSED or other.initiative not in initiatives:
                continue
            if other.initiative != item.initiative:
                edges[item.initiative].setdefault(other.initiative, f"{item.id} -> {other.id}")
    for cycle in find_cycles({k: list(v) for k, v in edges.items()}):
        steps = [(a, cycle[(n + 1) % len(cycle)]) for n, a in enumerate(cycle)]
        via = [edges[a][b] for a, b in steps]
        if all(v == "depends_on" for v in via):
            continue  # a plain initiative cycle is E201
        shown = " -> ".join([*cycle, cycle[0]])
        links = ", ".join(v for v in via if v != "depends_on")
        element, _ = initiatives[cycle[0]]
        ctx.report(
            "W500",
            f"initiatives {shown} depend on each other through work items ({links}); the cut "
            "line can only keep or cut them together",
            element,
            id=cycle[0],
            hint="split the work so dependencies point one way, or merge the initiatives",
            extra={"cycle": cycle},
        )
