"""The scoring formulas themselves, as small pure functions on plain numbers.

Each returns the score and the *value* part of it (the cost-of-delay side, used to break ties),
so :mod:`scaleplan.analysis.prioritisation.ranking` can explain every number it shows.

>>> wsjf(8, 5, 3, 5)
(3.2, 16.0)
>>> rice(1000, 2.0, 80, 4.0)
(400.0, 1600.0)
>>> ice(8, 7, 5)
(280.0, 56.0)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from scaleplan.model.direction import FIBONACCI

#: Person-weeks in a person-month: 52 weeks / 12 months.
WEEKS_PER_MONTH = 52 / 12


def ice(
    impact: float, confidence: float, ease: float, variant: str = "product"
) -> tuple[float, float]:
    """ICE score: ``impact x confidence x ease`` (1..1000) or their mean (1..10).

    The value part is ``impact x confidence`` (ease is the effort side of ICE).
    """
    mean = variant == "average"
    score = (impact + confidence + ease) / 3 if mean else impact * confidence * ease
    return score, impact * confidence


def rice(
    reach: float, impact: float, confidence_pct: float, effort_pm: float
) -> tuple[float, float]:
    """RICE score: ``reach x impact x confidence / effort`` with confidence in percent and
    effort in person-months. The value part is the numerator ``reach x impact x confidence``."""
    value = reach * impact * confidence_pct / 100.0
    return value / effort_pm, value


def wsjf(
    business_value: float, time_criticality: float, risk_reduction: float, job_size: float
) -> tuple[float, float]:
    """WSJF: cost of delay (``business value + time criticality + risk reduction``) divided by
    job size. The value part is the cost of delay."""
    cost_of_delay = float(business_value + time_criticality + risk_reduction)
    return cost_of_delay / job_size, cost_of_delay


def job_size_from_effort(effort: float, smallest: float) -> int:
    """Map an effort onto the WSJF scale relative to the smallest job in the set.

    The ratio ``effort / smallest`` is rounded to the nearest value of 1, 2, 3, 5, 8, 13, 20
    (a tie goes to the larger value) and capped at 20, so the smallest job is 1, a job 2.4x as
    big is 2, 4x is 5 (tie between 3 and 5), 10x is 8 and 30x is 20.

    >>> [job_size_from_effort(e, 10.0) for e in (10, 15, 24, 40, 100, 300)]
    [1, 2, 2, 5, 8, 20]
    """
    if smallest <= 0 or effort <= 0:
        raise ValueError("efforts must be positive")
    ratio = effort / smallest
    return min(FIBONACCI, key=lambda f: (abs(f - ratio), -f))


def normalise(values: Sequence[float]) -> list[float]:
    """Jira Product Discovery's normalisation of one input across items onto 0-100.

    The low end is 0, or the smallest value when some value is negative; the high end is the
    largest value. Every value maps linearly between them. All values equal to the low end
    (e.g. all 0) map to 0.

    >>> normalise([6, 3, 2])
    [100.0, 50.0, 33.333333333333336]
    >>> normalise([5, 1, -5])
    [100.0, 60.0, 0.0]
    """
    if not values:
        return []
    low = min(0.0, min(values))
    high = max(values)
    if high <= low:
        return [0.0 for _ in values]
    return [100.0 * (v - low) / (high - low) for v in values]


def weighted(
    normalised: Mapping[str, float], weights: Mapping[str, float]
) -> tuple[float, float, float]:
    """Custom weighted score from inputs already normalised to 0-100.

    ``P = sum(weight x input)`` over positive weights and ``N = sum(|weight| x input)`` over
    negative ones; the score is ``P`` when there are no negative weights, else
    ``P / (1 + N / 100)``: an item at the top of a negatively weighted input (100) with weight
    -1 has its value halved, and an item at the bottom (0) keeps it. Returns
    ``(score, P, N)``; the value part is ``P``.

    >>> weighted({"revenue": 100.0, "cost": 50.0}, {"revenue": 2.0, "cost": -1.0})
    (133.33333333333334, 200.0, 50.0)
    """
    positive = sum(w * normalised[k] for k, w in weights.items() if w > 0)
    negative = sum(-w * normalised[k] for k, w in weights.items() if w < 0)
    if not any(w < 0 for w in weights.values()):
        return positive, positive, 0.0
    return positive / (1.0 + negative / 100.0), positive, negative


__all__ = [
    "WEEKS_PER_MONTH",
    "ice",
    "job_size_from_effort",
    "normalise",
    "rice",
    "weighted",
    "wsjf",
]
