"""Prioritisation: score and rank initiatives (ICE, RICE, WSJF, custom weighted models) and cut
the ranked list at the capacity of an increment (OR-Tools CP-SAT, with a greedy baseline).

Public API::

    score(program, method=None) -> Ranking
    priority_weights(program, method=None) -> dict[str, float]
    cut_line(program, increment=None, method=None, time_limit=10.0, seed=0) -> CutLine

The OKR tree lives in :mod:`scaleplan.analysis.okrs`. Formulas, defaults and their sources are
documented in ``docs/prioritisation.md``.
"""

from scaleplan.analysis.prioritisation.cutline import (
    DEPENDENCY_RULE,
    CutItem,
    CutLine,
    Reason,
    TeamLoad,
    cut_line,
)
from scaleplan.analysis.prioritisation.findings import Finding
from scaleplan.analysis.prioritisation.ranking import (
    BUILTIN_METHODS,
    Ranking,
    ScoreEntry,
    priority_weights,
    score,
)

__all__ = [
    "BUILTIN_METHODS",
    "DEPENDENCY_RULE",
    "CutItem",
    "CutLine",
    "Finding",
    "Ranking",
    "Reason",
    "ScoreEntry",
    "TeamLoad",
    "cut_line",
    "priority_weights",
    "score",
]
