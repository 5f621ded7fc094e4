"""Score and rank initiatives with ICE, RICE, WSJF or a custom weighted model, with a breakdown
of every score and a deterministic, stated tie-break rule.

The candidates are the initiatives that are not ``done`` or ``cancelled``; "relative within the
set" (WSJF job sizes, custom-model normalisation) means relative within those candidates.

>>> from scaleplan import load_program  # doctest: +SKIP
>>> ranking = score(load_program("examples/shopscale"), method="wsjf")  # doctest: +SKIP
>>> ranking.entries[0].formula  # doctest: +SKIP
'(13 + 8 + 5) / 2 = 13'
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from scaleplan.analysis.capacity import effort_of
from scaleplan.analysis.prioritisation import formulas
from scaleplan.errors import UsageError
from scaleplan.model import CustomScoringModel, Initiative, Program, Status

BUILTIN_METHODS = ("ice", "rice", "wsjf")
#: Statuses of initiatives that are no longer candidates for prioritisation.
CLOSED = (Status.DONE, Status.CANCELLED)

TIE_BREAK = (
    "higher score, then higher value ({value}), then smaller effort (person-weeks of the "
    "initiative's work items; unknown last), then id (A-Z)"
)
_VALUE_NAMES = {
    "ice": "impact x confidence",
    "rice": "reach x impact x confidence",
    "wsjf": "cost of delay",
}
_FORMULAS = {
    "ice-product": "ICE = impact x confidence x ease (each 1-10)",
    "ice-average": "ICE = (impact + confidence + ease) / 3 (each 1-10)",
    "rice": "RICE = reach x impact x confidence% / effort (person-months)",
    "wsjf": (
        "WSJF = (business value + time criticality + risk reduction) / job size "
        "(each 1, 2, 3, 5, 8, 13, 20)"
    ),
}
#: Digits kept when comparing scores, so float noise never decides a rank.
_PLACES = 9


@dataclass(frozen=True)
class ScoreEntry:
    """One initiative's place in a ranking, with how its score came about."""

    rank: int
    id: str
    title: str
    status: str
    moscow: str | None
    kind: str
    #: ``None`` when the initiative lacks inputs for the method (see ``missing``).
    score: float | None
    #: The value (cost-of-delay) side of the score, used to break ties.
    value: float | None
    #: Total likely effort of the initiative's work items in person-weeks (``None``: no items).
    effort: float | None
    #: Inputs used, after defaults (e.g. ``job_size``, ``effort_pm``, normalised custom inputs).
    inputs: dict[str, float] = field(default_factory=dict)
    #: The formula with this initiative's numbers, e.g. ``(8 + 5 + 3) / 5 = 3.2``.
    formula: str = ""
    #: How defaulted inputs were derived.
    notes: tuple[str, ...] = ()
    #: Why there is no score.
    missing: str | None = None
    #: Priority weight (score / mean score; 1.0 when unscored), as the planner uses it.
    weight: float = 1.0
    #: For an entry with the same score as the one above it: what decided the order.
    tie_break: str | None = None
    key_results: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "moscow": self.moscow,
            "kind": self.kind,
            "score": _r(self.score),
            "value": _r(self.value),
            "effort_pw": _r(self.effort),
            "weight": _r(self.weight),
            "inputs": {k: _r(v) for k, v in self.inputs.items()},
            "formula": self.formula,
            "notes": list(self.notes),
            "missing": self.missing,
            "tie_break": self.tie_break,
            "key_results": list(self.key_results),
        }


@dataclass(frozen=True)
class Ranking:
    """Initiatives ranked by one scoring method: scored ones first, then unscored ones by id."""

    method: str
    label: str
    formula: str
    tie_break: str
    entries: tuple[ScoreEntry, ...]

    @property
    def scored(self) -> tuple[ScoreEntry, ...]:
        return tuple(e for e in self.entries if e.score is not None)

    @property
    def unscored(self) -> tuple[ScoreEntry, ...]:
        return tuple(e for e in self.entries if e.score is None)

    def weights(self) -> dict[str, float]:
        return {e.id: e.weight for e in self.entries}

    def by_id(self) -> dict[str, ScoreEntry]:
        return {e.id: e for e in self.entries}

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "label": self.label,
            "formula": self.formula,
            "tie_break": self.tie_break,
            "scored": len(self.scored),
            "unscored": len(self.unscored),
            "entries": [e.to_dict() for e in self.entries],
        }


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _g(value: float) -> str:
    """A number as people write it: no trailing zeros, at most 4 decimals."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def resolve_method(program: Program, method: str | None) -> str:
    """The scoring method to use: ``method`` or the program's default; validated."""
    chosen = method if method is not None else program.settings.scoring.method
    custom = {m.id for m in program.settings.scoring.custom_models}
    if chosen in BUILTIN_METHODS or chosen in custom:
        return chosen
    options = [*BUILTIN_METHODS, *sorted(custom)]
    close = difflib.get_close_matches(chosen, options, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise UsageError(f"unknown scoring method '{chosen}' (use {', '.join(options)}){hint}")


@dataclass
class _Draft:
    initiative: Initiative
    effort: float | None
    score: float | None = None
    value: float | None = None
    inputs: dict[str, float] = field(default_factory=dict)
    formula: str = ""
    notes: list[str] = field(default_factory=list)
    missing: str | None = None


def initiative_effort(program: Program, initiative_id: str) -> float | None:
    """Total likely effort (person-weeks) of an initiative's work items that are not cancelled;
    ``None`` without any.

    The total, not the remaining effort, so a score does not drift as work gets done."""
    items = [
        item
        for item in program.work_items_by_initiative.get(initiative_id, ())
        if item.status is not Status.CANCELLED
    ]
    if not items:
        return None
    return sum(effort_of(program, item).likely for item in items)


def score(
    program: Program, method: str | None = None, *, ice_variant: str | None = None
) -> Ranking:
    """Rank the program's open initiatives by ``method`` (default: ``settings.scoring.method``).

    ``method`` is ``ice``, ``rice``, ``wsjf`` or the id of a custom model in
    ``settings.scoring.custom_models``; ``ice_variant`` (``product`` or ``average``) overrides
    ``settings.scoring.ice_variant``. Raises :class:`~scaleplan.errors.UsageError` for an
    unknown method.
    """
    chosen = resolve_method(program, method)
    variant = ice_variant or program.settings.scoring.ice_variant
    if variant not in ("product", "average"):
        raise UsageError(f"unknown ICE variant '{variant}' (use product or average)")
    drafts = [
        _Draft(i, initiative_effort(program, i.id))
        for i in program.initiatives
        if i.status not in CLOSED
    ]
    if chosen == "ice":
        _score_ice(drafts, variant)
        label, formula = "ICE", _FORMULAS[f"ice-{variant}"]
        value_name = _VALUE_NAMES["ice"]
    elif chosen == "rice":
        _score_rice(drafts)
        label, formula, value_name = "RICE", _FORMULAS["rice"], _VALUE_NAMES["rice"]
    elif chosen == "wsjf":
        _score_wsjf(drafts)
        label, formula, value_name = "WSJF", _FORMULAS["wsjf"], _VALUE_NAMES["wsjf"]
    else:
        model = next(m for m in program.settings.scoring.custom_models if m.id == chosen)
        _score_custom(drafts, model)
        label = model.name or model.id
        formula = _custom_formula(model)
        value_name = "positively weighted inputs"
    return _rank(chosen, label, formula, TIE_BREAK.format(value=value_name), drafts)


def priority_weights(program: Program, method: str | None = None) -> dict[str, float]:
    """``initiative id -> weight > 0`` for every initiative: higher is more important.

    Scores are divided by their mean, so the weights of scored initiatives average 1.0; a
    score of 0 (e.g. RICE reach 0) is floored at 1% of the top score first so every weight stays
    positive. Initiatives without inputs, and done or cancelled ones, get 1.0.
    """
    weights = {i.id: 1.0 for i in program.initiatives}
    weights.update(score(program, method).weights())
    return weights


# -- the methods --------------------------------------------------------------------------------


def _score_ice(drafts: list[_Draft], variant: str) -> None:
    for d in drafts:
        inputs = d.initiative.ice
        if inputs is None:
            d.missing = "no ice inputs"
            continue
        i, c, e = inputs.impact, inputs.confidence, inputs.ease
        d.score, d.value = formulas.ice(i, c, e, variant)
        d.inputs = {"impact": i, "confidence": c, "ease": e}
        if variant == "average":
            d.formula = f"({_g(i)} + {_g(c)} + {_g(e)}) / 3 = {_g(d.score)}"
        else:
            d.formula = f"{_g(i)} x {_g(c)} x {_g(e)} = {_g(d.score)}"


def _score_rice(drafts: list[_Draft]) -> None:
    for d in drafts:
        inputs = d.initiative.rice
        if inputs is None:
            d.missing = "no rice inputs"
            continue
        effort_pm = inputs.effort
        if effort_pm is None:
            if not d.effort:
                d.missing = "rice effort not given and no work-item effort to default it from"
                continue
            effort_pm = d.effort / formulas.WEEKS_PER_MONTH
            d.notes.append(
                f"effort {_g(effort_pm)} person-months = {_g(d.effort)} person-weeks of work "
                f"items / (52/12)"
            )
        d.score, d.value = formulas.rice(inputs.reach, inputs.impact, inputs.confidence, effort_pm)
        d.inputs = {
            "reach": inputs.reach,
            "impact": inputs.impact,
            "confidence": inputs.confidence,
            "effort_pm": effort_pm,
        }
        d.formula = (
            f"{_g(inputs.reach)} x {_g(inputs.impact)} x {_g(inputs.confidence)}% / "
            f"{_g(effort_pm)} = {_g(d.score)}"
        )


def _score_wsjf(drafts: list[_Draft]) -> None:
    with_inputs = [d for d in drafts if d.initiative.wsjf is not None]
    sized = [d.effort for d in with_inputs if d.effort]
    smallest = min(sized) if sized else None
    for d in drafts:
        inputs = d.initiative.wsjf
        if inputs is None:
            d.missing = "no wsjf inputs"
            continue
        job_size = inputs.job_size
        if job_size is None:
            if not d.effort or smallest is None:
                d.missing = "wsjf job_size not given and no work-item effort to default it from"
                continue
            job_size = formulas.job_size_from_effort(d.effort, smallest)
            d.notes.append(
                f"job size {job_size} from effort {_g(d.effort)} person-weeks = "
                f"{d.effort / smallest:.2f}x the smallest job in the set ({_g(smallest)} pw)"
            )
        bv, tc, rr = inputs.business_value, inputs.time_criticality, inputs.risk_reduction
        d.score, d.value = formulas.wsjf(bv, tc, rr, job_size)
        d.inputs = {
            "business_value": bv,
            "time_criticality": tc,
            "risk_reduction": rr,
            "job_size": job_size,
        }
        d.formula = f"({bv} + {tc} + {rr}) / {job_size} = {_g(d.score)}"


def _custom_formula(model: CustomScoringModel) -> str:
    pos = [f"{_g(w)} x {k}" for k, w in model.weights.items() if w > 0]
    neg = [f"{_g(-w)} x {k}" for k, w in model.weights.items() if w < 0]
    text = " + ".join(pos) or "0"
    if neg:
        text = f"({text}) / (1 + ({' + '.join(neg)}) / 100)"
    return f"{model.name or model.id} = {text}, each input normalised 0-100 across initiatives"


def _score_custom(drafts: list[_Draft], model: CustomScoringModel) -> None:
    keys = list(model.weights)
    scored = [d for d in drafts if all(k in d.initiative.scores for k in keys)]
    for d in drafts:
        if d not in scored:
            d.missing = f"no inputs for custom model '{model.id}'"
    if not scored:
        return
    norm = {k: formulas.normalise([d.initiative.scores[k] for d in scored]) for k in keys}
    for n, d in enumerate(scored):
        inputs = {k: norm[k][n] for k in keys}
        d.score, d.value, _ = formulas.weighted(inputs, model.weights)
        d.inputs = dict(inputs)
        d.notes.append("raw inputs " + ", ".join(f"{k} {_g(d.initiative.scores[k])}" for k in keys))
        pos = (
            " + ".join(f"{_g(w)} x {_g(inputs[k])}" for k, w in model.weights.items() if w > 0)
            or "0"
        )
        if any(w < 0 for w in model.weights.values()):
            neg = " + ".join(
                f"{_g(-w)} x {_g(inputs[k])}" for k, w in model.weights.items() if w < 0
            )
            d.formula = f"({pos}) / (1 + ({neg}) / 100) = {_g(d.score)}"
        else:
            d.formula = f"{pos} = {_g(d.score)}"


# -- ranking ------------------------------------------------------------------------------------


def _key(d: _Draft) -> tuple[float, float, float, str]:
    assert d.score is not None and d.value is not None
    effort = d.effort if d.effort is not None else float("inf")
    return (
        -round(d.score, _PLACES),
        -round(d.value, _PLACES),
        round(effort, _PLACES),
        d.initiative.id,
    )


def _tie_note(above: _Draft, here: _Draft) -> str | None:
    ka, kh = _key(above), _key(here)
    if ka[0] != kh[0]:
        return None
    other = above.initiative.id
    if ka[1] != kh[1]:
        assert above.value is not None and here.value is not None
        return f"same score as {other}; lower value ({_g(here.value)} < {_g(above.value)})"
    if ka[2] != kh[2]:
        mine = "unknown" if here.effort is None else _g(here.effort)
        theirs = "unknown" if above.effort is None else _g(above.effort)
        return f"same score and value as {other}; larger effort ({mine} > {theirs} pw)"
    return f"same score, value and effort as {other}; id after '{other}'"


def _weights(scores: list[float]) -> list[float]:
    if not scores:
        return []
    top = max(scores)
    if top <= 0:
        return [1.0 for _ in scores]
    floored = [max(s, top / 100.0) for s in scores]
    mean = sum(floored) / len(floored)
    return [s / mean for s in floored]


def _rank(method: str, label: str, formula: str, tie_break: str, drafts: list[_Draft]) -> Ranking:
    scored = sorted((d for d in drafts if d.score is not None), key=_key)
    unscored = sorted((d for d in drafts if d.score is None), key=lambda d: d.initiative.id)
    weights = _weights([d.score for d in scored if d.score is not None])
    entries: list[ScoreEntry] = []
    for n, d in enumerate([*scored, *unscored]):
        scored_here = d.score is not None
        entries.append(
            ScoreEntry(
                rank=n + 1,
                id=d.initiative.id,
                title=d.initiative.title,
                status=d.initiative.status.value,
                moscow=d.initiative.moscow.value if d.initiative.moscow else None,
                kind=d.initiative.kind.value,
                score=d.score,
                value=d.value,
                effort=d.effort,
                inputs=d.inputs,
                formula=d.formula,
                notes=tuple(d.notes),
                missing=d.missing,
                weight=weights[n] if scored_here else 1.0,
                tie_break=_tie_note(scored[n - 1], d) if scored_here and n > 0 else None,
                key_results=d.initiative.key_results,
            )
        )
    return Ranking(method, label, formula, tie_break, tuple(entries))


__all__ = [
    "BUILTIN_METHODS",
    "Ranking",
    "ScoreEntry",
    "initiative_effort",
    "priority_weights",
    "resolve_method",
    "score",
]
